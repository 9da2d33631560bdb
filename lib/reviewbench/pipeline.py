"""The review's flow over one project: the only place that chains its steps.

``bibliography/*`` -> :func:`load_records` -> :func:`deduplicate_project` ->
:func:`screening_records` (what each stage screens) -> :func:`publication_decisions`
(each stage's final decisions, per publication) -> :func:`review_status` (where each
publication stands) -> :func:`included_records` -> coded evidence. :func:`review_inputs`
runs the whole chain for the evidence outputs (:mod:`reviewbench.outputs.review_data`)
and for ``reviewbench validate``. Each function recomputes from ``bibliography/`` and
``evidence/``; nothing here is a source of truth.

**Included** means one thing everywhere, defined once by :func:`review_status`: at the
full-text stage, a publication included at title/abstract, retrieved, and included at
full text, each decision settled (made by as many reviewers as ``review.yml`` asks, or
resolved). A publication still on its way in (a decision open: unscreened at full text,
``maybe``, a conflict, a second reviewer awaited) is *provisional*; tables show it
marked as such while the review is in progress, PRISMA counts it in a plain box.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd

from .coding.codebook import Codebook, load_codebook
from .coding.coded import coded_findings, study_characteristics
from .dedupe import deduplicate
from .errors import ProjectError, ReviewbenchError
from .formats import ImportReport, read_files
from .outputs_io import write_bytes
from .project import SCREENING_STAGES, Project
from .screening.criteria import check_stage, stage_settings
from .screening.decisions import (
    CONFLICT, FINAL_COLUMNS, FORWARD, SCREENING_COLUMNS, all_log_rows, current_decisions, final_decisions,
    read_resolutions,
)
from .screening.stopping_log import current_stops

#: :func:`publication_decisions`' columns: the final decision, and how settled it is
#: (``reviewers``: how many reviewers' current decisions it rests on; ``resolved``: an
#: arbiter's resolution stands for it).
PUBLICATION_COLUMNS = [*FINAL_COLUMNS, "reviewers", "resolved"]


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
    mapping = clusters[["record_id", "cluster_id"]]
    current = current_decisions(project, stage, clusters=mapping)
    reviewers = current.groupby("record_id")["reviewer"].nunique().to_dict() if not current.empty else {}
    resolved = set(read_resolutions(project, stage, clusters=mapping)["record_id"])
    rows = []
    for rid, group in out.groupby("record_id", sort=True):
        decisions = set(group["decision"])
        row = group.iloc[-1].to_dict()
        if len(decisions) > 1:
            row["decision"] = CONFLICT
        row["reviewers"] = int(reviewers.get(rid, 0))
        row["resolved"] = rid in resolved
        rows.append(row)
    return pd.DataFrame(rows, columns=PUBLICATION_COLUMNS)


# --------------------------------------------------------------------------- where each publication stands

#: Where a publication stands (``status`` of :func:`review_status`).
INCLUDED = "included"  # included at the stage reported, every decision on the way settled
PROVISIONAL = "provisional"  # on its way in: nothing excludes it, a decision is still open
UNDECIDED = "undecided"  # screened by fewer reviewers than required, none of them for it
EXCLUDED = "excluded"  # excluded, not retrieved, or left unscreened when the team stopped early
UNSCREENED = "unscreened"  # no title/abstract decision yet
#: The statuses a report shows: included studies and, while the review is open, provisional ones.
REPORTED = (INCLUDED, PROVISIONAL)

#: Open states: what a review in progress still has to do (or to put right), by kind, as
#: the notes, the plain PRISMA boxes and the errors of a review that says it is complete
#: name them.
OPEN_STATES: dict[str, str] = {
    "unscreened": "awaiting title/abstract screening",
    "ta_awaiting": "awaiting another title/abstract reviewer",
    "ta_conflict": "conflicts to resolve at title/abstract",
    "ta_maybe": "'maybe' at title/abstract, to decide",
    "awaiting_full_text": "awaiting full-text assessment",
    "ft_awaiting": "awaiting another full-text reviewer",
    "ft_conflict": "conflicts to resolve at full text",
    "ft_maybe": "'maybe' at full text, to decide",
    "ft_no_reason": "full-text exclusions without a reason",
    "ft_not_forwarded": "full-text decisions on records excluded at title/abstract (not counted)",
    "unknown_records": "decisions on records that are not imported (not counted)",
    "findings_not_included": "findings or study rows on records that are not included studies (not shown)",
}
#: Open states that leave the review's counts incomplete, as against ones that are put right.
AWAITING = ("unscreened", "ta_awaiting", "awaiting_full_text", "ft_awaiting")
_PENDING = {"awaiting": "awaiting", CONFLICT: "conflict", "maybe": "maybe"}


@dataclass(frozen=True)
class OpenState:
    """One open state of a review: its kind (a key of :data:`OPEN_STATES`) and the records."""

    kind: str
    records: tuple[str, ...]

    @property
    def label(self) -> str:
        return OPEN_STATES[self.kind]

    def __str__(self) -> str:
        return f"{self.label}: {len(self.records)}"

    def detail(self, n: int = 5) -> str:
        """The state with the first ``n`` record ids, e.g. ``conflicts to resolve at title/abstract: 3 (a, b, c)``."""
        shown = ", ".join(self.records[:n]) + (f" and {len(self.records) - n} more" if len(self.records) > n else "")
        return f"{self}" + (f" ({shown})" if shown else "")


def _settled(decisions: pd.DataFrame | None, ids: pd.Index, required: int) -> pd.DataFrame:
    """Per publication in ``ids``: ``decision`` (``""`` when none; ``awaiting`` when fewer
    reviewers than ``required`` decided it and no one resolved it), ``first`` (the
    decision as the logs give it), ``reason`` and ``retrieval``."""
    columns = ["decision", "first", "reason", "retrieval"]
    if decisions is None or decisions.empty:
        return pd.DataFrame("", index=ids, columns=columns)
    d = decisions.drop_duplicates("record_id", keep="last").set_index("record_id")
    out = pd.DataFrame(index=ids)
    out["first"] = d["decision"].reindex(ids).fillna("").astype(str)
    out["reason"] = d["reason"].reindex(ids).fillna("").astype(str).str.strip() if "reason" in d else ""
    out["retrieval"] = d["retrieval"].reindex(ids).fillna("").astype(str).str.strip().str.lower() if "retrieval" in d else ""
    out["decision"] = out["first"]
    if "reviewers" in d.columns:
        reviewers = pd.to_numeric(d["reviewers"], errors="coerce").reindex(ids).fillna(required)
        resolved = d["resolved"].reindex(ids).map(lambda v: v is True or str(v) == "True").to_numpy() if "resolved" in d else False
        short = (reviewers < required) & ~resolved & ~out["first"].isin(["", CONFLICT])
        out.loc[short, "decision"] = "awaiting"
    return out[columns]


def review_status(unique_ids: Iterable[str], decisions: Mapping[str, pd.DataFrame | None], stage: str = "full_text",
                  required: Mapping[str, int] | None = None, stopped: bool = False) -> pd.DataFrame:
    """Where each publication stands, one row per id of ``unique_ids`` (in that order).

    Columns: ``record_id``; ``ta`` and ``ft`` (the settled decision at each stage:
    ``include``, ``exclude``, ``maybe``, ``conflict``, ``awaiting`` another reviewer, or
    ``""``); ``ft_reason``; ``retrieval``; ``status`` (:data:`INCLUDED`,
    :data:`PROVISIONAL`, :data:`UNDECIDED`, :data:`EXCLUDED` or :data:`UNSCREENED`) and
    ``open`` (the kind of open state of :data:`OPEN_STATES`, or ``""``).

    ``decisions`` maps each stage to :func:`publication_decisions`; ``required``, the
    reviewers each stage asks for (``review.yml``'s ``reviewers_per_record``, default 1);
    ``stopped``: the team stopped title/abstract screening early, so unscreened records
    are excluded (set aside by the prioritisation). At ``stage`` ``title_abstract`` a
    publication included there is included.
    """
    check_stage(stage)
    required = dict(required or {})
    ids = pd.Index([str(i) for i in unique_ids], dtype=object)
    ta = _settled(decisions.get("title_abstract"), ids, int(required.get("title_abstract", 1)))
    ft = _settled(decisions.get("full_text"), ids, int(required.get("full_text", 1)))
    t, f = ta["decision"].to_numpy(), ft["decision"].to_numpy()
    forward_first = lambda frame: frame["first"].isin(FORWARD).to_numpy()  # noqa: E731
    not_retrieved = (ft["retrieval"] == "not_retrieved").to_numpy() & (f == "exclude")
    if stage == "title_abstract":
        cases = [
            (t == "", EXCLUDED if stopped else UNSCREENED, "" if stopped else "unscreened"),
            (t == "awaiting", np.where(forward_first(ta), PROVISIONAL, UNDECIDED), "ta_awaiting"),
            (t == CONFLICT, PROVISIONAL, "ta_conflict"),
            (t == "maybe", PROVISIONAL, "ta_maybe"),
            (t == "exclude", EXCLUDED, ""),
            (t == "include", INCLUDED, ""),
        ]
    else:
        sought = t == "include"
        cases = [
            (t == "", EXCLUDED if stopped else UNSCREENED, "" if stopped else "unscreened"),
            (t == "awaiting", np.where(forward_first(ta), PROVISIONAL, UNDECIDED), "ta_awaiting"),
            (t == CONFLICT, PROVISIONAL, "ta_conflict"),
            (t == "maybe", PROVISIONAL, "ta_maybe"),
            ((t == "exclude") & (f != ""), EXCLUDED, "ft_not_forwarded"),
            (t == "exclude", EXCLUDED, ""),
            (sought & (f == ""), PROVISIONAL, "awaiting_full_text"),
            (sought & not_retrieved, EXCLUDED, ""),
            (sought & (f == "awaiting"), np.where(forward_first(ft), PROVISIONAL, UNDECIDED), "ft_awaiting"),
            (sought & (f == CONFLICT), PROVISIONAL, "ft_conflict"),
            (sought & (f == "maybe"), PROVISIONAL, "ft_maybe"),
            (sought & (f == "exclude") & (ft["reason"] == "").to_numpy(), EXCLUDED, "ft_no_reason"),
            (sought & (f == "exclude"), EXCLUDED, ""),
            (sought & (f == "include"), INCLUDED, ""),
        ]
    conditions = [c for c, _s, _o in cases]
    status = np.select(conditions, [np.broadcast_to(s, len(ids)) for _c, s, _o in cases], default=UNDECIDED)
    open_kind = np.select(conditions, [o for _c, _s, o in cases], default="")
    return pd.DataFrame({
        "record_id": ids.to_numpy(), "ta": t, "ft": f if stage == "full_text" else "",
        "ft_reason": ft["reason"].to_numpy(), "retrieval": ft["retrieval"].to_numpy(),
        "status": status.astype(object), "open": open_kind.astype(object),
    })


def open_states(status: pd.DataFrame, decisions: Mapping[str, pd.DataFrame | None] | None = None,
                coded_ids: Iterable[str] = ()) -> list[OpenState]:
    """Every open state of a review, in the order of :data:`OPEN_STATES`: the ``open``
    kinds of :func:`review_status`, decisions naming records that are not among its
    publications, and ``coded_ids`` (records with findings or study rows) that are not
    reported studies (:data:`REPORTED`)."""
    by_kind: dict[str, list[str]] = {}
    for kind, ids in status.loc[status["open"] != "", ["open", "record_id"]].groupby("open")["record_id"]:
        by_kind[kind] = sorted(ids)
    known = set(status["record_id"])
    unknown = sorted({str(r) for d in (decisions or {}).values() if d is not None and not d.empty
                      for r in d["record_id"]} - known)
    if unknown:
        by_kind["unknown_records"] = unknown
    reported = set(status.loc[status["status"].isin(REPORTED), "record_id"])
    outside = sorted({str(r) for r in coded_ids if str(r).strip()} - reported)
    if outside:
        by_kind["findings_not_included"] = outside
    return [OpenState(kind, tuple(by_kind[kind])) for kind in OPEN_STATES if kind in by_kind]


def required_reviewers(review: Mapping[str, Any]) -> dict[str, int]:
    """Stage -> reviewers each record needs (``reviewers_per_record`` of ``review.yml``)."""
    out = {}
    for stage in SCREENING_STAGES:
        try:
            out[stage] = stage_settings(dict(review), stage).reviewers_per_record
        except (ReviewbenchError, ValueError, TypeError, AttributeError):  # validate reports a broken review.yml
            out[stage] = 1
    return out


def reported(unique: pd.DataFrame, status: pd.DataFrame, final: bool = False) -> pd.DataFrame:
    """The publications a report shows, sorted by record id, with their ``status`` and
    ``open`` columns: included ones, and provisional ones unless ``final``."""
    keep = (INCLUDED,) if final else REPORTED
    chosen = status.loc[status["status"].isin(keep), ["record_id", "status", "open"]]
    return unique.merge(chosen, on="record_id", how="inner").sort_values("record_id").reset_index(drop=True)


def included(unique: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    """The publications of ``unique`` that :func:`review_status` calls included, sorted by record id."""
    ids = set(status.loc[status["status"] == INCLUDED, "record_id"])
    return unique[unique["record_id"].isin(ids)].sort_values("record_id").reset_index(drop=True)


def project_status(project: Project, stage: str = "full_text") -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(unique, status)``: the project's publications and :func:`review_status` at ``stage``."""
    clusters, unique = deduplicate_project(project)
    mapping = clusters[["record_id", "cluster_id"]]
    decisions = {s: publication_decisions(project, s, mapping) for s in SCREENING_STAGES}
    status = review_status(unique["record_id"], decisions, stage, required_reviewers(project.review()),
                           stopped="title_abstract" in current_stops(project))
    return unique, status


def included_records(project: Project, stage: str = "full_text") -> pd.DataFrame:
    """Unique records included at ``stage`` (see :func:`review_status`)."""
    return included(*project_status(project, stage))


def screening_log(project: Project, stage: str = "title_abstract") -> pd.DataFrame:
    """Every reviewer's log rows at ``stage`` in the six common columns (for progress plots)."""
    rows = all_log_rows(project, stage)
    return rows[SCREENING_COLUMNS] if not rows.empty else pd.DataFrame(columns=SCREENING_COLUMNS)


class ReviewState:
    """Where a review stands, for a class holding ``unique``, ``clusters``, ``decisions``,
    ``required``, ``stops``, ``findings`` and ``characteristics`` (:class:`ReviewInputs`
    and the outputs' ``ReviewData``)."""

    unique: pd.DataFrame
    clusters: pd.DataFrame
    decisions: dict[str, pd.DataFrame]
    findings: pd.DataFrame
    characteristics: pd.DataFrame
    stops: dict[str, dict[str, Any]]
    required: dict[str, int]

    def status(self, stage: str = "full_text") -> pd.DataFrame:
        """:func:`review_status` of every publication at ``stage``."""
        return review_status(self.unique["record_id"], self.decisions, stage, self.required,
                             stopped="title_abstract" in (self.stops or {}))

    def included(self, stage: str = "full_text") -> pd.DataFrame:
        """The publications included at ``stage``, sorted by record id."""
        return included(self.unique, self.status(stage))

    def studies(self, stage: str = "full_text", final: bool = False) -> pd.DataFrame:
        """The studies a report shows (:func:`reported`): included ones and, unless
        ``final``, provisional ones; columns ``status`` and ``open`` say which."""
        return reported(self.unique, self.status(stage), final)

    def open_states(self, stage: str = "full_text") -> list[OpenState]:
        """:func:`open_states` of the review at ``stage``."""
        coded = coded_ids(self.findings, self.characteristics, self.clusters)
        return open_states(self.status(stage), self.decisions, coded)


@dataclass
class ReviewInputs(ReviewState):
    """What every evidence output is computed from, linked by publication (cluster id).

    ``records``: every imported record; ``clusters``: ``record_id, cluster_id``;
    ``unique``: one row per publication; ``decisions``: stage -> :func:`publication_decisions`;
    ``findings``: :func:`~reviewbench.coding.coded.coded_findings` with record ids mapped to
    publications; ``characteristics``: study characteristics (empty when they cannot be
    read); ``screening_log``: :func:`screening_log`; ``stops``: stage -> the team's
    decision in force to stop screening early; ``required``: stage -> reviewers each
    record needs; ``review``: ``review.yml``.
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
    required: dict[str, int] = field(default_factory=dict)
    review: dict[str, Any] = field(default_factory=dict)
    report: ImportReport = field(default_factory=ImportReport)


def coded_ids(findings: pd.DataFrame, characteristics: pd.DataFrame, clusters: pd.DataFrame) -> set[str]:
    """Publications with coded findings or a row of study characteristics."""
    ids = set(findings["record_id"]) if "record_id" in findings.columns else set()
    if "record_id" in characteristics.columns:
        rows = characteristics[characteristics["coded"]] if "coded" in characteristics.columns else characteristics
        ids |= set(to_cluster_ids(rows["record_id"], clusters))
    return {str(i) for i in ids if str(i).strip()}


def inputs_key(project: Project) -> str:
    """A hash of every input file of the project and of the library code (name, size,
    modification time): derived data cached under it is current while the key is."""
    h = hashlib.sha1()
    package = Path(__file__).resolve().parent
    for base in (project.bibliography, project.evidence, package):
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                stat = path.stat()
                h.update(f"{path.relative_to(base)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def cached(project: Project, step: str, compute, cache: bool = True):
    """``compute()``, kept in ``.cache/<step>/`` under :func:`inputs_key` so the notebooks
    of a run, and ``reviewbench validate``, load the review once. A cache that cannot be
    read is recomputed; a project that cannot be written to works without one."""
    if not cache:
        return compute()
    folder = project.cache_dir(step)
    path = folder / f"{step}-{inputs_key(project)}.pickle"
    if path.is_file():
        try:
            with path.open("rb") as fh:
                return pickle.load(fh)
        except Exception:  # a cache written by another version: recompute
            pass
    value = compute()
    try:
        for old in folder.glob(f"{step}-*.pickle"):
            old.unlink(missing_ok=True)
        write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), path)
    except OSError:
        pass
    return value


def review_inputs(project: Project, cache: bool = False) -> ReviewInputs:
    """Import, deduplicate, take every stage's decisions and the coded evidence, in that
    order, with every record id mapped to its publication (kept in ``.cache/review/``
    with ``cache``)."""
    return cached(project, "review", lambda: _review_inputs(project), cache)


def _review_inputs(project: Project) -> ReviewInputs:
    records, report = load_records(project)
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
    review = project.review()
    return ReviewInputs(
        records=records, clusters=clusters, unique=unique, decisions=decisions, codebook=codebook,
        findings=findings, characteristics=characteristics, screening_log=screening_log(project),
        stops=current_stops(project), required=required_reviewers(review), review=review, report=report,
    )
