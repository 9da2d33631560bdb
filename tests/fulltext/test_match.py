"""Matching PDFs to records: identifiers, titles with the noise of typesetting, and never
two PDFs to one record silently."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewbench.fulltext.extract import PageText, PdfText
from reviewbench.fulltext.match import (
    AMBIGUOUS, DOI, LINKED, PMID, TITLE, UNMATCHED, _doi_in, normal_doi, propose, propose_one, title_scores,
)

from .project import RECORDS

CANDIDATES = pd.DataFrame(
    [{"record_id": rid, "title": title, "doi": doi, "pmid": pmid} for rid, title, doi, pmid, d in RECORDS if d != "exclude"]
)
TITLES = dict(zip(CANDIDATES["record_id"], CANDIDATES["title"]))


def pdf_text(*pages: list[str], metadata: dict[str, str] | None = None, sha: str = "a" * 64) -> PdfText:
    return PdfText(sha, tuple(PageText(i, tuple(lines), ("",) * len(lines)) for i, lines in enumerate(pages, start=1)),
                   metadata or {})


def test_doi_on_the_first_page() -> None:
    text = pdf_text(["Journal of Tests 2020", "Some title", "https://doi.org/10.5555/RB.2019.001"])
    p = propose_one("a.pdf", text, CANDIDATES)
    assert (p.record_id, p.method, p.score) == ("R1", DOI, 100.0)


def test_a_doi_broken_at_a_line_end_is_joined_and_a_longer_doi_is_not_taken() -> None:
    assert _doi_in("10.5555/rb.2019.001", "doi: 10.5555/rb.\n2019.001 more".replace(".\n", "."))
    assert not _doi_in("10.5555/rb.2019.001", "doi: 10.5555/rb.2019.0012")
    assert not _doi_in("10.5555/rb.2019.001", "doi: 10.5555/rb.2019.001.x2")
    assert _doi_in("10.5555/rb.2019.001", "(doi: 10.5555/rb.2019.001).")
    text = pdf_text(["Some title", "DOI: 10.5555/rb.", "2019.001"])
    assert propose_one("a.pdf", text, CANDIDATES).record_id == "R1"
    assert normal_doi("https://dx.doi.org/10.5555/RB.1") == "10.5555/rb.1"


def test_pmid_in_the_text() -> None:
    p = propose_one("a.pdf", pdf_text(["A report", "PMID: 31234567"]), CANDIDATES)
    assert (p.record_id, p.method) == ("R2", PMID)


def test_dois_of_two_records_on_a_page_are_settled_by_the_title_or_left_to_a_person() -> None:
    cites = ["References", "1. doi:10.5555/rb.2019.001", "2. doi:10.5555/rb.2021.004"]
    with_title = propose_one("a.pdf", pdf_text([TITLES["R4"], *cites]), CANDIDATES)
    assert (with_title.record_id, with_title.method) == ("R4", DOI)
    without = propose_one("b.pdf", pdf_text(["An unrelated heading", *cites]), CANDIDATES)
    assert without.method == AMBIGUOUS


def test_the_metadata_come_first() -> None:
    text = pdf_text(["cites doi:10.5555/rb.2021.004"], metadata={"subject": "doi:10.5555/rb.2019.001"})
    assert propose_one("a.pdf", text, CANDIDATES).record_id == "R1"


def test_title_with_line_breaks_hyphenation_ligatures_and_a_running_head() -> None:
    lines = ["Int J Tests (2020) 12:1-9  RUNNING HEAD: OUTREACH AND WELLBEING",
             "Outreach services and the well-", "being of indoor sex workers: a quali-", "tative study",
             "Ann Author, Ben Writer"]
    p = propose_one("a.pdf", pdf_text(lines), CANDIDATES)
    assert (p.record_id, p.method) == ("R3", TITLE)
    assert p.score >= 95


def test_unrelated_text_is_unmatched_and_a_scan_says_so() -> None:
    p = propose_one("a.pdf", pdf_text(["Quantum chromodynamics on the lattice", "Results for heavy quarks"]), CANDIDATES)
    assert (p.record_id, p.method) == ("", UNMATCHED)
    scan = propose_one("s.pdf", pdf_text([], []), CANDIDATES)
    assert scan.method == UNMATCHED and "OCR" in scan.note


def test_a_paper_and_its_protocol_and_two_records_of_one_title() -> None:
    protocol = TITLES["R3"] + ": protocol for a qualitative study"
    both = pd.concat([CANDIDATES, pd.DataFrame([{"record_id": "R3p", "title": protocol, "doi": "", "pmid": ""}])])
    assert propose_one("p.pdf", pdf_text([protocol, "Ann Author"]), both).record_id == "R3p"
    paper = propose_one("a.pdf", pdf_text([TITLES["R3"], "Ann Author"]), both)
    assert (paper.record_id, paper.method) == ("R3", TITLE)
    twins = pd.concat([CANDIDATES, pd.DataFrame([{"record_id": "R3b", "title": TITLES["R3"], "doi": "", "pmid": ""}])])
    p = propose_one("b.pdf", pdf_text([TITLES["R3"]]), twins)
    assert p.method == AMBIGUOUS and p.record_id in ("R3", "R3b")


def test_never_two_pdfs_to_one_record_silently() -> None:
    a = ("a.pdf", pdf_text([TITLES["R1"]], sha="a" * 64))
    b = ("b.pdf", pdf_text(["doi 10.5555/rb.2019.001"], sha="b" * 64))
    c = ("c.pdf", pdf_text([TITLES["R3"]], sha="c" * 64))
    got = {p.pdf: p for p in propose([a, b, c], CANDIDATES)}
    assert got["a.pdf"].method == got["b.pdf"].method == AMBIGUOUS
    assert got["a.pdf"].record_id == got["b.pdf"].record_id == "R1"
    assert got["c.pdf"].method == TITLE
    linked = pd.DataFrame([{"record_id": "R3", "file": "fulltext/old.pdf", "sha256": "d" * 64}])
    again = {p.pdf: p for p in propose([c, ("old.pdf", pdf_text(["x"], sha="d" * 64))], CANDIDATES, linked)}
    assert again["c.pdf"].method == AMBIGUOUS and "already linked" in again["c.pdf"].note
    assert (again["old.pdf"].method, again["old.pdf"].record_id) == (LINKED, "R3")
    copies = propose([c, ("c-copy.pdf", c[1])], CANDIDATES)
    assert [p.method for p in copies] == [TITLE, AMBIGUOUS] and "same file as c.pdf" in copies[1].note


# ---------------------------------------------------------------- property: messy titles

def _mess(title: str, data: st.DataObject) -> list[str]:
    """``title`` as a typesetter may draw it: broken into lines (some words hyphenated),
    ligatures, case changed, a running head above it and author names below."""
    words = title.split()
    lines, current = [], []
    for word in words:
        if current and data.draw(st.booleans()):
            if len(word) > 5 and data.draw(st.booleans()):
                cut = data.draw(st.integers(2, len(word) - 2))
                current.append(word[:cut] + "-")
                lines.append(" ".join(current))
                current = [word[cut:]]
                continue
            lines.append(" ".join(current))
            current = []
        current.append(word)
    lines.append(" ".join(current))
    lines = [line.replace("fi", "\ufb01").replace("fl", "\ufb02") for line in lines]
    if data.draw(st.booleans()):
        lines = [line.upper() for line in lines]
    head = data.draw(st.sampled_from(["", "J Test Res (2020) 7:1-12", "ORIGINAL ARTICLE", "Open access"]))
    return [head, *lines, "Ann Author, Ben Writer and Cas Third", "Abstract"]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(TITLES)), st.data())
def test_a_messy_title_still_finds_its_record(rid: str, data: st.DataObject) -> None:
    text = pdf_text(_mess(TITLES[rid], data))
    p = propose_one("a.pdf", text, CANDIDATES)
    assert (p.record_id, p.method) == (rid, TITLE) or (p.method == DOI and p.record_id == rid)
    scores = title_scores(text, CANDIDATES)
    assert scores[0][1] == rid
