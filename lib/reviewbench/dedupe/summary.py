"""Counts for the PRISMA flow and the deduplication notebook."""

from __future__ import annotations

import pandas as pd


def source_counts(records: pd.DataFrame, clusters: pd.DataFrame) -> pd.DataFrame:
    """One row per source (``source_db``, or the file name where it is empty).

    Columns: ``source``, ``records`` (identified), ``publications`` (distinct clusters
    among them), ``shared`` (publications also found in another source) and ``only_here``.
    A last row ``all sources`` gives the totals and the duplicates removed.
    """
    joined = records[["record_id", "source_db", "source_file"]].merge(clusters[["record_id", "cluster_id"]], on="record_id")
    joined["source"] = [db if isinstance(db, str) and db else f for db, f in zip(joined["source_db"], joined["source_file"])]
    sources_per_cluster = joined.groupby("cluster_id")["source"].nunique()
    rows = []
    for source, group in joined.groupby("source", sort=True):
        clusters_here = group["cluster_id"].unique()
        shared = int((sources_per_cluster.loc[clusters_here] > 1).sum())
        rows.append(
            {"source": source, "records": len(group), "publications": len(clusters_here), "shared": shared,
             "only_here": len(clusters_here) - shared}
        )
    total = {
        "source": "all sources",
        "records": len(joined),
        "publications": joined["cluster_id"].nunique(),
        "shared": int((sources_per_cluster > 1).sum()),
        "only_here": int((sources_per_cluster == 1).sum()),
    }
    table = pd.DataFrame(rows + [total], columns=["source", "records", "publications", "shared", "only_here"])
    table["duplicates_removed"] = table["records"] - table["publications"]
    return table


def rule_counts(clusters: pd.DataFrame) -> pd.DataFrame:
    """How many records joined a cluster by each rule (``unique`` = stayed on their own)."""
    counts = clusters["rule"].value_counts().rename_axis("rule").reset_index(name="records")
    return counts.sort_values(["records", "rule"], ascending=[False, True]).reset_index(drop=True)
