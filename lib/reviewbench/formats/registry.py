"""The supported export formats, each declared once, and detection from content.

A :class:`Format` is a name (as in import reports), a label for people, the file
extensions that hint at it, a test of the content (``looks_like``) and the parser. The
order of :data:`FORMATS` is the order of detection, most specific signature first; the
extension only breaks a tie between formats whose content matches. A binary format
(XLSX) is tested on the file's bytes, every other one on the decoded text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..errors import Problem
from . import bibtex, cochrane, csl_json, endnote_xml, medline, ovid, proquest, refer, ris, table, wos

ParseResult = tuple[list[dict[str, Any]], list[Problem]]


@dataclass(frozen=True)
class Format:
    """One export format: how to recognise it and how to read it.

    ``looks_like(content)`` and ``parse(content, path)`` take the decoded text, or the
    file's bytes for a ``binary`` format; ``parse`` returns raw records and the problems
    met. ``shape`` says what the content looks like, for the message of a file that is
    none of the formats.
    """

    name: str
    label: str
    extensions: tuple[str, ...]
    looks_like: Callable[[Any], bool]
    parse: Callable[[Any, str], ParseResult]
    shape: str
    binary: bool = False


_ZIP = b"PK\x03\x04"

FORMATS: tuple[Format, ...] = (
    Format("csl_json", "CSL-JSON", (".json",), csl_json.looks_like, csl_json.parse, "CSL-JSON"),
    Format("endnote_xml", "EndNote XML", (".xml",), endnote_xml.looks_like, endnote_xml.parse, "EndNote XML"),
    Format("medline", "MEDLINE", (".nbib", ".medline"), medline.looks_like, medline.parse, "PubMed/MEDLINE (PMID- ...)"),
    Format("wos", "WoS text", (".isi", ".ciw"), wos.looks_like, wos.parse, "Web of Science (PT J ... ER)"),
    Format("ris", "RIS", (".ris",), ris.looks_like, ris.parse, "RIS (TY  - ...)"),
    Format("ovid", "Ovid", (".ovd",), ovid.looks_like, ovid.parse, "Ovid (<1. > ...)"),
    Format("cochrane", "Cochrane", (), cochrane.looks_like, cochrane.parse, "Cochrane Library plain text (Record #1 of N, ID: ...)"),
    Format("refer", "EndNote ENW", (".enw",), refer.looks_like, refer.parse, "EndNote tagged/refer (%0 ... %T ...)"),
    Format("proquest", "ProQuest", (), proquest.looks_like, proquest.parse, "a ProQuest report"),
    Format("bibtex", "BibTeX", (".bib", ".bibtex"), bibtex.looks_like, bibtex.parse, "BibTeX (@article{...)"),
    Format("table", "CSV/TSV", (".csv", ".tsv", ".tab"), table.looks_like, table.parse, "a CSV/TSV table with a title column"),
    Format("xlsx", "XLSX", (".xlsx",), lambda data: data.startswith(_ZIP), table.parse_xlsx, "an XLSX workbook with a title column", binary=True),
)
BY_NAME: dict[str, Format] = {f.name: f for f in FORMATS}
#: What a file that matches no format was expected to be.
EXPECTED = ", ".join(f.shape for f in FORMATS[:-1]) + f", or {FORMATS[-1].shape}"


def label(name: str) -> str:
    """The label of the format called ``name`` (the name itself when unknown)."""
    fmt = BY_NAME.get(name)
    return fmt.label if fmt is not None else name


def binary_format(data: bytes, name: str | None = None) -> Format | None:
    """The binary format named ``name``, or whose signature ``data`` has (else ``None``)."""
    named = BY_NAME.get(name) if name else None
    if named is not None and named.binary:
        return named
    return next((f for f in FORMATS if f.binary and f.looks_like(data)), None)


def detect_format(text: str, path: str | Path) -> str | None:
    """Name of the text format of ``text`` (``"ris"``, ``"bibtex"``, ...), or ``None``.

    The first format whose content test matches wins, unless the file's extension names
    another that matches too.
    """
    suffix = Path(path).suffix.lower()
    matches = []
    for fmt in FORMATS:
        if fmt.binary or not fmt.looks_like(text):
            continue
        if suffix in fmt.extensions:
            return fmt.name
        matches.append(fmt.name)
    return matches[0] if matches else None
