"""Calibration: smoothed cells, back-off to the prior, the classifier's say, the reliability table."""

from __future__ import annotations

import pandas as pd
import pytest

from reviewbench.coding.calibration import PRIOR, Calibrator, feature_row, reliability_table


def _rows(dimension: str, kind: str, right: list[int], p_clf: float | None = None) -> pd.DataFrame:
    feats = [feature_row(kind, p_clf, 0) for _ in right]
    frame = pd.DataFrame(feats, columns=["contested", "clf_logit", "has_clf"])
    frame.insert(0, "kind", kind)
    frame.insert(0, "dimension", dimension)
    frame["right"] = right
    return frame


def test_without_coded_findings_the_prior_is_used():
    cal = Calibrator().fit(pd.DataFrame(columns=["dimension", "kind", "contested", "clf_logit", "has_clf", "right"]))
    assert cal.confidence("any", "cue", None, 0) == pytest.approx(PRIOR["cue"])
    assert cal.confidence("any", "cue", None, 2) < PRIOR["cue"], "contested evidence is less sure"


def test_cells_are_smoothed_and_back_off_across_dimensions():
    rows = pd.concat([_rows("a", "cue", [1] * 20), _rows("b", "cue", [1, 0])], ignore_index=True)
    cal = Calibrator().fit(rows)
    assert cal.cell("a", "cue", False) > 0.9
    assert 0.5 < cal.cell("b", "cue", False) < cal.cell("a", "cue", False), "two findings say little: pulled towards the pool"
    unseen = cal.cell("c", "cue", False)  # a dimension with no rows: the pool over dimensions
    assert cal.cell("b", "cue", False) < unseen <= cal.cell("a", "cue", False)


def test_the_classifier_moves_confidence_as_far_as_it_earned():
    right = [1] * 15 + [0] * 15
    p = [0.9] * 15 + [0.1] * 15
    rows = pd.concat([_rows("a", "cue", [r], q) for r, q in zip(right, p)], ignore_index=True)
    cal = Calibrator().fit(rows)
    assert cal.model is not None
    assert cal.confidence("a", "cue", 0.9, 0) > 0.7 > 0.3 > cal.confidence("a", "cue", 0.1, 0)


def test_reliability_table_bins_and_ece():
    table = reliability_table(pd.Series([0.95, 0.95, 0.55, 0.3]), pd.Series([True, False, True, False]))
    top = table.set_index("bin").loc["0.9-1.0"]
    assert top["n"] == 2 and top["share_right"] == 0.5 and top["mean_confidence"] == pytest.approx(0.95)
    assert table["n"].sum() == 4
    assert table.attrs["ece"] == pytest.approx((2 * 0.45 + 1 * 0.45 + 1 * 0.3) / 4)
    assert reliability_table(pd.Series([1.0]), pd.Series([True])).set_index("bin").loc["0.9-1.0", "n"] == 1
