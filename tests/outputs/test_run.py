"""`reviewbench run` end to end on the fixture review (papermill + nbconvert)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reviewbench.cli import main

from .conftest import REPO, build_project

pytestmark = pytest.mark.slow
NOTEBOOKS = ("04-evidence-tables.ipynb", "05-prisma-and-gap-map.ipynb")
DETERMINISTIC = ("tables", "figures", "references")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for sub in DETERMINISTIC for p in sorted((folder / sub).rglob("*")) if p.is_file()}


def _marker_notebook(path: Path) -> None:
    """A notebook without report parameters that leaves a file behind when it runs."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    params = new_code_cell('project_dir = "."')
    params.metadata["tags"] = ["parameters"]
    nb = new_notebook(cells=[params, new_code_cell(
        'from pathlib import Path\nPath(project_dir, "marker.txt").write_text("ran")')])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))


@pytest.fixture(scope="module")
def run_project(tmp_path_factory) -> Path:
    root = build_project(tmp_path_factory.mktemp("run") / "review")
    (root / "notebooks").mkdir()
    for name in NOTEBOOKS:
        shutil.copy(REPO / "notebooks" / name, root / "notebooks" / name)
    _marker_notebook(root / "notebooks" / "00-marker.ipynb")
    assert main(["run", "--project", str(root)]) == 0
    return root


def test_run_writes_every_output(run_project):
    out = run_project / "outputs"
    for rel in ("tables/characteristics-of-included-studies.csv", "tables/evidence-tables.xlsx",
                "tables/evidence-tables.docx", "figures/prisma-2020.svg", "figures/prisma-2020.png",
                "figures/gap-map-subgroup-prevention-tier.svg", "figures/screening-progress.png",
                "references/references-author-year.md", "references/references-numbered.tex",
                "references/included-studies.ris", "notebooks/04-evidence-tables.ipynb",
                "notebooks/05-prisma-and-gap-map.html", "notebooks/00-marker.html"):
        assert (out / rel).is_file(), rel


def test_executed_notebooks_are_clean_and_shareable(run_project):
    out = run_project / "outputs" / "notebooks"
    for name in NOTEBOOKS:
        nb = json.loads((out / name).read_text(encoding="utf-8"))
        text = json.dumps(nb)
        assert "papermill" not in nb["metadata"]
        assert all("execution" not in c["metadata"] and "papermill" not in c["metadata"] for c in nb["cells"])
        assert str(run_project) not in text and str(REPO) not in text  # no machine paths
        assert not any(o.get("output_type") == "error" for c in nb["cells"] for o in c.get("outputs", []))
        html = (out / name.replace(".ipynb", ".html")).read_text(encoding="utf-8")
        assert "rb-hide-code" in html  # the show/hide code switch
        assert "<script>alert" not in html
        assert 'src="http' not in html  # works offline
    assert "data:image/png;base64" in (out / "05-prisma-and-gap-map.html").read_text(encoding="utf-8")


def test_second_run_gives_identical_tables_and_figures(run_project):
    before = _snapshot(run_project / "outputs")
    assert main(["run", "--project", str(run_project), "--no-html"]) == 0
    assert _snapshot(run_project / "outputs") == before


def test_every_notebook_runs_with_the_project_injected(run_project):
    assert (run_project / "marker.txt").read_text() == "ran"  # project_dir was injected as ".."
    assert (run_project / "outputs" / "notebooks" / "00-marker.ipynb").is_file()


def test_subgroup_report_goes_to_its_own_folder(run_project):
    (run_project / "marker.txt").unlink()
    assert main(["run", "--project", str(run_project), "-p", "subgroup", "migrant", "--no-html"]) == 0
    folder = run_project / "outputs" / "subgroup-migrant"
    assert (folder / "tables" / "findings-subgroup-migrant.csv").is_file()
    assert not (folder / "tables" / "findings-subgroup-trans.csv").exists()
    assert (folder / "notebooks" / "04-evidence-tables.ipynb").is_file()
    chars = (folder / "tables" / "characteristics-of-included-studies.csv").read_text(encoding="utf-8")
    assert chars.count("\n") == 2  # header + the one migrant study
    assert not (run_project / "marker.txt").exists()  # a notebook without a subgroup parameter is not rerun


def test_invalid_parameter_lists_valid_values(run_project, capsys):
    assert main(["run", "--project", str(run_project), "-p", "subgroup", "migrants"]) == 2
    err = capsys.readouterr().err
    assert "'migrants'" in err and "migrant, trans" in err
    assert main(["run", "--project", str(run_project), "-p", "colour", "blue"]) == 2
    assert "subgroup" in capsys.readouterr().err


def test_prisma_mismatch_is_a_note_in_progress_and_stops_a_complete_review(tmp_path, capsys):
    root = build_project(tmp_path / "review")
    (root / "notebooks").mkdir()
    shutil.copy(REPO / "notebooks" / NOTEBOOKS[1], root / "notebooks" / NOTEBOOKS[1])
    searches = root / "bibliography" / "searches.yml"
    searches.write_text(searches.read_text(encoding="utf-8").replace("hits: 3", "hits: 5"), encoding="utf-8")
    assert main(["run", "--project", str(root), "--no-html"]) == 0
    assert "note: Records identified from Beta Citations: expected 5, found 3 (off by -2)" in capsys.readouterr().out
    review = root / "evidence" / "review.yml"
    review.write_text(review.read_text(encoding="utf-8") + "status: complete\n", encoding="utf-8")
    before = _snapshot(root / "outputs")
    assert main(["run", "--project", str(root), "--no-html"]) == 2
    err = capsys.readouterr().err
    assert "Records identified from Beta Citations: expected 5, found 3 (off by -2)" in err
    assert "status: complete in review.yml" in err
    assert _snapshot(root / "outputs") == before


# --------------------------------------------------------------------------- all or nothing


def _notebook(path: Path, code: str) -> None:
    """A notebook that takes project_dir and runs ``code``."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    params = new_code_cell('project_dir = "."')
    params.metadata["tags"] = ["parameters"]
    nb = new_notebook(cells=[params, new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))


def _every_file(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_failing_notebook_leaves_the_previous_outputs_untouched(run_project, capsys):
    before = _every_file(run_project / "outputs")
    failing = run_project / "notebooks" / "06-fails.ipynb"
    _notebook(failing, 'open(project_dir + "/../no-such-folder/x.txt").read()')
    try:
        assert main(["run", "--project", str(run_project), "--no-html"]) == 2
    finally:
        failing.unlink()
    err = capsys.readouterr().err
    assert "06-fails.ipynb stopped: FileNotFoundError" in err and "outputs/ was left as it was" in err
    assert ".cache/run/failed/06-fails.ipynb" in err
    assert _every_file(run_project / "outputs") == before  # no table of the new run beside the old PRISMA
    assert not list((run_project / "outputs").rglob("06-fails*"))  # no traceback with machine paths in outputs/
    assert (run_project / ".cache" / "run" / "failed" / "06-fails.ipynb").is_file()
    assert [p.name for p in (run_project / ".cache" / "run").iterdir()] == ["failed"]  # the staging folder is gone


def test_a_killed_run_leaves_the_previous_outputs_untouched(run_project):
    import os
    import signal
    import subprocess
    import sys
    import time

    before = _every_file(run_project / "outputs")
    marker = run_project / "started.txt"
    slow = run_project / "notebooks" / "99-slow.ipynb"
    _notebook(slow, 'import time\nfrom pathlib import Path\nPath(project_dir, "started.txt").write_text("x")\ntime.sleep(120)')
    process = subprocess.Popen([sys.executable, "-m", "reviewbench", "run", "--project", str(run_project), "--no-html"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while not marker.exists() and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.5)
        assert marker.exists(), "the slow notebook never started"
        staged = list((run_project / ".cache" / "run").glob(f"{process.pid}-*/outputs/tables/*.csv"))
        assert staged, "the notebooks before it wrote into the staging folder"
        os.killpg(process.pid, signal.SIGKILL)  # the run and its kernels, mid-run
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        slow.unlink()
        marker.unlink(missing_ok=True)
    assert _every_file(run_project / "outputs") == before
    assert list((run_project / ".cache" / "run").glob(f"{process.pid}-*"))  # left behind by the kill ...
    assert main(["run", "--project", str(run_project), "--no-html", "--notebook", "00-marker"]) == 0
    assert not list((run_project / ".cache" / "run").glob(f"{process.pid}-*"))  # ... and cleared by the next run


def test_a_run_of_some_notebooks_keeps_the_other_notebooks_outputs(run_project):
    before = _every_file(run_project / "outputs")
    assert main(["run", "--project", str(run_project), "--notebook", "04-evidence", "--no-html"]) == 0
    after = _every_file(run_project / "outputs")
    assert set(after) == set(before)  # PRISMA, gap maps and the other executed notebooks are still there
    assert {k: v for k, v in after.items() if k.startswith(("figures/", "tables/"))} == \
        {k: v for k, v in before.items() if k.startswith(("figures/", "tables/"))}
