"""Read search exports into the record schema, and write records back out.

``read_files(paths)`` is the one entry point for reading: each file is decoded
(:mod:`.encoding`), its format detected from content (:mod:`.registry`, where each
format is declared once), parsed by the format's module into raw field dicts,
normalised (:mod:`.normalise`), given stable ids and conformed to
:data:`reviewbench.schema.RECORD_COLUMNS`. Problems inside a file are
collected in the :class:`ImportReport`; a file that cannot be read at all raises
:class:`reviewbench.errors.InputFileError`.

``write_ris``, ``write_bibtex`` and ``write_csv_records`` (:mod:`.writers`) export a
record table for reference managers and screening tools.
"""

from __future__ import annotations

from .reader import FileReport, ImportReport, read_bytes, read_file, read_files, read_text
from .writers import bibtex_text, ris_text, write_bibtex, write_csv_records, write_ris

__all__ = [
    "FileReport",
    "ImportReport",
    "bibtex_text",
    "read_bytes",
    "read_file",
    "read_files",
    "read_text",
    "ris_text",
    "write_bibtex",
    "write_csv_records",
    "write_ris",
]
