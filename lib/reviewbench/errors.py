"""Errors that speak to researchers.

Every failure a user can cause (a file that cannot be read, a malformed log, an
invalid parameter) raises a subclass of :class:`ReviewbenchError`. Its message names
the file, the line or record where possible, and what was expected, so the CLI can
print it without a traceback.
"""

from __future__ import annotations

import csv
import errno
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.parsers.expat import ExpatError


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

    def __init__(self, name: str, value: object, valid: list[str] | None = None, message: str | None = None) -> None:
        self.name = name
        self.value = value
        self.valid = valid
        msg = f"invalid value {value!r} for parameter {name!r}"
        if valid is not None:
            msg += "; valid values are: " + ", ".join(map(str, valid))
        super().__init__(message or msg)  # ``message``: what a reviewer reads, in their words


class ProjectError(ReviewbenchError):
    """The folder is not a reviewbench project, or a required project file is missing."""


class AssistError(ReviewbenchError):
    """The language-model endpoint of ``assist:`` in ``review.yml`` cannot be used: it is not
    configured, its key is missing, it refused the request or it stopped answering."""


class LogWriteError(ReviewbenchError):
    """Rows could not be appended to a decision log; nothing of them was written.

    Raised for a log that cannot be opened or written (a full disk, a file-size limit, a
    symbolic link in place of the file) and for a log whose last row is incomplete.
    """

    def __init__(self, path: str | Path, problem: str, *, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        super().__init__(f"{_where(path, line)}: {problem}")


class FieldTooLongError(ParameterError):
    """A value typed into a log (a note, a reason) is longer than a log cell may hold."""

    def __init__(self, name: str, length: int, limit: int) -> None:
        self.name = name
        self.value = f"{length:,} characters"
        self.valid = [f"at most {limit:,} characters"]
        ReviewbenchError.__init__(
            self,
            f"{name} is {length:,} characters long; a log cell holds at most {limit:,}: "
            "shorten it, or keep the long text in a file and refer to it",
        )


#: Errors from reading or writing files that are not reviewbench's own: the command
#: line turns each into one message (:func:`describe_error`) and exit status 2.
FILE_ERRORS: tuple[type[BaseException], ...] = (OSError, csv.Error, ET.ParseError, ExpatError, zipfile.BadZipFile, zlib.error)

#: What an operating-system error means to the person who met it, by ``errno``.
OS_ERROR_ADVICE: dict[int, str] = {
    errno.ENOENT: "no such file or folder",
    errno.EISDIR: "is a folder; give the name of a file (for example one inside that folder)",
    errno.ENOTDIR: "a part of this path is a file, not a folder",
    errno.EEXIST: "already exists, and is not a folder",
    errno.EACCES: "permission denied (check who owns the file or folder and its permissions)",
    errno.EPERM: "operation not permitted",
    errno.EROFS: "the file system is read-only",
    errno.ENOSPC: "no space left on the disk (free some space, then run the command again)",
    errno.EDQUOT: "disk quota exceeded (free some space, then run the command again)",
    errno.EFBIG: "the file would exceed the file-size limit (see `ulimit -f`)",
    errno.ELOOP: "is a symbolic link where a file was expected, or a loop of links",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.EMFILE: "too many files open at once",
    errno.EIO: "input/output error (a failing disk or a network drive that went away)",
}


def os_error_advice(exc: OSError) -> str:
    """What an operating-system error means, without the path (``"no space left ..."``)."""
    advice = OS_ERROR_ADVICE.get(exc.errno) if exc.errno is not None else None
    return advice or exc.strerror or str(exc)


def describe_os_error(exc: OSError) -> str:
    """``"out: is a folder, not a file (...)"``: the path and what the error means."""
    where = exc.filename2 if exc.errno == errno.EISDIR and exc.filename2 else exc.filename
    advice = os_error_advice(exc)
    return f"{where}: {advice}" if where not in (None, "") else advice


def describe_error(exc: BaseException) -> str:
    """One line for an error of :data:`FILE_ERRORS` (or any other), without a traceback."""
    if isinstance(exc, OSError):
        return describe_os_error(exc)
    if isinstance(exc, csv.Error):
        return f"a CSV file could not be read: {exc}"
    if isinstance(exc, (ET.ParseError, ExpatError)):
        return f"an XML file could not be read: {exc}"
    if isinstance(exc, (zipfile.BadZipFile, zlib.error)):
        return f"a ZIP or XLSX file is damaged: {exc}"
    return f"{type(exc).__name__}: {exc}"


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


class PrismaMismatchError(ReviewbenchError):
    """The PRISMA numbers do not add up; the message names each box that is off."""

    def __init__(self, mismatches: list[object]) -> None:
        self.mismatches = list(mismatches)
        message = "the PRISMA 2020 numbers do not reconcile:\n" + "\n".join(f"  - {m}" for m in self.mismatches)
        message += ("\n  (the review says it is complete: `status: complete` in review.yml, or `reviewbench run --final`; "
                    "a review in progress reports what is still open as notes)")
        super().__init__(message)


class NotebookError(ReviewbenchError):
    """A notebook stopped with an error; the message names the notebook and the error."""


class FullTextError(InputFileError):
    """A PDF cannot be read: ``kind`` is ``encrypted``, ``damaged``, ``too_large`` or
    ``not_pdf`` (tell cases apart by ``kind``, never by the wording of the message)."""

    def __init__(self, path: str | Path, kind: str, problem: str) -> None:
        self.kind = kind
        super().__init__(path, problem)
