"""notebooks/01-deduplication-review.ipynb: runs under papermill, shows the queue, writes nothing."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import nbformat
import papermill as pm

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "notebooks" / "01-deduplication-review.ipynb"
FIXTURES = REPO / "tests" / "fixtures" / "dedupe"


def snapshot(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def test_notebook_is_stored_without_outputs_and_has_a_parameters_cell() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert all(not c.outputs and c.execution_count is None for c in code)


def test_notebook_shows_uncertain_pairs_and_writes_no_decisions(tmp_path: Path) -> None:
    project = tmp_path / "review"
    for folder in ("bibliography", "evidence"):
        shutil.copytree(REPO / folder, project / folder)
    shutil.copy(FIXTURES / "uncertain_pair.csv", project / "bibliography" / "uncertain_pair.csv")
    (project / "notebooks").mkdir()
    shutil.copy(NOTEBOOK, project / "notebooks" / NOTEBOOK.name)
    before = snapshot(project)
    out = tmp_path / "executed.ipynb"
    pm.execute_notebook(
        str(project / "notebooks" / NOTEBOOK.name), str(out),
        parameters={"project_dir": ".."},  # interactive stays False
        cwd=str(project / "notebooks"), kernel_name="python3", progress_bar=False,
    )
    assert snapshot(project) == before
    assert not (project / "evidence" / "dedup" / "decisions.csv").exists()
    executed = nbformat.read(out, as_version=4)
    html = [o["data"]["text/html"] for c in executed.cells if c.cell_type == "code" for o in c.outputs if "text/html" in o.get("data", {})]
    pairs = [h for h in html if "rb-pair" in h]
    assert len(pairs) == 1 and "review_different_pages" in pairs[0]
    assert '<mark class="rb-diff">301-308</mark>' in pairs[0] and '<mark class="rb-diff">310-318</mark>' in pairs[0]
    assert "Read-only run" in out.read_text(encoding="utf-8")
