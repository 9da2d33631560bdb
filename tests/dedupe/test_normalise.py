"""Comparison keys: each field reduced to what two records of one publication share."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviewbench.dedupe.normalise import (
    GREEK_NAMES,
    authors_key,
    dropped_greek,
    journal_key,
    journals_compatible,
    page_count,
    pmid_from_url,
    prepare_records,
    author_list,
    start_page,
    title_key,
    volume_key,
    volume_numbers,
)

from .helpers import make_records


@pytest.mark.parametrize(
    "a, b",
    [
        ("Sex workers' health in Leeds.", "Sex Workers' Health in Leeds"),  # PubMed's trailing period, Title Case
        ("Effect of <i>TNF-&alpha;</i> on cells", "Effect of TNF-\u03b1 on cells"),  # HTML and Greek letters
        ("[Effect of beta-blockers on mortality]", "Effect of \u03b2-blockers on mortality."),  # bracketed translation
        ("Effects of exenatide on VCAM-1 expression in mice. [Chinese]", "Effects of exenatide on VCAM-1 expression in mice"),
        (
            "Transient ischemia in the myocardium. Russian Tranzitornaia ishemiia miokarda",
            "Transient ischemia in the myocardium",
        ),
        ("Garc\u00eda-Moreno and violence", "Garcia-Moreno and violence"),  # accents
        ("Outreach \u2013 a review", "Outreach - a review"),
        # MEDLINE's notes on linked items, as Ovid appends them
        ("Outreach among women who sell sex.[Erratum appears in J Urban Health. 2018 Aug;95(4):600]", "Outreach among women who sell sex"),
        ("Peer support in prisons [Comment in: BMJ 2010;340:c12]. [Retraction in: BMJ 2011;342:d1]", "Peer support in prisons"),
    ],
)
def test_title_variants_share_a_key(a: str, b: str) -> None:
    assert title_key(a) == title_key(b)


def test_a_title_that_is_only_a_note_or_names_a_comment_keeps_its_words() -> None:
    assert title_key("[Erratum in Lancet 2001]") == "erratum in lancet 2001"
    assert title_key("Teaching [comment] in practice") == "teaching comment in practice"


def test_title_keeps_words_that_only_look_like_language_notes() -> None:
    assert title_key("The German health system") == "the german health system"
    assert title_key("Kidney function. French adults in care") == "kidney function french adults in care"


def test_endnote_concatenated_authors_are_split() -> None:
    assert author_list("Adeli K.Lewis G. F.") == ["Adeli, K.", "Lewis, G. F."]
    assert authors_key("Kremastinos D. T. H.Iliodromitis E. K.Anastasiou-Nana M.") == "kremastinos iliodromitis anastasiounana"


@pytest.mark.parametrize(
    "value",
    [
        ["Platt, Lucy", "Grenfell, Pippa"],
        "Platt L; Grenfell P",
        "Platt L.Grenfell P.",
        "Lucy Platt and Pippa Grenfell",
        ["Platt, L.", "Grenfell, P."],
    ],
)
def test_author_formats_give_the_same_surnames(value) -> None:
    assert authors_key(value) == "platt grenfell"


def test_surname_particles_are_kept_together() -> None:
    assert authors_key(["Mc Grath-Lone, Louise"]) == "mcgrathlone"
    assert authors_key("McGrath-Lone L") == "mcgrathlone"
    assert authors_key(["Garc\u00eda-Moreno, Claudia"]) == authors_key(["GarciaMoreno, C"])


@pytest.mark.parametrize(
    "a, b",
    [
        ("Sex Transm Infect", "Sexually Transmitted Infections"),
        ("Sex Transm Inf", "Sexually transmitted infections"),
        ("J Public Health (Oxf)", "Journal of Public Health"),
        ("Am J Physiol Heart Circ Physiol", "American Journal of Physiology - Heart and Circulatory Physiology"),
        ("BMC Family Practice", "BMC Primary Care"),  # renamed journal (data table)
        ("Circulation. Conference: American Heart Association's", "Circulation"),
        ("The Lancet", "Lancet"),
    ],
)
def test_journal_names_and_abbreviations_are_compatible(a: str, b: str) -> None:
    assert journals_compatible(journal_key(a), journal_key(b))


@pytest.mark.parametrize(
    "a, b",
    [("Lancet", "Lancet Infectious Diseases"), ("Diabetes", "Diabetologia"), ("Circulation", "Circulation Research")],
)
def test_different_journals_are_not_compatible(a: str, b: str) -> None:
    assert not journals_compatible(journal_key(a), journal_key(b))


@pytest.mark.parametrize(
    "pages, first", [("221-8", "221"), ("e47-54", "47"), ("H2070-7", "2070"), ("Jan-13", "1"), ("S200-S201", "200"), ("", "")]
)
def test_start_page(pages: str, first: str) -> None:
    assert start_page(pages) == first


@pytest.mark.parametrize(
    "pages, count",
    [("221-228", 8), ("221-8", 8), ("H2070-H2077", 8), ("H2070-7", 8), ("Jan-13", 13), ("S200-S201", 2), ("e47-e54", 8),
     ("221", 0), ("March", 0), ("", 0), ("228-221", 0), ("221-228229", 0), ("S12-E14", 0), ("xiii-xv", 0)],
)
def test_page_count(pages: str, count: int) -> None:
    """The pages a range spans: an end written short or a spreadsheet's date read as the range; no range, no count."""
    assert page_count(pages) == count


@given(first=st.integers(1, 99999), length=st.integers(2, 500), prefix=st.sampled_from(["", "e", "H", "S"]))
def test_page_count_reads_the_end_page_written_in_full_or_short(first: int, length: int, prefix: str) -> None:
    start, end = str(first), str(first + length - 1)
    # the end written with as few digits as the start's own leading digits allow ("221-8")
    short = next((end[-k:] for k in range(1, len(end)) if len(end) == len(start) and start[:-k] + end[-k:] == end), end)
    last = int(end)
    assert page_count(f"{prefix}{first}-{prefix}{last}") == length
    assert page_count(f"{prefix}{first}-{short}") == length


@pytest.mark.parametrize(
    "volume, key",
    [
        ("38 (Supplement 1)", "38"), ("1)", ""), ("Korsakova. Part 2. 117", "117"), ("019", "19"), ("", ""),
        # a date where the volume should be is no volume: its year would conflict with the real one
        ("2015 Mar", ""), ("Spring 2011", ""), ("12 Suppl 1", "12"),
    ],
)
def test_volume_key(volume: str, key: str) -> None:
    assert volume_key(volume) == key


def test_volume_numbers_collect_supplement_and_issue_numbers() -> None:
    assert volume_numbers("61", "10 SUPPL. 1").split() == ["1", "10", "61"]


def test_pmid_from_pubmed_link() -> None:
    assert pmid_from_url("https://www.ncbi.nlm.nih.gov/pubmed/18460911") == "18460911"
    assert pmid_from_url("https://pubmed.ncbi.nlm.nih.gov/30376746/") == "30376746"
    assert pmid_from_url("https://example.org/1234") == ""


def test_prepared_keys_normalise_dois_and_kinds() -> None:
    records = make_records(
        [
            {"title": "A study of outreach", "doi": "https://doi.org/10.1371/JOURNAL.PMED.1002680"},
            {"title": "A study of outreach", "doi": "10.1016/S0735-1097%2813%2962048-3"},
            {"title": "Erratum: A study of outreach"},
            {"title": "Reply to Smith et al."},
            {"title": "A study of outreach", "volume": "91 (Suppl 2)", "pages": "A107.1"},
            {"title": "A study of outreach", "doi": "10.1101/2021.03.01.21252643"},
            {"title": "Editorial"},
        ]
    )
    keys = prepare_records(records)
    assert keys["doi"].tolist()[:2] == ["10.1371/journal.pmed.1002680", "10.1016/s0735-1097(13)62048-3"]
    assert keys["kind"].tolist() == ["article", "article", "erratum", "comment", "conference", "preprint", "article"]
    assert keys["generic"].tolist() == [False] * 6 + [True]


def test_title_numbers_ignore_spacing_and_read_roman_parts() -> None:
    from reviewbench.dedupe.normalise import title_numbers

    assert title_numbers(title_key("Role of A1 and A3 receptors")) == title_numbers(title_key("Role of A 1 and A 3 receptors"))
    assert title_numbers(title_key("Outcomes, part II")) == "2"
    assert title_numbers(title_key("Low dose i.v. acetylcholine")) == title_numbers(title_key("Low dose iv acetylcholine")) == ""


def test_a_greek_letter_one_export_dropped_is_read_past() -> None:
    a, b = title_key("Role of \u03ba-opioid receptors in the harm reduction of injecting"), title_key(
        "Role of -opioid receptors in the harm reduction of injecting"
    )
    assert dropped_greek(a, b) == ("role of opioid receptors in the harm reduction of injecting",) * 2
    # another letter is another thing, and titles with the same letters need nothing read past
    assert dropped_greek("ppar alpha agonists in liver", "ppar gamma agonists in liver") is None
    assert dropped_greek("pkc alpha and beta", "pkc gamma") is None
    assert dropped_greek("tnf alpha in sepsis", "tnf alpha in sepsis") is None


_WORDS = st.lists(st.sampled_from(["outreach", "harm", "receptor", "women", "clinic", "of", "and"]), min_size=3, max_size=10)


@given(_WORDS, st.lists(st.tuples(st.integers(0, 10), st.sampled_from(sorted(GREEK_NAMES))), min_size=1, max_size=3))
def test_dropping_greek_letters_from_a_title_is_read_past_and_nothing_else(words: list[str], letters) -> None:
    """Letters left out of one title give two equal titles; a letter changed is never read past."""
    full = list(words)
    for position, letter in letters:
        full.insert(min(position, len(full)), letter)
    kept = [w for w in full if w not in GREEK_NAMES]
    stripped = dropped_greek(" ".join(full), " ".join(kept))
    assert stripped is not None and stripped[0] == stripped[1] == " ".join(kept)
    greek = [w for w in full if w in GREEK_NAMES]
    if len(greek) >= 2:
        # the first letter dropped and the others replaced by a letter the full title does not hold
        spare = next(g for g in sorted(GREEK_NAMES) if g not in greek)
        first = full.index(greek[0])
        changed = [spare if w in GREEK_NAMES else w for k, w in enumerate(full) if k != first]
        assert dropped_greek(" ".join(full), " ".join(changed)) is None
