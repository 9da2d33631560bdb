"""Importance-sampled check draws: a recall estimate from records drawn along the ranking.

A random sample of the records left certifies that few relevant records remain only once
it covers a large share of them. Drawing the check records with probabilities that follow
the ranking instead (the idea of Li & Kanoulas 2020, *When to stop reviewing in
technology-assisted reviews*, ACM TOIS: sample from a distribution over the ranking and
weight each draw by the inverse of its probability) puts most draws on records the
reviewer would screen next anyway, and still estimates the number of relevant records
left without bias, because every record keeps a probability above zero.

The phase. Records come in ranked order until a trigger fires (the Weibull Poisson
process of :mod:`.rate`, by default with a quiet stretch); then the ranking is frozen and
every further record is a draw, without replacement, from the records left: record ``i``
of the frozen ranking (rank ``r_i`` among the ``M`` records unscreened at the start)
has weight ``w_i = (1 - floor) * r_i ** -power / sum_j r_j ** -power + floor / M``, and
the ``k``-th draw takes record ``i`` with probability ``q_k = w_i / (sum of the weights
of the records not drawn yet)``. The draws are decided like any other record.

The estimate (Des Raj 1956, *Some estimators in sampling with varying probabilities
without replacement*, JASA 51:269): with ``c_k`` the relevant records among the first
``k - 1`` draws and ``y_k`` the label of the ``k``-th, ``t_k = c_k + y_k / q_k`` has
expectation ``R``, the relevant records among the ``M`` at the start, given everything
before it (the draws before it are fixed, the ``k``-th is drawn from the rest), so the
mean ``t`` of the ``n`` draws is unbiased for ``R`` and its variance is estimated by
``sum (t_k - t)**2 / (n (n - 1))``. With ``pseudo`` one imagined relevant draw at the
draws' mean probability is added first, so that a batch without a relevant record does
not give an interval of width zero. The interval is ``t -/+ z se`` (``z`` the normal
quantile of ``confidence``); the high end, less the relevant records the draws found,
bounds those still missed. The verdict is taken after every ``batch`` draws (on the
draws of the last complete batch) and stops when the claimable recall, ``relevant seen /
(relevant seen + that bound)``, reaches the target.

Before the phase the criterion asks for draws (``StopDecision.draw``) once the trigger
fires (and at least two relevant records were found); the loop then starts the sample (:meth:`Ranker.step
<reviewbench.screening.engine.Ranker.step>` with ``sample_start``) and the ranker draws
with :func:`draw_weights`. Settings (power, floor, batch, trigger) are chosen by nested
leave-one-review-out in ``benchmarks/stopping_benchmark.py``.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy.stats import norm, rankdata

from .history import ScreeningHistory, StopDecision, decision
from .rate import poisson_process

#: The settings the criterion is run with unless told otherwise: the setting the outer folds of
#: the nested leave-one-review-out picked most often (``benchmarks/README.md``, "Stopping").
DEFAULT_PARAMS = {"power": 3.0, "floor": 0.05, "batch": 10, "trigger_inflation": 1.0, "trigger_quiet": 0.12,
                  "pseudo": False}


def draw_weights(scores: np.ndarray, power: float = DEFAULT_PARAMS["power"],
                 floor: float = DEFAULT_PARAMS["floor"]) -> np.ndarray:
    """Each record's weight in the draw: a power of its rank by ``scores`` mixed with a uniform floor.

    Ranks count from 1 for the highest score (ties in input order); the weights sum to 1
    and none is below ``floor / len(scores)``.
    """
    scores = np.asarray(scores, dtype=float)
    m = len(scores)
    if m == 0:
        return np.zeros(0)
    ranks = rankdata(-scores, method="ordinal")
    ranked = ranks ** -float(power)
    return (1 - floor) * ranked / ranked.sum() + floor / m


def weighted_order(weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A draw of every record without replacement, with ``weights``: positions in draw order.

    Records are sorted by ``log(u) / w`` (``u`` uniform; Efraimidis & Spirakis 2006), so the
    first is record ``i`` with probability ``w_i / sum(w)``, and so on for the rest.
    """
    w = np.asarray(weights, dtype=float)
    return np.argsort(-(np.log(rng.random(len(w))) / w), kind="stable")


def draw_probabilities(weights_in_draw_order: np.ndarray, total_weight: float = 1.0) -> np.ndarray:
    """The probability each draw had when it was made (without replacement): ``w_k / (W - sum_{j<k} w_j)``."""
    w = np.asarray(weights_in_draw_order, dtype=float)
    left = total_weight - np.concatenate([[0.0], np.cumsum(w)[:-1]])
    return w / np.maximum(left, 1e-300)


def des_raj(labels: np.ndarray, probs: np.ndarray, pseudo: bool = False) -> tuple[float, float]:
    """Des Raj's estimate of the relevant records in the population drawn from, and its standard error.

    ``labels`` and ``probs``: the draws in the order made, each with the probability it
    had given the draws before it. ``pseudo``: add one imagined further draw, relevant, at
    the mean probability of the draws (so that draws without a relevant record do not
    give an interval of width zero; the estimate is then biased upwards, by less with
    every draw).
    """
    y = np.asarray(labels, dtype=float)
    q = np.asarray(probs, dtype=float)
    if len(y) == 0:
        return 0.0, 0.0
    t = np.concatenate([[0.0], np.cumsum(y)[:-1]]) + y / q
    if pseudo:
        t = np.append(t, y.sum() + len(q) / q.sum())
    n = len(t)
    mean = float(t.mean())
    se = float(np.sqrt(((t - mean) ** 2).sum() / (n * (n - 1)))) if n > 1 else float("inf")
    return mean, se


def importance(
    history: ScreeningHistory,
    target_recall: float = 0.95,
    confidence: float = 0.95,
    power: float = DEFAULT_PARAMS["power"],
    floor: float = DEFAULT_PARAMS["floor"],
    batch: int = DEFAULT_PARAMS["batch"],
    trigger_inflation: float = DEFAULT_PARAMS["trigger_inflation"],
    trigger_quiet: float = DEFAULT_PARAMS["trigger_quiet"],
    pseudo: bool = DEFAULT_PARAMS["pseudo"],
) -> StopDecision:
    """Stop when the high end of the importance-sampled estimate allows the target (module docstring).

    ``power`` and ``floor`` are read by the ranker that draws (:func:`draw_weights`);
    here they only label the verdict.
    """
    start, probs = history.sample_start, history.draw_probs
    settings = {"power": power, "floor": floor, "batch": batch, "pseudo": pseudo}
    if start is None or probs is None or start >= history.screened:
        verdict = poisson_process(history, target_recall, confidence, rate="weibull",
                                  inflation=trigger_inflation, quiet=trigger_quiet)
        enough = history.relevant_seen >= 2  # a rate fitted to one relevant record says nothing yet
        return replace(verdict, criterion="importance", stop=False, draw=bool(verdict.stop and enough),
                       details={**verdict.details, **settings, "phase": "ranked", "draws": 0})
    labels = history.labels
    y, q = labels[start:], np.asarray(probs[start:], dtype=float)
    n = (len(y) // batch) * batch
    seen = history.relevant_seen
    found = int(y.sum())
    details = {**settings, "phase": "draws", "draws": len(y), "judged_draws": n, "found_by_draws": found}
    if n < max(2, batch) or not np.isfinite(q[:n]).all():
        return decision("importance", history, target_recall, confidence, stop=False, draw=True, details=details)
    before = int(labels[:start].sum())
    estimate, se = des_raj(y[:n], q[:n], pseudo)
    z = float(norm.ppf(confidence))
    missed = max(0.0, estimate - found)
    high = max(missed, estimate + z * se - found)
    low = min(missed, max(0.0, estimate - z * se - found))
    stop = seen > 0 and seen / (seen + high) >= target_recall
    details.update({"relevant_at_start": before, "estimated_in_sample_frame": estimate, "standard_error": se})
    return decision("importance", history, target_recall, confidence, stop=stop, missed=missed,
                    missed_high=high, missed_low=low, draw=True, details=details)
