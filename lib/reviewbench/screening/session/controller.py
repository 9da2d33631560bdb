"""The screening controller: what the screening view does, in plain Python.

It holds one reviewer's place in one stage: which record to show next, their
decisions, undo, jump, progress and the ranking. The view
(:mod:`reviewbench.screening.views`) only draws it and forwards clicks and keys, so
everything here is testable without a browser.

Order of records:

- ``active``: most likely relevant first, from :class:`reviewbench.screening.engine.Ranker`,
  retrained on the reviewer's own include/exclude decisions in a background thread
  (:mod:`.trainer`) after each decision by one :meth:`Ranker.step
  <reviewbench.screening.engine.Ranker.step>`, the loop ``reviewbench simulate`` replays.
  The next record is the top of the new ranking when it is ready within
  ``next_ranking_wait`` seconds (re-ranking takes well under that up to 20,000 records),
  else the next of the previous ranking, so the reviewer never waits longer. Until the
  first ranking is ready, and if the engine cannot be loaded, records come in file order.
- ``file``: the order of the records as imported.
- ``random``: a random order fixed by ``seed`` (the same for every reviewer).

Calibration round: with ``calibration_n=N`` the reviewer screens only the same first N
records as everyone else (the first N in random order fixed by ``seed``, or in file
order when ``order="file"``), so the team can compare decisions before screening apart.
With ``calibration_n=None`` N is the stage's ``calibration_records`` in ``review.yml``,
until the reviewer has screened those records; then the whole stage opens.

Blinding: the controller reads and shows only its reviewer's own log. Other reviewers'
decisions become visible (``other_decisions``) once blinding of the stage is lifted:
every member of its team has screened every record of the stage
(:func:`reviewbench.screening.conflicts.blinding`).

Skip: a skipped record goes to the end of this session's order; it comes back once the
records not skipped are screened.

Team actions: stopping the stage for the team and the reviewer's random sample are
:class:`~.actions.TeamAction` objects (:meth:`ScreeningController.team_action`): they
say what they change, are done only when confirmed, and can be undone. Stopping is
offered when the stopping rule says so for every member of the team
(:meth:`ScreeningController.stop_check`), the random sample once the ranking has stopped
finding relevant records (:func:`~.actions.sample_rule`). The engine is called in one
place, :func:`rank_step`, for the reviewer's own ranking and for the teammates' verdicts.

Undo: each decision of this session can be undone, latest first. Undo appends a row
that restores the previous state: the reviewer's previous decision on the record
re-appended, or a ``retract`` row when there was none (see
:mod:`reviewbench.screening.decisions`).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd

from ...errors import ParameterError, ReviewbenchError
from ...logs import utc_timestamp
from ...project import Project
from ..conflicts import Blinding, Team, blinding, stage_team
from ..criteria import StageSettings, check_reviewer_name, check_stage, load_stage_settings
from ..decisions import RETRACT, append_row, current_decisions, make_row, read_reviewer_log
from ..stopping_log import (
    STOPPABLE_STAGES, current_stops, record_sample_end, record_sample_start, record_stop, sample_start,
)
from .actions import TeamAction, join_action, sample_rule
from .trainer import BackgroundTrainer

ORDERS = ("active", "file", "random")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Progress:
    """Where the reviewer stands. ``estimated_recall`` and ``stop`` come from the
    engine's stopping criterion (``None`` before it has a ranking)."""

    screened: int
    total: int
    included: int
    excluded: int
    maybe: int
    estimated_recall: float | None
    stop: bool | None
    criterion: str
    ranking: str
    calibration: bool

    @property
    def remaining(self) -> int:
        return self.total - self.screened

    def summary(self) -> str:
        """One line for the view, e.g. ``12 of 70 screened · 3 included · ...``."""
        parts = [
            f"{self.screened} of {self.total} screened",
            f"{self.included} included",
            f"{self.excluded} excluded",
            f"{self.maybe} maybe",
        ]
        if self.estimated_recall is not None:
            parts.append(f"estimated recall {self.estimated_recall:.0%}")
        if self.stop is not None:
            parts.append(f"stopping signal ({self.criterion}): {'yes, for your screening' if self.stop else 'not yet'}")
        parts.append(f"order: {self.ranking}")
        if self.calibration:
            parts.append("calibration round")
        return " · ".join(parts)


def too_early_to_estimate(stopping: dict[str, Any]) -> bool:
    """True while the criterion has found fewer relevant records than it needs before it may
    stop (``min_relevant`` in its details): its estimate (often "100%" after one early hit
    and a quiet stretch) is not shown then, only what it waits for."""
    need = (stopping.get("details") or {}).get("min_relevant")
    return bool(need) and int(stopping.get("relevant_seen") or 0) < int(need)


def _default_ranker_factory(records: pd.DataFrame, seed: int, **options: Any) -> Any:
    from ..engine import Ranker  # imported lazily: the engine is heavy, and the view works without it

    return Ranker(records, seed=seed, **options)


def rank_step(ranker: Any, labels: dict[str, int], sample_start: int | None) -> tuple[list[str], dict[str, Any]]:
    """One turn of the ranking loop: learn from ``labels`` (record id -> 1/0, in the order
    decided), rank the records left, and the stopping criterion's verdict (a dict with
    ``criterion``, ``stop``, ``estimated_recall``, ...). ``sample_start``: after how many
    decisions the random sample began (``None``: ranked order). The only call into the
    engine's loop (:meth:`Ranker.step`, the loop ``reviewbench simulate`` replays) from a session."""
    step = ranker.step(labels, sample_start)
    return [str(r) for r in step.ranking], step.stop.as_dict()


def labels_of(decisions: dict[str, dict[str, str]]) -> dict[str, int]:
    """Include (1) / exclude (0) decisions in decision order (``maybe`` left out)."""
    return {r: int(d["decision"] == "include") for r, d in decisions.items() if d["decision"] in ("include", "exclude")}


class ScreeningController:
    """One reviewer screening one stage. ``records`` are the unique records to screen
    (``record_id`` plus title, abstract, ...), in file order; ``clusters`` (``record_id,
    cluster_id``) or a ``member_ids`` column let log rows naming any member count."""

    def __init__(
        self,
        project: Project,
        stage: str,
        reviewer: str,
        records: pd.DataFrame,
        *,
        clusters: pd.DataFrame | None = None,
        order: str = "active",
        calibration_n: int | None = 0,
        seed: int = 0,
        background: bool = True,
        settings: StageSettings | None = None,
        ranker_factory: Callable[..., Any] | None = None,
        ranker_options: dict[str, Any] | None = None,
        first_ranking_wait: float = 1.0,
        next_ranking_wait: float = 0.5,
    ) -> None:
        self.project = project
        self.stage = check_stage(stage)
        self.reviewer = check_reviewer_name(reviewer)
        if order not in ORDERS:
            raise ParameterError("order", order, list(ORDERS))
        if calibration_n is not None and calibration_n < 0:
            raise ParameterError("calibration_n", calibration_n, ["0 (no calibration), a positive number or None (review.yml)"])
        self.order = order
        self.seed = seed
        self.settings = settings or load_stage_settings(project, stage)
        self.records = records.reset_index(drop=True)
        self.ids: list[str] = self.records["record_id"].astype(str).tolist()
        if len(set(self.ids)) != len(self.ids):
            raise ParameterError("records", "a table with repeated record_id", ["one row per record"])
        self._row = {rid: i for i, rid in enumerate(self.ids)}
        self._canonical = self._member_map(clusters)
        self._clusters = pd.DataFrame({"record_id": list(self._canonical), "cluster_id": list(self._canonical.values())})
        self._random = [self.ids[i] for i in np.random.default_rng(seed).permutation(len(self.ids))]
        self.decisions: dict[str, dict[str, str]] = {}
        self._history: list[tuple[str, dict[str, str] | None]] = []
        self._skipped: list[str] = []
        self._team_verdicts: dict[str, dict[str, Any]] = {}  # teammate -> their stopping verdict
        self._team_rankers: dict[str, Any] = {}
        self._lock = threading.RLock()
        self._listeners: list[Callable[[], None]] = []
        # ranking state (written by the trainer, read by the view)
        self._ranking: list[str] = []
        self._stopping: dict[str, Any] = {}
        self._ranked_after: int | None = None
        self.ranker: Any = None
        self.ranker_error: str = ""
        self._ranker_factory = ranker_factory or _default_ranker_factory
        self._ranker_options = dict(ranker_options or {})
        if "terms" not in self._ranker_options and (self.settings.include_terms or self.settings.exclude_terms):
            self._ranker_options["terms"] = {
                "include": list(self.settings.include_terms),
                "exclude": list(self.settings.exclude_terms),
            }
        self._background = background
        self.next_ranking_wait = next_ranking_wait
        self._trainer = BackgroundTrainer(self._train_once, self._lock)
        self.reload()
        # After how many decisions this reviewer began the random sample for the stopping test.
        self._sample_start = sample_start(project, self.stage, self.reviewer) if self.stage in STOPPABLE_STAGES else None
        self.calibration_ids: list[str] = self._calibration_set(calibration_n)
        self._scope = self.calibration_ids or self.ids
        self.current_id: str | None = None
        if self.order == "active" and not self.calibration_ids:
            self._request_ranking()
            self._trainer.wait(first_ranking_wait)  # show the best record if the ranking is quick
        self.current_id = self.next_id()

    def _calibration_set(self, n: int | None) -> list[str]:
        """The records of the calibration round: the same first ``n`` for every reviewer.

        ``None`` takes ``calibration_records`` of the stage in ``review.yml`` for as long as
        this reviewer has not screened all of them; after that, the whole stage.
        """
        base = self.ids if self.order == "file" else self._random
        if n is None:
            first = base[: self.settings.calibration_records]
            return first if any(rid not in self.decisions for rid in first) else []
        return base[:n]

    # -- records ---------------------------------------------------------------------
    def _member_map(self, clusters: pd.DataFrame | None) -> dict[str, str]:
        mapping: dict[str, str] = {}
        if clusters is not None and not clusters.empty:
            mapping.update(zip(clusters["record_id"].astype(str), clusters["cluster_id"].astype(str)))
        if "member_ids" in self.records.columns:
            for rid, members in zip(self.ids, self.records["member_ids"]):
                if isinstance(members, (list, tuple)):
                    mapping.update({str(m): rid for m in members})
        mapping.update({rid: rid for rid in self.ids})
        return mapping

    def canonical_id(self, record_id: str) -> str | None:
        """The id of the screened record that ``record_id`` (any dedup member) belongs to."""
        return self._canonical.get(str(record_id).strip())

    def record(self, record_id: str | None = None) -> dict[str, Any]:
        """The record as a dict (the current one by default)."""
        rid = record_id or self.current_id
        if rid is None:
            return {}
        return self.records.iloc[self._row[rid]].to_dict()

    # -- decisions -------------------------------------------------------------------
    def reload(self) -> None:
        """Re-read the reviewer's own log (e.g. after screening in another tab)."""
        decisions = self._decisions_of(self.reviewer)
        with self._lock:
            self.decisions = decisions

    def _decisions_of(self, reviewer: str) -> dict[str, dict[str, str]]:
        """A reviewer's current decisions on this set, in the order of their latest rows."""
        decisions: dict[str, dict[str, str]] = {}
        for row in read_reviewer_log(self.project, self.stage, reviewer).to_dict("records"):
            rid = self.canonical_id(row["record_id"])
            if rid is None:
                continue
            decisions.pop(rid, None)  # keep insertion order = order of the latest decisions
            if row["decision"] != RETRACT:
                decisions[rid] = {**row, "record_id": rid}
        return decisions

    def decision_for(self, record_id: str | None = None) -> dict[str, str] | None:
        """The reviewer's current decision on a record (``None`` when unscreened)."""
        return self.decisions.get(record_id or self.current_id or "")

    def decide(
        self,
        decision: str,
        reason: str = "",
        note: str = "",
        retrieval: str = "",
        pdf: str = "",
    ) -> dict[str, str]:
        """Record a decision on the current record, append it to the log, move on.

        Returns the row written. Raises :class:`ParameterError` (nothing written) for an
        invalid decision, e.g. a full-text exclusion without a reason.
        """
        rid = self.current_id
        if rid is None:
            raise ReviewbenchError("Every record in this set is screened: there is no record to decide on.")
        if self.pending():
            raise ReviewbenchError(f"Screening of this stage began before you were listed, so your decisions would change what the "
                                   f"team sees and what is decided: join the stage first ({self.reviewer} is not counted yet).")
        row = make_row(self.settings, self.reviewer, rid, decision, reason, note, retrieval, pdf)
        append_row(self.project, self.stage, row)
        with self._lock:
            self._history.append((rid, self.decisions.get(rid)))
            self.decisions.pop(rid, None)
            if row["decision"] != RETRACT:
                self.decisions[rid] = row
            if rid in self._skipped:
                self._skipped.remove(rid)
            shown = self.current_id = self.next_id()  # from the ranking so far, should the new one be late
        self._request_ranking()
        self._trainer.wait(self.next_ranking_wait)
        with self._lock:
            if self.current_id == shown:  # the top of the new ranking: the step ``simulate`` replays
                self.current_id = self.next_id()
        self._notify()
        return row

    def include(self, note: str = "", **kw: str) -> dict[str, str]:
        return self.decide("include", note=note, **kw)

    def exclude(self, reason: str = "", note: str = "", **kw: str) -> dict[str, str]:
        return self.decide("exclude", reason=reason, note=note, **kw)

    def maybe(self, note: str = "", **kw: str) -> dict[str, str]:
        return self.decide("maybe", note=note, **kw)

    def not_retrieved(self, reason: str, note: str = "", pdf: str = "") -> dict[str, str]:
        """Full text: the report was sought but could not be obtained (an exclusion)."""
        return self.decide("exclude", reason=reason, note=note, retrieval="not_retrieved", pdf=pdf)

    def problem(self, decision: str, reason: str = "", retrieval: str = "") -> str:
        """Why ``decision`` (with ``reason``) cannot be saved on the current record, in the
        reviewer's words; ``""`` when it can."""
        if self.current_id is None:
            return "Every record in this set is screened: there is no record to decide on."
        if retrieval == "not_retrieved":
            if reason not in self.settings.not_retrieved_reasons:
                return "Choose why the report could not be obtained, then press Not retrieved again."
        elif decision == "exclude" and not reason and self.settings.reason_required:
            return (f"Choose why this record is excluded (the list, or keys 1-9): at {self.settings.label.lower()} "
                    "every exclusion needs a reason.")
        return ""

    @property
    def can_undo(self) -> bool:
        return bool(self._history)

    def undo(self) -> str | None:
        """Undo the latest decision of this session; show that record again.

        Appends the previous decision again, or a ``retract`` row if there was none.
        Returns the record id, or ``None`` when there is nothing to undo.
        """
        with self._lock:
            if not self._history:
                return None
            rid, previous = self._history.pop()
            if previous is None:
                row = make_row(self.settings, self.reviewer, rid, RETRACT, note="undo")
            else:
                row = {**previous, "timestamp": utc_timestamp()}
            append_row(self.project, self.stage, row)
            self.decisions.pop(rid, None)
            if previous is not None:
                self.decisions[rid] = row
            self.current_id = rid
        self._after_change()
        return rid

    def jump(self, record_id: str) -> str:
        """Show ``record_id`` (or the record it was merged into) next, screened or not."""
        rid = self.canonical_id(record_id)
        if rid is None:
            raise ParameterError("record_id", record_id, ["the id of a record in this screening set"])
        with self._lock:
            self.current_id = rid
        self._notify()
        return rid

    def skip(self) -> str | None:
        """Leave the current record unscreened for now and show the next one; the skipped
        record comes back after every record not skipped."""
        with self._lock:
            rid = self.current_id
            if rid is not None and rid not in self.decisions:
                if rid in self._skipped:
                    self._skipped.remove(rid)
                self._skipped.append(rid)
                self.current_id = self.next_id()
        self._notify()
        return self.current_id

    # -- order and ranking -----------------------------------------------------------
    def _order(self) -> list[str]:
        if self.calibration_ids:
            return self.calibration_ids
        if self.order == "random":
            return self._random
        if self.order == "active" and self._ranking:
            ranked = set(self._ranking)
            return self._ranking + [r for r in self.ids if r not in ranked]
        return self.ids

    def next_id(self) -> str | None:
        """The next unscreened record in the current order, skipped ones last in the order
        they were skipped (``None`` when all are screened)."""
        with self._lock:
            skipped = set(self._skipped)
            fresh = next((r for r in self._order() if r not in self.decisions and r not in skipped), None)
            if fresh is not None:
                return fresh
            scope = set(self._order())
            return next((r for r in self._skipped if r not in self.decisions and r in scope), None)

    def labels(self) -> dict[str, int]:
        """The reviewer's include (1) / exclude (0) decisions in decision order (``maybe`` left out)."""
        with self._lock:
            return labels_of(self.decisions)

    def _request_ranking(self) -> None:
        if self.order != "active" or self.calibration_ids or self.ranker_error or not self.ids:
            return
        if not self._background:
            self._train_once()
            return
        self._trainer.request()

    def _train_once(self) -> None:
        try:
            if self.ranker is None:
                self.ranker = self._ranker_factory(self.records, self.seed, **self._ranker_options)
            labels = self.labels()
            ranking, stopping = rank_step(self.ranker, labels, self._sample_start)
            if self._draws_asked(stopping):  # the criterion asks for check draws: the sample begins here
                record_sample_start(self.project, self.stage, self.reviewer, len(labels),
                                    f"check draws asked for by the stopping rule ({stopping.get('criterion')})")
                with self._lock:
                    self._sample_start = len(labels)
                ranking, stopping = rank_step(self.ranker, labels, self._sample_start)
            verdicts = self._teammate_verdicts() if stopping.get("stop") and self.stage in STOPPABLE_STAGES else {}
        except Exception as exc:  # the view falls back to file order and says why
            log.warning("ranking unavailable, showing records in file order: %s", exc)
            with self._lock:
                self.ranker_error = f"{type(exc).__name__}: {exc}"
            self._trainer.discard_pending()
            self._notify()
            return
        with self._lock:
            self._ranking = ranking
            self._stopping = stopping
            self._team_verdicts = verdicts
            self._ranked_after = len(labels)
        self._notify()

    def _draws_asked(self, stopping: dict[str, Any]) -> bool:
        """The verdict asks for check draws and this reviewer's sample has not begun."""
        return (bool(stopping.get("draw")) and self._sample_start is None and self.stage in STOPPABLE_STAGES
                and self.order == "active" and not self.calibration_ids)

    def _teammate_verdicts(self) -> dict[str, dict[str, Any]]:
        """The stopping verdict of each other member of the team, from their own decisions
        (run in the trainer's thread, only once the reviewer's own verdict says stop)."""
        out = {}
        for name in self.team().members:
            if name == self.reviewer:
                continue
            labels = labels_of(self._decisions_of(name))
            if not labels:
                out[name] = {"stop": False, "screened": 0}
                continue
            ranker = self._team_rankers.get(name)
            if ranker is None:
                ranker = self._team_rankers[name] = self._ranker_factory(self.records, self.seed, **self._ranker_options)
            _ranking, verdict = rank_step(ranker, labels, sample_start(self.project, self.stage, name))
            out[name] = {**verdict, "screened": len(labels)}
        return out

    def wait_for_ranking(self, timeout: float = 60.0) -> bool:
        """Block until the background ranking is up to date (for tests and scripts)."""
        return self._trainer.wait(timeout)

    # -- progress, blinding, listeners -----------------------------------------------
    def progress(self) -> Progress:
        """Screened, included, ... over this controller's set, and the stopping signal."""
        with self._lock:
            scope = set(self._scope)
            mine = [d["decision"] for r, d in self.decisions.items() if r in scope]
            stopping = dict(self._stopping)
            if self.calibration_ids:
                ranking = "calibration set"
            elif self.order != "active":
                ranking = f"{self.order} order"
            elif self.ranker_error:
                ranking = "file order (ranking unavailable)"
            elif self._ranked_after is None:
                ranking = "file order until the ranking is ready"
            elif self._sample_start is not None and stopping.get("draw"):
                ranking = f"check draws weighted by the ranking, for the stopping rule (since decision {self._sample_start})"
            elif self._sample_start is not None:
                ranking = f"random sample for the stopping test (since decision {self._sample_start})"
            else:
                ranking = f"active learning (ranked after {self._ranked_after} decisions)"
        return Progress(
            screened=len(mine),
            total=len(scope),
            included=mine.count("include"),
            excluded=mine.count("exclude"),
            maybe=mine.count("maybe"),
            estimated_recall=None if too_early_to_estimate(stopping) else stopping.get("estimated_recall"),
            stop=stopping.get("stop"),
            criterion=str(stopping.get("criterion", "")),
            ranking=ranking,
            calibration=bool(self.calibration_ids),
        )

    # -- team, stopping early, random sample ------------------------------------------
    def stop_estimate(self) -> dict[str, Any]:
        """The stopping criterion's latest verdict: ``criterion``, ``stop``, ``estimated_recall``
        and ``recall_interval`` (``[low, high]`` at ``confidence``), ...; empty before a ranking."""
        with self._lock:
            return dict(self._stopping)

    def stop_line(self) -> str:
        """The verdict in one line for the view ("" before a ranking)."""
        s = self.stop_estimate()
        if s.get("estimated_recall") is None:
            return f"stopping ({s['criterion']}): no estimate yet" if s.get("criterion") else ""
        early = too_early_to_estimate(s)
        line = f"stopping ({s['criterion']}): " + ("no estimate yet" if early else f"estimated recall {s['estimated_recall']:.0%}")
        if s.get("recall_interval") and not early:
            low, high = s["recall_interval"]
            line += f" ({s.get('confidence') or 0.95:.0%} interval {low:.0%}-{high:.0%})"
        if s.get("target_recall"):
            line += f", target {s['target_recall']:.0%}"
        if s.get("stop"):
            return line + " · you may stop"
        why = (s.get("details") or {}).get("not_yet", "")
        return line + " · not yet" + (f": it {why}" if why else "")

    def team(self) -> Team:
        """The team of this stage (:func:`~reviewbench.screening.conflicts.stage_team`)."""
        return stage_team(self.project, self.stage)

    def pending(self) -> bool:
        """True while this reviewer is listed but not yet counted at the stage: screening
        began before they were, so joining is a team action (:meth:`team_action` ``"join"``)."""
        return self.reviewer in self.team().pending

    def stopped(self) -> bool:
        """True while the team's decision to stop screening this stage early is in force."""
        return self.stage in current_stops(self.project)

    def stop_check(self) -> tuple[bool, str]:
        """Whether the team may stop screening this stage here, and why not: the stopping
        rule must say so for every member of the team, each from their own decisions."""
        if self.stage not in STOPPABLE_STAGES:
            return False, "Only title/abstract screening can stop early: every report sought is assessed in full."
        if self.stopped():
            return False, "Screening of this stage is already stopped."
        with self._lock:
            own, verdicts = dict(self._stopping), dict(self._team_verdicts)
        if not own:
            return False, "Stopping is offered once the ranking is ready and its stopping rule says so."
        if not own.get("stop"):
            recall = own.get("estimated_recall")
            said = f" (estimated recall {recall:.0%})" if recall is not None else ""
            return False, f"The stopping rule does not say you may stop yet{said}."
        waiting = [f"{name} ({verdicts.get(name, {}).get('screened', 0)} screened)"
                   for name in self.team().members if name != self.reviewer and not verdicts.get(name, {}).get("stop")]
        if waiting:
            return False, ("Stopping is for the whole team, so the stopping rule must say so for every screener; "
                           f"not yet for {', '.join(waiting)}.")
        return True, ""

    def can_stop(self) -> bool:
        """:meth:`stop_check` allows stopping now."""
        return self.stop_check()[0]

    def stop_screening(self, note: str = "") -> dict[str, str]:
        """Record the decision to stop this stage here, with what the stopping rule says
        now; the records no one screened then count as marked ineligible by automation
        tools in PRISMA 2020 (see :mod:`.stopping_log`). Returns the row written. (The
        screening app asks first: :meth:`team_action` ``"stop"``.)"""
        p = self.progress()
        return record_stop(self.project, self.stage, self.reviewer, criterion=p.criterion,
                           estimated_recall=p.estimated_recall, screened=p.screened, note=note)

    def in_random_sample(self) -> bool:
        """True once this reviewer has begun the random sample for the stopping test."""
        return self._sample_start is not None

    def sample_check(self) -> tuple[bool, str]:
        """Whether this reviewer may begin the random sample now, and why not."""
        if self.stage not in STOPPABLE_STAGES:
            return False, "The random sample belongs to title/abstract screening."
        if self._sample_start is not None:
            return False, f"Your random sample began after {self._sample_start} decisions."
        if self.order != "active" or self.calibration_ids:
            return False, "The random sample follows a ranking: it is offered in active order, after any calibration round."
        if self.ranker_error or self._ranked_after is None:
            return False, "The random sample is offered once the ranking is ready."
        return sample_rule(self.labels().values(), len(self.ids))

    def can_start_sample(self) -> bool:
        """:meth:`sample_check` allows the random sample now."""
        return self.sample_check()[0]

    def start_random_sample(self, note: str = "") -> dict[str, str]:
        """From now on show the records left in random order, so that the stopping test
        (hypergeometric) rests on a random sample; kept in the stopping log. Returns the row."""
        screened = len(self.labels())
        row = record_sample_start(self.project, self.stage, self.reviewer, screened, note)
        self._set_sample(screened)
        return row

    def end_random_sample(self, note: str = "") -> dict[str, str]:
        """Withdraw this reviewer's random sample: ranked order again. Returns the row."""
        row = record_sample_end(self.project, self.stage, self.reviewer, note)
        self._set_sample(None)
        return row

    def _set_sample(self, start: int | None) -> None:
        with self._lock:
            self._sample_start = start
        self._request_ranking()
        self._notify()

    def resume_screening(self, note: str = "") -> dict[str, str]:
        """Withdraw a decision to stop (screening goes on; PRISMA counts the rest as unscreened)."""
        return record_stop(self.project, self.stage, self.reviewer, note=note, resume=True)

    def team_action(self, name: str) -> TeamAction:
        """The planned action ``stop``, ``resume``, ``sample``, ``unsample`` or ``join`` of
        this reviewer: what it will change, whether it is allowed now, confirm and undo."""
        if name == "stop":
            allowed, why = self.stop_check()
            p = self.progress()
            left = max(len(self.ids) - len(self._screened_by_anyone()), 0)
            recall = f"estimated recall {p.estimated_recall:.0%}, " if p.estimated_recall is not None else ""
            changes = [
                f"{self.settings.label} stops for the whole team, not only for you.",
                f"The {left} records no one has screened are counted in the PRISMA flow as marked ineligible by automation "
                "tools, not as awaiting screening.",
                f"What the stopping rule says now ({p.criterion}: {recall}{p.screened} screened by you) is kept with your "
                "name in evidence/screening/stopping.csv.",
            ]
            return TeamAction("stop", "Stop screening here", changes, allowed, why, self.stop_screening,
                              lambda: self.resume_screening(note="undo"))
        if name == "resume":
            allowed = self.stopped()
            changes = [f"{self.settings.label} goes on for the whole team: the records no one has screened count as "
                       "awaiting screening again.", "Kept with your name in evidence/screening/stopping.csv."]
            return TeamAction("resume", "Resume screening", changes, allowed, "" if allowed else "Screening is not stopped.",
                              self.resume_screening, lambda: self.stop_screening(note="undo"))
        if name == "sample":
            allowed, why = self.sample_check()
            n = len(self.labels())
            changes = [
                "From your next record on, the records you have not screened come in random order, not the ranking's.",
                f"The stopping test then rests on this random sample (it begins after your {n} include/exclude decisions).",
                "Only your own order changes; it is kept with your name in evidence/screening/stopping.csv.",
            ]
            return TeamAction("sample", "Start random sample", changes, allowed, why, self.start_random_sample,
                              lambda: self.end_random_sample(note="undo"))
        if name == "unsample":
            allowed = self.in_random_sample()
            changes = ["Records come in the ranking's order again, and the stopping test goes back to the ranked sequence.",
                       "Kept with your name in evidence/screening/stopping.csv."]
            start = self._sample_start or 0
            return TeamAction("unsample", "Back to ranked order", changes, allowed, "" if allowed else "You are not in a random sample.",
                              self.end_random_sample, lambda: self._restart_sample(start))
        if name == "join":
            return join_action(self.project, self.stage, self.reviewer, self.reviewer, self.ids, self._clusters)
        raise ParameterError("action", name, ["stop", "resume", "sample", "unsample", "join"])

    def _restart_sample(self, start: int) -> dict[str, str]:
        row = record_sample_start(self.project, self.stage, self.reviewer, start, "undo")
        self._set_sample(start)
        return row

    def _screened_by_anyone(self) -> set[str]:
        current = current_decisions(self.project, self.stage)
        ids = {self.canonical_id(r) for r in current["record_id"]} if not current.empty else set()
        return (ids - {None}) | set(self.decisions)

    def others_visible(self) -> bool:
        """True once blinding of the stage is lifted: every member of the team has screened
        every record of the stage."""
        return not self.blinding().holds and len(self.team().members) >= 2

    def blinding(self) -> Blinding:
        """Blinding at this stage over its records (:func:`~reviewbench.screening.conflicts.blinding`)."""
        return blinding(self.project, self.stage, self.ids, self._clusters)

    def other_decisions(self, record_id: str | None = None) -> dict[str, str]:
        """Other reviewers' decisions on a record, reviewer -> decision; empty while blinded."""
        rid = record_id or self.current_id
        if rid is None or not self.others_visible():
            return {}
        current = current_decisions(self.project, self.stage)
        current = current[current["reviewer"] != self.reviewer]
        out = {}
        for row in current.to_dict("records"):
            if self.canonical_id(row["record_id"]) == rid:
                out[row["reviewer"]] = row["decision"]
        return dict(sorted(out.items()))

    def on_change(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` after each decision, undo, jump or new ranking."""
        self._listeners.append(callback)

    def _after_change(self) -> None:
        self._notify()
        self._request_ranking()

    def _notify(self) -> None:
        for callback in list(self._listeners):
            try:
                callback()
            except Exception:  # a broken view must not stop the screening
                log.exception("screening view callback failed")


def open_controller(
    project: Project, stage: str, reviewer: str, records: pd.DataFrame, clusters: pd.DataFrame | None = None, **options: Any
) -> ScreeningController:
    """A controller over ``records`` (see :func:`reviewbench.pipeline.screening_records`)
    whose ranking caches its features in the project. ``options`` are the controller's
    (``order``, ``calibration_n``, ``seed``, ``background``, ...); ``calibration_n``
    defaults to ``None`` here: the calibration round ``review.yml`` sets, until it is done."""
    options.setdefault("calibration_n", None)
    options.setdefault("ranker_options", {"cache_path": str(project.cache_dir("screening") / f"features-{stage}.npz")})
    return ScreeningController(project, stage, reviewer, records, clusters=clusters, **options)
