"""The review's flow over one project, as the notebooks and the CLI use it.

``bibliography/*`` -> :func:`load_records` -> :func:`deduplicate_project` -> screening
stages -> :func:`included_records`. Each function recomputes from ``bibliography/`` and
``evidence/``; nothing here is a source of truth.
"""

from __future__ import annotations

import pandas as pd

from .dedupe import deduplicate
from .formats import ImportReport, read_files
from .project import Project


def load_records(project: Project) -> tuple[pd.DataFrame, ImportReport]:
    """Every record of every export in ``bibliography/``, in the record schema."""
    return read_files(project.bibliography_files())


def deduplicate_project(project: Project, records: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(clusters, unique records) with the project's dedup decisions re-applied.

    ``clusters`` has one row per imported record; ``unique`` one row per publication,
    whose ``record_id`` is the cluster id and whose ``member_ids`` list its records.
    """
    if records is None:
        records, _ = load_records(project)
    return deduplicate(records, decisions_path=project.dedup_decisions_file)


def to_cluster_ids(record_ids: pd.Series, clusters: pd.DataFrame) -> pd.Series:
    """Map any record id to the id of its cluster (ids not imported are kept as they are).

    Decisions are made on publications, but a log row may name any member record.
    """
    mapping = dict(zip(clusters["record_id"], clusters["cluster_id"]))
    return record_ids.map(lambda rid: mapping.get(rid, rid))


def included_records(project: Project, stage: str = "full_text") -> pd.DataFrame:
    """Unique records whose final decision at ``stage`` is ``include``."""
    from .screening.decisions import final_decisions

    clusters, unique = deduplicate_project(project)
    decisions = final_decisions(project, stage, clusters=clusters)
    included = set(to_cluster_ids(decisions.loc[decisions["decision"] == "include", "record_id"], clusters))
    return unique[unique["record_id"].isin(included)].sort_values("record_id").reset_index(drop=True)
