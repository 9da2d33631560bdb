"""Hypergeometric test (Callaghan & Müller-Hansen 2020, Systematic Reviews 9:273).

The records screened since some point form a sample of ``n`` drawn from the ``N_s``
records that were unscreened at that point; ``k`` of them were relevant. Under the null
hypothesis that recall is below the target ``tau``, the urn held at least
``K_tar = floor(r_seen / tau - r_AL + 1)`` relevant records (``r_seen`` relevant seen in
total, ``r_AL`` before the sample). The p value is the hypergeometric probability of seeing
``k`` or fewer relevant in such a sample: ``hypergeom.cdf(k, N_s, K_tar, n)``. Stop when
``p < 1 - confidence``.

When a random-sample phase was screened (``sample_start``) the test uses exactly that
sample. Without one, as in the authors' ranked variant, every tail of the screened
sequence is treated as a sample and the smallest p is used; prioritised records are more
likely relevant than a random draw of the remainder, so the tail under-states how few
relevant records remain, which makes the test conservative whenever the ranking beats
random order (and late: it stops only once the remainder is small).

The interval's low end is the recall that can be claimed at the confidence:
``r_seen / (r_seen + m)`` with ``m`` the largest number of still-missed relevant records
the test cannot reject; the test stops exactly when it reaches the target. The point
estimate extrapolates the sample's rate of relevant records to the records left.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import hypergeom

from .history import ScreeningHistory, StopDecision, decision, missed_for_target


def _windows(labels: np.ndarray, sample_start: int | None) -> np.ndarray:
    """Start positions of the samples to test.

    With a random-sample phase that one start; otherwise the tails of the sequence that
    can give the smallest p: for a fixed count of relevant records in the tail, a longer
    tail is stronger evidence, so only tails starting at 0 or just after a relevant record
    are candidates.
    """
    if sample_start is not None:
        return np.array([sample_start]) if sample_start < len(labels) else np.array([], dtype=int)
    after_relevant = np.flatnonzero(labels[:-1] == 1) + 1
    return np.unique(np.concatenate([[0], after_relevant]))


def _p_values(labels: np.ndarray, n_total: int, missed: int, starts: np.ndarray) -> np.ndarray:
    """p per sample start for H0: at least ``missed`` relevant records are still unseen."""
    n_seen = len(labels)
    tail_relevant = np.cumsum(labels[::-1])[::-1]  # relevant in labels[s:]
    k = tail_relevant[starts]
    n = n_seen - starts
    urn = n_total - starts  # records unscreened when the sample started
    k_h0 = k + missed
    return np.where(k_h0 > urn, 0.0, hypergeom.cdf(k, urn, np.minimum(k_h0, urn), n))


def _min_p(labels: np.ndarray, n_total: int, missed: int, starts: np.ndarray) -> float:
    return float(np.min(_p_values(labels, n_total, missed, starts))) if len(starts) else 1.0


def hypergeometric_p(
    labels: list[int] | np.ndarray,
    n_total: int,
    target_recall: float = 0.95,
    sample_start: int | None = None,
) -> float:
    """p value of H0 "recall < target" given the screened ``labels`` (in screening order)."""
    labels = np.asarray(labels, dtype=int)
    if len(labels) == 0:
        return 1.0
    missed = missed_for_target(int(labels.sum()), target_recall)
    return _min_p(labels, n_total, missed, _windows(labels, sample_start))


def hypergeometric(
    history: ScreeningHistory, target_recall: float = 0.95, confidence: float = 0.95
) -> StopDecision:
    """Callaghan & Müller-Hansen's test, with the recall claimable at ``confidence``."""
    labels = history.labels
    r_seen = history.relevant_seen
    alpha = 1 - confidence
    p, claim, point = 1.0, None, None
    if len(labels) and r_seen:
        starts = _windows(labels, history.sample_start)
        ps = _p_values(labels, history.n_total, missed_for_target(r_seen, target_recall), starts)
        if len(starts):
            best = int(np.argmin(ps))
            p = float(ps[best])
            s = int(starts[best])
            sample = labels[s:]
            point = sample.mean() * history.unscreened if len(sample) else float(history.unscreened)
        else:
            point = float(history.unscreened)
        # largest number of missed relevant records the test cannot reject (p falls with m)
        lo, hi = 0, history.unscreened  # m = 0 is never rejected: p = 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if _min_p(labels, history.n_total, mid, starts) >= alpha:
                lo = mid
            else:
                hi = mid - 1
        claim = lo
    return decision(
        "hypergeometric", history, target_recall, confidence,
        stop=p < alpha, missed=None if point is None else min(point, claim), missed_high=claim, p_value=p,
    )
