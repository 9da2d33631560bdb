import codecs
import csv
import errno
import multiprocessing as mp
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewbench.errors import FieldTooLongError, LogWriteError, ValidationError
from reviewbench.logs import append_rows, csv_rows_with_lines, latest, read_log, read_log_with_lines, repair_torn_tail

COLS = ["record_id", "decision", "reason", "note", "reviewer", "timestamp"]


def _row(rid, decision="include", note=""):
    return {"record_id": rid, "decision": decision, "reason": "", "note": note, "reviewer": "r", "timestamp": "t"}


def test_append_creates_header_and_latest_wins(tmp_path):
    path = tmp_path / "screening" / "r.csv"
    append_rows(path, [_row("a"), _row("b")], COLS)
    append_rows(path, [_row("a", "exclude")], COLS)
    df = read_log(path, COLS)
    assert len(df) == 3
    cur = latest(df, "record_id").set_index("record_id")
    assert cur.loc["a", "decision"] == "exclude" and cur.loc["b", "decision"] == "include"


def test_text_with_commas_quotes_and_newlines_round_trips(tmp_path):
    path = tmp_path / "r.csv"
    note = 'said "no", then\nchanged mind; =SUM(A1)'
    append_rows(path, [_row("a", note=note)], COLS)
    assert read_log(path, COLS).loc[0, "note"] == note


def test_wrong_header_is_refused(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("record_id,decision\nx,include\n")
    with pytest.raises(ValidationError, match="header"):
        append_rows(path, [_row("a")], COLS)
    with pytest.raises(ValidationError, match=r"r\.csv, line 1: missing column"):
        read_log(path, COLS)


def test_ragged_row_names_its_line(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(",".join(COLS) + "\na,include,,,r,t\nb,include\n")
    with pytest.raises(ValidationError, match=r"line 3: expected 6 fields \(record_id,decision,reason,note,reviewer,timestamp\), found 2"):
        read_log(path, COLS)


def test_rows_keep_the_line_they_start_on_past_multi_line_notes_and_blank_lines(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(",".join(COLS) + '\na,include,,"two\nlines",r,t\n\nb,include,,,r,t\nc,include,"x\ny"\n')
    with pytest.raises(ValidationError, match=r"line 6: expected 6 fields \(record_id,decision,reason,note,reviewer,timestamp\), found 3"):
        read_log(path, COLS)
    path.write_text(",".join(COLS) + '\na,include,,"two\nlines",r,t\n\nb,include,,,r,t\n')
    df, lines = read_log_with_lines(path, COLS)
    assert df["record_id"].tolist() == ["a", "b"] and lines == [2, 5]


def test_missing_final_newline_does_not_merge_rows(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(",".join(COLS) + "\na,include,,,r,2026-01-02T03:04:05Z")
    append_rows(path, [_row("b")], COLS)
    assert read_log(path, COLS)["record_id"].tolist() == ["a", "b"]


def _writer(args):
    path, who = args
    for i in range(50):
        append_rows(path, [_row(f"{who}-{i}")], COLS)


def test_concurrent_writers_lose_nothing(tmp_path):
    path = tmp_path / "shared.csv"
    with mp.get_context("fork").Pool(4) as pool:
        pool.map(_writer, [(path, w) for w in "abcd"])
    df = read_log(path, COLS)
    assert len(df) == 200 and df["record_id"].nunique() == 200


cells = st.text(alphabet=st.sampled_from(list("ab ,\"\n;é")), max_size=8)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(cells, min_size=3, max_size=3), max_size=6))
def test_csv_rows_keep_the_line_each_row_starts_on(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("csv") / "log.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["a", "b", "c"])
        starts = []
        line = 2
        for row in rows:
            starts.append(line)
            text = []
            csv.writer(_Sink(text), lineterminator="\n").writerow(row)
            fh.write(text[0])
            line += text[0].count("\n")
    header, found, problems = csv_rows_with_lines(path)
    assert header == ["a", "b", "c"] and problems == []
    kept = [(s, r) for s, r in zip(starts, rows) if any(c.strip() for c in r)]
    assert found == kept


class _Sink:
    def __init__(self, out: list[str]) -> None:
        self.out = out

    def write(self, text: str) -> None:
        self.out.append(text)


# --------------------------------------------------------------------------- faults (issue 20)

STAMP = "2026-01-02T03:04:05Z"
HEADER = ",".join(COLS) + "\n"


def _stamped(rid, note=""):
    return {**_row(rid, note=note), "timestamp": STAMP}


def test_a_short_write_is_truncated_back_and_raises(tmp_path, monkeypatch):
    """Row 1: os.write may write fewer bytes than asked (a full disk, a file-size limit)."""
    path = tmp_path / "r.csv"
    append_rows(path, [_stamped("a")], COLS)
    before = path.read_bytes()
    real_write = os.write
    calls = []

    def short_then_full(fd, data):
        calls.append(len(data))
        if len(calls) == 1:
            return real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.EFBIG, os.strerror(errno.EFBIG))

    monkeypatch.setattr(os, "write", short_then_full)
    with pytest.raises(LogWriteError, match="file-size limit.*nothing was appended"):
        append_rows(path, [_stamped("b", note="a note long enough to be cut in half")], COLS)
    monkeypatch.undo()
    assert path.read_bytes() == before
    append_rows(path, [_stamped("c")], COLS)
    assert read_log(path, COLS)["record_id"].tolist() == ["a", "c"]


def test_a_write_cut_short_resumes_until_every_byte_is_out(tmp_path, monkeypatch):
    path = tmp_path / "r.csv"
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data[:7])))
    append_rows(path, [_stamped("a", note="x" * 100), _stamped("b")], COLS)
    monkeypatch.undo()
    assert read_log(path, COLS)["record_id"].tolist() == ["a", "b"]


_FILE_SIZE_LIMIT_CHILD = """
import resource, sys
from reviewbench.logs import append_rows
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
cols = {cols!r}
acknowledged = 0
for i in range(500):
    try:
        append_rows(sys.argv[1], [dict(zip(cols, [f"rec{{i:04d}}", "include", "", "x" * 30, "r", "{stamp}"]))], cols)
    except Exception as exc:
        print(type(exc).__name__, exc, file=sys.stderr)
        break
    acknowledged += 1
print(acknowledged)
"""


def test_under_a_real_file_size_limit_every_acknowledged_row_is_read_back(tmp_path):
    """Row 1 as reported: ``ulimit -f 4``, then decisions until the limit is reached."""
    path = tmp_path / "r.csv"
    child = _FILE_SIZE_LIMIT_CHILD.format(cols=COLS, stamp=STAMP)
    done = subprocess.run([sys.executable, "-c", child, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "LogWriteError" in done.stderr and "file-size limit" in done.stderr
    acknowledged = int(done.stdout)
    assert 0 < acknowledged < 500
    df = read_log(path, COLS)
    assert df["record_id"].tolist() == [f"rec{i:04d}" for i in range(acknowledged)]
    assert path.read_bytes().endswith(b"\n")


def test_appending_after_a_torn_quoted_note_is_refused_naming_the_line(tmp_path):
    """Row 2: the next row would be swallowed by the open quote."""
    path = tmp_path / "r.csv"
    append_rows(path, [_stamped("a")], COLS)
    with path.open("a") as fh:
        fh.write('rec,include,,"partial note')
    before = path.read_bytes()
    with pytest.raises(LogWriteError, match=r"r\.csv, line 3: the last row is incomplete \(it ends inside a quoted value.*validate --repair"):
        append_rows(path, [_stamped("b")], COLS)
    assert path.read_bytes() == before
    with pytest.raises(ValidationError, match=r"line 3: the last row is incomplete.*r\.csv\.torn"):
        read_log(path, COLS)


@pytest.mark.parametrize("tail, reason", [
    ("b,incl", "it has 2 of 6 fields"),
    (f"b,include,,,r,{STAMP[:9]}", "its timestamp is cut short"),
    ('b,include,,"two\nlines', "it ends inside a quoted value"),
    ('b,include,,"a note ending in a line break\n', "it ends inside a quoted value"),
])
def test_every_kind_of_torn_last_row_is_found_and_left_unread(tmp_path, tail, reason):
    path = tmp_path / "r.csv"
    path.write_text(HEADER + f"a,include,,,r,{STAMP}\n" + tail)
    header, rows, problems = csv_rows_with_lines(path)
    assert [r[0] for r in rows] == [2]
    assert [p.line for p in problems] == [3] and reason in problems[0].message


def test_a_last_row_that_only_lacks_its_line_break_is_whole(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(HEADER + f'a,include,,"said ""hi""",r,{STAMP}')
    assert csv_rows_with_lines(path)[2] == []
    append_rows(path, [_stamped("b")], COLS)
    assert read_log(path, COLS)["note"].tolist() == ['said "hi"', ""]


def test_repair_moves_the_torn_tail_to_a_side_file_and_appends_work_again(tmp_path):
    path = tmp_path / "r.csv"
    append_rows(path, [_stamped("a")], COLS)
    # An older writer went on after a torn note: both rows are inside the open quote now.
    torn = 'rec,include,,"partial note\nb,include,,,r,' + STAMP + "\n"
    with path.open("a") as fh:
        fh.write(torn)
    message = repair_torn_tail(path)
    assert message is not None and "lines 3-4" in message and "r.csv.torn" in message
    assert (tmp_path / "r.csv.torn").read_text() == torn
    assert repair_torn_tail(path) is None
    append_rows(path, [_stamped("c")], COLS)
    assert read_log(path, COLS)["record_id"].tolist() == ["a", "c"]


def test_a_header_saved_with_a_byte_order_mark_takes_appends(tmp_path):
    """Row 6: "UTF-8 with BOM" from a spreadsheet or an editor."""
    path = tmp_path / "r.csv"
    path.write_bytes(codecs.BOM_UTF8 + (HEADER + f"a,include,,,r,{STAMP}\n").encode())
    append_rows(path, [_stamped("b")], COLS)
    assert read_log(path, COLS)["record_id"].tolist() == ["a", "b"]


def test_a_zero_byte_log_is_an_empty_log(tmp_path):
    """Row 11: a crash between creating a log and writing its header leaves 0 bytes."""
    path = tmp_path / "r.csv"
    path.touch()
    assert csv_rows_with_lines(path) == ([], [], [])
    assert read_log(path, COLS).empty
    append_rows(path, [_stamped("a")], COLS)
    assert path.read_text().startswith(HEADER)


def test_a_note_longer_than_a_cell_is_refused_and_long_cells_are_read(tmp_path):
    """Row 4: a 200,000-character note was written, and then no reader could read the log."""
    path = tmp_path / "r.csv"
    append_rows(path, [_stamped("a")], COLS)
    before = path.read_bytes()
    with pytest.raises(FieldTooLongError, match=r"note is 200,000 characters long; a log cell holds at most 50,000"):
        append_rows(path, [_stamped("b", note="x" * 200_000)], COLS)
    assert path.read_bytes() == before
    with path.open("a") as fh:  # a log edited by hand may hold more than a writer writes
        fh.write(f"c,include,,{'y' * 300_000},r,{STAMP}\n")
    assert read_log(path, COLS)["note"].str.len().tolist() == [0, 300_000]


def test_a_lone_carriage_return_in_a_note_does_not_split_the_row(tmp_path):
    path = tmp_path / "r.csv"
    append_rows(path, [_stamped("a", note="one\rtwo\r\nthree")], COLS)
    assert read_log(path, COLS)["note"].tolist() == ["one\ntwo\nthree"]


def test_a_log_that_is_a_symbolic_link_is_not_followed(tmp_path):
    """Row 10: a committed link in place of a reviewer log points out of the project."""
    outside = tmp_path / "outside.csv"
    outside.write_text(HEADER)
    log = tmp_path / "project" / "evidence" / "screening" / "title_abstract" / "alex.csv"
    log.parent.mkdir(parents=True)
    log.symlink_to(outside)
    with pytest.raises(LogWriteError, match="symbolic link"):
        append_rows(log, [_stamped("a")], COLS)
    assert outside.read_text() == HEADER
    with pytest.raises(ValidationError, match="symbolic link"):
        read_log(log, COLS)
    log.unlink()
    log.symlink_to(tmp_path / "missing.csv")  # a dangling link is not an empty log either
    with pytest.raises(ValidationError, match="symbolic link"):
        read_log(log, COLS)


def test_a_folder_link_inside_evidence_is_not_followed(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    stage = tmp_path / "project" / "evidence" / "screening" / "title_abstract"
    stage.parent.mkdir(parents=True)
    stage.symlink_to(outside, target_is_directory=True)
    with pytest.raises(LogWriteError, match="its folder title_abstract/ is a symbolic link"):
        append_rows(stage / "alex.csv", [_stamped("a")], COLS)
    assert list(outside.iterdir()) == []
