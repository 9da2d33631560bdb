"""Features: TF-IDF vectors over title, abstract and keywords.

Counts come from scikit-learn's :class:`~sklearn.feature_extraction.text.HashingVectorizer`,
which is stateless: a record's count row depends on its own text only. That is what makes
the cache incremental: rows are stored per text fingerprint, and when records are added to
a project only the new texts are vectorised. The TF-IDF weighting (sublinear term
frequency, smoothed idf, document-frequency cut-offs, L2 norm) is recomputed over the
current corpus each time, which is a cheap sparse operation.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

TEXT_COLUMNS = ("title", "abstract", "keywords")


def _text_part(value: object) -> str:
    if isinstance(value, (list, tuple, np.ndarray)):
        return " ; ".join(str(v) for v in value)
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


def record_texts(records: pd.DataFrame) -> list[str]:
    """One text per record: title, abstract and keywords joined (missing columns are skipped)."""
    columns = [c for c in TEXT_COLUMNS if c in records.columns]
    parts = [records[c].map(_text_part) for c in columns]
    if not parts:
        return [""] * len(records)
    texts = parts[0]
    for part in parts[1:]:
        texts = texts + " \n " + part
    return texts.tolist()


@dataclass(frozen=True)
class FeatureSettings:
    """What the feature matrix depends on; part of the cache key."""

    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] | None = None
    n_features: int = 2**20
    min_df: int = 1
    max_df: float = 0.95
    stop_words: str | None = None

    def key(self) -> str:
        return hashlib.sha1(repr(self).encode()).hexdigest()[:12]


def _fingerprint(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass
class FeatureCache:
    """Hashed count rows keyed by text fingerprint, optionally persisted to an ``.npz`` file."""

    settings: FeatureSettings
    path: Path | None = None
    keys: list[str] = field(default_factory=list)
    counts: sp.csr_matrix | None = None

    def __post_init__(self) -> None:
        if self.path is not None and Path(self.path).is_file():
            try:
                with np.load(self.path, allow_pickle=False) as data:
                    if str(data["settings"]) == self.settings.key():
                        self.keys = [str(k) for k in data["keys"]]
                        self.counts = sp.csr_matrix(
                            (data["data"], data["indices"], data["indptr"]),
                            shape=tuple(data["shape"]),
                        )
            except (OSError, KeyError, ValueError):
                self.keys, self.counts = [], None  # a damaged cache is rebuilt, never trusted

    def vectorizers(self) -> list[HashingVectorizer]:
        """The stateless vectorisers behind the counts (also used to vectorise search terms)."""
        s = self.settings
        vecs = [
            HashingVectorizer(
                ngram_range=s.word_ngrams,
                n_features=s.n_features,
                alternate_sign=False,
                norm=None,
                stop_words=s.stop_words,
                dtype=np.float32,
            )
        ]
        if s.char_ngrams:
            vecs.append(
                HashingVectorizer(
                    analyzer="char_wb",
                    ngram_range=s.char_ngrams,
                    n_features=s.n_features,
                    alternate_sign=False,
                    norm=None,
                    dtype=np.float32,
                )
            )
        return vecs

    def counts_for(self, texts: list[str]) -> sp.csr_matrix:
        """Count rows for ``texts`` (in order), vectorising only texts not yet cached."""
        fps = [_fingerprint(t) for t in texts]
        index = {k: i for i, k in enumerate(self.keys)}
        missing = sorted({fp: t for fp, t in zip(fps, texts) if fp not in index}.items())
        if missing:
            new_texts = [t for _, t in missing]
            new = sp.hstack([v.transform(new_texts) for v in self.vectorizers()], format="csr")
            for fp, _ in missing:
                index[fp] = len(self.keys)
                self.keys.append(fp)
            self.counts = new if self.counts is None else sp.vstack([self.counts, new], format="csr")
            self._save()
        rows = np.fromiter((index[fp] for fp in fps), dtype=np.int64, count=len(fps))
        return self.counts[rows]

    def _save(self) -> None:
        if self.path is None or self.counts is None:
            return
        path = Path(self.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez(
            tmp,
            settings=np.array(self.settings.key()),
            keys=np.array(self.keys),
            data=self.counts.data,
            indices=self.counts.indices,
            indptr=self.counts.indptr,
            shape=np.array(self.counts.shape),
        )
        tmp.replace(path)


def tfidf(counts: sp.csr_matrix, min_df: int = 1, max_df: float = 1.0) -> sp.csr_matrix:
    """Sublinear TF-IDF with L2-normalised rows; terms outside the df range get weight 0."""
    n_docs = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    keep = (df >= min_df) & (df <= max(1, max_df * n_docs))
    weighted = TfidfTransformer(sublinear_tf=True).fit_transform(counts @ sp.diags(keep.astype(np.float32)))
    weighted.eliminate_zeros()
    return weighted.tocsr().astype(np.float32)


def text_features(
    records: pd.DataFrame,
    settings: FeatureSettings | None = None,
    cache_path: str | Path | None = None,
) -> sp.csr_matrix:
    """TF-IDF matrix, one row per record in ``records`` order (cached counts when ``cache_path``)."""
    settings = settings or FeatureSettings()
    cache = FeatureCache(settings, Path(cache_path) if cache_path else None)
    counts = cache.counts_for(record_texts(records))
    return tfidf(counts, settings.min_df, settings.max_df)
