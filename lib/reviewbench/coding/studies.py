"""Study-level characteristics, coded once per included study.

``evidence/findings/studies.csv`` is an append-only log (latest row per ``record_id``
wins) with the codebook's study-level dimensions (``level: study`` or ``both``, e.g.
study design, setting, region, subgroups studied) and free fields::

    record_id, <study-level dimensions>, country, sample_size, note, coder, timestamp
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from ..errors import Problem, ValidationError
from ..logs import append_rows, check_log_rows, latest, read_log, utc_timestamp
from ..project import Project
from .codebook import Codebook, join_codes, parse_codes

FREE_FIELDS = ["country", "sample_size", "note"]


def study_dimensions(codebook: Codebook) -> list[str]:
    """Dimensions coded at study level, in codebook order."""
    return [name for name, dim in codebook.dimensions.items() if dim.applies_to_studies]


def study_columns(codebook: Codebook) -> list[str]:
    """The header of ``studies.csv`` for this codebook."""
    return ["record_id", *study_dimensions(codebook), *FREE_FIELDS, "coder", "timestamp"]


def row_problems(row: Mapping[str, Any], codebook: Codebook) -> list[str]:
    """What is wrong with one study row: :func:`record_study` refuses it,
    :func:`check_studies_log` reports it."""
    problems = []
    for key in ("record_id", "coder"):
        if not str(row.get(key) or "").strip():
            problems.append(f"empty {key}")
    size = str(row.get("sample_size") or "").strip()
    if size and not size.isdigit():
        problems.append(f"sample_size {size!r} must be a whole number (or empty)")
    for name in study_dimensions(codebook):
        dim = codebook.dimensions[name]
        codes = parse_codes(row.get(name))
        unknown = codebook.invalid_codes(name, codes)
        if unknown:
            problems.append(f"{name}: unknown code(s) {', '.join(unknown)} (valid: {', '.join(dim.codes)})")
        if not dim.multi and len(set(codes)) > 1:
            problems.append(f"{name}: one code allowed, found {len(codes)} ({join_codes(codes)})")
    return problems


def record_study(project: Project, codebook: Codebook, row: Mapping[str, Any]) -> dict[str, str]:
    """Validate and append one study's characteristics; return the row written."""
    out: dict[str, str] = {}
    for col in study_columns(codebook):
        value = row.get(col, "")
        if col in codebook.dimensions:
            value = join_codes(parse_codes(value))
        out[col] = "" if value is None else str(value).strip()
    out["timestamp"] = out["timestamp"] or utc_timestamp()
    problems = row_problems(out, codebook)
    if problems:
        raise ValidationError([Problem(str(project.studies_file), None, p, out["record_id"] or None) for p in problems])
    append_rows(project.studies_file, [out], study_columns(codebook))
    return out


def read_studies(project: Project, codebook: Codebook) -> pd.DataFrame:
    """Current study characteristics: one row per record_id, dimension columns as lists,
    ``sample_size`` as a nullable integer."""
    df = latest(read_log(project.studies_file, study_columns(codebook)), "record_id")
    for name in study_dimensions(codebook):
        df[name] = df[name].map(parse_codes)
    df["sample_size"] = pd.to_numeric(df["sample_size"].replace("", None), errors="coerce").astype("Int64")
    return df.sort_values("record_id", kind="stable").reset_index(drop=True)


def check_studies_log(path: Path, codebook: Codebook) -> list[Problem]:
    """Problems in ``studies.csv``, each with its line."""
    return check_log_rows(path, study_columns(codebook), lambda row: row_problems(row, codebook), "record_id")
