"""Shared fixtures: the repository root, a temporary copy of the example project, and
temporary copies of the small projects in ``tests/fixtures/`` (coding, screening)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reviewbench.project import Project, open_project

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A throw-away copy of the embedded example review (inputs only, no outputs)."""
    dst = tmp_path / "example"
    for folder in ("bibliography", "evidence", "notebooks"):
        if (REPO / folder).exists():
            shutil.copytree(REPO / folder, dst / folder)
    (dst / "outputs").mkdir(parents=True, exist_ok=True)
    return dst


@pytest.fixture
def coding_project(tmp_path: Path) -> Project:
    """The coding fixture project (two coders, four shared findings) in a temporary folder."""
    root = tmp_path / "review"
    shutil.copytree(FIXTURES / "coding" / "project", root)
    for folder in ("notebooks", "outputs"):
        (root / folder).mkdir(exist_ok=True)
    return open_project(root)


@pytest.fixture
def screening_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """A copy of the tiny screening project (12 invented records, reviewers alex, sam and
    arbiter jo), with no reviewer set in the environment."""
    monkeypatch.delenv("REVIEWBENCH_REVIEWER", raising=False)
    monkeypatch.delenv("REVIEWBENCH_PROJECT", raising=False)
    dst = tmp_path / "project"
    shutil.copytree(FIXTURES / "screening" / "project", dst)
    return open_project(dst)
