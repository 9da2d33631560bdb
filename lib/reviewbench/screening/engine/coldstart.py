"""Cold start: a ranking before the model has both an inclusion and an exclusion.

The score of a record is its TF-IDF overlap with a query vector built from what is known:
the include terms of ``review.yml`` (plus), the exclude terms (minus), and the mean vector
of records already labelled included (plus) or excluded (minus). With nothing at all,
every score is 0 and records keep their input order.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize


def term_vector(vectorizers: Iterable, terms: Iterable[str], n_columns: int) -> sp.csr_matrix:
    """A 1-row vector marking every n-gram of the given terms (phrases allowed)."""
    terms = [t for t in terms if t and str(t).strip()]
    if not terms:
        return sp.csr_matrix((1, n_columns), dtype=np.float32)
    rows = sp.hstack([v.transform(terms) for v in vectorizers], format="csr")
    vec = sp.csr_matrix(rows.sum(axis=0))
    vec.data[:] = 1.0
    return vec


def cold_start_scores(
    X: sp.csr_matrix,
    include_terms: sp.csr_matrix | None = None,
    exclude_terms: sp.csr_matrix | None = None,
    included_rows: np.ndarray | None = None,
    excluded_rows: np.ndarray | None = None,
) -> np.ndarray:
    """Similarity of every row of ``X`` to what is known to be relevant minus irrelevant."""
    query = sp.csr_matrix((1, X.shape[1]), dtype=np.float32)
    if include_terms is not None and include_terms.nnz:
        query = query + normalize(include_terms)
    if exclude_terms is not None and exclude_terms.nnz:
        query = query - normalize(exclude_terms)
    if included_rows is not None and len(included_rows):
        query = query + normalize(sp.csr_matrix(X[included_rows].mean(axis=0)))
    if excluded_rows is not None and len(excluded_rows):
        query = query - normalize(sp.csr_matrix(X[excluded_rows].mean(axis=0)))
    return np.asarray((X @ query.T).todense()).ravel()
