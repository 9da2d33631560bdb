"""Disagreements between reviewers, blinding, and their resolution.

A conflict is a record two or more reviewers screened with different decisions. It is
settled by a row in ``resolutions.csv`` written by a third person (an arbiter) or by
the reviewers together after discussion (say so in the note).

Blinding: while screening, a reviewer sees only their own decisions. The other
reviewers' decisions (and so the conflicts) open once every screener of the stage has
screened every record in question.
"""

from __future__ import annotations

from typing import Iterable

import pandas as pd

from ..logs import append_rows
from ..project import Project
from .criteria import load_stage_settings
from .decisions import (
    RESOLUTION_COLUMNS,
    current_decisions,
    decisions_side_by_side,
    make_row,
    read_resolutions,
    resolutions_path,
    reviewers_with_logs,
)


def screeners(project: Project, stage: str) -> list[str]:
    """The stage's screeners: those named in ``review.yml`` (role other than arbiter)
    together with anyone who has a log, sorted."""
    settings = load_stage_settings(project, stage)
    return sorted(set(settings.screeners) | set(reviewers_with_logs(project, stage)))


def conflicts(
    project: Project,
    stage: str,
    clusters: pd.DataFrame | None = None,
    include_resolved: bool = False,
) -> pd.DataFrame:
    """Records with disagreeing decisions, side by side.

    Columns: ``record_id``, then ``decision_<r>, reason_<r>, note_<r>`` per reviewer, then
    ``resolution, resolution_reason, resolved_by``. Unresolved only, unless
    ``include_resolved``. Sorted by ``record_id``.
    """
    wide = decisions_side_by_side(project, stage, clusters=clusters)
    decision_cols = [c for c in wide.columns if c.startswith("decision_")]
    filled = wide[decision_cols].apply(lambda row: sorted({v for v in row if v}), axis=1) if len(wide) else []
    mask = pd.Series([len(v) > 1 for v in filled], index=wide.index, dtype=bool)
    out = wide[mask].copy()
    resolved = read_resolutions(project, stage, clusters=clusters).set_index("record_id")
    out["resolution"] = out["record_id"].map(resolved["decision"]).fillna("")
    out["resolution_reason"] = out["record_id"].map(resolved["reason"]).fillna("")
    out["resolved_by"] = out["record_id"].map(resolved["reviewer"]).fillna("")
    if not include_resolved:
        out = out[out["resolution"] == ""]
    return out.reset_index(drop=True)


def resolve_conflict(
    project: Project,
    stage: str,
    record_id: str,
    decision: str,
    resolver: str,
    reason: str = "",
    note: str = "",
) -> dict[str, str]:
    """Append the settled decision on ``record_id`` to ``resolutions.csv``; returns the row."""
    settings = load_stage_settings(project, stage)
    row = make_row(settings, resolver, record_id, decision, reason, note, resolution=True)
    append_rows(resolutions_path(project, stage), [row], RESOLUTION_COLUMNS)
    return row


def blinding_lifted(
    project: Project,
    stage: str,
    record_ids: Iterable[str],
    reviewers: Iterable[str] | None = None,
) -> bool:
    """True when every screener (at least two) has a decision on every one of ``record_ids``."""
    names = sorted(set(reviewers) if reviewers is not None else set(screeners(project, stage)))
    ids = set(record_ids)
    if len(names) < 2 or not ids:
        return False
    current = current_decisions(project, stage)
    for name in names:
        done = set(current.loc[current["reviewer"] == name, "record_id"])
        if not ids <= done:
            return False
    return True
