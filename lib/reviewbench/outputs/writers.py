"""Write evidence tables as CSV, Markdown, HTML, XLSX (openpyxl) and DOCX (python-docx).

Each :class:`Table` is one DataFrame with a title. CSV, Markdown and HTML get one file
per table; XLSX and DOCX get one workbook / document holding every table, because that
is what report writers open. Cell text passes through :mod:`.safe`: spreadsheet cells
cannot start a formula, Markdown and HTML show markup literally. Office files are zip
archives with timestamps inside; :func:`fixed_zip` pins them so the same tables are
always the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape as xml_escape
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..outputs_io import write_bytes, write_csv, write_text
from .safe import as_text, escape_html, escape_markdown, neutralise_formula, one_line

FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


@dataclass(frozen=True)
class Table:
    """One evidence table: a file-name stem, a human title, the rows, an optional note and
    an optional sheet name for the workbook (else one is made from the file name)."""

    name: str
    title: str
    frame: pd.DataFrame
    note: str = ""
    sheet: str = ""


def _cell(value: object) -> object:
    """Numbers stay numbers; everything else becomes one line of text."""
    if isinstance(value, (bool,)):
        return str(value)
    if isinstance(value, (int, float)) and not pd.isna(value):
        return value
    if hasattr(value, "item") and not isinstance(value, (str, bytes, list)):  # numpy scalars
        try:
            return _cell(value.item())
        except (ValueError, AttributeError):
            pass
    return one_line(as_text(value))


def _rows(frame: pd.DataFrame) -> list[list[object]]:
    return [[_cell(v) for v in row] for row in frame.itertuples(index=False, name=None)]


def spreadsheet_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with every text cell (and header) neutralised for spreadsheets."""
    columns = [neutralise_formula(str(c)) for c in frame.columns]
    rows = [[neutralise_formula(v) for v in row] for row in _rows(frame)]
    return pd.DataFrame(rows, columns=columns)


def markdown_table(table: Table) -> str:
    """A titled GitHub-flavoured Markdown table; every cell escaped."""
    lines = [f"## {escape_markdown(table.title)}", ""]
    if table.note:
        lines += [escape_markdown(table.note), ""]
    header = [escape_markdown(c) for c in table.frame.columns]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join(" ---: " if pd.api.types.is_numeric_dtype(table.frame[c]) else " --- "
                                for c in table.frame.columns) + "|")
    for row in _rows(table.frame):
        lines.append("| " + " | ".join(escape_markdown(v) for v in row) + " |")
    if table.frame.empty:
        lines += ["", "_No rows._"]
    return "\n".join(lines) + "\n"


_HTML_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2em;color:#222}"
    "table{border-collapse:collapse;font-size:0.9em}"
    "th,td{border:1px solid #bbb;padding:4px 8px;vertical-align:top;text-align:left}"
    "th{background:#eee}td.num{text-align:right}caption{text-align:left;font-weight:bold;margin-bottom:0.5em}"
)


# Inside JupyterLab's HTML (and nbconvert's lab template) table cells are right-aligned
# by a high-specificity rule; text columns read better left-aligned.
_FRAGMENT_STYLE = (
    "table.rb-table td,table.rb-table th,table.rb-table tr{text-align:left!important;vertical-align:top!important}"
    "table.rb-table td.num{text-align:right!important}table.rb-table caption{text-align:left;font-weight:bold}"
)


def html_table(table: Table, full_page: bool = True) -> str:
    """The table as HTML (a whole page by default); every cell escaped."""
    numeric = [pd.api.types.is_numeric_dtype(table.frame[c]) for c in table.frame.columns]
    head = "".join(f"<th scope=\"col\">{escape_html(c)}</th>" for c in table.frame.columns)
    body = []
    for row in _rows(table.frame):
        cells = "".join(
            f"<td class=\"num\">{escape_html(v)}</td>" if num else f"<td>{escape_html(v)}</td>"
            for v, num in zip(row, numeric)
        )
        body.append(f"<tr>{cells}</tr>")
    note = f"<p>{escape_html(table.note)}</p>\n" if table.note else ""
    fragment = (
        f"<table class=\"rb-table\">\n<caption>{escape_html(table.title)}</caption>\n<thead><tr>{head}</tr></thead>\n"
        "<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>\n"
    )
    if not full_page:
        return f"<style>{_FRAGMENT_STYLE}</style>\n" + note + fragment
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{escape_html(table.title)}</title>\n<style>{_HTML_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{escape_html(table.title)}</h1>\n{note}{fragment}</body>\n</html>\n"
    )


def fixed_zip(data: bytes) -> bytes:
    """Rewrite an Office zip with fixed entry times and document dates (same input, same bytes)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_DATES.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, content)
    return out.getvalue()


#: Shorter sheet names (Excel allows 31 characters) for tables that do not name their
#: sheet: table-name fragment -> replacement.
SHEET_ABBREVIATIONS = (
    ("characteristics-of-included-studies", "characteristics"),
    ("findings-by-", ""),
    ("-and-", " x "),
)


def _sheet_title(table: Table, used: set[str]) -> str:
    name = table.sheet
    if not name:
        name = table.name
        for long, short in SHEET_ABBREVIATIONS:
            name = name.replace(long, short)
    base = re.sub(r"[\[\]:*?/\\']", "-", name)[:31].strip() or "table"
    title, n = base, 2
    while title.lower() in used:
        suffix = f"-{n}"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def xlsx_bytes(tables: list[Table]) -> bytes:
    """One workbook, one sheet per table (title in row 1, header in row 3), cells as text or numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for table in tables:
        ws = wb.create_sheet(_sheet_title(table, used))
        frame = spreadsheet_frame(table.frame)
        ws.append([neutralise_formula(one_line(table.title))])
        ws["A1"].font = Font(bold=True)
        ws.append([neutralise_formula(one_line(table.note))] if table.note else [])
        ws.append(list(frame.columns))
        for cell in ws[3]:
            cell.font = Font(bold=True)
        for row in frame.itertuples(index=False, name=None):
            ws.append([None if (isinstance(v, float) and pd.isna(v)) else v for v in row])
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text
        for col in ws.columns:
            width = max((len(str(c.value)) for c in col[2:] if c.value is not None), default=8)
            ws.column_dimensions[col[0].column_letter].width = min(max(width + 2, 8), 60)
    wb.properties.creator = "reviewbench"
    buf = io.BytesIO()
    wb.save(buf)
    return fixed_zip(buf.getvalue())


def _docx_row(values: list[object]) -> str:
    """One Word table row as XML (python-docx's add_row is too slow for thousands of rows)."""
    from docx.oxml.ns import nsdecls

    cells = "".join(
        f'<w:tc><w:p><w:r><w:t xml:space="preserve">{xml_escape(one_line(as_text(v)))}</w:t></w:r></w:p></w:tc>'
        for v in values
    )
    return f"<w:tr {nsdecls('w')}>{cells}</w:tr>"


def docx_bytes(tables: list[Table], title: str = "Evidence tables") -> bytes:
    """One Word document with a heading and a table per evidence table."""
    from docx import Document
    from docx.oxml import parse_xml

    doc = Document()
    doc.core_properties.author = "reviewbench"
    doc.core_properties.title = one_line(title)
    doc.add_heading(one_line(title), level=0)
    for table in tables:
        doc.add_heading(one_line(table.title), level=1)
        if table.note:
            doc.add_paragraph(one_line(table.note))
        grid = doc.add_table(rows=1, cols=max(len(table.frame.columns), 1))
        grid.style = "Table Grid"
        for cell, col in zip(grid.rows[0].cells, table.frame.columns):
            cell.text = one_line(str(col))
            for run in cell.paragraphs[0].runs:
                run.bold = True
        tbl = grid._tbl
        for row in _rows(table.frame):
            tbl.append(parse_xml(_docx_row(row)))
    buf = io.BytesIO()
    doc.save(buf)
    return fixed_zip(buf.getvalue())


def write_tables(tables: list[Table], folder: str | Path, formats: tuple[str, ...] | list[str],
                 bundle_name: str = "evidence-tables", bundle_title: str = "Evidence tables") -> list[Path]:
    """Write ``tables`` under ``folder`` in each of ``formats``; returns the paths written (sorted)."""
    folder = Path(folder)
    written: list[Path] = []
    for table in tables:
        if "csv" in formats:
            written.append(write_csv(spreadsheet_frame(table.frame), folder / f"{table.name}.csv"))
        if "md" in formats:
            written.append(write_text(markdown_table(table), folder / f"{table.name}.md"))
        if "html" in formats:
            written.append(write_text(html_table(table), folder / f"{table.name}.html"))
    if "xlsx" in formats and tables:
        written.append(write_bytes(xlsx_bytes(tables), folder / f"{bundle_name}.xlsx"))
    if "docx" in formats and tables:
        written.append(write_bytes(docx_bytes(tables, bundle_title), folder / f"{bundle_name}.docx"))
    return sorted(written)
