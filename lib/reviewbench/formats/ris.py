"""RIS in every dialect (Scopus, Web of Science, Ovid, EBSCOhost, ProQuest, EndNote, Zotero,
Mendeley, Rayyan, Lens, Dimensions, IEEE, PLOS).

Records run from ``TY  -`` to ``ER  -``; values may continue on untagged lines; record
number lines (Ovid's ``1.``) and headers before the first record are skipped; a record
without its ``ER`` line is closed by the next ``TY`` and reported. Every tag is kept:
:data:`FIELD_MAP` names the schema fields, the rest go to ``extra``. Writing RIS lives
in :mod:`.writers` (rispy).
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import SKIPPED, Problem
from .tagged import TaggedRecord, TaggedSyntax, doi_only, extra_tags, map_fields, pmid_in_tags, split_records

SYNTAX = TaggedSyntax(
    name="ris",
    tag_line=re.compile(r"([A-Z][A-Z0-9]) {1,2}-(?: (.*)|[ \t]*$)"),
    tag_start=re.compile(r"[A-Z][A-Z0-9] {1,2}-(?: |[ \t]*$)"),
    start_tags=frozenset({"TY"}),
    end_tags=frozenset({"ER"}),
    ignore_line=re.compile(r"\s*(\d+\.?|<\d+\.?\s*>|Provider:.*|Database:.*|Content:.*|Record #\d+ of \d+|Link to the Ovid Full Text or citation:.*)\s*$"),
    plain_layout="",
)
# Schema field -> RIS tags in priority order (first acceptable value wins; lists collect all).
FIELD_MAP: dict[str, tuple[str, ...]] = {
    "ref_type": ("TY",),
    "title": ("TI", "T1", "CT", "BT"),
    "abstract": ("AB", "N2"),
    "authors": ("AU", "A1"),
    "year": ("PY", "Y1", "DA", "Y2"),
    "journal": ("T2", "JO", "JF", "JA", "J2", "J1", "T3", "BT"),
    "volume": ("VL", "VO"),
    "issue": ("IS", "CP", "M1"),
    "doi": ("DO", "DI", "M3", "UR", "L3", "N1"),
    "isbn": ("SN",),
    "url": ("UR", "L2", "L1"),
    "keywords": ("KW",),
    "language": ("LA",),
    "source_id": ("ID",),
    "source_db": ("DB", "DP"),
}


def looks_like(text: str) -> bool:
    """True when the text has RIS ``TY  -`` and ``ER  -`` lines."""
    head = text[:50000]
    return bool(re.search(r"^TY {1,2}-", head, re.M)) and bool(re.search(r"^ER {1,2}-", text, re.M))


def parse(text: str, path: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Raw records (schema keys plus ``extra``) and the problems met, from RIS text."""

    def convert(record: TaggedRecord) -> dict[str, Any] | Problem | None:
        if len(record.tags) <= 1 and not record.first("TI", "T1", "AU", "A1"):
            return Problem(path, record.line, "record skipped: no fields after TY", kind=SKIPPED)
        return to_record(record)

    return split_records(text, SYNTAX, path, convert)


def to_record(record: TaggedRecord) -> dict[str, Any]:
    """Map one record's tags to schema fields; unmapped tags go to ``extra``."""
    rec, used = map_fields(record, FIELD_MAP)
    rec["_line"] = record.line
    if rec.get("doi"):
        rec["doi"] = doi_only(rec["doi"])  # a DOI found inside a note or URL: only the DOI itself
    start, end = record.first("SP"), record.first("EP")
    rec["pages"] = f"{start}-{end}" if start and end and start != end and "-" not in start else (start or end)
    used |= {"SP", "EP"}
    pmid = _find_pmid(record, rec.get("source_db", ""))
    if pmid:
        rec["pmid"], tag = pmid
        used.add(tag)
    rec["extra"] = extra_tags(record, used)
    return rec


def _find_pmid(record: TaggedRecord, source_db: str) -> tuple[str, str] | None:
    """A PubMed id: ``PMID: n`` in AN/C1-C8/M1/N1, or a bare AN number from a MEDLINE/PubMed database."""
    return pmid_in_tags(record, ("AN", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "M1", "U1", "U2"), "AN", source_db)
