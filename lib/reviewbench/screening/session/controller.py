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
decisions become visible (``other_decisions``) once every screener has screened every
record of this controller's set.

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

from ...errors import ParameterError
from ...logs import utc_timestamp
from ...project import Project
from ..conflicts import blinding_lifted, screeners
from ..criteria import StageSettings, check_reviewer_name, check_stage, load_stage_settings
from ..decisions import RETRACT, append_row, current_decisions, make_row, read_reviewer_log
from ..stopping_log import STOPPABLE_STAGES, current_stops, record_sample_start, record_stop, sample_start
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
            parts.append(f"stopping signal ({self.criterion}): {'yes, you may stop' if self.stop else 'not yet'}")
        parts.append(f"order: {self.ranking}")
        if self.calibration:
            parts.append("calibration round")
        return " · ".join(parts)


def _default_ranker_factory(records: pd.DataFrame, seed: int, **options: Any) -> Any:
    from ..engine import Ranker  # imported lazily: the engine is heavy, and the view works without it

    return Ranker(records, seed=seed, **options)


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
        self._random = [self.ids[i] for i in np.random.default_rng(seed).permutation(len(self.ids))]
        self.decisions: dict[str, dict[str, str]] = {}
        self._history: list[tuple[str, dict[str, str] | None]] = []
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
        rows = read_reviewer_log(self.project, self.stage, self.reviewer)
        decisions: dict[str, dict[str, str]] = {}
        for row in rows.to_dict("records"):
            rid = self.canonical_id(row["record_id"])
            if rid is None:
                continue
            decisions.pop(rid, None)  # keep insertion order = order of the latest decisions
            if row["decision"] != RETRACT:
                decisions[rid] = {**row, "record_id": rid}
        with self._lock:
            self.decisions = decisions

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
            raise ParameterError("record", None, ["a record to screen: every record in this set is screened"])
        row = make_row(self.settings, self.reviewer, rid, decision, reason, note, retrieval, pdf)
        append_row(self.project, self.stage, row)
        with self._lock:
            self._history.append((rid, self.decisions.get(rid)))
            self.decisions.pop(rid, None)
            if row["decision"] != RETRACT:
                self.decisions[rid] = row
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
        """Leave the current record unscreened for now and show the next one."""
        with self._lock:
            order = [r for r in self._order() if r not in self.decisions]
            if self.current_id in order and len(order) > 1:
                i = order.index(self.current_id)
                self.current_id = order[(i + 1) % len(order)]
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
        """The next unscreened record in the current order (``None`` when all are screened)."""
        with self._lock:
            return next((r for r in self._order() if r not in self.decisions), None)

    def labels(self) -> dict[str, int]:
        """The reviewer's include (1) / exclude (0) decisions in decision order (``maybe`` left out)."""
        with self._lock:
            return {r: int(d["decision"] == "include") for r, d in self.decisions.items() if d["decision"] in ("include", "exclude")}

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
            step = self.ranker.step(labels, self._sample_start)  # the loop ``reviewbench simulate`` runs
            ranking = [str(r) for r in step.ranking]
            stopping = step.stop.as_dict()
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
            self._ranked_after = len(labels)
        self._notify()

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
            estimated_recall=stopping.get("estimated_recall"),
            stop=stopping.get("stop"),
            criterion=str(stopping.get("criterion", "")),
            ranking=ranking,
            calibration=bool(self.calibration_ids),
        )

    # -- stopping early --------------------------------------------------------------
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
        line = f"stopping ({s['criterion']}): estimated recall {s['estimated_recall']:.0%}"
        if s.get("recall_interval"):
            low, high = s["recall_interval"]
            line += f" ({s.get('confidence') or 0.95:.0%} interval {low:.0%}-{high:.0%})"
        target = s.get("target_recall")
        return line + (f", target {target:.0%}" if target else "") + (" · you may stop" if s.get("stop") else " · not yet")

    def stopped(self) -> bool:
        """True while the team's decision to stop screening this stage early is in force."""
        return self.stage in current_stops(self.project)

    def can_stop(self) -> bool:
        """True where this stage may be stopped early and the stopping rule says so now."""
        return self.stage in STOPPABLE_STAGES and bool(self.progress().stop)

    def stop_screening(self, note: str = "") -> dict[str, str]:
        """Record the decision to stop this stage here, with what the stopping rule says
        now; the records no one screened then count as marked ineligible by automation
        tools in PRISMA 2020 (see :mod:`.stopping_log`). Returns the row written."""
        p = self.progress()
        return record_stop(self.project, self.stage, self.reviewer, criterion=p.criterion,
                           estimated_recall=p.estimated_recall, screened=p.screened, note=note)

    def in_random_sample(self) -> bool:
        """True once this reviewer has begun the random sample for the stopping test."""
        return self._sample_start is not None

    def can_start_sample(self) -> bool:
        """True where the random sample may begin: active order with a ranking, not yet sampling."""
        return (self.stage in STOPPABLE_STAGES and self.order == "active" and not self.calibration_ids
                and not self.ranker_error and self._ranked_after is not None and self._sample_start is None)

    def start_random_sample(self, note: str = "") -> dict[str, str]:
        """From now on show the records left in random order, so that the stopping test
        (hypergeometric) rests on a random sample; kept in the stopping log. Returns the row."""
        screened = len(self.labels())
        row = record_sample_start(self.project, self.stage, self.reviewer, screened, note)
        with self._lock:
            self._sample_start = screened
        self._request_ranking()
        return row

    def resume_screening(self, note: str = "") -> dict[str, str]:
        """Withdraw a decision to stop (screening goes on; PRISMA counts the rest as unscreened)."""
        return record_stop(self.project, self.stage, self.reviewer, note=note, resume=True)

    def others_visible(self) -> bool:
        """True once every screener has screened every record of this set (blinding lifted)."""
        names = set(screeners(self.project, self.stage)) | {self.reviewer}
        return blinding_lifted(self.project, self.stage, self._scope, names)

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
