"""Rate model: relevant records found along the screening order as a Poisson process.

After Sneyd & Stevenson (2021, *Modelling stopping criteria for search results using
Poisson processes*, EMNLP) and Stevenson & Bin-Hezam (2023, *Stopping methods for
technology-assisted reviews based on point processes*, ACM TOIS): the ranking shows the
likeliest records first, so the rate at which relevant records turn up falls with the
number screened. The positions of the relevant records seen so far are fitted by maximum
likelihood with a power-law rate ``lambda(x) = a * x ** -k`` (or an exponential one,
``a * exp(-k x)``); the records left are expected to hold ``mu = integral of lambda from
here to the end`` relevant records, and the interval's high end is the Poisson
``confidence`` quantile of ``mu``.

``inflation`` scales ``mu`` before the quantile is taken; 1 is the published model. The
default criterion (:mod:`.calibrated`) uses this model with an inflation chosen on other
reviews.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.stats import poisson

from .history import ScreeningHistory, StopDecision, decision


def _power_integral(k: float, lo: float, hi: float) -> float:
    if abs(k - 1.0) < 1e-9:
        return float(np.log(hi / lo))
    return float((hi ** (1 - k) - lo ** (1 - k)) / (1 - k))


def _exp_integral(k: float, lo: float, hi: float) -> float:
    if abs(k) < 1e-12:
        return hi - lo
    return float((np.exp(-k * lo) - np.exp(-k * hi)) / k)


RATES = {
    # name: (integral of the unscaled rate, log of the unscaled rate at x, bounds of k)
    "power": (_power_integral, lambda k, x: -k * np.log(x), (0.0, 4.0)),
    "exponential": (_exp_integral, lambda k, x: -k * x, (0.0, 0.05)),
}


def expected_remaining(labels: np.ndarray, n_total: int, rate: str = "power") -> float:
    """Relevant records the fitted rate expects among the records not yet screened."""
    labels = np.asarray(labels)
    n = len(labels)
    hits = np.flatnonzero(labels) + 1.0  # 1-based positions, each record covering [x - 0.5, x + 0.5]
    m = len(hits)
    if m == 0 or n >= n_total:
        return 0.0
    integral, log_rate, bounds = RATES[rate]
    lo, hi, end = 0.5, n + 0.5, n_total + 0.5

    def neg_profile(k: float) -> float:
        # log L(a, k) = m log a + sum log rate(x_i) - a I(k); at a = m / I(k):
        return -(m * np.log(m / integral(k, lo, hi)) + float(np.sum(log_rate(k, hits))) - m)

    k = minimize_scalar(neg_profile, bounds=bounds, method="bounded", options={"xatol": 1e-4}).x
    a = m / integral(k, lo, hi)
    return float(a * integral(k, hi, end))


def poisson_process(
    history: ScreeningHistory,
    target_recall: float = 0.95,
    confidence: float = 0.95,
    rate: str = "power",
    inflation: float = 1.0,
    min_screened: int = 0,
    name: str = "poisson_process",
) -> StopDecision:
    """Stop when the recall implied by the Poisson ``confidence`` quantile reaches the target."""
    seen = history.relevant_seen
    if not seen:
        return decision(name, history, target_recall, confidence, stop=False)
    mu = inflation * expected_remaining(history.labels, history.n_total, rate)
    high = float(poisson.ppf(confidence, mu)) if mu > 0 else 0.0
    low = float(poisson.ppf(1 - confidence, mu)) if mu > 0 else 0.0
    stop = history.screened >= min_screened and seen / (seen + high) >= target_recall
    return decision(name, history, target_recall, confidence, stop=stop, missed=mu, missed_high=high,
                    missed_low=low, details={"expected_remaining": mu})
