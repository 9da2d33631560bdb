"""Match weights: levels, the shipped defaults, and EM re-estimating them on a corpus."""

from __future__ import annotations

import numpy as np
import pytest

from reviewbench.dedupe.score import (
    FIELDS,
    Weights,
    default_weights,
    estimate_weights,
    fit_weights,
    match_weight,
    weights_from_table,
    weights_to_rows,
)

TITLE, AUTHORS = FIELDS.index("title"), FIELDS.index("authors")


def test_default_weights_reward_agreement_and_punish_disagreement() -> None:
    ratio = default_weights().log_ratio()
    assert ratio[TITLE, 5] > 0 > ratio[TITLE, 1]  # the same title / below 80
    assert ratio[AUTHORS, 4] > 0 > ratio[AUTHORS, 1]
    assert ratio[FIELDS.index("abstract"), 4] > 0 > ratio[FIELDS.index("abstract"), 1]


def test_weights_round_trip_through_the_table_rows() -> None:
    import pandas as pd

    weights = default_weights()
    again = weights_from_table(pd.DataFrame(weights_to_rows(weights)).assign(u=lambda t: t["u"].replace("", "0")))
    assert np.allclose(again.m, weights.m, atol=1e-6) and np.allclose(again.u, weights.u, atol=1e-6)
    assert again.share == pytest.approx(weights.share, abs=1e-6)


def _corpus(rng: np.random.Generator, n_match: int, n_other: int, garbage_authors: float) -> np.ndarray:
    """Comparison vectors: matches agree on title and authors (authors garbled in a share), others do not."""
    matches = np.zeros((n_match, len(FIELDS)), dtype=np.int8)
    matches[:, TITLE] = 5
    matches[:, AUTHORS] = np.where(rng.random(n_match) < garbage_authors, 1, 4)
    others = np.zeros((n_other, len(FIELDS)), dtype=np.int8)
    others[:, TITLE] = rng.choice([1, 2, 5], size=n_other, p=[0.8, 0.15, 0.05])
    others[:, AUTHORS] = rng.choice([1, 2, 4], size=n_other, p=[0.6, 0.3, 0.1])
    return np.concatenate([matches, others])


def test_em_lowers_the_weight_of_a_field_that_is_garbage_in_this_corpus() -> None:
    rng = np.random.default_rng(3)
    clean = _corpus(rng, 3000, 3000, garbage_authors=0.0)
    prior = fit_weights(clean, np.r_[np.ones(3000, bool), np.zeros(3000, bool)])
    garbled = _corpus(rng, 3000, 3000, garbage_authors=0.5)
    adapted = estimate_weights(garbled, np.zeros((0, len(FIELDS)), dtype=np.int8), prior, strength=100.0)
    assert adapted.log_ratio()[AUTHORS, 1] > prior.log_ratio()[AUTHORS, 1] + 2  # "different authors" costs less here
    # and a pair with the same title but garbled authors now scores above one with neither
    pair = np.zeros((1, len(FIELDS)), dtype=np.int8)
    pair[0, TITLE], pair[0, AUTHORS] = 5, 1
    assert match_weight(pair, adapted)[0] > match_weight(pair, prior)[0]


def test_infinite_strength_keeps_the_defaults() -> None:
    prior = default_weights()
    levels = np.ones((10, len(FIELDS)), dtype=np.int8)
    assert estimate_weights(levels, levels[:0], prior, strength=float("inf")) is prior


def test_estimate_does_not_depend_on_pair_order() -> None:
    rng = np.random.default_rng(5)
    levels = _corpus(rng, 500, 800, garbage_authors=0.2)
    prior = default_weights()
    a = estimate_weights(levels, levels[:0], prior, strength=100.0)
    b = estimate_weights(levels[rng.permutation(len(levels))], levels[:0], prior, strength=100.0)
    assert np.array_equal(a.m, b.m) and np.array_equal(a.u, b.u) and a.share == b.share


def test_match_weight_is_the_sum_of_field_weights_in_bits() -> None:
    weights = Weights(m=default_weights().m, u=default_weights().u, share=0.3)
    pair = np.array([[5, 4, 4, 1, 1, 4]], dtype=np.int8)
    expected = sum(weights.log_ratio()[f, level] for f, level in enumerate(pair[0])) / np.log(2)
    assert match_weight(pair, weights)[0] == pytest.approx(expected)

