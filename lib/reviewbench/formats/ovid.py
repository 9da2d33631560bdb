"""Ovid tagged output (Embase, MEDLINE, PsycINFO via Ovid: ``<1. >`` then ``TI  - ...`` lines).

Records start at an Ovid record-number line (``<1. >``, ``<2>``); fields are ``XX  -``
lines whose values continue on lines indented six spaces. There is no end tag. The
source string ``SO`` carries journal, volume and pages when ``JN``/``VO``/``PG`` are absent.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import SKIPPED, Problem
from .tagged import MEDLINE_DB, TaggedRecord, TaggedSyntax, extra_tags, map_fields, split_records

SYNTAX = TaggedSyntax(
    name="ovid",
    tag_line=re.compile(r"([A-Z][A-Z0-9]) {1,2}- ?(.*)$"),
    tag_start=re.compile(r"[A-Z][A-Z0-9] {1,2}-"),
    marker_line=re.compile(r"\s*<\s*\d+\s*\.?\s*>\s*$"),
)
FIELD_MAP: dict[str, tuple[str, ...]] = {
    "title": ("TI", "BT"),
    "abstract": ("AB",),
    "authors": ("FA", "AU", "AI", "ED"),
    "year": ("YR", "PY", "DP", "YE", "EP"),
    "journal": ("JN", "JT", "JA", "TA"),
    "volume": ("VO", "VI"),
    "issue": ("IP", "NO"),
    "pages": ("PG",),
    "doi": ("DO", "DI", "AI"),
    "isbn": ("IS", "IB", "SN"),
    "url": ("UR", "XL"),
    "keywords": ("KW", "MH", "ID", "OT"),
    "language": ("LG", "LA"),
    "ref_type": ("PT", "ST"),
    "source_db": ("DB",),
}


def looks_like(text: str) -> bool:
    """True when the text has Ovid record-number lines and ``XX  -`` tags."""
    head = text[:50000]
    return bool(SYNTAX.marker_line and re.search(r"^\s*<\s*\d+\s*\.?\s*>\s*$", head, re.M)) and bool(
        re.search(r"^(TI|AU|UI|DB|SO) {1,2}- ", head, re.M)
    )


def parse(text: str, path: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Raw records and problems from Ovid tagged text."""

    def convert(record: TaggedRecord) -> dict[str, Any] | Problem | None:
        if not record.tags:
            return None
        if not any(t in record.tags for t in ("TI", "AU", "UI", "SO")):
            return Problem(path, record.line, "record skipped: no title, author, UI or source", kind=SKIPPED)
        return to_record(record)

    return split_records(text, SYNTAX, path, convert)


def to_record(record: TaggedRecord) -> dict[str, Any]:
    """Map Ovid tags to schema fields; other tags go to ``extra``."""
    rec, used = map_fields(record, FIELD_MAP)
    rec["_line"] = record.line
    source = record.first("SO")
    if source and not rec.get("journal"):
        rec["journal"] = source.split(". ", 1)[0].strip()
    if MEDLINE_DB.search(rec.get("source_db", "")) and record.first("UI").isdigit():
        rec["pmid"] = record.first("UI")
        used.add("UI")
    rec["extra"] = extra_tags(record, used)
    return rec
