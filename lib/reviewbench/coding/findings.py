"""Findings logs: one append-only CSV per coder in ``evidence/findings/``.

A finding is a statement extracted from an included study, in the coder's own words,
with its location (page, table) and its codes per codebook dimension. Columns of
``evidence/findings/<coder>.csv``::

    finding_id, record_id, finding, location, <one column per dimension>, confidence,
    coder, timestamp

Codes of a dimension are joined with ``"; "``. The latest row per ``finding_id`` in a
coder's log wins. Two coders code the same finding by using the same ``finding_id``;
that overlap is what agreement is computed on. ``studies.csv`` and
``reconciliation.csv`` in the same folder are not coder logs (see :mod:`.studies` and
:mod:`.reconcile`), nor is ``retractions.csv``: a coder takes a finding back by appending
``finding_id, coder, action (retract|restore), note, timestamp`` there
(:func:`retract_finding`); the latest row per (coder, finding_id) is in force, and a
retracted finding is left out of :func:`read_findings`, so of agreement, reconciliation,
tables and gap maps. Nothing is deleted.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from ..errors import Problem, ValidationError
from ..logs import append_rows, check_log_rows, latest, read_log, utc_timestamp
from ..project import Project
from .codebook import Codebook, join_codes, parse_codes

RESERVED_LOGS = ("studies", "reconciliation", "retractions")
RETRACTION_COLUMNS = ["finding_id", "coder", "action", "note", "timestamp"]
RETRACTION_ACTIONS = ("retract", "restore")
CONFIDENCE = ("", "high", "medium", "low")
CODER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def finding_columns(codebook: Codebook) -> list[str]:
    """The header of a findings log for this codebook."""
    return ["finding_id", "record_id", "finding", "location", *codebook.dimensions, "confidence", "coder", "timestamp"]


def coder_logs(project: Project) -> dict[str, Path]:
    """Coder name -> findings log path, sorted by coder."""
    folder = project.findings_dir
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.glob("*.csv")) if p.stem not in RESERVED_LOGS and not p.stem.startswith("_")}


def row_problems(row: Mapping[str, Any], codebook: Codebook) -> list[str]:
    """What is wrong with one finding row (codes unknown to the codebook, several codes
    in a single-valued dimension, an empty id, text or coder, an unknown confidence):
    :func:`record_finding` refuses such a row, :func:`check_findings_log` reports it."""
    problems = []
    for key in ("finding_id", "finding", "coder"):
        if not str(row.get(key) or "").strip():
            problems.append(f"empty {key}")
    coder = str(row.get("coder") or "").strip()
    if coder and not CODER_NAME.match(coder):
        problems.append(f"coder {coder!r} must be letters, digits, '.', '_' or '-' (it names the log file)")
    if str(row.get("confidence") or "").strip() not in CONFIDENCE:
        problems.append(f"confidence {row.get('confidence')!r} is not one of high, medium, low (or empty)")
    for name, dim in codebook.dimensions.items():
        codes = parse_codes(row.get(name))
        unknown = codebook.invalid_codes(name, codes)
        if unknown:
            problems.append(f"{name}: unknown code(s) {', '.join(unknown)} (valid: {', '.join(dim.codes)})")
        if not dim.multi and len(set(codes)) > 1:
            problems.append(f"{name}: one code allowed, found {len(codes)} ({join_codes(codes)})")
        if len(codes) != len(set(codes)):
            problems.append(f"{name}: a code is repeated ({join_codes(codes)})")
    return problems


def record_finding(project: Project, codebook: Codebook, row: Mapping[str, Any]) -> dict[str, str]:
    """Validate a finding and append it to its coder's log; return the row written.

    Dimension values may be lists or ``"; "``-joined text. Raises
    :class:`ValidationError` (nothing written) when a code is not in the codebook.
    """
    out: dict[str, str] = {}
    for col in finding_columns(codebook):
        value = row.get(col, "")
        if col in codebook.dimensions:
            value = join_codes(parse_codes(value))
        out[col] = "" if value is None else str(value).strip() if col != "finding" else str(value)
    out["timestamp"] = out["timestamp"] or utc_timestamp()
    path = project.findings_file(out["coder"])
    problems = row_problems(out, codebook)
    if problems:
        raise ValidationError([Problem(str(path), None, p, out["finding_id"] or None) for p in problems])
    append_rows(path, [out], finding_columns(codebook))
    return out


def retraction_problems(row: Mapping[str, Any]) -> list[str]:
    """What is wrong with one row of ``retractions.csv`` (empty when valid)."""
    problems = [f"empty {key}" for key in ("finding_id", "coder") if not str(row.get(key) or "").strip()]
    if str(row.get("action") or "") not in RETRACTION_ACTIONS:
        problems.append(f"action {row.get('action')!r} is not one of {', '.join(RETRACTION_ACTIONS)}")
    return problems


def retract_finding(project: Project, codebook: Codebook, coder: str, finding_id: str, note: str = "",
                    restore: bool = False) -> dict[str, str]:
    """Append that ``coder`` takes back their finding ``finding_id`` (``restore``: brings it
    back); returns the row. Refused (nothing written) for a finding the coder has not saved."""
    coder, finding_id = str(coder or "").strip(), str(finding_id or "").strip()
    columns = finding_columns(codebook)
    path = project.findings_file(coder) if CODER_NAME.match(coder) else None
    own = latest(read_log(path, columns), "finding_id") if path is not None and path.exists() else pd.DataFrame(columns=columns)
    if finding_id not in set(own["finding_id"]):
        raise ValidationError([Problem(str(project.retractions_file), None, f"{coder or 'this coder'} has no finding {finding_id!r} to "
                                       f"{'restore' if restore else 'retract'}", finding_id or None)])
    row = {"finding_id": finding_id, "coder": coder, "action": "restore" if restore else "retract", "note": note,
           "timestamp": utc_timestamp()}
    append_rows(project.retractions_file, [row], RETRACTION_COLUMNS)
    return row


def retracted(project: Project) -> set[tuple[str, str]]:
    """(coder, finding_id) of every finding currently retracted."""
    path = project.retractions_file
    if not path.exists():
        return set()
    log = latest(read_log(path, RETRACTION_COLUMNS), ["coder", "finding_id"])
    return {(r.coder, r.finding_id) for r in log.itertuples() if r.action == "retract"}


def check_retractions_log(path: Path) -> list[Problem]:
    """Problems in ``retractions.csv``, each with its line."""
    return check_log_rows(path, RETRACTION_COLUMNS, retraction_problems, "finding_id")


def read_findings(project: Project, codebook: Codebook) -> pd.DataFrame:
    """Every coder's current findings, one row per (coder, finding_id).

    Findings their coder retracted are left out. Dimension columns hold lists of code ids. Raises :class:`ValidationError` for a
    log whose header does not match the codebook.
    """
    columns = finding_columns(codebook)
    frames = []
    taken_back = retracted(project)
    for coder, path in coder_logs(project).items():
        df = latest(read_log(path, columns), "finding_id")
        df["coder"] = df["coder"].where(df["coder"].astype(str).str.strip() != "", coder)
        if taken_back:
            df = df[[(coder, fid) not in taken_back for fid in df["finding_id"]]]
        frames.append(df)
    if not frames:
        df = pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    else:
        df = pd.concat(frames, ignore_index=True)
    for name in codebook.dimensions:
        df[name] = df[name].map(parse_codes)
    return df.sort_values(["finding_id", "coder"], kind="stable").reset_index(drop=True)


def check_findings_log(path: Path, codebook: Codebook) -> list[Problem]:
    """Problems in one coder's findings log, each with its line."""

    def problems(row: dict[str, str]) -> list[str]:
        found = row_problems(row, codebook)
        if row.get("coder") and row["coder"] != path.stem:
            found.append(f"coder {row['coder']!r} differs from the log's coder {path.stem!r}")
        return found

    return check_log_rows(path, finding_columns(codebook), problems, "finding_id")
