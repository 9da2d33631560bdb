"""Human decisions on record pairs, kept in the append-only log ``evidence/dedup/decisions.csv``.

One row per decision: ``record_id, other_record_id, decision, reviewer, note, timestamp``
with ``decision`` ``same`` (one publication) or ``different``. The pair is unordered
and stored with the smaller id first; the latest row for a pair wins. Every run of the
deduplication re-applies these decisions, so a re-run never undoes a human decision.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping

import pandas as pd

from ..errors import Problem, ValidationError
from ..logs import append_rows, latest, read_log_with_lines, utc_timestamp

DECISION_COLUMNS = ["record_id", "other_record_id", "decision", "reviewer", "note", "timestamp"]
DECISION_VALUES = ("same", "different")


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def read_decisions(path: str | Path | None) -> pd.DataFrame:
    """The current decision per pair (latest row wins); an absent file means no decisions.

    Raises :class:`ValidationError` naming the line of a row whose decision is not
    ``same``/``different`` or that pairs a record with itself.
    """
    if path is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in DECISION_COLUMNS})
    log, lines = read_log_with_lines(path, DECISION_COLUMNS)
    problems = []
    for line, row in zip(lines, log.itertuples(index=False)):
        if row.decision not in DECISION_VALUES:
            problems.append(Problem(str(path), line, f"decision {row.decision!r} is not one of {', '.join(DECISION_VALUES)}"))
        elif not row.record_id or not row.other_record_id or row.record_id == row.other_record_id:
            problems.append(Problem(str(path), line, "a decision needs two different record ids"))
    if problems:
        raise ValidationError(problems)
    if log.empty:
        return log
    pairs = [_ordered(a, b) for a, b in zip(log["record_id"], log["other_record_id"])]
    log = log.assign(record_id=[p[0] for p in pairs], other_record_id=[p[1] for p in pairs])
    return latest(log, ["record_id", "other_record_id"])


def record_decisions(path: str | Path, decisions: Iterable[Mapping[str, str]], reviewer: str) -> int:
    """Append decisions (dicts with ``record_id``, ``other_record_id``, ``decision``, optional ``note``).

    Returns the number of rows written. Raises :class:`ValidationError` for a decision
    other than ``same``/``different`` before anything is written.
    """
    rows = []
    stamp = utc_timestamp()
    for n, d in enumerate(decisions, start=1):
        if d.get("decision") not in DECISION_VALUES:
            raise ValidationError([Problem(str(path), None, f"decision {n}: {d.get('decision')!r} is not one of {', '.join(DECISION_VALUES)}")])
        a, b = _ordered(str(d["record_id"]), str(d["other_record_id"]))
        rows.append(
            {"record_id": a, "other_record_id": b, "decision": d["decision"], "reviewer": reviewer, "note": d.get("note", ""), "timestamp": stamp}
        )
    return append_rows(path, rows, DECISION_COLUMNS)
