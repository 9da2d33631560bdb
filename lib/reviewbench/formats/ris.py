"""RIS (Scopus, Web of Science, Ovid, EBSCO, ProQuest, EndNote, Zotero, Rayyan, ...).

Records are split on ``ER`` lines here, with their starting line numbers, and each
record's tags are read by rispy with an identity mapping (so repeated and unknown tags
are all kept); :data:`FIELD_MAP` then maps tags to schema fields.
"""

from __future__ import annotations

import re
from typing import Any

import rispy

from ..errors import Problem

# Schema field -> RIS tags in priority order (first non-empty wins; list fields concatenate).
FIELD_MAP: dict[str, tuple[str, ...]] = {
    "title": ("TI", "T1", "CT", "BT"),
    "abstract": ("AB", "N2"),
    "authors": ("AU", "A1"),
    "year": ("PY", "Y1", "DA", "Y2"),
    "journal": ("T2", "JO", "JF", "JA", "J2", "J1", "T3"),
    "volume": ("VL",),
    "issue": ("IS", "CP"),
    "doi": ("DO", "DI", "M3", "UR", "L3"),
    "isbn": ("SN",),
    "url": ("UR", "L2"),
    "keywords": ("KW",),
    "language": ("LA",),
    "source_id": ("ID",),
    "ref_type": ("TY",),
    "source_db": ("DB", "DP"),
}
LIST_FIELDS = {"authors", "keywords"}
_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])  ?-( |$)")
_ALL_TAGS = {tag: tag for tag in rispy.TAG_KEY_MAPPING} | {"ER": "ER", "TY": "TY"}


def looks_like(text: str) -> bool:
    """True when the text has RIS ``TY  -`` and ``ER  -`` lines."""
    head = text[:20000]
    return bool(re.search(r"^TY  ?-", head, re.M)) and bool(re.search(r"^ER  ?-", text, re.M))


def split_records(text: str) -> list[tuple[int, str]]:
    """(first line number, record text) for each ``TY`` ... ``ER`` block."""
    records: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for lineno, line in enumerate(text.split("\n"), start=1):
        if line.startswith("TY  -") or line.startswith("TY -"):
            if current and any(_TAG_LINE.match(x) for x in current):
                records.append((start, "\n".join(current) + "\nER  - \n"))
            current, start = [line], lineno
        elif re.match(r"^ER  ?-", line):
            if current:
                current.append("ER  - ")
                records.append((start, "\n".join(current) + "\n"))
            current = []
        elif current:
            current.append(line)
    if current and any(_TAG_LINE.match(x) for x in current[1:]):
        records.append((start, "\n".join(current) + "\nER  - \n"))
    return records


def _tags(chunk: str) -> dict[str, list[str]]:
    tags = sorted({m.group(1) for m in re.finditer(r"^([A-Z][A-Z0-9])  ?-", chunk, re.M)})
    mapping = {t: t for t in tags} | {"ER": "ER"}
    entries = rispy.loads(chunk, mapping=mapping, list_tags=tags, skip_unknown_tags=False)
    return entries[0] if entries else {}


def parse(text: str, path: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Raw records (schema keys plus ``extra``) and the problems met, from RIS text."""
    records: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for line, chunk in split_records(text):
        try:
            tags = _tags(chunk)
        except Exception as exc:  # rispy raises plain IOError/ValueError on broken blocks
            problems.append(Problem(path, line, f"record skipped: {exc}"))
            continue
        records.append(to_record(tags, line))
    return records, problems


def to_record(tags: dict[str, list[str]], line: int) -> dict[str, Any]:
    """Map RIS tags to schema fields; unmapped tags go to ``extra``."""
    rec: dict[str, Any] = {"_line": line}
    used: set[str] = set()
    for field, candidates in FIELD_MAP.items():
        for tag in candidates:
            values = [v for v in tags.get(tag, []) if str(v).strip()]
            if not values:
                continue
            if field in LIST_FIELDS:
                rec.setdefault(field, []).extend(values)
                used.add(tag)
                continue
            if field == "doi" and tag != "DO" and not any("10." in v for v in values):
                continue
            rec[field] = values[0] if field != "doi" else next(v for v in values if "10." in v or tag == "DO")
            used.add(tag)
            break
    start = (tags.get("SP") or [""])[0]
    end = (tags.get("EP") or [""])[0]
    rec["pages"] = f"{start}-{end}" if start and end and start != end else (start or end)
    used |= {"SP", "EP"}
    rec["extra"] = {t: (v if len(v) > 1 else v[0]) for t, v in tags.items() if t not in used and t != "ER" and v}
    return rec
