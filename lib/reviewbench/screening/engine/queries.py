"""Query strategies: turn relevance scores into the order records are shown in.

- :func:`max_relevance`: most likely relevant first (what finds inclusions fastest).
- :func:`mixed`: most likely relevant first, but every ``1/share``-th slot goes to the
  record the model is least sure about (uncertainty sampling teaches the model about
  its blind spots at the cost of some early inclusions).
- :func:`random_order`: a seeded random permutation, for a random-sample phase (the
  hypergeometric stopping test assumes the sample is random).
"""

from __future__ import annotations

import numpy as np


def max_relevance(scores: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
    """Positions sorted by descending score; ties keep their original order."""
    return np.argsort(-np.asarray(scores, dtype=float), kind="stable")


def mixed(scores: np.ndarray, rng: np.random.Generator | None = None, share: float = 0.1) -> np.ndarray:
    """Descending score, with a ``share`` of slots filled by the most uncertain records.

    "Uncertain" means a score closest to 0, the decision boundary of the linear models
    and the even-odds point of naive Bayes log-odds.
    """
    scores = np.asarray(scores, dtype=float)
    by_relevance = max_relevance(scores)
    if share <= 0 or len(scores) < 2:
        return by_relevance
    by_uncertainty = np.argsort(np.abs(scores), kind="stable")
    every = max(2, int(round(1 / share)))
    order: list[int] = []
    used = np.zeros(len(scores), dtype=bool)
    i_rel = i_unc = 0
    while len(order) < len(scores):
        take_uncertain = (len(order) + 1) % every == 0
        source, idx = (by_uncertainty, i_unc) if take_uncertain else (by_relevance, i_rel)
        while used[source[idx]]:
            idx += 1
        used[source[idx]] = True
        order.append(int(source[idx]))
        if take_uncertain:
            i_unc = idx + 1
        else:
            i_rel = idx + 1
    return np.asarray(order)


def random_order(scores: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
    """A random permutation (seeded through ``rng``)."""
    rng = rng or np.random.default_rng(0)
    return rng.permutation(len(scores))


QUERIES = {"max": max_relevance, "mixed": mixed, "random": random_order}
