"""What every stopping criterion is given, and what it answers.

A criterion sees a :class:`ScreeningHistory` (the labels in the order they were screened,
plus what the loop knows besides: where a random-sample phase began, the scores the
ranking gives the records not yet screened, the score each screened record had when it
was shown, an independent check sample) and returns a :class:`StopDecision`: stop or not,
and the recall it estimates with an interval, so the view can show both.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np


@dataclass(frozen=True)
class CheckSample:
    """An independent random sample of the records, screened apart from the ranking.

    ``size`` records were drawn at random, ``positives`` of them relevant; ``found`` of
    those positives the ranked screening has reached so far. The target and quantile
    methods stop once ``found`` is large enough; the sample's labels are not used for
    training, so the ranking cannot aim at them.
    """

    size: int
    positives: int
    found: int


@dataclass(frozen=True)
class ScreeningHistory:
    """The screening so far, as a stopping criterion sees it.

    ``labels``: 1/0 in screening order, priors first. ``n_total``: records in the set.
    ``sample_start``: position in ``labels`` where a random-sample phase began (records
    from there on were drawn at random from those left), ``None`` without one.
    ``pool_scores``: the current relevance scores of the records not yet screened.
    ``shown_scores``: for each screened record, the score it had when it was shown
    (NaN where unknown, e.g. priors). ``check``: an independent random sample.
    ``draw_probs``: for each screened record, the probability with which it was drawn as a
    check record given the draws before it (NaN for records not drawn; :mod:`.importance`).
    """

    labels: np.ndarray
    n_total: int
    sample_start: int | None = None
    pool_scores: np.ndarray | None = None
    shown_scores: np.ndarray | None = None
    check: CheckSample | None = None
    draw_probs: np.ndarray | None = None

    @classmethod
    def of(cls, labels, n_total: int, **kw) -> "ScreeningHistory":
        return cls(np.asarray(labels, dtype=np.int64).ravel(), int(n_total), **kw)

    @property
    def screened(self) -> int:
        return len(self.labels)

    @property
    def relevant_seen(self) -> int:
        return int(self.labels.sum())

    @property
    def unscreened(self) -> int:
        return self.n_total - len(self.labels)


@dataclass(frozen=True)
class StopDecision:
    """The verdict of one criterion on one screening history.

    ``estimated_recall`` is the criterion's point estimate of recall so far and
    ``recall_interval`` its ``(low, high)`` interval at ``confidence`` (``None`` where the
    criterion cannot estimate, e.g. before any relevant record). ``estimated_relevant`` is
    the implied total number of relevant records (point estimate). ``needs`` says what is
    missing before the criterion can ever stop (e.g. a random sample); empty when nothing is.
    ``draw``: the criterion asks for the next records to be check draws (the loop starts
    its sample phase, :meth:`Ranker.step <reviewbench.screening.engine.Ranker.step>`).
    """

    criterion: str
    target_recall: float
    confidence: float | None
    stop: bool
    estimated_recall: float | None
    recall_interval: tuple[float, float] | None = None
    estimated_relevant: float | None = None
    p_value: float | None = None
    screened: int = 0
    relevant_seen: int = 0
    needs: str = ""
    draw: bool = False
    details: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        out = asdict(self)
        if self.recall_interval is not None:
            out["recall_interval"] = [float(v) for v in self.recall_interval]
        return out


def decision(
    name: str,
    history: ScreeningHistory,
    target_recall: float,
    confidence: float | None,
    *,
    stop: bool,
    missed: float | None = None,
    missed_high: float | None = None,
    missed_low: float = 0.0,
    **extra,
) -> StopDecision:
    """A :class:`StopDecision` from estimates of how many relevant records were missed.

    ``missed`` is the point estimate, ``missed_high``/``missed_low`` the interval ends;
    recall is ``seen / (seen + missed)`` (undefined before any relevant record).
    """
    seen = history.relevant_seen
    estimated = interval = total = None
    if seen and missed is not None:
        estimated = seen / (seen + missed)
        total = seen + missed
        high = missed if missed_high is None else missed_high
        interval = (seen / (seen + high), seen / (seen + missed_low))
    return StopDecision(
        criterion=name,
        target_recall=target_recall,
        confidence=confidence,
        stop=bool(stop and seen),
        estimated_recall=estimated,
        recall_interval=interval,
        estimated_relevant=total,
        screened=history.screened,
        relevant_seen=seen,
        **extra,
    )


def missed_for_target(relevant_seen: int, target_recall: float) -> int:
    """Fewest still-missed relevant records that would put recall below the target."""
    return int(math.floor(relevant_seen / target_recall - relevant_seen + 1e-9)) + 1


def allowed_missed(relevant_seen: int, target_recall: float) -> float:
    """Most missed relevant records with recall still at the target: ``seen (1 - t) / t``."""
    return relevant_seen * (1 - target_recall) / target_recall


def quiet_run(labels: np.ndarray) -> int:
    """Irrelevant records screened since the last relevant one (all of them before any)."""
    hits = np.flatnonzero(np.asarray(labels))
    return len(labels) - (int(hits[-1]) + 1 if len(hits) else 0)
