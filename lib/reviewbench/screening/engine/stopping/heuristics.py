"""Heuristic criteria: no statistical promise, but common and cheap to compute.

**Consecutive irrelevant**: stop after ``run_length`` irrelevant records in a row (after
at least one relevant). Its recall estimate assumes the remaining records are relevant at
the rate the run suggests, ``1 / (run + 2)`` (Laplace's rule of succession), which is
pessimistic for a ranked remainder.

**Knee method** (Cormack & Grossman 2016, *Engineering quality and reliability in
technology-assisted review*, SIGIR): the gain curve (relevant found against records
screened) flattens once most relevant records are found. At ``s`` records screened the
knee ``i`` is the point of the curve farthest from the line from the origin to
``(s, g(s))``; stop when the slope before the knee is at least ``156 - min(g(s), 150)``
times the slope after it (with one relevant added after the knee), and at least
``min_screened`` (150) records were screened. The estimate extrapolates the slope after
the knee to the records left.
"""

from __future__ import annotations

import math

import numpy as np

from .history import ScreeningHistory, StopDecision, decision, quiet_run


def default_run_length(n_total: int) -> int:
    """Consecutive irrelevant records the heuristic waits for: 5 % of the records, at least 50."""
    return max(50, math.ceil(0.05 * n_total))


def consecutive_irrelevant(
    history: ScreeningHistory,
    target_recall: float = 0.95,
    confidence: float | None = None,
    run_length: int | None = None,
) -> StopDecision:
    """Stop after ``run_length`` irrelevant records in a row (after at least one relevant)."""
    run_length = run_length or default_run_length(history.n_total)
    run = quiet_run(history.labels)
    return decision(
        "consecutive_irrelevant", history, target_recall, None,
        stop=run >= run_length, missed=history.unscreened / (run + 2), details={"run": run},
    )


def knee_point(labels: np.ndarray) -> tuple[int, float]:
    """The knee of the gain curve ``(i, g(i))`` and the slope ratio before/after it."""
    gain = np.cumsum(labels)
    s, g = len(labels), float(gain[-1])
    x = np.arange(1, s + 1)
    # distance from the chord (0,0)-(s,g) is proportional to g*x - s*gain
    i = int(np.argmax(np.abs(g * x - s * gain))) + 1
    if i >= s:
        return s, 0.0
    before = gain[i - 1] / i
    after = (g - gain[i - 1] + 1) / (s - i)
    return i, float(before / after)


def knee(
    history: ScreeningHistory,
    target_recall: float = 0.95,
    confidence: float | None = None,
    min_screened: int = 150,
) -> StopDecision:
    """Cormack & Grossman's knee method (see the module docstring)."""
    labels = history.labels
    seen = history.relevant_seen
    if not seen:
        return decision("knee", history, target_recall, None, stop=False)
    i, ratio = knee_point(labels)
    after_rate = (seen - labels[:i].sum() + 1) / max(1, len(labels) - i)
    stop = len(labels) >= min_screened and ratio >= 156 - min(seen, 150)
    return decision(
        "knee", history, target_recall, None, stop=stop, missed=after_rate * history.unscreened,
        details={"knee": i, "slope_ratio": ratio},
    )
