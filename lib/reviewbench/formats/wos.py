"""Web of Science plain text (``FN``/``VR`` header, ``PT`` ... ``ER`` records, ``EF``).

Two-letter tags at the start of a line; continuation lines are indented three spaces
and, for list tags such as ``AU``/``AF``/``CR``, each holds a new value. Old (ISI
Export Format 1.0) and new (Clarivate) tag sets are both read; unknown tags are kept in
``extra``.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import SKIPPED, Problem
from .tagged import TaggedRecord, TaggedSyntax, extra_tags, map_fields, split_records

SYNTAX = TaggedSyntax(
    name="wos",
    tag_line=re.compile(r"([A-Z][A-Z0-9])(?: (.*))?$"),
    tag_start=re.compile(r"[A-Z][A-Z0-9](?: |$)"),
    start_tags=frozenset({"PT"}),
    end_tags=frozenset({"ER"}),
    file_tags=frozenset({"FN", "VR", "EF"}),
    list_continuation=frozenset({"AU", "AF", "BA", "BF", "CA", "GP", "ED", "BE", "CR", "C1", "C3"}),
)
FIELD_MAP: dict[str, tuple[str, ...]] = {
    "title": ("TI",),
    "abstract": ("AB",),
    "authors": ("AF", "AU", "BF", "BA", "CA", "GP"),
    "year": ("PY", "EA", "PD"),
    "journal": ("SO", "SE", "BS", "J9", "JI"),
    "volume": ("VL",),
    "issue": ("IS",),
    "doi": ("DI", "D2"),
    "pmid": ("PM",),
    "isbn": ("BN", "SN", "EI"),
    "keywords": ("DE", "ID"),
    "language": ("LA",),
    "ref_type": ("DT", "PT"),
}


def looks_like(text: str) -> bool:
    """True when the text has ``PT J``-style record starts, WoS field tags and ``ER`` lines."""
    head = text[:50000]
    return (
        bool(re.search(r"^PT [A-Z]\w*\s*$", head, re.M))
        and bool(re.search(r"^(TI|AU|SO|UT) \S", head, re.M))
        and bool(re.search(r"^ER\s*$", text, re.M))
    )


def parse(text: str, path: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Raw records and problems from Web of Science plain text."""

    def convert(record: TaggedRecord) -> dict[str, Any] | Problem | None:
        if not any(t in record.tags for t in ("TI", "AU", "AF", "UT")):
            return Problem(path, record.line, "record skipped: no title, author or UT", kind=SKIPPED)
        return to_record(record)

    return split_records(text, SYNTAX, path, convert)


def to_record(record: TaggedRecord) -> dict[str, Any]:
    """Map WoS tags to schema fields; other tags (UT, CR, C1, TC, ...) go to ``extra``."""
    rec, used = map_fields(record, FIELD_MAP)
    rec["_line"] = record.line
    rec["source_db"] = "Web of Science"
    if "keywords" in rec:
        rec["keywords"] = [k for v in rec["keywords"] for k in re.split(r";\s*", v) if k.strip()]
    start, end = record.first("BP"), record.first("EP")
    rec["pages"] = f"{start}-{end}" if start and end and start != end else (start or end or record.first("AR"))
    used |= {"BP", "EP"} | ({"AR"} if not (start or end) and record.first("AR") else set())
    rec["extra"] = extra_tags(record, used)
    return rec
