"""Stopping criteria against closed-form hypergeometric values."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import comb
from scipy.stats import hypergeom

from reviewbench.screening.engine import stopping


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
    decision = stopping.hypergeometric_test(labels, 1500, 0.95, 0.95, sample_start=100)
    # 3 missed would put recall below 95 %; an urn of 1400 with 3 relevant, 1000 drawn, none seen
    p_target = comb(1397, 1000, exact=True) / comb(1400, 1000, exact=True)
    assert decision.p_value == pytest.approx(p_target)
    assert p_target < 0.05 and decision.stop
    # the claimed recall is r / (r + m) for the largest m with p(m) >= 0.05
    m = max(m for m in range(0, 60) if hypergeom.cdf(0, 1400, m, 1000) >= 0.05)
    assert decision.estimated_recall == pytest.approx(50 / (50 + m))


def test_small_sample_does_not_stop():
    labels = [1] * 50 + [0] * 10
    decision = stopping.hypergeometric_test(labels, 2000, 0.95, 0.95, sample_start=50)
    assert not decision.stop
    assert decision.estimated_recall < 0.95


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
    decision = stopping.hypergeometric_test(labels, len(labels) + extra, 0.95, 0.95)
    if decision.relevant_seen:
        assert decision.stop == (decision.estimated_recall >= 0.95)
    else:
        assert not decision.stop and decision.estimated_recall is None


def test_consecutive_irrelevant_fires_at_run_length():
    labels = [1, 0, 1] + [0] * 49
    assert not stopping.consecutive_irrelevant(labels, 1000, run_length=50).stop
    decision = stopping.consecutive_irrelevant(labels + [0], 1000, run_length=50)
    assert decision.stop
    # remaining 947 records at rate 1 / (50 + 2)
    assert decision.estimated_recall == pytest.approx(2 / (2 + 947 / 52))


def test_consecutive_irrelevant_needs_a_relevant_record():
    assert not stopping.consecutive_irrelevant([0] * 100, 1000, run_length=50).stop


def test_default_run_length():
    assert stopping.default_run_length(300) == 50
    assert stopping.default_run_length(20000) == 1000
