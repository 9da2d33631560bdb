"""Decisions about stopping title/abstract screening: ``evidence/screening/stopping.csv``.

Active-learning screening shows the records most likely to be relevant first. Once the
stopping rule says the records left are very unlikely to hold more inclusions, the team
may stop. That is a human decision, so it is kept like every other: an append-only log,
one row per decision, ``stage, decision, criterion, estimated_recall, screened,
reviewer, note, timestamp`` with ``decision``

- ``stop`` or ``resume``: the team stops screening the stage here, or goes on again
  (the latest of these rows for a stage wins);
- ``sample``: the reviewer switches to a random sample of the records left after
  ``screened`` decisions, so that the stopping test (Callaghan and Mueller-Hansen's
  hypergeometric test) rests on a true random sample rather than on the ranked tail;
  ``unsample`` withdraws it (records come in ranked order again). The latest of these
  rows of a reviewer wins.

While a stage is stopped, the PRISMA 2020 flow counts its records that no one screened
as "Records marked as ineligible by automation tools" (removed before screening by the
prioritisation), not as records still to screen. Only title/abstract screening can be
stopped: every report sought is assessed in full text.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from ..errors import ParameterError, Problem
from ..logs import RowProblem, append_rows, check_log_rows, latest, read_log, utc_timestamp
from ..project import Project
from .criteria import check_reviewer_name

STOP_COLUMNS = ["stage", "decision", "criterion", "estimated_recall", "screened", "reviewer", "note", "timestamp"]
STOP_DECISIONS = ("stop", "resume", "sample", "unsample")
STOPPABLE_STAGES = ("title_abstract",)


def stopping_log_path(project: Project) -> Path:
    """Where the stop decisions of a project are kept."""
    return project.stopping_log_file


def record_stop(
    project: Project,
    stage: str,
    reviewer: str,
    *,
    criterion: str = "",
    estimated_recall: float | None = None,
    screened: int | None = None,
    note: str = "",
    resume: bool = False,
) -> dict[str, str]:
    """Append a decision to stop screening ``stage`` (or, with ``resume``, to go on again).

    ``criterion``, ``estimated_recall`` and ``screened`` record what the stopping rule
    said when the team stopped, for the methods section. Returns the row written.
    """
    return _append(project, stage, reviewer, "resume" if resume else "stop",
                   criterion=criterion, estimated_recall=estimated_recall, screened=screened, note=note)


def record_sample_start(project: Project, stage: str, reviewer: str, screened: int, note: str = "") -> dict[str, str]:
    """Append that ``reviewer`` screens a random sample of the records left from now on,
    after ``screened`` decisions. Returns the row written."""
    return _append(project, stage, reviewer, "sample", screened=screened, note=note)


def record_sample_end(project: Project, stage: str, reviewer: str, note: str = "") -> dict[str, str]:
    """Append that ``reviewer`` withdraws their random sample (ranked order again). Returns the row."""
    return _append(project, stage, reviewer, "unsample", note=note)


def _append(
    project: Project, stage: str, reviewer: str, decision: str, *,
    criterion: str = "", estimated_recall: float | None = None, screened: int | None = None, note: str = "",
) -> dict[str, str]:
    """Check one row of the stopping log (:func:`row_problems`) and append it (nothing is
    written if it is wrong)."""
    row = {
        "stage": stage,
        "decision": decision,
        "criterion": criterion,
        "estimated_recall": "" if estimated_recall is None else f"{float(estimated_recall):.4f}",
        "screened": "" if screened is None else str(int(screened)),
        "reviewer": str(reviewer or "").strip(),
        "note": note,
        "timestamp": utc_timestamp(),
    }
    problems = row_problems(row)
    if problems:
        raise problems[0].error()
    append_rows(stopping_log_path(project), [row], STOP_COLUMNS)
    return row


def current_stops(project: Project) -> dict[str, dict[str, Any]]:
    """Stage -> the stop row in force (stages whose latest decision is ``resume`` are absent)."""
    log = read_log(stopping_log_path(project), STOP_COLUMNS)
    log = log[log["decision"].isin(("stop", "resume"))]
    if log.empty:
        return {}
    rows = latest(log, "stage").to_dict("records")
    return {row["stage"]: row for row in rows if row["decision"] == "stop"}


def sample_start(project: Project, stage: str, reviewer: str) -> int | None:
    """After how many decisions ``reviewer`` began the random sample at ``stage`` (None: not begun)."""
    log = read_log(stopping_log_path(project), STOP_COLUMNS)
    log = log[log["decision"].isin(("sample", "unsample")) & (log["stage"] == stage) & (log["reviewer"] == reviewer)]
    if log.empty or log["decision"].iloc[-1] == "unsample":
        return None
    value = str(log["screened"].iloc[-1])
    return int(value) if value.isdigit() else None


def row_problems(row: dict[str, str], settings: None = None) -> list[RowProblem]:
    """What is wrong with one row of the stopping log (empty when it is valid): the rules
    the writer refuses a row by and ``reviewbench validate`` reports. The log has no
    settings of its own."""
    found = []
    stage, decision = row.get("stage", ""), row.get("decision", "")
    if stage not in STOPPABLE_STAGES:
        found.append(RowProblem("stage", stage, f"stage {stage!r} cannot be stopped early (only {', '.join(STOPPABLE_STAGES)})", STOPPABLE_STAGES))
    if decision not in STOP_DECISIONS:
        found.append(RowProblem("decision", decision, f"decision {decision!r} is not one of {', '.join(STOP_DECISIONS)}", STOP_DECISIONS))
    recall = row.get("estimated_recall", "")
    if recall:
        try:
            value = float(recall)
        except ValueError:
            value = math.nan
        if not 0.0 <= value <= 1.0:  # also false for nan
            found.append(RowProblem("estimated_recall", recall, f"estimated_recall {recall!r} is not a share between 0 and 1", ("a share between 0 and 1",)))
    screened = row.get("screened", "")
    if screened and not screened.isdigit():
        found.append(RowProblem("screened", screened, f"screened {screened!r} is not a number of records", ("a number of records, 0 or more",)))
    elif not screened and decision == "sample":
        found.append(RowProblem("screened", screened, "a random sample needs 'screened': the number of decisions before it began", ("a number of records, 0 or more",)))
    reviewer = row.get("reviewer", "")
    if not reviewer:
        found.append(RowProblem("reviewer", reviewer, "no reviewer: name who decided to stop", ("the name of who decided",)))
    else:
        try:
            check_reviewer_name(reviewer)
        except ParameterError as exc:
            found.append(RowProblem("reviewer", reviewer, f"reviewer {reviewer!r} is not a name of letters, digits, '_', '.' or '-'", tuple(exc.valid or ())))
    return found


def check_stopping_log(path: Path) -> list[Problem]:
    """Problems in the stopping log, each with its line."""
    return check_log_rows(path, STOP_COLUMNS, row_problems, "")  # rows name no record
