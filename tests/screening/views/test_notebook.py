"""notebooks/02-screening.ipynb: stored clean, runs under papermill, never writes a decision."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import papermill
import pytest

REPO = Path(__file__).resolve().parents[3]
NOTEBOOK = REPO / "notebooks" / "02-screening.ipynb"

pytestmark = pytest.mark.slow


def test_stored_without_outputs_and_with_a_parameters_cell():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    for name in ("stage", "order", "calibration_n"):
        assert f"{name} =" in params[0].source
    assert "reviewer =" not in params[0].source  # reviewers come from review.yml, never typed here


@pytest.mark.parametrize("notebook", sorted(NOTEBOOK.parent.glob("*.ipynb")), ids=lambda p: p.name)
def test_every_notebook_opens_with_its_code_collapsed(notebook):
    nb = nbformat.read(notebook, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]
    assert code and all(c.metadata.get("jupyter", {}).get("source_hidden") is True for c in code)


def _shown(nb, cell_start: str) -> str:
    """Everything the code cell starting with ``cell_start`` showed (text, Markdown, HTML,
    and a widget's text form, which begins with its header), one output after another."""
    cell = next(c for c in nb.cells if c.cell_type == "code" and c.source.startswith(cell_start))
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", ""))
        data = out.get("data", {})
        parts += [data[kind] for kind in ("text/markdown", "text/html", "text/plain") if isinstance(data.get(kind), str)]
        if "application/vnd.jupyter.widget-view+json" in data:
            parts.append("<widget>")
    return "\n".join(parts)


@pytest.mark.parametrize(
    "reviewer, parameters, view, agreement",
    [
        # as in `reviewbench run`: no reviewer, so the app asks who you are (once), and the team's state
        ("", {}, ["<widget>", "ScreeningApp("], ["Blinded", "alex 0 of 12, sam 0 of 12"]),
        # the view of the stage for the reviewer; at title/abstract nobody has screened everything, so it is blinded
        ("alex", {"stage": "full_text"}, ["<widget>", "ScreeningApp("],
         ["No two reviewers have screened at full-text assessment", "No conflicts"]),  # no records there yet
        ("sam", {"order": "active", "calibration_n": 3},
         ["<widget>", "ScreeningApp("], ["Blinded"]),
    ],
)
def test_runs_under_papermill_shows_the_view_and_writes_nothing(project, tmp_path, monkeypatch, reviewer, parameters, view, agreement):
    if reviewer:  # who screens comes from the environment, as one of review.yml's reviewers
        monkeypatch.setenv("REVIEWBENCH_REVIEWER", reviewer)
    notebooks = project.root / "notebooks"
    notebooks.mkdir(exist_ok=True)
    shutil.copy(NOTEBOOK, notebooks / NOTEBOOK.name)
    out = tmp_path / "out.ipynb"
    nb = papermill.execute_notebook(
        str(notebooks / NOTEBOOK.name), str(out), parameters=parameters, cwd=str(notebooks), progress_bar=False,
        kernel_name="python3",
    )
    shown = _shown(nb, "# pick who you are")
    assert all(part in shown for part in view), shown
    assert "No screening view" not in "\n".join(_shown(nb, c.source[:20]) for c in nb.cells if c.cell_type == "code")
    shown = _shown(nb, "team_agreement(")
    assert all(part in shown for part in agreement), shown
    assert not (project.evidence / "screening").exists()


def test_the_executed_report_of_a_blinded_project_holds_no_reviewers_decisions(project, tmp_path):
    """As ``reviewbench run`` writes ``outputs/notebooks/02-screening.html``: alex has
    finished, sam has not, and they disagree; nothing of either one's decisions is in it."""
    from reviewbench.outputs.notebook_runner import notebook_html
    from reviewbench.pipeline import screening_records
    from reviewbench.screening.decisions import record_decision

    ids = list(screening_records(project, "title_abstract")[0]["record_id"])
    for rid in ids:
        record_decision(project, "title_abstract", "alex", rid, "include", note="alexs-private-note")
    for rid in ids[:5]:
        record_decision(project, "title_abstract", "sam", rid, "exclude", reason="wrong_population", note="sams-private-note")
    notebooks = project.root / "notebooks"
    notebooks.mkdir(exist_ok=True)
    shutil.copy(NOTEBOOK, notebooks / NOTEBOOK.name)
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(str(notebooks / NOTEBOOK.name), str(out), cwd=str(notebooks), progress_bar=False, kernel_name="python3")
    page = notebook_html(out, tmp_path / "02-screening.html").read_text(encoding="utf-8")
    assert "is blinded" in page and "alex 12 of 12, sam 5 of 12" in page
    for leak in ("alexs-private-note", "sams-private-note", "wrong_population", "decision_alex", "decision_sam", "% agreement", "rb-agreement", "alex / sam"):
        assert leak not in page, leak
