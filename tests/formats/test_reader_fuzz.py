"""The fuzz of the readers: whatever bytes arrive, an export reader raises nothing but
:class:`InputFileError`, the log reader and the YAML loader nothing at all (they report
problems), and a log append either refuses with a message or leaves every row readable.

Each test runs under the hypothesis profile ``reader-fuzz`` (``tests/conftest.py``):
bounded in examples and in time per example, more examples in CI. An example that runs
for more than :data:`HANG_SECONDS` is stopped by an alarm and fails, so a reader caught
in a loop fails the test instead of filling the machine's memory.
"""

from __future__ import annotations

import io
import signal
from contextlib import contextmanager
from pathlib import Path

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewbench.errors import InputFileError, ReviewbenchError
from reviewbench.formats import read_bytes, read_text, table
from reviewbench.logs import append_rows, read_log, scan_bytes
from reviewbench.project import load_located

FUZZ = settings.get_profile("reader-fuzz")
HANG_SECONDS = 10


class Hang(BaseException):
    """An example ran for more than HANG_SECONDS (a BaseException: no reader catches it)."""


@contextmanager
def _within(seconds: int = HANG_SECONDS):
    def stop(signum, frame):
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
NAMES = ["x.ris", "x.bib", "x.nbib", "x.csv", "x.tsv", "x.txt", "x.json", "x.xml", "x.isi", "x.ovd", "x.enw", "x.xlsx"]


def _workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["Title", "Authors", "Year"])
    book.active.append(["A study", "Smith, J; Roe, R", 2001])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


SEEDS = {path.name: path.read_bytes() for path in sorted(FIXTURES.iterdir()) if path.is_file()} | {"book.xlsx": _workbook()}


def _read_only_input_errors(data: bytes, name: str) -> None:
    try:
        with _within():
            df, report = read_bytes(data, name)
    except InputFileError:
        return
    assert len(df) == report.records and df["record_id"].is_unique


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from(NAMES))
def test_arbitrary_bytes_raise_only_input_file_error(data, name):
    _read_only_input_errors(data, name)


# A mutation of a real export: (operation, where as a fraction of the length, size, bytes).
mutation = st.tuples(
    st.sampled_from(["cut", "delete", "insert", "duplicate", "flip"]),
    st.floats(0, 1), st.integers(1, 64), st.binary(min_size=1, max_size=16),
)


def _mutate(data: bytes, operations) -> bytes:
    for op, where, size, chunk in operations:
        at = int(where * len(data))
        if op == "cut":
            data = data[:at]
        elif op == "delete":
            data = data[:at] + data[at + size:]
        elif op == "insert":
            data = data[:at] + chunk + data[at:]
        elif op == "duplicate":
            data = data[:at] + data[at:at + size] * 3 + data[at:]
        elif data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ chunk[0]]) + data[at + 1:]
    return data


@FUZZ
@given(st.sampled_from(sorted(SEEDS)), st.lists(mutation, min_size=1, max_size=4), st.booleans())
def test_damaged_real_exports_raise_only_input_file_error(seed, operations, keep_name):
    _read_only_input_errors(_mutate(SEEDS[seed], operations), seed if keep_name else "export.txt")


TAGGED_LINES = st.sampled_from(
    ["TY  - JOUR", "ER  - ", "TI  - A title", "AU  - Doe, J", "PY  - 2019", "      continued", "PMID- 123", "PT J", "ER",
     "AU Smith, J", "@article{k,", "title = {x", "}", "<1. >", "", "1.", "FN x", "Document 1 of 2", "{", '"title": 1',
     "SO  - J. 2020", "DO  - 10.1234/a{b", "%0 Journal Article", "%T A title", "%A Doe, J", "%K a; b", "Record #1 of 2",
     "Record #3 of 1", "ID: CN-01234567", "TI: A title", "AU: Doe J", "PM: PUBMED 12", "XR: PUBMED x", "<record><titles><title>x", "</record>", "Title,Abstract", '"a,"b', "\ufeff"]
)


@FUZZ
@given(st.lists(TAGGED_LINES, max_size=40), st.sampled_from(NAMES[:-1]))
def test_structured_garbage_raises_only_input_file_error(lines, name):
    try:
        with _within():
            read_text("\n".join(lines), name)
    except InputFileError:
        pass


CELL = st.lists(st.sampled_from(list('ab ,;\t"\n\r|') + ["é", "\x00", "title"]), max_size=8).map("".join)


@FUZZ
@given(st.lists(st.lists(CELL, min_size=1, max_size=5), min_size=1, max_size=8), st.sampled_from([",", ";", "\t"]))
def test_delimited_text_raises_only_input_file_error(rows, delimiter):
    text = "Title" + delimiter + "Abstract\n" + "\n".join(delimiter.join(row) for row in rows)
    try:
        with _within():
            read_text(text, "x.csv")
            # the table parser as such, also on line breaks read_text would not normalise
            table.parse(text, "x.csv")
    except InputFileError:
        pass


COLUMNS = ["record_id", "decision", "reason", "note", "reviewer", "timestamp"]
STAMP = "2026-01-02T03:04:05Z"
LOG_PIECES = st.sampled_from([",".join(COLUMNS) + "\n", f"a,include,,,r,{STAMP}\n", '"', "\n", ",", "\r", "note", STAMP, "\ufeff", "\x00", "é"])


@FUZZ
@given(st.lists(LOG_PIECES, max_size=20).map("".join), st.text(max_size=30))
def test_any_log_is_scanned_and_an_append_refuses_or_keeps_every_row(tmp_path, content, note):
    path = tmp_path / "log.csv"
    path.write_bytes(content.encode("utf-8"))
    before = scan_bytes(path.read_bytes(), str(path))
    readable = before.header == COLUMNS and not before.problems
    row = dict(zip(COLUMNS, ["new", "include", "", note, "r", STAMP]))
    try:
        with _within():
            append_rows(path, [row], COLUMNS)
    except ReviewbenchError:
        assert path.read_bytes() == content.encode("utf-8")
        return
    if readable or not content:
        df = read_log(path, COLUMNS)
        assert df["record_id"].tolist() == [r[0] for _line, r in before.rows] + ["new"]
        assert df["note"].iloc[-1] == note.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8", "replace").decode()
    path.unlink()


@FUZZ
@given(st.binary(max_size=600))
def test_arbitrary_bytes_as_a_log_are_problems_never_exceptions(data):
    with _within():
        scan_bytes(data, "log.csv")


YAML_PIECES = st.sampled_from(
    ["a: ", "&x ", "*x", "&y ", "*y", "[", "]", "{", "}", ", ", "\n", "  ", "- ", "<<: ", "!!str ", "!!python/object ", "'q", '"', "#", ": ", "1", "---\n", "? "]
)


@FUZZ
@given(st.lists(YAML_PIECES, max_size=40).map("".join))
def test_any_yaml_is_loaded_or_reported(text):
    with _within():
        load_located("x.yml", text)
