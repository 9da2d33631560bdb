"""Replay a screened dataset through the ranking loop (``reviewbench simulate``).

The simulation runs the same :class:`~reviewbench.screening.engine.Ranker` loop as live
screening: label the prior records, then repeatedly fit, rank, and "screen" the top record
by revealing its known label. Once every relevant record has been found the remaining
order can no longer change any recall figure, so the rest of the records follow in the
last model's ranking without retraining (ASReview's simulations stop at the same point).

The stopping criteria are evaluated after every screened record, from the labels seen so
far only; the first rank at which each fires is reported.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from ..errors import InputFileError, ParameterError
from ..formats import read_file
from .engine import Ranker
from .engine.stopping import (
    consecutive_irrelevant,
    default_run_length,
    hypergeometric_p,
    hypergeometric_test,
)
from .metrics import recall_curve

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
    """The screening order and where each stopping criterion would have fired."""

    order: pd.DataFrame  # rank, record_id, label
    stops: dict[str, dict[str, Any]] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def labels(self) -> np.ndarray:
        return self.order["label"].to_numpy()


def _first_stop(labels: np.ndarray, n_priors: int, n_total: int, target: float, confidence: float, run_length: int) -> dict[str, dict]:
    """First rank at which each criterion fires, judged from the prefix seen at that rank."""
    alpha = 1 - confidence
    stops: dict[str, dict] = {}
    hits = np.cumsum(labels)
    run = 0
    for i in range(len(labels)):
        run = 0 if labels[i] else run + 1
        seen = i + 1
        if seen <= n_priors or hits[i] == 0:
            continue
        if "consecutive_irrelevant" not in stops and run >= run_length:
            d = consecutive_irrelevant(labels[:seen], n_total, run_length, target)
            stops["consecutive_irrelevant"] = {"stopped_at": seen, "estimated_recall": d.estimated_recall}
        if "hypergeometric" not in stops and hypergeometric_p(labels[:seen], n_total, target) < alpha:
            d = hypergeometric_test(labels[:seen], n_total, target, confidence)
            stops["hypergeometric"] = {"stopped_at": seen, "estimated_recall": d.estimated_recall}
        if len(stops) == 2:
            break
    return stops


def simulate(
    records: pd.DataFrame,
    labels: pd.Series,
    seed: int = 1,
    n_prior_included: int = 1,
    n_prior_excluded: int = 1,
    prior_ids: Iterable[str] | None = None,
    target_recall: float = 0.95,
    confidence: float = 0.95,
    retrain: str = "adaptive",
    **ranker_options: Any,
) -> SimulationResult:
    """Replay ``labels`` (0/1 by record_id) through the ranking loop; see the module docstring.

    ``retrain="always"`` refits after every record, exactly like the screening view.
    ``"adaptive"`` (the default) refits after every relevant record, and after irrelevant
    ones once ``1 + labelled // 100`` records have been screened since the last fit, so a
    long tail of exclusions costs a fraction of the fits (shown records always come from a
    ranking of the current pool).
    """
    if retrain not in ("always", "adaptive"):
        raise ParameterError("retrain", retrain, ["always", "adaptive"])
    started = time.perf_counter()
    truth = labels.astype(int)
    if truth.sum() == 0:
        raise ParameterError("labels", "no relevant record", ["a dataset with at least one relevant record"])
    priors = choose_priors(truth, n_prior_included, n_prior_excluded, seed, prior_ids)
    ranker = Ranker(records, seed=seed, target_recall=target_recall, confidence=confidence, **ranker_options)
    seen: dict[str, int] = {rid: int(truth[rid]) for rid in priors}
    order = list(priors)
    found, total = sum(seen.values()), int(truth.sum())
    ranking: list[str] = []
    since_fit, refit = 0, True
    while len(order) < len(ranker.ids):
        if refit or retrain == "always" or since_fit >= 1 + len(seen) // 100:
            ranking = ranker.fit(seen).rank()
            since_fit, refit = 0, False
        else:
            ranking = ranking[1:]
        if found == total:  # nothing left to find: the rest follows the last ranking
            order += ranking
            break
        nxt = ranking[0]
        seen[nxt] = int(truth[nxt])
        found += seen[nxt]
        refit = seen[nxt] == 1
        since_fit += 1
        order.append(nxt)
    frame = pd.DataFrame(
        {"rank": np.arange(1, len(order) + 1), "record_id": order, "label": [int(truth[r]) for r in order]}
    )
    run_length = ranker_options.get("run_length") or default_run_length(len(order))
    stops = _first_stop(frame["label"].to_numpy(), len(priors), len(order), target_recall, confidence, run_length)
    reports = {}
    for name in ("hypergeometric", "consecutive_irrelevant"):
        hit = stops.get(name, {"stopped_at": None, "estimated_recall": None})
        reports[name] = {
            "criterion": name,
            "target_recall": target_recall,
            "confidence": confidence if name == "hypergeometric" else None,
            **hit,
        }
    return SimulationResult(frame, reports, time.perf_counter() - started)


def plot_recall_curve(labels: np.ndarray, path: str | Path, title: str = "") -> None:
    """Recall against records screened, with random order's expected diagonal (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..outputs_io import write_bytes

    curve = recall_curve(labels)
    n = len(curve)
    fig, ax = plt.subplots(figsize=(6, 4.5), dpi=100)
    x = np.arange(0, n + 1)
    ax.plot(x, np.concatenate([[0.0], curve]), label="active learning", color="#1f77b4")
    ax.plot([0, n], [0, 1], linestyle="--", color="grey", label="random order (expected)")
    ax.axhline(0.95, color="#d62728", linewidth=0.8, linestyle=":", label="95% recall")
    ax.set_xlabel("records screened")
    ax.set_ylabel("recall")
    ax.set_xlim(0, n)
    ax.set_ylim(0, 1.02)
    if title:
        ax.set_title(title)
    ax.legend(loc="lower right")
    fig.tight_layout()
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    write_bytes(buf.getvalue(), path)
