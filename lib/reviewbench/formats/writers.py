"""Write record tables as RIS, BibTeX and CSV that reference managers read back.

Each writer takes a record table in the schema of :mod:`reviewbench.schema` and writes
it atomically. ``ris_text``/``bibtex_text`` return the text without writing, for tests
and notebooks. RIS goes through rispy's writer and BibTeX through pybtex, so quoting and
layout follow those libraries; the tag and field mappings are tables below.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import rispy
from pybtex.database import BibliographyData, Entry, Person

from ..outputs_io import write_csv, write_text
from ..schema import conform, to_csv_frame

# Schema field -> RIS tag, in the order tags are written.
RIS_TAGS: dict[str, str] = {
    "source_id": "ID",
    "title": "TI",
    "authors": "AU",
    "year": "PY",
    "journal": "T2",
    "volume": "VL",
    "issue": "IS",
    "doi": "DO",
    "pmid": "AN",
    "isbn": "SN",
    "url": "UR",
    "abstract": "AB",
    "keywords": "KW",
    "language": "LA",
    "source_db": "DB",
}
# Common reference types written by other formats -> RIS type.
RIS_TYPES: dict[str, str] = {
    "article": "JOUR", "journal article": "JOUR", "journal-article": "JOUR", "article-journal": "JOUR",
    "book": "BOOK", "inbook": "CHAP", "incollection": "CHAP", "chapter": "CHAP", "book section": "CHAP",
    "inproceedings": "CPAPER", "conference": "CPAPER", "proceedings": "CONF", "conference paper": "CPAPER",
    "paper-conference": "CPAPER", "phdthesis": "THES", "mastersthesis": "THES", "thesis": "THES",
    "report": "RPRT", "techreport": "RPRT", "misc": "GEN", "online": "ELEC", "webpage": "ELEC",
    "dataset": "DATA", "review": "JOUR",
    # EndNote's reference type names (EndNote XML and tagged exports) and Web of Science's PT codes
    "electronic article": "EJOUR", "magazine article": "MGZN", "newspaper article": "NEWS", "edited book": "EDBOOK",
    "electronic book": "EBOOK", "conference proceedings": "CONF", "web page": "ELEC", "generic": "GEN",
    "j": "JOUR", "b": "BOOK",
}
RIS_KNOWN_TYPES = {
    "ABST", "ADVS", "AGGR", "ANCIENT", "ART", "BILL", "BLOG", "BOOK", "CASE", "CHAP", "CHART", "CLSWK",
    "COMP", "CONF", "CPAPER", "CTLG", "DATA", "DBASE", "DICT", "EBOOK", "ECHAP", "EDBOOK", "EJOUR",
    "ELEC", "ENCYC", "EQUA", "FIGURE", "GEN", "GOVDOC", "GRANT", "HEAR", "ICOMM", "INPR", "JFULL",
    "JOUR", "LEGAL", "MANSCPT", "MAP", "MGZN", "MPCT", "MULTI", "MUSIC", "NEWS", "PAMP", "PAT", "PCOMM",
    "RPRT", "SER", "SLIDE", "SOUND", "STAND", "STAT", "THES", "UNBILL", "UNPB", "VIDEO",
}
# Schema field -> BibTeX field.
BIBTEX_FIELDS: dict[str, str] = {
    "title": "title",
    "journal": "journal",
    "year": "year",
    "volume": "volume",
    "issue": "number",
    "pages": "pages",
    "doi": "doi",
    "pmid": "pmid",
    "isbn": "isbn",
    "url": "url",
    "abstract": "abstract",
    "keywords": "keywords",
    "language": "language",
}
BIBTEX_TYPES: dict[str, str] = {
    "JOUR": "article", "EJOUR": "article", "MGZN": "article", "NEWS": "article", "journal article": "article",
    "article-journal": "article", "journal-article": "article", "BOOK": "book", "EBOOK": "book",
    "EDBOOK": "book", "CHAP": "incollection", "ECHAP": "incollection", "CONF": "inproceedings",
    "CPAPER": "inproceedings", "paper-conference": "inproceedings", "THES": "phdthesis", "RPRT": "techreport",
    "report": "techreport", "book": "book", "chapter": "incollection",
}
BIBTEX_ENTRY_TYPES = {
    "article", "book", "booklet", "conference", "inbook", "incollection", "inproceedings", "manual",
    "mastersthesis", "misc", "phdthesis", "proceedings", "techreport", "unpublished", "online", "report",
    "thesis", "dataset",
}
_KEY_BAD = re.compile(r"[^A-Za-z0-9_:.\-+/]")


def _text(value: Any) -> str:
    """One-line text of a cell (RIS and BibTeX fields are single lines)."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return re.sub(r"\s+", " ", str(value)).strip()


def _ris_type(ref_type: str) -> str:
    text = ref_type.strip()
    if text.upper() in RIS_KNOWN_TYPES:
        return text.upper()
    return RIS_TYPES.get(text.lower(), "JOUR" if not text else "GEN")


class _RisWriter(rispy.RisWriter):
    """rispy's writer without the ``1.`` numbering line before each record."""

    def set_header(self, count: int) -> str:
        return ""


def _ris_entry(row: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {"TY": _ris_type(_text(row.get("ref_type")))}
    for field, tag in RIS_TAGS.items():
        value = row.get(field)
        if field in ("authors", "keywords"):
            values = [_text(v) for v in (value or []) if _text(v)]
            if values:
                entry[tag] = values
            continue
        text = _text(value)
        if not text:
            continue
        if field == "pmid":
            text = f"PMID:{text}"
        entry[tag] = text
    pages = _text(row.get("pages"))
    if pages:
        start, sep, end = pages.partition("-")
        entry["SP"] = start.strip()
        if sep and end.strip():
            entry["EP"] = end.strip()
    for key, value in (row.get("extra") or {}).items():
        if re.fullmatch(r"[A-Z][A-Z0-9]", str(key)) and key not in entry and key not in ("ER", "TY"):
            values = value if isinstance(value, list) else [value]
            values = [_text(v) for v in values if _text(v)]
            if values:
                entry[key] = values
    return entry


def ris_text(records: pd.DataFrame) -> str:
    """The records as RIS text (``TY`` ... ``ER`` blocks, UTF-8, ``\\n`` line endings)."""
    rows = conform(records).to_dict("records")
    entries = [_ris_entry(row) for row in rows]
    tags = sorted({tag for entry in entries for tag in entry} | {"ER"})
    mapping = {tag: tag.lower() for tag in tags} | {"TY": "type_of_reference"}
    writer = _RisWriter(mapping=mapping, list_tags=[t for t in tags if t != "TY"], delimiter_tags_mapping={})
    # rispy keys entries by lower-case name and expects lists for list tags.
    entries = [
        {mapping[k]: (v if k == "TY" or isinstance(v, list) else [v]) for k, v in e.items()} for e in entries
    ]
    return writer.formats(entries)


def write_ris(records: pd.DataFrame, path: str | Path) -> Path:
    """Write ``records`` as an RIS file that Zotero, EndNote, Rayyan and ASReview import."""
    return write_text(ris_text(records), path)


def _bibtex_escape(text: str) -> str:
    """Text safe for pybtex's writer, which LaTeX-encodes specials itself but refuses stray
    braces, and safe for LaTeX: a backslash is written as ``\\textbackslash{}`` so that no
    command in a record (``\\input{...}``) reaches a document that cites it."""
    return text.replace("{", "").replace("}", "").replace("\\", "\\textbackslash{}")


#: What a URL may not hold unencoded (RFC 3986) that LaTeX or BibTeX would read as
#: markup or as a brace to balance, and ``~`` (which pybtex writes as a LaTeX command):
#: a DOI or URL means the same with these percent-encoded.
_URL_UNSAFE = re.compile(r'[\\{}^~`<>|"\s]')


def _bibtex_url(text: str) -> str:
    """A DOI or URL safe for BibTeX and LaTeX: ``10.1234/a{b`` -> ``10.1234/a%7Bb``, so
    no brace is left unbalanced and no command (``\\input{...}``) reaches a document."""
    return _URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), text)


_AND_WORD = re.compile(r"\b(and)\b", re.IGNORECASE)


def _bibtex_person(name: str) -> str:
    """``Family, Given`` as BibTeX; a name without a comma (a group author) is braced whole.

    A word "and" inside a name is braced, or BibTeX would split the name in two there.
    """
    name = _bibtex_escape(name)
    if "," not in name:
        return "{" + name + "}"
    return _AND_WORD.sub(r"{\1}", name)


def _bibtex_type(ref_type: str) -> str:
    """The BibTeX entry type of a record type in any export's words, by way of its RIS type."""
    text = ref_type.strip()
    if text.lower() in BIBTEX_ENTRY_TYPES:
        return text.lower()
    return BIBTEX_TYPES.get(text, BIBTEX_TYPES.get(_ris_type(text), "misc"))


def _bibtex_key(row: dict[str, Any], used: set[str]) -> str:
    key = _KEY_BAD.sub("", _text(row.get("source_id"))) or _KEY_BAD.sub("", _text(row.get("record_id")))
    key = key or "record"
    base, n = key, 1
    while key.lower() in used:
        n += 1
        key = f"{base}-{n}"
    used.add(key.lower())
    return key


def bibtex_entries(records: pd.DataFrame) -> BibliographyData:
    """The records as pybtex :class:`BibliographyData` (keys from ``source_id`` or ``record_id``)."""
    data = BibliographyData()
    used: set[str] = set()
    for row in conform(records).to_dict("records"):
        fields: dict[str, str] = {}
        for field, name in BIBTEX_FIELDS.items():
            value = row.get(field)
            if field == "keywords":
                text = "; ".join(_text(v) for v in value or [] if _text(v))
            elif field == "year":
                text = "" if value is None or pd.isna(value) else str(int(value))
            else:
                text = _text(value)
            if field == "pages":
                text = text.replace("-", "--")
            if text:
                fields[name] = _bibtex_url(text) if field in ("url", "doi") else _bibtex_escape(text)
        persons = {}
        authors = [_text(a) for a in row.get("authors") or [] if _text(a)]
        if authors:
            persons["author"] = [Person(_bibtex_person(a)) for a in authors]
        key = _bibtex_key(row, used)
        data.add_entry(key, Entry(_bibtex_type(_text(row.get("ref_type"))), fields=fields, persons=persons))
    return data


def bibtex_text(records: pd.DataFrame) -> str:
    """The records as BibTeX text written by pybtex."""
    if records.empty:
        return ""
    return bibtex_entries(records).to_string("bibtex")


def write_bibtex(records: pd.DataFrame, path: str | Path) -> Path:
    """Write ``records`` as a BibTeX file (pybtex's writer; Unicode kept, specials escaped)."""
    return write_text(bibtex_text(records), path)


def write_csv_records(records: pd.DataFrame, path: str | Path) -> Path:
    """Write ``records`` in the record schema as CSV (lists joined with ``"; "``, extra as JSON)."""
    return write_csv(to_csv_frame(conform(records)), path)
