"""``simulate`` and ``reviewbench simulate``: orders, priors, reports, errors."""

import json
from pathlib import Path

import pandas as pd
import pytest

from reviewbench.cli import main
from reviewbench.errors import InputFileError, ParameterError
from reviewbench.screening.engine import Ranker
from reviewbench.screening.engine.recall_figure import recall_curve_bytes
from reviewbench.screening.simulate import check_sample_stop, choose_priors, load_labelled, plot_recall_curve, simulate

TOY = Path(__file__).resolve().parents[1] / "fixtures" / "screening" / "toy.csv"


def test_load_labelled_uses_the_files_own_ids():
    records, labels = load_labelled(TOY, "label_included")
    assert records["record_id"].tolist()[:2] == ["T000", "T001"]
    assert labels["T003"] == 1 and labels.sum() == 10


def test_order_has_every_record_once_priors_first():
    records, labels = load_labelled(TOY, "label_included")
    result = simulate(records, labels, seed=3)
    order = result.order
    assert order["rank"].tolist() == list(range(1, len(records) + 1))
    assert sorted(order["record_id"]) == sorted(records["record_id"])
    # With seed 3 the draw gives these two (a change to how priors are drawn shows here).
    assert order["record_id"].tolist()[:2] == ["T067", "T006"]
    assert [labels["T067"], labels["T006"]] == [1, 0]  # one included, then one excluded
    assert (order["label"].to_numpy() == labels[order["record_id"]].to_numpy()).all()
    # an easy corpus: all ten relevant records within the first dozen
    assert order["label"].iloc[:12].sum() == 10


def test_same_seed_same_order_other_seed_other_priors():
    records, labels = load_labelled(TOY, "label_included")
    a = simulate(records, labels, seed=1).order
    b = simulate(records, labels, seed=1).order
    c = simulate(records, labels, seed=2).order
    pd.testing.assert_frame_equal(a, b)
    assert a["record_id"].tolist()[:2] != c["record_id"].tolist()[:2]


def test_given_prior_ids_are_used():
    records, labels = load_labelled(TOY, "label_included")
    order = simulate(records, labels, prior_ids=["T011", "T000", "T001"]).order
    assert order["record_id"].tolist()[:3] == ["T011", "T000", "T001"]


def test_bad_priors_raise():
    _, labels = load_labelled(TOY, "label_included")
    with pytest.raises(ParameterError, match="prior-ids"):
        choose_priors(labels, prior_ids=["missing"])
    with pytest.raises(ParameterError, match="prior-included"):
        choose_priors(labels, n_included=11)


def test_stop_reports_are_judged_from_the_prefix():
    records, labels = load_labelled(TOY, "label_included")
    result = simulate(records, labels, seed=1, run_length=20)
    heuristic = result.stops["consecutive_irrelevant"]  # judged on every prefix of the order
    at = heuristic["stopped_at"]
    assert at is not None
    seen = result.labels[:at]
    # the last 20 labels before stopping are irrelevant, and it did not fire earlier
    assert seen[-20:].sum() == 0 and seen[-21] == 1


def test_missing_label_column_names_the_columns(tmp_path):
    with pytest.raises(InputFileError, match="label_included"):
        load_labelled(TOY, "decision")


def test_unreadable_label_names_record_and_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("record_id,title,label\nA,first title,1\nB,second title,maybe\n")
    with pytest.raises(InputFileError, match=r"record B \(record 2 of the file\) has label 'maybe'"):
        load_labelled(bad, "label")


def test_cli_writes_order_stop_report_and_plot(tmp_path, capsys):
    out, stop, png = tmp_path / "order.csv", tmp_path / "stop.json", tmp_path / "curve.png"
    status = main([
        "simulate", str(TOY), "--label-column", "label_included", "-o", str(out), "--seed", "2",
        "--stop-report", str(stop), "--plot", str(png),
    ])
    assert status == 0
    printed = capsys.readouterr().out
    for figure in ("WSS@95", "recall at 10% screened", "records for 95% recall", "records for 100% recall",
                   "average time to discovery"):
        assert figure in printed
    order = pd.read_csv(out, dtype={"record_id": str})
    assert list(order.columns) == ["rank", "record_id", "label"] and len(order) == 80
    report = json.loads(stop.read_text())
    assert report["criterion"] == "weibull"
    assert report["target_recall"] == 0.95 and report["confidence"] == 0.95
    assert set(report) >= {"stopped_at", "estimated_recall"}
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_judges_by_the_criterion_asked_for(tmp_path, capsys):
    stop = tmp_path / "stop.json"
    args = ["simulate", str(TOY), "--label-column", "label_included", "-o", str(tmp_path / "o.csv"), "--seed", "2"]
    assert main([*args, "--stopping", "hypergeometric", "--stop-report", str(stop)]) == 0
    report = json.loads(stop.read_text())
    assert report["criterion"] == "hypergeometric"
    assert "weibull" not in {o["criterion"] for o in report["others"]}  # the default only when it is asked for
    assert "stop (hypergeometric) [default]" in capsys.readouterr().out
    assert main([*args, "--stopping", "no_such_rule"]) == 2
    err = capsys.readouterr().err
    assert "no_such_rule" in err and "weibull" in err and "Traceback" not in err


def test_cli_reports_bad_input_without_traceback(tmp_path, capsys):
    status = main(["simulate", str(TOY), "--label-column", "nope", "-o", str(tmp_path / "o.csv")])
    assert status == 2
    err = capsys.readouterr().err
    assert "toy.csv" in err and "nope" in err and "Traceback" not in err


def test_the_step_gives_the_same_order_as_the_simulation():
    """The loop of the screening view (one Ranker.step per decision, first record of the
    ranking shown next) replays the simulated order from the same decisions."""
    records, labels = load_labelled(TOY, "label_included")
    result = simulate(records, labels, seed=4)
    order = result.order["record_id"].tolist()
    ranker = Ranker(records, seed=4)
    decisions = {rid: int(labels[rid]) for rid in order[:2]}
    last_relevant = int(result.order.loc[result.order["label"] == 1, "rank"].max())
    for shown in order[2:last_relevant]:
        step = ranker.step(decisions)
        assert step.ranking[0] == shown
        decisions[shown] = int(labels[shown])
    assert ranker.step(decisions).ranking == order[len(decisions):]  # the rest, as the last ranking has it


def test_the_random_sample_phase_runs_as_it_does_live():
    records, labels = load_labelled(TOY, "label_included")
    result = simulate(records, labels, seed=2, sample_when="consecutive_irrelevant", run_length=3, full=True)
    start = result.sample_start
    assert start is not None and start > 2
    order = result.order["record_id"].tolist()
    ranker = Ranker(records, seed=2)
    decisions = {rid: int(labels[rid]) for rid in order[:start]}
    ranker.step(decisions)
    for shown in order[start:start + 10]:
        step = ranker.step(decisions, sample_start=start)
        assert step.ranking[0] == shown
        decisions[shown] = int(labels[shown])
    # the hypergeometric test then rests on that sample
    assert result.stops["hypergeometric"]["stopped_at"] is None or result.stops["hypergeometric"]["stopped_at"] > start


def test_stop_reports_keep_the_contract_and_the_estimates_are_kept_per_step():
    records, labels = load_labelled(TOY, "label_included")
    result = simulate(records, labels, seed=1)
    report = result.stop_report()
    assert report["criterion"] == result.criterion
    assert {"criterion", "target_recall", "confidence", "stopped_at", "estimated_recall"} <= set(report)
    assert all(o["criterion"] != result.criterion for o in report["others"])
    est = result.estimates
    assert list(est.columns) == ["screened", "estimated_recall", "recall_low", "recall_high", "stop"]
    assert est["screened"].is_monotonic_increasing and est["screened"].iloc[0] == 2
    known = est.dropna(subset=["estimated_recall"])
    assert ((known["recall_low"] <= known["estimated_recall"] + 1e-9) & (known["estimated_recall"] <= known["recall_high"] + 1e-9)).all()


def test_check_sample_methods_count_the_sample_as_screened():
    records, labels = load_labelled(TOY, "label_included")
    result = simulate(records, labels, seed=1)
    for name in ("target", "quantile"):
        stop = check_sample_stop(result.order, name, seed=1)
        # ten relevant records cannot make a 59-record target set: the sample is the whole set
        assert stop["sample_size"] == 80 and stop["screened"] == 80 and stop["recall"] == 1.0
    small = check_sample_stop(result.order, "target", seed=1, target_set=5, positives=5)
    assert small["stopped_at"] is not None and small["sample_size"] < 80
    assert small["screened"] >= small["stopped_at"]


def test_recall_figure_is_deterministic(tmp_path):
    records, labels = load_labelled(TOY, "label_included")
    result = simulate(records, labels, seed=1)
    a, b = tmp_path / "a.svg", tmp_path / "b.svg"
    plot_recall_curve(result, a, title="toy")
    plot_recall_curve(result, b, title="toy")
    assert a.read_bytes() == b.read_bytes()
    svg = a.read_text()
    assert "estimated total relevant" in svg and "stopping point" in svg and "all relevant (known)" in svg
    png = recall_curve_bytes("png", labels=result.labels[:30], n_total=80, estimates=result.estimates.iloc[:25])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png == recall_curve_bytes("png", labels=result.labels[:30], n_total=80, estimates=result.estimates.iloc[:25])


def test_recall_figure_bytes_do_not_depend_on_the_users_matplotlib_settings():
    import matplotlib

    records, labels = load_labelled(TOY, "label_included")
    result = simulate(records, labels, seed=1)
    curve = {"labels": result.labels[:30], "n_total": 80, "estimates": result.estimates.iloc[:25], "title": "toy"}
    plain = recall_curve_bytes("svg", **curve)
    with matplotlib.rc_context({"font.family": "serif", "font.size": 15, "svg.fonttype": "none", "svg.hashsalt": None}):
        assert recall_curve_bytes("svg", **curve) == plain
        assert recall_curve_bytes("png", **curve) == recall_curve_bytes("png", **curve)


DRAWS = {"stopping": "importance",
         "stopping_params": {"power": 1.0, "floor": 0.2, "batch": 5, "trigger_quiet": 0.0, "pseudo": False}}


def test_check_draws_are_screened_in_the_loop_as_they_are_live():
    """With the importance-sampled criterion the loop starts drawing when the criterion asks,
    the draws are screened like any other record, and Ranker.step replays the same order."""
    records, labels = load_labelled(TOY, "label_included")
    result = simulate(records, labels, seed=2, **DRAWS)
    start = result.sample_start
    assert start is not None and start > 2
    order = result.order["record_id"].tolist()
    assert sorted(order) == sorted(records["record_id"])
    ranker = Ranker(records, seed=2, **DRAWS)
    decisions = {rid: int(labels[rid]) for rid in order[:2]}
    for shown in order[2:start]:
        assert ranker.step(decisions).ranking[0] == shown
        decisions[shown] = int(labels[shown])
    assert ranker.step(decisions).stop.draw  # here the criterion asks for draws
    stopped_at = result.stops["importance"]["stopped_at"]
    for shown in order[start:stopped_at or len(order)]:
        step = ranker.step(decisions, sample_start=start)
        assert step.ranking[0] == shown
        decisions[shown] = int(labels[shown])
    report = result.stop_report()
    assert {"criterion", "target_recall", "confidence", "stopped_at", "estimated_recall", "recall_interval"} <= set(report)
    assert report["criterion"] == "importance"
    assert stopped_at is not None
    verdict = ranker.step(decisions, sample_start=start).stop
    assert verdict.stop and report["estimated_recall"] == pytest.approx(verdict.estimated_recall)
    assert report["recall_interval"] == pytest.approx(list(verdict.recall_interval))
    assert (stopped_at - start) % 5 == 0  # judged after whole batches of draws
