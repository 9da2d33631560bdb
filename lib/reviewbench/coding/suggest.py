"""Code suggestions for free text: keyword rules first, then the trained classifier.

Output: one row per suggestion, ``id, dimension, code, confidence, rule``. A keyword
suggestion's confidence is the precision its rule had on the findings already coded
(smoothed towards 0.8 when there are few), so a rule that often misfires in this
project says so; a classifier suggestion's confidence is its probability. When both
suggest the same code, the row keeps the higher confidence and names both sources.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .classifier import CodeClassifier
from .codebook import Codebook
from .keywords import KeywordMatcher

SUGGESTION_COLUMNS = ["id", "dimension", "code", "confidence", "rule"]
PRIOR_PRECISION = 0.8
PRIOR_WEIGHT = 2.0


def keyword_precision(matcher: KeywordMatcher, training: pd.DataFrame, *, assume_population: bool = True) -> dict[tuple[str, str], float]:
    """Smoothed precision of each code's keyword rule on coded findings."""
    fired: dict[tuple[str, str], int] = {}
    right: dict[tuple[str, str], int] = {}
    for row in training.itertuples(index=False):
        suggested = matcher.codes(getattr(row, "finding"), assume_population=assume_population)
        for dim, codes in suggested.items():
            actual = getattr(row, dim, None) or []
            for code in codes:
                fired[(dim, code)] = fired.get((dim, code), 0) + 1
                right[(dim, code)] = right.get((dim, code), 0) + (code in actual)
    return {k: (right[k] + PRIOR_PRECISION * PRIOR_WEIGHT) / (fired[k] + PRIOR_WEIGHT) for k in fired}


class Suggester:
    """Keyword rules plus a classifier, both built from one codebook and coded findings."""

    def __init__(self, codebook: Codebook, training: pd.DataFrame | None = None, *, use_classifier: bool = True, threshold: float = 0.5, seed: int = 0) -> None:
        self.codebook = codebook
        self.matcher = KeywordMatcher(codebook)
        self.threshold = threshold
        training = training if training is not None else pd.DataFrame(columns=["finding"])
        self.precision = keyword_precision(self.matcher, training) if not training.empty and "finding" in training else {}
        self.classifier = CodeClassifier(codebook, seed=seed).fit(training) if use_classifier and not training.empty else None

    def suggest(self, texts: pd.DataFrame, *, assume_population: bool = False) -> pd.DataFrame:
        """Suggestions for a frame with columns ``id`` and ``text``."""
        ids = texts["id"].astype(str).tolist()
        values = texts["text"].fillna("").astype(str).tolist()
        found: dict[tuple[int, str, str], dict[str, Any]] = {}
        for i, text in enumerate(values):
            for hit in self.matcher.match(text, assume_population=assume_population):
                key = (i, hit.dimension, hit.code)
                if key in found:
                    continue
                found[key] = {"confidence": self.precision.get((hit.dimension, hit.code), PRIOR_PRECISION), "rule": [hit.rule]}
        if self.classifier is not None:
            proba = self.classifier.predict_proba(values)
            for column in proba.columns:
                dim, code = column.split(":", 1)
                for i, p in enumerate(proba[column].tolist()):
                    if p < self.threshold:
                        continue
                    entry = found.setdefault((i, dim, code), {"confidence": 0.0, "rule": []})
                    entry["confidence"] = max(entry["confidence"], p)
                    entry["rule"].append(f"classifier p={p:.2f}")
        order = {(d, c): (di, ci) for di, (d, dim) in enumerate(self.codebook.dimensions.items()) for ci, c in enumerate(dim.codes)}
        rows = [
            {"id": ids[i], "dimension": d, "code": c, "confidence": round(float(v["confidence"]), 3), "rule": "; ".join(v["rule"])}
            for (i, d, c), v in sorted(found.items(), key=lambda kv: (kv[0][0], order[(kv[0][1], kv[0][2])]))
        ]
        return pd.DataFrame(rows, columns=SUGGESTION_COLUMNS)


def suggest_codes(texts: pd.DataFrame, codebook: Codebook, training: pd.DataFrame | None = None, *, assume_population: bool = False, use_classifier: bool = True, threshold: float = 0.5) -> pd.DataFrame:
    """Suggest codes for ``texts`` (columns ``id``, ``text``); see the module docstring."""
    return Suggester(codebook, training, use_classifier=use_classifier, threshold=threshold).suggest(texts, assume_population=assume_population)
