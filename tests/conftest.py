"""Shared fixtures: the repository root, a temporary copy of the example project, and
temporary copies of the small projects in ``tests/fixtures/`` (coding, screening).

Also the hypothesis profile ``reader-fuzz`` of the fuzz of the readers
(``tests/formats/test_reader_fuzz.py``): a fixed number of examples, each within a
deadline, so its time is bounded; CI (``CI=true``) runs ten times as many examples.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from reviewbench.project import Project, open_project

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"

#: Examples per reader fuzz test: about 40 s for the whole fuzz in CI, 5 s locally. The
#: deadline fails an input that makes a reader hang (the alias bomb took 29 s).
READER_FUZZ_EXAMPLES = 1500 if os.environ.get("CI", "").lower() == "true" else 150
settings.register_profile(
    "reader-fuzz",
    max_examples=READER_FUZZ_EXAMPLES,
    deadline=5000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)


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
