"""Changes to a stage's team of screeners once screening began: ``evidence/screening/team.csv``.

Before anyone has screened a stage, its team is the screeners ``review.yml`` lists. Once
work began, a reviewer joining adds a second (or third) opinion to decisions others may
already rely on: blinding holds again for everyone until they have screened every record,
and each record they decide differently becomes a conflict. So joining, and leaving, is a
team action the screening app asks to confirm and keeps here, one append-only row each::

    stage, action, reviewer, by, note, timestamp

``action`` is ``join`` or ``leave``; ``reviewer`` is who joins or leaves, ``by`` who
confirmed it. The latest row for a (stage, reviewer) is in force; a reviewer who left no
longer counts: their log stays, but their decisions are not among the stage's decisions
(see :func:`reviewbench.screening.decisions.reviewers_with_logs`). Undoing a join appends
a ``leave`` row, and the other way round.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ParameterError, Problem
from ..logs import RowProblem, append_rows, check_log_rows, latest, read_log, utc_timestamp
from ..project import SCREENING_STAGES, Project
from .criteria import check_reviewer_name

TEAM_COLUMNS = ["stage", "action", "reviewer", "by", "note", "timestamp"]
TEAM_ACTIONS = ("join", "leave")


def team_log_path(project: Project) -> Path:
    """Where the changes to the teams of a project's stages are kept."""
    return project.team_log_file


def row_problems(row: dict[str, str], settings: None = None) -> list[RowProblem]:
    """What is wrong with one row of the team log (empty when valid): the rules the writer
    refuses a row by and ``reviewbench validate`` reports."""
    found = []
    stage, action = row.get("stage", ""), row.get("action", "")
    if stage not in SCREENING_STAGES:
        found.append(RowProblem("stage", stage, f"stage {stage!r} is not one of {', '.join(SCREENING_STAGES)}", SCREENING_STAGES))
    if action not in TEAM_ACTIONS:
        found.append(RowProblem("action", action, f"action {action!r} is not one of {', '.join(TEAM_ACTIONS)}", TEAM_ACTIONS))
    for column, who in (("reviewer", "who joins or leaves"), ("by", "who confirmed it")):
        name = row.get(column, "")
        try:
            check_reviewer_name(name)
        except ParameterError as exc:
            found.append(RowProblem(column, name, f"{column} {name!r} is not a reviewer's name ({who})", tuple(exc.valid or ())))
    return found


def record_team_change(project: Project, stage: str, action: str, reviewer: str, by: str, note: str = "") -> dict[str, str]:
    """Append that ``reviewer`` joins (or leaves) ``stage``, confirmed by ``by``; returns the row.
    Nothing is written when :func:`row_problems` finds the row wrong."""
    row = {"stage": stage, "action": action, "reviewer": str(reviewer or "").strip(), "by": str(by or "").strip(),
           "note": note, "timestamp": utc_timestamp()}
    problems = row_problems(row)
    if problems:
        raise problems[0].error()
    append_rows(team_log_path(project), [row], TEAM_COLUMNS)
    return row


def team_changes(project: Project, stage: str) -> dict[str, str]:
    """Reviewer -> the action in force for them at ``stage`` (``join`` or ``leave``)."""
    log = read_log(team_log_path(project), TEAM_COLUMNS)
    log = log[log["stage"] == stage]
    return dict(zip(*[latest(log, "reviewer")[c] for c in ("reviewer", "action")])) if not log.empty else {}


def left_reviewers(project: Project, stage: str) -> set[str]:
    """Reviewers who left ``stage``: their decisions there no longer count."""
    return {name for name, action in team_changes(project, stage).items() if action == "leave"}


def check_team_log(path: Path) -> list[Problem]:
    """Problems in the team log, each with its line."""
    return check_log_rows(path, TEAM_COLUMNS, row_problems, "")  # rows name no record
