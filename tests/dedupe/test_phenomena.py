"""Export phenomena the comparison keys read through, each on invented values.

Each test names a kind of export (not a record of any benchmark) and checks that two
forms of one value give the same key, or that a field holding the wrong thing is read as
what it really holds.
"""

from __future__ import annotations

import pytest

from reviewbench.dedupe import find_duplicates
from reviewbench.dedupe.normalise import (
    abstract_key,
    authors_key,
    doi_from_url,
    issue_numbers,
    prepare_records,
    start_page,
    title_key,
)

from .helpers import cluster_of, make_records


def test_a_record_with_its_citation_in_the_journal_field_merges_with_the_plain_one() -> None:
    base = {"title": "Housing first for people who sell sex: a realist evaluation", "authors": ["Ahmed, Sana", "Walsh, Ciara"],
            "year": 2018, "journal": "Health Promotion International", "volume": "33", "issue": "4", "pages": "612-620"}
    ovid = dict(base, journal="Health Promot Int.33 (4) ()(pp 612-620) 2018.Date of Publication: August 2018.",
                volume=None, issue=None, pages=None)
    other = dict(base, pages="712-720", authors=["Ahmed, Sana"])  # another item on another page
    keys = prepare_records(make_records([ovid]))
    assert keys.loc[0, ["volume_key", "page_key", "issue_numbers"]].tolist() == ["33", "612", "4"]
    clusters = cluster_of(find_duplicates(make_records([base, ovid, other])))
    assert clusters["r1"] == clusters["r2"] != clusters["r3"]


@pytest.mark.parametrize("pages", ["2018 Aug", "August", "Aug", "Spring 2018", "August 2018"])
def test_a_date_in_the_pages_field_is_no_page(pages: str) -> None:
    assert start_page(pages) == ""


@pytest.mark.parametrize("pages, first", [("612-20", "612"), ("e0211", "211"), ("S12-S13", "12"), ("2018", "2018")])
def test_page_numbers_are_still_read(pages: str, first: str) -> None:
    assert start_page(pages) == first


@pytest.mark.parametrize(
    "url, doi",
    [
        ("https://doi.org/10.1093/HEAPRO/DAX012", "10.1093/heapro/dax012"),
        ("https://academic.example.org/doi/10.1093/heapro/dax012/pdf", "10.1093/heapro/dax012"),
        ("https://onlinelibrary.example.com/doi/abs/10.1111/jan.12501", "10.1111/jan.12501"),
        ("http://resolver.example.edu/sfx?sid=OVID:embase&id=doi:10.1111%2Fjan.12501&issn=0309-2402", "10.1111/jan.12501"),
        ("https://www.example.org/article/12345", ""),
        # a link resolver's query encodes the DOI once more than its link: "(" arrives as "%2528"
        ("http://resolver.example.edu/sfx?id=doi:10.1016%2FS0000-0000%252801%252900001-X&issn=1", "10.1016/s0000-0000(01)00001-x"),
    ],
)
def test_doi_in_a_link(url: str, doi: str) -> None:
    assert doi_from_url(url) == doi


def test_a_doi_percent_encoded_in_the_doi_field_is_decoded() -> None:
    keys = prepare_records(make_records([{"title": "A study", "doi": "http://dx.doi.org/10.1016/S0000-0000%2801%2900001-X"}]))
    assert keys.loc[0, "doi"] == "10.1016/s0000-0000(01)00001-x"


def test_doi_only_in_the_link_counts_as_the_records_doi() -> None:
    keys = prepare_records(make_records([{"title": "A study", "url": "https://doi.org/10.1111/jan.12501"}]))
    assert keys.loc[0, "doi"] == "10.1111/jan.12501"


@pytest.mark.parametrize(
    "value",
    [
        "OkaforA.LindqvistM.J.PereiraT.",  # no separators at all
        "Okafor; Lindqvist; Pereira",  # surnames only
        "Okafor A, Lindqvist MJ, Pereira T",  # Vancouver
        ["Okafor, Adaeze", "Lindqvist, Maja J.", "Pereira, Tomas"],
        ["PEER OUTREACH Study Group", "Okafor, A.", "Lindqvist, M. J.", "Pereira, T."],  # a group author in front
    ],
)
def test_author_lists_in_any_form_give_the_same_surnames(value) -> None:
    assert authors_key(value) == "okafor lindqvist pereira"


def test_a_list_cut_with_et_al_keeps_its_first_names() -> None:
    assert authors_key("Okafor A, Lindqvist MJ, et al.") == "okafor lindqvist"


def test_initials_only_and_group_only_lists_count_as_no_authors() -> None:
    assert authors_key("A; M; T") == ""
    assert authors_key(["Writing Committee for the Outreach Trial"]) == ""


@pytest.mark.parametrize(
    "a, b",
    [
        ("Uptake of (15)N-labelled nitrate", "Uptake of 15N-labelled nitrate"),  # isotope notation
        ("Uptake of <sup>15</sup>N-labelled nitrate", "Uptake of 15N labelled nitrate"),
        ("Role of TNF-\u03b1 in sepsis", "Role of TNF-alpha in sepsis"),  # Greek letter or its name
        ("Stigma &amp; <i>access</i> to care", "Stigma and access to care"),  # HTML remnants
        ('<mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:mi>p</mml:mi></mml:math>-values in surveys', "p-values in surveys"),
        ("[Access to care among migrants]. [Article in Spanish]", "Access to care among migrants"),  # translated title
    ],
)
def test_titles_that_differ_only_in_notation_compare_equal(a: str, b: str) -> None:
    assert title_key(a).replace(" ", "") == title_key(b).replace(" ", "")


@pytest.mark.parametrize("title", ["#NAME?", "#VALUE!", "#REF!"])
def test_a_spreadsheet_error_is_no_title(title: str) -> None:
    assert title_key(title) == ""


@pytest.mark.parametrize(
    "issue, volume, pages, numbers",
    [
        ("5-6", "", "", "5 6"),  # a double issue
        ("3 Pt 2", "", "", "2 3"),
        ("Mar", "", "", ""),  # a month is no issue number
        ("1412", "19 (1) (no pagination)", "1412", "1"),  # Embase: issue in the volume, article number in the issue
        ("", "61 (Suppl 1)", "", ""),  # a supplement is no issue
    ],
)
def test_issue_numbers(issue: str, volume: str, pages: str, numbers: str) -> None:
    assert issue_numbers(issue, volume, pages) == numbers


def test_an_article_number_in_the_issue_field_is_no_conflicting_issue() -> None:
    base = {"title": "Outreach for women who sell sex in rural areas", "authors": ["Ahmed, Sana"], "year": 2019,
            "journal": "BMC Public Health", "volume": "19"}
    records = make_records([dict(base, issue="1412"), dict(base, issue="1", pages="1412")])
    assert find_duplicates(records)["cluster_id"].nunique() == 1


def test_abstract_key_ignores_short_texts() -> None:
    assert abstract_key("No abstract available.") == ""
    text = "Background: " + " ".join(f"word{n}" for n in range(100))
    assert abstract_key(text).split()[:2] == ["background", "word0"] and len(abstract_key(text).split()) == 60
