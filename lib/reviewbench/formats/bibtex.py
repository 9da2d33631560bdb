"""BibTeX and BibLaTeX through pybtex, one entry at a time.

The file is split at ``@type{`` starts so that one broken entry cannot take the rest of
the file with it; each entry is parsed by pybtex and mapped by :data:`FIELD_MAP`.
"""

from __future__ import annotations

import re
from typing import Any

from pybtex.database import parse_string
from pybtex.scanner import PybtexError

from ..errors import Problem

FIELD_MAP: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "abstract": ("abstract",),
    "year": ("year", "date"),
    "journal": ("journal", "journaltitle", "booktitle", "series"),
    "volume": ("volume",),
    "issue": ("number", "issue"),
    "pages": ("pages",),
    "doi": ("doi",),
    "pmid": ("pmid",),
    "isbn": ("isbn", "issn"),
    "url": ("url",),
    "keywords": ("keywords", "keyword", "mesh"),
    "language": ("language", "langid"),
    "source_db": ("source",),
}
_ENTRY_START = re.compile(r"^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(]", re.M)
_SKIP_TYPES = {"comment", "preamble", "string"}


def looks_like(text: str) -> bool:
    """True when the text has ``@type{`` entries with ``field =`` lines."""
    return bool(_ENTRY_START.search(text[:50000])) and "=" in text


def split_entries(text: str) -> list[tuple[int, str, str]]:
    """(line number, entry type, entry text) for each ``@type{`` block."""
    starts = [(m.start(), m.group(1).lower()) for m in _ENTRY_START.finditer(text)]
    out = []
    for i, (pos, kind) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        out.append((text.count("\n", 0, pos) + 1, kind, text[pos:end]))
    return out


def _strings(text: str) -> str:
    """The @string macros of a file, prepended to each entry so macros resolve."""
    return "\n".join(chunk for _, kind, chunk in split_entries(text) if kind == "string")


def _clean(value: str) -> str:
    value = re.sub(r"\\[a-zA-Z]+\s*\{([^{}]*)\}", r"\1", value)
    value = value.replace("{", "").replace("}", "")
    return re.sub(r"\s+", " ", value).strip()


def parse(text: str, path: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Raw records and problems from BibTeX text."""
    records: list[dict[str, Any]] = []
    problems: list[Problem] = []
    macros = _strings(text)
    for line, kind, chunk in split_entries(text):
        if kind in _SKIP_TYPES:
            continue
        try:
            data = parse_string(macros + "\n" + chunk, "bibtex")
        except (PybtexError, Exception) as exc:  # pybtex raises several types on bad input
            problems.append(Problem(path, line, f"entry skipped: {str(exc).splitlines()[0]}"))
            continue
        if not data.entries:
            problems.append(Problem(path, line, "entry skipped: no fields could be read"))
            continue
        for key, entry in data.entries.items():
            records.append(to_record(key, entry, line))
    return records, problems


def to_record(key: str, entry: Any, line: int) -> dict[str, Any]:
    """Map a pybtex entry to schema fields; other fields go to ``extra``."""
    fields = {k.lower(): str(v) for k, v in entry.fields.items()}
    rec: dict[str, Any] = {"_line": line, "ref_type": entry.type, "source_id": key}
    used: set[str] = set()
    for field, names in FIELD_MAP.items():
        for name in names:
            if fields.get(name, "").strip():
                rec[field] = _clean(fields[name])
                used.add(name)
                break
    if "keywords" in rec:
        rec["keywords"] = [k.strip() for k in re.split(r"[;,]", rec["keywords"]) if k.strip()]
    people = entry.persons.get("author", [])
    rec["authors"] = [_person(p) for p in people]
    rec["extra"] = {k: v for k, v in fields.items() if k not in used}
    return rec


def _person(person: Any) -> str:
    family = " ".join(person.prelast_names + person.last_names + person.lineage_names)
    given = " ".join(person.first_names + person.middle_names)
    family, given = _clean(family), _clean(given)
    return f"{family}, {given}" if given else family
