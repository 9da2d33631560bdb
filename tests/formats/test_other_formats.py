"""BibTeX recovery, EndNote XML, CSL-JSON, ProQuest reports and tables."""

from __future__ import annotations

import json

import openpyxl
import pytest

from reviewbench.errors import InputFileError
from reviewbench.formats import read_bytes, read_file, read_text


@pytest.fixture
def broken_bib(fixtures):
    return read_file(fixtures / "broken.bib")


def test_bibtex_one_bad_entry_does_not_take_the_rest(broken_bib, by_title):
    df, report = broken_bib
    # 8 live entries; the @comment and the %-commented entry are not records.
    assert len(df) == 8
    assert "Commented out" not in set(df["title"])
    rec = by_title(df, "This title never closes")
    assert rec["year"] == 2018
    lines = {p.record: p.line for p in report.problems}
    assert lines["unbalanced2018"] == 14


def test_bibtex_field_names_with_spaces_repeated_fields_and_macros(broken_bib, by_title):
    df, report = broken_bib
    assert by_title(df, "Field names with spaces")["extra"]["funding_text_1"] == "Grant 123"
    repeated = by_title(df, "Repeated fields")
    assert repeated["extra"]["title_2"] == "A second title"
    macro = by_title(df, "An undefined macro")
    assert macro["year"] == 2014
    assert any("undefined string" in p.message and p.record == "macro2014" for p in report.problems)
    assert by_title(df, "Sex work and health")["journal"] == "Journal of Public Health"  # @string


def test_bibtex_empty_and_missing_keys(broken_bib, by_title):
    df, _ = broken_bib
    assert by_title(df, "An entry with an empty key")["source_id"] == ""
    assert by_title(df, "EndNote writes entries")["authors"] == ["Keyless, Endnote"]
    assert by_title(df, "Sex work and health")["source_id"] == "good2019"


def test_bibtex_latex_to_unicode_and_people(broken_bib, by_title):
    df, _ = broken_bib
    good = by_title(df, "Sex work and health")
    assert good["title"] == "Sex work and health in Yorkshire: a scoping review"
    assert good["authors"] == ["Müller, Jörg", "World Health Organization"]  # "and others" dropped
    assert good["pages"] == "221-228" and good["doi"] == "10.1093/pubmed/fdy001"
    accents = by_title(df, "Café")
    assert accents["title"] == "Café culture, 50% more & μ-scale effects"
    assert accents["authors"] == ["Škoda, Ondřej", "García Márquez, Gabriel", "van Beethoven, Ludwig"]


def test_endnote_xml_with_and_without_style_wrappers(fixtures, by_title):
    df, report = read_file(fixtures / "endnote.xml")
    assert report.format == "endnote_xml" and len(df) == 2
    rec = by_title(df, "Trends in the lifetime risk")
    assert rec["title"] == "Trends in the lifetime risk of developing cancer"
    assert rec["authors"] == ["Ahmad, AS", "Sasieni, PD"]
    assert rec["pages"] == "943-947" and rec["doi"] == "10.1038/bjc.2014.606"
    assert rec["keywords"] == ["Risk"] and rec["extra"]["custom1"] == "kept in extra"
    # Free-text group authors are turned round like personal names (record-id stability).
    assert by_title(df, "A report")["authors"] == ["World Health Organization"]


def test_endnote_xml_cut_off_keeps_earlier_records(fixtures):
    text = (fixtures / "endnote.xml").read_text(encoding="utf-8")
    cut = text[: text.index("<record><ref-type name=\"Report\"") + 40]
    df, report = read_text(cut, "cut.xml")
    assert len(df) == 1
    assert report.problems and report.problems[0].line is not None


def test_csl_json_list_and_single_object(fixtures):
    df, _ = read_file(fixtures / "csl.json")
    assert list(df["source_id"]) == ["himmelstein2018", "nodate", "raw"]
    first = df.iloc[0]
    assert first["authors"] == ["Himmelstein, Daniel S.", "The Manubot Consortium", "van Beethoven, Ludwig"]
    assert first["year"] == 2018 and first["pmid"] == "31233491"
    assert first["keywords"] == ["writing", "collaboration"]
    assert "indexed" in first["extra"]
    assert df["year"].isna().iloc[1] and df.iloc[2]["year"] == 2011
    single = json.dumps(json.loads((fixtures / "csl.json").read_text())[0])
    one, _ = read_text(single, "one.json")
    assert one.iloc[0]["title"] == "Open collaborative writing"


def test_proquest_report(fixtures):
    df, report = read_file(fixtures / "proquest.txt")
    assert report.format == "proquest" and len(df) == 2
    first = df.iloc[0]
    assert first["authors"] == ["Dorst, Chris"]
    assert first["abstract"] == "Surprisingly little attention has been paid. A second paragraph of the abstract: with a colon."
    assert first["url"] == "http://search.proquest.com/docview/1548716365"
    assert first["year"] == 2014


def test_scopus_csv_pages_labels_and_ragged_rows(fixtures, by_title):
    df, report = read_file(fixtures / "scopus.csv")
    assert len(df) == 3
    first = by_title(df, "Duplication cysts")
    assert first["authors"] == ["Liu, R.", "Adler, D.G."]
    assert first["pages"] == "152-160"
    assert first["abstract"] == "An abstract & more"
    assert first["extra"]["label_included"] == "1"
    assert by_title(df, "Intestinal")["authors"] == ["Adeli, K.", "Lewis, G. F."]
    ragged = [p for p in report.problems if "cells" in p.message]
    assert [p.line for p in ragged] == [4]
    assert by_title(df, "A row with too many")["extra"]["column 18"] == "surplus"


@pytest.mark.parametrize("column", ["ID", "id", "record_id", "RecordID"])
def test_csv_id_columns_go_to_source_id_unchanged(column):
    text = f"{column},title,author\n007-A,First,Smith J\n 42 ,Second,Roe R\n"
    df, _ = read_text(text, "ids.csv")
    assert list(df["source_id"]) == ["007-A", "42"]


def test_tsv_and_semicolon_tables():
    tsv, _ = read_text("Title\tAuthors\tPublication Year\nA\tSmith, J; Roe, R\t2001\n", "x.tsv")
    assert tsv.iloc[0]["authors"] == ["Smith, J", "Roe, R"] and tsv.iloc[0]["year"] == 2001
    semi, _ = read_text("title;year\nB;1999\n", "x.csv")
    assert semi.iloc[0]["title"] == "B"


def test_xlsx_workbook(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Title", "Authors", "Year", "DOI", "record_id"])
    sheet.append(["Spreadsheet record", "Smith, J; Roe, R", 2020, "https://doi.org/10.1000/ABC", "r1"])
    path = tmp_path / "export.xlsx"
    book.save(path)
    df, report = read_file(path)
    assert report.format == "xlsx"
    rec = df.iloc[0]
    assert (rec["title"], rec["year"], rec["doi"], rec["source_id"]) == ("Spreadsheet record", 2020, "10.1000/abc", "r1")


def test_table_without_title_column_is_an_error():
    with pytest.raises(InputFileError) as err:
        read_bytes(b"name,age\nx,1\n", "people.csv")
    assert "people.csv" in str(err.value)
