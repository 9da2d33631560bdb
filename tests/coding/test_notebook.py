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


@pytest.mark.slow
def test_notebook_executes_without_writing(tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEWBENCH_REVIEWER", "jo")  # who works comes from review.yml: jo codes and, as arbiter, reconciles
    project = tmp_path / "review"
    for folder in ("bibliography", "evidence"):
        shutil.copytree(REPO / folder, project / folder)
    (project / "notebooks").mkdir()
    shutil.copy(NOTEBOOK, project / "notebooks" / NOTEBOOK.name)
    before = snapshot(project)
    out = tmp_path / "executed.ipynb"
    pm.execute_notebook(
        str(project / "notebooks" / NOTEBOOK.name), str(out),
        parameters={"project_dir": ".."},  # the forms are built (and nothing saved)
        cwd=str(project / "notebooks"), kernel_name="python3", progress_bar=False,
    )
    assert snapshot(project) == before
    text = out.read_text()
    assert "Krippendorff" in text and "Codebook and findings logs are valid" in text
    assert "application/vnd.jupyter.widget-view+json" in text, "the forms were displayed"
