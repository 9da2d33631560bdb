"""Calibrated confidence: how often a suggestion with this evidence was right.

A suggestion's evidence has a *kind* (a phrase of its own: ``cue``; a paired cue with
its partner: ``paired``; a cue without its partner that only the classifier backs:
``unpaired``), may be *contested* (the text's cues also reach other codes of the
dimension) and may carry the classifier's probability. The calibrator learns from
out-of-fold suggestions for findings already coded (see
:meth:`reviewbench.coding.suggest.Suggester.fit`), in two steps that stay sensible on
the few dozen findings a review has:

1. the share right in each cell (dimension, kind, contested), smoothed towards the
   same cell over all dimensions, which is smoothed towards :data:`PRIOR`
   (``(right + w * prior) / (n + w)`` with ``w`` = :data:`WEIGHT`);
2. one logistic regression over all dimensions on the cell's log-odds and the
   classifier's log-odds, so that the classifier moves confidence up or down only as
   far as it earned on the coded findings.

:func:`reliability_table` is how calibration is checked: suggestions binned by
confidence, with the share that was right in each bin.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

FEATURES = ("contested", "clf_logit", "has_clf")
# The share right assumed before any coded finding: by kind, and when contested.
PRIOR = {"cue": 0.85, "paired": 0.8, "unpaired": 0.3}
CONTESTED_FACTOR = 0.75
WEIGHT = 4.0


def _logit(p: float) -> float:
    p = min(max(p, 1e-3), 1 - 1e-3)
    return math.log(p / (1 - p))


def feature_row(kind: str, p_clf: float | None, rivals: int) -> list[float]:
    """The numeric features of one suggestion (see :data:`FEATURES`); the kind is kept apart."""
    return [float(rivals > 0), 0.0 if p_clf is None else _logit(p_clf), float(p_clf is not None)]


def _prior(kind: str, contested: bool) -> float:
    return PRIOR.get(kind, 0.5) * (CONTESTED_FACTOR if contested else 1.0)


@dataclass
class Calibrator:
    """Maps a suggestion's evidence to the probability that it is right."""

    weight: float = WEIGHT
    cells: dict[tuple[str, str, bool], tuple[int, int]] = field(default_factory=dict)
    pooled: dict[tuple[str, bool], tuple[int, int]] = field(default_factory=dict)
    model: LogisticRegression | None = None

    def fit(self, rows: pd.DataFrame) -> "Calibrator":
        """Learn from out-of-fold suggestions: columns ``dimension``, ``kind``, :data:`FEATURES`, ``right``."""
        self.cells, self.pooled, self.model = {}, {}, None
        if rows.empty:
            return self
        contested = rows["contested"].astype(float) > 0
        for (dim, kind, con), group in rows.groupby([rows["dimension"], rows["kind"], contested]):
            self.cells[(str(dim), str(kind), bool(con))] = (int(group["right"].sum()), len(group))
        for (kind, con), group in rows.groupby([rows["kind"], contested]):
            self.pooled[(str(kind), bool(con))] = (int(group["right"].sum()), len(group))
        if rows["right"].nunique() == 2 and rows["has_clf"].astype(float).sum() >= 10:
            x = np.array([[_logit(self.cell(d, k, c)), cl, h] for d, k, c, cl, h in
                          zip(rows["dimension"], rows["kind"], contested, rows["clf_logit"], rows["has_clf"])], dtype=float)
            self.model = LogisticRegression(C=1.0, solver="lbfgs", max_iter=1000).fit(x, rows["right"].to_numpy(dtype=int))
        return self

    def cell(self, dimension: str, kind: str, contested: bool) -> float:
        """The smoothed share right of a cell (step 1)."""
        right, n = self.pooled.get((kind, contested), (0, 0))
        backoff = (right + self.weight * _prior(kind, contested)) / (n + self.weight)
        right, n = self.cells.get((dimension, kind, contested), (0, 0))
        return (right + self.weight * backoff) / (n + self.weight)

    def confidence(self, dimension: str, kind: str, p_clf: float | None, rivals: int) -> float:
        """The calibrated probability for one suggestion."""
        base = self.cell(dimension, kind, rivals > 0)
        if self.model is None:
            return base if p_clf is None or kind != "unpaired" else base * p_clf
        x = np.array([[_logit(base), 0.0 if p_clf is None else _logit(p_clf), float(p_clf is not None)]], dtype=float)
        return float(self.model.predict_proba(x)[0, 1])


def reliability_table(confidence: pd.Series, right: pd.Series, edges: tuple[float, ...] = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)) -> pd.DataFrame:
    """Suggestions binned by confidence: ``bin, n, mean_confidence, share_right``, and the
    expected calibration error (the n-weighted gap) in ``.attrs['ece']``."""
    frame = pd.DataFrame({"confidence": confidence.astype(float), "right": right.astype(float)})
    labels = [f"{lo:.1f}-{hi:.1f}" for lo, hi in zip(edges[:-1], edges[1:])]
    frame["bin"] = pd.cut(frame["confidence"], bins=list(edges), labels=labels, include_lowest=True, right=False)
    frame.loc[frame["confidence"] >= edges[-1], "bin"] = labels[-1]
    table = frame.groupby("bin", observed=False).agg(n=("right", "size"), mean_confidence=("confidence", "mean"), share_right=("right", "mean")).reset_index()
    gaps = (table["mean_confidence"] - table["share_right"]).abs() * table["n"]
    table.attrs["ece"] = float(gaps.sum() / max(1, table["n"].sum()))
    return table
