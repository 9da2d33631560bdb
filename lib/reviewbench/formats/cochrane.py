"""Cochrane Library plain-text exports (CENTRAL trials, CDSR reviews and protocols).

Records begin with a ``Record #n of N`` line, then ``TAG: value`` lines (``ID: CN-01234567``,
``AU: Surname Initials`` once per author, ``TI:``, ``SO:``, ``YR:`` ...). Lines before the
first record (a ``Cochrane Library`` / ``Trials`` / date header) are not part of any
record and are skipped; a line inside a record that is neither a tag line nor the
continuation of one is reported with its line number. Every tag not named in
:data:`FIELD_MAP` is kept in ``extra``; cross-references (``XR: EMBASE 612345678``) stay
there unless they give the PubMed id.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import SKIPPED, WARNING, Problem
from .tagged import TaggedRecord, TaggedSyntax, extra_tags, map_fields, spare_values, split_keywords, split_records

_MARKER = r"[ \t]*Record #(\d+) of (\d+)[ \t]*"
SYNTAX = TaggedSyntax(
    name="cochrane",
    # Two-character tags, and the longer ones Cochrane writes; the colon is followed by a space.
    tag_line=re.compile(r"(DOI|ISSN|ISBN|[A-Z][A-Z0-9]):(?: (.*)|[ \t]*$)"),
    tag_start=re.compile(r"(?:DOI|ISSN|ISBN|[A-Z][A-Z0-9]):(?: |[ \t]*$)"),
    marker_line=re.compile(r"\s*Record #\d+ of \d+\s*$"),
)
#: What each tag holds, as the Cochrane Library exports them.
TAG_NAMES: dict[str, str] = {
    "ID": "Cochrane record id (CN- trials, CD reviews)", "AU": "Author", "TI": "Title", "SO": "Source (journal)",
    "YR": "Year", "VL": "Volume", "NO": "Issue number", "PG": "Pages", "XR": "Cross-reference to another database",
    "PT": "Publication type", "KY": "Keywords", "MH": "MeSH heading", "DOI": "DOI", "US": "URL", "AB": "Abstract",
    "PM": "PubMed id", "CC": "Cochrane review group code", "IS": "ISSN", "PB": "Publisher", "LA": "Language",
    "EM": "Embase accession",
}
# Schema field -> tags in priority order.
FIELD_MAP: dict[str, tuple[str, ...]] = {
    "source_id": ("ID",),
    "title": ("TI",),
    "abstract": ("AB",),
    "authors": ("AU",),
    "year": ("YR",),
    "journal": ("SO",),
    "volume": ("VL",),
    "issue": ("NO",),
    "pages": ("PG",),
    "doi": ("DOI",),
    "isbn": ("IS", "ISSN", "ISBN"),
    "url": ("US",),
    "keywords": ("KY", "MH"),
    "language": ("LA",),
    "ref_type": ("PT",),
}
_SINGLE = tuple(f for f in FIELD_MAP if f not in ("authors", "keywords"))
_SERIAL = re.compile(r"^[\dXx][\dXx -]{6,16}$")  # an ISSN or ISBN, not an issue number
ACCEPT = {
    "year": lambda v: re.search(r"\d{4}", v) is not None,
    "doi": lambda v: "10." in v,
    "isbn": lambda v: _SERIAL.match(v.strip()) is not None and sum(c.isdigit() for c in v) >= 7,
}
_PUBMED = re.compile(r"^\s*(?:PUBMED|PMID|MEDLINE)?\s*:?\s*(\d{1,9})\s*$", re.I)
_PUBMED_XR = re.compile(r"^\s*(?:PUBMED|PMID|MEDLINE)\s*:?\s*(\d{1,9})\s*$", re.I)
_RECORD_TAGS = frozenset({"ID", "TI", "AU"})
_DATABASES = (("CN-", "Cochrane CENTRAL"), ("CD", "Cochrane Database of Systematic Reviews"))


def looks_like(text: str) -> bool:
    """True when the text has ``Record #n of N`` lines followed by Cochrane ``ID:``/``TI:`` tags."""
    head = text[:50000]
    return (
        bool(re.search(r"^\s*Record #\d+ of \d+\s*$", head, re.M))
        and bool(re.search(r"^ID: \S", head, re.M))
        and bool(re.search(r"^(TI|AU|SO|YR): ", head, re.M))
    )


def parse(text: str, path: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Raw records and problems from a Cochrane Library plain-text export."""
    markers = list(re.finditer(rf"^{_MARKER}$", text, re.M))
    header = text[: markers[0].start()] if markers else ""
    if header and not any(SYNTAX.tag_line.match(line) for line in header.split("\n")):
        # The header before the first record (database name, dates) is not part of any
        # record: left out, with its line breaks kept so that line numbers stay true. A
        # header with tag lines is a record without its "Record #" line: read as such.
        text = "\n" * header.count("\n") + text[len(header):]

    def convert(record: TaggedRecord) -> dict[str, Any] | Problem | None:
        if not record.tags:
            return None
        if _RECORD_TAGS.isdisjoint(record.tags):
            tags = ", ".join(f"{t} ({TAG_NAMES.get(t, 'unknown tag')})" for t in record.tags)
            return Problem(path, record.line, f"record skipped: no ID, TI or AU line (only {tags})", kind=SKIPPED)
        return to_record(record)

    records, problems = split_records(text, SYNTAX, path, convert)
    announced = {int(m.group(2)) for m in markers}
    if len(announced) == 1 and (total := announced.pop()) > len(markers):
        # "Record #n of N" says how many records were exported: fewer means a cut-off file.
        problems.append(Problem(path, text.count("\n", 0, markers[-1].start()) + 1,
                                f"the export announces {total} records but holds {len(markers)} (the file may be cut off); "
                                "read what was there", kind=WARNING))
    return records, problems


def to_record(record: TaggedRecord) -> dict[str, Any]:
    """Map Cochrane tags to schema fields; other tags (XR, CC, PB, ...) go to ``extra``."""
    rec, used = map_fields(record, FIELD_MAP, ACCEPT)
    spare = spare_values(record, rec, FIELD_MAP, _SINGLE, used)
    rec["_line"] = record.line
    if "keywords" in rec:
        rec["keywords"] = split_keywords(rec["keywords"])
    source_id = rec.get("source_id", "")
    rec["source_db"] = next((name for prefix, name in _DATABASES if source_id.startswith(prefix)), "Cochrane Library")
    pmid = _find_pmid(record)
    if pmid:
        rec["pmid"], tag, value = pmid
        if len(record.tags[tag]) == 1:
            used.add(tag)
        else:
            spare[tag] = [v for v in record.tags[tag] if v and v != value]
    rec["extra"] = extra_tags(record, used) | spare
    return rec


def _find_pmid(record: TaggedRecord) -> tuple[str, str, str] | None:
    """The PubMed id, tag and value: ``PM: PUBMED 22222222`` (or a bare number), else a
    ``XR: PUBMED n`` cross-reference."""
    for tag, pattern in (("PM", _PUBMED), ("XR", _PUBMED_XR)):
        for value in record.tags.get(tag, ()):
            match = pattern.match(value)
            if match:
                return match.group(1), tag, value
    return None
