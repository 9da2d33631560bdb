"""The project model: where a review's folders are and how to load its YAML files.

A project is a folder with ``bibliography/``, ``evidence/``, ``notebooks/`` and
``outputs/``; ``evidence/review.yml`` marks it. Paths are resolved here and nowhere
else, so notebooks and the CLI agree on them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, ProjectError, ValidationError

SCREENING_STAGES = ("title_abstract", "full_text")


@dataclass(frozen=True)
class Project:
    """Paths of one review project. Build it with :func:`open_project`."""

    root: Path

    @property
    def bibliography(self) -> Path:
        return self.root / "bibliography"

    @property
    def evidence(self) -> Path:
        return self.root / "evidence"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def outputs(self) -> Path:
        return self.root / "outputs"

    @property
    def review_file(self) -> Path:
        return self.evidence / "review.yml"

    @property
    def codebook_file(self) -> Path:
        return self.evidence / "codebook.yml"

    @property
    def searches_file(self) -> Path:
        return self.bibliography / "searches.yml"

    def screening_dir(self, stage: str) -> Path:
        """Folder of the per-reviewer decision logs of one screening stage."""
        return self.evidence / "screening" / stage

    @property
    def dedup_decisions_file(self) -> Path:
        return self.evidence / "dedup" / "decisions.csv"

    @property
    def findings_dir(self) -> Path:
        return self.evidence / "findings"

    @property
    def cache(self) -> Path:
        """Derived data that is slow to recompute (never the source of truth; git-ignored)."""
        return self.root / ".cache"

    def bibliography_files(self) -> list[Path]:
        """Search exports in ``bibliography/`` (sorted; ``searches.yml`` and dotfiles excluded)."""
        if not self.bibliography.is_dir():
            return []
        return sorted(
            p
            for p in self.bibliography.iterdir()
            if p.is_file() and not p.name.startswith(".") and p.name not in {"searches.yml", "README.md"}
        )

    def review(self) -> dict[str, Any]:
        """``evidence/review.yml`` as a dict."""
        return load_yaml(self.review_file)

    def codebook_data(self) -> dict[str, Any]:
        """``evidence/codebook.yml`` as a dict (see :mod:`reviewbench.coding.codebook` for the model)."""
        return load_yaml(self.codebook_file)

    def searches(self) -> dict[str, Any]:
        """``bibliography/searches.yml`` as a dict."""
        return load_yaml(self.searches_file)


def open_project(path: str | Path | None = None) -> Project:
    """The project at ``path``, or found upwards from the current folder.

    ``REVIEWBENCH_PROJECT`` in the environment overrides the search, which lets
    notebooks run from ``notebooks/`` or from a temporary copy.
    """
    start = Path(path or os.environ.get("REVIEWBENCH_PROJECT") or Path.cwd()).resolve()
    for candidate in (start, *start.parents):
        if (candidate / "evidence" / "review.yml").is_file():
            return Project(candidate)
    raise ProjectError(
        f"{start} is not inside a reviewbench project (no evidence/review.yml found here or above); "
        "create one with `reviewbench init DIR` or pass --project DIR"
    )


def load_yaml(path: Path) -> dict[str, Any]:
    """Load a YAML mapping; a missing or malformed file raises an error naming file and line."""
    if not path.is_file():
        raise ProjectError(f"{path}: file not found (expected a YAML file)")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ValidationError([Problem(str(path), line, f"invalid YAML: {problem}")]) from None
    except UnicodeDecodeError:
        raise ValidationError([Problem(str(path), None, "not UTF-8 text")]) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ValidationError([Problem(str(path), 1, f"expected a mapping of keys to values, found {type(data).__name__}")])
    return data
