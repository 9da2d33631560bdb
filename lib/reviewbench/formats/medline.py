"""PubMed/MEDLINE tagged text (``.nbib``, ``.txt``): ``TAG - value`` lines with
six-space continuation lines, records separated by blank lines and starting at ``PMID-``.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import Problem

# Schema field -> MEDLINE tags in priority order.
FIELD_MAP: dict[str, tuple[str, ...]] = {
    "title": ("TI", "BTI"),
    "abstract": ("AB",),
    "journal": ("JT", "TA"),
    "volume": ("VI",),
    "issue": ("IP",),
    "pages": ("PG",),
    "pmid": ("PMID",),
    "isbn": ("ISBN", "IS"),
    "language": ("LA",),
    "year": ("DP", "DEP", "EDAT"),
}
LIST_TAGS = {"FAU", "AU", "MH", "OT", "AID", "LID", "PT", "IS", "AD", "AUID", "LA", "SI", "GR", "PHST", "RN", "OTO"}
_LINE = re.compile(r"^([A-Z]{2,4})\s*- ?(.*)$")


def looks_like(text: str) -> bool:
    """True when the text has a ``PMID-`` line and other MEDLINE tags."""
    return bool(re.search(r"^PMID- ?\d", text[:20000], re.M)) and bool(re.search(r"^(TI|AU|FAU)  ?- ", text[:50000], re.M))


def split_records(text: str) -> list[tuple[int, list[tuple[int, str, str]]]]:
    """Records as (first line, [(line, tag, value)]), continuation lines joined."""
    records: list[tuple[int, list[tuple[int, str, str]]]] = []
    current: list[tuple[int, str, str]] = []
    start = 0
    for lineno, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        match = _LINE.match(line)
        if match:
            tag, value = match.group(1), match.group(2).strip()
            if tag == "PMID" and current:
                records.append((start, current))
                current = []
            if not current:
                start = lineno
            current.append((lineno, tag, value))
        elif line.startswith("      ") and current:
            ln, tag, value = current[-1]
            current[-1] = (ln, tag, f"{value} {line.strip()}".strip())
        elif not line.strip():
            if current:
                records.append((start, current))
                current = []
        elif current:
            # A stray line inside a record: keep it with the previous field.
            ln, tag, value = current[-1]
            current[-1] = (ln, tag, f"{value} {line.strip()}".strip())
    if current:
        records.append((start, current))
    return records


def parse(text: str, path: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Raw records and problems from MEDLINE text."""
    records, problems = [], []
    for line, fields in split_records(text):
        tags: dict[str, list[str]] = {}
        for _, tag, value in fields:
            tags.setdefault(tag, []).append(value)
        if not any(t in tags for t in ("TI", "PMID", "AU", "FAU")):
            problems.append(Problem(path, line, "lines skipped: not a MEDLINE record (no PMID, TI or AU tag)"))
            continue
        records.append(to_record(tags, line))
    return records, problems


def to_record(tags: dict[str, list[str]], line: int) -> dict[str, Any]:
    """Map MEDLINE tags to schema fields; unmapped tags go to ``extra``."""
    rec: dict[str, Any] = {"_line": line, "source_db": "MEDLINE"}
    used: set[str] = set()
    for field, candidates in FIELD_MAP.items():
        for tag in candidates:
            if tags.get(tag) and tags[tag][0]:
                rec[field] = tags[tag][0]
                used.add(tag)
                break
    rec["authors"] = tags.get("FAU") or [_short_author(a) for a in tags.get("AU", [])]
    used |= {"FAU", "AU"}
    rec["keywords"] = tags.get("OT", []) + tags.get("MH", [])
    used |= {"OT", "MH"}
    for value in tags.get("AID", []) + tags.get("LID", []):
        if value.endswith("[doi]"):
            rec["doi"] = value[: -len("[doi]")].strip()
            break
    rec["ref_type"] = "; ".join(tags.get("PT", []))
    used |= {"AID", "LID", "PT"}
    rec["extra"] = {t: (v if len(v) > 1 else v[0]) for t, v in tags.items() if t not in used}
    return rec


def _short_author(name: str) -> str:
    """``"Mc Grath-Lone L"`` -> ``"Mc Grath-Lone, L"`` (the last token is the initials)."""
    parts = name.rsplit(" ", 1)
    if len(parts) == 2 and parts[1].isupper() and len(parts[1]) <= 4:
        return f"{parts[0]}, {parts[1]}"
    return name
