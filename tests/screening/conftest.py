"""Fixtures for the screening tests: a throw-away copy of a tiny project."""

from __future__ import annotations

import pandas as pd
import pytest

from reviewbench.pipeline import screening_records
from reviewbench.project import Project


@pytest.fixture
def project(screening_project: Project) -> Project:
    """A copy of the tiny project (12 invented records, reviewers alex, sam and arbiter jo)."""
    return screening_project


@pytest.fixture
def records(project: Project) -> pd.DataFrame:
    """The project's unique records at title/abstract, in file order."""
    return screening_records(project, "title_abstract")[0]
