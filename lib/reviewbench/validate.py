"""Project-wide schema check: ``reviewbench validate``.

:func:`validate_project` reads every file a reviewer writes by hand or through the
library (``review.yml``, ``codebook.yml``, ``searches.yml``, screening decision logs,
dedup overrides, findings and study logs) and returns every problem found, each
naming the file, the line and what was expected. It never stops at the first problem,
so one run lists everything to fix.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Iterator

from .assist.config import assist_problems
from .assist.log import check_coding_log, check_screening_log, coding_logs
from .coding.codebook import Codebook, codebook_problems, load_codebook
from .coding.findings import check_findings_log, coder_logs
from .coding.reconcile import check_reconciliation_log
from .coding.studies import check_studies_log
from .dedupe.decisions import read_decisions
from .errors import Problem, ReviewbenchError, ValidationError
from .project import SCREENING_STAGES, Project, load_located
from .screening.criteria import StageSettings, is_model_reviewer, stage_settings
from .screening.decisions import check_decision_log
from .screening.stopping_log import check_stopping_log


# --------------------------------------------------------------------------- review.yml


def _check_review(project: Project) -> tuple[list[Problem], dict[str, Any]]:
    doc, problems = load_located(project.review_file)
    if doc is None:
        return problems, {}
    data = doc.data
    if not isinstance(data, dict):
        return problems + [doc.problem(f"expected a mapping of keys to values, found {type(data).__name__}")], {}
    for key in ("title", "question"):
        if key not in data:
            problems.append(doc.problem(f"missing '{key}' (text)"))
        elif not isinstance(data[key], str) or not data[key].strip():
            problems.append(doc.problem(f"'{key}' must be text", key))
    reasons = data.get("exclusion_reasons")
    if reasons is not None and not isinstance(reasons, (dict, list)):
        problems.append(doc.problem("'exclusion_reasons' must be a mapping of reason id to description, or a list", "exclusion_reasons"))
    nrr = data.get("not_retrieved_reasons")
    if nrr is not None and not isinstance(nrr, list):
        problems.append(doc.problem("'not_retrieved_reasons' must be a list of reasons", "not_retrieved_reasons"))
    elig = data.get("eligibility")
    if elig is not None:
        if not isinstance(elig, dict):
            problems.append(doc.problem("'eligibility' must be a mapping with 'include' and 'exclude' lists", "eligibility"))
        else:
            for key, value in elig.items():
                if not isinstance(value, list):
                    problems.append(doc.problem(f"eligibility '{key}' must be a list of criteria", "eligibility", key))
    stages = data.get("stages")
    if stages is not None:
        if not isinstance(stages, dict):
            problems.append(doc.problem(f"'stages' must be a mapping with keys among {', '.join(SCREENING_STAGES)}", "stages"))
        else:
            for name, stage in stages.items():
                if name not in SCREENING_STAGES:
                    problems.append(doc.problem(f"unknown stage {name!r} (expected one of {', '.join(SCREENING_STAGES)})", "stages", name))
                if isinstance(stage, dict):
                    n = stage.get("reviewers_per_record")
                    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
                        problems.append(doc.problem(f"reviewers_per_record must be a whole number of at least 1, found {n!r}", "stages", name, "reviewers_per_record"))
                elif stage is not None:
                    problems.append(doc.problem(f"stage {name!r} must be a mapping (label, reviewers_per_record, ...)", "stages", name))
    reviewers = data.get("reviewers")
    if reviewers is not None and not isinstance(reviewers, (dict, list)):
        problems.append(doc.problem("'reviewers' must be a mapping of reviewer id to details, or a list of ids", "reviewers"))
    problems += assist_problems(doc)
    return problems, data


def _stage_settings(review: dict[str, Any], stage: str) -> StageSettings:
    """The stage's settings from ``review.yml`` as far as it can be read (its own problems
    are reported by :func:`_check_review`); nothing is assumed where it cannot."""
    try:
        return stage_settings(review, stage)
    except (ReviewbenchError, ValueError, TypeError, AttributeError):
        return stage_settings({}, stage)


# --------------------------------------------------------------------------- searches.yml


def _check_searches(project: Project) -> list[Problem]:
    if not project.searches_file.exists():
        return []
    doc, problems = load_located(project.searches_file)
    if doc is None:
        return problems
    data = doc.data
    if not isinstance(data, dict):
        return problems + [doc.problem("expected a mapping with a 'searches' list")]
    for section, required in (("searches", ("database", "date", "query")), ("other_methods", ("source", "date"))):
        entries = data.get(section)
        if entries is None:
            if section == "searches":
                problems.append(doc.problem("missing 'searches': a list with one entry per search as run"))
            continue
        if not isinstance(entries, list):
            problems.append(doc.problem(f"'{section}' must be a list of entries", section))
            continue
        for i, entry in enumerate(entries):
            where = (section, i)
            if not isinstance(entry, dict):
                problems.append(doc.problem(f"{section} entry {i + 1} must be a mapping ({', '.join(required)}, hits, file)", *where))
                continue
            for key in required:
                if entry.get(key) in (None, ""):
                    problems.append(doc.problem(f"{section} entry {i + 1} lacks '{key}'", *where))
            date = entry.get("date")
            if date not in (None, "") and not isinstance(date, (dt.date, dt.datetime)):
                try:
                    dt.date.fromisoformat(str(date))
                except ValueError:
                    problems.append(doc.problem(f"{section} entry {i + 1}: date {date!r} is not a date (expected YYYY-MM-DD)", *where, "date"))
            hits = entry.get("hits")
            if hits is not None and (isinstance(hits, bool) or not isinstance(hits, int) or hits < 0):
                problems.append(doc.problem(f"{section} entry {i + 1}: hits must be a whole number (0 or more), found {hits!r}", *where, "hits"))
            file = entry.get("file")
            if file and not project.bibliography_file(str(file)).is_file():
                problems.append(doc.problem(f"{section} entry {i + 1}: file {file!r} is not in bibliography/", *where, "file"))
    return problems


# --------------------------------------------------------------------------- screening logs


def _screening_logs(project: Project) -> Iterator[tuple[str, Path]]:
    for stage in SCREENING_STAGES:
        folder = project.screening_dir(stage)
        if folder.is_dir():
            for path in sorted(folder.glob("*.csv")):
                yield stage, path
    root = project.screening_root
    if root.is_dir():
        for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name not in SCREENING_STAGES):
            yield folder.name, folder


def _check_dedup(project: Project) -> list[Problem]:
    """Problems in ``evidence/dedup/decisions.csv`` (header, decision values, record pairs)."""
    try:
        read_decisions(project.dedup_decisions_file)
    except ValidationError as exc:
        return list(exc.problems)
    return []


# --------------------------------------------------------------------------- entry point


def _check_coding_logs(project: Project, codebook: Codebook) -> list[Problem]:
    """Problems in every findings log, the study log and the reconciliation log."""
    problems: list[Problem] = []
    for path in coder_logs(project).values():
        problems += check_findings_log(path, codebook)
    if project.studies_file.exists():
        problems += check_studies_log(project.studies_file, codebook)
    if project.reconciliation_file.exists():
        problems += check_reconciliation_log(project.reconciliation_file, codebook)
    for path in coding_logs(project):
        problems += check_coding_log(path, codebook)
    return problems


def validate_project(project: Project) -> list[Problem]:
    """Every problem in the project's YAML files and logs (empty list: all valid)."""
    problems, review = _check_review(project)
    problems += _check_searches(project)
    codebook = None
    if project.codebook_file.exists():
        cb_problems = codebook_problems(project.codebook_file)
        problems += cb_problems
        if not cb_problems:
            codebook = load_codebook(project.codebook_file)
    for stage, path in _screening_logs(project):
        if path.is_dir():
            problems.append(Problem(str(path), None, f"unknown screening stage folder {stage!r} (expected one of {', '.join(SCREENING_STAGES)})"))
            continue
        check = check_screening_log if is_model_reviewer(path.stem) else check_decision_log
        problems += check(path, _stage_settings(review, stage))
    problems += _check_dedup(project)
    if project.stopping_log_file.exists():
        problems += check_stopping_log(project.stopping_log_file)
    if codebook is not None:
        problems += _check_coding_logs(project, codebook)
    elif project.findings_dir.is_dir() and any(project.findings_dir.glob("*.csv")):
        problems.append(Problem(str(project.codebook_file), None, "findings logs exist but the codebook is missing or invalid, so their codes cannot be checked"))
    return problems
