"""The model's answers are logs, appended like a person's through :mod:`reviewbench.logs`.

Screening: ``evidence/screening/<stage>/assist-<model>.csv`` with a reviewer's columns
(:func:`~reviewbench.screening.decisions.log_columns`) plus ``model, prompt_sha256,
answer`` (the model's exact id, the SHA-256 of the messages sent, the raw answer). An
exclusion's criterion is its ``reason``; the note is ``<criterion>: <one-line reason>``.

Coding: ``evidence/findings/assist/assist-<model>.csv`` with ``finding_id, codes, quote,
note, reviewer, timestamp, model, prompt_sha256, answer``; ``codes`` is
``dimension:code; dimension:code``.

An answer that could not be read is logged too, with the note ``unparsed: <why>`` (in a
screening log as a ``retract`` row, so it never stands as a decision). A question, a
``(id, model, prompt_sha256)``, is asked again only while it has no readable answer and
fewer than :data:`MAX_ATTEMPTS` answers in all: the log alone says what is left to ask.
Each kind declares its columns and one row check, which its writer and ``reviewbench
validate`` share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from ..coding.codebook import Codebook
from ..errors import Problem, ValidationError
from ..logs import MAX_CELL_CHARS, RowProblem, append_rows, check_log_rows, read_log, utc_timestamp
from ..project import Project
from ..screening.criteria import StageSettings, is_model_reviewer
from ..screening.decisions import RETRACT, log_columns, log_path, make_row, row_problems

ANSWER_COLUMNS = ["model", "prompt_sha256", "answer"]
CODING_COLUMNS = ["finding_id", "codes", "quote", "note", "reviewer", "timestamp", *ANSWER_COLUMNS]
UNPARSED = "unparsed: "
#: Answers one question gets at most: the first and two retries of a malformed one.
MAX_ATTEMPTS = 3
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def screening_columns(stage: str) -> list[str]:
    """Columns of a model's screening log at ``stage``."""
    return log_columns(stage) + ANSWER_COLUMNS


def is_unparsed(row: Mapping[str, Any]) -> bool:
    """Whether a log row records an answer that could not be read."""
    return str(row.get("note") or "").startswith(UNPARSED)


def answer_problems(row: Mapping[str, Any]) -> list[RowProblem]:
    """What is wrong with the columns every answer log has (model, prompt, reviewer)."""
    cell = lambda c: str(row.get(c) or "").strip()  # noqa: E731
    found = []
    if not cell("model"):
        found.append(RowProblem("model", "", "empty model (the model id the answer came from)", ("the model's id",)))
    if not _SHA256.match(cell("prompt_sha256")):
        found.append(RowProblem("prompt_sha256", cell("prompt_sha256"), "prompt_sha256 is not a SHA-256 (64 hexadecimal digits)", ("64 hexadecimal digits",)))
    if not is_model_reviewer(cell("reviewer")):
        found.append(RowProblem("reviewer", cell("reviewer"), f"reviewer {cell('reviewer')!r} of a model's answer must start with 'assist-'", ("assist-<model>",)))
    return found


def screening_row_problems(row: Mapping[str, Any], settings: StageSettings) -> list[RowProblem]:
    """A screening answer's problems: those of any decision row, and of its answer columns."""
    return [*row_problems(row, settings), *answer_problems(row)]


def _with_file(path: Path, problems: Any) -> Any:
    def check(row: dict[str, str]) -> list[RowProblem | str]:
        found: list[RowProblem | str] = list(problems(row))
        reviewer = row.get("reviewer", "").strip()
        if reviewer and reviewer != path.stem:
            found.append(f"reviewer {reviewer!r} differs from the file's reviewer {path.stem!r}")
        return found

    return check


def check_screening_log(path: Path, settings: StageSettings) -> list[Problem]:
    """Problems in a model's screening log, each with its line (``reviewbench validate``)."""
    return check_log_rows(path, screening_columns(settings.stage), _with_file(path, lambda row: screening_row_problems(row, settings)), "record_id")


def fit_cell(text: str) -> str:
    """A model's text cut to what a log cell holds (:data:`~reviewbench.logs.MAX_CELL_CHARS`), saying so.

    A person's note over the limit is refused; a model's answer is the model's, so it is
    kept, shortened, rather than stopping the run.
    """
    if len(text) <= MAX_CELL_CHARS:
        return text
    marker = f" [cut: the first {MAX_CELL_CHARS - 80:,} of {len(text):,} characters]"
    return text[: MAX_CELL_CHARS - len(marker)] + marker


def screening_row(
    settings: StageSettings,
    reviewer: str,
    model: str,
    record_id: str,
    prompt_sha: str,
    answer: str,
    decision: str = RETRACT,
    reason: str = "",
    note: str = "",
) -> dict[str, str]:
    """One checked row of a model's screening log (by default an unparsed answer's)."""
    row = make_row(settings, reviewer, record_id, decision, reason, fit_cell(note))
    row = {**{c: "" for c in screening_columns(settings.stage)}, **row, "model": model, "prompt_sha256": prompt_sha,
           "answer": fit_cell(answer)}
    problems = answer_problems(row)
    if problems:
        raise problems[0].error()
    return row


def append_screening_row(project: Project, stage: str, row: Mapping[str, Any]) -> None:
    """Append one checked row to the model's screening log (flushed to disk at once)."""
    append_rows(log_path(project, stage, str(row["reviewer"])), [dict(row)], screening_columns(stage))


def read_screening_log(project: Project, stage: str, reviewer: str) -> pd.DataFrame:
    """Every row of the model's screening log at ``stage``, in order (empty when none)."""
    return read_log(log_path(project, stage, reviewer), screening_columns(stage))


# --------------------------------------------------------------------------- coding


def _split_codes(text: str) -> list[tuple[str, str]]:
    pairs = []
    for item in str(text or "").split(";"):
        if item.strip():
            dim, _, code = item.strip().partition(":")
            pairs.append((dim.strip(), code.strip()))
    return pairs


def codes_from_cell(text: str) -> dict[str, list[str]]:
    """``dimension:code; dimension:code`` as dimension -> codes."""
    out: dict[str, list[str]] = {}
    for dim, code in _split_codes(text):
        out.setdefault(dim, []).append(code)
    return out


def codes_cell(codes: Mapping[str, list[str]]) -> str:
    """Dimension -> codes as ``dimension:code; dimension:code``."""
    return "; ".join(f"{dim}:{code}" for dim, found in codes.items() for code in found)


def coding_row_problems(row: Mapping[str, Any], codebook: Codebook) -> list[RowProblem | str]:
    """What is wrong with one row of a model's coding log (empty: valid)."""
    found: list[RowProblem | str] = list(answer_problems(row))
    if not str(row.get("finding_id") or "").strip():
        found.append("empty finding_id")
    for dim, code in _split_codes(str(row.get("codes") or "")):
        if dim not in codebook.dimensions:
            found.append(f"codes: unknown dimension {dim!r} (valid: {', '.join(codebook.dimensions)})")
        elif codebook.invalid_codes(dim, [code]):
            found.append(f"codes: unknown code {code!r} of {dim} (valid: {', '.join(codebook.codes(dim))})")
    return found


def check_coding_log(path: Path, codebook: Codebook) -> list[Problem]:
    """Problems in a model's coding log, each with its line (``reviewbench validate``)."""
    return check_log_rows(path, CODING_COLUMNS, _with_file(path, lambda row: coding_row_problems(row, codebook)), "finding_id")


def coding_row(codebook: Codebook, reviewer: str, model: str, finding_id: str, prompt_sha: str, answer: str, codes: Mapping[str, list[str]] | None = None, quote: str = "", note: str = "") -> dict[str, str]:
    """One checked row of a model's coding log; :class:`ValidationError` when it has a problem."""
    row = {
        "finding_id": str(finding_id).strip(), "codes": codes_cell(codes or {}), "quote": fit_cell(quote),
        "note": fit_cell(note), "reviewer": reviewer, "timestamp": utc_timestamp(), "model": model,
        "prompt_sha256": prompt_sha, "answer": fit_cell(answer),
    }
    problems = coding_row_problems(row, codebook)
    if problems:
        raise ValidationError([Problem(reviewer, None, str(p), row["finding_id"] or None) for p in problems])
    return row


def append_coding_row(project: Project, row: Mapping[str, Any]) -> None:
    """Append one checked row to the model's coding log (flushed to disk at once)."""
    append_rows(project.assist_findings_file(str(row["reviewer"])), [dict(row)], CODING_COLUMNS)


def read_coding_log(project: Project, reviewer: str) -> pd.DataFrame:
    """Every row of the model's coding log, in order (empty when none)."""
    return read_log(project.assist_findings_file(reviewer), CODING_COLUMNS)


def coding_logs(project: Project) -> list[Path]:
    """Every model's coding log in ``evidence/findings/assist/`` (sorted)."""
    folder = project.assist_findings_file("x").parent
    return sorted(folder.glob("*.csv")) if folder.is_dir() else []


# --------------------------------------------------------------------------- what was asked


@dataclass(frozen=True)
class Asked:
    """What a log holds for one question: whether it has a readable answer, how many in all."""

    answered: bool
    attempts: int

    @property
    def settled(self) -> bool:
        """Nothing more to ask: answered, or malformed :data:`MAX_ATTEMPTS` times."""
        return self.answered or self.attempts >= MAX_ATTEMPTS


NOT_ASKED = Asked(False, 0)


def asked(log: pd.DataFrame, id_column: str) -> dict[tuple[str, str, str], Asked]:
    """``(id, model, prompt_sha256)`` -> :class:`Asked`, from a model's log."""
    out: dict[tuple[str, str, str], Asked] = {}
    for row in log.to_dict("records"):
        key = (str(row[id_column]), str(row["model"]), str(row["prompt_sha256"]))
        before = out.get(key, NOT_ASKED)
        out[key] = Asked(before.answered or not is_unparsed(row), before.attempts + 1)
    return out


def latest_answers(log: pd.DataFrame, id_column: str) -> pd.DataFrame:
    """The model's current answer per id: its latest row, unless that row is unparsed (or a
    retraction), which leaves the id without an answer, as in a person's log."""
    if log.empty:
        return log
    last = log.drop_duplicates(subset=[id_column], keep="last")
    last = last[[not is_unparsed(row) for row in last.to_dict("records")]]
    if "decision" in last.columns:
        last = last[last["decision"] != RETRACT]
    return last.reset_index(drop=True)
