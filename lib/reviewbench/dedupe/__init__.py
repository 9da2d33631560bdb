"""Find records that are the same publication.

``find_duplicates(records)`` returns one row per input record with its ``cluster_id``
and the evidence of the link (``rule``, ``score``). ``merge_clusters`` builds one
merged record per cluster, keeping every source record and database.
"""

from __future__ import annotations

from .clusters import find_duplicates, merge_clusters

__all__ = ["find_duplicates", "merge_clusters"]
