"""Evidence tables: characteristics of included studies and coded findings cross-tabulated.

Every function takes DataFrames and returns :class:`~.writers.Table` objects; nothing
here writes files. Rows follow the codebook's code order or the reference-list order
(first author, year, title), so the same inputs always give the same tables.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .params import FILTER_DIMENSIONS, ReportParams
from .references import citation_labels, sort_references
from .review_data import ReviewData, dimension_codes, dimension_label
from .safe import as_text, one_line
from .writers import Table

FINDING_DETAIL_DIMENSIONS = ("subgroup", "prevention_tier", "determinant_layer", "health_theme")


def code_list(value: Any) -> list[str]:
    """A findings cell as a list of code ids (lists kept; ``"a; b"`` split; empty -> [])."""
    if isinstance(value, (list, tuple, set)):
        return [str(v) for v in value if str(v).strip()]
    text = as_text(value).strip()
    return [p.strip() for p in text.replace(",", ";").split(";") if p.strip()] if text else []


def _year_ok(year: Any, params: ReportParams) -> bool:
    if params.year_from is None and params.year_to is None:
        return True
    if year is None or pd.isna(year):
        return False
    return (params.year_from is None or int(year) >= params.year_from) and (
        params.year_to is None or int(year) <= params.year_to
    )


def select_findings(data: ReviewData, params: ReportParams, studies: pd.DataFrame | None = None) -> pd.DataFrame:
    """Coded findings of the included studies that match every filter in ``params``.

    A finding matches a filter on a dimension when at least one of its codes is selected.
    """
    if studies is None:
        studies = data.included(params.stage)
        studies = studies[[_year_ok(y, params) for y in studies["year"]]]
    findings = data.findings
    if findings.empty or "record_id" not in findings.columns:
        return findings.iloc[0:0].copy()
    keep = findings["record_id"].isin(set(studies["record_id"]))
    for dim, selected in params.filters().items():
        if dim not in findings.columns:
            keep &= False
            continue
        chosen = set(selected)
        keep &= findings[dim].map(lambda v: bool(chosen & set(code_list(v))))
    out = findings[keep].copy()
    sort_cols = [c for c in ("record_id", "finding_id") if c in out.columns]
    return out.sort_values(sort_cols).reset_index(drop=True)


def select_studies(data: ReviewData, params: ReportParams) -> pd.DataFrame:
    """Included studies (at ``params.stage``) in the year range; with code filters set,
    only studies with at least one matching finding. Reference-list order."""
    studies = data.included(params.stage)
    studies = studies[[_year_ok(y, params) for y in studies["year"]]]
    if params.filters():
        ids = set(select_findings(data, params, studies)["record_id"])
        studies = studies[studies["record_id"].isin(ids)]
    return sort_references(studies)


def _labels(codebook: Any, dim: str, selected: tuple[str, ...] = ()) -> dict[str, str]:
    codes = dimension_codes(codebook, dim)
    if selected:
        codes = {c: l for c, l in codes.items() if c in selected}
    return codes


def _join_labels(value: Any, labels: dict[str, str]) -> str:
    return "; ".join(labels.get(c, c) for c in code_list(value))


def characteristics_table(data: ReviewData, studies: pd.DataFrame, findings: pd.DataFrame,
                          cites: dict[str, str]) -> Table:
    """One row per included study: citation, title, year, source, study-level codes, number of findings."""
    rows = []
    chars = data.characteristics
    if not chars.empty and "record_id" in chars.columns:
        chars = chars.assign(record_id=data.cluster_of(chars["record_id"])).drop_duplicates("record_id", keep="last")
        chars = chars.set_index("record_id")
    else:
        chars = pd.DataFrame()
    skip = {"record_id", "title", "year", "authors", "journal", "finding_id", "coder", "n_findings", "note",
            "timestamp", "confidence"}
    extra_cols = [c for c in chars.columns if c not in skip] if not chars.empty else []
    count = findings.groupby("record_id").size().to_dict() if not findings.empty else {}
    for _, study in studies.iterrows():
        rid = study["record_id"]
        row = {
            "Study": cites.get(rid, rid),
            "Title": one_line(as_text(study.get("title"))),
            "Year": "" if pd.isna(study.get("year")) else int(study["year"]),
            "Source": one_line(as_text(study.get("journal"))),
        }
        for col in extra_cols:
            value = chars.at[rid, col] if rid in chars.index else ""
            labels = dimension_codes(data.codebook, col)
            header = dimension_label(data.codebook, col) if labels else str(col).replace("_", " ").capitalize()
            row[header] = _join_labels(value, labels) if labels else one_line(as_text(value))
        row["Findings"] = int(count.get(rid, 0))
        row["Record id"] = rid
        rows.append(row)
    columns = ["Study", "Title", "Year", "Source"]
    for col in extra_cols:
        labels = dimension_codes(data.codebook, col)
        columns.append(dimension_label(data.codebook, col) if labels else str(col).replace("_", " ").capitalize())
    columns += ["Findings", "Record id"]
    frame = pd.DataFrame(rows, columns=columns)
    return Table("characteristics-of-included-studies", "Characteristics of included studies", frame)


def _exploded(findings: pd.DataFrame, dim: str) -> pd.DataFrame:
    if dim not in findings.columns or findings.empty:
        return pd.DataFrame(columns=["finding_id", "record_id", dim])
    out = findings[["finding_id", "record_id"]].copy()
    out[dim] = findings[dim].map(code_list)
    return out.explode(dim).dropna(subset=[dim])


def _cite_list(ids: set[str], cites: dict[str, str], order: dict[str, int]) -> str:
    return "; ".join(cites.get(r, r) for r in sorted(ids, key=lambda r: (order.get(r, 10**9), r)))


def crosstab_tables(findings: pd.DataFrame, codebook: Any, row_dim: str, col_dim: str, cites: dict[str, str],
                    order: dict[str, int], params: ReportParams) -> list[Table]:
    """Findings by ``row_dim`` x ``col_dim``: a counts table and a table of ``n: citations`` cells.

    Every code of both dimensions appears, so empty cells (gaps) are visible.
    """
    rows = _labels(codebook, row_dim, getattr(params, row_dim, ()) if row_dim in FILTER_DIMENSIONS else ())
    cols = _labels(codebook, col_dim, getattr(params, col_dim, ()) if col_dim in FILTER_DIMENSIONS else ())
    if not rows or not cols:
        return []
    a, b = _exploded(findings, row_dim), _exploded(findings, col_dim)
    pairs = a.merge(b[["finding_id", col_dim]], on="finding_id")
    cells: dict[tuple[str, str], pd.DataFrame] = {k: g for k, g in pairs.groupby([row_dim, col_dim])}
    row_title = dimension_label(codebook, row_dim)
    counts, cited = [], []
    for r, rlabel in rows.items():
        crow, trow = {row_title: rlabel}, {row_title: rlabel}
        for c, clabel in cols.items():
            group = cells.get((r, c))
            n = 0 if group is None else group["finding_id"].nunique()
            crow[clabel] = n
            trow[clabel] = "" if group is None else f"{n}: {_cite_list(set(group['record_id']), cites, order)}"
        crow["Total findings"] = a.loc[a[row_dim] == r, "finding_id"].nunique()
        counts.append(crow)
        cited.append(trow)
    base = f"findings-by-{row_dim}-and-{col_dim}".replace("_", "-")
    title = f"Findings by {row_title.lower()} and {dimension_label(codebook, col_dim).lower()}"
    note = "Number of coded findings per cell; a finding coded with several codes counts in each. Empty cells are evidence gaps."
    return [
        Table(f"{base}-counts", title + " (counts)", pd.DataFrame(counts), note),
        Table(base, title + " (citations)", pd.DataFrame(cited), "Each cell: number of findings, then the studies reporting them."),
    ]


def layer_table(findings: pd.DataFrame, codebook: Any, cites: dict[str, str], order: dict[str, int],
                params: ReportParams, dim: str = "determinant_layer") -> list[Table]:
    """Findings per code of one dimension (default: determinant layer) with studies and citations."""
    codes = _labels(codebook, dim, getattr(params, dim, ()) if dim in FILTER_DIMENSIONS else ())
    if not codes:
        return []
    ex = _exploded(findings, dim)
    title = dimension_label(codebook, dim)
    rows = []
    for code, label in codes.items():
        group = ex[ex[dim] == code]
        rows.append({
            title: label,
            "Findings": group["finding_id"].nunique(),
            "Studies": group["record_id"].nunique(),
            "Citations": _cite_list(set(group["record_id"]), cites, order),
        })
    return [Table(f"findings-by-{dim}".replace("_", "-"), f"Findings by {title.lower()}", pd.DataFrame(rows))]


def _finding_rows(findings: pd.DataFrame, codebook: Any, cites: dict[str, str], order: dict[str, int],
                  dims: tuple[str, ...]) -> pd.DataFrame:
    labels = {d: dimension_codes(codebook, d) for d in dims}
    ordered = findings.assign(_o=findings["record_id"].map(lambda r: order.get(r, 10**9)))
    ordered = ordered.sort_values(["_o", "record_id", "finding_id"])
    rows = []
    for _, f in ordered.iterrows():
        row = {"Study": cites.get(f["record_id"], f["record_id"]), "Finding": one_line(as_text(f.get("finding")))}
        for d in dims:
            if d in findings.columns:
                row[dimension_label(codebook, d)] = _join_labels(f.get(d), labels[d])
        row["Location"] = one_line(as_text(f.get("location")))
        row["Finding id"] = as_text(f.get("finding_id"))
        rows.append(row)
    columns = ["Study", "Finding", *[dimension_label(codebook, d) for d in dims if d in findings.columns],
               "Location", "Finding id"]
    return pd.DataFrame(rows, columns=columns)


def per_code_tables(findings: pd.DataFrame, codebook: Any, cites: dict[str, str], order: dict[str, int],
                    params: ReportParams, dim: str, prefix: str, detail: tuple[str, ...]) -> list[Table]:
    """One table of findings per code of ``dim`` (codes without findings get an empty table)."""
    codes = _labels(codebook, dim, getattr(params, dim, ()) if dim in FILTER_DIMENSIONS else ())
    if dim not in findings.columns and not codes:
        return []
    tables = []
    for code, label in codes.items():
        if dim in findings.columns:
            subset = findings.loc[findings[dim].map(lambda v: code in code_list(v)).astype(bool)]
        else:
            subset = findings.iloc[0:0]
        frame = _finding_rows(subset, codebook, cites, order, tuple(d for d in detail if d != dim))
        tables.append(Table(f"{prefix}-{code}".replace("_", "-"), f"{dimension_label(codebook, dim)}: {label}", frame))
    return tables


def evidence_tables(data: ReviewData, params: ReportParams) -> list[Table]:
    """Every evidence table of a report, in the order they are presented."""
    studies = select_studies(data, params)
    findings = select_findings(data, params, studies)
    cites = citation_labels(data.included(params.stage))
    order = {rid: i for i, rid in enumerate(sort_references(data.included(params.stage))["record_id"])}
    cb = data.codebook
    tables = [characteristics_table(data, studies, findings, cites)]
    tables += crosstab_tables(findings, cb, "subgroup", "prevention_tier", cites, order, params)
    tables += layer_table(findings, cb, cites, order, params, "determinant_layer")
    tables += crosstab_tables(findings, cb, "subgroup", "determinant_layer", cites, order, params)[:1]
    tables += per_code_tables(findings, cb, cites, order, params, "subgroup", "findings-subgroup",
                              FINDING_DETAIL_DIMENSIONS)
    tables += per_code_tables(findings, cb, cites, order, params, "recommendation_area", "findings-recommendation",
                              FINDING_DETAIL_DIMENSIONS)
    return tables
