"""notebooks/03-coding.ipynb runs under papermill and writes nothing into the project."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import nbformat
import papermill as pm
import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "notebooks" / "03-coding.ipynb"


def snapshot(root: Path) -> dict[str, str]:
    """Every file of the project but the derived data in .cache/ (validate caches its import there)."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*"))
            if p.is_file() and ".cache" not in p.relative_to(root).parts}


def test_notebook_is_stored_without_outputs_and_has_a_parameters_cell():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert all(not c.outputs and c.execution_count is None for c in code)


def test_the_notebook_opens_on_the_coding_app_and_types_no_coder():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "CodingApp(" in code and "session_reviewer" not in code and "reviewbench.screening" not in code
    assert "coder =" not in code and "reviewer =" not in code  # who codes is picked in the app, never typed


def _executed(tmp_path, monkeypatch, coder: str):
    if coder:  # picked in advance, as when JupyterLab is started with REVIEWBENCH_REVIEWER
        monkeypatch.setenv("REVIEWBENCH_REVIEWER", coder)
    else:
        monkeypatch.delenv("REVIEWBENCH_REVIEWER", raising=False)
    project = tmp_path / "review"
    for folder in ("bibliography", "evidence"):
        shutil.copytree(REPO / folder, project / folder)
    (project / "notebooks").mkdir()
    shutil.copy(NOTEBOOK, project / "notebooks" / NOTEBOOK.name)
    before = snapshot(project)
    out = tmp_path / "executed.ipynb"
    nb = pm.execute_notebook(
        str(project / "notebooks" / NOTEBOOK.name), str(out),
        parameters={"project_dir": ".."},
        cwd=str(project / "notebooks"), kernel_name="python3", progress_bar=False,
    )
    assert snapshot(project) == before
    return nb, out.read_text()


@pytest.mark.slow
@pytest.mark.parametrize("coder", ["jo", ""], ids=["jo picked in advance (codes and, as arbiter, reconciles)", "nobody, as in reviewbench run"])
def test_notebook_executes_without_writing(tmp_path, monkeypatch, coder):
    nb, text = _executed(tmp_path, monkeypatch, coder)
    assert "Krippendorff" in text and "Codebook and findings logs are valid" in text
    app_cell = next(c for c in nb.cells if c.cell_type == "code" and c.source.startswith("# pick who you are"))
    assert [o.get("data", {}).keys() >= {"application/vnd.jupyter.widget-view+json"} for o in app_cell.outputs] == [True]
    assert "Traceback" not in text and "Error" not in "".join(o.get("ename", "") for c in nb.cells for o in c.get("outputs", []))
