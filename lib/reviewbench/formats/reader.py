"""Decode, detect, parse, normalise and give ids: the import driver."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pandas as pd

from ..errors import InputFileError, Problem, UnknownFormatError
from ..schema import assign_record_ids, conform, empty_records
from . import bibtex, medline, ris, table
from .detect import detect_format
from .encoding import decode_bytes
from .normalise import STEPS

PARSERS = {"ris": ris.parse, "bibtex": bibtex.parse, "medline": medline.parse, "table": table.parse}
SOURCE_DB_DEFAULT = {"medline": "MEDLINE"}


@dataclass
class FileReport:
    """What happened to one file: its format, how many records were read, what was skipped."""

    path: str
    format: str
    records: int = 0
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ImportReport:
    """Per-file reports of one import run."""

    files: list[FileReport] = field(default_factory=list)

    @property
    def records(self) -> int:
        return sum(f.records for f in self.files)

    @property
    def problems(self) -> list[Problem]:
        return [p for f in self.files for p in f.problems]

    def summary(self) -> str:
        """A plain-text table: one line per file, then each skipped record with its reason."""
        lines = [f"{'file':<50} {'format':<8} {'records':>8} {'skipped':>8}"]
        for f in self.files:
            lines.append(f"{Path(f.path).name[:50]:<50} {f.format:<8} {f.records:>8} {len(f.problems):>8}")
        for p in self.problems:
            lines.append(f"  ! {p}")
        return "\n".join(lines)


def read_text(text: str, path: str | Path, fmt: str | None = None) -> tuple[pd.DataFrame, FileReport]:
    """Parse already-decoded ``text`` as if read from ``path``."""
    path = str(path)
    if not text.strip():
        raise InputFileError(path, "the file is empty", expected="bibliographic records")
    fmt = fmt or detect_format(text, path)
    if fmt is None:
        first = text.strip().split("\n", 1)[0][:60]
        raise UnknownFormatError(
            path,
            f"not a recognised bibliographic export (first line: {first!r})",
            line=1,
            expected="RIS (TY  - ...), BibTeX (@article{...), PubMed/MEDLINE (PMID- ...) or a CSV/TSV with a title column",
        )
    raw, problems = PARSERS[fmt](text, path)
    report = FileReport(path=path, format=fmt, problems=list(problems))
    if not raw:
        if problems:
            raise InputFileError(path, f"no record could be read ({len(problems)} problem(s), first: {problems[0].message})", line=problems[0].line)
        raise InputFileError(path, f"looks like {fmt} but holds no records", expected="at least one complete record")
    name = Path(path).name
    for rec in raw:
        for step in STEPS:
            step(rec)
        rec["source_file"] = name
        if not rec.get("source_db"):
            rec["source_db"] = SOURCE_DB_DEFAULT.get(fmt, "")
        rec.pop("_line", None)
    df = conform(pd.DataFrame(raw))
    df["record_id"] = assign_record_ids(df.to_dict("records"), name)
    report.records = len(df)
    return df, report


def read_file(path: str | Path, fmt: str | None = None) -> tuple[pd.DataFrame, FileReport]:
    """Read one export into the record schema. Raises :class:`InputFileError` if unreadable."""
    path = Path(path)
    if not path.is_file():
        raise InputFileError(path, "file not found", expected="a search export")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(path, f"cannot be read: {exc.strerror}") from None
    return read_text(decode_bytes(data, path), path, fmt)


def read_files(paths: Iterable[str | Path]) -> tuple[pd.DataFrame, ImportReport]:
    """Read several exports into one record table (rows in file order, then record order)."""
    report = ImportReport()
    frames = []
    for path in paths:
        df, file_report = read_file(path)
        frames.append(df)
        report.files.append(file_report)
    if not frames:
        return empty_records(), report
    return pd.concat(frames, ignore_index=True), report
