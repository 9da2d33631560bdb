"""Project-wide check: ``reviewbench validate``.

:func:`validate_project` reads every file a reviewer writes by hand or through the
library (``review.yml``, ``codebook.yml``, ``searches.yml``, screening decision logs,
dedup overrides, findings and study logs, the links of full texts to records) and returns every problem found, each
naming the file, the line and what was expected. It never stops at the first problem,
so one run lists everything to fix.

It also sees the project as a whole (:func:`project_problems`): it imports and
deduplicates the exports (cached in ``.cache/validate/``) and checks the files against
each other and against where each publication stands (:func:`reviewbench.pipeline.review_status`):
an export ``searches.yml`` does not describe, a search whose ``hits`` differs from the
records read; full-text decisions on records excluded at title/abstract; a resolution whose reason contradicts its decision;
links of PDFs to records not imported, excluded at title/abstract or marked not
retrieved; findings or study rows on records that are not included studies (on records still on
their way in only once ``review.yml`` says ``status: complete``); and placeholder text
left from the template in ``review.yml``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any, Iterator

import pandas as pd

from . import pipeline
from .assist.config import assist_problems
from .assist.log import check_coding_log, check_screening_log, coding_logs
from .coding.codebook import Codebook, codebook_problems, load_codebook
from .coding.findings import check_findings_log, check_retractions_log, coder_logs
from .coding.reconcile import check_reconciliation_log
from .coding.studies import check_studies_log
from .dedupe.decisions import read_decisions
from .errors import InputFileError, Problem, ReviewbenchError, ValidationError
from .fulltext.links import check_links_log
from .logs import csv_rows_with_lines
from .project import SCREENING_STAGES, Located, Project, load_located, search_entries
from .screening.criteria import StageSettings, is_model_reviewer, stage_settings
from .screening.decisions import RETRACT, check_decision_log
from .screening.stopping_log import check_stopping_log, current_stops
from .screening.team import check_team_log

#: ``status`` in ``review.yml``: a review in progress reports open states as notes; a
#: complete one treats any as an error.
REVIEW_STATUSES = ("in_progress", "complete")
#: Text the template marks for the reviewer to replace: ``<the title of your review>``.
PLACEHOLDER = re.compile(r"<[A-Za-z][^<>\n]*>")


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
    status = data.get("status")
    if status is not None and status not in REVIEW_STATUSES:
        problems.append(doc.problem(f"status must be one of {', '.join(REVIEW_STATUSES)}, found {status!r}", "status"))
    problems += _placeholders(doc, data, ())
    problems += assist_problems(doc)
    return problems, data


def _placeholders(doc: Located, value: Any, keys: tuple) -> list[Problem]:
    """Text left from the template (``<...>``) anywhere in ``value``, with its line."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _placeholders(doc, v, (*keys, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _placeholders(doc, v, (*keys, i))]
    if isinstance(value, str) and PLACEHOLDER.search(value):
        where = " ".join(f"item {k + 1}" if isinstance(k, int) else str(k) for k in keys) or "the file"
        return [doc.problem(f"{where}: placeholder text left from the template ({PLACEHOLDER.search(value).group(0)}); "
                            "write your review's own", *keys)]
    return []


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
    if project.retractions_file.exists():
        problems += check_retractions_log(project.retractions_file)
    for path in coding_logs(project):
        problems += check_coding_log(path, codebook)
    return problems


# --------------------------------------------------------------------------- the project as a whole


def _current_rows(path: Path, key: str) -> list[tuple[int, dict[str, str]]]:
    """The latest row per ``key`` of a log, with its line (retracted decisions dropped)."""
    header, rows, _problems = csv_rows_with_lines(path)
    latest: dict[str, tuple[int, dict[str, str]]] = {}
    for line, values in rows:
        row = {h: v.strip() for h, v in zip(header, values)}
        if row.get(key):
            latest[row[key]] = (line, row)
    return [(line, row) for line, row in latest.values() if row.get("decision") != RETRACT]


def _linked(project: Project) -> dict[str, Any]:
    """What the checks need from the exports: records per file, the dedup clusters and the
    publications (cached under the project's inputs, see :func:`reviewbench.pipeline.cached`)."""
    records, _report = pipeline.load_records(project)
    clusters, unique = pipeline.deduplicate_project(project, records)
    return {
        "per_file": records["source_file"].value_counts().to_dict() if not records.empty else {},
        "clusters": clusters[["record_id", "cluster_id"]].copy(),
        "unique": [str(r) for r in unique["record_id"]],
    }


def _search_problems(project: Project, per_file: dict[str, int]) -> list[Problem]:
    """Exports ``searches.yml`` does not describe; searches whose ``hits`` differ from the records read."""
    doc, _ = load_located(project.searches_file) if project.searches_file.is_file() else (None, [])
    data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
    described: set[str] = set()
    problems = []
    for entry in search_entries(data):
        described.update(entry.file_names)
        if entry.files and entry.hits is not None and doc is not None:
            n = sum(per_file.get(name, 0) for name in entry.file_names)
            if n != entry.hits:
                files = ", ".join(entry.files)
                problems.append(doc.problem(f"{entry.section} entry {entry.index + 1} ({entry.label}): hits is {entry.hits} but {files} "
                                            f"hold{'s' if len(entry.files) == 1 else ''} {n} records (off by {n - entry.hits:+d})",
                                            entry.section, entry.index, "hits"))
    for path in project.bibliography_files() if doc is not None else []:  # no searches.yml: nothing to hold them to
        if path.name not in described:
            problems.append(Problem(str(path), None, f"this export is not described in bibliography/searches.yml: add an entry "
                                                      f"(database, date, query, hits) with file: {path.name}"))
    return problems


def _screening_cross_checks(project: Project, review: dict[str, Any], status: pd.DataFrame, to_cluster: dict[str, str]) -> list[Problem]:
    """Full-text decisions on records excluded at title/abstract. (A resolution whose reason
    contradicts its decision is a row problem of the log; decisions on records that are not
    imported are left to the PRISMA reconciliation, which names them.)"""
    problems = []
    ta = dict(zip(status["record_id"], status["ta"]))
    for stage, path in _screening_logs(project):
        if path.is_dir() or is_model_reviewer(path.stem):  # a model's answers are not the team's decisions
            continue
        for line, row in _current_rows(path, "record_id"):
            rid = row["record_id"]
            publication = to_cluster.get(rid)
            if stage == "full_text" and ta.get(publication) == "exclude":
                problems.append(Problem(str(path), line, "full-text decision on a record excluded at title/abstract: retract it "
                                        "(the screening view's undo, or a 'retract' row) or settle the title/abstract decision", rid))
    return problems


def _fulltext_cross_checks(project: Project, status: pd.DataFrame, to_cluster: dict[str, str]) -> list[Problem]:
    """Links of full texts to records that are not imported or not sought (excluded at
    title/abstract), or to reports the team marked not retrieved."""
    path = project.fulltext_links_file
    if not os.path.lexists(path):
        return []
    ta = dict(zip(status["record_id"], status["ta"]))
    marked = set(status.loc[(status["retrieval"] == "not_retrieved") & (status["ft"] == "exclude"), "record_id"])
    problems = []
    for line, row in _current_rows(path, "sha256"):
        rid = row.get("record_id", "")
        if not rid or row.get("method") == "unlinked":
            continue
        publication = to_cluster.get(rid)
        if publication is None:
            problems.append(Problem(str(path), line, "the PDF is linked to a record that is not among the imported records", rid))
        elif ta.get(publication) == "exclude":
            problems.append(Problem(str(path), line, "the PDF is linked to a record excluded at title/abstract: take the link "
                                    "back (an 'unlinked' row) or link it to the right record", rid))
        elif publication in marked:
            problems.append(Problem(str(path), line, "the PDF is linked to a report marked not retrieved: assess the report, "
                                    "or take the link back", rid))
    return problems


def _coding_cross_checks(project: Project, status: pd.DataFrame, to_cluster: dict[str, str], complete: bool) -> list[Problem]:
    """Findings and study rows on records that are not included studies."""
    where = dict(zip(status["record_id"], status["status"]))
    problems = []
    logs = [(path, "finding_id") for path in coder_logs(project).values()]
    if project.studies_file.exists():
        logs.append((project.studies_file, "record_id"))
    for path, key in logs:
        for line, row in _current_rows(path, key):
            rid = row.get("record_id", "")
            if not rid:
                continue
            publication = to_cluster.get(rid)
            state = where.get(publication) if publication is not None else None
            what = "study row" if key == "record_id" else f"finding {row.get(key)}"
            if state is None:
                problems.append(Problem(str(path), line, f"{what} on a record that is not among the imported records", rid))
            elif state == pipeline.EXCLUDED or state == pipeline.UNSCREENED or state == pipeline.UNDECIDED:
                problems.append(Problem(str(path), line, f"{what} on a record that is not an included study ({state})", rid))
            elif state == pipeline.PROVISIONAL and complete:
                problems.append(Problem(str(path), line, f"{what} on a record that is not an included study (provisional: "
                                        "a screening decision on it is still open) in a review that says it is complete", rid))
    return problems


def project_problems(project: Project, review: dict[str, Any]) -> list[Problem]:
    """The checks that need the whole project (see the module docstring); none when the
    project has no exports yet, or when its logs cannot be read (their own problems say why)."""
    if not project.bibliography_files():
        return []
    try:
        linked = pipeline.cached(project, "validate", lambda: _linked(project))
    except InputFileError as exc:
        return [Problem(exc.path, exc.line, f"cannot be imported: {exc.problem}" + (f" (expected {exc.expected})" if exc.expected else ""))]
    except ReviewbenchError:
        return []
    problems = _search_problems(project, linked["per_file"])
    clusters = linked["clusters"]
    to_cluster = dict(zip(clusters["record_id"].astype(str), clusters["cluster_id"].astype(str)))
    try:
        decisions = {stage: pipeline.publication_decisions(project, stage, clusters) for stage in SCREENING_STAGES}
        status = pipeline.review_status(linked["unique"], decisions, "full_text", pipeline.required_reviewers(review),
                                        stopped="title_abstract" in current_stops(project))
    except (ReviewbenchError, ValueError, KeyError):
        return problems
    problems += _screening_cross_checks(project, review, status, to_cluster)
    problems += _fulltext_cross_checks(project, status, to_cluster)
    complete = str(review.get("status") or "") == "complete"
    problems += _coding_cross_checks(project, status, to_cluster, complete)
    return problems


def validate_project(project: Project) -> list[Problem]:
    """Every problem in the project's YAML files and logs, and between them (empty list: all valid)."""
    problems, review = _check_review(project)
    problems += _check_searches(project)
    codebook = None
    if project.codebook_file.exists():
        cb_problems = codebook_problems(project.codebook_file)
        problems += cb_problems
        doc, _ = load_located(project.codebook_file)
        problems += _placeholders(doc, doc.data, ()) if doc is not None else []
        if not cb_problems:
            codebook = load_codebook(project.codebook_file)
    for stage, path in _screening_logs(project):
        if path.is_dir():
            problems.append(Problem(str(path), None, f"unknown screening stage folder {stage!r} (expected one of {', '.join(SCREENING_STAGES)})"))
            continue
        check = check_screening_log if is_model_reviewer(path.stem) else check_decision_log
        problems += check(path, _stage_settings(review, stage))
    problems += _check_dedup(project)
    if os.path.lexists(project.fulltext_links_file):
        problems += check_links_log(project.fulltext_links_file)
    if project.stopping_log_file.exists():
        problems += check_stopping_log(project.stopping_log_file)
    if project.team_log_file.exists():
        problems += check_team_log(project.team_log_file)
    if codebook is not None:
        problems += _check_coding_logs(project, codebook)
    elif project.findings_dir.is_dir() and any(project.findings_dir.glob("*.csv")):
        problems.append(Problem(str(project.codebook_file), None, "findings logs exist but the codebook is missing or invalid, so their codes cannot be checked"))
    problems += project_problems(project, review)
    return problems
