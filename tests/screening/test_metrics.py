"""Recall-versus-effort metrics against orders worked out by hand."""

import math

import numpy as np
import pytest

from reviewbench.screening import metrics

# 10 records, relevant at ranks 1, 3 and 6
ORDER = [1, 0, 1, 0, 0, 1, 0, 0, 0, 0]


def test_records_for_recall_uses_the_ceil_rth_relevant():
    # 95 % of 3 relevant is 2.85 -> the 3rd relevant record, found at rank 6
    assert metrics.records_for_recall(ORDER, 0.95) == 6
    assert metrics.records_for_recall(ORDER, 1.0) == 6
    # 60 % of 3 is 1.8 -> the 2nd relevant, at rank 3
    assert metrics.records_for_recall(ORDER, 0.6) == 3


def test_wss_at_95():
    # (N - n95) / N - (1 - 0.95) = (10 - 6) / 10 - 0.05
    assert metrics.wss(ORDER, 0.95) == pytest.approx(0.35)


def test_recall_at_ten_percent():
    # 10 % of 10 records is the first record, which is relevant: 1 of 3
    assert metrics.recall_at(ORDER, 0.10) == pytest.approx(1 / 3)
    # 25 % of 10 rounds up to 3 records: 2 of 3 found
    assert metrics.recall_at(ORDER, 0.25) == pytest.approx(2 / 3)


def test_average_time_to_discovery():
    assert metrics.average_time_to_discovery(ORDER) == pytest.approx((1 + 3 + 6) / 3)


def test_exact_95_percent_does_not_round_up_past_the_target():
    # 20 relevant: 0.95 * 20 = 19 exactly -> the 19th relevant, not the 20th
    labels = np.zeros(100, dtype=int)
    positions = np.arange(20) * 5  # relevant at ranks 1, 6, 11, ..., 96
    labels[positions] = 1
    assert metrics.records_for_recall(labels, 0.95) == positions[18] + 1
    assert metrics.wss(labels, 0.95) == pytest.approx((100 - 91) / 100 - 0.05)


def test_perfect_and_worst_orders():
    perfect = [1] * 5 + [0] * 95
    worst = [0] * 95 + [1] * 5
    assert metrics.wss(perfect) == pytest.approx((100 - 5) / 100 - 0.05)
    assert metrics.wss(worst) == pytest.approx(-0.05)
    assert metrics.recall_curve(perfect)[4] == 1.0
    assert math.isclose(metrics.summary(worst)["atd"], 98.0)


def test_summary_keys_and_values():
    s = metrics.summary(ORDER)
    assert s == {
        "records": 10,
        "relevant": 3,
        "wss@95": pytest.approx(0.35),
        "recall@10%": pytest.approx(1 / 3),
        "records_for_95%": 6,
        "records_for_100%": 6,
        "atd": pytest.approx(10 / 3),
    }


@pytest.mark.parametrize("bad", [[0, 0, 0], [1, 2, 0]])
def test_undefined_or_invalid_orders_raise(bad):
    with pytest.raises(ValueError):
        metrics.summary(bad)
