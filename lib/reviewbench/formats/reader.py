"""Decode, detect, parse, normalise and give ids: the import driver."""

from __future__ import annotations

import gc
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from ..errors import SKIPPED, InputFileError, Problem, UnknownFormatError
from ..project import NOT_EXPORTS, exports_in
from ..schema import LIST_COLUMNS, RECORD_COLUMNS, assign_record_ids, empty_records
from .encoding import decode_bytes
from .normalise import normalise_record
from .registry import BY_NAME, EXPECTED, binary_format, detect_format, label

PROGRESS_MIN_BYTES = 2_000_000
_SCHEMA_KEYS = frozenset(RECORD_COLUMNS)


@dataclass
class FileReport:
    """What happened to one file: its format, how many records were read, what was skipped."""

    path: str
    format: str
    records: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        """Records (or runs of lines) that could not be read at all."""
        return sum(1 for p in self.problems if p.kind == SKIPPED)

    @property
    def warnings(self) -> int:
        """Problems that did not lose a record (read in part, stray lines, ragged rows)."""
        return len(self.problems) - self.skipped


@dataclass
class ImportReport:
    """Per-file reports of one import run, and notes on the inputs (files skipped)."""

    files: list[FileReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def records(self) -> int:
        return sum(f.records for f in self.files)

    @property
    def problems(self) -> list[Problem]:
        return [p for f in self.files for p in f.problems]

    def summary(self, max_problems: int = 25) -> str:
        """A plain-text table: one line per file, then each problem with its place and reason
        (the first ``max_problems`` of each file)."""
        lines = [f"{'file':<44} {'format':<11} {'records':>8} {'skipped':>8} {'warnings':>8}"]
        for f in self.files:
            name = Path(f.path).name
            name = name if len(name) <= 44 else name[:41] + "..."
            fmt = label(f.format)
            lines.append(f"{name:<44} {fmt:<11} {f.records:>8} {f.skipped:>8} {f.warnings:>8}")
        if len(self.files) > 1:
            lines.append(f"{'total':<44} {'':<11} {self.records:>8} {sum(f.skipped for f in self.files):>8} "
                         f"{sum(f.warnings for f in self.files):>8}")
        for f in self.files:
            for p in f.problems[:max_problems]:
                lines.append(f"  ! {p}")
            if len(f.problems) > max_problems:
                lines.append(f"  ! {Path(f.path).name}: {len(f.problems) - max_problems} more problem(s) not shown")
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)


def records_frame(raw: list[dict[str, Any]]) -> pd.DataFrame:
    """The record table from normalised raw records, column by column.

    Gives what :func:`reviewbench.schema.conform` gives for these records (strings,
    lists, nullable-integer years, ``extra`` dicts with any other key folded in), in a
    fraction of the time, which matters at 100,000 records: each record's fields are
    taken in one C-level call and the rows turned into columns by ``zip``; only columns
    that hold a missing value are walked in Python.
    """
    unknown = any(not r.keys() <= _SCHEMA_KEYS for r in raw)
    values = dict(zip(RECORD_COLUMNS, zip(*[tuple(map(r.get, RECORD_COLUMNS)) for r in raw]))) if raw else {}
    columns: dict[str, Any] = {}
    for col in RECORD_COLUMNS:
        column = values.get(col, ())
        if col in LIST_COLUMNS:
            # normalise_record leaves lists of non-empty strings here; a missing one is a new list
            columns[col] = _objects([v or [] for v in column])
        elif col == "year":
            columns[col] = pd.array(list(column), dtype="Int64")
        elif col == "extra":
            columns[col] = _objects([_extra(r) for r in raw] if unknown else [v or {} for v in column])
        else:
            # parsers hand over strings; "" where a field is missing (or empty)
            columns[col] = _objects(column if all(column) else [v or "" for v in column])
    return pd.DataFrame(columns, columns=RECORD_COLUMNS, copy=False)


def _objects(values: Sequence[Any]) -> np.ndarray:
    """An object array holding ``values`` as they are (lists stay list cells), so pandas
    neither infers a type nor copies the column."""
    return np.fromiter(values, dtype=object, count=len(values))


def _extra(rec: dict[str, Any]) -> dict[str, Any]:
    """``extra`` with any key that is not a schema column folded in (as conform does)."""
    extra = dict(rec["extra"]) if isinstance(rec.get("extra"), dict) else {}
    for key in rec.keys() - _SCHEMA_KEYS:
        if not key.startswith("_") and rec[key] not in (None, ""):
            extra[key] = rec[key]
    return extra


def _finish(raw: list[dict[str, Any]], path: str, fmt: str, problems: list[Problem]) -> tuple[pd.DataFrame, FileReport]:
    """Normalise raw records, give ids and build the file's report."""
    report = FileReport(path=path, format=fmt, problems=list(problems))
    if not raw:
        if problems:
            first = problems[0]
            raise InputFileError(
                path, f"no record could be read ({len(problems)} problem(s); first: {first.message})", line=first.line
            )
        raise InputFileError(path, f"looks like {label(fmt)} but holds no records", expected="at least one complete record")
    name = Path(path).name
    keep_ids = fmt == "table" and all(r.get("record_id") for r in raw)
    for rec in raw:
        normalise_record(rec)
        if not (keep_ids and rec.get("source_file")):
            rec["source_file"] = name
        rec.pop("_line", None)
        rec.pop("_record", None)
    df = records_frame(raw)
    if not keep_ids:
        # The normalised raw records hold the same values the table does (years as int or
        # None), and are much faster to hand over than rows taken back out of the table.
        df["record_id"] = assign_record_ids(raw, name, normalised=True)
    report.records = len(df)
    return df, report


def read_text(text: str, path: str | Path, fmt: str | None = None) -> tuple[pd.DataFrame, FileReport]:
    """Parse already-decoded ``text`` as if read from ``path``.

    Raises :class:`~reviewbench.errors.InputFileError` when nothing can be read: empty
    text, an unknown format (:class:`~reviewbench.errors.UnknownFormatError`), or a file
    of a known format without one readable record.
    """
    return _parse([text], str(path), fmt)


@contextmanager
def _gc_paused():
    """The cyclic garbage collector off for one file's parse.

    Parsing builds millions of small lists and dicts and no reference cycles, so the
    collector finds nothing to free, yet its passes over an ever larger heap took a
    fifth of the time of a 100,000-record import. Memory is still freed by reference
    counting; the collector is switched back on (if it was on) when the file is done.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parse(box: list[str], path: str, fmt: str | None) -> tuple[pd.DataFrame, FileReport]:
    """Parse the text held in ``box`` (taken out of it, so it can be freed after parsing)."""
    with _gc_paused():
        return _parse_text(box, path, fmt)


def _parse_text(box: list[str], path: str, fmt: str | None) -> tuple[pd.DataFrame, FileReport]:
    text = box.pop()
    if not text or text.isspace():
        raise InputFileError(path, "the file is empty", expected="bibliographic records")
    fmt = fmt or detect_format(text, path)
    reader = BY_NAME.get(fmt) if fmt else None
    if reader is None or reader.binary:
        first = text.strip().split("\n", 1)[0][:60]
        raise UnknownFormatError(path, f"not a recognised bibliographic export (first line: {first!r})", line=1, expected=EXPECTED)
    try:
        raw, problems = reader.parse(text, path)
        del text  # the records hold what they need; a 200 MB export need not stay in memory
    except InputFileError:
        raise
    except RecursionError:
        raise InputFileError(path, f"the {reader.label} content is nested too deeply to read") from None
    return _finish(raw, path, fmt, problems)


def read_bytes(data: bytes, path: str | Path, fmt: str | None = None) -> tuple[pd.DataFrame, FileReport]:
    """Parse the raw bytes of an export (any encoding, or an XLSX workbook)."""
    path = str(path)
    if not data or data.isspace():
        raise InputFileError(path, "the file is empty", expected="bibliographic records")
    binary = binary_format(data, fmt)
    if binary is not None:
        if b"xl/" not in data[:4096] and b"[Content_Types].xml" not in data[:4096]:
            raise InputFileError(path, "this is a ZIP archive, not an export", expected="an .xlsx workbook or a text export")
        raw, problems = binary.parse(data, path)
        return _finish(raw, path, binary.name, problems)
    return _parse([decode_bytes(data, path)], path, fmt)


def read_file(path: str | Path, fmt: str | None = None) -> tuple[pd.DataFrame, FileReport]:
    """Read one export into the record schema. Raises :class:`InputFileError` if unreadable."""
    path = Path(path)
    if not path.is_file():
        raise InputFileError(path, "file not found" if not path.exists() else "not a file", expected="a search export")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(path, f"cannot be read: {exc.strerror}") from None
    if not data or data.isspace() or binary_format(data, fmt) is not None:
        return read_bytes(data, path, fmt)
    box = [decode_bytes(data, path)]
    del data  # only the decoded text is needed from here on
    return _parse(box, str(path), fmt)


def export_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """The exports that ``paths`` name, and a note for each input skipped.

    A folder stands for every export in it (sorted by name; ``searches.yml``, ``README.md``,
    hidden files and sub-folders are not exports); a file named like the search log, as
    the shell gives it for ``bibliography/*``, is skipped with a note. A folder without
    exports raises :class:`InputFileError`.
    """
    files: list[Path] = []
    notes: list[str] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = exports_in(path)
            if not found:
                raise InputFileError(path, "the folder holds no search exports", expected="export files such as .ris, .nbib, .bib or .csv")
            files += found
        elif path.name in NOT_EXPORTS and path.is_file():
            notes.append(f"{path} skipped: {path.name} describes the searches; it is not an export")
        else:
            files.append(path)
    return files, notes


def read_files(paths: Iterable[str | Path], progress: bool | None = None) -> tuple[pd.DataFrame, ImportReport]:
    """Read several exports into one record table (rows in file order, then record order).

    Folders are read as every export in them (see :func:`export_paths`). ``progress``
    shows a tqdm bar on standard error; by default only when standard error is a
    terminal and the import is long (several files or megabytes).
    """
    paths, notes = export_paths(paths)
    report = ImportReport(notes=notes)
    frames = []
    sizes = [p.stat().st_size if p.is_file() else 0 for p in paths]
    if progress is None:
        progress = sys.stderr.isatty() and (sum(sizes) >= PROGRESS_MIN_BYTES or len(paths) > 5)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=sum(sizes), unit="B", unit_scale=True, desc="importing", file=sys.stderr, leave=False)
    try:
        for path, size in zip(paths, sizes):
            if bar is not None:
                bar.set_postfix_str(path.name[:30])
            df, file_report = read_file(path)
            frames.append(df)
            report.files.append(file_report)
            if bar is not None:
                bar.update(size)
    finally:
        if bar is not None:
            bar.close()
    if not frames:
        return empty_records(), report
    return pd.concat(frames, ignore_index=True), report
