"""Counts for the PRISMA flow and the deduplication notebook."""

from __future__ import annotations

from typing import Mapping

import pandas as pd


#: How an export is labelled when ``searches.yml`` describes other exports but not this one.
NOT_IN_SEARCHES = " (not in searches.yml)"
SOURCE_COLUMNS = ["source", "file", "records", "publications", "shared", "only_here", "duplicates_removed"]


def _file_name(path: object) -> str:
    return str(path).replace("\\", "/").rsplit("/", 1)[-1]


def source_counts(records: pd.DataFrame, clusters: pd.DataFrame, sources: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per source, named as ``searches.yml`` names it.

    ``sources``: export file name -> the database or source that searches it
    (:meth:`reviewbench.project.Project.search_sources`); a record's source is the name
    of the file it was read from, never the database the export itself writes in its
    records (PubMed exports say ``MEDLINE``, others nothing), so each search is counted
    once under one name. An export ``sources`` does not name is its own source, labelled
    by its file name (and `` (not in searches.yml)`` when ``sources`` names others).

    Columns (:data:`SOURCE_COLUMNS`): ``source``, ``file`` (its exports, ``; ``-joined),
    ``records`` (identified), ``publications`` (distinct clusters among them), ``shared``
    (publications also found in another source), ``only_here`` and ``duplicates_removed``.
    Rows follow the order of ``sources``, then file names; a last row ``all sources``
    gives the totals.
    """
    sources = dict(sources or {})
    joined = records[["record_id", "source_file"]].merge(clusters[["record_id", "cluster_id"]], on="record_id")
    joined["file"] = joined["source_file"].map(_file_name)
    suffix = NOT_IN_SEARCHES if sources else ""
    joined["source"] = [sources.get(f) or f"{f}{suffix}" for f in joined["file"]]
    rank = {name: n for n, name in enumerate(dict.fromkeys(sources.values()))}
    sources_per_cluster = joined.groupby("cluster_id")["source"].nunique()
    rows = []
    for source, group in sorted(joined.groupby("source", sort=False), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0])):
        clusters_here = group["cluster_id"].unique()
        shared = int((sources_per_cluster.loc[clusters_here] > 1).sum())
        rows.append(
            {"source": source, "file": "; ".join(sorted(group["file"].unique())), "records": len(group),
             "publications": len(clusters_here), "shared": shared, "only_here": len(clusters_here) - shared}
        )
    total = {
        "source": "all sources",
        "file": "",
        "records": len(joined),
        "publications": joined["cluster_id"].nunique(),
        "shared": int((sources_per_cluster > 1).sum()),
        "only_here": int((sources_per_cluster == 1).sum()),
    }
    table = pd.DataFrame(rows + [total], columns=SOURCE_COLUMNS[:-1])
    table["duplicates_removed"] = table["records"] - table["publications"]
    return table


def rule_counts(clusters: pd.DataFrame) -> pd.DataFrame:
    """How many records joined a cluster by each rule (``unique`` = stayed on their own)."""
    counts = clusters["rule"].value_counts().rename_axis("rule").reset_index(name="records")
    return counts.sort_values(["records", "rule"], ascending=[False, True]).reset_index(drop=True)
