"""The live session and ``simulate`` run one loop: the same decisions give the same order."""

from __future__ import annotations

import pandas as pd
import pytest

from reviewbench.screening.session import ScreeningController
from reviewbench.screening.simulate import simulate
from reviewbench.screening.views import ScreeningView

from ..fakes import FakeRanker


def invented_labels(records: pd.DataFrame) -> pd.Series:
    """Relevant: the records about selling sex (the tiny project's topic), by their text."""
    text = (records["title"].fillna("") + " " + records["abstract"].fillna("")).str.lower()
    relevant = text.str.contains("sex work|prostitut|selling sex")
    return pd.Series(relevant.astype(int).to_numpy(), index=records["record_id"].tolist())


@pytest.mark.parametrize("background", [False, True])
def test_the_session_screens_in_the_order_simulate_replays(project, records, background):
    labels = invented_labels(records)
    assert 0 < labels.sum() < len(labels)
    c = ScreeningController(project, "title_abstract", "alex", records, order="active", calibration_n=0,
                            seed=5, background=background, next_ranking_wait=30.0)
    assert c.wait_for_ranking(30)
    shown, estimates = [], []
    while c.current_id is not None:
        rid = c.current_id
        shown.append(rid)
        c.decide("include" if labels[rid] else "exclude")
        assert c.wait_for_ranking(30)
        estimates.append(c.stop_estimate().get("estimated_recall"))
    assert sorted(shown) == sorted(records["record_id"])
    # simulate from the same two first decisions (the priors), with the same terms and seed
    terms = {"include": list(c.settings.include_terms), "exclude": list(c.settings.exclude_terms)}
    result = simulate(records, labels, seed=5, prior_ids=shown[:2], full=True, terms=terms)
    assert result.order["record_id"].tolist() == shown
    # and the stopping criterion saw the same thing after every decision
    simulated = result.estimates.set_index("screened")["estimated_recall"]
    for k, value in enumerate(estimates[1:], start=2):
        assert value == pytest.approx(simulated[k], nan_ok=True) or (value is None and pd.isna(simulated[k]))


def test_a_late_ranking_leaves_the_next_record_of_the_previous_one(project, records):
    """With no time to wait the reviewer gets the next record of the ranking they had."""
    ids = list(records["record_id"])
    c = ScreeningController(project, "title_abstract", "alex", records, order="active", calibration_n=0,
                            background=True, ranker_factory=FakeRanker, next_ranking_wait=0.0)
    assert c.wait_for_ranking(10)
    c.include()
    assert c.current_id == ids[-2]  # the fake ranks the last records first, whatever it learnt


def test_the_view_shows_the_estimate_and_its_interval(project, records):
    c = ScreeningController(project, "title_abstract", "alex", records, order="active", calibration_n=0,
                            background=False, ranker_factory=FakeRanker)
    assert c.stop_estimate() == c.ranker.stop_decision().as_dict()
    view = ScreeningView(c)
    for _ in range(2):
        c.exclude()
    view.refresh()
    estimate = c.stop_estimate()
    assert estimate["estimated_recall"] == 0.5 and estimate["recall_interval"] == [0.4, pytest.approx(2 / 3)]
    assert "stopping (fake): estimated recall 50% (95% interval 40%-67%), target 95% · not yet" in view.progress_html.value
    c.exclude()
    view.refresh()
    assert "you may stop" in view.progress_html.value


def test_no_estimate_line_before_a_ranking(project, records):
    c = ScreeningController(project, "title_abstract", "alex", records, order="file")
    assert c.stop_estimate() == {} and c.stop_line() == ""


DRAWS = {"stopping": "importance",
         "stopping_params": {"power": 1.0, "floor": 0.2, "batch": 2, "trigger_quiet": 0.0, "pseudo": False}}


def test_the_session_draws_the_check_records_the_criterion_asks_for(project, records):
    """The criterion asks for check draws: the session starts the sample itself (kept in the
    stopping log), its next records come from the sampler, and simulate replays that order."""
    labels = invented_labels(records)
    c = ScreeningController(project, "title_abstract", "alex", records, order="active", calibration_n=0,
                            seed=5, background=False, ranker_options=DRAWS)
    shown = []
    while c.current_id is not None:
        rid = c.current_id
        shown.append(rid)
        c.decide("include" if labels[rid] else "exclude")
    start = c._sample_start
    assert start is not None and 2 < start < len(records)
    log = pd.read_csv(project.stopping_log_file, dtype=str)
    row = log[log["decision"] == "sample"].iloc[-1]
    assert row["screened"] == str(start) and "importance" in row["note"]
    assert "check draws" in c.progress().ranking
    terms = {"include": list(c.settings.include_terms), "exclude": list(c.settings.exclude_terms)}
    result = simulate(records, labels, seed=5, prior_ids=shown[:2], full=True, terms=terms, **DRAWS)
    assert result.sample_start == start
    assert result.order["record_id"].tolist() == shown
