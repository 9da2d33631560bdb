"""Similarity scores and field agreements for candidate pairs, vectorised over all pairs.

``compare_pairs(keys, i, j)`` returns one row per pair with:

- ``title_part``: where volume and first page agree, how well the shorter title matches a
  part of the longer (0 elsewhere);
- ``title``, ``authors``, ``first_author``, ``abstract``: rapidfuzz similarities 0-100
  (``authors``/``first_author``/``abstract`` NaN when either record lacks them; the title
  scored without the Greek letters one export dropped, :func:`.normalise.dropped_greek`);
- ``title_exact``: the titles are the same once spaces are ignored ("15N" and "(15)N");
  ``title_empty``: either record has no title;
- ``year_gap``: absolute year difference (NaN when unknown);
- ``doi``, ``pmid``, ``volume``, ``issue``, ``pages``: ``1`` same, ``-1`` different, ``0`` unknown
  (issues agree when their numbers overlap: "5-6" and "5");
- ``extent``: where the first pages agree, ``-1`` when the ranges span page counts three or
  more apart ("1-30" and "1-42"; one or two apart is a slip), ``1`` when they agree within
  two, ``0`` when either gives no range (:func:`.normalise.page_count`);
- ``numbers``: ``1`` when the titles hold the same numbers ("part 2", "2019"), else ``-1``;
- ``journal``: ``1`` compatible names, ``-1`` incompatible, ``0`` unknown;
- ``kind_a``, ``kind_b``: record kinds (article, erratum, comment, conference, preprint);
- ``bare_a``, ``bare_b``: the record gives neither volume nor first page; ``no_page_a``,
  ``no_page_b``: it gives no first page; ``supplement_page_a``, ``supplement_page_b``: its pages
  are numbered as a supplement's ("S72"); ``no_doi_a``, ``no_doi_b``: it gives no DOI (in the DOI field or a link).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from .normalise import GREEK_NAMES, dropped_greek, journals_compatible

FEATURE_COLUMNS = [
    "i", "j", "title", "title_exact", "title_empty", "title_part", "authors", "first_author", "abstract", "year_gap",
    "doi", "pmid", "numbers", "volume", "issue", "pages", "extent", "journal", "kind_a", "kind_b", "bare_a", "bare_b", "no_page_a", "no_page_b",
    "supplement_page_a", "supplement_page_b", "no_doi_a", "no_doi_b", "generic",
]


def _pairwise(a: np.ndarray, b: np.ndarray, scorer) -> np.ndarray:
    if len(a) == 0:
        return np.empty(0, dtype=float)
    return process.cpdist(list(a), list(b), scorer=scorer, workers=-1).astype(float)


def _agreement(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """1 where both are filled and equal, -1 where both filled and different, else 0."""
    filled = (a != "") & (b != "")
    return np.where(filled, np.where(a == b, 1, -1), 0).astype(np.int8)


def shared_dois(keys: pd.DataFrame, i: np.ndarray, j: np.ndarray, title_scores: np.ndarray) -> set[str]:
    """DOIs carried by records with clearly different titles: a supplement or issue DOI, no evidence."""
    doi = keys["doi"].to_numpy(dtype=object)
    same = (doi[i] == doi[j]) & (doi[i] != "")
    generic = keys["generic"].to_numpy()
    differ = same & (title_scores < 80) & ~generic[i] & ~generic[j]
    return set(doi[i][differ].tolist())


def _overlap(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Like :func:`_agreement` for space-separated number sets: ``1`` when they share a number."""
    out = _agreement(a, b)
    for k in np.flatnonzero(out == -1):
        if set(a[k].split()) & set(b[k].split()):
            out[k] = 1
    return out


def _issues(col: dict[str, np.ndarray], i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Issue agreement.

    A record without pages whose issue number is the other record's first page holds the
    article number in its issue field (Embase): no conflict.
    """
    issue = _overlap(col["issue_numbers"][i], col["issue_numbers"][j])
    page = col["page_key"]
    for k in np.flatnonzero(issue == -1):
        a, b = i[k], j[k]
        if (not page[a] and page[b] in col["issue_numbers"][a].split()) or (
            not page[b] and page[a] in col["issue_numbers"][b].split()
        ):
            issue[k] = 0
    return issue


def _dropped_greek_titles(title: np.ndarray, keys: np.ndarray, i: np.ndarray, j: np.ndarray) -> None:
    """Raise ``title`` (in place) to the score without Greek letter names where one export dropped them."""
    has_greek = np.fromiter((not GREEK_NAMES.isdisjoint(t.split()) for t in keys), dtype=bool, count=len(keys))
    for k in np.flatnonzero((has_greek[i] | has_greek[j]) & (title >= 80) & (title < 100)):
        stripped = dropped_greek(keys[i[k]], keys[j[k]])
        if stripped:
            title[k] = max(title[k], fuzz.ratio(*stripped))


def compare_pairs(keys: pd.DataFrame, i: np.ndarray, j: np.ndarray) -> pd.DataFrame:
    """Scores and agreements for the pairs of rows ``(i[k], j[k])`` of ``keys``."""
    col = {c: keys[c].to_numpy(dtype=object) for c in keys.columns if c not in ("year", "generic", "supplement_page", "page_count")}
    years = keys["year"].to_numpy(dtype=float)
    generic = keys["generic"].to_numpy(dtype=bool)
    supplement = keys["supplement_page"].to_numpy(dtype=bool)
    bare = (col["volume_key"] == "") & (col["page_key"] == "")

    title = _pairwise(col["title_key"][i], col["title_key"][j], fuzz.ratio)
    _dropped_greek_titles(title, col["title_key"], i, j)
    title_exact = np.fromiter(
        (a == b or a.replace(" ", "") == b.replace(" ", "") for a, b in zip(col["title_key"][i], col["title_key"][j])),
        dtype=bool, count=len(i),
    ) & (col["title_key"][i] != "")
    abstract = _pairwise(col["abstract_key"][i], col["abstract_key"][j], fuzz.token_set_ratio)
    abstract[(col["abstract_key"][i] == "") | (col["abstract_key"][j] == "")] = np.nan
    authors = _pairwise(col["authors_key"][i], col["authors_key"][j], fuzz.token_set_ratio)
    authors[(col["authors_key"][i] == "") | (col["authors_key"][j] == "")] = np.nan
    fa_ratio = _pairwise(col["first_author"][i], col["first_author"][j], fuzz.ratio)
    fa_partial = _pairwise(col["first_author"][i], col["first_author"][j], fuzz.partial_ratio)
    short = np.minimum(
        np.fromiter((len(s) for s in col["first_author"][i]), dtype=int, count=len(i)),
        np.fromiter((len(s) for s in col["first_author"][j]), dtype=int, count=len(j)),
    )
    # Surname particles ("grathlone" in "mcgrathlone") count as a match for longer names.
    first_author = np.where((fa_partial == 100) & (short >= 5), 100.0, fa_ratio)
    first_author[(col["first_author"][i] == "") | (col["first_author"][j] == "")] = np.nan

    doi = _agreement(col["doi"][i], col["doi"][j])
    shared = shared_dois(keys, i, j, title)
    if shared:
        is_shared = np.fromiter((d in shared for d in col["doi"][i]), dtype=bool, count=len(i)) | np.fromiter(
            (d in shared for d in col["doi"][j]), dtype=bool, count=len(j)
        )
        doi = np.where(is_shared, 0, doi).astype(np.int8)

    numbers = np.where(col["title_numbers"][i] == col["title_numbers"][j], 1, -1).astype(np.int8)
    volume = _agreement(col["volume_key"][i], col["volume_key"][j])
    # A volume found among the other record's volume/issue numbers is a misplaced
    # supplement or issue number, not a different volume.
    for k in np.flatnonzero(volume == -1):
        a, b = i[k], j[k]
        if col["volume_key"][a] in col["volume_numbers"][b].split() or col["volume_key"][b] in col["volume_numbers"][a].split():
            volume[k] = 0

    journal_cache: dict[tuple[str, str], int] = {}
    journal = np.zeros(len(i), dtype=np.int8)
    for k, (a, b) in enumerate(zip(col["journal_key"][i], col["journal_key"][j])):
        if not a or not b:
            continue
        pair = (a, b) if a <= b else (b, a)
        value = journal_cache.get(pair)
        if value is None:
            value = journal_cache[pair] = 1 if journals_compatible(a, b) else -1
        journal[k] = value

    # Subtitle or series prefix left out: only where the bibliographic details all agree.
    title_part = np.zeros(len(i))
    same_place = (volume == 1) & (_agreement(col["page_key"][i], col["page_key"][j]) == 1) & (title < 95)
    rows = np.flatnonzero(same_place)
    if len(rows):
        a, b = col["title_key"][i[rows]], col["title_key"][j[rows]]
        shorter = np.minimum([len(x) for x in a], [len(x) for x in b])
        part = _pairwise(a, b, fuzz.partial_ratio)
        title_part[rows] = np.where(shorter >= 30, part, 0)

    pages = _agreement(col["page_key"][i], col["page_key"][j])
    count = keys["page_count"].to_numpy(dtype=np.int64)
    counted = (pages == 1) & (count[i] > 0) & (count[j] > 0)
    extent = np.where(counted, np.where(np.abs(count[i] - count[j]) >= 3, -1, 1), 0).astype(np.int8)

    return pd.DataFrame(
        {
            "i": i,
            "j": j,
            "title": title,
            "title_exact": title_exact,
            "title_empty": (col["title_key"][i] == "") | (col["title_key"][j] == ""),
            "title_part": title_part,
            "authors": authors,
            "first_author": first_author,
            "abstract": abstract,
            "year_gap": np.abs(years[i] - years[j]),
            "doi": doi,
            "pmid": _agreement(col["pmid"][i], col["pmid"][j]),
            "numbers": numbers,
            "volume": volume,
            "issue": _issues(col, i, j),
            "pages": pages,
            "extent": extent,
            "journal": journal,
            "kind_a": col["kind"][i],
            "bare_a": bare[i],
            "bare_b": bare[j],
            "no_page_a": col["page_key"][i] == "",
            "no_page_b": col["page_key"][j] == "",
            "supplement_page_a": supplement[i],
            "supplement_page_b": supplement[j],
            "no_doi_a": col["doi"][i] == "",
            "no_doi_b": col["doi"][j] == "",
            "kind_b": col["kind"][j],
            "generic": generic[i] | generic[j],
        }
    )[FEATURE_COLUMNS]
