"""Fixtures for the screening tests: a throw-away copy of a tiny project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from reviewbench.project import Project, open_project
from reviewbench.pipeline import screening_records

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "screening_ui" / "project"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """A copy of the tiny project (12 invented records, reviewers alex, sam and arbiter jo)."""
    monkeypatch.delenv("REVIEWBENCH_REVIEWER", raising=False)
    monkeypatch.delenv("REVIEWBENCH_PROJECT", raising=False)
    dst = tmp_path / "project"
    shutil.copytree(FIXTURE, dst)
    return open_project(dst)


@pytest.fixture
def records(project: Project) -> pd.DataFrame:
    """The project's unique records at title/abstract, in file order."""
    return screening_records(project, "title_abstract")[0]
