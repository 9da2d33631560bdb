"""CSV and TSV exports (Scopus, Web of Science, Embase, Rayyan, Covidence, ASReview, ...).

Column names are matched case-insensitively against :data:`COLUMN_SYNONYMS`; any
other column is kept in ``extra`` (label columns included).
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from ..errors import InputFileError, Problem

COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "source_id": ("id", "record_id", "recordid", "record id", "key", "covidence #", "rayyan id"),
    "title": ("title", "article title", "document title", "primary title", "ti"),
    "abstract": ("abstract", "ab", "abstract note", "abstractnote"),
    "authors": ("author", "authors", "author(s)", "author full names", "au", "author names"),
    "year": ("year", "publication year", "py", "pubyear", "date", "publication date"),
    "journal": ("journal", "source title", "secondary title", "journal/book", "publication title", "source", "so", "journal title"),
    "volume": ("volume", "vl"),
    "issue": ("issue", "number", "is"),
    "pages": ("pages", "page", "page range", "pg"),
    "doi": ("doi", "di"),
    "pmid": ("pmid", "pubmed id", "pubmedid", "pubmed_id"),
    "isbn": ("isbn", "issn", "sn"),
    "url": ("url", "link", "urls"),
    "keywords": ("keywords", "author keywords", "kw", "de"),
    "language": ("language", "language of original document", "la"),
    "ref_type": ("type", "document type", "ref_type", "item type", "pt"),
    "source_db": ("database", "source_db", "db"),
}
_LOOKUP = {syn: field for field, syns in COLUMN_SYNONYMS.items() for syn in syns}


def looks_like(text: str) -> bool:
    """True when the first line is a delimited header naming a title column."""
    first = text.split("\n", 1)[0].lower()
    return ("," in first or "\t" in first or ";" in first) and "title" in first


def parse(text: str, path: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Raw records and problems from a delimited export; ragged rows are reported."""
    first = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise InputFileError(path, "the table has no header row", line=1, expected="column names such as title, authors, year")
    names = [h.strip().lower() for h in header]
    mapped = [_LOOKUP.get(n) for n in names]
    if "title" not in mapped:
        raise InputFileError(path, "no title column", line=1, expected="a column named title, Article Title, Document Title or similar")
    records, problems = [], []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(Problem(path, line, f"row has {len(row)} fields, header has {len(header)}; read what matched"))
        rec: dict[str, Any] = {"_line": line, "extra": {}}
        for name, field, value in zip(header, mapped, row):
            value = value.strip()
            if not value:
                continue
            if field and field not in rec:
                rec[field] = value
            else:
                rec["extra"][name] = value
        for field in ("authors", "keywords"):
            if field in rec:
                rec[field] = [p.strip() for p in re.split(r";|\|", rec[field]) if p.strip()]
        records.append(rec)
    return records, problems
