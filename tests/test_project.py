import pytest

from reviewbench.errors import ProjectError, ValidationError
from reviewbench.project import load_yaml, open_project


def test_open_project_finds_root_from_subfolder(example_copy, monkeypatch):
    monkeypatch.chdir(example_copy / "notebooks")
    assert open_project().root == example_copy.resolve()


def test_not_a_project(tmp_path):
    with pytest.raises(ProjectError, match="reviewbench init"):
        open_project(tmp_path)


def test_malformed_yaml_names_file_and_line(tmp_path):
    bad = tmp_path / "review.yml"
    bad.write_text("title: ok\nquestion: [unclosed\n")
    with pytest.raises(ValidationError, match=r"review\.yml, line \d+: invalid YAML"):
        load_yaml(bad)
