"""Evidence tables: characteristics of included studies and the tables the codebook declares.

Every function takes DataFrames and returns :class:`~.writers.Table` objects; nothing
here writes files. Which tables a report has, on which dimensions, is declared in the
codebook (``tables:``, see :mod:`reviewbench.coding.report_spec`): cross-tabulations of
two dimensions, findings per code of one, one table of findings per code. Rows follow
the codebook's code order or the reference-list order (first author, year, title), so
the same inputs always give the same tables. While the review is in progress, studies
not yet finally included are shown too, marked ``(provisional)``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..coding.report_spec import TableSpec
from ..pipeline import OPEN_STATES, PROVISIONAL
from .params import ReportParams
from .references import PROVISIONAL_MARK, citation_labels, sort_references
from .review_data import ReviewData, dimension_codes, dimension_label
from .safe import as_text, one_line
from .writers import Table

PROVISIONAL_NOTE = (f"Studies marked {PROVISIONAL_MARK} are not yet finally included: "
                    "a screening decision on them is still open.")


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
        studies = data.studies(params.stage, params.final)
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
    """Included studies (at ``params.stage``; provisional ones too unless ``params.final``)
    in the year range; with code filters set, only studies with at least one matching
    finding. Reference-list order; ``status`` and ``open`` say where each stands."""
    studies = data.studies(params.stage, params.final)
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


def citations(studies: pd.DataFrame) -> dict[str, str]:
    """Author-year citation per study, provisional ones marked (see :data:`PROVISIONAL_NOTE`)."""
    labels = citation_labels(studies)
    if "status" in studies.columns:
        for rid in studies.loc[studies["status"] == PROVISIONAL, "record_id"]:
            labels[rid] = f"{labels[rid]} {PROVISIONAL_MARK}"
    return labels


def characteristics_table(data: ReviewData, studies: pd.DataFrame, findings: pd.DataFrame,
                          cites: dict[str, str]) -> Table:
    """One row per study: citation, title, year, source, study-level codes, number of
    findings; while some are provisional, a ``Screening`` column says what is open."""
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
    provisional = "status" in studies.columns and bool((studies["status"] == PROVISIONAL).any())
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
        if provisional:
            row["Screening"] = OPEN_STATES.get(study.get("open") or "", "included") if study.get("status") == PROVISIONAL else "included"
        row["Record id"] = rid
        rows.append(row)
    columns = ["Study", "Title", "Year", "Source"]
    for col in extra_cols:
        labels = dimension_codes(data.codebook, col)
        columns.append(dimension_label(data.codebook, col) if labels else str(col).replace("_", " ").capitalize())
    columns += ["Findings", *(["Screening"] if provisional else []), "Record id"]
    frame = pd.DataFrame(rows, columns=columns)
    return Table("characteristics-of-included-studies", "Characteristics of included studies", frame,
                 PROVISIONAL_NOTE if provisional else "", sheet="characteristics")


def _exploded(findings: pd.DataFrame, dim: str) -> pd.DataFrame:
    if dim not in findings.columns or findings.empty:
        return pd.DataFrame(columns=["finding_id", "record_id", dim])
    out = findings[["finding_id", "record_id"]].copy()
    out[dim] = findings[dim].map(code_list)
    return out.explode(dim).dropna(subset=[dim])


def _cite_list(ids: set[str], cites: dict[str, str], order: dict[str, int]) -> str:
    return "; ".join(cites.get(r, r) for r in sorted(ids, key=lambda r: (order.get(r, 10**9), r)))


def crosstab_tables(findings: pd.DataFrame, codebook: Any, row_dim: str, col_dim: str, cites: dict[str, str],
                    order: dict[str, int], params: ReportParams, citations: bool = True, sheet: str = "",
                    title: str = "") -> list[Table]:
    """Findings by ``row_dim`` x ``col_dim``: a counts table and (with ``citations``) a
    table of ``n: citations`` cells.

    Every code of both dimensions appears, so empty cells (gaps) are visible.
    """
    rows = _labels(codebook, row_dim, params.selected(row_dim))
    cols = _labels(codebook, col_dim, params.selected(col_dim))
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
    title = title or f"Findings by {row_title.lower()} and {dimension_label(codebook, col_dim).lower()}"
    note = "Number of coded findings per cell; a finding coded with several codes counts in each. Empty cells are evidence gaps."
    tables = [Table(f"{base}-counts", title + " (counts)", pd.DataFrame(counts), note, sheet=f"{sheet}-counts" if sheet else "")]
    if citations:
        tables.append(Table(base, title + " (citations)", pd.DataFrame(cited),
                            _with_provisional("Each cell: number of findings, then the studies reporting them.", cites),
                            sheet=sheet))
    return tables


def _with_provisional(note: str, cites: dict[str, str]) -> str:
    """``note``, and what the provisional mark means when a cited study carries it."""
    if not any(c.endswith(PROVISIONAL_MARK) for c in cites.values()):
        return note
    return f"{note} {PROVISIONAL_NOTE}".strip()


def by_code_table(findings: pd.DataFrame, codebook: Any, cites: dict[str, str], order: dict[str, int],
                  params: ReportParams, dim: str, sheet: str = "", title: str = "") -> list[Table]:
    """Findings per code of one dimension, with the studies reporting them and their citations."""
    codes = _labels(codebook, dim, params.selected(dim))
    if not codes:
        return []
    ex = _exploded(findings, dim)
    label_of_dim = dimension_label(codebook, dim)
    rows = []
    for code, label in codes.items():
        group = ex[ex[dim] == code]
        rows.append({
            label_of_dim: label,
            "Findings": group["finding_id"].nunique(),
            "Studies": group["record_id"].nunique(),
            "Citations": _cite_list(set(group["record_id"]), cites, order),
        })
    return [Table(f"findings-by-{dim}".replace("_", "-"), title or f"Findings by {label_of_dim.lower()}", pd.DataFrame(rows),
                  _with_provisional("", cites), sheet=sheet)]


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
                    params: ReportParams, dim: str, prefix: str = "", detail: tuple[str, ...] | None = None,
                    sheet: str = "") -> list[Table]:
    """One table of findings per code of ``dim`` (codes without findings get an empty table).

    ``prefix`` names the files (default ``findings-<dim>``); ``detail``: the dimensions
    shown for each finding (default: every other dimension coded per finding).
    """
    codes = _labels(codebook, dim, params.selected(dim))
    if dim not in findings.columns and not codes:
        return []
    prefix = prefix or f"findings-{dim}"
    if detail is None:
        dims = getattr(codebook, "dimensions", {}) or {}
        detail = tuple(name for name, d in dims.items() if getattr(d, "applies_to_findings", True))
    tables = []
    for code, label in codes.items():
        if dim in findings.columns:
            subset = findings.loc[findings[dim].map(lambda v: code in code_list(v)).astype(bool)]
        else:
            subset = findings.iloc[0:0]
        frame = _finding_rows(subset, codebook, cites, order, tuple(d for d in detail if d != dim))
        tables.append(Table(f"{prefix}-{code}".replace("_", "-"), f"{dimension_label(codebook, dim)}: {label}", frame,
                            _with_provisional("", cites), sheet=f"{sheet or dim.replace('_', ' ')} {code.replace('_', '-')}"))
    return tables


def declared_tables(spec: TableSpec, findings: pd.DataFrame, codebook: Any, cites: dict[str, str],
                    order: dict[str, int], params: ReportParams) -> list[Table]:
    """The tables one declaration of the codebook's ``tables:`` gives."""
    if spec.kind == "crosstab":
        return crosstab_tables(findings, codebook, spec.dims[0], spec.dims[1], cites, order, params,
                               citations=spec.citations, sheet=spec.sheet, title=spec.title)
    if spec.kind == "by_code":
        return by_code_table(findings, codebook, cites, order, params, spec.dims[0], sheet=spec.sheet, title=spec.title)
    return per_code_tables(findings, codebook, cites, order, params, spec.dims[0], spec.name, spec.columns, spec.sheet)


def evidence_tables(data: ReviewData, params: ReportParams) -> list[Table]:
    """The characteristics of the studies, then every table the codebook declares, in its order."""
    studies = select_studies(data, params)
    findings = select_findings(data, params, studies)
    shown = data.studies(params.stage, params.final)
    cites = citations(shown)
    order = {rid: i for i, rid in enumerate(sort_references(shown)["record_id"])}
    cb = data.codebook
    tables = [characteristics_table(data, studies, findings, cites)]
    for spec in getattr(getattr(cb, "report", None), "tables", ()):
        tables += declared_tables(spec, findings, cb, cites, order, params)
    return tables
