"""Shared fixtures: the repository root and a temporary copy of the example project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


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
