"""Errors that speak to researchers.

Every failure a user can cause (a file that cannot be read, a malformed log, an
invalid parameter) raises a subclass of :class:`ReviewbenchError`. Its message names
the file, the line or record where possible, and what was expected, so the CLI can
print it without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class ReviewbenchError(Exception):
    """Base class: a problem the user can fix. ``str(err)`` is the whole message."""


def _where(path: str | Path | None, line: int | None = None, record: str | None = None) -> str:
    parts = []
    if path is not None:
        parts.append(str(path))
    if line is not None:
        parts.append(f"line {line}")
    if record is not None:
        parts.append(f"record {record}")
    return ", ".join(parts)


class InputFileError(ReviewbenchError):
    """A whole input file cannot be read (missing, empty, binary, wrong format, truncated)."""

    def __init__(
        self,
        path: str | Path,
        problem: str,
        *,
        line: int | None = None,
        expected: str | None = None,
    ) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        self.expected = expected
        msg = f"{_where(path, line)}: {problem}"
        if expected:
            msg += f" (expected {expected})"
        super().__init__(msg)


class UnknownFormatError(InputFileError):
    """The content of a file matches no supported bibliographic format."""


#: What a :class:`Problem` means. ``invalid``: a file a reviewer writes breaks a rule
#: (``reviewbench validate``); ``skipped``: a record (or a run of lines) of an export that
#: could not be read at all; ``warning``: an export read in part or with something odd
#: around a record, no record lost.
INVALID, SKIPPED, WARNING = "invalid", "skipped", "warning"


@dataclass(frozen=True)
class Problem:
    """One problem found while reading or validating a file: where, what, and its kind."""

    path: str
    line: int | None
    message: str
    record: str | None = None
    kind: str = INVALID

    def __str__(self) -> str:
        return f"{_where(self.path, self.line, self.record)}: {self.message}"


class ValidationError(ReviewbenchError):
    """One or more problems in the project's YAML files or decision logs."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        lines = [str(p) for p in self.problems]
        super().__init__(
            f"{len(lines)} problem(s) found:\n" + "\n".join(f"  - {line}" for line in lines)
        )


class ParameterError(ReviewbenchError):
    """A notebook or CLI parameter has a value outside its allowed set."""

    def __init__(self, name: str, value: object, valid: list[str] | None = None) -> None:
        self.name = name
        self.value = value
        self.valid = valid
        msg = f"invalid value {value!r} for parameter {name!r}"
        if valid is not None:
            msg += "; valid values are: " + ", ".join(map(str, valid))
        super().__init__(msg)


class ProjectError(ReviewbenchError):
    """The folder is not a reviewbench project, or a required project file is missing."""


class AssistError(ReviewbenchError):
    """The language-model endpoint of ``assist:`` in ``review.yml`` cannot be used: it is not
    configured, its key is missing, it refused the request or it stopped answering."""


class IncompleteReviewError(ReviewbenchError):
    """A review that says it is complete still has open states (unscreened records,
    conflicts, ``maybe``, ...); the message names each with its first records."""

    def __init__(self, open_states: list[str], because: str = "status: complete in review.yml") -> None:
        self.open_states = list(open_states)
        super().__init__(
            f"the review says it is complete ({because}) but {len(self.open_states)} thing(s) are open:\n"
            + "\n".join(f"  - {s}" for s in self.open_states)
            + "\n  (finish them, or set `status: in_progress` in review.yml to report the review as it stands)"
        )
