"""Stopping: when may the reviewer stop screening, and what recall can they claim?

Every criterion has the same signature, ``criterion(history, target_recall, confidence,
**params) -> StopDecision`` (:mod:`.history`), and is registered by name in
:data:`STOPPERS`; each returns its recall estimate with an interval, so the view can show
them.

=========================  ====================================================================
``hypergeometric``         Callaghan & Müller-Hansen 2020: a hypergeometric test on a random
                           sample (or, without one, on every tail of the ranked sequence)
``target``                 Cormack & Grossman 2016: a random target set, then rank until all
                           of its relevant records are found
``quantile``               Lewis, Yang & Frieder 2021 (QBCB): a random sample, then rank until
                           a binomial quantile of its relevant records is found
``weibull`` (the default)  a Poisson process with a Weibull rate fitted to where relevant
                           records turned up, and a quiet stretch (settings chosen by nested
                           leave-one-review-out; :mod:`.rate`)
``poisson_process``        Sneyd & Stevenson 2021: a Poisson process with a falling rate
                           fitted to where relevant records turned up
``importance``             check draws along the ranking (Li & Kanoulas 2020) once a Weibull
                           Poisson process fires; Des Raj's estimate of what is left
``score_distribution``     a logistic model of relevance given the ranking score, applied to
                           the scores of the records left
``knee``                   Cormack & Grossman 2016: the gain curve's knee (heuristic)
``consecutive_irrelevant`` a run of irrelevant records (heuristic)
=========================  ====================================================================
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from .heuristics import consecutive_irrelevant, default_run_length, knee
from .history import CheckSample, ScreeningHistory, StopDecision, missed_for_target
from .hypergeometric import hypergeometric, hypergeometric_p
from .importance import draw_weights, importance
from .rate import poisson_process, weibull_process
from .samples import quantile, target
from .scores import score_distribution

Stopper = Callable[..., StopDecision]

#: Criteria whose check records are drawn with their own weights (name -> weights from the
#: scores of the records left and the criterion's parameters); others sample uniformly.
SAMPLERS: dict[str, Callable[..., np.ndarray]] = {"importance": draw_weights}

STOPPERS: dict[str, Stopper] = {
    "weibull": weibull_process,
    "hypergeometric": hypergeometric,
    "target": target,
    "quantile": quantile,
    "poisson_process": poisson_process,
    "importance": importance,
    "score_distribution": score_distribution,
    "knee": knee,
    "consecutive_irrelevant": consecutive_irrelevant,
}


#: The criterion the screening view, ``reviewbench simulate`` and the outputs use unless told otherwise.
DEFAULT_CRITERION = "weibull"


def judge(name: str, history: ScreeningHistory, target_recall: float = 0.95, confidence: float = 0.95,
          **params) -> StopDecision:
    """The verdict of the criterion registered as ``name`` on ``history``."""
    return STOPPERS[name](history, target_recall, confidence, **params)


__all__ = [
    "DEFAULT_CRITERION", "SAMPLERS", "STOPPERS", "CheckSample", "ScreeningHistory", "StopDecision", "Stopper", "judge",
    "default_run_length", "hypergeometric_p", "missed_for_target",
]
