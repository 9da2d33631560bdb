"""Fixtures for the coding tests: a small project copied to a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reviewbench.project import Project, open_project

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "coding"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """The fixture project (two coders, four shared findings) in a temporary folder."""
    root = tmp_path / "review"
    shutil.copytree(FIXTURES / "project", root)
    for folder in ("notebooks", "outputs"):
        (root / folder).mkdir(exist_ok=True)
    return open_project(root)


@pytest.fixture(scope="session")
def example_codebook_path() -> Path:
    """The example project's codebook as shipped in the repository."""
    return REPO / "evidence" / "codebook.yml"
