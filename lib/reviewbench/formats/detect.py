"""Detect an export's format from its content; the file extension is only a tie-break."""

from __future__ import annotations

from pathlib import Path

from . import bibtex, csl_json, endnote_xml, medline, ovid, proquest, ris, table, wos

# Most specific signatures first.
DETECTORS = (
    ("csl_json", csl_json.looks_like),
    ("endnote_xml", endnote_xml.looks_like),
    ("medline", medline.looks_like),
    ("wos", wos.looks_like),
    ("ris", ris.looks_like),
    ("ovid", ovid.looks_like),
    ("proquest", proquest.looks_like),
    ("bibtex", bibtex.looks_like),
    ("table", table.looks_like),
)
EXTENSION_HINTS = {
    ".ris": "ris", ".nbib": "medline", ".medline": "medline", ".bib": "bibtex", ".bibtex": "bibtex",
    ".csv": "table", ".tsv": "table", ".tab": "table", ".isi": "wos", ".ciw": "wos", ".ovd": "ovid",
    ".xml": "endnote_xml", ".json": "csl_json",
}
FORMAT_NAMES = {
    "ris": "RIS", "medline": "MEDLINE", "wos": "WoS text", "ovid": "Ovid", "proquest": "ProQuest",
    "bibtex": "BibTeX", "table": "CSV/TSV", "xlsx": "XLSX", "endnote_xml": "EndNote XML", "csl_json": "CSL-JSON",
}
EXPECTED = (
    "RIS (TY  - ...), BibTeX (@article{...), PubMed/MEDLINE (PMID- ...), Web of Science (PT J ... ER), "
    "Ovid (<1. > ...), EndNote XML, CSL-JSON, a ProQuest report, or a CSV/TSV/XLSX table with a title column"
)


def detect_format(text: str, path: str | Path) -> str | None:
    """Name of the parser for ``text`` (``"ris"``, ``"bibtex"``, ...), or ``None``."""
    hint = EXTENSION_HINTS.get(Path(path).suffix.lower())
    matches = []
    for name, looks_like in DETECTORS:
        if looks_like(text):
            if name == hint:
                return name
            matches.append(name)
    return matches[0] if matches else None
