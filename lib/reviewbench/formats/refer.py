"""EndNote tagged / refer text (``.enw``, ``.txt``): what EndNote's "EndNote Export" and
"Refer/BibIX" styles, Google Scholar's "EndNote" link and many publishers' sites write.

Each line starts with a ``%`` tag of one character and a space (``%0 Journal Article``,
``%A Smith, Jane``); a record starts at ``%0`` or after a blank line, and lines without
a tag continue the tag above (long abstracts, keywords one per line). Authors are one
``%A`` line each. The tags are EndNote's (which extend the older refer set); every tag
not named in :data:`FIELD_MAP` is kept in ``extra`` under its tag.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import SKIPPED, Problem
from .tagged import (
    TaggedRecord, TaggedSyntax, doi_only, extra_tags, map_fields, pmid_in_tags, spare_values, split_keywords, split_records,
)

# The one-character tags EndNote writes (letters, digits and these marks).
_TAG_CHARS = r"A-Z0-9!@#$&()*+^<>\[\]=~?|"
SYNTAX = TaggedSyntax(
    name="refer",
    tag_line=re.compile(rf"%([{_TAG_CHARS}])(?: (.*)|[ \t]*$)"),
    tag_start=re.compile(rf"%[{_TAG_CHARS}](?: |[ \t]*$)"),
    start_tags=frozenset({"0"}),
    blank_ends_record=True,
    list_continuation=frozenset({"K"}),
)
#: What each EndNote tag holds (the reference-type-neutral names of EndNote's manual).
TAG_NAMES: dict[str, str] = {
    "0": "Reference Type", "A": "Author", "B": "Secondary Title", "C": "Place Published", "D": "Year",
    "E": "Editor / Secondary Author", "F": "Label", "G": "Language", "H": "Translated Author",
    "I": "Publisher", "J": "Journal", "K": "Keywords", "L": "Call Number", "M": "Accession Number",
    "N": "Number (Issue)", "P": "Pages", "Q": "Translated Title", "R": "DOI (Electronic Resource Number)",
    "S": "Tertiary Title", "T": "Title", "U": "URL", "V": "Volume", "W": "Database Provider",
    "X": "Abstract", "Y": "Tertiary Author", "Z": "Notes", "1": "Custom 1", "2": "Custom 2",
    "3": "Custom 3", "4": "Custom 4", "6": "Number of Volumes", "7": "Edition", "8": "Date",
    "9": "Type of Work", "?": "Subsidiary Author", "@": "ISBN/ISSN", "!": "Short Title",
    "#": "Custom 5", "$": "Custom 6", "]": "Custom 7", "&": "Section", "(": "Original Publication",
    ")": "Reprint Edition", "*": "Reviewed Item", "+": "Author Address", "^": "Caption",
    ">": "File Attachments", "<": "Research Notes", "[": "Access Date", "=": "Last Modified Date",
    "~": "Name of Database",
}
# Schema field -> tags in priority order (first acceptable value wins; lists collect all).
FIELD_MAP: dict[str, tuple[str, ...]] = {
    "ref_type": ("0",),
    "title": ("T", "!"),
    "abstract": ("X",),
    "authors": ("A", "E", "Y", "?"),
    "year": ("D", "8"),
    "journal": ("J", "B"),
    "volume": ("V",),
    "issue": ("N",),
    "pages": ("P",),
    "doi": ("R",),
    "isbn": ("@",),
    "url": ("U",),
    "keywords": ("K",),
    "language": ("G",),
    "source_db": ("~", "W"),
}
_SINGLE = tuple(f for f in FIELD_MAP if f not in ("authors", "keywords"))
_PUBMED_URL = re.compile(r"(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/)(\d{1,9})\b")
# A record is read when it has one of these; else its lines are reported.
_RECORD_TAGS = frozenset({"T", "A", "J", "B", "X"})


def looks_like(text: str) -> bool:
    """True when lines start with EndNote tags: a ``%0`` type line, or ``%A`` and ``%T`` lines."""
    head = text[:50000]
    if re.search(r"^%0 \S", head, re.M):
        return bool(re.search(r"^%[TAJDX] \S", head, re.M))
    return bool(re.search(r"^%A \S", head, re.M)) and bool(re.search(r"^%T \S", head, re.M))


def parse(text: str, path: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Raw records (schema keys plus ``extra``) and the problems met, from EndNote tagged text."""

    def convert(record: TaggedRecord) -> dict[str, Any] | Problem | None:
        if _RECORD_TAGS.isdisjoint(record.tags):
            tags = ", ".join(f"%{t} ({TAG_NAMES.get(t, 'unknown tag')})" for t in record.tags)
            return Problem(path, record.line, f"record skipped: no title, author, journal or abstract (only {tags})", kind=SKIPPED)
        return to_record(record)

    return split_records(text, SYNTAX, path, convert)


def to_record(record: TaggedRecord) -> dict[str, Any]:
    """Map one record's tags to schema fields; unmapped tags (and values beyond the one a
    single field takes, such as a second URL) go to ``extra``."""
    rec, used = map_fields(record, FIELD_MAP)
    spare = spare_values(record, rec, FIELD_MAP, _SINGLE, used)
    rec["_line"] = record.line
    if "keywords" in rec:
        rec["keywords"] = split_keywords(rec["keywords"])
    if rec.get("doi"):
        rec["doi"] = doi_only(rec["doi"])  # a DOI found inside a longer value: only the DOI itself
    pmid = _find_pmid(record, rec.get("source_db", ""))
    if pmid:
        rec["pmid"], tag = pmid
        if tag is not None:
            used.add(tag)
    rec["extra"] = extra_tags(record, used) | spare
    return rec


def _find_pmid(record: TaggedRecord, source_db: str) -> tuple[str, str | None] | None:
    """A PubMed id and the tag it used up: ``PMID: n`` in an accession, custom or notes
    field, a bare accession number from a MEDLINE/PubMed database, or a PubMed link (the
    link stays the URL: no tag used up)."""
    found = pmid_in_tags(record, ("M", "1", "2", "3", "4", "Z"), "M", source_db)
    if found:
        return found
    for value in record.tags.get("U", ()):
        match = _PUBMED_URL.search(value)
        if match:
            return match.group(1), None
    return None
