"""What a review's reports show, declared in its codebook: filters, tables and gap maps.

The outputs name no dimension of their own; ``codebook.yml`` says which of its
dimensions a report can be focused on and which tables and gap maps it gets::

    filters: [setting, study_design]     # reviewbench run -p setting community
    tables:
      - crosstab: [concept, setting]     # findings per cell, counts and the studies cited
        citations: true                  # also the table citing the studies (default true)
        sheet: concept x setting         # sheet name in the workbook (optional, 31 characters)
      - by_code: study_design            # findings, studies and citations per code
      - per_code: concept                # one table of findings per code
        name: findings-concept           # file name prefix (default findings-<dimension>)
        columns: [setting]               # dimensions shown per finding (default: the others)
    gap_maps:
      - [concept, setting]               # rows x columns, empty cells hatched

:func:`report_spec_problems` checks the declarations against the dimensions with the
line of each problem; :func:`build_report_spec` turns checked data into a :class:`ReportSpec`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..errors import Problem
from ..project import Located

#: Kinds of table a codebook can declare, each keyed by the dimensions it takes.
TABLE_KINDS = {"crosstab": 2, "by_code": 1, "per_code": 1}
TABLE_KEYS = {*TABLE_KINDS, "citations", "name", "sheet", "columns", "title"}
REPORT_KEYS = ("filters", "tables", "gap_maps")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class TableSpec:
    """One declared table: its ``kind`` (a key of :data:`TABLE_KINDS`) and dimensions.

    ``citations``: a crosstab also gets the table citing the studies in each cell.
    ``name``: file-name stem or prefix; ``sheet``: workbook sheet name (or prefix);
    ``columns``: dimensions shown per finding (``None``: every other finding dimension).
    """

    kind: str
    dims: tuple[str, ...]
    citations: bool = True
    name: str = ""
    sheet: str = ""
    columns: tuple[str, ...] | None = None
    title: str = ""


@dataclass(frozen=True)
class ReportSpec:
    """The declared filters (dimension names), tables and gap maps (row, column) of a review."""

    filters: tuple[str, ...] = ()
    tables: tuple[TableSpec, ...] = ()
    gap_maps: tuple[tuple[str, str], ...] = ()


def _dims(value: Any, n: int | None) -> tuple[str, ...] | None:
    """``value`` as a tuple of dimension names (``n`` of them), or None when it is not one."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        return None
    if n is not None and len(items) != n:
        return None
    return tuple(items)


def report_spec_problems(doc: Located, dimensions: dict[str, Any]) -> list[Problem]:
    """Problems of the ``filters``, ``tables`` and ``gap_maps`` of a parsed codebook."""
    data = doc.data if isinstance(doc.data, dict) else {}
    problems: list[Problem] = []
    known = set(dimensions)

    def unknown(names: tuple[str, ...], *keys: Any) -> None:
        for name in names:
            if name not in known:
                problems.append(doc.problem(f"{name!r} is not a dimension of the codebook ({', '.join(dimensions) or 'none'})", *keys))

    filters = data.get("filters")
    if filters is not None:
        names = _dims(filters, None)
        if names is None:
            problems.append(doc.problem("'filters' must be a list of dimension names", "filters"))
        else:
            unknown(names, "filters")
            for name in {n for n in names if names.count(n) > 1}:
                problems.append(doc.problem(f"filter {name!r} is listed twice", "filters"))
    tables = data.get("tables")
    if tables is not None and not isinstance(tables, list):
        problems.append(doc.problem("'tables' must be a list of tables (crosstab, by_code or per_code)", "tables"))
    for i, table in enumerate(tables if isinstance(tables, list) else []):
        where = ("tables", i)
        kinds = [k for k in TABLE_KINDS if isinstance(table, dict) and k in table]
        if len(kinds) != 1:
            problems.append(doc.problem(f"table {i + 1} must be a mapping with one of {', '.join(TABLE_KINDS)}", *where))
            continue
        kind = kinds[0]
        names = _dims(table[kind], TABLE_KINDS[kind])
        if names is None:
            wanted = "a list of two dimension names" if TABLE_KINDS[kind] == 2 else "a dimension name"
            problems.append(doc.problem(f"table {i + 1}: '{kind}' takes {wanted}", *where, kind))
            continue
        unknown(names, *where, kind)
        for key in table:
            if key not in TABLE_KEYS:
                problems.append(doc.problem(f"table {i + 1}: unknown key {key!r} (allowed: {', '.join(sorted(TABLE_KEYS))})", *where, key))
        if "citations" in table and not isinstance(table["citations"], bool):
            problems.append(doc.problem(f"table {i + 1}: 'citations' must be true or false", *where, "citations"))
        if "name" in table and not (isinstance(table["name"], str) and _NAME.match(table["name"])):
            problems.append(doc.problem(f"table {i + 1}: 'name' must be lower case letters, digits and '-'", *where, "name"))
        for key in ("sheet", "title"):
            if key in table and not (isinstance(table[key], str) and table[key].strip()):
                problems.append(doc.problem(f"table {i + 1}: '{key}' must be text", *where, key))
        if "columns" in table:
            columns = _dims(table["columns"], None)
            if columns is None:
                problems.append(doc.problem(f"table {i + 1}: 'columns' must be a list of dimension names", *where, "columns"))
            else:
                unknown(columns, *where, "columns")
    maps = data.get("gap_maps")
    if maps is not None and not isinstance(maps, list):
        problems.append(doc.problem("'gap_maps' must be a list of [rows, columns] dimension pairs", "gap_maps"))
    for i, pair in enumerate(maps if isinstance(maps, list) else []):
        names = _dims(pair, 2)
        if names is None:
            problems.append(doc.problem(f"gap map {i + 1} must be a pair of dimension names [rows, columns]", "gap_maps", i))
        else:
            unknown(names, "gap_maps", i)
    return problems


def build_report_spec(data: dict[str, Any]) -> ReportSpec:
    """The :class:`ReportSpec` of already-checked codebook data (empty when nothing is declared)."""
    tables = []
    for table in data.get("tables") or []:
        kind = next(k for k in TABLE_KINDS if k in table)
        columns = table.get("columns")
        tables.append(TableSpec(
            kind=kind, dims=_dims(table[kind], TABLE_KINDS[kind]) or (), citations=bool(table.get("citations", True)),
            name=str(table.get("name") or ""), sheet=str(table.get("sheet") or "").strip(),
            columns=tuple(columns) if columns is not None else None, title=str(table.get("title") or "").strip(),
        ))
    return ReportSpec(
        filters=tuple(data.get("filters") or ()),
        tables=tuple(tables),
        gap_maps=tuple(tuple(pair) for pair in data.get("gap_maps") or ()),  # type: ignore[misc]
    )
