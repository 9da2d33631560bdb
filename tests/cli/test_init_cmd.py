"""``reviewbench init``: a new review laid out from the templates in the package."""

from __future__ import annotations

from reviewbench.cli import main
from reviewbench.project import open_project


def test_init_lays_out_a_project_and_refuses_to_overwrite(tmp_path, capsys, repo_root):
    target = tmp_path / "my-review"
    assert main(["init", str(target)]) == 0
    project = open_project(target)
    assert project.review()["exclusion_reasons"]
    assert project.searches_file.is_file()
    assert "reviewbench run" in (target / ".github" / "workflows" / "review.yml").read_text()
    assert {"subgroup", "prevention_tier", "determinant_layer"} <= set(project.codebook_data()["dimensions"])
    assert (target / "evidence" / "screening" / "title_abstract").is_dir()
    copied = {p.name for p in (target / "notebooks").glob("*.ipynb")}
    assert copied and copied == {p.name for p in (repo_root / "notebooks").glob("*.ipynb")}
    (project.review_file).write_text("title: mine\n")
    assert main(["init", str(target)]) == 2
    assert "already holds a review" in capsys.readouterr().err
    assert project.review_file.read_text() == "title: mine\n"


def test_template_notebooks_are_files_inside_the_package():
    """A wheel carries package data as files: the notebooks `init` copies must be files in
    the package (the example's notebooks/ links to them), not a link out of it."""
    from reviewbench.cli.init_cmd import TEMPLATES

    notebooks = TEMPLATES / "notebooks"
    assert notebooks.is_dir() and not notebooks.is_symlink()
    files = sorted(notebooks.glob("*.ipynb"))
    assert files and all(p.is_file() and not p.is_symlink() for p in files)
