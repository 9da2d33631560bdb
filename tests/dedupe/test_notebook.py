"""notebooks/01-deduplication-review.ipynb: opens on the app, runs under papermill, shows the queue, writes nothing."""

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
    # nothing to set in a cell to decide pairs: who you are is picked in the app
    assert "interactive" not in code[0].source and "reviewer" not in code[0].source


def test_the_review_section_opens_on_the_app() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    first_after_setup = code[2]
    assert first_after_setup.startswith("# pick who you are") and "DedupReviewApp(" in first_after_setup


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
        parameters={"project_dir": ".."},  # no reviewer picked, as under `reviewbench run`
        cwd=str(project / "notebooks"), kernel_name="python3", progress_bar=False,
    )
    assert snapshot(project) == before
    assert not (project / "evidence" / "dedup" / "decisions.csv").exists()
    executed = nbformat.read(out, as_version=4)
    html = [o["data"]["text/html"] for c in executed.cells if c.cell_type == "code" for o in c.outputs if "text/html" in o.get("data", {})]
    pairs = [h for h in html if "rb-pair" in h]
    assert len(pairs) == 1 and "review_different_pages" in pairs[0]
    assert '<mark class="rb-diff">301-308</mark>' in pairs[0] and '<mark class="rb-diff">310-318</mark>' in pairs[0]
    app = next(c for c in executed.cells if c.cell_type == "code" and c.source.startswith("# pick who you are"))
    assert [o.get("data", {}).get("application/vnd.jupyter.widget-view+json") is not None for o in app.outputs] == [True]
    assert "Traceback" not in out.read_text(encoding="utf-8")
    tables = [h for h in html if "rb-table" in h]
    counts = next(h for h in tables if "Records per source" in h)
    head = counts.split("<tbody>")[0]
    assert '<th scope="col">source</th><th scope="col">file</th>' in head and "<th></th>" not in head  # no pandas index
    assert "<td>PubMed</td><td>pubmed.nbib</td>" in counts and "MEDLINE" not in counts
    assert "<td>uncertain_pair.csv (not in searches.yml)</td><td>uncertain_pair.csv</td>" in counts
    assert "title similarity" in pairs[0]
