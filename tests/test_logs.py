import csv
import multiprocessing as mp

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewbench.errors import ValidationError
from reviewbench.logs import append_rows, csv_rows_with_lines, latest, read_log, read_log_with_lines

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
    path.write_text(",".join(COLS) + "\na,include,,,r,t")
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
