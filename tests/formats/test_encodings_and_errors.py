"""Encodings, line endings, and files that cannot be read."""

from __future__ import annotations

import codecs

import pytest

from reviewbench.errors import SKIPPED, InputFileError, Problem, UnknownFormatError
from reviewbench.formats import FileReport, ImportReport, read_bytes, read_file, read_files

RIS = "TY  - JOUR\nTI  - Prostitution policy in Zürich and Malmö — a “comparison”\nAU  - Müller, Jörg\nPY  - 2019\nER  - \n"


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda t: t.encode("utf-8"), id="utf-8"),
        pytest.param(lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), id="utf-8-bom"),
        pytest.param(lambda t: t.encode("utf-16"), id="utf-16-bom"),
        pytest.param(lambda t: t.encode("utf-16-le"), id="utf-16-le-no-bom"),
        pytest.param(lambda t: t.encode("utf-16-be"), id="utf-16-be-no-bom"),
        pytest.param(lambda t: t.encode("cp1252"), id="windows-1252"),
        pytest.param(lambda t: t.replace("\n", "\r\n").encode("utf-8"), id="crlf"),
        pytest.param(lambda t: t.replace("\n", "\r").encode("utf-8"), id="cr"),
    ],
)
def test_every_encoding_reads_the_same_first_record(encode):
    df, _ = read_bytes(encode(RIS), "x.ris")
    assert len(df) == 1
    assert df.iloc[0]["title"] == "Prostitution policy in Zürich and Malmö — a “comparison”"
    assert df.iloc[0]["authors"] == ["Müller, Jörg"]


def test_latin1_bibtex():
    text = "@article{k, author = {Müller, Jörg}, title = {Café society}, year = {1999}}\n"
    df, _ = read_bytes(text.encode("latin-1"), "x.bib")
    assert df.iloc[0]["authors"] == ["Müller, Jörg"] and df.iloc[0]["title"] == "Café society"


def test_gbk_bibtex():
    text = "@article{k, author = {王, 小明}, title = {性工作者的健康与社会服务研究综述}, year = {2018}}\n"
    df, _ = read_bytes(text.encode("gbk"), "x.bib")
    assert df.iloc[0]["title"] == "性工作者的健康与社会服务研究综述"
    assert df.iloc[0]["authors"] == ["王, 小明"]


def test_mixed_line_endings():
    data = b"TY  - JOUR\r\nTI  - One\nAU  - Doe, J\r\nER  - \r\n\nTY  - JOUR\rTI  - Two\rER  - \r"
    df, _ = read_bytes(data, "x.ris")
    assert list(df["title"]) == ["One", "Two"]


def test_empty_file(tmp_path):
    path = tmp_path / "empty.ris"
    path.write_bytes(b"  \n\n")
    with pytest.raises(InputFileError, match="empty"):
        read_file(path)


def test_binary_file_names_the_file(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4\n\x00\x01\x02\xff\xfe binary \x00\x00" * 50)
    with pytest.raises(InputFileError) as err:
        read_file(path)
    assert "scan.pdf" in str(err.value)


def test_wrong_format_says_what_was_expected():
    with pytest.raises(UnknownFormatError) as err:
        read_bytes(b"Dear reviewer,\nplease find the references attached.\n", "letter.txt")
    message = str(err.value)
    assert "letter.txt" in message and "line 1" in message and "RIS" in message and "BibTeX" in message


def test_missing_file(tmp_path):
    with pytest.raises(InputFileError, match="not found"):
        read_file(tmp_path / "nope.ris")


def test_ris_with_only_broken_records_is_an_error():
    with pytest.raises(InputFileError) as err:
        read_bytes(b"TY  - JOUR\nER  - \nTY  - JOUR\nER  - \n", "hollow.ris")
    assert "hollow.ris" in str(err.value) and "line 1" in str(err.value)


def test_bad_json():
    with pytest.raises(InputFileError) as err:
        read_bytes(b'[{"title": "x", "type": "book",}\n', "bad.json")
    assert "bad.json" in str(err.value)


def test_zip_that_is_not_a_workbook():
    with pytest.raises(InputFileError, match="ZIP"):
        read_bytes(b"PK\x03\x04" + b"\x00" * 100, "archive.zip")


def test_read_files_concatenates_and_reports_per_file(fixtures):
    df, report = read_files([fixtures / "multiline.ris", fixtures / "truncated.ris"], progress=False)
    assert len(df) == 4 and df["record_id"].is_unique
    assert [f.records for f in report.files] == [2, 2]
    summary = report.summary()
    assert "multiline.ris" in summary and "truncated.ris" in summary and "no ER line" in summary


def test_progress_bar_only_when_asked_or_at_a_terminal(fixtures, capsys):
    paths = [fixtures / "multiline.ris", fixtures / "pubmed.nbib"]
    read_files(paths)  # standard error is not a terminal here: no bar
    assert "importing" not in capsys.readouterr().err
    read_files(paths, progress=True)
    assert "importing" in capsys.readouterr().err


def test_report_lists_at_most_the_first_problems_of_each_file():
    problems = [Problem("big.ris", n, "record skipped: no fields after TY", kind=SKIPPED) for n in range(1, 31)]
    report = ImportReport([FileReport("big.ris", "ris", records=5, problems=problems)])
    text = report.summary(max_problems=10)
    assert text.count("record skipped") == 10
    assert "20 more problem(s) not shown" in text
    assert text.splitlines()[1].split()[-3:] == ["5", "30", "0"]  # records, skipped, warnings
