"""Replay a screened dataset through the ranking loop (``reviewbench simulate``).

The simulation runs the loop of live screening, :meth:`Ranker.step
<reviewbench.screening.engine.Ranker.step>`: label the prior records, then after every
decision refit, rank, and "screen" the first record of the ranking by revealing its known
label, exactly as the screening view shows the first record of each new ranking. A
random-sample phase (``sample_when``) starts when a criterion first fires, as when a
reviewer presses the button, and from then on records come in the live view's random
order; a criterion that asks for check draws (``StopDecision.draw``, e.g. ``importance``)
starts its sample the same way, and the draws are screened like any other record. Once every relevant record has been found the remaining order can no longer change
any recall figure or any criterion that reads only labels, so the rest of the records
follow in the last model's ranking without retraining (ASReview's simulations stop at the
same point; ``full=True`` steps to the end).

Stopping criteria are judged from the labels seen so far only: the default one after every
step of the loop (its estimate and interval are kept per step), the others on every prefix
of the resulting order; the first rank at which each fires is reported.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd

from ..errors import InputFileError, ParameterError
from ..formats import read_file
from .engine import Ranker, Step
from .engine.stopping import SAMPLERS, CheckSample, ScreeningHistory, StopDecision, hypergeometric_p, judge

#: Cell values accepted in a label column, after lower-casing and stripping.
LABEL_VALUES = {
    "1": 1, "1.0": 1, "true": 1, "yes": 1, "y": 1, "include": 1, "included": 1, "relevant": 1,
    "0": 0, "0.0": 0, "false": 0, "no": 0, "n": 0, "exclude": 0, "excluded": 0, "irrelevant": 0,
}


def load_labelled(path: str | Path, label_column: str) -> tuple[pd.DataFrame, pd.Series]:
    """Read a dataset and its labels.

    Returns the records (``record_id`` replaced by the file's own id, ``source_id``, when
    every row has a distinct one, so results join back to the user's file) and a 0/1
    Series indexed by ``record_id``. Raises :class:`InputFileError` for a missing column or
    a cell that is not a recognisable label.
    """
    records, _report = read_file(path)
    if label_column in records.columns:
        raw = records[label_column]
    else:
        extras = records["extra"].map(lambda e: e if isinstance(e, dict) else {})
        names = {k for e in extras for k in e}
        match = label_column if label_column in names else next(
            (n for n in sorted(names) if n.lower() == label_column.lower()), None
        )
        if match is None:
            raise InputFileError(
                path,
                f"no column {label_column!r}",
                expected="a label column; columns found besides the record fields: "
                + (", ".join(sorted(names)) or "none"),
            )
        raw = extras.map(lambda e: e.get(match))
    ids = records["source_id"].astype(str).str.strip() if "source_id" in records.columns else None
    if ids is not None and (ids != "").all() and ids.is_unique:
        records = records.assign(record_id=ids.values)
    labels = []
    for pos, value in enumerate(raw):
        key = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value).strip().lower()
        if key not in LABEL_VALUES:
            raise InputFileError(
                path,
                f"record {records['record_id'].iloc[pos]} (record {pos + 1} of the file) has label "
                f"{value!r} in column {label_column!r}",
                expected="1/0, yes/no, true/false or include/exclude",
            )
        labels.append(LABEL_VALUES[key])
    return records.reset_index(drop=True), pd.Series(labels, index=records["record_id"].tolist(), name="label")


def choose_priors(
    labels: pd.Series,
    n_included: int = 1,
    n_excluded: int = 1,
    seed: int = 1,
    prior_ids: Iterable[str] | None = None,
) -> list[str]:
    """Prior record ids: the given ones, else random included then excluded drawn with ``seed``."""
    if prior_ids:
        prior_ids = [str(p) for p in prior_ids]
        missing = [p for p in prior_ids if p not in labels.index]
        if missing:
            raise ParameterError("--prior-ids", missing[0], ["record ids of the dataset"])
        return list(dict.fromkeys(prior_ids))
    rng = np.random.default_rng(seed)
    chosen: list[str] = []
    for value, n, name in ((1, n_included, "--prior-included"), (0, n_excluded, "--prior-excluded")):
        pool = labels.index[labels.to_numpy() == value]
        if n > len(pool):
            raise ParameterError(name, n, [f"at most {len(pool)} (records labelled {value})"])
        chosen += [str(x) for x in rng.choice(np.asarray(pool, dtype=object), size=n, replace=False)]
    return chosen


@dataclass
class SimulationResult:
    """The screening order, where each criterion would have stopped, and the default's estimates.

    ``stops``: criterion name -> its stop report (the ``--stop-report`` keys, plus the recall
    interval). ``estimates``: one row per step of the loop (``screened``, ``estimated_recall``,
    ``recall_low``, ``recall_high``, ``stop``) for the default criterion, ``criterion``.
    """

    order: pd.DataFrame  # rank, record_id, label
    stops: dict[str, dict[str, Any]] = field(default_factory=dict)
    criterion: str = ""
    estimates: pd.DataFrame | None = None
    sample_start: int | None = None
    seconds: float = 0.0

    @property
    def labels(self) -> np.ndarray:
        return self.order["label"].to_numpy()

    def stop_report(self) -> dict[str, Any]:
        """The default criterion's report (DESIGN.md ``--stop-report``), the others under ``others``."""
        report = dict(self.stops[self.criterion])
        report["others"] = [s for name, s in self.stops.items() if name != self.criterion]
        return report


#: Criteria judged on every prefix of a simulated order, besides the default one.
LABEL_CRITERIA = ("hypergeometric", "poisson_process", "knee", "consecutive_irrelevant")

#: Cheaper equivalents of "does it stop here" where a criterion's full verdict is costly.
FIRES: dict[str, Callable[[ScreeningHistory, float, float], bool]] = {
    "hypergeometric": lambda h, t, c: bool(h.relevant_seen)
    and hypergeometric_p(h.labels, h.n_total, t, h.sample_start) < 1 - c,
}


def stop_report(decision: StopDecision | None, name: str, target_recall: float, confidence: float,
                stopped_at: int | None) -> dict[str, Any]:
    """The ``--stop-report`` dict: where ``name`` fired (``None``: never) and its estimate there."""
    return {
        "criterion": name,
        "target_recall": target_recall,
        "confidence": None if decision is None else decision.confidence,
        "stopped_at": None if stopped_at is None else int(stopped_at),
        "estimated_recall": None if decision is None or stopped_at is None or decision.estimated_recall is None
        else float(decision.estimated_recall),
        "recall_interval": None if decision is None or decision.recall_interval is None
        else [float(v) for v in decision.recall_interval],
    }


def first_stop(
    labels: np.ndarray,
    name: str,
    n_total: int,
    target_recall: float = 0.95,
    confidence: float = 0.95,
    start: int = 1,
    sample_start: int | None = None,
    **params: Any,
) -> tuple[int | None, StopDecision | None]:
    """First prefix length ``>= start`` of ``labels`` at which criterion ``name`` stops, and its verdict there."""
    labels = np.asarray(labels, dtype=np.int64)
    fires = FIRES.get(name) if not params else None
    hits = np.cumsum(labels)
    for n in range(max(1, start), len(labels) + 1):
        if hits[n - 1] == 0:
            continue
        history = ScreeningHistory(labels[:n], n_total, sample_start=sample_start)
        if fires is not None and not fires(history, target_recall, confidence):
            continue
        verdict = judge(name, history, target_recall, confidence, **params)
        if verdict.stop:
            return n, verdict
    return None, None


def simulate(
    records: pd.DataFrame,
    labels: pd.Series,
    seed: int = 1,
    n_prior_included: int = 1,
    n_prior_excluded: int = 1,
    prior_ids: Iterable[str] | None = None,
    target_recall: float = 0.95,
    confidence: float = 0.95,
    sample_when: str | tuple[str, dict[str, Any]] | None = None,
    full: bool = False,
    until_recall: float = 1.0,
    on_step: Callable[[Ranker, Step], None] | None = None,
    other_criteria: Iterable[str] = LABEL_CRITERIA,
    **ranker_options: Any,
) -> SimulationResult:
    """Replay ``labels`` (0/1 by record_id) through the ranking loop; see the module docstring.

    ``sample_when``: a criterion (a name, or ``(name, params)``) whose first firing starts
    the random-sample phase.
    ``until_recall``: stop replaying once this share of the relevant records is found (the
    rest follows the last ranking; 0.95 suffices for WSS@95). ``on_step(ranker, step)`` is
    called after every step (benchmarks record what they need).
    ``ranker_options`` go to :class:`Ranker` (``stopping`` names the default criterion).
    """
    started = time.perf_counter()
    truth = labels.astype(int)
    if truth.sum() == 0:
        raise ParameterError("labels", "no relevant record", ["a dataset with at least one relevant record"])
    priors = choose_priors(truth, n_prior_included, n_prior_excluded, seed, prior_ids)
    ranker = Ranker(records, seed=seed, target_recall=target_recall, confidence=confidence, **ranker_options)
    criterion = ranker.options["stopping"]
    seen: dict[str, int] = {rid: int(truth[rid]) for rid in priors}
    order = list(priors)
    found, total = sum(seen.values()), int(truth.sum())
    enough = max(1, math.ceil(until_recall * total - 1e-9))
    sample_start: int | None = None
    trigger, trigger_params = (sample_when, {}) if isinstance(sample_when, str) or sample_when is None else sample_when
    rows: list[tuple] = []
    default_at, default_decision = None, None
    while True:
        step = ranker.step(seen, sample_start)
        if sample_start is None and len(seen) > len(priors):
            if step.stop.draw or (
                    trigger and judge(trigger, ranker.history(), target_recall, confidence, **trigger_params).stop):
                sample_start = len(seen)  # the criterion asks for check draws, or the reviewer presses "sample"
                step = ranker.step(seen, sample_start)
        if on_step is not None:
            on_step(ranker, step)
        d = step.stop
        low, high = d.recall_interval or (None, None)
        rows.append((len(seen), d.estimated_recall, low, high, d.stop))
        if default_at is None and d.stop and len(seen) > len(priors):
            default_at, default_decision = len(seen), d
        if not step.ranking:
            break
        drawing = criterion in SAMPLERS and default_at is None  # its verdict needs the draws themselves
        if found >= enough and not full and not drawing and (trigger is None or sample_start is not None):
            # nothing left to find: the rest follows the last ranking
            order += step.ranking
            break
        nxt = step.ranking[0]
        seen[nxt] = int(truth[nxt])
        found += seen[nxt]
        order.append(nxt)
    frame = pd.DataFrame(
        {"rank": np.arange(1, len(order) + 1), "record_id": order, "label": [int(truth[r]) for r in order]}
    )
    sequence = frame["label"].to_numpy()
    n = len(order)
    if default_at is None and len(seen) < n:  # the tail: judged from labels alone
        default_at, default_decision = first_stop(sequence, criterion, n, target_recall, confidence,
                                                  start=len(seen) + 1, sample_start=sample_start,
                                                  **ranker.criterion_params(criterion))
    stops = {criterion: stop_report(default_decision, criterion, target_recall, confidence, default_at)}
    for name in other_criteria:
        if name == criterion:
            continue
        at, verdict = first_stop(sequence, name, n, target_recall, confidence, start=len(priors) + 1,
                                 sample_start=sample_start, **ranker.criterion_params(name))
        stops[name] = stop_report(verdict, name, target_recall, confidence, at)
    estimates = pd.DataFrame(rows, columns=["screened", "estimated_recall", "recall_low", "recall_high", "stop"])
    return SimulationResult(frame, stops, criterion, estimates, sample_start, time.perf_counter() - started)


def check_sample_stop(
    order: pd.DataFrame,
    name: str,
    seed: int,
    target_recall: float = 0.95,
    confidence: float = 0.95,
    positives: int | None = None,
    **params: Any,
) -> dict[str, Any]:
    """Where a check-sample criterion (``target``, ``quantile``) stops on a simulated ``order``.

    The independent sample is drawn with ``seed`` from all records, one at a time, until it
    holds ``positives`` relevant records (default: the target method's ``T``) or every
    record; its labels are not used for training, so the ranked order of a plain simulation
    is the order the method screens in. Returns the stop report plus ``screened`` (records
    in the ranked prefix or the sample) and ``recall`` (true recall of those records).
    """
    from .engine.stopping.samples import target_size

    labels = order["label"].to_numpy()
    n_total = len(labels)
    want = positives or target_size(target_recall, confidence)
    draw = np.random.default_rng([seed, 1811]).permutation(n_total)  # positions in ``order``
    reached = np.cumsum(labels[draw])
    size = int(np.searchsorted(reached, want) + 1) if reached[-1] >= want else n_total
    sample = draw[:size]
    in_sample = np.zeros(n_total, dtype=bool)
    in_sample[sample] = True
    sample_pos = np.flatnonzero(in_sample & (labels == 1))  # ranked positions of the sample's relevant
    r = len(sample_pos)
    stopped_at, verdict = None, None
    for n in [len(labels)] if r == 0 else list(sample_pos + 1) + [n_total]:
        f = int(np.searchsorted(sample_pos, n, side="left")) if r else 0
        history = ScreeningHistory(labels[:n], n_total, check=CheckSample(size, r, f))
        verdict = judge(name, history, target_recall, confidence, **params)
        if verdict.stop:
            stopped_at = n
            break
    if stopped_at is None:
        screened, found = n_total, labels.sum()
    else:
        rest = in_sample[stopped_at:]
        screened = stopped_at + int(rest.sum())
        found = labels[:stopped_at].sum() + labels[stopped_at:][rest].sum()
    report = stop_report(verdict, name, target_recall, confidence, stopped_at)
    return {**report, "screened": int(screened), "recall": float(found / labels.sum()), "sample_size": size}


def plot_recall_curve(result: SimulationResult, path: str | Path, title: str = "") -> Path:
    """The simulated recall curve with the default criterion's estimates and stop (PNG or SVG)."""
    from .engine.recall_figure import write_recall_curve

    stop = result.stops.get(result.criterion, {})
    return write_recall_curve(
        path, labels=result.labels, estimates=result.estimates, stopped_at=stop.get("stopped_at"),
        criterion=result.criterion, relevant_total=int(result.labels.sum()),
        target_recall=stop.get("target_recall", 0.95), title=title,
    )
