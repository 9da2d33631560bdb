"""Decide each compared pair: ``duplicate``, ``linked``, ``uncertain`` or ``distinct``.

Non-duplicate rules are checked first and always win over similarity: a false merge
silently removes a study, a missed duplicate costs a reviewer a minute. Each decision
names the rule that made it, so every link in the output carries its evidence.

Non-duplicate rules (``distinct`` or ``linked``):

- ``different_pmid`` / ``different_doi``: both records carry an identifier and they differ
  (a DOI shared by records with clearly different titles is a supplement DOI and is ignored);
- ``years_apart``: publication years more than one apart (one year is allowed: online first);
- ``different_volume`` / ``different_pages``: both records give a volume (first page) and they
  differ, unless the same DOI comes with the same title, authors, journal and kind;
- ``different_kind``: an erratum, comment/reply, conference abstract or preprint against
  another kind; with similar titles the pair is ``linked`` (related, never merged);
- ``different_numbers``: the titles differ in their numbers ("Part 2", "2019 update", "Type II"),
  no identifier is shared and volume and first page do not both agree;
- ``generic_title``: "Editorial", "Reply", "Untitled" ... without a shared identifier or the
  same authors, journal, year, volume and first page;
- ``shared_doi``: the same DOI on records whose titles clearly differ.

Duplicate rules, for pairs no non-duplicate rule stops:

- ``doi`` / ``pmid``: the same identifier and similar titles (>= 85);
- ``title_authors``: near-identical titles (>= 95), matching authors and first author,
  and at least one more agreement (same journal, volume or first page; the same year
  only where a record gives neither volume nor page, since a conference abstract
  stripped of its journal looks just like the later article); when the journal names
  disagree, the same year and volume;
- ``title_volume_pages``: similar titles (>= 90), matching authors, same volume and first page;
- ``title_part``: one title is the other with a subtitle or series prefix left out (the
  shorter, at least 30 characters, found whole in the longer), matching authors and the same
  year, journal, volume and first page;
- ``title_bibliographic``: near-identical titles (>= 97) with the same year, journal,
  volume and first page, whatever the (often garbled) author strings say;
- ``same_citation``: articles by the same authors in the same journal, year, volume, issue
  and first page, whatever the titles say (translated or reworded titles).

Anything else with similar titles is ``uncertain`` and goes to the review queue.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DECISIONS = ("duplicate", "linked", "uncertain", "distinct")
LINKED_KINDS = {"erratum": "correction_of", "comment": "comment_on", "conference": "abstract_of", "preprint": "preprint_of"}


def conflicts(features: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per pair: does a non-duplicate rule apply, and which (``""`` when none)."""
    f = features
    n = len(f)
    rule = np.full(n, "", dtype=object)
    strong_id = (f["doi"].to_numpy() == 1) | (f["pmid"].to_numpy() == 1)
    kind_a, kind_b = f["kind_a"].to_numpy(dtype=object), f["kind_b"].to_numpy(dtype=object)
    # A conference abstract and an article in the same journal, year and first page are one
    # item that one database failed to label as an abstract, not an abstract and a later paper.
    abstract_pair = ((kind_a == "conference") | (kind_b == "conference")) & ((kind_a == "article") | (kind_b == "article"))
    pages, volume = f["pages"].to_numpy(), f["volume"].to_numpy()
    # The "article" side counts as that abstract when nothing identifies it as a paper of its
    # own: no volume and no pages (an incomplete export of the abstract itself).
    bare_a, bare_b = f["bare_a"].to_numpy(dtype=bool), f["bare_b"].to_numpy(dtype=bool)
    bare_article = ((kind_a == "article") & bare_a) | ((kind_b == "article") & bare_b)
    journal = f["journal"].to_numpy()
    same_place = (
        (f["year_gap"].to_numpy() == 0) & (pages != -1) & (volume != -1)
        & ((journal == 1) | ((journal == 0) & ((pages == 1) | (volume == 1))))
        & ((pages == 1) | (volume == 1) | bare_article)
    )
    kind_differs = (kind_a != kind_b) & ~(abstract_pair & same_place)
    authors = f["authors"].to_numpy()
    # A wrong DOI (another article's, or a garbled one) on a record that agrees on everything
    # else: the same title, journal, year and first page, and the same authors (or none on
    # either side, as for unsigned editorial matter) where the volume agrees too.
    identical = (
        (f["title"].to_numpy() >= 98) & (pages == 1) & (f["journal"].to_numpy() == 1) & (f["year_gap"].to_numpy() == 0)
        & (
            ((np.nan_to_num(authors, nan=0) >= 95) & (volume != -1))
            & ~np.isnan(authors)
            | ((np.nan_to_num(authors, nan=100) >= 90) & (volume == 1))
        )
    )
    # The same DOI on records with the same title, authors and kind outweighs a volume or
    # page typo (the DOI is checked against the title; shared DOIs do not count), and a
    # wrong journal name or volume where the first page agrees as well.
    doi_identity = (
        (f["doi"].to_numpy() == 1) & (f["title"].to_numpy() >= 95) & (kind_a == kind_b)
        & (np.nan_to_num(authors, nan=0) >= 90) & (np.nan_to_num(f["first_author"].to_numpy(), nan=0) >= 80)
        & (f["year_gap"].to_numpy() <= 1) & ((f["journal"].to_numpy() != -1) | (pages == 1))
    )
    # "Editorial" by the same authors in the same journal (or one without a journal), year,
    # volume and first page is one item.
    full_citation = (
        (f["journal"].to_numpy() != -1) & (volume == 1) & (pages == 1) & (f["year_gap"].to_numpy() == 0)
        & (np.nan_to_num(authors, nan=0) >= 80) & (np.nan_to_num(f["first_author"].to_numpy(), nan=0) >= 80)
    )
    checks = [  # the first that applies names the reason; a different kind is the most telling
        ("different_kind", kind_differs),
        ("different_pmid", f["pmid"].to_numpy() == -1),
        ("different_doi", (f["doi"].to_numpy() == -1) & ~identical),
        ("years_apart", f["year_gap"].to_numpy() > 1),
        ("different_volume", (volume == -1) & ~doi_identity),
        ("different_pages", (pages == -1) & ~doi_identity),
        ("different_numbers", (f["numbers"].to_numpy() == -1) & ~strong_id & ~((volume == 1) & (pages == 1))),
        ("generic_title", f["generic"].to_numpy() & ~strong_id & ~full_citation),
        ("shared_doi", (f["doi"].to_numpy() == 1) & (f["title"].to_numpy() < 70)),
    ]
    for name, hit in checks:
        rule = np.where((rule == "") & hit, name, rule)
    return rule != "", rule


def same_citation_authors(features: pd.DataFrame) -> np.ndarray:
    """Articles by the same authors at the same place: journal, year, volume, issue and first page.

    Two papers cannot start on one page of one issue, so the title may differ (a translated
    or reworded title, a running title). Conference abstracts are left out (several by one
    group can share a page) and the issues must not disagree (pages restart in each issue).
    """
    f = features
    kind_a, kind_b = f["kind_a"].to_numpy(dtype=object), f["kind_b"].to_numpy(dtype=object)
    return (
        (f["year_gap"].to_numpy() == 0) & (f["journal"].to_numpy() == 1) & (f["volume"].to_numpy() == 1)
        & (f["pages"].to_numpy() == 1) & (f["issue"].to_numpy() != -1)
        & (np.nan_to_num(f["authors"].to_numpy(), nan=0) >= 95) & (np.nan_to_num(f["first_author"].to_numpy(), nan=0) >= 95)
        & (kind_a == "article") & (kind_b == "article") & ~f["generic"].to_numpy(dtype=bool)
    )


def classify(features: pd.DataFrame) -> pd.DataFrame:
    """Add ``decision`` and ``rule`` columns to the pair features."""
    f = features
    title = f["title"].to_numpy()
    authors = f["authors"].to_numpy()
    first = f["first_author"].to_numpy()
    year_gap = f["year_gap"].to_numpy()
    doi, pmid = f["doi"].to_numpy(), f["pmid"].to_numpy()
    volume, pages, journal = f["volume"].to_numpy(), f["pages"].to_numpy(), f["journal"].to_numpy()
    kind_a, kind_b = f["kind_a"].to_numpy(dtype=object), f["kind_b"].to_numpy(dtype=object)

    blocked, why = conflicts(f)
    authors_match = (np.nan_to_num(authors, nan=0) >= 80) & (np.nan_to_num(first, nan=0) >= 80)
    # The same year is corroboration enough only where a record gives no volume or page to
    # compare (books, reports, a bare hand-searched entry): where both do and none agree,
    # it may be an abstract stripped of its journal beside the later article.
    either_bare = f["bare_a"].to_numpy(dtype=bool) | f["bare_b"].to_numpy(dtype=bool)
    corroborated = (journal == 1) | (volume == 1) | (pages == 1) | ((year_gap == 0) & either_bare)

    duplicate_rules = [
        ("doi", (doi == 1) & (title >= 85)),
        ("pmid", (pmid == 1) & (title >= 85)),
        ("title_authors", (title >= 95) & authors_match & (journal != -1) & corroborated),
        ("title_authors", (title >= 95) & authors_match & (journal == -1) & (volume == 1) & (year_gap == 0)),
        ("title_volume_pages", (title >= 90) & authors_match & (volume == 1) & (pages == 1)),
        ("title_bibliographic", (title >= 97) & (year_gap == 0) & (journal == 1) & (volume == 1) & (pages == 1)),
        ("title_part", (f["title_part"].to_numpy() >= 100) & authors_match & (year_gap == 0) & (journal == 1) & (volume == 1) & (pages == 1)),
        ("same_citation", same_citation_authors(f)),
    ]
    decision = np.full(len(f), "distinct", dtype=object)
    rule = np.full(len(f), "dissimilar", dtype=object)
    for name, hit in reversed(duplicate_rules):
        decision = np.where(hit, "duplicate", decision)
        rule = np.where(hit, name, rule)

    # Same year, journal, volume and first page with matching authors: a translated or
    # reworded title of the same paper, perhaps; a person should look.
    same_citation = (year_gap == 0) & (journal != -1) & (volume == 1) & (pages == 1) & (np.nan_to_num(authors, nan=0) >= 80)
    similar = (title >= 80) | (doi == 1) | (pmid == 1) | same_citation
    unsure = (decision != "duplicate") & similar & ((np.nan_to_num(authors, nan=100) >= 50) | (doi == 1) | (pmid == 1))
    decision = np.where(unsure, "uncertain", decision)
    rule = np.where(unsure, "review", rule)

    kind_rule = np.array(
        [LINKED_KINDS.get(b if a == "article" else a, "related") for a, b in zip(kind_a, kind_b)], dtype=object
    )
    linked = blocked & (why == "different_kind") & (title >= 85)
    decision = np.where(blocked, np.where(linked, "linked", "distinct"), decision)
    rule = np.where(blocked, np.where(linked, kind_rule, why), rule)
    # Near-identical records kept apart only by one bibliographic field may be a typo: ask.
    typo = np.isin(why, ["different_doi", "different_volume", "different_pages", "years_apart"])
    ask = blocked & typo & (title >= 95) & authors_match & (year_gap <= 2)
    decision = np.where(ask, "uncertain", decision)
    rule = np.where(ask, "review_" + why.astype(str), rule)
    out = f.copy()
    out["decision"] = decision
    out["rule"] = rule
    return out
