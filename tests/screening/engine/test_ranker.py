"""The Ranker: determinism, relevant-first ranking, cold start, bad input."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reviewbench.errors import ParameterError
from reviewbench.screening.engine import Ranker
from reviewbench.screening.engine.features import FeatureSettings, text_features
from reviewbench.screening.engine.queries import mixed

TOY = Path(__file__).resolve().parents[2] / "fixtures" / "screening" / "toy.csv"


@pytest.fixture(scope="module")
def toy():
    df = pd.read_csv(TOY, dtype={"record_id": str})
    df["keywords"] = [[] for _ in range(len(df))]
    return df


def _truth(toy):
    return dict(zip(toy["record_id"], toy["label_included"]))


def test_relevant_records_come_first_after_one_of_each(toy):
    truth = _truth(toy)
    first_rel = toy.loc[toy.label_included == 1, "record_id"].iloc[0]
    first_irr = toy.loc[toy.label_included == 0, "record_id"].iloc[0]
    ranking = Ranker(toy, seed=1).fit({first_rel: 1, first_irr: 0}).rank()
    n_rel = sum(truth.values()) - 1
    assert len(ranking) == len(toy) - 2
    assert {truth[r] for r in ranking[:n_rel]} == {1}


@pytest.mark.parametrize("classifier", ["svm", "logistic", "nb", "cnb", "sgd", "ensemble"])
def test_every_classifier_ranks_the_toy_corpus(toy, classifier):
    truth = _truth(toy)
    labels = {"T003": 1, "T000": 0, "T011": 1, "T001": 0}
    ranking = Ranker(toy, seed=1, classifier=classifier).fit(labels).rank()
    top = [truth[r] for r in ranking[:8]]
    assert sum(top) == 8


def test_same_seed_same_order(toy):
    labels = {"T003": 1, "T000": 0}
    a = Ranker(toy, seed=5, query="mixed", uncertainty_share=0.2).fit(labels).rank()
    b = Ranker(toy, seed=5, query="mixed", uncertainty_share=0.2).fit(labels).rank()
    assert a == b


def test_rank_excludes_labelled_and_covers_the_rest(toy):
    labels = {"T003": 1, "T000": 0, "T001": 0}
    ranking = Ranker(toy).fit(labels).rank()
    assert set(ranking) == set(toy.record_id) - set(labels)
    assert len(ranking) == len(set(ranking))


def test_cold_start_from_terms(toy):
    truth = _truth(toy)
    ranker = Ranker(toy, terms={"include": ["sex workers", "outreach", "clinic"], "exclude": ["tooth", "bridge"]})
    ranking = ranker.rank()
    assert sum(truth[r] for r in ranking[:10]) >= 8
    # the terms still rank when only exclusions are labelled
    ranking = ranker.fit({"T000": 0}).rank()
    assert sum(truth[r] for r in ranking[:10]) >= 8


def test_cold_start_without_anything_keeps_input_order(toy):
    assert Ranker(toy).rank() == toy["record_id"].tolist()


def test_cold_start_from_one_included_record(toy):
    truth = _truth(toy)
    ranking = Ranker(toy).fit({"T003": 1}).rank()
    assert sum(truth[r] for r in ranking[:9]) >= 8


def test_random_sample_phase_is_random_and_seeded(toy):
    labels = {"T003": 1, "T000": 0}
    a = Ranker(toy, seed=2).fit(labels)
    ranked = a.rank()
    a.start_random_sample()
    shuffled = a.rank()
    assert sorted(shuffled) == sorted(ranked) and shuffled != ranked
    b = Ranker(toy, seed=2).fit(labels)
    b.start_random_sample()
    assert b.rank() == shuffled


def test_stopping_reports_the_contract_keys(toy):
    truth = _truth(toy)
    ranker = Ranker(toy, seed=1)
    labels = {}
    for rid in ranker.fit({"T003": 1, "T000": 0}).rank()[:20]:
        labels[rid] = truth[rid]
    report = ranker.fit({"T003": 1, "T000": 0, **labels}).stopping()
    assert {"criterion", "target_recall", "confidence", "stop", "estimated_recall"} <= set(report)
    assert report["criterion"] == "weibull"
    heuristic = Ranker(toy, stopping="consecutive_irrelevant", run_length=5).fit({"T003": 1, "T000": 0}).stopping()
    assert heuristic["criterion"] == "consecutive_irrelevant" and heuristic["stop"] is False


def test_unknown_ids_are_ignored_and_listed(toy):
    ranker = Ranker(toy).fit({"T003": 1, "nope": 0, "T000": 0})
    assert ranker.unknown_ids == ["nope"]
    assert "T003" not in ranker.rank()


@pytest.mark.parametrize(
    "kwargs",
    [{"classifier": "forest"}, {"query": "whatever"}, {"stopping": "never"}, {"colour": "red"}],
)
def test_bad_options_raise_parameter_error(toy, kwargs):
    with pytest.raises(ParameterError):
        Ranker(toy, **kwargs)


def test_bad_label_value_raises(toy):
    with pytest.raises(ParameterError, match="T003"):
        Ranker(toy).fit({"T003": 2})


def test_duplicate_ids_raise(toy):
    with pytest.raises(ParameterError, match="duplicate"):
        Ranker(pd.concat([toy, toy.iloc[:1]]))


def test_mixed_query_interleaves_uncertain_records():
    scores = np.array([5.0, 4.0, 3.0, 0.01, -3.0, -4.0])
    order = mixed(scores, share=0.5)
    assert order.tolist() == [0, 3, 1, 2, 4, 5]


def test_feature_cache_is_incremental(tmp_path, toy):
    cache = tmp_path / "features.npz"
    settings = FeatureSettings()
    first = text_features(toy.iloc[:50], settings, cache)
    assert first.shape[0] == 50
    with np.load(cache) as data:
        assert len(data["keys"]) == 50
    both = text_features(toy, settings, cache)
    with np.load(cache) as data:
        assert len(data["keys"]) == 80
    fresh = text_features(toy, settings)
    assert abs(both - fresh).max() < 1e-6
    # a cache written with other settings is ignored, not reused
    other = text_features(toy, FeatureSettings(word_ngrams=(1, 1)), cache)
    assert other.nnz < fresh.nnz


def test_step_returns_ranking_scores_and_a_verdict(toy):
    ranker = Ranker(toy, seed=1)
    step = ranker.step({"T003": 1, "T000": 0})
    assert step.fitted and len(step.scores) == len(toy)
    assert step.ranking == ranker.rank() and len(step.ranking) == len(toy) - 2
    assert step.stop.criterion == "weibull" and step.stop.screened == 2
    cold = Ranker(toy, seed=1).step({"T003": 1})
    assert not cold.fitted and len(cold.ranking) == len(toy) - 1


def test_a_sample_phase_is_random_and_does_not_refit(toy):
    ranker = Ranker(toy, seed=3)
    labels = {"T003": 1, "T000": 0}
    ranked = ranker.step(labels).ranking
    model = ranker.model
    sampled = ranker.step({**labels, ranked[0]: 1}, sample_start=3)
    assert ranker.model is model  # the order is random: the model is not needed
    assert sorted(sampled.ranking) == sorted(ranked[1:]) and sampled.ranking != ranked[1:]
    assert ranker.history().sample_start == 3


@pytest.mark.parametrize("options", [
    {"members": ({"classifier": "svm"}, {"classifier": "nb", "features": FeatureSettings(word_ngrams=(1, 1), char_ngrams=(3, 4))})},
    {"presumed_negatives": 20},
    {"undersample": 2},
])
def test_model_averaging_presumed_exclusions_and_undersampling_rank_the_toy(toy, options):
    truth = _truth(toy)
    labels = {"T003": 1, "T000": 0, "T011": 1, "T001": 0}
    ranking = Ranker(toy, seed=1, **options).step(labels).ranking
    assert sum(truth[r] for r in ranking[:8]) == 8


def test_the_score_a_record_had_when_shown_is_kept(toy):
    ranker = Ranker(toy, seed=1)
    first = ranker.step({"T003": 1, "T000": 0})
    shown = first.ranking[0]
    before = float(first.scores[ranker.position[shown]])
    ranker.step({"T003": 1, "T000": 0, shown: 1})
    history = ranker.history()
    assert np.isnan(history.shown_scores[:2]).all()  # priors were not shown by a model
    assert history.shown_scores[2] == pytest.approx(before)
    assert len(history.pool_scores) == len(toy) - 3


def test_the_default_averages_three_models_and_a_named_classifier_is_used_alone(toy):
    from reviewbench.screening.engine.ranker import DEFAULT_MEMBERS

    assert [m["classifier"] for m in Ranker(toy).members] == [m["classifier"] for m in DEFAULT_MEMBERS]
    assert [m["classifier"] for m in Ranker(toy, classifier="nb").members] == ["nb"]


def test_fitting_on_the_training_columns_gives_the_full_fit():
    import scipy.sparse as sp
    from sklearn.svm import LinearSVC

    from reviewbench.screening.engine.classifiers import fit_and_score

    rng = np.random.default_rng(0)
    X = sp.random(200, 500, density=0.02, random_state=1, format="csr", dtype=np.float32)
    rows = np.arange(0, 200, 4)
    y = (rng.random(len(rows)) < 0.3).astype(int)
    weights = np.ones(len(rows))
    _, scores = fit_and_score("svm", 1, {"C": 0.1}, X, rows, y, weights)
    full = LinearSVC(C=0.1, random_state=1).fit(X[rows].astype(np.float64), y, sample_weight=weights)
    assert np.allclose(scores, full.decision_function(X.astype(np.float64)), atol=1e-5)


IMPORTANCE = {"stopping": "importance", "stopping_params": {"power": 1.0, "floor": 0.2, "batch": 5}}


def test_check_draws_come_from_the_frozen_ranking_with_their_probabilities(toy):
    truth = _truth(toy)
    ranker = Ranker(toy, seed=3, **IMPORTANCE)
    labels = {"T003": 1, "T000": 0}
    ranked = ranker.step(labels).ranking
    for rid in ranked[:8]:
        labels[rid] = truth[rid]
    before = ranker.step(labels)
    model = ranker.model
    start = len(labels)
    drawn = []
    for _ in range(6):
        step = ranker.step(labels, sample_start=start)
        assert ranker.model is model  # no refit while drawing
        drawn.append(step.ranking[0])
        labels[step.ranking[0]] = truth[step.ranking[0]]
    hist = ranker.step(labels, sample_start=start) and ranker.history()
    assert np.isnan(hist.draw_probs[:start]).all() and (hist.draw_probs[start:] > 0).all()
    # each draw's probability: its weight in the frozen ranking over the weight not drawn before it
    pool = [r for r in before.ranking]
    w = dict(zip(pool, (0.8 * (1 / np.arange(1, len(pool) + 1)) / (1 / np.arange(1, len(pool) + 1)).sum()
                        + 0.2 / len(pool))))
    left, expected = 1.0, []
    for rid in drawn:
        expected.append(w[rid] / left)
        left -= w[rid]
    assert hist.draw_probs[start:] == pytest.approx(expected)
    # a ranker opened in the middle of the sample (the session reopened) draws the same way
    reopened = Ranker(toy, seed=3, **IMPORTANCE)
    again = reopened.step(labels, sample_start=start)
    assert again.ranking == ranker.step(labels, sample_start=start).ranking
    assert reopened.history().draw_probs == pytest.approx(hist.draw_probs, nan_ok=True)
