"""Hostile imported text through every output format: shown literally, never executed."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

from reviewbench.outputs.references import BACKENDS, STYLES, format_references, write_references
from reviewbench.outputs.writers import Table, docx_bytes, html_table, markdown_table, write_tables, xlsx_bytes

SCRIPT = "<script>alert('x')</script>"
FORMULA = '=HYPERLINK("http://evil.invalid","click")'
LATEX = r"\input{/etc/passwd}"
HOSTILE = [SCRIPT, FORMULA, LATEX, "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


@pytest.fixture
def hostile_table() -> Table:
    return Table("hostile", f"Title {SCRIPT}", pd.DataFrame({"Study": HOSTILE, "n": range(len(HOSTILE))}), note=FORMULA)


@pytest.fixture
def hostile_records() -> pd.DataFrame:
    return pd.DataFrame([{
        "record_id": f"r{i}", "title": text, "authors": [f"{text}, A", "Smith, Jo"], "year": 2000 + i,
        "journal": text, "volume": "1", "issue": "", "pages": "1-2", "doi": "", "ref_type": "JOUR",
    } for i, text in enumerate([SCRIPT, FORMULA, LATEX])])


def _no_live_script(text: str) -> None:
    assert "<script" not in text.lower()


def test_csv_cells_cannot_start_a_formula(hostile_table, tmp_path):
    write_tables([hostile_table], tmp_path, ["csv"])
    rows = list(csv.reader(io.StringIO((tmp_path / "hostile.csv").read_text(encoding="utf-8"))))
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert rows[2][0] == "'" + FORMULA


def test_markdown_and_html_show_markup_as_text(hostile_table):
    for text in (markdown_table(hostile_table), html_table(hostile_table)):
        _no_live_script(text)
        assert "&lt;script&gt;" in text
    assert r"\\input\{/etc/passwd\}" in markdown_table(hostile_table)


def test_xlsx_cells_are_text_not_formulas(hostile_table):
    wb = load_workbook(io.BytesIO(xlsx_bytes([hostile_table])))
    ws = wb.worksheets[0]
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    for cell in (c for row in ws.iter_rows() for c in row):
        assert cell.data_type != "f", cell.value
    assert "'" + FORMULA in values
    sheet_xml = zipfile.ZipFile(io.BytesIO(xlsx_bytes([hostile_table]))).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


def test_docx_holds_the_text_literally(hostile_table):
    data = docx_bytes([hostile_table])
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    _no_live_script(xml)
    assert "&lt;script&gt;" in xml and "HYPERLINK" in xml
    assert "<w:fldSimple" not in xml and "<w:instrText" not in xml  # no Word field codes
    from docx import Document

    table = Document(io.BytesIO(data)).tables[0]
    assert [row.cells[0].text for row in table.rows] == ["Study", *[" ".join(h.split()) for h in HOSTILE]]


def test_office_files_are_byte_identical(hostile_table):
    assert xlsx_bytes([hostile_table]) == xlsx_bytes([hostile_table])
    assert docx_bytes([hostile_table]) == docx_bytes([hostile_table])


@pytest.mark.parametrize("style", STYLES)
def test_reference_lists_escape_in_every_format(hostile_records, style):
    md = format_references(hostile_records, style, "md")
    html = format_references(hostile_records, style, "html")
    tex = format_references(hostile_records, style, "tex")
    _no_live_script(md)
    _no_live_script(html)
    assert "&lt;script&gt;" in html
    # LaTeX: the only commands are the ones the list itself uses.
    commands = set(re.findall(r"\\([A-Za-z]+)", tex))
    assert commands <= {"begin", "end", "bibitem", "emph", "textbackslash", "textless", "textgreater",
                        "textasciicircum", "textasciitilde", "textbar", "newblock"}, commands
    assert r"\textbackslash{}input\{/etc/passwd\}" in tex
    txt = format_references(hostile_records, style, "txt")
    assert LATEX in txt  # plain text keeps the characters


def test_reference_files_written_for_both_styles(hostile_records, tmp_path):
    paths = {p.name for p in write_references(hostile_records, tmp_path)}
    assert {f"references-{s}.{f}" for s in STYLES for f in BACKENDS} <= paths
    assert {"included-studies.bib", "included-studies.ris"} <= paths
    ris = (tmp_path / "included-studies.ris").read_text(encoding="utf-8")
    assert ris.count("ER  -") == 3


def test_bibtex_export_carries_no_latex_command(hostile_records, tmp_path):
    write_references(hostile_records, tmp_path)
    assert "\\input" not in (tmp_path / "included-studies.bib").read_text(encoding="utf-8")
