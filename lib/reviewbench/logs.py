"""Append-only, atomically written decision logs (screening, dedup overrides, codes).

Human decisions are never rewritten: each call appends complete rows to a CSV with one
``os.write`` under an exclusive file lock, then flushes to disk, so a killed kernel,
a closed tab or a second process writing at the same time never loses or tears a row.
Reading takes the latest row per key ("latest wins").

This module owns what every log shares: the line-aware reader (:func:`csv_rows_with_lines`,
which :func:`read_log` and the checks both use), the header and timestamp rules, and
:func:`check_log_rows`. Each kind of log (screening decisions, stopping decisions,
findings, study characteristics, reconciliation) declares its columns and one
``row_problems(row, settings)`` beside its writer; the writer refuses a row that has
problems and ``reviewbench validate`` reports them, so the two never disagree.
"""

from __future__ import annotations

import csv
import datetime as dt
import fcntl
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import pandas as pd

from .errors import ParameterError, Problem, ValidationError


def utc_timestamp() -> str:
    """The current time as ISO 8601 in UTC, to the second (for the ``timestamp`` column)."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def check_timestamp(value: str) -> bool:
    """Whether ``value`` is an ISO 8601 date-time (``2022-06-13T09:00:00Z``)."""
    try:
        dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class RowProblem:
    """What is wrong with one value of a log row: its column, the value, what is allowed.

    ``str()`` is the message ``reviewbench validate`` prints; a writer raises
    :meth:`error` (a :class:`ParameterError` naming the column and the valid values).
    """

    column: str
    value: Any
    message: str
    valid: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.message

    def error(self) -> ParameterError:
        return ParameterError(self.column, self.value, list(self.valid) or None)


RowCheck = Callable[[dict[str, str]], "Sequence[str | RowProblem]"]


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


def csv_rows_with_lines(path: str | Path) -> tuple[list[str], list[tuple[int, list[str]]], list[Problem]]:
    """Read a CSV log keeping the line on which each row starts.

    Returns ``(header, [(line, row)], problems)``; rows with the wrong number of fields
    are reported and left out, and so are blank lines and rows of empty cells. A note
    that spans lines, or a blank line, makes row and line numbers differ.
    """
    path = Path(path)
    file = str(path)
    try:
        fh = open(path, "r", encoding="utf-8-sig", newline="")
    except OSError as exc:
        return [], [], [Problem(file, None, f"cannot be read: {exc.strerror}")]
    rows: list[tuple[int, list[str]]] = []
    problems: list[Problem] = []
    header: list[str] = []
    with fh:
        reader = csv.reader(fh)
        try:
            first = next(reader, None)
            if first is None:
                return [], [], [Problem(file, 1, "empty file (expected a header line)")]
            header = [h.strip() for h in first]
            line = reader.line_num + 1
            for row in reader:
                start = line
                line = reader.line_num + 1
                if not row or all(not cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    problems.append(Problem(file, start, f"expected {len(header)} fields ({','.join(header)}), found {len(row)}"))
                    continue
                rows.append((start, row))
        except UnicodeDecodeError:
            problems.append(Problem(file, reader.line_num + 1, "not UTF-8 text (save the file as UTF-8)"))
        except csv.Error as exc:
            problems.append(Problem(file, reader.line_num, f"malformed CSV: {exc}"))
    return header, rows, problems


def check_header(file: str, header: list[str], expected: Sequence[str], *, allow_extra: bool = False) -> list[Problem]:
    """A problem when ``header`` lacks a column of ``expected`` (or has extra ones)."""
    missing = [c for c in expected if c not in header]
    if missing:
        return [Problem(file, 1, f"missing column(s) {', '.join(missing)}; expected header: {','.join(expected)}")]
    extra = [c for c in header if c not in expected]
    if extra and not allow_extra:
        return [Problem(file, 1, f"unexpected column(s) {', '.join(extra)}; expected header: {','.join(expected)}")]
    return []


def check_log_rows(
    path: Path,
    expected: Sequence[str],
    row_problems: RowCheck,
    key: str,
    *,
    allow_extra: bool = False,
) -> list[Problem]:
    """Problems in an append-only log: its header, ``row_problems`` of each row and the
    row's timestamp, each with its line and the row's ``key`` value."""
    file = str(path)
    header, rows, problems = csv_rows_with_lines(path)
    if not header:
        return problems
    head = check_header(file, header, expected, allow_extra=allow_extra)
    if head:
        return problems + head
    for line, values in rows:
        row = dict(zip(header, values))
        ident = row.get(key, "").strip() or None
        problems += [Problem(file, line, str(message), ident) for message in row_problems(row)]
        if not check_timestamp(row.get("timestamp", "")):
            problems.append(Problem(file, line, f"timestamp {row.get('timestamp')!r} is not an ISO 8601 date-time", ident))
    return problems


def _empty(columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def read_log(path: str | Path, columns: Sequence[str]) -> pd.DataFrame:
    """Read one log as strings; a missing file is an empty log.

    Raises :class:`ValidationError` naming the file and line for a header without one of
    ``columns`` or a row with the wrong number of fields.
    """
    return read_log_with_lines(path, columns)[0]


def read_log_with_lines(path: str | Path, columns: Sequence[str]) -> tuple[pd.DataFrame, list[int]]:
    """:func:`read_log`, and the line of the file on which each row starts."""
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        return _empty(columns), []
    header, rows, problems = csv_rows_with_lines(path)
    head = check_header(str(path), header, columns, allow_extra=True) if header or not problems else []
    if head or problems:
        raise ValidationError(head or problems)
    df = pd.DataFrame([row for _line, row in rows], columns=header, dtype="object")
    return df[list(columns)], [line for line, _row in rows]


def latest(df: pd.DataFrame, key: str | Sequence[str]) -> pd.DataFrame:
    """The last row per key (logs are append-only, so the last row is the current decision)."""
    if df.empty:
        return df
    keys = [key] if isinstance(key, str) else list(key)
    return df.drop_duplicates(subset=keys, keep="last").reset_index(drop=True)
