"""Append-only, atomically written decision logs (screening, dedup overrides, codes).

Human decisions are never rewritten: each call appends complete rows to a CSV with one
``os.write`` under an exclusive file lock, then flushes to disk, so a killed kernel,
a closed tab or a second process writing at the same time never loses or tears a row.
Reading takes the latest row per key ("latest wins").
"""

from __future__ import annotations

import csv
import fcntl
import io
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd

from .errors import Problem, ValidationError


def utc_timestamp() -> str:
    """The current time as ISO 8601 in UTC, to the second (for the ``timestamp`` column)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _encode_rows(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], header: bool) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="raise", lineterminator="\n")
    if header:
        writer.writeheader()
    for row in rows:
        writer.writerow({c: "" if row.get(c) is None else row.get(c) for c in columns})
    return buf.getvalue().encode("utf-8")


def append_rows(path: str | Path, rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> int:
    """Append ``rows`` to the CSV log at ``path`` (created with a header if new).

    Returns the number of rows written. Raises :class:`ValidationError` if an existing
    log has a different header, rather than mixing two schemas in one file.
    """
    rows = list(rows)
    if not rows:
        return 0
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        size = os.fstat(fd).st_size
        if size:
            with open(path, "r", encoding="utf-8", newline="") as fh:
                existing = next(csv.reader(fh), [])
            if existing != list(columns):
                raise ValidationError(
                    [Problem(str(path), 1, f"log header {existing} differs from expected {list(columns)}")]
                )
            # A previous writer killed mid-line cannot happen with one os.write, but a file
            # edited by hand may lack its final newline: add it so rows never run together.
            os.lseek(fd, size - 1, os.SEEK_SET)
            needs_newline = os.read(fd, 1) not in (b"\n",)
        else:
            needs_newline = False
        data = _encode_rows(rows, columns, header=(size == 0))
        if needs_newline:
            data = b"\n" + data
        os.write(fd, data)
        os.fsync(fd)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    return len(rows)


def read_log(path: str | Path, columns: Sequence[str]) -> pd.DataFrame:
    """Read one log as strings; a missing file is an empty log.

    Raises :class:`ValidationError` naming the file and line for a wrong header or a row
    with the wrong number of fields.
    """
    return read_log_with_lines(path, columns)[0]


def read_log_with_lines(path: str | Path, columns: Sequence[str]) -> tuple[pd.DataFrame, list[int]]:
    """:func:`read_log`, and the line of the file on which each row starts (a note that
    spans lines, or a blank line, makes row and line numbers differ)."""
    path = Path(path)
    if not path.exists():
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns}), []
    try:
        return _read_log(path, columns)
    except UnicodeDecodeError as exc:
        raise ValidationError([Problem(str(path), None, f"not UTF-8 text (byte {exc.start}); save the log as UTF-8 CSV")]) from None


def _read_log(path: Path, columns: Sequence[str]) -> tuple[pd.DataFrame, list[int]]:
    problems: list[Problem] = []
    records: list[list[str]] = []
    lines: list[int] = []
    with open(path, "r", encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in columns}), []
        if header != list(columns):
            missing = [c for c in columns if c not in header]
            if missing:
                problems.append(Problem(str(path), 1, f"missing column(s) {', '.join(missing)}; expected header {','.join(columns)}"))
                raise ValidationError(problems)
        start = reader.line_num + 1
        for row in reader:
            line, start = start, reader.line_num + 1
            if not row:
                continue
            if len(row) != len(header):
                problems.append(Problem(str(path), line, f"expected {len(header)} fields, found {len(row)}"))
                continue
            records.append(row)
            lines.append(line)
    if problems:
        raise ValidationError(problems)
    df = pd.DataFrame(records, columns=header, dtype="object")
    return df[list(columns)], lines


def latest(df: pd.DataFrame, key: str | Sequence[str]) -> pd.DataFrame:
    """The last row per key (logs are append-only, so the last row is the current decision)."""
    if df.empty:
        return df
    keys = [key] if isinstance(key, str) else list(key)
    return df.drop_duplicates(subset=keys, keep="last").reset_index(drop=True)
