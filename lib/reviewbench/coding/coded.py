"""The coded evidence the outputs use: reconciled findings and study characteristics.

:func:`coded_findings` gives one row per finding, with the coders' codes where they agree,
the reconciliation log's decision where they did not, and every code given where nobody
has decided yet (see :mod:`.reconcile`). :func:`study_characteristics` gives one row per
study, with how many of those findings come from it.
"""

from __future__ import annotations

from typing import Any, Iterable

import pandas as pd

from ..project import Project
from .codebook import load_codebook
from .reconcile import decided_codes, effective_codes, ordered_codes
from .studies import read_studies, study_dimensions

CONFIDENCE_ORDER = ["low", "medium", "high"]


def coded_findings(project: Project) -> pd.DataFrame:
    """The reconciled coded findings the outputs use, one row per finding.

    Columns: ``finding_id, record_id, finding, location, coder`` (coders joined by
    ``"; "``), one column per dimension holding a list of code ids (codebook order),
    ``confidence`` (the lowest any coder gave), ``n_coders``, ``unresolved``
    (dimensions still in disagreement: their codes are the union of the coders' codes)
    and ``disputed`` (dimension -> the codes of that union some coder did not give: a
    count, such as a gap map, leaves them out until the disagreement is resolved).
    """
    codebook = load_codebook(project)
    coded = effective_codes(project, codebook)
    decided = decided_codes(project)
    rows = []
    for fid, group in coded.groupby("finding_id", sort=True):
        first = group.iloc[0]
        record_ids = [r for r in group["record_id"] if str(r).strip()]
        row: dict[str, Any] = {
            "finding_id": fid,
            "record_id": record_ids[0] if record_ids else "",
            "finding": first["finding"],
            "location": first["location"],
            "coder": "; ".join(group["coder"]),
        }
        unresolved = []
        disputed: dict[str, list[str]] = {}
        for name in codebook.dimensions:
            sets = {tuple(c) for c in group[name]}
            if len(sets) == 1:
                row[name] = list(first[name])
            elif (fid, name) in decided:
                row[name] = ordered_codes(codebook, name, decided[(fid, name)])
            else:
                given = [set(codes) for codes in group[name]]
                row[name] = ordered_codes(codebook, name, set().union(*given))
                disputed[name] = ordered_codes(codebook, name, set().union(*given) - set.intersection(*given))
                unresolved.append(name)
        levels = [c for c in group["confidence"] if c in CONFIDENCE_ORDER]
        row["confidence"] = min(levels, key=CONFIDENCE_ORDER.index) if levels else ""
        row["n_coders"] = len(group)
        row["unresolved"] = unresolved
        row["disputed"] = disputed
        rows.append(row)
    columns = ["finding_id", "record_id", "finding", "location", "coder", *codebook.dimensions, "confidence", "n_coders", "unresolved", "disputed"]
    return pd.DataFrame(rows, columns=columns)


def study_characteristics(project: Project, record_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """One row per study: ``record_id``, the study-level dimensions (lists),
    ``country``, ``sample_size``, ``note``, ``coder``, ``n_findings`` (findings
    extracted from it, after reconciliation) and ``coded`` (whether its characteristics
    have been recorded).

    The studies are those with characteristics or findings; pass ``record_ids`` (e.g.
    the included studies) to get exactly one row for each of them, in that order,
    uncoded ones with empty values.
    """
    codebook = load_codebook(project)
    studies = read_studies(project, codebook).drop(columns=["timestamp"])
    studies["coded"] = True
    findings = coded_findings(project)
    counts = findings[findings["record_id"] != ""].groupby("record_id").size() if not findings.empty else pd.Series(dtype="int64")
    ids = list(record_ids) if record_ids is not None else sorted(set(studies["record_id"]) | set(counts.index))
    studies = studies.set_index("record_id").reindex(ids)
    studies.index.name = "record_id"
    for name in study_dimensions(codebook):
        studies[name] = studies[name].map(lambda v: v if isinstance(v, list) else [])
    for name in ("country", "note", "coder"):
        studies[name] = studies[name].fillna("")
    studies["coded"] = studies["coded"].eq(True)
    studies["n_findings"] = studies.index.map(counts).fillna(0).astype(int)
    return studies.reset_index()
