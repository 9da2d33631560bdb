"""The team of a stage, blinding, disagreements between reviewers, and their resolution.

**The team** (:func:`stage_team`) is whose decisions count at a stage and whom blinding
waits for. Before anyone screened, it is the screeners ``review.yml`` lists. Once work
began, a listed screener who has not started joins freely only while fewer reviewers
have begun than ``reviewers_per_record`` asks; after that, joining changes what others
see and what is decided, so it is a team action, confirmed and kept in
``evidence/screening/team.csv`` (:mod:`.team`). Until then the reviewer is *pending*:
listed, but not counted.

**Blinding** (:func:`blinding`) is a state of the project, not of one view: while a
member of a stage's team (of two or more) has not screened every record of the stage,
no view, output or command shows one reviewer's decisions to another, nor agreement or
conflicts; an arbiter sees the conflicts once every member is done.

A **conflict** is a record two or more members screened with different decisions. It is
settled by a row in ``resolutions.csv`` written by a third person (an arbiter) or by the
reviewers together after discussion (say so in the note). :func:`conflict_cards` gives
what the conflicts view shows of each: the record, and each reviewer's decision, reason
and note.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import pandas as pd

from ..logs import append_rows
from ..project import Project
from .criteria import load_stage_settings
from .decisions import (
    FORWARD,
    RESOLUTION_COLUMNS,
    current_decisions,
    decisions_side_by_side,
    final_decisions,
    make_row,
    read_resolutions,
    resolutions_path,
    reviewers_with_logs,
)
from .team import team_changes


@dataclass(frozen=True)
class Team:
    """Who screens a stage: ``members`` (their decisions count; blinding waits for them),
    ``pending`` (listed in ``review.yml`` but joining only once confirmed, because work
    began) and whether work ``began`` (someone has a decision log at the stage)."""

    stage: str
    members: tuple[str, ...]
    pending: tuple[str, ...]
    began: bool


def stage_team(project: Project, stage: str) -> Team:
    """The team of ``stage`` (see the module docstring)."""
    settings = load_stage_settings(project, stage)
    changes = team_changes(project, stage)
    started = set(reviewers_with_logs(project, stage))  # leaves out those who left
    joined = {name for name, action in changes.items() if action == "join"}
    counted = started | joined
    listed = [name for name in settings.screeners if changes.get(name) != "leave"]
    free = len(counted) < max(settings.reviewers_per_record, 1)
    members = counted | (set(listed) if free else set())
    pending = sorted(set(settings.screeners) - members)
    return Team(stage, tuple(sorted(members)), tuple(pending), bool(started))


def screeners(project: Project, stage: str) -> list[str]:
    """The members of the stage's team (:func:`stage_team`), sorted."""
    return list(stage_team(project, stage).members)


@dataclass(frozen=True)
class Blinding:
    """Blinding at one stage over its records: each member's count of records screened
    out of ``total``. It ``holds`` while a team of two or more has a member not done."""

    stage: str
    label: str
    screened: tuple[tuple[str, int], ...]
    total: int

    @property
    def holds(self) -> bool:
        return len(self.screened) >= 2 and self.total > 0 and any(n < self.total for _name, n in self.screened)

    @property
    def members(self) -> list[str]:
        return [name for name, _n in self.screened]

    def progress(self) -> str:
        """``alex 30 of 71, sam 71 of 71``."""
        return ", ".join(f"{name} {n} of {self.total}" for name, n in self.screened)

    def summary(self) -> str:
        """One sentence for a view, a report or the command line."""
        if self.holds:
            return (f"{self.label} is blinded: each reviewer's decisions, the agreement between them and the "
                    f"conflicts are shown once every screener has screened every record ({self.progress()}).")
        if len(self.screened) < 2:
            return f"{self.label}: {'one screener' if self.screened else 'no screener'} so far, so there is nothing to compare."
        return f"{self.label}: every screener has screened every record ({self.progress()})."


def blinding(project: Project, stage: str, record_ids: Iterable[str], clusters: pd.DataFrame | None = None,
             team: Team | None = None) -> Blinding:
    """Blinding at ``stage`` over ``record_ids`` (the records the stage screens; log rows
    naming any member of a dedup cluster count for it when ``clusters`` is given)."""
    team = team or stage_team(project, stage)
    ids = {str(r) for r in record_ids}
    current = current_decisions(project, stage, clusters=_mapping(clusters))
    done = current[current["record_id"].isin(ids)].groupby("reviewer")["record_id"].nunique().to_dict() if not current.empty else {}
    label = load_stage_settings(project, stage).label
    return Blinding(stage, label, tuple((name, int(done.get(name, 0))) for name in team.members), len(ids))


def blinding_lifted(project: Project, stage: str, record_ids: Iterable[str], reviewers: Iterable[str] | None = None) -> bool:
    """True when every one of ``reviewers`` (default: the team; at least two) has a decision
    on every one of ``record_ids``."""
    team = stage_team(project, stage)
    if reviewers is not None:
        team = Team(stage, tuple(sorted(set(reviewers))), team.pending, team.began)
    state = blinding(project, stage, record_ids, team=team)
    return len(state.screened) >= 2 and state.total > 0 and not state.holds


def _mapping(clusters: pd.DataFrame | None) -> pd.DataFrame | None:
    return clusters[["record_id", "cluster_id"]] if clusters is not None and not clusters.empty else None


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


@dataclass(frozen=True)
class ConflictCard:
    """One open conflict as the conflicts view shows it: the record's ``record_id``,
    ``title``, ``meta`` (authors, year, journal), ``abstract`` and ``source`` (the
    databases it was found in), and per reviewer ``(reviewer, decision, reason, note)``,
    with the reason's description from ``review.yml``."""

    record_id: str
    title: str
    meta: str
    abstract: str
    source: str
    decisions: tuple[tuple[str, str, str, str], ...]


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value if str(v).strip())
    if value is None or (not isinstance(value, dict) and pd.isna(value)):
        return ""
    return str(value)


def conflict_cards(project: Project, stage: str, records: pd.DataFrame | None = None,
                   clusters: pd.DataFrame | None = None) -> list[ConflictCard]:
    """The open conflicts at ``stage`` as cards (in ``record_id`` order), with the record
    from ``records`` (the stage's records, :func:`reviewbench.pipeline.screening_records`)."""
    table = conflicts(project, stage, clusters=_mapping(clusters))
    if table.empty:
        return []
    reasons = load_stage_settings(project, stage).exclusion_reasons
    by_id = records.set_index(records["record_id"].astype(str)) if records is not None else pd.DataFrame()
    names = sorted(c.removeprefix("decision_") for c in table.columns if c.startswith("decision_"))
    cards = []
    for row in table.to_dict("records"):
        rid = str(row["record_id"])
        rec = by_id.loc[rid].to_dict() if rid in by_id.index else {}
        authors = rec.get("authors")
        authors = "; ".join(map(str, authors[:6])) + (" et al." if len(authors) > 6 else "") if isinstance(authors, (list, tuple)) else _text(authors)
        year = _text(rec.get("year")).removesuffix(".0")
        meta = " · ".join(x for x in (authors, year, _text(rec.get("journal"))) if x)
        source = _text(rec.get("source_dbs")) or _text(rec.get("source_db")) or _text(rec.get("source_file"))
        decided = tuple(
            (name, row[f"decision_{name}"], reasons.get(row[f"reason_{name}"], row[f"reason_{name}"]) if row[f"reason_{name}"] else "",
             row[f"note_{name}"])
            for name in names if row.get(f"decision_{name}")
        )
        cards.append(ConflictCard(rid, _text(rec.get("title")), meta, _text(rec.get("abstract")), source, decided))
    return cards


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


def join_consequences(project: Project, stage: str, reviewer: str, record_ids: Iterable[str],
                      clusters: pd.DataFrame | None = None) -> list[str]:
    """What ``reviewer`` joining ``stage`` now would change, in plain sentences (for the
    confirmation the screening app asks)."""
    team = stage_team(project, stage)
    ids = list(record_ids)
    state = blinding(project, stage, ids, clusters, team)
    label = state.label.lower()
    others = ", ".join(f"{name} ({n} of {state.total})" for name, n in state.screened) or "no one"
    lines = [f"You would join {label} as screener number {len(team.members) + 1}; screening it so far: {others}."]
    if not state.holds and len(state.screened) >= 2:
        lines.append(f"Blinding holds again for the whole team until you have screened all {state.total} records: "
                     "the others stop seeing each other's decisions, the agreement and the conflicts, and so do the reports.")
    else:
        lines.append(f"Blinding holds until everyone, you included, has screened all {state.total} records.")
    final = final_decisions(project, stage, clusters=_mapping(clusters))
    settled = final[final["decision"] != "conflict"]
    if len(settled):
        lines.append(f"{len(settled)} records have a decision now; each one you decide differently becomes a conflict "
                     "that an arbiter must resolve.")
    if stage == "title_abstract":
        forward = int(final["decision"].isin(FORWARD).sum())
        if forward:
            lines.append(f"{forward} records now go on to full-text assessment; a record that becomes a conflict waits there "
                         "until it is resolved, and the studies coded so far rest on these decisions.")
    lines.append("Confirming adds a row to evidence/screening/team.csv with your name; leaving again (undo) takes your decisions out.")
    return lines
