"""Decide each compared pair: ``duplicate``, ``linked``, ``uncertain`` or ``distinct``.

The decision has three layers, each a table of named rules with the general phenomenon it
covers (and, in ``tests/dedupe/test_rules.py``, a test on a synthetic record of it):

1. :data:`NON_DUPLICATE` rules are checked first and always win: conflicting identifiers
   or bibliographic details outweigh any similarity of title and authors, because a false
   merge silently removes a study while a missed duplicate costs a reviewer a minute.
   :data:`EXCEPTIONS` name the few cases where a conflict is known to be an error.
2. :data:`IDENTITY` rules merge records that share an identifier and a similar title;
   :data:`DUPLICATE` rules merge records that agree on title, authors and enough of the
   citation to be one publication.
3. Every other pair is scored (:mod:`.score`): its match weight, from Fellegi-Sunter
   weights re-estimated on this corpus. At or above ``MatchSettings.match_weight`` bits it
   merges, at or above ``review_weight`` it goes to a person. :data:`REVIEW` rules send
   some pairs to a person instead of merging them.

Every decision names the rule that made it, so every link in the output carries its evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np
import pandas as pd

from .score import Weights, comparison_levels, default_weights, estimate_weights, match_weight

DECISIONS = ("duplicate", "linked", "uncertain", "distinct")
LINKED_KINDS = {"erratum": "correction_of", "comment": "comment_on", "conference": "abstract_of", "preprint": "preprint_of"}
Test = Callable[[pd.DataFrame], np.ndarray]


@dataclass(frozen=True)
class Rule:
    """One named rule: the pairs it applies to (``test``) and the phenomenon it covers."""

    name: str
    phenomenon: str
    test: Test


@dataclass(frozen=True)
class MatchSettings:
    """Thresholds of the decision, chosen by leave-one-set-out in ``benchmarks/dedup.py``.

    ``match_weight``: merge at or above this match weight (bits); ``review_weight``: queue at
    or above; ``em_strength``: how many pseudo-pairs of the default weights the corpus' own EM
    estimate is shrunk towards (``inf``: keep the defaults); ``identity_title``: the title
    similarity a shared DOI or PMID needs; ``disabled``: rule names switched off (to measure
    what each rule is worth).
    """

    match_weight: float = 2.0
    review_weight: float = 0.0
    em_strength: float = 100.0
    identity_title: float = 85.0
    disabled: frozenset[str] = field(default_factory=frozenset)

    def without(self, *names: str) -> "MatchSettings":
        return replace(self, disabled=self.disabled | frozenset(names))


# --- features as arrays -------------------------------------------------------------------


def _a(f: pd.DataFrame, name: str) -> np.ndarray:
    return f[name].to_numpy()


def _filled(f: pd.DataFrame, name: str, default: float) -> np.ndarray:
    return np.nan_to_num(f[name].to_numpy(dtype=float), nan=default)


def _authors_match(f: pd.DataFrame, level: float = 80) -> np.ndarray:
    return (_filled(f, "authors", 0) >= level) & (_filled(f, "first_author", 0) >= level)


def _abstract_is_the_item(f: pd.DataFrame) -> np.ndarray:
    """A conference abstract and an "article" that are one item one export failed to label as an abstract.

    The same journal and year and the same first page or volume; or, where the "article"
    gives no first page (or a supplement's page, "S72", where the abstract gives none) and
    no volume that can be compared (left out, or only the supplement's number), a
    near-identical title by the same authors in the same journal and year.

    A year one apart (the meeting's beside the supplement's, or one export's shifted year)
    needs the first page to agree: the journal and volume alone also fit a paper's abstract
    of the year before, in a supplement that carries the volume's number. Only where neither
    record gives a first page or a DOI do the journal and volume place it: nothing then tells
    the two apart but the year, and a paper beside its abstract gives more (its page, its DOI).
    """
    pages, volume, journal = _a(f, "pages"), _a(f, "volume"), _a(f, "journal")
    bare_article = ((_a(f, "kind_a") == "article") & _a(f, "bare_a").astype(bool)) | (
        (_a(f, "kind_b") == "article") & _a(f, "bare_b").astype(bool)
    )
    # The "article" gives no page, or a supplement's page where the abstract gives none.
    article_a = (_a(f, "kind_a") == "article") & (
        _a(f, "no_page_a").astype(bool) | (_a(f, "supplement_page_a").astype(bool) & _a(f, "no_page_b").astype(bool))
    )
    article_b = (_a(f, "kind_b") == "article") & (
        _a(f, "no_page_b").astype(bool) | (_a(f, "supplement_page_b").astype(bool) & _a(f, "no_page_a").astype(bool))
    )
    article_without_page = article_a | article_b
    nothing_to_compare = (
        article_without_page & (volume == 0) & (_a(f, "title") >= 97) & (journal == 1) & _authors_match(f)
    )
    gap = _a(f, "year_gap")
    # The meeting's year and the supplement's may be one apart where the first page agrees,
    # or where the journal and volume do and neither record gives a first page or a DOI.
    neither_page = _a(f, "no_page_a").astype(bool) & _a(f, "no_page_b").astype(bool)
    neither_page &= _a(f, "no_doi_a").astype(bool) & _a(f, "no_doi_b").astype(bool)
    year = _same_year(f) | ((gap == 1) & ((pages == 1) | ((journal == 1) & (volume == 1) & neither_page)))
    return (
        year & (pages != -1) & (volume != -1)
        & ((journal == 1) | ((journal == 0) & ((pages == 1) | (volume == 1))))
        & ((pages == 1) | (volume == 1) | bare_article | nothing_to_compare)
    )


def _abstract_pair(f: pd.DataFrame) -> np.ndarray:
    kind_a, kind_b = _a(f, "kind_a"), _a(f, "kind_b")
    return ((kind_a == "conference") | (kind_b == "conference")) & ((kind_a == "article") | (kind_b == "article"))


def _kind_differs(f: pd.DataFrame, exempt: Callable[[str, pd.DataFrame], np.ndarray]) -> np.ndarray:
    exempted = _abstract_pair(f) & (exempt("unlabelled_abstract", f) | exempt("identifier_outweighs_label", f))
    return (_a(f, "kind_a") != _a(f, "kind_b")) & ~exempted


def _same_year(f: pd.DataFrame) -> np.ndarray:
    """The same year, or one apart where the volume and the first page agree.

    Where two records of one journal agree on the volume and the first page, a year one
    apart (either way) is the online-first date one database gives and the issue date the
    other gives, not a second item. The volume alone is not enough: a conference abstract
    in the volume's supplement the year before carries the paper's title and authors.
    """
    gap = _a(f, "year_gap")
    return (gap == 0) | ((gap == 1) & (_a(f, "volume") == 1) & (_a(f, "pages") == 1) & (_a(f, "journal") != -1))


def _strong_id(f: pd.DataFrame) -> np.ndarray:
    return (_a(f, "doi") == 1) | (_a(f, "pmid") == 1)


# --- exceptions: conflicts known to be export errors ---------------------------------------


def _wrong_doi_on_identical_record(f: pd.DataFrame) -> np.ndarray:
    authors = f["authors"].to_numpy(dtype=float)
    pages, volume = _a(f, "pages"), _a(f, "volume")
    return (
        (_a(f, "title") >= 98) & (pages == 1) & (_a(f, "journal") == 1) & _same_year(f)
        & (
            ((np.nan_to_num(authors, nan=0) >= 95) & (volume != -1) & ~np.isnan(authors))
            | ((np.nan_to_num(authors, nan=100) >= 90) & (volume == 1))
        )
    )


def _unlabelled_typo(f: pd.DataFrame) -> np.ndarray:
    """A conference abstract beside an unlabelled copy of it in the same journal, year and volume, no supplement's page."""
    supplement = _a(f, "supplement_page_a").astype(bool) | _a(f, "supplement_page_b").astype(bool)
    return _abstract_pair(f) & (_a(f, "journal") == 1) & (_a(f, "year_gap") == 0) & (_a(f, "volume") != -1) & ~supplement


def _doi_outweighs_typo(f: pd.DataFrame) -> np.ndarray:
    # The same authors, or the same abstract where an export garbled the author list.
    same_text = ((_filled(f, "authors", 0) >= 90) | (_filled(f, "abstract", 0) >= 97)) & (_filled(f, "first_author", 0) >= 80)
    return (
        (_a(f, "doi") == 1) & (_a(f, "title") >= 95) & ((_a(f, "kind_a") == _a(f, "kind_b")) | _unlabelled_typo(f)) & same_text
        & (_a(f, "year_gap") <= 1) & ((_a(f, "journal") != -1) | (_a(f, "pages") == 1))
    )


def _identifier_outweighs_years(f: pd.DataFrame) -> np.ndarray:
    """The same DOI or PMID, title, kind, authors, journal and volume, years two apart, nothing else conflicting.

    Some journals print an article in an issue a year or more after it appeared online,
    and exports give either date (or shift it once more); the identifier and the volume
    name one item.
    """
    others = sum((_a(f, name) == -1).astype(int) for name in ("doi", "pmid", "issue", "pages", "extent"))
    return (
        _strong_id(f) & (_a(f, "year_gap") == 2) & (others == 0) & (_a(f, "volume") == 1) & (_a(f, "journal") != -1)
        & (_a(f, "title") >= 95) & (_a(f, "kind_a") == _a(f, "kind_b")) & _authors_match(f)
    )


def _abstract_outweighs_typo(f: pd.DataFrame) -> np.ndarray:
    """The same abstract, title, kind, first author, journal, volume and year with the issue or first page conflicting.

    An abstract of twenty words or more is a text no second item of one volume shares
    (front matter has none), so where everything else agrees a single conflicting issue or
    first page is a typo. A conference abstract can carry the text of the later paper, so
    the volume must agree and neither page may be a supplement's ("S12").
    """
    one = (sum((_a(f, name) == -1).astype(int) for name in ("doi", "pmid", "volume", "issue", "pages", "extent")) == 1)
    supplement = _a(f, "supplement_page_a").astype(bool) | _a(f, "supplement_page_b").astype(bool)
    return (
        one & (_a(f, "volume") == 1) & _same_year(f) & ~supplement
        & (_filled(f, "abstract", 0) >= 97) & (_a(f, "title") >= 95) & (_a(f, "kind_a") == _a(f, "kind_b"))
        & (_filled(f, "first_author", 0) >= 80) & (_a(f, "numbers") != -1)
    )


def _full_citation(f: pd.DataFrame) -> np.ndarray:
    return (
        (_a(f, "journal") != -1) & (_a(f, "volume") == 1) & (_a(f, "pages") == 1) & _same_year(f)
        & (_filled(f, "authors", 0) >= 80) & (_filled(f, "first_author", 0) >= 80)
    )


def _identifier_outweighs_label(f: pd.DataFrame) -> np.ndarray:
    return _strong_id(f) & (_a(f, "title") >= 95)


EXCEPTIONS = [
    Rule(
        "unlabelled_abstract",
        "one export labels a conference abstract as such (a supplement, an abstract number) and another does not: "
        "the same journal and year and the same first page or volume make them one item (a year apart: the same "
        "first page, or the same journal and volume where neither gives a first page or a DOI)",
        _abstract_is_the_item,
    ),
    Rule(
        "identifier_outweighs_label",
        "one export labels a conference abstract as such and another does not: the same DOI or PMID and a "
        "near-identical title make them one item",
        _identifier_outweighs_label,
    ),
    Rule(
        "wrong_doi_on_identical_record",
        "a database gives another article's or a garbled DOI on a record identical in title, journal, year, "
        "first page and authors (or neither has authors and the volume agrees): the DOIs do not count",
        _wrong_doi_on_identical_record,
    ),
    Rule(
        "doi_outweighs_typo",
        "the same DOI with the same title, kind and authors (or abstract, where an export garbled the author list) "
        "outweighs a typo in the volume, issue or first page; the kind may differ where one export labels the abstract "
        "and the journal, year and volume agree (no supplement's page)",
        _doi_outweighs_typo,
    ),
    Rule(
        "abstract_outweighs_typo",
        "the same abstract (a text no second item of one volume shares), title, kind, first author, journal, volume "
        "and year outweigh a typo in the issue or first page (not a supplement's page: an abstract may carry the "
        "later paper's text)",
        _abstract_outweighs_typo,
    ),
    Rule(
        "identifier_outweighs_years",
        "the same DOI or PMID, title, kind, authors, journal and volume outweigh years two apart (online first long "
        "before the issue, one export giving each date)",
        _identifier_outweighs_years,
    ),
    Rule(
        "full_citation",
        "a generic title (\"Editorial\") by the same authors at the same journal, year, volume and first page is one item "
        "(the year may be one apart: online first)",
        _full_citation,
    ),
]
_EXCEPTION = {r.name: r for r in EXCEPTIONS}


# --- layer 1: non-duplicate rules -------------------------------------------------------


def _non_duplicate_rules(exempt: Callable[[str, pd.DataFrame], np.ndarray]) -> list[Rule]:
    def typo(f: pd.DataFrame) -> np.ndarray:
        return exempt("doi_outweighs_typo", f) | exempt("abstract_outweighs_typo", f)

    return [
        Rule("different_kind", "an erratum, comment, conference abstract or preprint beside another kind of record "
             "(linked when the titles are similar, never merged)", lambda f: _kind_differs(f, exempt)),
        Rule("different_pmid", "two different PubMed ids", lambda f: _a(f, "pmid") == -1),
        Rule("different_doi", "two valid, different DOIs (a DOI shared by records with different titles is a "
             "supplement's and does not count)",
             lambda f: (_a(f, "doi") == -1) & ~exempt("wrong_doi_on_identical_record", f)),
        Rule("years_apart", "publication years more than one apart (one is allowed: online first, then in an issue)",
             lambda f: (_a(f, "year_gap") > 1) & ~exempt("identifier_outweighs_years", f)),
        Rule("different_volume", "two different volumes (a supplement or issue number moved into the volume field "
             "is no conflict)", lambda f: (_a(f, "volume") == -1) & ~typo(f)),
        Rule("different_issue", "different issue numbers in one volume: the same front matter in each issue",
             lambda f: (_a(f, "issue") == -1) & (_a(f, "volume") != -1) & ~typo(f)),
        Rule("different_pages", "two different first pages", lambda f: (_a(f, "pages") == -1) & ~typo(f)),
        Rule("different_extent", "the same first page, page ranges three or more pages apart in length (\"1-30\" and "
             "\"1-42\": two items that start on page 1, a chapter in two editions)",
             lambda f: (_a(f, "extent") == -1) & ~typo(f)),
        Rule("different_numbers", "titles that differ in their numbers (\"Part 2\", \"2019 update\", \"Type II\") "
             "with no shared identifier or citation",
             lambda f: (_a(f, "numbers") == -1) & ~_strong_id(f) & ~((_a(f, "volume") == 1) & (_a(f, "pages") == 1))),
        Rule("generic_title", "a title that names a kind of item (\"Editorial\", \"Reply\") with no shared "
             "identifier or full citation", lambda f: _a(f, "generic").astype(bool) & ~_strong_id(f) & ~exempt("full_citation", f)),
        Rule("shared_doi", "the same DOI on records whose titles clearly differ (an issue's or a supplement's DOI)",
             lambda f: (_a(f, "doi") == 1) & (_a(f, "title") < 70)),
    ]


def non_duplicate_rules(settings: MatchSettings | None = None) -> list[Rule]:
    """The non-duplicate rules in order (the first that applies names the reason), with ``settings.disabled`` applied."""
    settings = settings or MatchSettings()

    def exempt(name: str, f: pd.DataFrame) -> np.ndarray:
        return np.zeros(len(f), dtype=bool) if name in settings.disabled else _EXCEPTION[name].test(f)

    return [r for r in _non_duplicate_rules(exempt) if r.name not in settings.disabled]


NON_DUPLICATE = non_duplicate_rules()


def conflicts(features: pd.DataFrame, settings: MatchSettings | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per pair: does a non-duplicate rule apply, and which (``""`` when none)."""
    rule = np.full(len(features), "", dtype=object)
    for r in non_duplicate_rules(settings):
        rule = np.where((rule == "") & r.test(features), r.name, rule)
    return rule != "", rule


# --- layer 2: identifiers ----------------------------------------------------------------


def identity_rules(settings: MatchSettings) -> list[Rule]:
    t = settings.identity_title

    def similar(f: pd.DataFrame) -> np.ndarray:
        # A DOI or PMID on records of two different journals is an error in one of them
        # (a database gives an abstract in one journal its paper's DOI in another), unless
        # the titles are near-identical and the volume or first page agrees too.
        title = _a(f, "title")
        placed = (_a(f, "volume") == 1) | (_a(f, "pages") == 1)
        return (title >= t) & ((_a(f, "journal") != -1) | ((title >= 95) & placed))

    rules = [
        Rule("doi", "the same DOI and a similar title (where the journals differ: a near-identical title and the same "
             "volume or first page)", lambda f: (_a(f, "doi") == 1) & similar(f)),
        Rule("pmid", "the same PubMed id and a similar title (where the journals differ: a near-identical title and the "
             "same volume or first page)", lambda f: (_a(f, "pmid") == 1) & similar(f)),
    ]
    return [r for r in rules if r.name not in settings.disabled]


IDENTITY = identity_rules(MatchSettings())


def _title_authors(f: pd.DataFrame) -> np.ndarray:
    title, journal, volume, pages, gap = _a(f, "title"), _a(f, "journal"), _a(f, "volume"), _a(f, "pages"), _a(f, "year_gap")
    # The same year corroborates only where a record gives no volume or page to compare
    # (books, reports, a bare hand-searched entry): where both do and none agree, it may be
    # an abstract stripped of its journal beside the later article.
    either_bare = _a(f, "bare_a").astype(bool) | _a(f, "bare_b").astype(bool)
    corroborated = (journal == 1) | (volume == 1) | (pages == 1) | ((gap == 0) & either_bare)
    match = (title >= 95) & _authors_match(f)
    return (match & (journal != -1) & corroborated) | (match & (journal == -1) & (volume == 1) & (gap == 0))


def _same_citation(f: pd.DataFrame) -> np.ndarray:
    return (
        (_a(f, "year_gap") == 0) & (_a(f, "journal") == 1) & (_a(f, "volume") == 1) & (_a(f, "pages") == 1)
        & (_a(f, "issue") != -1) & _authors_match(f, 95)
        & (_a(f, "kind_a") == "article") & (_a(f, "kind_b") == "article") & ~_a(f, "generic").astype(bool)
    )


def _same_place(f: pd.DataFrame) -> np.ndarray:
    """The same journal, year (or one apart: :func:`_same_year`), volume and first page."""
    return _same_year(f) & (_a(f, "journal") == 1) & (_a(f, "volume") == 1) & (_a(f, "pages") == 1)


DUPLICATE = [
    Rule("title_authors", "near-identical titles (95) by the same authors, with the journal, volume or first page "
         "agreeing (the same year where a record has no citation to compare)", _title_authors),
    Rule("title_bibliographic", "near-identical titles (97) at the same journal, year, volume and first page, whatever "
         "the (often garbled) author strings say", lambda f: (_a(f, "title") >= 97) & _same_place(f)),
    Rule("same_citation", "articles by the same authors at the same journal, year, volume, issue and first page, "
         "whatever the titles say (translated or reworded): two papers cannot start on one page", _same_citation),
]


# --- layer 3: review rules ---------------------------------------------------------------

# Conflicts that, between otherwise near-identical records, may be a typo.
TYPO_CONFLICTS = ("different_doi", "different_volume", "different_issue", "different_pages", "different_extent", "years_apart")


def _item_conflicts(f: pd.DataFrame) -> np.ndarray:
    """How many of DOI, PMID, volume, issue, first page, page extent and year conflict."""
    count = sum((_a(f, name) == -1).astype(int) for name in ("doi", "pmid", "volume", "issue", "pages", "extent"))
    return count + (_a(f, "year_gap") > 1).astype(int)


def ambiguous_pairs(features: pd.DataFrame, title_groups: np.ndarray) -> np.ndarray:
    """Per pair: does either record carry a title this corpus shows to name several items?

    Two records with the same title, of the same kind, that conflict on two or more of DOI,
    PMID, volume, issue, first page and year (the same "Editor's comments" in issues 1 and
    2; one conflict alone may be a typo): that title alone cannot tell a third record which
    item it is.
    """
    i, j = _a(features, "i"), _a(features, "j")
    proven = features["title_exact"].to_numpy(dtype=bool) & (_a(features, "kind_a") == _a(features, "kind_b"))
    proven &= _item_conflicts(features) >= 2
    if not proven.any():
        return np.zeros(len(features), dtype=bool)
    groups = np.union1d(title_groups[i[proven]], title_groups[j[proven]])
    return np.isin(title_groups[i], groups) | np.isin(title_groups[j], groups)


def _review_ambiguous(f: pd.DataFrame) -> np.ndarray:
    # The same volume and the same issue place the item as well as a first page does:
    # front matter is repeated across issues, not within one.
    placed = (_a(f, "pages") == 1) | ((_a(f, "volume") == 1) & (_a(f, "issue") == 1))
    return f["_ambiguous"].to_numpy(dtype=bool) & ~placed


def _review_other_venue(f: pd.DataFrame) -> np.ndarray:
    return (_a(f, "journal") == -1) & (_a(f, "pages") != 1) & (_a(f, "volume") != 1)


def _review_no_anchor(f: pd.DataFrame) -> np.ndarray:
    # An issue number alone (1 to 12, mostly) agrees by chance too often to anchor anything.
    anchored = (_a(f, "journal") == 1) | (_a(f, "volume") == 1) | (_a(f, "pages") == 1)
    bare = _a(f, "bare_a").astype(bool) | _a(f, "bare_b").astype(bool)
    return (f["rule"].to_numpy() == "match_score") & ~anchored & ~((_a(f, "year_gap") == 0) & bare)


def _review_no_title(f: pd.DataFrame) -> np.ndarray:
    lost = f["title_empty"].to_numpy(dtype=bool)
    return lost | (_a(f, "generic").astype(bool) & ~_full_citation(f))


# Review rules see the pair features plus ``_ambiguous`` (:func:`ambiguous_pairs`) and the
# ``rule`` that would merge the pair; each applies only to pairs a duplicate rule or the
# score would merge without an identifier.
REVIEW = [
    Rule("ambiguous_title", "a title the corpus shows to name several items (the same front matter in several "
         "issues) merges only with a shared identifier, first page, or volume and issue; otherwise a person decides",
         _review_ambiguous),
    Rule("other_venue", "the same work in two journals (an abstract in one, the paper a year later in another; a "
         "reprint) merges only with a shared identifier or an agreeing volume or first page; otherwise a person decides",
         _review_other_venue),
    Rule("no_anchor", "a scored match with nothing of the citation to agree on (no journal, volume or first "
         "page in common, and the years apart or both records giving them) goes to a person: an abstract and the later "
         "paper can share title, authors and abstract", _review_no_anchor),
    Rule("no_title", "a record whose title is missing or lost (a spreadsheet error such as \"#NAME?\") merges only on "
         "an identifier, a generic title (\"Preface\") only on an identifier or the same authors, journal, year, volume "
         "and first page; otherwise a person decides", _review_no_title),
]


def review_typo(f: pd.DataFrame, why: np.ndarray) -> np.ndarray:
    """Near-identical records (title 95, the same authors) kept apart by one DOI, volume, issue, first page or year.

    Records that share a DOI or PMID go to a person however many citation details conflict:
    the identifier and the citation cannot both be right.
    """
    one_conflict = (_item_conflicts(f) == 1) | _strong_id(f)
    return np.isin(why, TYPO_CONFLICTS) & one_conflict & (_a(f, "title") >= 95) & _authors_match(f) & (_a(f, "year_gap") <= 2)


# --- the decision --------------------------------------------------------------------------


@dataclass
class Classified:
    """The decided pairs (features plus ``decision``, ``rule``, ``weight``) and the corpus' weights."""

    pairs: pd.DataFrame
    weights: Weights


def open_pairs(features: pd.DataFrame, title_groups: np.ndarray | None, settings: MatchSettings) -> dict[str, np.ndarray]:
    """The masks the decision is built from: ``blocked`` (and ``why``), ``identity``, ``ambiguous`` and ``scored``.

    ``scored`` are the pairs whose comparison vectors EM learns the corpus' weights from:
    no rule stops or merges them and their title is neither generic nor ambiguous.
    """
    blocked, why = conflicts(features, settings)
    identity = np.zeros(len(features), dtype=bool)
    for r in identity_rules(settings):
        identity |= r.test(features)
    identity &= ~blocked
    ambiguous = ambiguous_pairs(features, title_groups) if title_groups is not None else np.zeros(len(features), dtype=bool)
    scored = ~blocked & ~identity & ~ambiguous & ~_a(features, "generic").astype(bool)
    return {"blocked": blocked, "why": why, "identity": identity, "ambiguous": ambiguous, "scored": scored}


def classify(
    features: pd.DataFrame,
    title_groups: np.ndarray | None = None,
    settings: MatchSettings | None = None,
    prior: Weights | None = None,
) -> Classified:
    """Decide every compared pair (see the module docstring for the layers).

    ``title_groups``: one integer per record (same value for the same title), used to find
    titles that name several items; ``prior``: the default weights the corpus' EM starts from.
    """
    settings = settings or MatchSettings()
    f = features
    n = len(f)
    masks = open_pairs(f, title_groups, settings)
    blocked, why, identity = masks["blocked"], masks["why"], masks["identity"]

    levels = comparison_levels(f)
    weights = estimate_weights(levels[masks["scored"]], levels[identity], prior or default_weights(), settings.em_strength)
    weight = match_weight(levels, weights)

    decision = np.full(n, "distinct", dtype=object)
    rule = np.full(n, "dissimilar", dtype=object)
    open_ = ~blocked & ~identity
    unsure = open_ & (weight >= settings.review_weight)
    decision[unsure], rule[unsure] = "uncertain", "review"
    scored = open_ & (weight >= settings.match_weight) & ("match_score" not in settings.disabled)
    decision[scored], rule[scored] = "duplicate", "match_score"
    for r in reversed([r for r in DUPLICATE if r.name not in settings.disabled]):
        hit = open_ & r.test(f)
        decision[hit], rule[hit] = "duplicate", r.name
    for r in reversed(identity_rules(settings)):
        hit = identity & r.test(f)
        decision[hit], rule[hit] = "duplicate", r.name

    context = f.assign(_ambiguous=masks["ambiguous"], rule=rule.copy())
    for r in REVIEW:
        if r.name in settings.disabled:
            continue
        weak = (decision == "duplicate") & ~identity & r.test(context)
        decision[weak], rule[weak] = "uncertain", r.name

    kind_a, kind_b = _a(f, "kind_a"), _a(f, "kind_b")
    kind_rule = np.array([LINKED_KINDS.get(b if a == "article" else a, "related") for a, b in zip(kind_a, kind_b)], dtype=object)
    linked = blocked & (why == "different_kind") & (_a(f, "title") >= 85)
    decision = np.where(blocked, np.where(linked, "linked", "distinct"), decision)
    rule = np.where(blocked, np.where(linked, kind_rule, why), rule)
    if "review_typo" not in settings.disabled:
        ask = blocked & review_typo(f, why)
        decision = np.where(ask, "uncertain", decision)
        rule = np.where(ask, "review_" + why.astype(str), rule)
    out = f.copy()
    out["decision"] = decision
    out["rule"] = rule
    out["weight"] = np.round(weight, 3)
    return Classified(pairs=out, weights=weights)
