"""Executed-notebook clean-up and the self-contained HTML export."""

from __future__ import annotations

import shutil

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from reviewbench.outputs.notebook_runner import notebook_html, strip_volatile

PNG_1PX = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def _executed_notebook() -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.metadata["papermill"] = {"start_time": "2024-01-01T00:00:00", "duration": 3.2}
    code = new_code_cell("print('secret code')", execution_count=1)
    code.metadata["papermill"] = {"duration": 1.0}
    code.metadata["execution"] = {"iopub.execute_input": "2024-01-01T00:00:00Z"}
    code.outputs = [new_output("display_data", data={"image/png": PNG_1PX, "text/plain": "<Figure>"})]
    nb.cells = [new_markdown_cell("# Report"), code]
    return nb


def test_strip_volatile_removes_run_metadata():
    nb = strip_volatile(_executed_notebook())
    assert "papermill" not in nb.metadata
    assert nb.cells[1].metadata == {}
    assert [c.get("id") for c in nb.cells] == ["cell-000", "cell-001"]


def test_a_widget_output_becomes_a_note_the_same_on_every_run():
    runs = []
    for model_id in ("1cf438194e7f47c9a361288e108a7d50", "c7b198b50cf14eaea744419c651ea39c"):
        nb = _executed_notebook()
        nb.cells[1].outputs.append(new_output("execute_result", execution_count=1, data={
            "application/vnd.jupyter.widget-view+json": {"model_id": model_id, "version_major": 2, "version_minor": 0},
            "text/plain": "ScreeningApp(children=(HBox(children=(Dropdown(...",
        }))
        runs.append(nbformat.writes(strip_volatile(nb)))
    assert runs[0] == runs[1]
    assert "model_id" not in runs[0] and "ScreeningApp(" not in runs[0]
    assert "open this notebook in JupyterLab" in runs[0]
    assert "image/png" in runs[0], "other outputs are kept"


def test_html_is_self_contained_with_hidden_code(tmp_path):
    src = tmp_path / "report.ipynb"
    nbformat.write(strip_volatile(_executed_notebook()), src)
    html = notebook_html(src, tmp_path / "report.html").read_text(encoding="utf-8")
    assert f"data:image/png;base64,{PNG_1PX}" in html
    assert 'id="rb-hide-code" checked' in html
    assert 'src="http' not in html


@pytest.mark.browser
def test_code_toggle_in_a_real_browser(tmp_path):
    from playwright.sync_api import sync_playwright

    src = tmp_path / "report.ipynb"
    nbformat.write(strip_volatile(_executed_notebook()), src)
    page_path = notebook_html(src, tmp_path / "report.html")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(page_path.as_uri())
            code = page.locator(".jp-CodeCell .jp-Cell-inputWrapper").first
            assert not code.is_visible()  # hidden for readers by default
            page.click("label.rb-code-toggle")
            assert code.is_visible()
            page.screenshot(path=str(tmp_path / "code-shown.png"))
        finally:
            browser.close()
