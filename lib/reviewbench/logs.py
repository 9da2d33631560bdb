"""Append-only, atomically written decision logs (screening, dedup overrides, codes).

Human decisions are never rewritten: each call appends complete rows to a CSV under an
exclusive file lock and flushes them to disk before it returns. An append is all or
nothing: a write cut short (a full disk, a file-size limit) is truncated back to the
log's previous size and raises :class:`~reviewbench.errors.LogWriteError`, so a row that
was not acknowledged is not there either. A log whose last row is incomplete (a crash
or an editor left it so) is not appended to, since the next row would run into it: the
error names the line, and ``reviewbench validate --repair`` (:func:`repair_torn_tail`)
moves that row to a side file ``<log>.torn``. Logs are plain files: a symbolic link in
place of a log, or of a folder between it and ``evidence/``, is never followed.
Reading takes the latest row per key ("latest wins").

This module owns what every log shares: the line-aware reader (:func:`scan_log`, which
:func:`read_log` and the checks both use), the header and timestamp rules, the size of a
cell, and :func:`check_log_rows`. Each kind of log (screening decisions, stopping
decisions, findings, study characteristics, reconciliation) declares its columns and one
``row_problems(row, settings)`` beside its writer; the writer refuses a row that has
problems and ``reviewbench validate`` reports them, so the two never disagree.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import fcntl
import io
import itertools
import os
import re
import stat
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import pandas as pd

from .errors import FieldTooLongError, LogWriteError, ParameterError, Problem, ValidationError, os_error_advice

#: The longest text one cell of a log may hold when it is written. A person types into
#: logs (notes, reasons) and every view reads them whole: a longer value is a pasted
#: document, refused with a message before anything is written.
MAX_CELL_CHARS = 50_000
#: Cells of any length are read (a log edited by hand may hold more than
#: :data:`MAX_CELL_CHARS`); the csv module's default of 128 KiB would stop at one.
_READ_FIELD_LIMIT = 2**31 - 1
#: What ``reviewbench validate --repair`` appends to a log's name for its side file.
TORN_SUFFIX = ".torn"
#: The folder of human judgements: no symbolic link is followed from a log up to it.
EVIDENCE = "evidence"
_BOM = b"\xef\xbb\xbf"
_LINE_END = re.compile(rb"\r\n|\r|\n")  # where the csv module's reader counts a line
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


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
    :meth:`error` (a :class:`ParameterError` carrying the column and the valid values, saying ``message``).
    """

    column: str
    value: Any
    message: str
    valid: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.message

    def error(self) -> ParameterError:
        return ParameterError(self.column, self.value, list(self.valid) or None, message=self.message)


RowCheck = Callable[[dict[str, str]], "Sequence[str | RowProblem]"]


@dataclass(frozen=True)
class TornTail:
    """The incomplete last row of a log: the line and byte offset it starts at, its size
    in bytes, and what is missing from it."""

    line: int
    offset: int
    size: int
    reason: str

    def side_file(self, path: str | Path) -> Path:
        """Where :func:`repair_torn_tail` moves the row: ``<log>.torn`` beside the log."""
        path = Path(path)
        return path.with_name(path.name + TORN_SUFFIX)

    def message(self, path: str | Path) -> str:
        return (
            f"the last row is incomplete ({self.reason}: a write was cut off, or the file was saved half-edited); "
            f"run `reviewbench validate --repair` to move it to {self.side_file(path).name}, then enter it again"
        )


@dataclass
class LogScan:
    """A log as read by :func:`scan_log`: its header, each complete row with the line it
    starts on, the problems met, and the incomplete last row if there is one."""

    header: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    torn: TornTail | None = None


def _link_in(path: Path) -> Path | None:
    """The first symbolic link among ``path`` and its folders up to ``evidence/`` (only
    ``path`` itself for a log outside an ``evidence/`` folder)."""
    parents = list(path.parents)
    names = [p.name for p in parents]
    chain = [path, *parents[: names.index(EVIDENCE) + 1]] if EVIDENCE in names else [path]
    return next((p for p in chain if p.is_symlink()), None)


def _link_message(path: Path, link: Path) -> str:
    what = "the file" if link == path else f"its folder {link.name}/"
    return (
        f"{what} is a symbolic link (to {os.readlink(link)}); a log must be a plain file inside the project, "
        "so it is not followed: put the file itself in its place"
    )


def _read_fd(fd: int) -> bytes:
    chunks, offset = [], 0
    while chunk := os.pread(fd, 1 << 20, offset):
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def _read_log_bytes(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | _NOFOLLOW | _CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IsADirectoryError(errno.EISDIR, "not a plain file", str(path))
        return _read_fd(fd)
    finally:
        os.close(fd)


def scan_log(path: str | Path) -> LogScan:
    """Read a CSV log keeping the line on which each row starts.

    Rows with the wrong number of fields are reported and left out, and so are blank
    lines and rows of empty cells; an incomplete last row (:class:`TornTail`) is reported
    and left out too. A note that spans lines, or a blank line, makes row and line
    numbers differ. A log of 0 bytes (a crash between creating it and writing its header)
    is an empty log; a symbolic link is reported, not followed.
    """
    path = Path(path)
    link = _link_in(path)
    if link is not None:
        return LogScan(problems=[Problem(str(path), None, _link_message(path, link))])
    try:
        data = _read_log_bytes(path)
    except OSError as exc:
        return LogScan(problems=[Problem(str(path), None, f"cannot be read: {exc.strerror}")])
    return scan_bytes(data, str(path))


def scan_bytes(data: bytes, file: str) -> LogScan:
    """:func:`scan_log` of a log's bytes (``file`` names it in problems)."""
    if not data.removeprefix(_BOM):
        return LogScan()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return LogScan(problems=[Problem(file, line, "not UTF-8 text (save the file as UTF-8)")])
    scan = LogScan()
    csv.field_size_limit(_READ_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    if not any(header):
        return LogScan(problems=[Problem(file, 1, "no header line (expected column names)")])
    scan.header = header
    line = reader.line_num + 1
    last: tuple[int, list[str]] | None = None
    for row in reader:
        start = line
        line = reader.line_num + 1
        last = (start, row)  # a lone quote reads as an empty cell, yet leaves the row open
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            scan.problems.append(Problem(file, start, f"expected {len(header)} fields ({','.join(header)}), found {len(row)}"))
            continue
        scan.rows.append((start, row))
    if last is not None and not (data.endswith(b"\n") and data.count(b'"') % 2 == 0):
        scan.torn = _torn_tail(data, header, *last)
    if scan.torn is not None:
        torn = scan.torn
        scan.rows = [r for r in scan.rows if r[0] != torn.line]
        scan.problems = [p for p in scan.problems if p.line != torn.line] + [Problem(file, torn.line, torn.message(file))]
    return scan


def _torn_tail(data: bytes, header: list[str], line: int, row: list[str]) -> TornTail | None:
    """The last row (starting on ``line``) if a write was cut off in it.

    A row written by :func:`append_rows` ends with a line break outside any quoted value,
    so the last row is incomplete when it ends inside quotes (an odd number of quote
    characters), or when it lacks its final line break and also a field or a valid
    timestamp. A last row that only lacks its line break (a file edited by hand) is whole.
    """
    ends = _LINE_END.finditer(data)
    offset = next(itertools.islice(ends, line - 2, None)).end() if line > 1 else 0
    tail = data[offset:]
    if tail.count(b'"') % 2:
        reason = "it ends inside a quoted value"
    elif tail.endswith(b"\n") or not tail.strip():
        return None
    elif len(row) != len(header):
        reason = f"it has {len(row)} of {len(header)} fields"
    elif "timestamp" in header and not check_timestamp(row[header.index("timestamp")]):
        reason = "its timestamp is cut short"
    else:
        return None
    return TornTail(line, offset, len(tail), reason)


def csv_rows_with_lines(path: str | Path) -> tuple[list[str], list[tuple[int, list[str]]], list[Problem]]:
    """:func:`scan_log` as ``(header, [(line, row)], problems)``."""
    scan = scan_log(path)
    return scan.header, scan.rows, scan.problems


# --------------------------------------------------------------------------- writing


def _cell(value: Any) -> str:
    """A cell's text, line breaks as ``\\n``: the csv module quotes a value holding
    ``\\n`` but not one holding a lone ``\\r``, which a reader would take for a new row."""
    return "" if value is None else str(value).replace("\r\n", "\n").replace("\r", "\n")


def _encode_rows(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], header: bool) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="raise", lineterminator="\n")
    if header:
        writer.writeheader()
    for row in rows:
        writer.writerow({c: _cell(row.get(c)) for c in columns})
    # A lone surrogate (half of a character, e.g. from a broken paste) is not text.
    return buf.getvalue().encode("utf-8", errors="replace")


def _check_cells(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> None:
    for row in rows:
        for column in columns:
            value = row.get(column)
            if value is not None and len(text := str(value)) > MAX_CELL_CHARS:
                raise FieldTooLongError(column, len(text), MAX_CELL_CHARS)


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte of ``data`` (``os.write`` may write fewer), then flush to disk."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[written:]
    os.fsync(fd)


def _append_or_restore(fd: int, data: bytes, size: int, path: Path) -> None:
    """Append ``data`` to the locked file ``fd`` of ``size`` bytes, or leave it as it was."""
    try:
        _write_all(fd, data)
    except OSError as exc:
        try:
            os.ftruncate(fd, size)
            os.fsync(fd)
        except OSError:
            pass
        raise LogWriteError(path, f"could not be written: {os_error_advice(exc)}; nothing was appended, the log is as it was") from None


def _open(path: Path, flags: int) -> int:
    """A file descriptor for the log at ``path``, never through a symbolic link."""
    link = _link_in(path)
    if link is not None:
        raise LogWriteError(path, _link_message(path, link))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, flags | _NOFOLLOW | _CLOEXEC, 0o644)
    except OSError as exc:
        raise LogWriteError(path, f"cannot be opened for writing: {os_error_advice(exc)}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise LogWriteError(path, "is not a plain file")
    return fd


@contextmanager
def _locked(path: Path, flags: int) -> Iterator[int]:
    fd = _open(path, flags)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def append_rows(path: str | Path, rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> int:
    """Append ``rows`` to the CSV log at ``path`` (created with a header if new).

    Returns the number of rows written, all of them flushed to disk. Raises
    :class:`ValidationError` if an existing log has a different header, rather than
    mixing two schemas in one file; :class:`FieldTooLongError` for a value longer than
    :data:`MAX_CELL_CHARS`; :class:`LogWriteError` when the log's last row is incomplete,
    when the log is a symbolic link, or when the rows cannot all be written (then none is).
    """
    rows = list(rows)
    if not rows:
        return 0
    path = Path(path)
    _check_cells(rows, columns)
    body = _encode_rows(rows, columns, header=False)
    with _locked(path, os.O_RDWR | os.O_CREAT | os.O_APPEND) as fd:
        data = _read_fd(fd)
        if data.removeprefix(_BOM):
            first = data.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace")
            existing = [h.strip() for h in next(csv.reader(io.StringIO(first, newline="")), [])]
            if existing != list(columns):
                raise ValidationError([Problem(str(path), 1, f"log header {existing} differs from expected {list(columns)}")])
            if not (data.endswith(b"\n") and data.count(b'"') % 2 == 0):
                torn = scan_bytes(data, str(path)).torn
                if torn is not None:
                    raise LogWriteError(path, f"{torn.message(path)}; nothing was appended", line=torn.line)
            # A file edited by hand may lack its final line break: add it so rows never run together.
            prefix = b"" if data.endswith(b"\n") else b"\n"
        else:
            prefix = _encode_rows([], columns, header=True)
        _append_or_restore(fd, prefix + body, len(data), path)
    return len(rows)


def repair_torn_tail(path: str | Path) -> str | None:
    """Move the incomplete last row of the log at ``path`` to ``<log>.torn`` (appended to
    it), under the log's lock; return what was done, or ``None`` when the log is whole.

    The row is written to the side file and flushed before the log is cut back, so
    nothing is lost if this is interrupted too.
    """
    path = Path(path)
    with _locked(path, os.O_RDWR) as fd:
        data = _read_fd(fd)
        torn = scan_bytes(data, str(path)).torn
        if torn is None:
            return None
        side = torn.side_file(path)
        tail = data[torn.offset:]
        with _locked(side, os.O_RDWR | os.O_CREAT | os.O_APPEND) as side_fd:
            _append_or_restore(side_fd, tail if tail.endswith(b"\n") else tail + b"\n", os.fstat(side_fd).st_size, side)
        os.ftruncate(fd, torn.offset)
        os.fsync(fd)
    last = torn.line + data[torn.offset:].rstrip(b"\n").count(b"\n")
    lines = f"line {torn.line}" if last == torn.line else f"lines {torn.line}-{last}"
    return f"{path}: moved the incomplete row on {lines} ({torn.size} bytes) to {side.name}; enter it again if it is still needed"


# --------------------------------------------------------------------------- checking and reading


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
    if not os.path.lexists(path):
        return _empty(columns), []
    scan = scan_log(path)
    header, rows, problems = scan.header, scan.rows, scan.problems
    if not header and not problems:
        return _empty(columns), []
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
