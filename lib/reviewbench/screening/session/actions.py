"""Actions that change the team's state, each planned before it is done.

One reviewer's click on *Stop screening here*, *Start random sample* or *Join this stage*
changes what the whole team sees or what is decided. So each is a :class:`TeamAction`:
it says in plain words what it will change (``changes``), whether the rule allows it now
(``allowed``, and ``why_not`` when it does not), and it is done only by
:meth:`TeamAction.confirm`, which appends a row naming who did it. ``undo`` restores the
state before by appending the reverse row (stop / resume, sample / unsample,
join / leave), so the logs read as what happened.

The stop and sample actions of a reviewer come from their
:class:`~.controller.ScreeningController` (:meth:`~.controller.ScreeningController.team_action`);
joining and leaving a stage from :func:`join_action` and :func:`leave_action`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

import pandas as pd

from ...errors import ReviewbenchError
from ...project import Project
from ..conflicts import join_consequences, stage_team
from ..engine.stopping import default_run_length
from ..team import record_team_change, team_changes

@dataclass
class TeamAction:
    """A planned action: ``title`` (its button), ``changes`` (what it will change, one
    sentence each), ``allowed`` now or not (``why_not``: why, in the reviewer's words).
    :meth:`confirm` does it; :meth:`undo` reverses what :meth:`confirm` did."""

    name: str
    title: str
    changes: list[str]
    allowed: bool
    why_not: str
    _do: Callable[[str], dict[str, str]] = field(repr=False)
    _undo: Callable[[], dict[str, str]] = field(repr=False)
    done: dict[str, str] | None = None

    def confirm(self, note: str = "") -> dict[str, str]:
        """Do the action (only when ``allowed``); returns the row written."""
        if not self.allowed:
            raise ReviewbenchError(self.why_not or f"{self.title}: not possible now")
        self.done = self._do(note)
        return self.done

    def undo(self) -> dict[str, str]:
        """Reverse the confirmed action by appending the opposite row; returns it."""
        if self.done is None:
            raise ReviewbenchError(f"{self.title}: nothing to undo, it was not done")
        row = self._undo()
        self.done = None
        return row


def sample_run_needed(total: int) -> int:
    """Records in a row excluded after the last inclusion before the random sample is
    offered: the run the consecutive-irrelevant heuristic of the engine stops at
    (:func:`~reviewbench.screening.engine.stopping.default_run_length`), i.e. once the
    ranking has, by the project's own heuristic, stopped finding relevant records. No new
    threshold: the random sample then tests that claim."""
    return default_run_length(total)


def sample_rule(labels: Iterable[int], total: int) -> tuple[bool, str]:
    """Whether the random sample may begin after these include (1) / exclude (0) decisions
    (in the order made) out of ``total`` records, and why not."""
    seq = list(labels)
    need = sample_run_needed(total)
    hits = [i for i, v in enumerate(seq) if v == 1]
    if not hits:
        return False, "The random sample is offered once you have included a record and the ranking has stopped finding more."
    run = len(seq) - hits[-1] - 1
    if run < need:
        return False, (f"The random sample is offered once the ranking has stopped finding relevant records: {need} records in a "
                       f"row excluded since your last inclusion (now {run}).")
    return True, ""


def join_action(project: Project, stage: str, reviewer: str, by: str, record_ids: Iterable[str],
                clusters: pd.DataFrame | None = None) -> TeamAction:
    """``reviewer`` joins ``stage``'s team once screening there began (confirmed by ``by``)."""
    team = stage_team(project, stage)
    allowed = reviewer in team.pending
    why_not = "" if allowed else (
        f"{reviewer} is already on the team of this stage." if reviewer in team.members
        else f"{reviewer} is not a screener in review.yml.")
    return TeamAction(
        "join", f"Join this stage as {reviewer}",
        join_consequences(project, stage, reviewer, list(record_ids), clusters) if allowed else [],
        allowed, why_not,
        lambda note: record_team_change(project, stage, "join", reviewer, by, note),
        lambda: record_team_change(project, stage, "leave", reviewer, by, "undo"),
    )


def leave_action(project: Project, stage: str, reviewer: str, by: str) -> TeamAction:
    """``reviewer``, who joined ``stage`` after it began, leaves it again (their decisions stop counting)."""
    allowed = team_changes(project, stage).get(reviewer) == "join"
    changes = [
        f"{reviewer}'s decisions at this stage stop counting: their log stays, but agreement, conflicts, PRISMA and the "
        "tables leave it out.",
        "Blinding and the conflicts are as they were before they joined.",
        "Kept with your name in evidence/screening/team.csv; joining again brings the decisions back.",
    ]
    return TeamAction(
        "leave", f"Leave this stage ({reviewer})", changes, allowed,
        "" if allowed else "Only a reviewer who joined after screening began can leave the stage here.",
        lambda note: record_team_change(project, stage, "leave", reviewer, by, note),
        lambda: record_team_change(project, stage, "join", reviewer, by, "undo"),
    )
