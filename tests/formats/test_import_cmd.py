"""``reviewbench import``: writes the record CSV and prints the per-file report."""

from __future__ import annotations

import pandas as pd

from reviewbench.cli import main


def test_import_writes_records_and_reports_problems(fixtures, tmp_path, capsys):
    out = tmp_path / "records.csv"
    status = main(["import", str(fixtures / "truncated.ris"), str(fixtures / "broken.bib"), "-o", str(out)])
    assert status == 0
    err = capsys.readouterr().err
    assert "truncated.ris" in err and "broken.bib" in err
    assert "line 7" in err and "no ER line" in err
    assert "line 14" in err and "unbalanced2018" in err
    assert "wrote 10 records" in err
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(table) == 10
    assert "good2019" in set(table["source_id"])
    assert table["record_id"].is_unique


def test_import_of_unreadable_file_exits_2_with_message(tmp_path, capsys):
    bad = tmp_path / "notes.txt"
    bad.write_text("just some notes\n")
    status = main(["import", str(bad), "-o", str(tmp_path / "out.csv")])
    assert status == 2
    err = capsys.readouterr().err
    assert "notes.txt" in err and "line 1" in err and "expected" in err
    assert "Traceback" not in err


def test_report_lists_at_most_the_first_problems_of_each_file():
    from reviewbench.errors import SKIPPED, Problem
    from reviewbench.formats import FileReport, ImportReport

    problems = [Problem("big.ris", n, "record skipped: no fields after TY", kind=SKIPPED) for n in range(1, 31)]
    report = ImportReport([FileReport("big.ris", "ris", records=5, problems=problems)])
    text = report.summary(max_problems=10)
    assert text.count("record skipped") == 10
    assert "20 more problem(s) not shown" in text
    assert text.splitlines()[1].split()[-3:] == ["5", "30", "0"]  # records, skipped, warnings
