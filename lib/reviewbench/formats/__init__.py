"""Read search exports into the record schema.

``read_files(paths)`` is the one entry point: each file is decoded
(:mod:`.encoding`), its format detected from content (:mod:`.detect`), parsed by the
format's module into raw field dicts, normalised (:mod:`.normalise`), given stable ids
and conformed to :data:`reviewbench.schema.RECORD_COLUMNS`. Problems inside a file are
collected in the :class:`ImportReport`; a file that cannot be read at all raises
:class:`reviewbench.errors.InputFileError`.
"""

from __future__ import annotations

from .reader import FileReport, ImportReport, read_file, read_files, read_text

__all__ = ["FileReport", "ImportReport", "read_file", "read_files", "read_text"]
