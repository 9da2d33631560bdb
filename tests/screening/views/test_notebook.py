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
    for name in ("stage", "reviewer", "order", "calibration_n"):
        assert f"{name} =" in params[0].source


def _outputs_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            for value in out.get("data", {}).values():
                parts.append(value if isinstance(value, str) else "")
    return "\n".join(parts)


@pytest.mark.parametrize(
    "parameters",
    [
        {},  # as in `reviewbench run`: no reviewer
        {"reviewer": "alex", "stage": "full_text"},
        {"reviewer": "sam", "order": "active", "calibration_n": 3},
    ],
)
def test_runs_under_papermill_without_writing(project, tmp_path, parameters):
    notebooks = project.root / "notebooks"
    notebooks.mkdir(exist_ok=True)
    shutil.copy(NOTEBOOK, notebooks / NOTEBOOK.name)
    out = tmp_path / "out.ipynb"
    nb = papermill.execute_notebook(
        str(notebooks / NOTEBOOK.name), str(out), parameters=parameters, cwd=str(notebooks), progress_bar=False,
        kernel_name="python3",
    )
    text = _outputs_text(nb)
    if "reviewer" not in parameters:
        assert "No screening view" in text
    assert "Traceback" not in text
    assert not (project.evidence / "screening").exists()
