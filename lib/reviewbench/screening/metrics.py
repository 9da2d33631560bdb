"""Recall-versus-effort metrics of a screening order.

Every function takes the labels in the order records were screened (1 relevant, 0 not),
covering the whole dataset, priors included: the figures describe the work a reviewer
would actually have done. ``R`` is the number of relevant records and ``N`` of records.

- records needed for recall ``r``: the rank of the ``ceil(r * R)``-th relevant record;
- WSS@r (work saved over sampling, Cohen et al. 2006): ``(N - n_r) / N - (1 - r)``;
- recall at a fraction ``f`` screened: relevant among the first ``ceil(f * N)`` / ``R``;
- average time to discovery (ATD): the mean rank at which relevant records are found,
  i.e. the mean number of records screened to find each one.
"""

from __future__ import annotations

import math

import numpy as np


def _labels(labels) -> np.ndarray:
    arr = np.asarray(labels, dtype=int)
    if arr.ndim != 1 or not np.isin(arr, (0, 1)).all():
        raise ValueError("labels must be a sequence of 0 and 1")
    if arr.sum() == 0:
        raise ValueError("the order holds no relevant record; recall is undefined")
    return arr


def recall_curve(labels) -> np.ndarray:
    """Recall after each screened record (element ``i`` is recall after ``i + 1`` records)."""
    arr = _labels(labels)
    return np.cumsum(arr) / arr.sum()


def records_for_recall(labels, recall: float) -> int:
    """Records screened until ``ceil(recall * R)`` relevant records were found."""
    arr = _labels(labels)
    needed = max(1, math.ceil(recall * arr.sum() - 1e-9))
    return int(np.flatnonzero(arr)[needed - 1]) + 1


def wss(labels, recall: float = 0.95) -> float:
    """Work saved over sampling at ``recall``."""
    arr = _labels(labels)
    n = len(arr)
    return (n - records_for_recall(arr, recall)) / n - (1 - recall)


def recall_at(labels, fraction: float = 0.10) -> float:
    """Share of relevant records found after screening ``ceil(fraction * N)`` records."""
    arr = _labels(labels)
    screened = math.ceil(fraction * len(arr) - 1e-9)
    return float(arr[:screened].sum() / arr.sum())


def average_time_to_discovery(labels) -> float:
    """Mean rank (1-based) at which the relevant records were found."""
    arr = _labels(labels)
    return float(np.mean(np.flatnonzero(arr) + 1))


def summary(labels) -> dict[str, float]:
    """The figures ``reviewbench simulate`` prints, by name."""
    arr = _labels(labels)
    return {
        "records": len(arr),
        "relevant": int(arr.sum()),
        "wss@95": wss(arr, 0.95),
        "recall@10%": recall_at(arr, 0.10),
        "records_for_95%": records_for_recall(arr, 0.95),
        "records_for_100%": records_for_recall(arr, 1.0),
        "atd": average_time_to_discovery(arr),
    }
