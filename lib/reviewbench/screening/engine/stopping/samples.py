"""Criteria that certify recall with an independent random sample (:class:`CheckSample`).

Both draw records at random from the whole set and screen them apart from the ranking
(their labels are not given to the model). Each relevant record of that sample is a random
draw from all relevant records, so the share of them the ranked screening has reached
estimates its recall without any model.

**Target method** (Cormack & Grossman 2016, *Engineering quality and reliability in
technology-assisted review*, SIGIR): draw until the sample holds ``T`` relevant records,
then screen the ranking until it has reached all of them. Recall is below ``tau`` then
only if all ``T`` fell in the found part by chance, with probability at most ``tau ** T``,
so ``T = ceil(log(1 - confidence) / log(tau))``: 59 for 95 % recall at 95 % confidence
(10 in the paper, for 70 %). Where a review has fewer relevant records than that, the
sample grows to the whole set.

**Quantile method** (QBCB of Lewis, Yang & Frieder 2021, *Certifying one-phase
technology-assisted reviews*, CIKM): with ``r`` relevant records in the sample, stop when
the ranking has reached ``j`` of them, ``j`` the smallest count with
``P(Binomial(r, tau) >= j) <= 1 - confidence``: the ``j``-th order statistic of the
sample's recall positions is then a valid upper confidence bound on the ``tau`` quantile.
No ``j`` exists while ``r`` is below the target method's ``T``; the rule then cannot stop.

Both report recall as the share of the sample's relevant records found, with a
Clopper-Pearson interval.
"""

from __future__ import annotations

import math

from scipy.stats import beta, binom

from .history import ScreeningHistory, StopDecision, decision


def target_size(target_recall: float, confidence: float) -> int:
    """Relevant records the target set needs: ``ceil(log(1 - confidence) / log(target))``."""
    return math.ceil(math.log(1 - confidence) / math.log(target_recall) - 1e-9)


def quantile_index(positives: int, target_recall: float, confidence: float) -> int | None:
    """Smallest ``j`` with ``P(Binomial(positives, target) >= j) <= 1 - confidence`` (None if none)."""
    for j in range(1, positives + 1):
        if binom.sf(j - 1, positives, target_recall) <= 1 - confidence:
            return j
    return None


def _sample_decision(name: str, history: ScreeningHistory, target_recall: float, confidence: float,
                     needed: int | None, needs: str) -> StopDecision:
    check = history.check
    if check is None:
        return decision(name, history, target_recall, confidence, stop=False, needs="an independent random sample")
    seen = history.relevant_seen
    f, r = check.found, check.positives
    alpha = 1 - confidence
    missed = missed_high = missed_low = None
    if r and seen:
        point = f / r
        low = beta.ppf(alpha / 2, f, r - f + 1) if f else 0.0
        high = beta.ppf(1 - alpha / 2, f + 1, r - f) if f < r else 1.0
        to_missed = lambda rec: seen * (1 / rec - 1) if rec > 0 else float(history.unscreened)  # noqa: E731
        missed, missed_high, missed_low = to_missed(point), to_missed(low), to_missed(high)
    whole = check.size >= history.n_total or history.unscreened == 0
    stop = whole or (needed is not None and f >= needed)
    return decision(name, history, target_recall, confidence, stop=stop, missed=missed,
                    missed_high=missed_high, missed_low=missed_low or 0.0,
                    needs="" if needed is not None or whole else needs,
                    details={"sample_positives": r, "sample_found": f, "needed": needed})


def target(history: ScreeningHistory, target_recall: float = 0.95, confidence: float = 0.95,
           target_set: int | None = None) -> StopDecision:
    """Stop once the ranking has reached every relevant record of the target set."""
    t = target_set or target_size(target_recall, confidence)
    check = history.check
    needed = check.positives if check is not None and check.positives >= t else None
    return _sample_decision("target", history, target_recall, confidence, needed,
                            f"a random sample holding {t} relevant records")


def quantile(history: ScreeningHistory, target_recall: float = 0.95, confidence: float = 0.95) -> StopDecision:
    """Stop once the ranking has reached ``j`` of the sample's relevant records (QBCB)."""
    check = history.check
    needed = quantile_index(check.positives, target_recall, confidence) if check is not None else None
    return _sample_decision("quantile", history, target_recall, confidence, needed,
                            f"a random sample holding {target_size(target_recall, confidence)} relevant records")
