"""A multi-label classifier trained on the findings already coded.

One TF-IDF representation of the finding text (words and word pairs) is shared by
one logistic regression per code (one-vs-rest, balanced class weights, fixed seed).
A code is learned only when it has at least ``min_examples`` positive and negative
findings; others are left to the keyword rules. Probabilities are what the coder
sees as the suggestion's confidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from .codebook import Codebook


@dataclass
class CodeClassifier:
    """Per-code logistic regressions over TF-IDF features of finding texts."""

    codebook: Codebook
    min_examples: int = 3
    C: float = 4.0
    seed: int = 0
    models: dict[tuple[str, str], LogisticRegression] = field(default_factory=dict)
    vectorizer: TfidfVectorizer | None = None

    def fit(self, findings: pd.DataFrame, text_column: str = "finding") -> "CodeClassifier":
        """Learn from coded findings (a dimension column holds a list of codes per row)."""
        self.models = {}
        texts = findings[text_column].fillna("").astype(str).tolist()
        if len(texts) < 2 * self.min_examples:
            self.vectorizer = None
            return self
        self.vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1, strip_accents="unicode")
        X = self.vectorizer.fit_transform(texts)
        for name, dim in self.codebook.dimensions.items():
            if name not in findings.columns:
                continue
            labels = findings[name].tolist()
            for code in dim.codes:
                y = np.array([code in (codes or []) for codes in labels], dtype=int)
                if y.sum() < self.min_examples or (len(y) - y.sum()) < self.min_examples:
                    continue
                model = LogisticRegression(C=self.C, class_weight="balanced", solver="liblinear", random_state=self.seed)
                model.fit(X, y)
                self.models[(name, code)] = model
        return self

    @property
    def codes(self) -> list[tuple[str, str]]:
        """(dimension, code) pairs the classifier has learned."""
        return list(self.models)

    def predict_proba(self, texts: Sequence[str]) -> pd.DataFrame:
        """Probability of each learned code per text: one column per ``dimension:code``."""
        if self.vectorizer is None or not self.models:
            return pd.DataFrame(index=range(len(texts)))
        X = self.vectorizer.transform([t if isinstance(t, str) else "" for t in texts])
        return pd.DataFrame({f"{d}:{c}": m.predict_proba(X)[:, 1] for (d, c), m in self.models.items()})
