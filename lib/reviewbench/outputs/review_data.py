"""Everything the evidence outputs are computed from, loaded once per run.

:func:`load_review_data` takes the linked inputs from
:func:`reviewbench.pipeline.review_inputs` (import, dedupe, screening decisions, coded
findings, every record id mapped to its publication, the dedup cluster id), so tables,
PRISMA and the gap map count the same things, and caches them for the notebooks of a run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .. import pipeline
from ..coding.codebook import load_codebook
from ..project import Project
from ..screening.decisions import SCREENING_COLUMNS

#: Record columns no output uses; dropped so the cached review stays small.
HEAVY_COLUMNS = ("abstract", "keywords", "extra")


@dataclass
class ReviewData(pipeline.ReviewState):
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
    ``required``: stage -> reviewers each record needs (``reviewers_per_record``).
    """

    records: pd.DataFrame
    clusters: pd.DataFrame
    unique: pd.DataFrame
    decisions: dict[str, pd.DataFrame]
    findings: pd.DataFrame
    codebook: Any
    characteristics: pd.DataFrame = field(default_factory=pd.DataFrame)
    searches: dict[str, Any] = field(default_factory=dict)
    screening_log: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SCREENING_COLUMNS))
    review: dict[str, Any] = field(default_factory=dict)
    stops: dict[str, dict[str, Any]] = field(default_factory=dict)
    required: dict[str, int] = field(default_factory=dict)

    def cluster_of(self, ids: pd.Series) -> pd.Series:
        """Map record ids (any member of a cluster) to cluster ids."""
        return pipeline.to_cluster_ids(ids, self.clusters)

    @property
    def complete(self) -> bool:
        """Whether ``review.yml`` says the review is complete (``status: complete``)."""
        return review_is_complete(self.review)


def review_is_complete(review: dict[str, Any] | None) -> bool:
    """``status: complete`` in ``review.yml``: every open state is then an error."""
    return str((review or {}).get("status") or "").strip().lower() == "complete"


def project_codebook(project: Project) -> Any:
    """The project's codebook (parsed once per text of the file, see ``load_codebook``)."""
    return load_codebook(project)


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


def load_review_data(project: Project, cache: bool = True) -> ReviewData:
    """Load and link the whole review (import, dedupe, decisions, findings, codebook).

    With ``cache`` the result is kept in ``.cache/outputs/`` under a hash of every input
    file and of the library code (:func:`reviewbench.pipeline.cached`), so the notebooks
    of one run load the review once.
    """
    return pipeline.cached(project, "outputs", lambda: _load_review_data(project), cache)


def _load_review_data(project: Project) -> ReviewData:
    inputs = pipeline.review_inputs(project)
    searches = project.searches() if project.searches_file.is_file() else {}
    return ReviewData(
        records=inputs.records[[c for c in inputs.records.columns if c not in HEAVY_COLUMNS]],
        clusters=inputs.clusters,
        unique=inputs.unique[[c for c in inputs.unique.columns if c not in HEAVY_COLUMNS]],
        decisions=inputs.decisions,
        findings=conform_findings(inputs.findings, inputs.codebook),
        codebook=inputs.codebook,
        characteristics=inputs.characteristics,
        searches=searches,
        screening_log=inputs.screening_log,
        review=inputs.review,
        stops=inputs.stops,
        required=inputs.required,
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
