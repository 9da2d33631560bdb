"""Stopping: when may the reviewer stop screening, and what recall can they claim?

Both criteria look only at the labels seen so far, in the order they were screened.

**Hypergeometric test** (Callaghan & Müller-Hansen 2020, *Statistical stopping criteria
for automated screening in systematic reviews*, Systematic Reviews 9:273). The records
screened since some point form a sample of ``n`` drawn from the ``N_s`` records that were
unscreened at that point; ``k`` of them were relevant. Under the null hypothesis that
recall is below the target ``tau``, the urn held at least
``K_tar = floor(r_seen / tau - r_AL + 1)`` relevant records (``r_seen`` relevant seen in
total, ``r_AL`` before the sample). The p value is the hypergeometric probability of
seeing ``k`` or fewer relevant in such a sample: ``hypergeom.cdf(k, N_s, K_tar, n)``.
Stop when ``p < 1 - confidence``.

When a random-sample phase was screened (``sample_start`` given) the test uses exactly
that sample. Without one, as in the authors' ranked variant, every tail of the screened
sequence is treated as a sample and the smallest p is used; because prioritised records
are more likely relevant than a random draw of the remainder, the tail under-states
how few relevant records remain, which makes the test conservative whenever the ranking
beats random order.

The reported ``estimated_recall`` is the recall that can be claimed with the chosen
confidence: ``r_seen / (r_seen + m)``, where ``m`` is the largest number of still-missed
relevant records that the test cannot reject. The test stops exactly when this bound
reaches the target.

**Consecutive irrelevant** (a common heuristic): stop after ``n`` irrelevant records in a
row. Its ``estimated_recall`` is a point estimate: the remaining records are assumed to be
relevant at the rate suggested by the run, ``1 / (run + 2)`` (Laplace's rule of
succession), which is pessimistic for a ranked remainder.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
from scipy.stats import hypergeom


@dataclass(frozen=True)
class StopDecision:
    """The verdict of one criterion on one screened sequence."""

    criterion: str
    target_recall: float
    confidence: float | None
    stop: bool
    estimated_recall: float | None
    p_value: float | None = None
    screened: int = 0
    relevant_seen: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


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


def _min_p(labels: np.ndarray, n_total: int, missed: int, starts: np.ndarray) -> float:
    """Smallest p over samples for H0: at least ``missed`` relevant records are still unseen."""
    if len(starts) == 0:
        return 1.0
    n_seen = len(labels)
    tail_relevant = np.cumsum(labels[::-1])[::-1]  # relevant in labels[s:]
    k = tail_relevant[starts]
    n = n_seen - starts
    urn = n_total - starts  # records unscreened when the sample started
    k_h0 = k + missed
    p = np.where(k_h0 > urn, 0.0, hypergeom.cdf(k, urn, np.minimum(k_h0, urn), n))
    return float(np.min(p))


def missed_for_target(relevant_seen: int, target_recall: float) -> int:
    """Fewest still-missed relevant records that would put recall below the target."""
    return int(math.floor(relevant_seen / target_recall - relevant_seen + 1e-9)) + 1


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


def hypergeometric_test(
    labels: list[int] | np.ndarray,
    n_total: int,
    target_recall: float = 0.95,
    confidence: float = 0.95,
    sample_start: int | None = None,
) -> StopDecision:
    """Callaghan & Müller-Hansen's test, with the recall claimable at ``confidence``."""
    labels = np.asarray(labels, dtype=int)
    r_seen = int(labels.sum())
    alpha = 1 - confidence
    estimated = None
    p = 1.0
    if len(labels) and r_seen:
        starts = _windows(labels, sample_start)
        p = _min_p(labels, n_total, missed_for_target(r_seen, target_recall), starts)
        unseen = n_total - len(labels)
        # largest number of missed relevant records the test cannot reject (p falls with m)
        lo, hi = 0, unseen  # m = 0 is never rejected: p = 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if _min_p(labels, n_total, mid, starts) >= alpha:
                lo = mid
            else:
                hi = mid - 1
        estimated = r_seen / (r_seen + lo)
    return StopDecision(
        criterion="hypergeometric",
        target_recall=target_recall,
        confidence=confidence,
        stop=bool(r_seen and p < alpha),
        estimated_recall=estimated,
        p_value=p,
        screened=len(labels),
        relevant_seen=r_seen,
    )


def default_run_length(n_total: int) -> int:
    """Consecutive irrelevant records the heuristic waits for: 5 % of the records, at least 50."""
    return max(50, math.ceil(0.05 * n_total))


def consecutive_irrelevant(
    labels: list[int] | np.ndarray,
    n_total: int,
    run_length: int | None = None,
    target_recall: float = 0.95,
) -> StopDecision:
    """Stop after ``run_length`` irrelevant records in a row (after at least one relevant)."""
    labels = np.asarray(labels, dtype=int)
    run_length = run_length or default_run_length(n_total)
    r_seen = int(labels.sum())
    hits = np.flatnonzero(labels == 1)
    run = len(labels) - (int(hits[-1]) + 1 if len(hits) else 0)
    unseen = n_total - len(labels)
    estimated = r_seen / (r_seen + unseen / (run + 2)) if r_seen else None
    return StopDecision(
        criterion="consecutive_irrelevant",
        target_recall=target_recall,
        confidence=None,
        stop=bool(r_seen and run >= run_length),
        estimated_recall=estimated,
        screened=len(labels),
        relevant_seen=r_seen,
    )


STOPPERS = {"hypergeometric": hypergeometric_test, "consecutive_irrelevant": consecutive_irrelevant}
