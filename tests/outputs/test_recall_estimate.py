"""The team's recall curve with the stopping estimate: checkpoints, stop, deterministic files."""

from __future__ import annotations

import numpy as np
import pandas as pd

from reviewbench.outputs.recall_estimate import recall_estimate_figure, stopping_estimates, write_recall_estimate
from reviewbench.screening.engine.stopping import DEFAULT_CRITERION, ScreeningHistory, judge


def progress_of(labels) -> pd.DataFrame:
    labels = np.asarray(labels, dtype=bool)
    return pd.DataFrame({"screened": np.arange(1, len(labels) + 1), "included": labels})


def front_loaded(n_relevant: int = 20, n: int = 600) -> np.ndarray:
    """Relevant records found early, as a good ranking finds them, then a long irrelevant tail."""
    labels = np.zeros(n, dtype=int)
    labels[np.linspace(0, 80, n_relevant).astype(int)] = 1
    return labels


def test_the_estimate_is_judged_on_the_decisions_so_far_and_the_stop_is_the_first_firing():
    labels = front_loaded()
    frame, stopped_at = stopping_estimates(labels, 650, max_points=50)
    assert len(frame) <= 51 and frame["screened"].iloc[-1] == len(labels)
    k = int(frame["screened"].iloc[10])
    d = judge(DEFAULT_CRITERION, ScreeningHistory.of(labels[:k], 650))
    assert frame["estimated_recall"].iloc[10] == d.estimated_recall
    assert stopped_at is not None and 80 < stopped_at <= len(labels)
    assert judge(DEFAULT_CRITERION, ScreeningHistory.of(labels[:stopped_at], 650)).stop
    assert not judge(DEFAULT_CRITERION, ScreeningHistory.of(labels[:stopped_at - 1], 650)).stop
    assert frame.loc[frame["screened"] >= stopped_at, "stop"].iloc[0]


def test_no_stop_while_relevant_records_keep_coming():
    labels = np.tile([1, 0, 0], 40)
    frame, stopped_at = stopping_estimates(labels, 2000)
    assert stopped_at is None and not frame["stop"].any()


def test_files_are_byte_identical_and_an_empty_log_draws(tmp_path):
    a = write_recall_estimate(progress_of(front_loaded()), 650, tmp_path / "a" / "curve")
    b = write_recall_estimate(progress_of(front_loaded()), 650, tmp_path / "b" / "curve")
    assert [p.suffix for p in a] == [".svg", ".png"]
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    labels = [t.get_text() for t in recall_estimate_figure(progress_of(front_loaded()), 650).axes[0].get_legend().get_texts()]
    assert f"stopping point ({DEFAULT_CRITERION})" in labels and "estimated total (interval)" in labels
    fig = recall_estimate_figure(progress_of([]), 40)
    assert fig.axes[0].get_title() == "no title/abstract decisions yet"
