"""``reviewbench init``: a new review laid out from the neutral templates in the package, or
the example review with ``--example``."""

from __future__ import annotations

from reviewbench.cli import main
from reviewbench.coding.codebook import load_codebook
from reviewbench.project import open_project
from reviewbench.validate import validate_project


def test_init_lays_out_a_neutral_review_and_refuses_to_overwrite(tmp_path, capsys, repo_root):
    target = tmp_path / "my-review"
    assert main(["init", str(target)]) == 0
    project = open_project(target)
    review = project.review()
    assert review["exclusion_reasons"] and review["status"] == "in_progress"
    assert {"framework", "population", "concept", "context"} <= set(review) and review["framework"] == "PCC"
    assert project.searches_file.is_file()
    assert "reviewbench run" in (target / ".github" / "workflows" / "review.yml").read_text()
    codebook = load_codebook(project)
    assert list(codebook.dimensions) == ["concept", "study_design", "setting"]
    assert codebook.report.filters == ("concept", "study_design", "setting") and codebook.report.gap_maps
    assert (target / "evidence" / "screening" / "title_abstract").is_dir()
    copied = {p.name for p in (target / "notebooks").glob("*.ipynb")}
    assert copied and copied == {p.name for p in (repo_root / "notebooks").glob("*.ipynb")}
    (project.review_file).write_text("title: mine\n")
    assert main(["init", str(target)]) == 2
    assert "already holds a review" in capsys.readouterr().err
    assert project.review_file.read_text() == "title: mine\n"


def test_validate_names_what_is_left_to_write_in_the_template(tmp_path):
    target = tmp_path / "my-review"
    assert main(["init", str(target)]) == 0
    problems = validate_project(open_project(target))
    assert problems and all("placeholder text left from the template" in p.message for p in problems)
    assert {p.path.rsplit("/", 1)[-1] for p in problems} == {"review.yml", "codebook.yml"}
    assert any(p.line == 3 and p.message.startswith("title: placeholder") for p in problems)


def test_init_example_lays_out_the_example_review(tmp_path, repo_root):
    target = tmp_path / "example"
    assert main(["init", "--example", str(target)]) == 0
    project = open_project(target)
    assert project.review()["title"].startswith("Health and wellbeing needs of sex workers")
    assert project.review()["status"] == "complete"
    assert {p.name for p in project.bibliography_files()} == {p.name for p in open_project(repo_root).bibliography_files()}
    assert (project.screening_dir("full_text") / "resolutions.csv").is_file()
    assert not (target / "evidence" / "_example_record_ids.csv").exists()  # how the example was built is not part of it
    assert (target / "evidence" / "codebook.yml").read_bytes() == (repo_root / "evidence" / "codebook.yml").read_bytes()
    assert validate_project(project) == []


def test_template_notebooks_are_files_inside_the_package():
    """A wheel carries package data as files: the notebooks `init` copies must be files in
    the package (the example's notebooks/ links to them), not a link out of it."""
    from reviewbench.cli.init_cmd import TEMPLATES

    notebooks = TEMPLATES / "notebooks"
    assert notebooks.is_dir() and not notebooks.is_symlink()
    files = sorted(notebooks.glob("*.ipynb"))
    assert files and all(p.is_file() and not p.is_symlink() for p in files)
    assert (TEMPLATES / "codebook.yml").is_file() and not (TEMPLATES / "codebook.yml").is_symlink()
