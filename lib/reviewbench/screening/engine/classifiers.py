"""Classifiers: scikit-learn models that score records by likely relevance.

Each entry of :data:`CLASSIFIERS` builds a fresh estimator from a seed and keyword
parameters. :func:`relevance_scores` returns one number per row, larger meaning more
likely relevant (a decision function or a log-odds; only the order matters for ranking,
except in the ensemble, which averages ranks so the members' scales do not matter).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import scipy.sparse as sp
from scipy.stats import rankdata
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.naive_bayes import ComplementNB, MultinomialNB
from sklearn.svm import LinearSVC


class RankEnsemble(ClassifierMixin, BaseEstimator):
    """Average of the members' within-corpus rank scores (robust to different scales)."""

    def __init__(self, members: list[BaseEstimator] | None = None) -> None:
        self.members = members

    def fit(self, X: sp.csr_matrix, y: np.ndarray, sample_weight: np.ndarray | None = None) -> "RankEnsemble":
        self.fitted_ = [clone(m).fit(X, y, sample_weight=sample_weight) for m in self.members or []]
        self.classes_ = np.unique(y)
        return self

    def decision_function(self, X: sp.csr_matrix) -> np.ndarray:
        ranks = [rankdata(relevance_scores(m, X)) for m in self.fitted_]
        return np.mean(ranks, axis=0) / X.shape[0]


def _logistic(seed: int, C: float = 1.0, **kw: Any) -> BaseEstimator:
    return LogisticRegression(C=C, solver="liblinear", random_state=seed, **kw)


def _svm(seed: int, C: float = 0.1, **kw: Any) -> BaseEstimator:
    return LinearSVC(C=C, loss="squared_hinge", random_state=seed, **kw)


def _sgd(seed: int, alpha: float = 1e-4, **kw: Any) -> BaseEstimator:
    return SGDClassifier(loss="modified_huber", alpha=alpha, random_state=seed, **kw)


def _nb(seed: int, alpha: float = 3.8, **kw: Any) -> BaseEstimator:
    return MultinomialNB(alpha=alpha, **kw)


def _cnb(seed: int, alpha: float = 1.0, **kw: Any) -> BaseEstimator:
    return ComplementNB(alpha=alpha, **kw)


def _ensemble(seed: int, C: float = 0.1, alpha: float = 3.8, **kw: Any) -> BaseEstimator:
    return RankEnsemble([_svm(seed, C=C), _nb(seed, alpha=alpha)])


CLASSIFIERS: dict[str, Callable[..., BaseEstimator]] = {
    "logistic": _logistic,
    "svm": _svm,
    "sgd": _sgd,
    "nb": _nb,
    "cnb": _cnb,
    "ensemble": _ensemble,
}


def make_classifier(name: str, seed: int = 0, **params: Any) -> BaseEstimator:
    """A fresh estimator by registry name (see :data:`CLASSIFIERS`)."""
    return CLASSIFIERS[name](seed, **params)


#: Models whose weight on a feature absent from every training row is exactly 0 (L2-regularised
#: linear models), so they can be fitted on the training rows' own columns only: the same
#: solution, found faster. Naive Bayes is not among them (its smoothing spans every feature).
FIT_ON_TRAINING_COLUMNS = {"svm", "logistic", "sgd"}


def linear_form(model: BaseEstimator) -> tuple[np.ndarray, float] | None:
    """``(w, b)`` with relevance ``X @ w + b`` for the linear models (None for the others).

    The SVM, logistic and SGD models are linear by construction; for the naive Bayes models
    the log-odds of inclusion is linear in the counts too, ``X @ (log p1 - log p0) + prior``.
    Scoring through this form works in the matrix's own precision (float32), so the feature
    matrix is never copied to float64.
    """
    if hasattr(model, "coef_") and getattr(model, "coef_", None) is not None and model.coef_.shape[0] == 1:
        return np.asarray(model.coef_[0], dtype=float), float(np.ravel(model.intercept_)[0])
    if isinstance(model, (MultinomialNB, ComplementNB)) and len(model.classes_) == 2:
        w = model.feature_log_prob_[1] - model.feature_log_prob_[0]
        b = 0.0 if isinstance(model, ComplementNB) else float(model.class_log_prior_[1] - model.class_log_prior_[0])
        return np.asarray(w, dtype=float), b
    return None


def linear_scores(X: sp.csr_matrix, w: np.ndarray, b: float) -> np.ndarray:
    """``X @ w + b`` in the matrix's precision, returned as float64."""
    return np.asarray(X @ w.astype(X.dtype), dtype=float).ravel() + b


def fit_and_score(name: str, seed: int, params: dict, X: sp.csr_matrix, rows: np.ndarray, y: np.ndarray,
                  weights: np.ndarray) -> tuple[BaseEstimator, np.ndarray]:
    """Fit registry model ``name`` on ``X[rows]``; return it and every row's relevance score."""
    model = make_classifier(name, seed, **params)
    train = X[rows]
    if name in FIT_ON_TRAINING_COLUMNS:
        columns, local = np.unique(train.indices, return_inverse=True)
        compact = sp.csr_matrix((train.data.astype(np.float64), local.ravel(), train.indptr),
                                shape=(train.shape[0], len(columns)))
        model.fit(compact, y, sample_weight=weights)
        w, b = linear_form(model)
        full = np.zeros(X.shape[1])
        full[columns] = w
        return model, linear_scores(X, full, b)
    model.fit(train.astype(np.float64), y, sample_weight=weights)
    return model, relevance_scores(model, X)


def relevance_scores(model: BaseEstimator, X: sp.csr_matrix) -> np.ndarray:
    """Larger is more likely relevant."""
    form = linear_form(model)
    if form is not None:
        return linear_scores(X, *form)
    if hasattr(model, "decision_function"):
        return np.asarray(model.decision_function(X), dtype=float).ravel()
    log_proba = model.predict_log_proba(X)
    return log_proba[:, 1] - log_proba[:, 0]
