"""The ranking loop shared by the screening view and ``reviewbench simulate``.

A :class:`Ranker` holds the feature matrices of one set of records (computed once, cached
on disk when ``cache_path`` is given). Its one entry point is :meth:`Ranker.step`:
the decisions so far go in (record id -> 1/0, in the order they were made), and out comes
a :class:`Step`: the records not yet screened in the order to show them, every record's
score, and the stopping criterion's verdict with its recall estimate and interval. The
live view calls it after every decision and shows the first record of the ranking;
``simulate`` calls it the same way, revealing known labels instead of asking a person,
so the benchmark measures the loop reviewers use (ASReview's ``ActiveLearningCycle``
idea). The roles are separate pieces chosen by name: features (:mod:`.features`),
classifier (:mod:`.classifiers`), balancer (:mod:`.balancers`), query strategy
(:mod:`.queries`) and stopping criterion (:mod:`.stopping`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.stats import rankdata

from ...errors import ParameterError
from .balancers import BALANCERS
from .classifiers import CLASSIFIERS, fit_and_score
from .coldstart import cold_start_scores, term_vector
from .features import FeatureCache, FeatureSettings, record_texts, tfidf
from .queries import QUERIES
from .stopping import DEFAULT_CRITERION, SAMPLERS, STOPPERS, ScreeningHistory, StopDecision
from .stopping.importance import draw_probabilities, weighted_order

#: The model averaging the defaults use: SVMs on word 1-2 grams and on words + character
#: 3-4 grams, and naive Bayes on word 1-2 grams (chosen by ``benchmarks/screening.py``).
DEFAULT_MEMBERS: tuple[dict[str, Any], ...] = (
    {"classifier": "svm", "classifier_params": {"C": 0.1}, "features": FeatureSettings()},
    {"classifier": "svm", "classifier_params": {"C": 0.1},
     "features": FeatureSettings(word_ngrams=(1, 1), char_ngrams=(3, 4))},
    {"classifier": "nb", "classifier_params": {}, "features": FeatureSettings()},
)

#: Defaults chosen by ``benchmarks/screening.py`` (see the package docstring).
DEFAULTS: dict[str, Any] = {
    "classifier": "svm",
    "classifier_params": {},
    "features": FeatureSettings(),
    "members": DEFAULT_MEMBERS,
    "balancer": "balanced",
    "balance_ratio": 10.0,
    "undersample": None,
    "presumed_negatives": 0,
    "query": "max",
    "uncertainty_share": 0.0,
    "stopping": DEFAULT_CRITERION,
    "stopping_params": {},
    "target_recall": 0.95,
    "confidence": 0.95,
    "run_length": None,
}
EXTRA_OPTIONS = ("cache_path", "terms")


@dataclass(frozen=True)
class Step:
    """What one turn of the loop gives back after the decisions so far.

    ``ranking``: the ids of the records not yet screened, in the order to show them.
    ``scores``: one relevance score per record, in the order of the records given to the
    :class:`Ranker`. ``stop``: the stopping criterion's verdict. ``fitted``: whether a model
    was trained (False while only one class has been seen: cold-start scores).
    """

    ranking: list[str]
    scores: np.ndarray
    stop: StopDecision
    fitted: bool


def _check_choice(name: str, value: str, valid: Mapping) -> None:
    if value not in valid:
        raise ParameterError(name, value, sorted(valid))


class Ranker:
    """Rank unlabelled records by likely relevance and judge when screening may stop.

    ``records`` needs ``record_id`` and at least one of ``title``, ``abstract``,
    ``keywords``. Options (all keyword): ``classifier`` (see :data:`CLASSIFIERS`),
    ``classifier_params``, ``features`` (a :class:`FeatureSettings`), ``members`` (model
    averaging: a tuple of ``{"classifier", "classifier_params", "features"}`` dicts whose
    within-set rank scores are averaged; the default is :data:`DEFAULT_MEMBERS`; giving
    ``classifier``, ``classifier_params`` or ``features`` alone asks for that single model),
    ``balancer`` (``balanced``/``none``), ``balance_ratio``, ``undersample`` (keep this
    many exclusions per inclusion, drawn afresh each fit), ``presumed_negatives`` (add this
    many random unscreened records as exclusions to each fit), ``query`` (``max``,
    ``mixed``, ``random``), ``uncertainty_share`` (for ``mixed``), ``cache_path`` (an
    ``.npz`` file for the hashed counts, e.g. in the project cache), ``terms``
    (``{"include": [...], "exclude": [...]}`` for the cold start), ``stopping`` (a name in
    :data:`STOPPERS`), ``stopping_params``, ``target_recall``, ``confidence``,
    ``run_length`` (for ``consecutive_irrelevant``).
    """

    def __init__(self, records: pd.DataFrame, seed: int = 0, **options: Any) -> None:
        unknown = sorted(set(options) - set(DEFAULTS) - set(EXTRA_OPTIONS))
        if unknown:
            raise ParameterError(unknown[0], options[unknown[0]], sorted(set(DEFAULTS) | set(EXTRA_OPTIONS)))
        if "members" not in options and {"classifier", "classifier_params", "features"} & set(options):
            options = {**options, "members": None}  # a single model asked for by name
        self.options = {**DEFAULTS, **options}
        self.members = self._members(self.options)
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
        self._id_array = np.array(self.ids, dtype=object)
        self._labelled_rows = np.zeros(0, dtype=np.int64)
        texts = record_texts(records)
        self._matrices: dict[FeatureSettings, sp.csr_matrix] = {}
        cache_path = self.options.get("cache_path")
        for settings in dict.fromkeys(m["features"] for m in self.members):
            self._matrices[settings] = self._features(settings, texts, cache_path, first=not self._matrices)
        self.X = self._matrices[self.members[0]["features"]]
        self.labels: dict[str, int] = {}
        self.unknown_ids: list[str] = []
        self.sample_start: int | None = None
        self.scores = cold_start_scores(self.X, self._include_terms, self._exclude_terms)
        self.model = None
        self._shown: dict[str, float] = {}
        self._draw_frame: tuple[int, np.ndarray] | None = None  # (sample start, draw weight per record)

    @staticmethod
    def _members(options: Mapping[str, Any]) -> list[dict[str, Any]]:
        members = options["members"] or (
            {"classifier": options["classifier"], "classifier_params": options["classifier_params"],
             "features": options["features"]},
        )
        out = []
        for m in members:
            m = {"classifier_params": {}, "features": FeatureSettings(), **m}
            _check_choice("classifier", m["classifier"], CLASSIFIERS)
            out.append(m)
        return out

    def _features(self, settings: FeatureSettings, texts: list[str], cache_path: Any, first: bool) -> sp.csr_matrix:
        path = None
        if cache_path:
            path = Path(cache_path)
            if not first:  # one count cache per feature setting
                path = path.with_name(f"{path.stem}-{settings.key()}{path.suffix}")
        cache = FeatureCache(settings, path)
        X = tfidf(cache.counts_for(texts), settings.min_df, settings.max_df)
        # keep only the hashed columns that occur: the models train much faster on them
        columns = np.unique(X.indices)
        if first:
            terms = self.options.get("terms") or {}
            vecs = cache.vectorizers()
            self._include_terms = term_vector(vecs, terms.get("include", []), X.shape[1])[:, columns]
            self._exclude_terms = term_vector(vecs, terms.get("exclude", []), X.shape[1])[:, columns]
        return X[:, columns].tocsr()  # float32: half the memory; training rows are cast when fitted

    # -- the loop -------------------------------------------------------------------
    def step(self, labels: Mapping[str, int], sample_start: int | None = None) -> Step:
        """One turn of the loop: learn from ``labels`` (in decision order), rank, judge.

        ``sample_start``: the number of decisions after which the reviewer began a sample
        for the stopping test, or ``None``. In a sample the model is not refitted: records
        are shown in random order, or, for a criterion with its own draw weights
        (:data:`SAMPLERS`, e.g. ``importance``), drawn with those weights from the ranking
        frozen when the sample began. A ranker opened in the middle of a sample refits once
        on the decisions made before it, which gives that frozen ranking again.
        """
        self.sample_start = None if sample_start is None else min(int(sample_start), len(labels))
        if self.sample_start is not None and self.model is not None:
            self._set_labels(labels)  # a sample's order does not depend on a newer model: no refit
        elif self.sample_start is not None and 0 < self.sample_start < len(labels):
            before = dict(list(labels.items())[: self.sample_start])
            self.fit(before)
            self._set_labels(labels)
        else:
            self.fit(labels)
        self._freeze_draw_frame()
        return Step(self.rank(), self.scores, self.stop_decision(), self.model is not None)

    def _sampler(self):
        return SAMPLERS.get(self.options["stopping"])

    def _freeze_draw_frame(self) -> None:
        """At the start of a sample, the draw weight of every record left (criteria with their own sampler)."""
        start, sampler = self.sample_start, self._sampler()
        if start is None or sampler is None:
            self._draw_frame = None
            return
        if self._draw_frame is not None and self._draw_frame[0] == start:
            return
        screened_before = self._labelled_rows[:start]
        mask = np.ones(len(self.ids), dtype=bool)
        mask[screened_before] = False
        frame = np.flatnonzero(mask)
        params = {k: v for k, v in self.options["stopping_params"].items() if k in ("power", "floor")}
        weights = np.zeros(len(self.ids))
        weights[frame] = sampler(self.scores[frame], **params)
        self._draw_frame = (start, weights)

    # -- learning -------------------------------------------------------------------
    def fit(self, labels: Mapping[str, int]) -> "Ranker":
        """Learn from ``labels`` (record_id -> 1 include / 0 exclude, in screening order).

        Ids that are not among the records are ignored (listed in ``unknown_ids``).
        """
        rows, y = self._set_labels(labels)
        if len(set(y.tolist())) == 2:
            rows, y = self._training_set(rows, y)
            weights = BALANCERS[self.options["balancer"]](y, self.options["balance_ratio"])
            fitted, scores = [], []
            for m in self.members:
                model, score = fit_and_score(m["classifier"], self.seed, m["classifier_params"],
                                             self._matrices[m["features"]], rows, y, weights)
                fitted.append(model)
                scores.append(score)
            self.model = fitted[0] if len(fitted) == 1 else fitted
            self.scores = scores[0] if len(scores) == 1 else np.mean([rankdata(s) for s in scores], axis=0) / len(self.ids)
        else:
            self.model = None
            self.scores = cold_start_scores(
                self.X, self._include_terms, self._exclude_terms, rows[y == 1], rows[y == 0]
            )
        return self

    def _set_labels(self, labels: Mapping[str, int]) -> tuple[np.ndarray, np.ndarray]:
        """Check and keep ``labels``; their rows and values, in decision order."""
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
        # the score each newly labelled record had when it was shown (for the score model)
        fitted_before = self.model is not None
        for rid in clean:
            if rid not in self._shown:
                self._shown[rid] = float(self.scores[self.position[rid]]) if fitted_before else np.nan
        self.labels = clean
        rows = np.fromiter((self.position[r] for r in clean), dtype=np.int64, count=len(clean))
        self._labelled_rows = rows
        return rows, np.fromiter(clean.values(), dtype=np.int64, count=len(clean))

    def _training_set(self, rows: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The labelled rows, undersampled and with presumed exclusions where the options say so."""
        rng = np.random.default_rng([self.seed, len(rows), 17])
        keep = self.options["undersample"]
        if keep:
            neg = np.flatnonzero(y == 0)
            n_keep = int(min(len(neg), max(keep * (y == 1).sum(), 20)))
            chosen = np.sort(np.concatenate([np.flatnonzero(y == 1), rng.choice(neg, n_keep, replace=False)]))
            rows, y = rows[chosen], y[chosen]
        extra = int(self.options["presumed_negatives"])
        if extra:
            pool = self.unlabelled_positions()
            picked = rng.choice(pool, min(extra, len(pool)), replace=False) if len(pool) else pool
            rows = np.concatenate([rows, picked])
            y = np.concatenate([y, np.zeros(len(picked), dtype=y.dtype)])
        return rows, y

    def start_random_sample(self) -> None:
        """From now on show unlabelled records in random order; the stopping test uses this sample."""
        self.sample_start = len(self.labels)

    # -- ranking --------------------------------------------------------------------
    def unlabelled_positions(self) -> np.ndarray:
        mask = np.ones(len(self.ids), dtype=bool)
        mask[self._labelled_rows] = False
        return np.flatnonzero(mask)

    def rank(self) -> list[str]:
        """Unlabelled record ids, most likely relevant first (or drawn, in a sample phase).

        With draw weights the order is a weighted draw (:func:`.stopping.importance.weighted_order`):
        the first record is drawn with probability ``w / sum(w)`` over the records left.
        """
        pool = self.unlabelled_positions()
        rng = np.random.default_rng([self.seed, len(self.labels)])
        if self.sample_start is not None and self._draw_frame is not None:
            return self._id_array[pool[weighted_order(self._draw_frame[1][pool], rng)]].tolist()
        query = "random" if self.sample_start is not None else self.options["query"]
        if query == "mixed":
            order = QUERIES[query](self.scores[pool], rng, share=self.options["uncertainty_share"])
        else:
            order = QUERIES[query](self.scores[pool], rng)
        return self._id_array[pool[order]].tolist()

    # -- stopping -------------------------------------------------------------------
    def history(self) -> ScreeningHistory:
        """The screening so far as the stopping criteria see it."""
        labels = np.fromiter(self.labels.values(), dtype=np.int64, count=len(self.labels))
        shown = np.fromiter((self._shown.get(r, np.nan) for r in self.labels), dtype=float, count=len(self.labels))
        draw_probs = None
        if self._draw_frame is not None and self.sample_start is not None:
            draw_probs = np.full(len(labels), np.nan)
            drawn = self._labelled_rows[self.sample_start:]
            draw_probs[self.sample_start:] = draw_probabilities(self._draw_frame[1][drawn])
        return ScreeningHistory(
            labels, len(self.ids), sample_start=self.sample_start,
            pool_scores=self.scores[self.unlabelled_positions()] if self.model is not None else None,
            shown_scores=shown, draw_probs=draw_probs,
        )

    def criterion_params(self, name: str) -> dict[str, Any]:
        """The options criterion ``name`` is judged with (``stopping_params`` for the configured one)."""
        opts = self.options
        params = dict(opts["stopping_params"]) if name == opts["stopping"] else {}
        if name == "consecutive_irrelevant" and opts["run_length"]:
            params.setdefault("run_length", opts["run_length"])
        return params

    def stop_decision(self) -> StopDecision:
        """The configured criterion's verdict on the labels so far (see :mod:`.stopping`)."""
        opts = self.options
        return STOPPERS[opts["stopping"]](self.history(), opts["target_recall"], opts["confidence"],
                                          **self.criterion_params(opts["stopping"]))

    def stopping(self) -> dict:
        """:meth:`stop_decision` as a dict (``criterion``, ``stop``, ``estimated_recall``, ...)."""
        return self.stop_decision().as_dict()
