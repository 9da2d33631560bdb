"""Inputs as people pass them: a folder of exports, ``bibliography/*`` with the search log in
it, a CSL-JSON item without fields, a BibTeX entry with an escaped brace."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from reviewbench.cli import main
from reviewbench.errors import InputFileError, WARNING
from reviewbench.formats import read_file, read_files

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def bibliography(tmp_path: Path) -> Path:
    folder = tmp_path / "bibliography"
    shutil.copytree(REPO / "bibliography", folder)
    (folder / ".DS_Store").write_bytes(b"\0\1")
    (folder / "README.md").write_text("Exports of the searches.\n")
    return folder


def test_a_folder_is_every_export_in_it(bibliography):
    records, report = read_files([bibliography])
    assert sorted(Path(f.path).name for f in report.files) == ["cinahl.bib", "handsearch.csv", "pubmed.nbib", "scopus.ris"]
    assert len(records) == 153 and not report.notes


def test_the_search_log_named_by_the_shell_is_skipped_with_a_note(bibliography):
    records, report = read_files(sorted(p for p in bibliography.iterdir() if not p.name.startswith(".")))
    assert len(records) == 153
    assert [n.split(" skipped")[0].rsplit("/", 1)[-1] for n in report.notes] == ["README.md", "searches.yml"]
    assert "searches.yml describes the searches" in report.summary()


def test_a_folder_without_exports_is_an_error(tmp_path):
    (tmp_path / "searches.yml").write_text("searches: []\n")
    with pytest.raises(InputFileError, match="holds no search exports"):
        read_files([tmp_path])


@pytest.mark.parametrize("command", ["import", "dedupe"])
def test_import_and_dedupe_read_a_folder(bibliography, tmp_path, capsys, command):
    out = tmp_path / f"{command}.csv"
    assert main([command, str(bibliography), "-o", str(out)]) == 0
    assert len(pd.read_csv(out)) == 153
    shell_star = sorted(p for p in bibliography.iterdir() if not p.name.startswith("."))  # what bibliography/* gives
    assert main([command, *map(str, shell_star), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "note:" in err and "searches.yml skipped" in err
    assert len(pd.read_csv(out)) == 153


@pytest.mark.parametrize("text, n", [("[{}]", 1), ("{}", 1), ('[{"title": "A"}, {}]', 2), ("[{}, {}]", 2)])
def test_a_csl_item_without_fields_is_a_record_with_no_title(tmp_path, text, n):
    path = tmp_path / "items.json"
    path.write_text(text)
    records, report = read_file(path)
    assert report.format == "csl_json" and len(records) == n
    assert records["title"].iloc[-1] == ""
    empty = [p for p in report.problems if "no fields" in p.message]
    assert empty and all(p.kind == WARNING for p in empty) and empty[-1].record == str(n)


def test_an_empty_csl_list_holds_no_records(tmp_path):
    path = tmp_path / "items.json"
    path.write_text(json.dumps([]))
    with pytest.raises(InputFileError, match="CSL-JSON but holds no records"):
        read_file(path)


NEIGHBOURS = r"""@article{open,
  title = {Use of the \{ character in titles},
  author = {Smith, John},
  year = {2020}
}

@article{after_open,
  title = {The entry after it},
  year = {2021}
}
@article{close, title = {Closing \} early}, year = {2019}} @article{same_line, title = {On the same line}, year = {2018}}
@article{escaped_backslash, title = {Line\\{break} here}, year = {2017}}
"""


def test_an_escaped_brace_does_not_take_its_neighbour(tmp_path):
    path = tmp_path / "braces.bib"
    path.write_text(NEIGHBOURS)
    records, report = read_file(path)
    by_key = records.set_index("source_id")["title"].to_dict()
    assert list(by_key) == ["open", "after_open", "close", "same_line", "escaped_backslash"]
    assert by_key["open"] == "Use of the { character in titles"
    assert by_key["after_open"] == "The entry after it"
    assert by_key["close"] == "Closing } early"
    assert by_key["same_line"] == "On the same line"
    assert not report.skipped
