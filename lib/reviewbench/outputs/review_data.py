"""Everything the evidence outputs are computed from, loaded once per run.

:func:`load_review_data` calls the other steps of the pipeline (import, dedupe,
screening decisions, coded findings) and maps every record id to its publication
(the dedup cluster id), so tables, PRISMA and the gap map count the same things.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ProjectError
from ..logs import read_log
from ..outputs_io import write_bytes
from ..project import SCREENING_STAGES, Project

DECISION_COLUMNS = ["record_id", "decision", "reason", "retrieval"]
#: Record columns no output uses; dropped so the cached review stays small.
HEAVY_COLUMNS = ("abstract", "keywords", "extra")
LOG_COLUMNS = ["record_id", "decision", "reason", "note", "reviewer", "timestamp"]


@dataclass
class ReviewData:
    """The inputs of every evidence output, with record ids mapped to publications.

    ``records``: every imported record (record schema). ``clusters``: ``record_id,
    cluster_id`` for every imported record. ``unique``: one row per publication
    (``record_id`` is the cluster id). ``decisions``: stage -> final decisions
    (``record_id, decision, reason, retrieval``; ids are cluster ids). ``findings``:
    coded findings (``finding_id, record_id, finding, location, coder`` + one list column
    per dimension). ``characteristics``: one row per included study. ``searches``: the
    parsed ``searches.yml``. ``screening_log``: title/abstract log rows of every reviewer
    (for the progress plot). ``review``: ``review.yml``. ``stops``: stage -> the team's
    decision in force to stop screening early (see :mod:`reviewbench.screening.stopping_log`).
    """

    records: pd.DataFrame
    clusters: pd.DataFrame
    unique: pd.DataFrame
    decisions: dict[str, pd.DataFrame]
    findings: pd.DataFrame
    codebook: Any
    characteristics: pd.DataFrame = field(default_factory=pd.DataFrame)
    searches: dict[str, Any] = field(default_factory=dict)
    screening_log: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=LOG_COLUMNS))
    review: dict[str, Any] = field(default_factory=dict)
    stops: dict[str, dict[str, Any]] = field(default_factory=dict)

    def cluster_of(self, ids: pd.Series) -> pd.Series:
        """Map record ids (any member of a cluster) to cluster ids."""
        mapping = dict(zip(self.clusters["record_id"], self.clusters["cluster_id"]))
        return ids.map(lambda rid: mapping.get(rid, rid))

    def included(self, stage: str = "full_text") -> pd.DataFrame:
        """Unique records included at ``stage``, sorted by record id."""
        decisions = self.decisions.get(stage)
        if decisions is None or decisions.empty:
            return self.unique.iloc[0:0]
        ids = set(decisions.loc[decisions["decision"] == "include", "record_id"])
        out = self.unique[self.unique["record_id"].isin(ids)]
        return out.sort_values("record_id").reset_index(drop=True)


def _import(module: str, name: str, what: str) -> Any:
    import importlib

    try:
        return getattr(importlib.import_module(module, __package__), name)
    except (ImportError, AttributeError) as exc:
        raise ProjectError(f"cannot build the evidence outputs: {what} is not available ({exc})") from None


def project_codebook(project: Project) -> Any:
    """The project's codebook (parsed once per text of the file, see ``load_codebook``)."""
    load_codebook = _import("..coding", "load_codebook", "the codebook loader (reviewbench.coding.load_codebook)")
    return load_codebook(project)


def _normalise_decisions(df: pd.DataFrame, data_clusters: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in DECISION_COLUMNS:
        if col not in out.columns:
            out[col] = ""
    out = out[DECISION_COLUMNS].fillna("").astype(str)
    mapping = dict(zip(data_clusters["record_id"], data_clusters["cluster_id"]))
    out["record_id"] = out["record_id"].map(lambda rid: mapping.get(rid, rid))
    # Two member records of one publication decided differently stay visible as a conflict.
    rows = []
    for rid, group in out.groupby("record_id", sort=True):
        decisions = set(group["decision"])
        row = group.iloc[-1].to_dict()
        if len(decisions) > 1:
            row["decision"] = "conflict"
        rows.append(row)
    return pd.DataFrame(rows, columns=DECISION_COLUMNS)


FINDING_COLUMNS = ["finding_id", "record_id", "finding", "location", "coder"]


def conform_findings(findings: pd.DataFrame, codebook: Any) -> pd.DataFrame:
    """Coded findings with the contract's columns present even when nothing is coded yet."""
    out = findings.copy()
    for col in FINDING_COLUMNS:
        if col not in out.columns:
            out[col] = pd.Series(dtype="object")
    for name in (getattr(codebook, "dimensions", {}) or {}):
        if name not in out.columns:
            out[name] = [[] for _ in range(len(out))]
    return out


def _screening_log(project: Project) -> pd.DataFrame:
    folder = project.screening_dir("title_abstract")
    frames = [
        read_log(path, LOG_COLUMNS)
        for path in sorted(folder.glob("*.csv"))
        if path.name != "resolutions.csv"
    ] if folder.is_dir() else []
    frames = [f[LOG_COLUMNS] for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=LOG_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def _inputs_key(project: Project) -> str:
    """A hash of every input file and of the library code (name, size, modification time)."""
    import hashlib

    h = hashlib.sha1()
    package = Path(__file__).resolve().parents[1]
    for base in (project.bibliography, project.evidence, package):
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                stat = path.stat()
                h.update(f"{path.relative_to(base)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def load_review_data(project: Project, cache: bool = True) -> ReviewData:
    """Load and link the whole review (import, dedupe, decisions, findings, codebook).

    With ``cache`` the result is kept in ``.cache/outputs/`` under a hash of every input
    file and of the library code, so the notebooks of one run load the review once.
    """
    if not cache:
        return _load_review_data(project)
    import pickle

    folder = project.cache / "outputs"
    path = folder / f"review-data-{_inputs_key(project)}.pickle"
    if path.is_file():
        try:
            with path.open("rb") as fh:
                return pickle.load(fh)
        except Exception:  # a cache from another version: recompute
            pass
    data = _load_review_data(project)
    try:
        for old in folder.glob("review-data-*.pickle"):
            old.unlink(missing_ok=True)
        write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL), path)
    except OSError:  # a read-only project still works, just without the cache
        pass
    return data


def _load_review_data(project: Project) -> ReviewData:
    load_records = _import("..pipeline", "load_records", "reviewbench.pipeline.load_records")
    deduplicate_project = _import("..pipeline", "deduplicate_project", "reviewbench.pipeline.deduplicate_project")
    final_decisions = _import("..screening.decisions", "final_decisions", "screening decisions (reviewbench.screening.decisions)")
    coded_findings = _import("..coding", "coded_findings", "coded findings (reviewbench.coding.coded_findings)")

    records, _report = load_records(project)
    clusters, unique = deduplicate_project(project, records)
    clusters = clusters[["record_id", "cluster_id"]].copy()
    decisions = {}
    for stage in SCREENING_STAGES:
        decisions[stage] = _normalise_decisions(final_decisions(project, stage), clusters)
    codebook = project_codebook(project)
    findings = conform_findings(coded_findings(project), codebook)
    mapping = dict(zip(clusters["record_id"], clusters["cluster_id"]))
    findings["record_id"] = findings["record_id"].map(lambda rid: mapping.get(rid, rid))
    characteristics = pd.DataFrame()
    try:
        study_characteristics = _import("..coding", "study_characteristics", "study characteristics")
        characteristics = study_characteristics(project)
    except ProjectError:
        pass
    searches = project.searches() if project.searches_file.is_file() else {}
    return ReviewData(
        records=records[[c for c in records.columns if c not in HEAVY_COLUMNS]],
        clusters=clusters,
        unique=unique[[c for c in unique.columns if c not in HEAVY_COLUMNS]],
        decisions=decisions,
        findings=findings,
        codebook=codebook,
        characteristics=characteristics,
        searches=searches,
        screening_log=_screening_log(project),
        review=project.review(),
        stops=_import("..screening.stopping_log", "current_stops", "the stopping log")(project),
    )


def dimension_codes(codebook: Any, name: str) -> dict[str, str]:
    """Code id -> label of one codebook dimension, in codebook order ({} when absent)."""
    dims = getattr(codebook, "dimensions", {}) or {}
    if name not in dims:
        return {}
    return {code: (getattr(c, "label", "") or code) for code, c in dims[name].codes.items()}


def dimension_label(codebook: Any, name: str) -> str:
    """The human label of a dimension (its name when the codebook has none)."""
    dims = getattr(codebook, "dimensions", {}) or {}
    if name in dims and getattr(dims[name], "label", ""):
        return dims[name].label
    return name.replace("_", " ").capitalize()
