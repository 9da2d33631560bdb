"""Score model: how many relevant records do the scores of the records left imply?

Every screened record was shown with a score from a model that had not seen its label, so
the pairs (score when shown, label) are an honest sample of how scores translate into
relevance. A logistic curve ``P(relevant | score)`` is fitted to the latest ``window``
pairs and applied to the current scores of the records not yet screened: the sum of those
probabilities is the expected number still missed, and the Poisson ``confidence``
quantile of that sum is the interval's high end (the spirit of score-distribution
recall estimates, e.g. Hollmann & Eickhoff 2017 at CLEF eHealth TAR).

The records left score below the ones shown, so the curve is used beyond most of the
data it was fitted on; how well that extrapolation holds is what the benchmark measures.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit
from scipy.stats import poisson

from .history import ScreeningHistory, StopDecision, decision


def fit_logistic(x: np.ndarray, y: np.ndarray, ridge: float = 1e-3, steps: int = 50) -> tuple[float, float]:
    """Intercept and slope of a 1-D logistic regression (Newton steps, a small ridge)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    centre, spread = x.mean(), x.std() or 1.0
    z = (x - centre) / spread
    # half a pseudo-observation of each class keeps the fit finite on one-class windows
    z = np.concatenate([z, [0.0, 0.0]])
    y = np.concatenate([y, [0.5, 0.5]])
    a = b = 0.0
    for _ in range(steps):
        p = expit(a + b * z)
        w = p * (1 - p)
        g = np.array([np.sum(p - y), np.sum((p - y) * z) + ridge * b])
        h = np.array([[np.sum(w), np.sum(w * z)], [np.sum(w * z), np.sum(w * z * z) + ridge]])
        delta = np.linalg.solve(h + 1e-9 * np.eye(2), g)
        a, b = a - delta[0], b - delta[1]
        if np.abs(delta).max() < 1e-8:
            break
    return a - b * centre / spread, b / spread


def expected_missed_from_scores(history: ScreeningHistory, window: int = 300) -> float | None:
    """Sum over the unscreened records of the fitted ``P(relevant | score)``."""
    shown, pool = history.shown_scores, history.pool_scores
    if shown is None or pool is None:
        return None
    known = np.flatnonzero(np.isfinite(shown))[-window:]
    if len(known) < 10:
        return None
    y = history.labels[known]
    a, b = fit_logistic(shown[known], y)
    return float(expit(a + b * np.asarray(pool, dtype=float)).sum()) if len(pool) else 0.0


def score_distribution(
    history: ScreeningHistory,
    target_recall: float = 0.95,
    confidence: float = 0.95,
    window: int = 300,
    inflation: float = 1.0,
) -> StopDecision:
    """Stop when the recall implied by the Poisson quantile of the score model reaches the target."""
    mu = expected_missed_from_scores(history, window)
    if mu is None or not history.relevant_seen:
        return decision("score_distribution", history, target_recall, confidence, stop=False,
                        needs="" if history.shown_scores is not None else "the scores records had when shown")
    mu *= inflation
    high = float(poisson.ppf(confidence, mu)) if mu > 0 else 0.0
    low = float(poisson.ppf(1 - confidence, mu)) if mu > 0 else 0.0
    seen = history.relevant_seen
    return decision("score_distribution", history, target_recall, confidence,
                    stop=seen / (seen + high) >= target_recall, missed=mu, missed_high=high, missed_low=low,
                    details={"expected_remaining": mu})
