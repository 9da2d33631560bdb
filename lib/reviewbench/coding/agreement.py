"""Agreement between coders on findings coded by two or more of them.

* **Cohen's kappa per code** (scikit-learn's ``cohen_kappa_score``): for each pair of
  coders, each code is a yes/no judgement on every finding both coded.
* **Krippendorff's alpha per dimension** (nominal, any number of coders, missing
  values allowed), computed here from the coincidence matrix (Krippendorff 2011,
  "Computing Krippendorff's alpha-reliability"). For a multi-valued dimension the
  value a coder gives a finding is the whole *set* of codes (two coders agree only when
  they chose exactly the same codes; choosing none is a value); for a single-valued
  dimension a blank is a missing value.

Both are computed on the codes the reconciliation starts from (see
:mod:`.reconcile`), over dimensions coded per finding.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from typing import Any, Hashable, Sequence

import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score

from ..project import Project
from .codebook import Codebook, load_codebook
from .reconcile import disagreements, effective_codes


def krippendorff_alpha_nominal(reliability_data: Sequence[Sequence[Hashable | None]]) -> float:
    """Krippendorff's alpha for nominal data.

    ``reliability_data`` has one row per coder and one column per unit (the layout of
    the ``krippendorff`` package); ``None`` (or NaN) marks a missing value. Units with
    fewer than two values are not pairable and are ignored. Returns NaN when there is
    nothing to compare or only one value was ever used (alpha is undefined then).
    """
    rows = [list(r) for r in reliability_data]
    if not rows:
        return math.nan
    n_units = max(len(r) for r in rows)
    coincidence: Counter[tuple[Hashable, Hashable]] = Counter()
    for u in range(n_units):
        values = [r[u] for r in rows if u < len(r) and not _missing(r[u])]
        m = len(values)
        if m < 2:
            continue
        for i, j in itertools.permutations(range(m), 2):
            coincidence[(values[i], values[j])] += 1.0 / (m - 1)
    if not coincidence:
        return math.nan
    totals: Counter[Hashable] = Counter()
    for (c, _k), weight in coincidence.items():
        totals[c] += weight
    n = sum(totals.values())
    observed = sum(w for (c, k), w in coincidence.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    if expected == 0:
        return math.nan
    return 1.0 - (n - 1) * observed / expected


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _overlap(project: Project, codebook: Codebook) -> pd.DataFrame:
    coded = effective_codes(project, codebook)
    counts = coded.groupby("finding_id")["coder"].transform("size") if not coded.empty else pd.Series(dtype=int)
    return coded[counts >= 2].reset_index(drop=True)


def _finding_dimensions(codebook: Codebook) -> list[str]:
    return [name for name, dim in codebook.dimensions.items() if dim.applies_to_findings]


def dimension_alphas(project: Project, codebook: Codebook | None = None) -> pd.DataFrame:
    """Krippendorff's alpha per dimension: ``dimension, multi, units, coders, exact_agreement, alpha``.

    ``units`` counts findings with at least two values; ``exact_agreement`` is the share
    of those on which every coder gave the same value.
    """
    codebook = codebook or load_codebook(project)
    overlap = _overlap(project, codebook)
    coders = sorted(overlap["coder"].unique()) if not overlap.empty else []
    findings = sorted(overlap["finding_id"].unique()) if not overlap.empty else []
    rows = []
    for name in _finding_dimensions(codebook):
        multi = codebook.dimensions[name].multi
        value: dict[tuple[str, str], Hashable | None] = {}
        for r in overlap.itertuples():
            codes = tuple(getattr(r, name))
            value[(r.coder, r.finding_id)] = codes if multi else (codes[0] if codes else None)
        data = [[value.get((c, f)) for f in findings] for c in coders]
        units = 0
        agree = 0
        for f in findings:
            vals = [value[(c, f)] for c in coders if value.get((c, f)) is not None]
            if len(vals) >= 2:
                units += 1
                agree += len(set(vals)) == 1
        rows.append({
            "dimension": name,
            "multi": multi,
            "units": units,
            "coders": len(coders),
            "exact_agreement": agree / units if units else math.nan,
            "alpha": krippendorff_alpha_nominal(data),
        })
    return pd.DataFrame(rows, columns=["dimension", "multi", "units", "coders", "exact_agreement", "alpha"])


def code_kappas(project: Project, codebook: Codebook | None = None) -> pd.DataFrame:
    """Cohen's kappa per code and coder pair, over the findings both coders coded.

    Columns: ``dimension, code, coder_a, coder_b, n, both, a_only, b_only, agreement,
    kappa``. Codes that neither coder used on the shared findings are left out; kappa
    is NaN when a code was used on every or no shared finding by both (undefined).
    """
    codebook = codebook or load_codebook(project)
    overlap = _overlap(project, codebook)
    rows = []
    coders = sorted(overlap["coder"].unique()) if not overlap.empty else []
    for a, b in itertools.combinations(coders, 2):
        left = overlap[overlap["coder"] == a].set_index("finding_id")
        right = overlap[overlap["coder"] == b].set_index("finding_id")
        shared = sorted(set(left.index) & set(right.index))
        if not shared:
            continue
        for name in _finding_dimensions(codebook):
            for code in codebook.dimensions[name].codes:
                x = np.array([code in left.at[f, name] for f in shared], dtype=int)
                y = np.array([code in right.at[f, name] for f in shared], dtype=int)
                if not x.any() and not y.any():
                    continue
                rows.append({
                    "dimension": name,
                    "code": code,
                    "coder_a": a,
                    "coder_b": b,
                    "n": len(shared),
                    "both": int((x & y).sum()),
                    "a_only": int((x & (1 - y)).sum()),
                    "b_only": int(((1 - x) & y).sum()),
                    "agreement": float((x == y).mean()),
                    "kappa": cohen_kappa(x, y),
                })
    columns = ["dimension", "code", "coder_a", "coder_b", "n", "both", "a_only", "b_only", "agreement", "kappa"]
    return pd.DataFrame(rows, columns=columns)


def cohen_kappa(x: Sequence[int], y: Sequence[int]) -> float:
    """Cohen's kappa of two binary judgements; NaN when chance agreement is 1 (undefined)."""
    x = np.asarray(x)
    y = np.asarray(y)
    if len(set(x.tolist()) | set(y.tolist())) < 2:
        return math.nan
    return float(cohen_kappa_score(x, y, labels=[0, 1]))


def _fmt(value: float) -> str:
    return "n/a" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.2f}"


def agreement_report(project: Project) -> str:
    """A printable report: alpha per dimension, kappa per code, open disagreements."""
    codebook = load_codebook(project)
    coded = effective_codes(project, codebook)
    overlap = _overlap(project, codebook)
    lines = [
        "Coding agreement",
        f"findings: {coded['finding_id'].nunique() if not coded.empty else 0}; "
        f"coders: {', '.join(sorted(coded['coder'].unique())) if not coded.empty else 'none'}; "
        f"coded by two or more: {overlap['finding_id'].nunique() if not overlap.empty else 0}",
        "",
    ]
    if overlap.empty:
        lines.append("No finding has been coded by two coders yet, so agreement cannot be computed.")
        return "\n".join(lines) + "\n"
    alphas = dimension_alphas(project, codebook)
    table = alphas.assign(
        multi=alphas["multi"].map({True: "multi", False: "single"}),
        exact_agreement=alphas["exact_agreement"].map(_fmt),
        alpha=alphas["alpha"].map(_fmt),
    ).rename(columns={"multi": "values", "exact_agreement": "exact agreement", "alpha": "Krippendorff alpha"})
    lines += ["Krippendorff's alpha per dimension (nominal; a multi-valued dimension compares whole code sets)", table.to_string(index=False), ""]
    kappas = code_kappas(project, codebook)
    if not kappas.empty:
        table = kappas.assign(
            pair=kappas["coder_a"] + " / " + kappas["coder_b"],
            agreement=kappas["agreement"].map(_fmt),
            kappa=kappas["kappa"].map(_fmt),
        )[["dimension", "code", "pair", "n", "both", "a_only", "b_only", "agreement", "kappa"]]
        lines += ["Cohen's kappa per code (yes/no per finding, per coder pair)", table.to_string(index=False), ""]
    dis = disagreements(project, codebook)
    open_ = dis[dis["status"] == "unresolved"]
    lines.append(f"Disagreements: {len(dis)} (finding, dimension) pairs, {len(dis) - len(open_)} resolved, {len(open_)} open")
    if not open_.empty:
        lines.append(open_[["finding_id", "dimension", "codes_by_coder"]].to_string(index=False))
    return "\n".join(lines) + "\n"
