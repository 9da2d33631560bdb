"""Every rule of the decision tables, each shown on a synthetic pair of the phenomenon it names.

The records are invented for these tests (no benchmark record is copied). Each case gives
the records, the pair to look at, and the decision and rule that pair must get; a last test
checks that every rule in the tables has a case here.
"""

from __future__ import annotations

import pytest

from reviewbench.dedupe import link_records
from reviewbench.dedupe.rules import DUPLICATE, EXCEPTIONS, IDENTITY, NON_DUPLICATE, REVIEW, MatchSettings

from .helpers import make_records

PAPER = {
    "title": "Peer outreach and sexual health service use among women who sell sex in northern cities",
    "authors": ["Okafor, Adaeze", "Lindqvist, Maja", "Pereira, Tomas"],
    "year": 2017,
    "journal": "Journal of Urban Health",
    "volume": "94",
    "issue": "3",
    "pages": "410-419",
    "doi": "10.1007/s11524-017-0101-x",
    "abstract": " ".join(
        "We interviewed women who sell sex about outreach by peers and how often they used sexual health "
        "services in the year before and after a peer programme began in three cities".split()
    ),
}


def like(base: dict, **changes) -> dict:
    row = dict(base)
    row.update(changes)
    return {k: v for k, v in row.items() if v is not None}


def pair(records: list[dict], a: str = "r1", b: str = "r2", settings: MatchSettings | None = None) -> tuple[str, str]:
    result = link_records(make_records(records), settings=settings)
    p = result.pairs
    row = p[((p["record_id"] == a) & (p["other_record_id"] == b)) | ((p["record_id"] == b) & (p["other_record_id"] == a))]
    assert len(row) == 1, f"{a} and {b} were not compared"
    return row["decision"].iloc[0], row["rule"].iloc[0]


NO_IDS = like(PAPER, doi=None)
OTHERS = ["Okafor, Adaeze", "Brennan, Ciara"]  # the same first author, then others: not the same author list
ABSTRACT = like(NO_IDS, volume="94 (Suppl 1)", issue=None, pages="S12", abstract=None)

CASES = {
    # non-duplicate rules
    "different_kind": ([NO_IDS, like(NO_IDS, title="Erratum: " + PAPER["title"], pages="999")], "linked", "correction_of"),
    "different_pmid": ([like(NO_IDS, pmid="28400001"), like(NO_IDS, pmid="28400002")], "distinct", "different_pmid"),
    "different_doi": ([PAPER, like(PAPER, doi="10.1007/s11524-017-0999-z", pages="420-429", abstract=None)],
                      "distinct", "different_doi"),
    "years_apart": ([like(NO_IDS, volume=None, issue=None, pages=None), like(NO_IDS, year=2020, volume=None, issue=None, pages=None)],
                    "distinct", "years_apart"),
    "different_volume": ([NO_IDS, like(NO_IDS, volume="95", abstract=None, authors=OTHERS)], "distinct", "different_volume"),
    "different_issue": ([NO_IDS, like(NO_IDS, issue="4", abstract=None, authors=OTHERS)], "distinct", "different_issue"),
    "different_pages": ([NO_IDS, like(NO_IDS, pages="510-519", abstract=None, authors=OTHERS)], "distinct", "different_pages"),
    "different_extent": ([like(NO_IDS, pages="1-30", abstract=None), like(NO_IDS, pages="1-42", abstract=None, authors=OTHERS)],
                         "distinct", "different_extent"),
    "different_numbers": (
        [like(NO_IDS, title=PAPER["title"] + ": part 1", pages=None), like(NO_IDS, title=PAPER["title"] + ": part 2", pages=None)],
        "distinct", "different_numbers",
    ),
    "generic_title": (
        [like(NO_IDS, title="Editorial", abstract=None, pages=None, issue=None),
         like(NO_IDS, title="Editorial", abstract=None, pages=None, issue=None, authors=OTHERS)],
        "distinct", "generic_title",
    ),
    "shared_doi": (
        [like(PAPER, doi="10.1007/s11524-017-supp"), like(PAPER, title="Hepatitis B vaccination in prisons", doi="10.1007/s11524-017-supp",
                                                         pages="300-309", abstract=None)],
        "distinct", "different_pages",
    ),
    # exceptions
    "unlabelled_abstract": ([ABSTRACT, like(ABSTRACT, volume="94", ref_type="Journal Article")], "duplicate", "title_authors"),
    "identifier_outweighs_label": (
        [like(ABSTRACT, doi="10.1007/s11524-017-0101-x"),
         like(NO_IDS, doi="10.1007/s11524-017-0101-x", journal=None, volume=None, issue=None, pages=None)],
        "duplicate", "doi",
    ),
    "wrong_doi_on_identical_record": ([PAPER, like(PAPER, doi="10.1007/s11524-016-0777-q")], "duplicate", "title_authors"),
    "doi_outweighs_typo": ([like(PAPER, abstract=None), like(PAPER, pages="401-419", abstract=None)], "duplicate", "doi"),
    "identifier_outweighs_years": ([PAPER, like(PAPER, year=2019, issue=None, pages=None, abstract=None)], "duplicate", "doi"),
    "abstract_outweighs_typo": ([NO_IDS, like(NO_IDS, pages="401-419")], "duplicate", "title_authors"),
    "full_citation": (
        [like(NO_IDS, title="Editorial", abstract=None), like(NO_IDS, title="Editorial", abstract=None, journal="J Urban Health")],
        "duplicate", "title_authors",
    ),
    # identifiers
    "doi": ([PAPER, like(PAPER, volume=None, issue=None, pages=None, journal=None, authors=None, abstract=None)], "duplicate", "doi"),
    "pmid": ([like(NO_IDS, pmid="28400001"), like(NO_IDS, pmid="28400001", volume=None, issue=None, pages=None, journal=None,
                                                  authors=None, abstract=None)], "duplicate", "pmid"),
    # duplicate rules
    "title_authors": ([NO_IDS, like(NO_IDS, abstract=None, volume=None, issue=None, pages=None)], "duplicate", "title_authors"),
    "title_bibliographic": (
        [NO_IDS, like(NO_IDS, authors=["Adaeze, O", "Maja, L", "Tomas, P"], abstract=None, title=PAPER["title"] + ".")],
        "duplicate", "title_bibliographic",
    ),
    "same_citation": (
        [NO_IDS, like(NO_IDS, title="Recours des travailleuses du sexe aux services de sante sexuelle", abstract=None)],
        "duplicate", "same_citation",
    ),
    # review rules
    "ambiguous_title": None,  # needs a corpus: see test_a_title_that_names_several_items_needs_a_page
    "other_venue": (
        [like(NO_IDS, journal="Drug and Alcohol Review", volume="35", issue=None, pages="87", year=2016),
         like(NO_IDS, volume=None, issue=None, pages=None)],
        "uncertain", "other_venue",
    ),
    "no_anchor": None,  # needs a low threshold: see test_a_score_with_nothing_of_the_citation_in_common_asks_a_person
    "no_title": ([like(NO_IDS, title="#NAME?"), NO_IDS], "uncertain", "no_title"),
}

# The paper's DOI given to its conference abstract in another journal (no volume or page of its own left).
ABSTRACT_ELSEWHERE = like(PAPER, journal="Sexually Transmitted Infections", volume=None, issue=None, pages=None, abstract=None)


@pytest.mark.parametrize("name", [n for n, case in CASES.items() if case is not None])
def test_rule_on_its_phenomenon(name: str) -> None:
    records, decision, rule = CASES[name]
    assert pair(records) == (decision, rule)


@pytest.mark.parametrize("name", [r.name for r in NON_DUPLICATE])
def test_non_duplicate_rule_switched_off_lets_the_pair_through(name: str) -> None:
    """Without its rule, the pair of each case is not kept apart for that reason."""
    records, _, _ = CASES[name]
    _, rule = pair(records, settings=MatchSettings().without(name))
    assert rule not in (name, f"review_{name}")


@pytest.mark.parametrize("name", [n for n, case in CASES.items() if case is not None and n in {r.name for r in EXCEPTIONS}])
def test_exception_switched_off_changes_the_decision(name: str) -> None:
    """Each exception is what makes its case merge: without it the pair is not a duplicate."""
    records, _, _ = CASES[name]
    decision, _ = pair(records, settings=MatchSettings().without(name))
    assert decision != "duplicate"


def test_a_title_that_names_several_items_needs_a_page() -> None:
    """The same editor's "Notes on this issue" in issues 1 and 2, each with its DOI and page; a bare copy goes to a person."""
    item = {"title": "Notes on this issue", "authors": ["Haddad, Rana"], "year": 2015, "journal": "Health Policy Review",
            "volume": "12"}
    records = [
        like(item, issue="1", pages="1-2", doi="10.5555/hpr.2015.12.1.1"),
        like(item, issue="2", pages="101-102", doi="10.5555/hpr.2015.12.2.101"),
        like(item),  # no DOI, issue or page: which issue's notes?
        like(item, issue="2", pages="101-102"),  # the same page as r2: one item
    ]
    assert pair(records, "r1", "r3")[1] in {"ambiguous_title", "review"}
    assert pair(records, "r2", "r3")[1] in {"ambiguous_title", "review"}
    assert pair(records, "r2", "r4")[0] == "duplicate"
    assert pair(records, "r1", "r2") == ("distinct", "different_doi")
    clusters = link_records(make_records(records)).clusters.set_index("record_id")["cluster_id"]
    assert clusters["r3"] == "r3"  # never merged with either issue
    assert clusters["r1"] != clusters["r2"]


def test_the_same_volume_and_issue_place_an_item_whose_title_names_several() -> None:
    """Front matter repeats across issues, not within one: a copy with the issue but no page is that issue's item."""
    item = {"title": "Notes on this issue", "authors": ["Haddad, Rana"], "year": 2015, "journal": "Health Policy Review",
            "volume": "12"}
    records = [
        like(item, issue="1", pages="1-2", doi="10.5555/hpr.2015.12.1.1"),
        like(item, issue="2", pages="101-102", doi="10.5555/hpr.2015.12.2.101"),
        like(item, issue="2"),  # the page lost, the issue kept
    ]
    assert pair(records, "r2", "r3")[0] == "duplicate"
    assert pair(records, "r1", "r3")[0] != "duplicate"
    clusters = link_records(make_records(records)).clusters.set_index("record_id")["cluster_id"]
    assert clusters["r2"] == clusters["r3"] != clusters["r1"]


ONLINE_FIRST = like(PAPER, year=2016)  # the online-first year beside the issue's year


@pytest.mark.parametrize(
    "records, expected",
    [
        # another DOI on a record identical but for an online-first year: the volume fixes the year
        ([PAPER, like(ONLINE_FIRST, doi="10.1007/s11524-016-0777-q")], ("duplicate", "title_authors")),
        # garbled authors, the same journal, volume and first page, a year apart
        ([NO_IDS, like(NO_IDS, year=2018, authors=["Adaeze, O", "Maja, L", "Tomas, P"], abstract=None, title=PAPER["title"] + ".")],
         ("duplicate", "title_bibliographic")),
    ],
)
def test_a_year_one_apart_is_online_first_where_volume_and_page_agree(records: list[dict], expected: tuple[str, str]) -> None:
    assert pair(records) == expected


def test_a_year_one_apart_without_the_volume_is_not_enough() -> None:
    """The same wrong-DOI pair a year apart in another volume: two items (or a typo a person should see)."""
    decision, _ = pair([PAPER, like(ONLINE_FIRST, doi="10.1007/s11524-016-0777-q", volume="93")])
    assert decision != "duplicate"


MEETING = like(ABSTRACT, year=2016)  # the abstract under the year before the paper's


@pytest.mark.parametrize("paper", [like(NO_IDS, pages=None), like(PAPER, pages=None, abstract=None)])
def test_an_abstract_a_year_before_in_the_same_journal_and_volume_is_not_the_paper(paper: dict) -> None:
    """The paper's abstract in the volume's supplement the year before: the journal and volume agree, no first page does."""
    assert pair([MEETING, paper])[0] != "duplicate"


def test_an_unlabelled_abstract_a_year_apart_merges_on_its_first_page() -> None:
    """The meeting's year beside the supplement's, one export leaving the abstract unlabelled: the first page places it."""
    unlabelled = like(MEETING, year=2017, volume="94", ref_type="Journal Article")
    assert pair([MEETING, unlabelled]) == ("duplicate", "title_authors")
    assert pair([MEETING, unlabelled], settings=MatchSettings().without("unlabelled_abstract"))[0] != "duplicate"


def test_an_unlabelled_abstract_a_year_apart_with_nothing_to_tell_them_apart_merges() -> None:
    """Neither copy gives a first page or a DOI; the journal and volume agree; only the year (shifted by one export) differs."""
    bare_meeting = like(MEETING, pages=None)
    unlabelled = like(bare_meeting, year=2017, volume="94", ref_type="Journal Article")
    assert pair([bare_meeting, unlabelled]) == ("duplicate", "title_authors")
    assert pair([bare_meeting, unlabelled], settings=MatchSettings().without("unlabelled_abstract"))[0] != "duplicate"


@pytest.mark.parametrize(
    "paper",
    [
        like(NO_IDS, pages=None, doi="10.1007/s11524-017-0101-x"),  # the paper gives its DOI, the abstract none
        like(NO_IDS, pages=None, volume=None),  # no volume to agree on
        like(NO_IDS, pages=None, journal="Drug and Alcohol Review"),  # another journal
    ],
)
def test_a_bare_abstract_a_year_before_is_not_a_paper_that_gives_more(paper: dict) -> None:
    """A DOI on one side only, or no journal and volume in common, leaves the paper and its abstract apart."""
    assert pair([like(MEETING, pages=None), paper])[0] != "duplicate"


def test_the_same_doi_outweighs_a_page_typo_where_one_export_labels_the_abstract() -> None:
    """One database calls the record a conference abstract, another an article; DOI, journal, year and volume agree."""
    labelled = like(PAPER, ref_type="Conference Abstract", pages="411-419")
    assert pair([PAPER, labelled]) == ("duplicate", "doi")
    assert pair([PAPER, labelled], settings=MatchSettings().without("doi_outweighs_typo"))[0] != "duplicate"


@pytest.mark.parametrize(
    "abstract",
    [
        like(PAPER, ref_type="Conference Abstract", volume="93", pages="88"),  # another volume: an abstract given the paper's DOI
        like(PAPER, ref_type="Conference Abstract", year=2016, pages="88"),  # the year before
        like(PAPER, ref_type="Conference Abstract", pages="S88"),  # an abstract book's page
    ],
)
def test_a_paper_s_doi_on_its_abstract_elsewhere_does_not_outweigh_the_citation(abstract: dict) -> None:
    assert pair([PAPER, abstract])[0] != "duplicate"


@pytest.mark.parametrize(
    "later",
    [
        like(PAPER, year=2019, volume="96", pages=None),  # another volume
        like(PAPER, year=2020, issue=None, pages=None),  # three years apart
        like(PAPER, year=2019, pages="510-519"),  # another first page as well
        like(PAPER, year=2019, authors=OTHERS, pages=None),  # other authors
    ],
)
def test_an_identifier_does_not_outweigh_years_apart_with_anything_else(later: dict) -> None:
    assert pair([PAPER, later])[0] != "duplicate"


GREEK = like(NO_IDS, title="Kappa-opioid receptor agonists and the harm of injecting among women who sell sex", abstract=None)


def test_a_greek_letter_one_export_dropped_does_not_keep_an_article_apart() -> None:
    """One database could not store the letter and left it out; the citation is the same, the first author garbled."""
    dropped = like(GREEK, title="-opioid receptor agonists and the harm of injecting among women who sell sex",
                   authors=["Okaforadaeze Lindqvist", "Lindqvist, Maja", "Pereira, Tomas"])
    assert pair([like(GREEK, title="\u03ba" + GREEK["title"][5:]), dropped]) == ("duplicate", "title_bibliographic")
    other = like(GREEK, title="Mu-opioid receptor agonists and the harm of injecting among women who sell sex", pages="510-519")
    assert pair([GREEK, other])[0] != "duplicate"


def test_a_generic_title_merges_on_its_full_citation_a_year_apart() -> None:
    """The same editor's "Editorial" at the same journal, volume and first page, one export giving the online-first year."""
    editorial = like(NO_IDS, title="Editorial", abstract=None)
    assert pair([editorial, like(editorial, year=2016)]) == ("duplicate", "title_authors")
    for other in (like(editorial, year=2016, pages="510-511"), like(editorial, year=2015)):  # another page; two years apart
        assert link_records(make_records([editorial, other])).clusters["cluster_id"].nunique() == 2


def test_the_same_doi_and_abstract_outweigh_a_page_typo_where_the_authors_are_garbled() -> None:
    """One export ran the author names together past reading; the DOI, title and abstract say it is one article."""
    garbled = like(PAPER, pages="401-419", authors=["Okafor, Adaeze", "Lindqvistmaja Pereiratomas"])
    assert pair([PAPER, garbled], settings=MatchSettings().without("abstract_outweighs_typo")) == ("duplicate", "doi")
    # without the abstract nothing outweighs the conflicting first page
    assert pair([like(PAPER, abstract=None), like(garbled, abstract=None)])[0] != "duplicate"


@pytest.mark.parametrize(
    "abstract",
    [
        like(NO_IDS, year=2016, volume=None, pages="628-629"),  # a year before the paper, no volume to place it
        like(NO_IDS, volume="94 (Suppl 1)", pages="S12"),  # in the volume's supplement, on an abstract book's page
    ],
)
def test_a_conference_abstract_carrying_the_papers_text_is_not_merged_on_it(abstract: dict) -> None:
    """An unlabelled abstract may carry the later paper's title, authors and abstract: the text outweighs no page then."""
    assert pair([NO_IDS, abstract])[0] != "duplicate"


def test_the_same_abstract_does_not_outweigh_two_conflicts_or_different_numbers() -> None:
    assert pair([NO_IDS, like(NO_IDS, pages="401-419", issue="4")])[0] != "duplicate"
    part = like(NO_IDS, title=PAPER["title"] + ": part 1")
    assert pair([part, like(part, title=PAPER["title"] + ": part 2", pages="401-419")])[0] != "duplicate"


def test_every_rule_has_a_case() -> None:
    names = {r.name for table in (NON_DUPLICATE, EXCEPTIONS, IDENTITY, DUPLICATE, REVIEW) for r in table}
    assert names <= set(CASES), f"rules without a case: {sorted(names - set(CASES))}"


def test_a_typo_in_one_field_goes_to_a_person() -> None:
    """Without an identifier or an abstract to outweigh it, one conflicting first page is for a person to judge."""
    bare = like(NO_IDS, abstract=None)
    decision, rule = pair([bare, like(bare, pages="401-410")])
    assert (decision, rule) == ("uncertain", "review_different_pages")


def test_match_score_merges_a_pair_no_rule_covers() -> None:
    """Title, abstract, journal, volume and issue agree; one export left out the authors and the pages."""
    other = like(NO_IDS, authors=None, pages=None)
    assert pair([NO_IDS, other]) == ("duplicate", "match_score")


def test_disabled_rules_are_not_applied() -> None:
    records, _, _ = CASES["title_authors"]
    decision, rule = pair(records, settings=MatchSettings().without("title_authors"))
    assert rule != "title_authors"


def test_a_score_with_nothing_of_the_citation_in_common_asks_a_person() -> None:
    """The abstract (no journal, volume or page) a year before the paper: title, authors and abstract alike."""
    abstract = like(NO_IDS, journal=None, volume=None, issue=None, pages=None, year=2016)
    low = MatchSettings(match_weight=2.0)
    assert pair([abstract, NO_IDS], settings=low) == ("uncertain", "no_anchor")
    assert pair([abstract, NO_IDS], settings=low.without("no_anchor")) == ("duplicate", "match_score")
    # the same year and one record bare of any citation: nothing contradicts, they merge
    assert pair([like(abstract, year=2017), NO_IDS], settings=low)[0] == "duplicate"


def test_a_range_of_another_length_from_the_same_first_page_is_another_item() -> None:
    """Two items that both start on page 1 ("1-30", "1-42"): by the same authors, a year apart, they go to a person."""
    first = like(NO_IDS, journal=None, volume=None, issue=None, pages="1-30", abstract=None)
    assert pair([first, like(first, pages="1-42", year=2018)]) == ("uncertain", "review_different_extent")
    # an end page written short, or one page more or less (a slip), is the same range
    assert pair([first, like(first, pages="1-31", year=2018)])[0] == "duplicate"
    assert pair([like(NO_IDS, pages="410-9"), like(NO_IDS, pages="410-419", abstract=None)])[0] == "duplicate"


def test_a_papers_doi_on_its_abstract_in_another_journal_does_not_merge_them() -> None:
    """The same DOI and title in two journals with no volume or first page agreeing: a person decides."""
    assert pair([PAPER, ABSTRACT_ELSEWHERE]) == ("uncertain", "other_venue")
    # the journal names disagree but the citation places the record: one article
    assert pair([PAPER, like(ABSTRACT_ELSEWHERE, volume="94", pages="410-419")]) == ("duplicate", "doi")


@pytest.mark.parametrize("title", ["[#NAME?].", "[#NAME?]. [Article in German]", "#VALUE! [Article in French]"])
def test_a_spreadsheet_error_as_a_translated_title_is_no_title(title: str) -> None:
    assert pair([like(NO_IDS, title=title, year=2018), NO_IDS]) == ("uncertain", "no_title")
