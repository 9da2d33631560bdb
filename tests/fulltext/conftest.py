"""Fixtures of the full-text tests: the small review of :mod:`.project`."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewbench.project import Project

from .project import make_project


@pytest.fixture
def ft_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.delenv("REVIEWBENCH_REVIEWER", raising=False)
    monkeypatch.delenv("REVIEWBENCH_PROJECT", raising=False)
    return make_project(tmp_path)
