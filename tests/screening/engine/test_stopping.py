"""Stopping criteria against closed-form values; one signature for all of them."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import comb
from scipy.stats import hypergeom

from reviewbench.screening.engine import stopping
from reviewbench.screening.engine.stopping import STOPPERS, CheckSample, ScreeningHistory, StopDecision, judge
from reviewbench.screening.engine.stopping.heuristics import knee_point
from reviewbench.screening.engine.stopping.rate import expected_remaining
from reviewbench.screening.engine.stopping.samples import quantile_index, target_size
from reviewbench.screening.engine.stopping.scores import fit_logistic


def _judge(name, labels, n_total, target=0.95, confidence=0.95, **kw):
    history_keys = {"sample_start", "pool_scores", "shown_scores", "check"}
    hist = ScreeningHistory.of(labels, n_total, **{k: v for k, v in kw.items() if k in history_keys})
    return judge(name, hist, target, confidence, **{k: v for k, v in kw.items() if k not in history_keys})


def test_missed_for_target():
    # 19 relevant seen: recall < 0.95 needs 2 missed (19/20 = 0.95 is not below the target)
    assert stopping.missed_for_target(19, 0.95) == 2
    assert stopping.missed_for_target(10, 0.95) == 1
    assert stopping.missed_for_target(40, 0.95) == 3  # 40/42 = 0.952, 40/43 = 0.930
    assert stopping.missed_for_target(50, 0.8) == 13  # 50/62 = 0.806, 50/63 = 0.794


def test_random_sample_p_matches_closed_form():
    # 30 ranked records with 10 relevant, then a random sample of 100 with none, N = 1000
    labels = [1] * 10 + [0] * 20 + [0] * 100
    p = stopping.hypergeometric_p(labels, 1000, 0.95, sample_start=30)
    # urn of 970 records; H0 recall < 0.95 means K >= floor(10/0.95 - 10 + 1) = 1 relevant in it
    # P(0 relevant in 100 draws | K = 1) = C(969, 100) / C(970, 100) = 870 / 970
    assert p == pytest.approx(870 / 970)
    assert p == pytest.approx(comb(969, 100, exact=True) / comb(970, 100, exact=True))


def test_random_sample_with_hits_matches_scipy():
    rng = np.random.default_rng(3)
    sample = rng.permutation([1] * 2 + [0] * 298).tolist()
    labels = [1] * 40 + [0] * 60 + sample
    p = stopping.hypergeometric_p(labels, 5000, 0.9, sample_start=100)
    r_seen, r_al = 42, 40
    k_tar = math.floor(r_seen / 0.9 - r_al + 1)
    assert p == pytest.approx(hypergeom.cdf(2, 4900, k_tar, 300))


def test_test_stops_on_a_long_empty_sample_and_reports_claimable_recall():
    labels = [1] * 50 + [0] * 50 + [0] * 1000
    decision = _judge("hypergeometric", labels, 1500, sample_start=100)
    # 3 missed would put recall below 95 %; an urn of 1400 with 3 relevant, 1000 drawn, none seen
    p_target = comb(1397, 1000, exact=True) / comb(1400, 1000, exact=True)
    assert decision.p_value == pytest.approx(p_target)
    assert p_target < 0.05 and decision.stop
    # the claimed recall is r / (r + m) for the largest m with p(m) >= 0.05
    m = max(m for m in range(0, 60) if hypergeom.cdf(0, 1400, m, 1000) >= 0.05)
    assert decision.recall_interval[0] == pytest.approx(50 / (50 + m))
    assert decision.recall_interval[0] <= decision.estimated_recall <= decision.recall_interval[1]


def test_small_sample_does_not_stop():
    labels = [1] * 50 + [0] * 10
    decision = _judge("hypergeometric", labels, 2000, sample_start=50)
    assert not decision.stop
    assert decision.recall_interval[0] < 0.95


def _brute_force_min_p(labels, n_total, target):
    labels = np.asarray(labels)
    r_seen = labels.sum()
    best = 1.0
    for s in range(len(labels)):
        k = labels[s:].sum()
        n = len(labels) - s
        urn = n_total - s
        k_tar = math.floor(r_seen / target - (r_seen - k) + 1 + 1e-9)
        p = 0.0 if k_tar > urn else hypergeom.cdf(k, urn, k_tar, n)
        best = min(best, p)
    return best


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(0, 1), min_size=1, max_size=80),
    st.integers(0, 300),
    st.sampled_from([0.8, 0.9, 0.95, 0.99]),
)
def test_ranked_variant_equals_minimum_over_every_tail(labels, extra, target):
    n_total = len(labels) + extra
    got = stopping.hypergeometric_p(labels, n_total, target)
    assert got == pytest.approx(_brute_force_min_p(labels, n_total, target), abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 1), min_size=1, max_size=120), st.integers(0, 500))
def test_stops_exactly_when_claimable_recall_reaches_target(labels, extra):
    decision = _judge("hypergeometric", labels, len(labels) + extra)
    if decision.relevant_seen:
        assert decision.stop == (decision.recall_interval[0] >= 0.95)
    else:
        assert not decision.stop and decision.estimated_recall is None


def test_consecutive_irrelevant_fires_at_run_length():
    labels = [1, 0, 1] + [0] * 49
    assert not _judge("consecutive_irrelevant", labels, 1000, run_length=50).stop
    decision = _judge("consecutive_irrelevant", labels + [0], 1000, run_length=50)
    assert decision.stop
    # remaining 947 records at rate 1 / (50 + 2)
    assert decision.estimated_recall == pytest.approx(2 / (2 + 947 / 52))


def test_consecutive_irrelevant_needs_a_relevant_record():
    assert not _judge("consecutive_irrelevant", [0] * 100, 1000, run_length=50).stop


def test_default_run_length():
    assert stopping.default_run_length(300) == 50
    assert stopping.default_run_length(20000) == 1000


# -- one signature, every criterion ---------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 1), min_size=1, max_size=150), st.integers(0, 400), st.sampled_from(sorted(STOPPERS)))
def test_every_criterion_answers_with_an_estimate_inside_its_interval(labels, extra, name):
    n_total = len(labels) + extra
    rng = np.random.default_rng(len(labels))
    hist = ScreeningHistory.of(
        labels, n_total, pool_scores=rng.normal(-1, 1, extra), shown_scores=rng.normal(0, 1, len(labels)),
        check=CheckSample(size=min(n_total, 80), positives=3, found=min(3, sum(labels))),
    )
    decision = STOPPERS[name](hist, 0.95, 0.95)
    assert isinstance(decision, StopDecision) and decision.criterion == name
    assert decision.screened == len(labels) and decision.relevant_seen == sum(labels)
    if not sum(labels):
        assert not decision.stop
    if decision.estimated_recall is not None:
        low, high = decision.recall_interval
        assert 0 <= low <= decision.estimated_recall + 1e-9 <= high + 2e-9 <= 1 + 3e-9
    report = decision.as_dict()
    assert {"criterion", "target_recall", "confidence", "stop", "estimated_recall", "recall_interval"} <= set(report)


def test_knee_finds_the_bend_and_needs_150_records():
    labels = [1] * 20 + [0] * 10 + [1] * 5 + [0] * 200
    i, ratio = knee_point(np.array(labels))
    assert i == 35  # the last relevant record before the long flat stretch
    assert ratio == pytest.approx((25 / 35) / (1 / 200))
    assert _judge("knee", labels, 2000).stop
    assert not _judge("knee", labels[:100], 2000).stop  # fewer than 150 screened


def test_target_set_size_and_quantile_index():
    assert target_size(0.95, 0.95) == 59  # 0.95 ** 59 < 0.05 <= 0.95 ** 58
    assert target_size(0.7, 0.95) == 9
    assert quantile_index(59, 0.95, 0.95) == 59
    assert quantile_index(20, 0.95, 0.95) is None
    # j is the smallest count whose binomial upper tail is <= 5 %
    j = quantile_index(100, 0.8, 0.95)
    from scipy.stats import binom

    assert binom.sf(j - 1, 100, 0.8) <= 0.05 < binom.sf(j - 2, 100, 0.8)


def test_target_method_stops_once_every_sample_positive_is_found():
    labels = [1] * 60 + [0] * 40
    short = CheckSample(size=500, positives=59, found=58)
    assert not _judge("target", labels, 2000, check=short).stop
    done = CheckSample(size=500, positives=59, found=59)
    assert _judge("target", labels, 2000, check=done).stop
    too_few = _judge("target", labels, 2000, check=CheckSample(size=500, positives=10, found=10))
    assert not too_few.stop and "59 relevant" in too_few.needs
    assert too_few.estimated_recall == pytest.approx(1.0)
    assert _judge("quantile", labels, 2000, check=done).stop
    assert _judge("target", labels, 2000).needs == "an independent random sample"


def test_poisson_process_recovers_the_rate_of_a_power_law():
    rng = np.random.default_rng(5)
    n_total = 5000
    x = np.arange(1, n_total + 1)
    rate = 0.5 * x ** -0.6
    labels = (rng.random(n_total) < rate).astype(int)
    seen = 2000
    expected = rate[seen:].sum()
    assert expected_remaining(labels[:seen], n_total) == pytest.approx(expected, rel=0.35)
    d = _judge("poisson_process", labels[:seen], n_total)
    assert d.recall_interval[0] <= labels[:seen].sum() / labels.sum() + 0.02


def test_logistic_fit_recovers_a_known_curve():
    rng = np.random.default_rng(2)
    x = rng.normal(0, 2, 4000)
    y = (rng.random(4000) < 1 / (1 + np.exp(-(-1.0 + 1.5 * x)))).astype(int)
    a, b = fit_logistic(x, y)
    assert a == pytest.approx(-1.0, abs=0.15) and b == pytest.approx(1.5, abs=0.15)


def test_score_model_counts_the_likely_relevant_left():
    labels = np.array([1, 0] * 50)
    shown = np.where(labels == 1, 2.0, -2.0) + np.linspace(0, 0.1, 100)
    few = _judge("score_distribution", labels, 200, shown_scores=shown, pool_scores=np.full(100, -3.0))
    many = _judge("score_distribution", labels, 200, shown_scores=shown, pool_scores=np.full(100, 3.0))
    assert few.estimated_recall > 0.9 and many.estimated_recall < 0.5
    assert few.stop and not many.stop
    assert _judge("score_distribution", labels, 200).needs  # no scores: it cannot judge


def test_weibull_process_estimates_what_is_left_of_a_finite_set():
    from reviewbench.screening.engine.stopping.rate import remaining_estimates, weibull_profile

    rng = np.random.default_rng(11)
    n_total, relevant = 3000, 60
    positions = np.sort(np.ceil(rng.weibull(0.8, relevant) * 300)).astype(int)
    positions = positions[positions <= n_total]
    labels = np.zeros(n_total, dtype=int)
    labels[np.unique(positions) - 1] = 1
    seen = 600
    left = labels[seen:].sum()
    mu, high = remaining_estimates(labels[:seen], n_total, "weibull")
    assert abs(mu - left) <= max(3, 0.5 * left) and high >= mu
    loglik, remaining = weibull_profile(np.flatnonzero(labels[:seen]) + 1.0, seen, n_total)
    assert np.isfinite(loglik).all() and (remaining >= 0).all()
    decision = _judge("poisson_process", labels[:seen], n_total, rate="weibull", quiet=0.5)
    assert not decision.stop and decision.details["quiet_run"] < 0.5 * n_total


# -- importance-sampled check draws -------------------------------------------------------
from reviewbench.screening.engine.stopping.importance import (  # noqa: E402
    des_raj, draw_probabilities, draw_weights, weighted_order,
)


def test_draw_weights_follow_the_rank_with_a_floor():
    w = draw_weights(np.array([0.1, 0.9, 0.5, 0.3]), power=1.0, floor=0.2)
    assert w.sum() == pytest.approx(1.0)
    harmonic = 1 + 1 / 2 + 1 / 3 + 1 / 4
    # ranks by score: 0.9 -> 1, 0.5 -> 2, 0.3 -> 3, 0.1 -> 4
    assert w == pytest.approx(0.8 * np.array([1 / 4, 1, 1 / 2, 1 / 3]) / harmonic + 0.2 / 4)
    assert w.min() >= 0.2 / 4


def test_a_weighted_draw_takes_each_record_first_in_proportion_to_its_weight():
    w = np.array([0.5, 0.3, 0.15, 0.05])
    rng = np.random.default_rng(11)
    firsts = np.bincount([weighted_order(w, rng)[0] for _ in range(20000)], minlength=4) / 20000
    assert firsts == pytest.approx(w, abs=0.015)


def _synthetic_draws(rng, relevant, weights, n):
    order = weighted_order(weights, rng)[:n]
    return relevant[order], weights[order]


def test_des_raj_is_unbiased_for_the_relevant_left_on_a_synthetic_ranking():
    """A seeded Monte Carlo check: 300 records ranked by a score that relevance only partly
    follows, 8 relevant (two deep in the tail); 40 draws with the rank weights. The mean
    estimate matches the truth; the same draws weighted as if uniform do not."""
    m, n = 300, 40
    relevant = np.zeros(m)
    relevant[[0, 2, 5, 9, 30, 80, 250, 290]] = 1  # positions in the ranking
    weights = draw_weights(-np.arange(m, dtype=float), power=1.0, floor=0.1)
    rng = np.random.default_rng(2026)
    right, wrong = [], []
    for _ in range(6000):
        y, w = _synthetic_draws(rng, relevant, weights, n)
        right.append(des_raj(y, draw_probabilities(w))[0])
        uniform = 1 / (m - np.arange(n))  # what the probabilities would be without the weights
        wrong.append(des_raj(y, uniform)[0])
    right, wrong = np.array(right), np.array(wrong)
    se = right.std() / np.sqrt(len(right))
    assert abs(right.mean() - 8) < 4 * se
    assert abs(wrong.mean() - 8) > 20 * se


def test_des_raj_standard_error_matches_the_spread_of_the_estimates():
    m, n = 200, 60
    relevant = np.zeros(m)
    relevant[[0, 1, 3, 7, 15, 40, 120]] = 1
    weights = draw_weights(-np.arange(m, dtype=float), power=1.0, floor=0.3)
    rng = np.random.default_rng(7)
    est, ses = zip(*(des_raj(*(lambda y, w: (y, draw_probabilities(w)))(*_synthetic_draws(rng, relevant, weights, n)))
                     for _ in range(3000)))
    # the mean estimated variance is close to the variance of the estimates (within 25 %)
    assert np.mean(np.square(ses)) == pytest.approx(np.var(est), rel=0.25)


def _draw_history(ranked, drawn, probs, n_total):
    labels = list(ranked) + list(drawn)
    draw_probs = np.r_[np.full(len(ranked), np.nan), probs]
    return ScreeningHistory.of(labels, n_total, sample_start=len(ranked), draw_probs=draw_probs)


def test_importance_asks_for_draws_once_the_trigger_fires():
    # relevant records early, then a long quiet stretch: the Weibull process fires
    labels = [1] * 20 + [0] * 5 + [1] * 2 + [0] * 400
    hist = ScreeningHistory.of(labels, 2000)
    d = judge("importance", hist, 0.95, 0.95, trigger_quiet=0.1)
    assert d.draw and not d.stop and d.details["phase"] == "ranked"
    early = judge("importance", ScreeningHistory.of(labels[:40], 2000), 0.95, 0.95, trigger_quiet=0.1)
    assert not early.draw


def test_importance_judges_complete_batches_and_stops_on_the_bound():
    ranked = [1] * 40 + [0] * 60
    probs = np.full(30, 0.02)
    # 25 draws without a relevant record: the estimate is 0 and its interval has no width
    d = judge("importance", _draw_history(ranked, [0] * 30, probs, 2000), 0.95, 0.95, batch=25, pseudo=False)
    assert d.details["judged_draws"] == 25 and d.stop and d.recall_interval == (1.0, 1.0)
    # with the imagined relevant draw at the mean probability (0.02): t = 0 x 25, then 50
    d = judge("importance", _draw_history(ranked, [0] * 30, probs, 2000), 0.95, 0.95, batch=25, pseudo=True)
    t = np.r_[np.zeros(25), 50.0]
    mean, se = t.mean(), t.std(ddof=1) / np.sqrt(26)
    high = mean + 1.6448536 * se
    assert d.estimated_relevant == pytest.approx(40 + mean)
    assert d.recall_interval[0] == pytest.approx(40 / (40 + high))
    assert d.stop == (40 / (40 + high) >= 0.95)
    assert d.draw and d.recall_interval[0] <= d.estimated_recall <= d.recall_interval[1]
    # fewer draws than a batch: no verdict yet, and draws still asked for
    d = judge("importance", _draw_history(ranked, [0] * 10, probs[:10], 2000), 0.95, 0.95, batch=25)
    assert d.draw and not d.stop and d.estimated_recall is None


def test_a_relevant_draw_at_a_small_probability_holds_the_stop_back():
    ranked = [1] * 40 + [0] * 60
    drawn = [0] * 10 + [1] + [0] * 14
    probs = np.full(25, 0.05)
    probs[10] = 0.002
    d = judge("importance", _draw_history(ranked, drawn, probs, 2000), 0.95, 0.95, batch=25, pseudo=False)
    # t = 0 (x10), 500, 1 (x14): mean 20.56, the missed estimate 19.56 of the relevant left
    assert d.estimated_relevant == pytest.approx(41 + (500 + 14) / 25 - 1)
    assert not d.stop


# -- the default criterion: a Weibull Poisson process with a quiet stretch ---------------------
def _stop_position(labels, n_total, **params):
    """First prefix at which the default criterion stops (only prefixes its quiet stretch allows are judged)."""
    labels = np.asarray(labels)
    pos = np.arange(1, len(labels) + 1)
    quiet = pos - np.maximum.accumulate(np.where(labels == 1, pos, 0))
    for k in np.flatnonzero((quiet >= 0.12 * n_total) & (np.cumsum(labels) > 0)) + 1:
        if judge("weibull", ScreeningHistory.of(labels[:k], n_total), **params).stop:
            return int(k)
    return None


def _synthetic_ranking(rng, n_total=1500, relevant=30, scale=100.0):
    """A ranking whose relevant records turn up at exponentially spread positions (a good ranker's gain curve)."""
    positions = set()
    while len(positions) < relevant:
        x = int(rng.exponential(scale))
        if x < n_total:
            positions.add(x)
    labels = np.zeros(n_total, dtype=int)
    labels[sorted(positions)] = 1
    return labels


def _outcomes(orders, n_total):
    reached, shares = [], []
    for labels in orders:
        at = _stop_position(labels, n_total) or n_total
        reached.append(labels[:at].sum() >= math.ceil(0.95 * labels.sum()))
        shares.append(at / n_total)
    return float(np.mean(reached)), float(np.mean(shares))


def test_the_default_is_the_weibull_process_with_its_settings():
    from reviewbench.screening.engine import DEFAULTS
    from reviewbench.screening.engine.stopping.rate import DEFAULT_PARAMS

    assert DEFAULTS["stopping"] == stopping.DEFAULT_CRITERION == "weibull"
    labels = _synthetic_ranking(np.random.default_rng(3))[:600]
    ours = _judge("weibull", labels, 1500)
    plain = _judge("poisson_process", labels, 1500, rate="weibull", inflation=DEFAULT_PARAMS["inflation"],
                   quiet=DEFAULT_PARAMS["quiet"])
    assert ours.criterion == "weibull" and labels.sum() >= DEFAULT_PARAMS["min_relevant"]
    assert (ours.stop, ours.estimated_recall, ours.recall_interval) == (plain.stop, plain.estimated_recall,
                                                                         plain.recall_interval)


def test_the_default_stops_early_and_reaches_the_target_on_rankings_that_front_load_the_relevant():
    """Monte Carlo on synthetic rankings: the stop reaches 95 % recall in >= 90 % of runs and saves half the work."""
    rng = np.random.default_rng(5)
    reached, share = _outcomes([_synthetic_ranking(rng) for _ in range(60)], 1500)
    assert reached >= 0.9 and share <= 0.5


def test_the_default_stops_late_when_the_order_is_no_better_than_chance():
    """A random order spreads the relevant records evenly: no early stop, and 95 % recall where it stops."""
    rng = np.random.default_rng(9)
    orders = [rng.permutation(np.r_[np.ones(30, dtype=int), np.zeros(1470, dtype=int)]) for _ in range(60)]
    reached, share = _outcomes(orders, 1500)
    assert reached >= 0.9 and share >= 0.85


def test_a_handful_of_relevant_records_and_a_quiet_stretch_do_not_stop_the_default():
    labels = np.r_[1, 1, 1, np.zeros(400, dtype=int)]
    assert _judge("weibull", labels, 1500, min_relevant=1).stop  # the rate alone saturates at once
    held = _judge("weibull", labels, 1500)
    assert not held.stop and held.estimated_recall is not None  # the estimate is still shown
    assert held.details["not_yet"] == "waits for at least 10 relevant records found (now 3)"


def test_the_default_says_what_it_still_waits_for():
    early = _judge("weibull", np.r_[np.ones(12, dtype=int), np.zeros(20, dtype=int)], 1000)
    assert not early.stop and early.details["not_yet"].startswith("waits for 120 records in a row without a relevant one (now 20)")
    done = _judge("weibull", np.r_[np.ones(40, dtype=int), np.zeros(400, dtype=int)], 1000)
    assert done.stop and "not_yet" not in done.details


def test_with_a_random_sample_the_default_is_the_hypergeometric_test_on_it():
    labels = np.r_[np.ones(20, dtype=int), np.zeros(30, dtype=int), np.zeros(600, dtype=int)]
    on_sample = _judge("weibull", labels, 700, sample_start=50)
    assert on_sample.criterion == "hypergeometric" and on_sample.stop
    assert on_sample.p_value == _judge("hypergeometric", labels, 700, sample_start=50).p_value
