"""CSV, TSV and XLSX as hostile input: long cells, quotes never closed, damaged sheets."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest

from reviewbench.errors import SKIPPED, WARNING, InputFileError
from reviewbench.formats import read_bytes, read_file, read_text
from reviewbench.formats import table


def _csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def test_a_200_kb_abstract_in_row_2_of_4_loses_no_row():
    """Row 4: the csv module's 128 KiB cell limit dropped every row after such a cell."""
    text = _csv([["Title", "Abstract", "Year"], ["a", "x", "2001"], ["b", "y" * 200_000, "2002"], ["c", "z", "2003"], ["d", "w", "2004"]])
    df, report = read_text(text, "big.csv")
    assert df["title"].tolist() == ["a", "b", "c", "d"] and report.problems == []
    assert len(df.iloc[1]["abstract"]) == 200_000


def test_a_row_the_csv_module_cannot_read_names_its_line_and_reading_goes_on(monkeypatch):
    monkeypatch.setattr(table, "FIELD_LIMIT", 1000)
    text = _csv([["Title", "Abstract"], ["a", "x"], ["b", "y" * 5000], ["c", "z"], ["d", "w"]])
    df, report = read_text(text, "big.csv")
    assert df["title"].tolist() == ["a", "c", "d"]
    [problem] = report.problems
    assert (problem.line, problem.kind) == (3, SKIPPED) and "read on from line 4" in problem.message
    assert report.skipped == 1


def test_a_quote_never_closed_does_not_swallow_the_rows_after_it():
    df, report = read_text('Title,Authors\nFirst,"Smith, J\nSecond,Roe\nThird,Doe\n', "q.csv")
    assert df["title"].tolist() == ["First", "Second", "Third"]
    assert df.iloc[0]["authors"] == ["Smith, J"]
    [problem] = report.problems
    assert (problem.line, problem.kind) == (2, WARNING) and "never closed" in problem.message


def test_a_quote_never_closed_before_carriage_returns_is_read_line_by_line():
    """Found by the fuzz: a line that ends in a lone carriage return sent the reader back
    to the start of the table, for ever."""
    records, problems = table.parse('Title,Abstract\na,"x\rb,y\rc,z', "x.csv")
    assert [r["title"] for r in records] == ["a", "b", "c"] and [p.line for p in problems] == [2]


def test_quoted_cells_over_several_lines_are_still_one_cell():
    df, report = read_text('Title,Abstract\nFirst,x\nSecond,"two\nlines, and ""quotes"""\n', "q.csv")
    assert df["abstract"].tolist() == ["x", 'two lines, and "quotes"'] and report.problems == []


def test_a_first_line_over_128_kib_is_detected_without_a_traceback():
    """Row 7: format detection read the first line with the csv module's default limit."""
    df, _ = read_text("Title,Notes\nA study," + "n" * 200_000 + "\n", "wide.csv")
    assert df["title"].tolist() == ["A study"]
    with pytest.raises(InputFileError):
        read_text("x" * 200_000 + ",y\n1,2\n", "wide.txt")


def _workbook(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Title", "Year"])
    book.active.append(["A study", 2001])
    path = tmp_path / "ok.xlsx"
    book.save(path)
    return path


def test_a_broken_worksheet_names_the_sheet_and_the_file(tmp_path):
    """Row 7: broken worksheet XML inside an XLSX raised a bare XML error."""
    good = _workbook(tmp_path)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(broken, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, data[: len(data) // 2] if item.filename == "xl/worksheets/sheet1.xml" else data)
    with pytest.raises(InputFileError, match=r"broken\.xlsx: the worksheet 'Sheet' cannot be read"):
        read_file(broken)


def test_a_workbook_cut_short_is_an_input_file_error(tmp_path):
    data = _workbook(tmp_path).read_bytes()
    with pytest.raises(InputFileError, match="cut.xlsx"):
        read_bytes(data[: len(data) * 2 // 3], "cut.xlsx")
