"""PubMed/MEDLINE tagged text (``.nbib``, ``.txt``): ``TAG - value`` lines with
six-space continuation lines, records starting at ``PMID-`` and separated by blank lines.

Files without a final newline or blank line, and stray untagged lines (joined to the
field above), are read; see :mod:`.tagged` for the shared line reader. MEDLINE has no
end-of-record tag, but PubMed writes the citation (``SO``) last in every record: a last
record without it, in a file whose other records have it, is reported as cut off (a
download or copy that did not finish) and read as far as it goes.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import SKIPPED, WARNING, Problem
from .tagged import TaggedRecord, TaggedSyntax, extra_tags, map_fields, split_records

SYNTAX = TaggedSyntax(
    name="medline",
    tag_line=re.compile(r"([A-Z][A-Z0-9]{1,3}) {0,3}- ?(.*)$"),
    tag_start=re.compile(r"[A-Z][A-Z0-9]{1,3} {0,3}-"),
    start_tags=frozenset({"PMID"}),
    blank_ends_record=True,
    plain_layout="      ",
)
# Schema field -> MEDLINE tags in priority order.
FIELD_MAP: dict[str, tuple[str, ...]] = {
    "title": ("TI", "BTI", "CTI"),
    "abstract": ("AB",),
    "authors": ("FAU", "AU", "FED", "ED", "CN"),
    "journal": ("JT", "TA"),
    "volume": ("VI",),
    "issue": ("IP",),
    "pages": ("PG",),
    "pmid": ("PMID",),
    "isbn": ("ISBN", "IS"),
    "language": ("LA",),
    "year": ("DP", "DEP", "EDAT", "CRDT"),
    "keywords": ("OT", "MH"),
}
# A record needs at least one of these (else its lines are reported, not read).
_RECORD_TAGS = frozenset({"TI", "PMID", "AU", "FAU", "BTI"})
#: The tag PubMed writes last in every record (the citation).
LAST_TAG = "SO"


def looks_like(text: str) -> bool:
    """True when the text has a ``PMID-`` line and other MEDLINE tags."""
    head = text[:50000]
    return bool(re.search(r"^PMID ?- ?\d", head, re.M)) and bool(re.search(r"^(TI|AU|FAU|AB|DP) {0,3}- ", head, re.M))


def parse(text: str, path: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Raw records and problems from MEDLINE text."""

    last: list[TaggedRecord] = []  # the latest record read
    ended = 0  # records with their LAST_TAG

    def convert(record: TaggedRecord) -> dict[str, Any] | Problem | None:
        nonlocal ended
        if _RECORD_TAGS.isdisjoint(record.tags):
            return Problem(path, record.line, "lines skipped: not a MEDLINE record (no PMID, TI or AU tag)", kind=SKIPPED)
        last[:] = [record]
        ended += LAST_TAG in record.tags
        return to_record(record)

    records, problems = split_records(text, SYNTAX, path, convert)
    if last and LAST_TAG not in last[0].tags and ended:
        problems.append(Problem(path, last[0].line, f"the last record stops before its {LAST_TAG} line (the file may be cut off: "
                                "a download or copy that did not finish); read what was there", kind=WARNING))
    return records, problems


def to_record(record: TaggedRecord) -> dict[str, Any]:
    """Map MEDLINE tags to schema fields; unmapped tags go to ``extra``."""
    rec, used = map_fields(record, FIELD_MAP)
    rec["_line"] = record.line
    rec["source_db"] = "MEDLINE"
    if "CN" in used and len(used & {"FAU", "AU"}) == 0:
        rec["_authors_done"] = True  # group authors stay whole
    for tag in ("AID", "LID"):
        for value in record.tags.get(tag, ()):
            if value.endswith("[doi]"):
                rec.setdefault("doi", value[: -len("[doi]")].strip())
                used.add(tag)
    rec["ref_type"] = "; ".join(record.tags.get("PT", []))
    used.add("PT")
    if "FAU" in used:
        used.add("AU")  # the same authors, abbreviated: not worth keeping twice
    if "FED" in used:
        used.add("ED")
    rec["extra"] = extra_tags(record, used)
    return rec
