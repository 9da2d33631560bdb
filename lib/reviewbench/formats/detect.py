"""Detect an export's format from its content; the file extension is only a tie-break."""

from __future__ import annotations

from pathlib import Path

from . import bibtex, medline, ris, table

# Order matters: the most specific signatures first.
DETECTORS = (
    ("medline", medline.looks_like),
    ("ris", ris.looks_like),
    ("bibtex", bibtex.looks_like),
    ("table", table.looks_like),
)
EXTENSION_HINTS = {
    ".ris": "ris", ".nbib": "medline", ".bib": "bibtex", ".csv": "table", ".tsv": "table", ".txt": None,
}


def detect_format(text: str, path: str | Path) -> str | None:
    """Name of the parser for ``text`` (``"ris"``, ``"bibtex"``, ...), or ``None``."""
    matches = [name for name, looks_like in DETECTORS if looks_like(text)]
    if not matches:
        return None
    hint = EXTENSION_HINTS.get(Path(path).suffix.lower())
    return hint if hint in matches else matches[0]
