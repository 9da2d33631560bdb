"""How far to trust the model, measured against the team's own decisions and codes.

Screening (:func:`evaluate_screening`): on every record that both the model and the team
have decided (the team's consensus: the resolution, else the reviewers' agreed decision;
records still in conflict are left out), with ``maybe`` counted as ``include`` because
both send a record on:

- sensitivity: of the records the team kept, the share the model kept too;
- specificity: of the records the team excluded, the share the model excluded too;
- Cohen's kappa (interval of Fleiss, Cohen & Everitt 1969, as ``reviewbench agreement``);
- the records the model would have wrongly excluded, which is what a review cannot afford.

Proportions carry Wilson score intervals (Wilson 1927), which stay inside 0 to 1 and
behave with few records. Coding (:func:`evaluate_coding`): the same figures per
dimension, over every (finding, code) pair of the findings both have coded, and how many
of the model's quotes are words of the finding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
from scipy.stats import norm

from ..coding.codebook import Codebook
from ..coding.coded import coded_findings
from ..project import Project
from ..screening.agreement import Kappa, cohen_kappa
from ..screening.criteria import load_stage_settings
from ..screening.decisions import CONFLICT, FORWARD, final_decisions
from .config import AssistSettings
from .log import codes_from_cell, latest_answers, read_coding_log, read_screening_log

KEPT, EXCLUDED = "include", "exclude"


@dataclass(frozen=True)
class Proportion:
    """``k`` of ``n`` with its Wilson score interval (NaN when ``n`` is 0)."""

    k: int
    n: int
    low: float
    high: float

    @property
    def value(self) -> float:
        return self.k / self.n if self.n else math.nan

    def __str__(self) -> str:
        if not self.n:
            return "n/a (no record)"
        return f"{self.value:.2f} ({self.low:.2f} to {self.high:.2f}; {self.k}/{self.n})"


def wilson(k: int, n: int, level: float = 0.95) -> Proportion:
    """``k`` successes of ``n`` with the Wilson score interval at ``level``."""
    if n == 0:
        return Proportion(k, n, math.nan, math.nan)
    z = float(norm.ppf(0.5 + level / 2))
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return Proportion(k, n, max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Agreement:
    """The model against the team on ``n`` binary judgements (positive: kept, or code given)."""

    tp: int
    fn: int
    tn: int
    fp: int
    kappa: Kappa

    @property
    def n(self) -> int:
        return self.tp + self.fn + self.tn + self.fp

    @property
    def sensitivity(self) -> Proportion:
        return wilson(self.tp, self.tp + self.fn)

    @property
    def specificity(self) -> Proportion:
        return wilson(self.tn, self.tn + self.fp)

    @property
    def precision(self) -> Proportion:
        return wilson(self.tp, self.tp + self.fp)


def compare(team: list[bool], model: list[bool]) -> Agreement:
    """Counts and kappa of two lists of binary judgements on the same items."""
    pairs = list(zip(team, model))
    tp = sum(t and m for t, m in pairs)
    fn = sum(t and not m for t, m in pairs)
    fp = sum(m and not t for t, m in pairs)
    kappa = cohen_kappa([str(t) for t in team], [str(m) for m in model], labels=["True", "False"])
    return Agreement(tp, fn, len(pairs) - tp - fn - fp, fp, kappa)


def _kappa(k: Kappa) -> str:
    return "n/a" if math.isnan(k.kappa) else f"{k.kappa:.2f} ({k.low:.2f} to {k.high:.2f})"


# --------------------------------------------------------------------------- screening


@dataclass(frozen=True)
class ScreeningEvaluation:
    """The model's screening at one stage against the team's consensus."""

    stage: str
    label: str
    model: str
    agreement: Agreement
    wrongly_excluded: pd.DataFrame  # record_id, title, team, criterion, reason
    in_conflict: int  # records both screened whose team conflict is still open
    model_only: int  # records the model answered that the team has not decided
    team_only: int  # records the team decided that the model has not answered


def evaluate_screening(
    project: Project,
    stage: str,
    settings: AssistSettings,
    clusters: pd.DataFrame | None = None,
    records: pd.DataFrame | None = None,
) -> ScreeningEvaluation:
    """Compare the model's latest answers at ``stage`` with the team's final decisions (people
    only, ids mapped to publications through ``clusters``; ``records`` gives titles)."""
    mapping = dict(zip(clusters["record_id"].astype(str), clusters["cluster_id"].astype(str))) if clusters is not None else {}
    answers = latest_answers(read_screening_log(project, stage, settings.reviewer), "record_id")
    answers = answers[answers["model"] == settings.model]
    model = {mapping.get(r, r): row for r, row in zip(answers["record_id"], answers.to_dict("records"))}
    team_rows = final_decisions(project, stage, clusters=clusters, humans_only=True)
    team = dict(zip(team_rows["record_id"], team_rows["decision"]))
    shared = sorted(set(model) & set(team))
    decided = [r for r in shared if team[r] != CONFLICT]
    kept = [team[r] in FORWARD for r in decided]
    model_kept = [model[r]["decision"] in FORWARD for r in decided]
    titles = dict(zip(records["record_id"].astype(str), records["title"].fillna("").astype(str))) if records is not None else {}
    wrong = [
        {"record_id": r, "title": titles.get(r, ""), "team": team[r], "criterion": model[r]["reason"],
         "reason": str(model[r]["note"]).removeprefix(f"{model[r]['reason']}: ")}
        for r, k, m in zip(decided, kept, model_kept) if k and not m
    ]
    return ScreeningEvaluation(
        stage=stage,
        label=load_stage_settings(project, stage).label,
        model=settings.model,
        agreement=compare(kept, model_kept),
        wrongly_excluded=pd.DataFrame(wrong, columns=["record_id", "title", "team", "criterion", "reason"]),
        in_conflict=len(shared) - len(decided),
        model_only=len(set(model) - set(team)),
        team_only=len(set(team) - set(model)),
    )


def screening_report(ev: ScreeningEvaluation) -> str:
    """The evaluation as a printable table, then the records wrongly excluded."""
    a = ev.agreement
    lines = [f"Model {ev.model} against the team's consensus: {ev.label} ({ev.stage})"]
    if not a.n:
        lines.append("No record has been decided by both the model and the team yet.")
        return "\n".join(lines) + "\n"
    table = pd.DataFrame([
        {"measure": "records compared", "value": str(a.n)},
        {"measure": "sensitivity (team kept, model kept)", "value": str(a.sensitivity)},
        {"measure": "specificity (team excluded, model excluded)", "value": str(a.specificity)},
        {"measure": "Cohen's kappa", "value": _kappa(a.kappa)},
        {"measure": "kept by both / excluded by both", "value": f"{a.tp} / {a.tn}"},
        {"measure": "wrongly excluded / wrongly kept", "value": f"{a.fn} / {a.fp}"},
    ])
    lines.append(table.to_string(index=False))
    lines.append(f"Not compared: {ev.in_conflict} in open conflict, {ev.model_only} answered by the model only, {ev.team_only} decided by the team only.")
    lines.append("Categories: include (with maybe), exclude. Intervals 95%: Wilson for proportions, Fleiss, Cohen & Everitt (1969) for kappa.")
    if len(ev.wrongly_excluded):
        lines.append(f"Records the model would have wrongly excluded ({len(ev.wrongly_excluded)}):")
        shown = ev.wrongly_excluded.assign(title=ev.wrongly_excluded["title"].str.slice(0, 60))
        lines.append(shown.to_string(index=False))
    else:
        lines.append("The model would have wrongly excluded no record.")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- coding


def model_codes(project: Project, settings: AssistSettings) -> pd.DataFrame:
    """The model's latest readable codes per finding: ``finding_id, codes (dimension ->
    list), quote``."""
    answers = latest_answers(read_coding_log(project, settings.reviewer), "finding_id")
    answers = answers[answers["model"] == settings.model]
    return pd.DataFrame({
        "finding_id": answers["finding_id"].astype(str),
        "codes": answers["codes"].map(codes_from_cell),
        "quote": answers["quote"].astype(str),
    })


def evaluate_coding(project: Project, codebook: Codebook, settings: AssistSettings) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Per dimension: the model against the team's reconciled codes on the findings both have
    coded (``dimension, findings, tp, fn, fp, tn, sensitivity, specificity, precision,
    kappa`` as :class:`Proportion` and :class:`Kappa`), and totals (``findings``,
    ``quotes_in_text``: quotes that are words of the finding)."""
    team = coded_findings(project).set_index("finding_id")
    model = model_codes(project, settings)
    model = model[model["finding_id"].isin(team.index)]
    rows = []
    for name, dim in codebook.dimensions.items():
        said_team: list[bool] = []
        said_model: list[bool] = []
        for fid, codes in zip(model["finding_id"], model["codes"]):
            given = set(team.at[fid, name] or [])
            proposed = set(codes.get(name, []))
            for code in dim.codes:
                said_team.append(code in given)
                said_model.append(code in proposed)
        a = compare(said_team, said_model)
        rows.append({"dimension": name, "findings": len(model), "tp": a.tp, "fn": a.fn, "fp": a.fp, "tn": a.tn,
                     "sensitivity": a.sensitivity, "specificity": a.specificity, "precision": a.precision, "kappa": a.kappa})
    in_text = sum(bool(q) and " ".join(q.lower().split()) in " ".join(str(team.at[f, "finding"]).lower().split())
                  for f, q in zip(model["finding_id"], model["quote"]))
    return pd.DataFrame(rows), {"findings": len(model), "quotes_in_text": int(in_text)}


def coding_report(project: Project, codebook: Codebook, settings: AssistSettings) -> str:
    """:func:`evaluate_coding` as a printable table."""
    table, totals = evaluate_coding(project, codebook, settings)
    lines = [f"Model {settings.model} against the team's coded findings"]
    if not totals["findings"]:
        lines.append("The model has not coded any finding the team has coded yet (run `reviewbench assist code`).")
        return "\n".join(lines) + "\n"
    shown = pd.DataFrame({
        "dimension": table["dimension"],
        "sensitivity": table["sensitivity"].map(str),
        "specificity": table["specificity"].map(str),
        "kappa": table["kappa"].map(_kappa),
    })
    lines.append(shown.to_string(index=False))
    lines.append(f"Findings compared: {totals['findings']}; the model's quote is words of the finding in {totals['quotes_in_text']}.")
    lines.append("Each (finding, code) pair counts once. Intervals 95%: Wilson for proportions, Fleiss, Cohen & Everitt (1969) for kappa.")
    return "\n".join(lines) + "\n"
