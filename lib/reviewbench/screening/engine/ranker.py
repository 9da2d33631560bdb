"""The ranking loop shared by the screening view and ``reviewbench simulate``.

A :class:`Ranker` holds the feature matrix of one set of records (computed once, cached
on disk when ``cache_path`` is given) and, after each :meth:`Ranker.fit`, the relevance
scores of every record. The roles are separate pieces chosen by name: features
(:mod:`.features`), classifier (:mod:`.classifiers`), balancer (:mod:`.balancers`),
query strategy (:mod:`.queries`) and stopping criterion (:mod:`.stopping`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd

from ...errors import ParameterError
from .balancers import BALANCERS
from .classifiers import CLASSIFIERS, make_classifier, relevance_scores
from .coldstart import cold_start_scores, term_vector
from .features import FeatureCache, FeatureSettings, record_texts, tfidf
from .queries import QUERIES
from .stopping import STOPPERS, consecutive_irrelevant, hypergeometric_test

#: Defaults chosen by ``benchmarks/screening.py`` (see the package docstring).
DEFAULTS: dict[str, Any] = {
    "classifier": "svm",
    "classifier_params": {},
    "balancer": "balanced",
    "balance_ratio": 10.0,
    "query": "max",
    "uncertainty_share": 0.0,
    "features": FeatureSettings(),
    "stopping": "hypergeometric",
    "target_recall": 0.95,
    "confidence": 0.95,
    "run_length": None,
}


def _check_choice(name: str, value: str, valid: Mapping) -> None:
    if value not in valid:
        raise ParameterError(name, value, sorted(valid))


class Ranker:
    """Rank unlabelled records by likely relevance and judge when screening may stop.

    ``records`` needs ``record_id`` and at least one of ``title``, ``abstract``,
    ``keywords``. Options (all keyword): ``classifier`` (``svm``, ``logistic``, ``nb``,
    ``cnb``, ``sgd``, ``ensemble``), ``classifier_params``, ``balancer``
    (``balanced``/``none``), ``balance_ratio``, ``query`` (``max``, ``mixed``, ``random``),
    ``uncertainty_share`` (for ``mixed``), ``features`` (a :class:`FeatureSettings`),
    ``cache_path`` (an ``.npz`` file for the hashed counts, e.g. in the project cache),
    ``terms`` (``{"include": [...], "exclude": [...]}`` for the cold start),
    ``stopping`` (``hypergeometric``/``consecutive_irrelevant``), ``target_recall``,
    ``confidence``, ``run_length`` (for the heuristic).
    """

    def __init__(self, records: pd.DataFrame, seed: int = 0, **options: Any) -> None:
        unknown = set(options) - set(DEFAULTS) - {"cache_path", "terms"}
        if unknown:
            raise ParameterError(sorted(unknown)[0], options[sorted(unknown)[0]], sorted(set(DEFAULTS) | {"cache_path", "terms"}))
        self.options = {**DEFAULTS, **options}
        _check_choice("classifier", self.options["classifier"], CLASSIFIERS)
        _check_choice("balancer", self.options["balancer"], BALANCERS)
        _check_choice("query", self.options["query"], QUERIES)
        _check_choice("stopping", self.options["stopping"], STOPPERS)
        if "record_id" not in records.columns:
            raise ParameterError("records", "a table without record_id", ["a record table with a record_id column"])
        self.seed = seed
        self.ids: list[str] = records["record_id"].astype(str).tolist()
        if len(set(self.ids)) != len(self.ids):
            dup = pd.Series(self.ids)[pd.Series(self.ids).duplicated()].iloc[0]
            raise ParameterError("records", f"duplicate record_id {dup!r}", ["one row per record_id"])
        self.position = {rid: i for i, rid in enumerate(self.ids)}
        settings: FeatureSettings = self.options["features"]
        cache_path = self.options.get("cache_path")
        cache = FeatureCache(settings, Path(cache_path) if cache_path else None)
        X = tfidf(cache.counts_for(record_texts(records)), settings.min_df, settings.max_df)
        # keep only the hashed columns that occur: the models train much faster on them
        columns = np.unique(X.indices)
        self.X = X[:, columns].astype(np.float64).tocsr()
        terms = self.options.get("terms") or {}
        vecs = cache.vectorizers()
        self._include_terms = term_vector(vecs, terms.get("include", []), X.shape[1])[:, columns]
        self._exclude_terms = term_vector(vecs, terms.get("exclude", []), X.shape[1])[:, columns]
        self.labels: dict[str, int] = {}
        self.unknown_ids: list[str] = []
        self.sample_start: int | None = None
        self.scores = cold_start_scores(self.X, self._include_terms, self._exclude_terms)
        self.model = None

    # -- learning -------------------------------------------------------------------
    def fit(self, labels: Mapping[str, int]) -> "Ranker":
        """Learn from ``labels`` (record_id -> 1 include / 0 exclude, in screening order).

        Ids that are not among the records are ignored (listed in ``unknown_ids``).
        """
        clean: dict[str, int] = {}
        self.unknown_ids = []
        for rid, value in labels.items():
            rid = str(rid)
            if rid not in self.position:
                self.unknown_ids.append(rid)
                continue
            if value not in (0, 1):
                raise ParameterError(f"label of {rid}", value, ["1 (include)", "0 (exclude)"])
            clean[rid] = int(value)
        self.labels = clean
        rows = np.fromiter((self.position[r] for r in clean), dtype=np.int64, count=len(clean))
        y = np.fromiter(clean.values(), dtype=np.int64, count=len(clean))
        if len(set(y.tolist())) == 2:
            weights = BALANCERS[self.options["balancer"]](y, self.options["balance_ratio"])
            self.model = make_classifier(self.options["classifier"], self.seed, **self.options["classifier_params"])
            self.model.fit(self.X[rows], y, sample_weight=weights)
            self.scores = relevance_scores(self.model, self.X)
        else:
            self.model = None
            self.scores = cold_start_scores(
                self.X, self._include_terms, self._exclude_terms, rows[y == 1], rows[y == 0]
            )
        return self

    def start_random_sample(self) -> None:
        """From now on show unlabelled records in random order; the stopping test uses this sample."""
        self.sample_start = len(self.labels)

    # -- ranking --------------------------------------------------------------------
    def unlabelled_positions(self) -> np.ndarray:
        mask = np.ones(len(self.ids), dtype=bool)
        mask[[self.position[r] for r in self.labels]] = False
        return np.flatnonzero(mask)

    def rank(self) -> list[str]:
        """Unlabelled record ids, most likely relevant first (or random in a sample phase)."""
        pool = self.unlabelled_positions()
        query = "random" if self.sample_start is not None else self.options["query"]
        rng = np.random.default_rng([self.seed, len(self.labels)])
        if query == "mixed":
            order = QUERIES[query](self.scores[pool], rng, share=self.options["uncertainty_share"])
        else:
            order = QUERIES[query](self.scores[pool], rng)
        return [self.ids[i] for i in pool[order]]

    # -- stopping -------------------------------------------------------------------
    def stopping(self) -> dict:
        """The default criterion's verdict on the labels so far (see :mod:`.stopping`)."""
        seq = list(self.labels.values())
        opts = self.options
        if opts["stopping"] == "hypergeometric":
            decision = hypergeometric_test(
                seq, len(self.ids), opts["target_recall"], opts["confidence"], self.sample_start
            )
        else:
            decision = consecutive_irrelevant(seq, len(self.ids), opts["run_length"], opts["target_recall"])
        return decision.as_dict()
