"""The team's recall curve at title/abstract with the stopping criterion's estimate.

The records come in the order they were first screened (:func:`.gapmap.screening_progress`),
relevant meaning finally included at title/abstract. After each record the screening
engine's default stopping criterion is judged on the labels so far, as the screening view
judges a reviewer's own; the figure draws its estimate of the total number of relevant
records with the interval, the share of that total the target recall asks for, and where
the criterion first said screening may stop.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from ..screening.engine import DEFAULTS
from ..screening.engine.recall_figure import draw_recall_curve
from ..screening.engine.stopping import ScreeningHistory, judge
from ..screening.simulate import first_stop
from ..figures import figure_style, save_figure


def stopping_estimates(
    labels: np.ndarray,
    n_total: int,
    criterion: str | None = None,
    target_recall: float | None = None,
    confidence: float | None = None,
    max_points: int = 400,
) -> tuple[pd.DataFrame, int | None]:
    """Per checkpoint (at most ``max_points``, always the last record): ``screened``,
    ``estimated_recall``, ``recall_low``, ``recall_high``, ``stop``; and the first number of
    records after which the criterion stops (``None``: not yet)."""
    criterion = criterion or DEFAULTS["stopping"]
    target_recall = DEFAULTS["target_recall"] if target_recall is None else target_recall
    confidence = DEFAULTS["confidence"] if confidence is None else confidence
    labels = np.asarray(labels, dtype=np.int64)
    n = len(labels)
    every = max(1, math.ceil(n / max_points))
    rows = []
    for k in sorted(set(range(every, n + 1, every)) | ({n} if n else set())):
        d = judge(criterion, ScreeningHistory.of(labels[:k], n_total), target_recall, confidence)
        low, high = d.recall_interval or (None, None)
        rows.append((k, d.estimated_recall, low, high, d.stop))
    frame = pd.DataFrame(rows, columns=["screened", "estimated_recall", "recall_low", "recall_high", "stop"])
    stopped_at = first_stop(labels, criterion, n_total, target_recall, confidence)[0] if n else None
    return frame, stopped_at


def recall_estimate_figure(progress: pd.DataFrame, total_records: int):
    """The figure (see the module docstring) for ``progress`` (:func:`.gapmap.screening_progress`)."""
    labels = progress["included"].astype(int).to_numpy() if len(progress) else np.zeros(0, dtype=int)
    n_total = max(int(total_records), len(labels), 1)
    estimates, stopped_at = stopping_estimates(labels, n_total)
    criterion = DEFAULTS["stopping"]
    title = (f"Title/abstract: {int(labels.sum())} included in {len(labels)} of {n_total} screened"
             if len(labels) else "no title/abstract decisions yet")
    with figure_style():
        return draw_recall_curve(labels, n_total, estimates, stopped_at, criterion,
                                 target_recall=DEFAULTS["target_recall"], title=title)


def write_recall_estimate(progress: pd.DataFrame, total_records: int, stem: str | Path) -> list[Path]:
    """Write ``<stem>.svg`` and ``<stem>.png``."""
    return save_figure(recall_estimate_figure(progress, total_records), stem)
