"""The review's flow over one project: the only place that chains its steps.

``bibliography/*`` -> :func:`load_records` -> :func:`deduplicate_project` ->
:func:`screening_records` (what each stage screens) -> :func:`publication_decisions`
(each stage's final decisions, per publication) -> :func:`included_records` -> coded
evidence. :func:`review_inputs` runs the whole chain for the evidence outputs
(:mod:`reviewbench.outputs.review_data`). Each function recomputes from ``bibliography/``
and ``evidence/``; nothing here is a source of truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from .coding.codebook import Codebook, load_codebook
from .coding.coded import coded_findings, study_characteristics
from .dedupe import deduplicate
from .errors import ProjectError
from .formats import ImportReport, read_files
from .project import SCREENING_STAGES, Project
from .screening.criteria import check_stage
from .screening.decisions import FINAL_COLUMNS, FORWARD, SCREENING_COLUMNS, all_log_rows, final_decisions
from .screening.stopping_log import current_stops


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


def in_file_order(unique: pd.DataFrame, clusters: pd.DataFrame) -> pd.DataFrame:
    """Unique records in the order their first member was imported (files, then rows)."""
    first_seen = {cid: i for i, cid in reversed(list(enumerate(clusters["cluster_id"].astype(str))))}
    position = unique["record_id"].astype(str).map(lambda rid: first_seen.get(rid, len(first_seen)))
    return unique.assign(_pos=position).sort_values("_pos", kind="stable").drop(columns="_pos").reset_index(drop=True)


def screening_records(project: Project, stage: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(records, clusters)`` for ``stage``: unique records to screen in file order, and
    the dedup clusters (``record_id, cluster_id``) that map any log's record id to them.

    Title/abstract screening sees every unique publication (one row per dedup cluster,
    ``record_id`` = cluster id). Full-text assessment sees those whose final
    title/abstract decision is ``include`` or ``maybe``.
    """
    check_stage(stage)
    clusters, unique = deduplicate_project(project)
    if stage == "full_text":
        ta = final_decisions(project, "title_abstract", clusters=clusters)
        keep = set(ta.loc[ta["decision"].isin(FORWARD), "record_id"])
        unique = unique[unique["record_id"].isin(keep)]
    return in_file_order(unique, clusters), clusters


def publication_decisions(project: Project, stage: str, clusters: pd.DataFrame) -> pd.DataFrame:
    """The final decisions at ``stage`` per publication: ``record_id`` (the cluster id),
    ``decision``, ``reason``, ``retrieval`` (see
    :func:`~reviewbench.screening.decisions.final_decisions`).

    Two member records of one publication decided differently stay visible as a
    ``conflict``; otherwise the last member's row stands for the publication.
    """
    out = final_decisions(project, stage).copy()
    for col in FINAL_COLUMNS:
        if col not in out.columns:
            out[col] = ""
    out = out[FINAL_COLUMNS].fillna("").astype(str)
    out["record_id"] = to_cluster_ids(out["record_id"], clusters)
    rows = []
    for _rid, group in out.groupby("record_id", sort=True):
        decisions = set(group["decision"])
        row = group.iloc[-1].to_dict()
        if len(decisions) > 1:
            row["decision"] = "conflict"
        rows.append(row)
    return pd.DataFrame(rows, columns=FINAL_COLUMNS)


def included(unique: pd.DataFrame, decisions: pd.DataFrame | None) -> pd.DataFrame:
    """The unique records whose decision in ``decisions`` (per publication) is ``include``,
    sorted by record id."""
    ids = set() if decisions is None or decisions.empty else set(decisions.loc[decisions["decision"] == "include", "record_id"])
    return unique[unique["record_id"].isin(ids)].sort_values("record_id").reset_index(drop=True)


def included_records(project: Project, stage: str = "full_text") -> pd.DataFrame:
    """Unique records whose final decision at ``stage`` is ``include``."""
    clusters, unique = deduplicate_project(project)
    return included(unique, publication_decisions(project, stage, clusters[["record_id", "cluster_id"]]))


def screening_log(project: Project, stage: str = "title_abstract") -> pd.DataFrame:
    """Every reviewer's log rows at ``stage`` in the six common columns (for progress plots)."""
    rows = all_log_rows(project, stage)
    return rows[SCREENING_COLUMNS] if not rows.empty else pd.DataFrame(columns=SCREENING_COLUMNS)


@dataclass
class ReviewInputs:
    """What every evidence output is computed from, linked by publication (cluster id).

    ``records``: every imported record; ``clusters``: ``record_id, cluster_id``;
    ``unique``: one row per publication; ``decisions``: stage -> :func:`publication_decisions`;
    ``findings``: :func:`~reviewbench.coding.coded.coded_findings` with record ids mapped to
    publications; ``characteristics``: study characteristics (empty when they cannot be
    read); ``screening_log``: :func:`screening_log`; ``stops``: stage -> the team's
    decision in force to stop screening early.
    """

    records: pd.DataFrame
    clusters: pd.DataFrame
    unique: pd.DataFrame
    decisions: dict[str, pd.DataFrame]
    codebook: Codebook
    findings: pd.DataFrame
    characteristics: pd.DataFrame
    screening_log: pd.DataFrame
    stops: dict[str, dict[str, Any]]


def review_inputs(project: Project) -> ReviewInputs:
    """Import, deduplicate, take every stage's decisions and the coded evidence, in that
    order, with every record id mapped to its publication."""
    records, _report = load_records(project)
    clusters, unique = deduplicate_project(project, records)
    clusters = clusters[["record_id", "cluster_id"]].copy()
    decisions = {stage: publication_decisions(project, stage, clusters) for stage in SCREENING_STAGES}
    codebook = load_codebook(project)
    findings = coded_findings(project)
    if "record_id" in findings.columns:
        findings["record_id"] = to_cluster_ids(findings["record_id"], clusters)
    try:
        characteristics = study_characteristics(project)
    except ProjectError:
        characteristics = pd.DataFrame()
    return ReviewInputs(
        records=records, clusters=clusters, unique=unique, decisions=decisions, codebook=codebook,
        findings=findings, characteristics=characteristics, screening_log=screening_log(project),
        stops=current_stops(project),
    )
