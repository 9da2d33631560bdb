"""Balancers: sample weights that stop the few inclusions drowning in exclusions.

Inclusions are usually 1-5 % of a search. Without weighting, a classifier trained on
the labelled set learns to call everything irrelevant. :func:`balanced_weights` gives
the included class a total weight ``ratio`` times that of the excluded class (``ratio=1``
is classic "balanced" weighting; ASReview's default uses 9.8), rescaled so the mean
weight is 1.
"""

from __future__ import annotations

import numpy as np


def balanced_weights(y: np.ndarray, ratio: float = 1.0) -> np.ndarray:
    """Per-sample weights for binary labels ``y`` (1 include, 0 exclude)."""
    y = np.asarray(y)
    n_pos = int((y == 1).sum())
    n_neg = int((y == 0).sum())
    if n_pos == 0 or n_neg == 0:
        return np.ones(len(y))
    weights = np.where(y == 1, 1.0, n_pos / (ratio * n_neg))
    return weights * (len(y) / weights.sum())


BALANCERS = {
    "balanced": balanced_weights,
    "none": lambda y, ratio=1.0: np.ones(len(y)),
}
