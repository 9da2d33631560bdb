"""Find records that are the same publication.

``deduplicate(records, decisions_path)`` returns ``(clusters, merged)``:
``find_duplicates(records, decisions)`` gives one row per input record with its
``cluster_id`` and the evidence of the link (``rule``, ``score``, ``evidence``);
``merge_clusters`` builds one merged record per cluster, keeping every source record
and database. ``link_records`` exposes every compared pair, and ``review_queue`` the
uncertain pairs a person should look at (decisions go to ``evidence/dedup/decisions.csv``).
"""

from __future__ import annotations

from .clusters import CLUSTER_COLUMNS, Deduplication, deduplicate, find_duplicates, link_records, merge_clusters
from .decisions import DECISION_COLUMNS, read_decisions, record_decisions
from .review import DedupReviewApp, pair_html, pair_table, review_queue, review_widget
from .summary import rule_counts, source_counts

__all__ = [
    "CLUSTER_COLUMNS",
    "DECISION_COLUMNS",
    "DedupReviewApp",
    "Deduplication",
    "deduplicate",
    "find_duplicates",
    "link_records",
    "merge_clusters",
    "pair_html",
    "pair_table",
    "read_decisions",
    "record_decisions",
    "review_queue",
    "review_widget",
    "rule_counts",
    "source_counts",
]
