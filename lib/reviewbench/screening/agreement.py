"""Agreement between screeners per stage: percent agreement, Cohen's kappa, PABAK.

Every pair of reviewers is compared on the records both have screened. By default
``maybe`` counts as ``include`` (both send the record on to the next stage), so the
statistics are over two categories; ``keep_maybe=True`` keeps three.

- Cohen's kappa with a large-sample confidence interval whose standard error is that of
  Fleiss, Cohen & Everitt (1969), the one most software reports.
- PABAK, the prevalence- and bias-adjusted kappa (Byrt, Bishop & Carlin 1993):
  ``(k * p_o - 1) / (k - 1)`` for ``k`` categories (``2 p_o - 1`` for two).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import combinations
from typing import Sequence

import numpy as np
import pandas as pd
from scipy.stats import norm
from sklearn.metrics import confusion_matrix

from ..project import Project
from .conflicts import conflicts
from .criteria import check_stage, load_stage_settings
from .decisions import current_decisions

AGREEMENT_COLUMNS = [
    "stage", "reviewer_a", "reviewer_b", "n", "agreed", "percent_agreement",
    "kappa", "kappa_low", "kappa_high", "pabak",
]


@dataclass(frozen=True)
class Kappa:
    """Cohen's kappa with its standard error and confidence interval (NaN when undefined)."""

    kappa: float
    se: float
    low: float
    high: float


def cohen_kappa(a: Sequence[str], b: Sequence[str], labels: Sequence[str] | None = None, level: float = 0.95) -> Kappa:
    """Cohen's kappa of two raters' labels on the same items, with a ``level`` interval.

    Undefined (NaN) when chance agreement is 1, e.g. both raters always chose the same
    single category.
    """
    if len(a) != len(b):
        raise ValueError("both raters must label the same items")
    n = len(a)
    nan = Kappa(math.nan, math.nan, math.nan, math.nan)
    if n == 0 or len(set(a) | set(b)) < 2:  # no variation: chance agreement is 1
        return nan
    labels = list(labels) if labels is not None else sorted(set(a) | set(b))
    p = confusion_matrix(list(a), list(b), labels=labels).astype(float) / n
    rows, cols = p.sum(axis=1), p.sum(axis=0)
    po = float(np.trace(p))
    pe = float(rows @ cols)
    if math.isclose(pe, 1.0):
        return nan
    kappa = (po - pe) / (1 - pe)
    diag = np.diag(p)
    term_a = float(np.sum(diag * (1 - (rows + cols) * (1 - kappa)) ** 2))
    off = p.copy()
    np.fill_diagonal(off, 0.0)
    # p_ij * (p_.i + p_j.)^2 over i != j: column margin of i plus row margin of j.
    weights = (cols[:, None] + rows[None, :]) ** 2
    term_b = (1 - kappa) ** 2 * float(np.sum(off * weights))
    term_c = (kappa - pe * (1 - kappa)) ** 2
    var = max(term_a + term_b - term_c, 0.0) / (n * (1 - pe) ** 2)
    se = math.sqrt(var)
    z = float(norm.ppf(0.5 + level / 2))
    return Kappa(kappa, se, max(-1.0, kappa - z * se), min(1.0, kappa + z * se))


def pabak(a: Sequence[str], b: Sequence[str], categories: int = 2) -> float:
    """Prevalence- and bias-adjusted kappa: ``(k * p_o - 1) / (k - 1)``."""
    if not len(a):
        return math.nan
    po = float(np.mean([x == y for x, y in zip(a, b)]))
    return (categories * po - 1) / (categories - 1)


def _category(decision: str, keep_maybe: bool) -> str:
    return decision if keep_maybe or decision != "maybe" else "include"


def pairwise_agreement(
    project: Project,
    stage: str,
    keep_maybe: bool = False,
    clusters: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per pair of reviewers at ``stage`` (columns ``AGREEMENT_COLUMNS``)."""
    check_stage(stage)
    current = current_decisions(project, stage, clusters=clusters)
    categories = ["include", "exclude"] + (["maybe"] if keep_maybe else [])
    by_reviewer = {
        name: dict(zip(grp["record_id"], grp["decision"].map(lambda d: _category(d, keep_maybe))))
        for name, grp in current.groupby("reviewer", sort=True)
    }
    rows = []
    for ra, rb in combinations(sorted(by_reviewer), 2):
        shared = sorted(set(by_reviewer[ra]) & set(by_reviewer[rb]))
        a = [by_reviewer[ra][r] for r in shared]
        b = [by_reviewer[rb][r] for r in shared]
        k = cohen_kappa(a, b, labels=categories)
        agreed = sum(x == y for x, y in zip(a, b))
        rows.append({
            "stage": stage, "reviewer_a": ra, "reviewer_b": rb, "n": len(shared), "agreed": agreed,
            "percent_agreement": 100.0 * agreed / len(shared) if shared else math.nan,
            "kappa": k.kappa, "kappa_low": k.low, "kappa_high": k.high,
            "pabak": pabak(a, b, len(categories)),
        })
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


def _fmt(x: float, digits: int = 2) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def agreement_table(project: Project, stage: str, keep_maybe: bool = False) -> pd.DataFrame:
    """Agreement at ``stage`` as shown to people: one row per pair of reviewers
    (``reviewers, records, agreed, % agreement, kappa, 95% CI, PABAK``), numbers formatted.
    Empty when no two reviewers have screened. (Callers check blinding first.)"""
    table = pairwise_agreement(project, stage, keep_maybe=keep_maybe)
    return pd.DataFrame({
        "reviewers": table["reviewer_a"] + " / " + table["reviewer_b"],
        "records": table["n"],
        "agreed": table["agreed"],
        "% agreement": table["percent_agreement"].map(lambda x: _fmt(x, 1)),
        "kappa": table["kappa"].map(_fmt),
        "95% CI": [f"{_fmt(lo)} to {_fmt(hi)}" for lo, hi in zip(table["kappa_low"], table["kappa_high"])],
        "PABAK": table["pabak"].map(_fmt),
    }, columns=["reviewers", "records", "agreed", "% agreement", "kappa", "95% CI", "PABAK"])


def agreement_note(project: Project, stage: str, keep_maybe: bool = False) -> str:
    """The count of conflicts and how agreement was computed, one line each."""
    all_conflicts = conflicts(project, stage, include_resolved=True)
    open_ = int((all_conflicts["resolution"] == "").sum())
    return (f"Conflicts: {len(all_conflicts)} ({len(all_conflicts) - open_} resolved, {open_} open).\n"
            + ("Categories: include, exclude, maybe. " if keep_maybe else "Categories: include (with maybe), exclude. ")
            + "Kappa interval: Fleiss, Cohen & Everitt (1969); PABAK: Byrt, Bishop & Carlin (1993).")


def agreement_report(project: Project, stage: str, keep_maybe: bool = False, blinded: str = "") -> str:
    """Agreement at ``stage`` as a printable table, with the count of conflicts. While
    ``blinded`` (the sentence :meth:`~reviewbench.screening.conflicts.Blinding.summary`
    says while blinding holds), only that sentence: no agreement, no conflicts."""
    settings = load_stage_settings(project, stage)
    lines = [f"Agreement between reviewers: {settings.label} ({stage})"]
    if blinded:
        return "\n".join(lines + [blinded]) + "\n"
    shown = agreement_table(project, stage, keep_maybe=keep_maybe)
    if shown.empty:
        lines.append("No two reviewers have screened at this stage yet.")
        return "\n".join(lines) + "\n"
    lines.append(shown.to_string(index=False))
    lines.append(agreement_note(project, stage, keep_maybe))
    return "\n".join(lines) + "\n"
