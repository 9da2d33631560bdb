"""Thin first version: exact DOI or exact normalised title (+ year +/- 1) links, union-find clusters."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pandas as pd

CLUSTER_COLUMNS = ["record_id", "cluster_id", "source_file", "rule", "score", "matched_record_id"]


def normalise_title(title: str) -> str:
    """Lower case, accents folded, punctuation and white space removed."""
    text = unicodedata.normalize("NFKD", str(title or ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^0-9a-z]+", "", text)


class _UnionFind:
    def __init__(self, items: list[str]) -> None:
        self.parent = {i: i for i in items}

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller id becomes the root, so cluster ids do not depend on input order.
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


def find_duplicates(records: pd.DataFrame) -> pd.DataFrame:
    """One row per record: ``record_id, cluster_id, source_file, rule, score, matched_record_id``.

    ``cluster_id`` is the smallest record id in the cluster; ``rule`` says why the record
    joined it (``doi``, ``title_year``) or ``unique``.
    """
    ids = records["record_id"].tolist()
    uf = _UnionFind(ids)
    evidence: dict[str, tuple[str, float, str]] = {}
    ordered = records.sort_values("record_id")
    for rule, keys in (
        ("doi", ordered["doi"].fillna("")),
        ("title_year", ordered["title"].map(normalise_title)),
    ):
        first_seen: dict[Any, str] = {}
        for rid, key, year in zip(ordered["record_id"], keys, ordered["year"]):
            if not key or (rule == "title_year" and len(key) < 20):
                continue
            match = first_seen.get(key)
            if match is None:
                first_seen[key] = rid
                continue
            if rule == "title_year":
                other = records.loc[records["record_id"] == match, "year"].iloc[0]
                if pd.notna(year) and pd.notna(other) and abs(int(year) - int(other)) > 1:
                    continue
            if uf.find(rid) != uf.find(match):
                uf.union(rid, match)
                evidence.setdefault(rid, (rule, 1.0, match))
    out = pd.DataFrame(
        {
            "record_id": ids,
            "cluster_id": [uf.find(r) for r in ids],
            "source_file": records["source_file"].tolist(),
            "rule": [evidence.get(r, ("unique", 1.0, ""))[0] for r in ids],
            "score": [evidence.get(r, ("unique", 1.0, ""))[1] for r in ids],
            "matched_record_id": [evidence.get(r, ("unique", 1.0, ""))[2] for r in ids],
        }
    )
    return out[CLUSTER_COLUMNS]


def merge_clusters(records: pd.DataFrame, clusters: pd.DataFrame) -> pd.DataFrame:
    """One record per cluster: the most complete value of each field, plus provenance.

    Adds ``cluster_id``, ``member_ids`` (list) and ``source_dbs`` (sorted list of
    ``source_file``/``source_db`` labels), so PRISMA can count records per database.
    """
    joined = records.merge(clusters[["record_id", "cluster_id"]], on="record_id")
    rows = []
    for cluster_id, group in joined.sort_values("record_id").groupby("cluster_id", sort=True):
        merged: dict[str, Any] = {}
        for col in records.columns:
            values = [v for v in group[col] if _filled(v)]
            merged[col] = max(values, key=_completeness) if values else group[col].iloc[0]
        merged["record_id"] = cluster_id
        merged["cluster_id"] = cluster_id
        merged["member_ids"] = sorted(group["record_id"])
        merged["source_dbs"] = sorted({db or f for db, f in zip(group["source_db"], group["source_file"])})
        rows.append(merged)
    return pd.DataFrame(rows).reset_index(drop=True)


def _filled(value: object) -> bool:
    if value is None or value is pd.NA:
        return False
    if isinstance(value, float) and pd.isna(value):
        return False
    if isinstance(value, (list, dict, str)):
        return len(value) > 0
    return True


def _completeness(value: object) -> tuple[int, str]:
    size = len(value) if isinstance(value, (list, dict, str)) else 1
    return (size, str(value))
