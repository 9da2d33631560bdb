"""The records to screen at each stage.

Title/abstract screening sees every unique publication (one row per dedup cluster,
``record_id`` = cluster id). Full-text assessment sees those whose final title/abstract
decision is ``include`` or ``maybe``.
"""

from __future__ import annotations

import pandas as pd

from ..project import Project
from .criteria import check_stage
from .decisions import final_decisions

FORWARD = ("include", "maybe")


def screening_records(project: Project, stage: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(records, clusters)`` for ``stage``: unique records to screen in file order, and
    the dedup clusters (``record_id, cluster_id``) that map any log's record id to them."""
    from ..pipeline import deduplicate_project

    check_stage(stage)
    clusters, unique = deduplicate_project(project)
    if stage == "full_text":
        ta = final_decisions(project, "title_abstract", clusters=clusters)
        keep = set(ta.loc[ta["decision"].isin(FORWARD), "record_id"])
        unique = unique[unique["record_id"].isin(keep)]
    return in_file_order(unique, clusters), clusters


def in_file_order(unique: pd.DataFrame, clusters: pd.DataFrame) -> pd.DataFrame:
    """Unique records in the order their first member was imported (files, then rows)."""
    first_seen = {cid: i for i, cid in reversed(list(enumerate(clusters["cluster_id"].astype(str))))}
    position = unique["record_id"].astype(str).map(lambda rid: first_seen.get(rid, len(first_seen)))
    return unique.assign(_pos=position).sort_values("_pos", kind="stable").drop(columns="_pos").reset_index(drop=True)
