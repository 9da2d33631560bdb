"""Match scores: Fellegi-Sunter weights, re-estimated on each corpus by EM.

Each compared pair gets one *level* per field (:data:`FIELDS`): how well the two records
agree on the title, the authors, the abstract, the year, the journal and the citation
(volume, issue, first page). A level has a probability ``m`` among pairs that are one
publication and ``u`` among pairs that are two; the pair's match weight is the sum of
``log2(m / u)`` over the fields, in bits. Only the pairs no non-duplicate rule stops are
scored, so ``u`` describes the look-alikes that remain once conflicting identifiers and
citations are set aside, and a missing value is a level of its own, never a conflict.

The default ``m``, ``u`` and share of matches come from labelled sets (``data/match_weights.csv``,
written by ``benchmarks/dedup.py --fit``). On each corpus, expectation-maximisation
re-estimates them from its own candidate pairs, shrunk towards the defaults by
``strength`` pseudo-pairs, so that a field that is garbage in this corpus' exports
(authors run together, a month in the pages) weighs less here. Pairs that share an
identifier (same DOI or PMID and a similar title) are held as matches while it does so.
This is the approach of Splink and of Fellegi & Sunter (1969), Winkler (1988).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

FIELDS = ("title", "authors", "abstract", "year", "journal", "citation")
LEVELS = 6  # levels 0 to 5; a field uses as many as it needs
_LEVEL_NAMES = {
    "title": ("missing or generic", "below 80", "80-89", "90-95 or one part of the other", "96-99", "same"),
    "authors": ("missing", "different", "first author or 60", "80 and first author", "95 and first author", ""),
    "abstract": ("missing", "below 70", "70-89", "90-96", "97 and above", ""),
    "year": ("missing", "same", "one apart", "further apart", "", ""),
    "journal": ("missing", "compatible", "different", "", "", ""),
    "citation": (
        "nothing to compare", "volume only", "volume and issue", "first page", "first page and volume", "a difference",
    ),
}
N_LEVELS = {field: sum(1 for name in names if name) for field, names in _LEVEL_NAMES.items()}


def _nan(values: pd.Series) -> np.ndarray:
    return values.to_numpy(dtype=float)


def comparison_levels(features: pd.DataFrame) -> np.ndarray:
    """The comparison vector of each pair: an ``(n, len(FIELDS))`` array of levels.

    Level 0 means a record leaves the field empty. Missing is not conflicting: it is never
    a reason to keep two records apart, but how often it happens among pairs of one
    publication and among pairs of two is learned like any other level. A generic title
    ("Editorial") counts as a missing one: it says nothing about which item it is. Volume,
    issue and first page are one field (``citation``), since an export that leaves one
    out usually leaves out all three.
    """
    f = features
    n = len(f)
    out = np.zeros((n, len(FIELDS)), dtype=np.int8)
    title = _nan(f["title"])
    exact = f["title_exact"].to_numpy(dtype=bool)
    part = _nan(f["title_part"]) >= 100
    level = np.select([exact, title >= 96, (title >= 90) | part, title >= 80], [5, 4, 3, 2], default=1)
    level[f["generic"].to_numpy(dtype=bool) | np.isnan(title) | (f["title_empty"].to_numpy(dtype=bool))] = 0
    out[:, 0] = level

    authors, first = _nan(f["authors"]), _nan(f["first_author"])
    fa = np.nan_to_num(first, nan=0) >= 80
    au = np.nan_to_num(authors, nan=0)
    level = np.select([(au >= 95) & fa, (au >= 80) & fa, (au >= 60) | fa], [4, 3, 2], default=1)
    level[np.isnan(authors)] = 0
    out[:, 1] = level

    abstract = _nan(f["abstract"])
    level = np.select([abstract >= 97, abstract >= 90, abstract >= 70], [4, 3, 2], default=1)
    level[np.isnan(abstract)] = 0
    out[:, 2] = level

    gap = _nan(f["year_gap"])
    level = np.select([gap == 0, gap == 1], [1, 2], default=3)
    level[np.isnan(gap)] = 0
    out[:, 3] = level

    journal = f["journal"].to_numpy()
    out[:, 4] = np.select([journal == 1, journal == -1], [1, 2], default=0)

    volume, issue, pages = f["volume"].to_numpy(), f["issue"].to_numpy(), f["pages"].to_numpy()
    out[:, 5] = np.select(
        [
            (volume == -1) | (issue == -1) | (pages == -1),
            (pages == 1) & (volume == 1),
            pages == 1,
            (volume == 1) & (issue == 1),
            volume == 1,
        ],
        [5, 4, 3, 2, 1],
        default=0,
    )
    return out


@dataclass(frozen=True)
class Weights:
    """``m`` and ``u`` per field and level (``(len(FIELDS), LEVELS)`` arrays) and the prior ``share`` of matches."""

    m: np.ndarray
    u: np.ndarray
    share: float

    def log_ratio(self) -> np.ndarray:
        """``ln(m / u)`` per field and level; 0 for unused levels."""
        ratio = np.zeros_like(self.m)
        used = (self.m > 0) & (self.u > 0)
        ratio[used] = np.log(self.m[used] / self.u[used])
        return ratio

    def table(self) -> pd.DataFrame:
        """One row per field and level: ``field, level, meaning, m, u, weight`` (weight in bits)."""
        rows = []
        bits = self.log_ratio() / np.log(2)
        for f, field in enumerate(FIELDS):
            for level in range(N_LEVELS[field]):
                rows.append((field, level, _LEVEL_NAMES[field][level], self.m[f, level], self.u[f, level], bits[f, level]))
        return pd.DataFrame(rows, columns=["field", "level", "meaning", "m", "u", "weight"])


def weights_from_table(table: pd.DataFrame) -> Weights:
    """:class:`Weights` from rows ``field, level, m, u`` (plus a row ``share`` in field ``_prior``)."""
    m = np.zeros((len(FIELDS), LEVELS))
    u = np.zeros((len(FIELDS), LEVELS))
    share = 0.1
    for row in table.itertuples(index=False):
        if row.field == "_prior":
            share = float(row.m)
            continue
        f = FIELDS.index(row.field)
        m[f, int(row.level)], u[f, int(row.level)] = float(row.m), float(row.u)
    return Weights(m=_normalised(m), u=_normalised(u), share=share)


def weights_to_rows(weights: Weights) -> list[dict[str, str]]:
    """Rows for ``data/match_weights.csv`` (probabilities rounded to six decimals)."""
    rows = [{"field": "_prior", "level": "0", "m": f"{weights.share:.6f}", "u": ""}]
    for f, field in enumerate(FIELDS):
        for level in range(N_LEVELS[field]):
            rows.append({"field": field, "level": str(level), "m": f"{weights.m[f, level]:.6f}", "u": f"{weights.u[f, level]:.6f}"})
    return rows


@lru_cache(maxsize=1)
def default_weights() -> Weights:
    """The weights learned from labelled sets (``data/match_weights.csv``)."""
    text = resources.files(__package__).joinpath("data", "match_weights.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    return weights_from_table(pd.DataFrame(rows).assign(u=lambda t: t["u"].replace("", "0")))


def _normalised(p: np.ndarray, floor: float = 1e-6) -> np.ndarray:
    """Each field's level probabilities summing to one, none below ``floor``."""
    out = np.zeros_like(p)
    for f, field in enumerate(FIELDS):
        n = N_LEVELS[field]
        row = np.maximum(p[f, :n], floor)
        out[f, :n] = row / row.sum()
    return out


def count_levels(levels: np.ndarray, weights_per_pair: np.ndarray | None = None) -> np.ndarray:
    """How often each level occurs per field (``(len(FIELDS), LEVELS)``), each pair weighted."""
    w = np.ones(len(levels)) if weights_per_pair is None else weights_per_pair
    counts = np.zeros((len(FIELDS), LEVELS))
    for f in range(len(FIELDS)):
        counts[f] = np.bincount(levels[:, f], weights=w, minlength=LEVELS)[:LEVELS]
    return counts


def _patterns(levels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct comparison vectors, how often each occurs, and each pair's pattern index."""
    if len(levels) == 0:
        return np.zeros((0, len(FIELDS)), dtype=np.int8), np.zeros(0), np.zeros(0, dtype=np.int64)
    code = np.zeros(len(levels), dtype=np.int64)
    for f in range(len(FIELDS)):
        code = code * LEVELS + levels[:, f]
    uniques, index, counts = np.unique(code, return_inverse=True, return_counts=True)
    patterns = np.zeros((len(uniques), len(FIELDS)), dtype=np.int8)
    rest = uniques.copy()
    for f in reversed(range(len(FIELDS))):
        patterns[:, f] = rest % LEVELS
        rest //= LEVELS
    return patterns, counts.astype(float), index


def pattern_log_odds(patterns: np.ndarray, weights: Weights) -> np.ndarray:
    """The match weight (natural log, without the prior) of each comparison vector."""
    ratio = weights.log_ratio()
    total = np.zeros(len(patterns))
    for f in range(len(FIELDS)):
        total += ratio[f, patterns[:, f]]
    return total


def estimate_weights(
    levels: np.ndarray, anchors: np.ndarray, prior: Weights, strength: float, iterations: int = 60
) -> Weights:
    """``m``, ``u`` and the share of matches re-estimated on one corpus by EM.

    ``levels``: the comparison vectors of the pairs whose status is open; ``anchors``: those
    of pairs held as matches (a shared identifier). Each estimate is shrunk towards
    ``prior`` by ``strength`` pseudo-pairs; ``strength`` ``inf`` returns ``prior`` unchanged.
    Deterministic: the same pairs give the same weights in any order.
    """
    if not np.isfinite(strength) or len(levels) + len(anchors) == 0:
        return prior
    patterns, counts, _ = _patterns(levels)
    anchor_counts = count_levels(anchors)
    m, u, share = prior.m.copy(), prior.u.copy(), prior.share
    for _ in range(iterations):
        current = Weights(m=m, u=u, share=share)
        logit = np.clip(pattern_log_odds(patterns, current) + np.log(share / (1 - share)), -50, 50)
        match = 1.0 / (1.0 + np.exp(-logit))
        matched = counts * match
        m_counts = anchor_counts.copy()
        u_counts = np.zeros_like(m_counts)
        for f in range(len(FIELDS)):
            m_counts[f] += np.bincount(patterns[:, f], weights=matched, minlength=LEVELS)[:LEVELS]
            u_counts[f] += np.bincount(patterns[:, f], weights=counts - matched, minlength=LEVELS)[:LEVELS]
        new_m = _normalised(m_counts + strength * prior.m)
        new_u = _normalised(u_counts + strength * prior.u)
        n_open = counts.sum()
        new_share = (matched.sum() + strength * prior.share) / (n_open + strength) if n_open else share
        new_share = float(np.clip(new_share, 1e-4, 0.9))
        converged = np.abs(new_m - m).max() < 1e-7 and np.abs(new_u - u).max() < 1e-7 and abs(new_share - share) < 1e-7
        m, u, share = new_m, new_u, new_share
        if converged:
            break
    return Weights(m=m, u=u, share=share)


def match_weight(levels: np.ndarray, weights: Weights) -> np.ndarray:
    """Each pair's match weight in bits: ``log2`` of how much likelier its comparison vector is for one publication than for two.

    It leaves out the corpus' prior odds, so the same evidence gets the same weight in a
    corpus full of duplicates and in one with few.
    """
    if len(levels) == 0:
        return np.zeros(0)
    patterns, _, index = _patterns(levels)
    return (pattern_log_odds(patterns, weights) / np.log(2))[index]


def fit_weights(levels: np.ndarray, same: np.ndarray, smoothing: float = 1.0) -> Weights:
    """Weights counted from labelled pairs (``same`` True where the pair is one publication)."""
    m = count_levels(levels[same]) + smoothing
    u = count_levels(levels[~same]) + smoothing
    share = float(same.mean()) if len(same) else 0.1
    return Weights(m=_normalised(m), u=_normalised(u), share=share)
