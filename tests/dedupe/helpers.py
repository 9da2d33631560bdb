"""Build small record tables for deduplication tests."""

from __future__ import annotations

from typing import Any

import pandas as pd

from reviewbench.schema import conform


def make_records(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Records in the schema; ``record_id`` defaults to ``r1``, ``r2`` ... in row order."""
    filled = []
    for n, row in enumerate(rows, start=1):
        row = dict(row)
        row.setdefault("record_id", f"r{n}")
        row.setdefault("source_file", "test.ris")
        filled.append(row)
    return conform(pd.DataFrame(filled))


def cluster_of(clusters: pd.DataFrame) -> dict[str, str]:
    return dict(zip(clusters["record_id"], clusters["cluster_id"]))


def partition(clusters: pd.DataFrame) -> set[frozenset[str]]:
    """Clusters as a set of sets of record ids (independent of cluster naming and order)."""
    return {frozenset(g["record_id"]) for _, g in clusters.groupby("cluster_id")}
