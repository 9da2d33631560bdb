"""Reconciliation: from several coders' findings to the one coded set the outputs use.

For each finding and dimension, the coders' codes are compared as sets (after a blank
study-level dimension inherits the study's codes from ``studies.csv``):

* all coders agree -> their codes;
* they disagree and ``evidence/findings/reconciliation.csv`` holds a decision for
  (finding_id, dimension) -> the decision's codes (latest row wins);
* they disagree and nobody has decided yet -> every code any coder gave (nothing is
  dropped from the evidence tables), and the dimension is listed in ``unresolved``.

The reconciliation log is append-only like every decision log::

    finding_id, dimension, codes, note, reconciler, timestamp
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from ..errors import Problem, ValidationError
from ..logs import append_rows, check_log_rows, latest, read_log, utc_timestamp
from ..project import Project
from .codebook import Codebook, join_codes, load_codebook, parse_codes
from .findings import CODER_NAME, read_findings
from .studies import read_studies

RECONCILIATION_COLUMNS = ["finding_id", "dimension", "codes", "note", "reconciler", "timestamp"]


def ordered_codes(codebook: Codebook, dimension: str, codes: set[str] | list[str]) -> list[str]:
    order = {c: i for i, c in enumerate(codebook.dimensions[dimension].codes)}
    return sorted(set(codes), key=lambda c: (order.get(c, len(order)), c))


def effective_codes(project: Project, codebook: Codebook | None = None) -> pd.DataFrame:
    """Every coder's findings with blank study-level dimensions filled from the study.

    One row per (finding_id, coder); dimension columns are lists in codebook order.
    """
    codebook = codebook or load_codebook(project)
    coded = read_findings(project, codebook)
    studies = read_studies(project, codebook).set_index("record_id")
    for name, dim in codebook.dimensions.items():
        inherit = dim.applies_to_studies and name in studies.columns

        def fill(row: pd.Series, name: str = name, inherit: bool = inherit) -> list[str]:
            codes = row[name]
            if not codes and inherit and row["record_id"] in studies.index:
                codes = studies.at[row["record_id"], name]
            return ordered_codes(codebook, name, codes)

        coded[name] = coded.apply(fill, axis=1) if not coded.empty else coded[name]
    return coded


def decided_codes(project: Project) -> dict[tuple[str, str], list[str]]:
    """(finding_id, dimension) -> the codes the reconciliation log settled on (latest row wins)."""
    log = latest(read_log(project.reconciliation_file, RECONCILIATION_COLUMNS), ["finding_id", "dimension"])
    return {(r.finding_id, r.dimension): parse_codes(r.codes) for r in log.itertuples()}


def disagreements(project: Project, codebook: Codebook | None = None) -> pd.DataFrame:
    """Findings and dimensions on which coders differ, with their status.

    Columns: ``finding_id, record_id, finding, dimension, codes_by_coder`` (e.g.
    ``alex: indoor | sam: indoor; migrant``), ``coders`` (list), ``status``
    (``resolved`` or ``unresolved``) and ``resolution`` (the decided codes, a list).
    """
    codebook = codebook or load_codebook(project)
    coded = effective_codes(project, codebook)
    decided = decided_codes(project)
    rows = []
    for fid, group in coded.groupby("finding_id", sort=True):
        if len(group) < 2:
            continue
        first = group.iloc[0]
        for name in codebook.dimensions:
            sets = {tuple(c) for c in group[name]}
            if len(sets) == 1:
                continue
            resolution = decided.get((fid, name))
            rows.append({
                "finding_id": fid,
                "record_id": first["record_id"],
                "finding": first["finding"],
                "dimension": name,
                "codes_by_coder": " | ".join(f"{r.coder}: {join_codes(getattr(r, name)) or '(none)'}" for r in group.itertuples()),
                "coders": list(group["coder"]),
                "status": "resolved" if resolution is not None else "unresolved",
                "resolution": resolution if resolution is not None else [],
            })
    columns = ["finding_id", "record_id", "finding", "dimension", "codes_by_coder", "coders", "status", "resolution"]
    return pd.DataFrame(rows, columns=columns)


def row_problems(row: Mapping[str, Any], codebook: Codebook) -> list[str]:
    """What is wrong with one row of the reconciliation log (an unknown dimension or code,
    several codes in a single-valued dimension, an empty finding id, a reconciler who is
    not a name): :func:`reconcile` refuses it, :func:`check_reconciliation_log` reports it."""
    found = []
    if not str(row.get("finding_id") or "").strip():
        found.append("empty finding_id")
    dim = str(row.get("dimension") or "")
    if dim not in codebook.dimensions:
        found.append(f"unknown dimension {dim!r} (valid: {', '.join(codebook.dimensions)})")
    else:
        codes = parse_codes(row.get("codes"))
        unknown = codebook.invalid_codes(dim, codes)
        if unknown:
            found.append(f"{dim}: unknown code(s) {', '.join(unknown)}")
        if not codebook.dimensions[dim].multi and len(codes) > 1:
            found.append(f"{dim}: one code allowed, found {len(codes)}")
    reconciler = str(row.get("reconciler") or "")
    if not reconciler.strip():
        found.append("empty reconciler")
    elif not CODER_NAME.match(reconciler):
        found.append(f"reconciler {reconciler!r} must be a name (letters, digits, '.', '_' or '-')")
    return found


def reconcile(project: Project, finding_id: str, dimension: str, codes: list[str] | str, reconciler: str, note: str = "", *, codebook: Codebook | None = None) -> dict[str, str]:
    """Record the agreed codes for one finding and dimension; return the row written.

    Raises :class:`ValidationError` (nothing written) for a row :func:`row_problems` finds
    wrong: an unknown dimension or code, several codes in a single-valued dimension, or
    an empty reconciler.
    """
    codebook = codebook or load_codebook(project)
    path = project.reconciliation_file
    row = {
        "finding_id": str(finding_id).strip(),
        "dimension": dimension,
        "codes": join_codes(parse_codes(codes)),
        "note": note,
        "reconciler": reconciler,
        "timestamp": utc_timestamp(),
    }
    problems = row_problems(row, codebook)
    if problems:
        raise ValidationError([Problem(str(path), None, p, str(finding_id) or None) for p in problems])
    append_rows(path, [row], RECONCILIATION_COLUMNS)
    return row


def check_reconciliation_log(path: Path, codebook: Codebook) -> list[Problem]:
    """Problems in ``reconciliation.csv``, each with its line."""
    return check_log_rows(path, RECONCILIATION_COLUMNS, lambda row: row_problems(row, codebook), "finding_id")
