"""Bibliographic fields that database table exports spread over other columns: page counts
beside start and end pages, article numbers for pages, a whole citation in the source or
citation column, and a delimiter after the last cell. Every table here is invented."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewbench.formats import read_text
from reviewbench.formats.table import parse_citation


def _table(header: list[str], rows: list[list[str]], delimiter: str = ",", trailing: bool = False) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(row + ([""] if trailing else []))
    return buf.getvalue()


WOS_HEADER = ["PT", "AU", "TI", "SO", "PY", "VL", "IS", "BP", "EP", "AR", "DI", "PG", "UT"]


def test_a_page_count_beside_start_and_end_pages_is_not_the_pages_and_a_trailing_tab_is_no_problem():
    text = _table(WOS_HEADER, [["J", "Okafor, N; Lund, P", "Night clinics for dock workers", "HARBOUR HEALTH", "2019", "12", "3",
                                "220", "231", "", "10.9999/hh.2019.3", "12", "WOS:0001"]], delimiter="\t", trailing=True)
    df, report = read_text(text, "savedrecs.txt")
    row = df.iloc[0]
    assert row["pages"] == "220-231"  # BP-EP, not PG's page count of 12
    assert row["extra"]["PG"] == "12"  # the count is kept, not dropped
    assert report.problems == []  # the tab after the last cell is how these rows end


def test_an_extra_cell_with_something_in_it_is_still_reported():
    text = _table(["Title", "Year"], [["A study of ferries", "2001", "surplus"]])
    df, report = read_text(text, "x.csv")
    assert [p.line for p in report.problems] == [2] and df.iloc[0]["extra"]["column 3"] == "surplus"


def test_a_page_column_alone_is_the_pages():
    df, _ = read_text(_table(["TI", "PG"], [["A study of ferries", "45-52"]]), "medline-like.csv")
    assert df.iloc[0]["pages"] == "45-52"  # MEDLINE's PG is the pagination when no start page is given


def test_an_article_number_stands_for_the_pages_only_when_there_are_none():
    header = ["Title", "Year", "Source title", "Volume", "Page start", "Page end", "Art. No.", "Page count"]
    text = _table(header, [["Lighthouse keepers and sleep", "2020", "Coastal Medicine", "8", "", "", "e0231", "9"],
                           ["Tidal work and back pain", "2021", "Coastal Medicine", "9", "14", "19", "", "6"]])
    df, _ = read_text(text, "scopus.csv")
    assert list(df["pages"]) == ["e0231", "14-19"]


def test_an_embase_source_is_cut_into_its_parts_and_kept_whole():
    source = "Journal of Coastal Medicine (2014) 3:3 (152-160). Date of Publication: 1 Jul 2014"
    df, _ = read_text(_table(["Title", "Author Names", "Source"], [["Ferry crews and noise", "Lund P., Okafor N.", source]]),
                      "embase.csv")
    row = df.iloc[0]
    assert (row["journal"], row["year"], row["volume"], row["issue"], row["pages"]) == (
        "Journal of Coastal Medicine", 2014, "3", "3", "152-160")
    assert row["extra"]["source as exported"] == source  # nothing of the cell is lost


def test_a_pubmed_citation_column_fills_volume_issue_and_pages_but_never_replaces_them():
    header = ["PMID", "Title", "Authors", "Citation", "Journal/Book", "Publication Year", "DOI"]
    rows = [["11111111", "Harbour pilots and fatigue.", "Lund P, Okafor N.",
             "Harbour Health. 2022 Mar;101(4):103567. doi: 10.9999/hh.1. Epub 2021 Dec 20.", "Harbour Health", "2022", "10.9999/hh.1"],
            ["22222222", "Sea fog and asthma.", "Roe R.", "J. Coast Med. 2018;7:e44.", "J Coast Med", "2018", ""]]
    df, _ = read_text(_table(header, rows), "csv-pubmed.csv")
    assert [(r.volume, r.issue, r.pages) for r in df.itertuples()] == [("101", "4", "103567"), ("7", "", "e44")]
    kept, _ = read_text(_table(header + ["Volume"], [rows[0] + ["99"]]), "with-volume.csv")
    assert kept.iloc[0]["volume"] == "99"


@pytest.mark.parametrize(
    "journal, expected",
    [
        # Ovid/Embase: the whole source in the journal field
        ("Health Promotion International.33 (4) ()(pp 612-620) 2018.Date of Publication: August 2018.",
         {"journal": "Health Promotion International", "volume": "33", "issue": "4", "pages": "612-620", "year": "2018"}),
        ("J. Adv. Nurs.71 (2) (pp 301-9), 2015.",
         {"journal": "J. Adv. Nurs", "volume": "71", "issue": "2", "pages": "301-9", "year": "2015"}),
        ("Addiction.40 (SUPPL. 2) ()(pp 12A) 2016.Date of Publication: June 2016.",  # a full stop inside the issue
         {"journal": "Addiction", "volume": "40", "issue": "SUPPL. 2", "pages": "12A", "year": "2016"}),
        ("Addiction.2) () ()(pp 12A) 2016.", {"journal": "Addiction", "volume": "2", "issue": "", "pages": "12A", "year": "2016"}),
        # MEDLINE source line, also without pages or with two parentheses
        ("BMC Public Health. 2019 Nov 4;19(1):1412", {"journal": "BMC Public Health", "volume": "19", "issue": "1", "pages": "1412", "year": "2019"}),
        ("Addiction. 2016 Jun;40(Supplement 2):", {"journal": "Addiction", "volume": "40", "issue": "Supplement 2", "pages": "", "year": "2016"}),
        ("Addiction. 2016 Jun;40 (2 Supplement 1)(Suppl 1):S12",
         {"journal": "Addiction", "volume": "40", "issue": "2 Supplement 1", "pages": "S12", "year": "2016"}),
        # a part's letter after the volume, an issue repeated, an empty parenthesis
        ("Coastal Genetics Part B. 2012 May;159 B(8):885-895",
         {"journal": "Coastal Genetics Part B", "volume": "159", "issue": "8", "pages": "885-895", "year": "2012"}),
        ("Harbour Care. 2012 Oct;14 (2)(2):61", {"journal": "Harbour Care", "volume": "14", "issue": "2", "pages": "61", "year": "2012"}),
        ("Harbour Care. 2010 Sep;105 (5)():A73", {"journal": "Harbour Care", "volume": "105", "issue": "5", "pages": "A73", "year": "2010"}),
        ("Harbour Care. 2011 Mar;12():201-211", {"journal": "Harbour Care", "volume": "12", "issue": "", "pages": "201-211", "year": "2011"}),
    ],
)
def test_ovid_and_medline_source_lines_are_read_into_their_parts(journal: str, expected: dict) -> None:
    """A whole source line, as Ovid or MEDLINE write it into the journal field (deduplication reads it there)."""
    assert parse_citation(journal) == expected


@pytest.mark.parametrize("journal", ["The Lancet", "Sexually Transmitted Infections", "Health & Place; a journal", "Reports (2019)"])
def test_plain_journal_names_are_not_citations(journal: str) -> None:
    assert parse_citation(journal) == {}


def test_a_plain_journal_name_is_left_as_it_is():
    assert parse_citation("Journal of Coastal Medicine") == {}
    assert parse_citation("Scopus") == {}


def test_a_year_in_a_journals_name_is_not_its_publication_year():
    """NLM abbreviations tell journals of one title apart by the year they began."""
    assert parse_citation("J Coast Physiol (1985)") == {}
    df, _ = read_text(_table(["Title", "Journal", "Year"], [["Tidal work", "J Coast Physiol (1985)", ""]]), "nlm.csv")
    row = df.iloc[0]
    assert row["journal"] == "J Coast Physiol" and pd.isna(row["year"])  # compared without it; no year from the name
    assert row["extra"]["source as exported"] == "J Coast Physiol (1985)"
    cut, _ = read_text(_table(["Title", "Source"], [["Tidal work", "J Coast Physiol (2014). Date of Publication: 2014"]]), "e.csv")
    assert (cut.iloc[0]["journal"], cut.iloc[0]["year"]) == ("J Coast Physiol", 2014)  # an Embase source without a volume
    df, _ = read_text(_table(["Title", "Source title", "Source"], [["Ferries", "Coastal Medicine", "Scopus"]]), "s.csv")
    assert df.iloc[0]["journal"] == "Coastal Medicine" and df.iloc[0]["volume"] == ""


_words = st.lists(st.sampled_from(["Journal", "of", "Coastal", "Harbour", "Medicine", "Health", "Research", "Public", "J", "Int"]),
                  min_size=1, max_size=5).map(" ".join)
_number = st.integers(1, 400).map(str)
_pages = st.one_of(st.tuples(st.integers(1, 900), st.integers(0, 40)).map(lambda t: f"{t[0]}-{t[0] + t[1]}"),
                   st.integers(1, 99999).map(lambda n: f"e{n}"))


@settings(max_examples=200, deadline=None)
@given(journal=_words, year=st.integers(1950, 2030), volume=_number, issue=st.one_of(st.just(""), _number), pages=_pages)
def test_citations_in_embase_and_medline_form_give_back_their_parts(journal, year, volume, issue, pages):
    medline = f"{journal}. {year} Mar;{volume}{f'({issue})' if issue else ''}:{pages}. doi: 10.9999/x."
    embase = f"{journal} ({year}) {volume}{f':{issue}' if issue else ''} ({pages}). Date of Publication: {year}"
    for text in (medline, embase):
        assert parse_citation(text) == {"journal": journal, "year": str(year), "volume": volume, "issue": issue, "pages": pages}


_months = st.sampled_from(["January", "March", "June", "December"])


@settings(max_examples=200, deadline=None)
@given(journal=_words, year=st.integers(1950, 2030), volume=_number, issue=st.one_of(st.just(""), _number), pages=_pages,
       month=_months)
def test_ovid_source_lines_give_back_their_parts(journal, year, volume, issue, pages, month):
    ovid = f"{journal}.{volume} ({issue}) ()(pp {pages}) {year}.Date of Publication: {month} {year}."
    assert parse_citation(ovid) == {"journal": journal, "year": str(year), "volume": volume, "issue": issue, "pages": pages}
