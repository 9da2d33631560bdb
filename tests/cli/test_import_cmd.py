"""``reviewbench import``: writes the record CSV and prints the per-file report."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reviewbench.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"


def test_import_writes_records_and_reports_problems(tmp_path, capsys):
    fixtures = FIXTURES
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
