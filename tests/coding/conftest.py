"""Fixtures for the coding tests: a small project copied to a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewbench.project import Project

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(coding_project: Project) -> Project:
    """The fixture project (two coders, four shared findings) in a temporary folder."""
    return coding_project


@pytest.fixture(scope="session")
def example_codebook_path() -> Path:
    """The example project's codebook as shipped in the repository."""
    return REPO / "evidence" / "codebook.yml"
