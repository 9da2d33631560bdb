"""Project-wide schema check: ``reviewbench validate``.

:func:`validate_project` reads every file a reviewer writes by hand or through the
library (``review.yml``, ``codebook.yml``, ``searches.yml``, screening decision logs,
dedup overrides, findings and study logs) and returns every problem found, each
naming the file, the line and what was expected. It never stops at the first problem,
so one run lists everything to fix.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any, Callable, Iterator

from .errors import Problem, ValidationError
from .project import SCREENING_STAGES, Project

SCREENING_COLUMNS = ["record_id", "decision", "reason", "note", "reviewer", "timestamp"]
FULL_TEXT_EXTRA = ["retrieval", "pdf"]
DECISIONS = ("include", "exclude", "maybe")
RETRIEVAL = ("", "retrieved", "not_retrieved")


def csv_rows_with_lines(path: str | Path) -> tuple[list[str], list[tuple[int, list[str]]], list[Problem]]:
    """Read a CSV log keeping the line on which each row starts.

    Returns ``(header, [(line, row)], problems)``; rows with the wrong number of fields
    are reported and left out. Blank lines are skipped.
    """
    path = Path(path)
    file = str(path)
    try:
        fh = open(path, "r", encoding="utf-8-sig", newline="")
    except OSError as exc:
        return [], [], [Problem(file, None, f"cannot be read: {exc.strerror}")]
    rows: list[tuple[int, list[str]]] = []
    problems: list[Problem] = []
    header: list[str] = []
    with fh:
        reader = csv.reader(fh)
        try:
            first = next(reader, None)
            if first is None:
                return [], [], [Problem(file, 1, "empty file (expected a header line)")]
            header = [h.strip() for h in first]
            line = reader.line_num + 1
            for row in reader:
                start = line
                line = reader.line_num + 1
                if not row or all(not cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    problems.append(Problem(file, start, f"expected {len(header)} fields ({','.join(header)}), found {len(row)}"))
                    continue
                rows.append((start, row))
        except UnicodeDecodeError:
            problems.append(Problem(file, reader.line_num + 1, "not UTF-8 text (save the file as UTF-8)"))
        except csv.Error as exc:
            problems.append(Problem(file, reader.line_num, f"malformed CSV: {exc}"))
    return header, rows, problems


def check_header(file: str, header: list[str], expected: list[str], *, allow_extra: bool = False) -> list[Problem]:
    """A problem when ``header`` lacks a column of ``expected`` (or has extra ones)."""
    missing = [c for c in expected if c not in header]
    if missing:
        return [Problem(file, 1, f"missing column(s) {', '.join(missing)}; expected header: {','.join(expected)}")]
    extra = [c for c in header if c not in expected]
    if extra and not allow_extra:
        return [Problem(file, 1, f"unexpected column(s) {', '.join(extra)}; expected header: {','.join(expected)}")]
    return []


def check_timestamp(value: str) -> bool:
    """Whether ``value`` is an ISO 8601 date-time (``2022-06-13T09:00:00Z``)."""
    try:
        dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def check_log_rows(
    path: Path,
    expected: list[str],
    row_problems: Callable[[dict[str, str]], list[str]],
    key: str,
) -> list[Problem]:
    """Problems in an append-only log: its header, ``row_problems`` of each row and the
    row's timestamp, each with its line and the row's ``key`` value."""
    file = str(path)
    header, rows, problems = csv_rows_with_lines(path)
    if not header:
        return problems
    head = check_header(file, header, expected)
    if head:
        return problems + head
    for line, values in rows:
        row = dict(zip(header, values))
        ident = row.get(key) or None
        problems += [Problem(file, line, message, ident) for message in row_problems(row)]
        if not check_timestamp(row.get("timestamp", "")):
            problems.append(Problem(file, line, f"timestamp {row.get('timestamp')!r} is not an ISO 8601 date-time", ident))
    return problems


# --------------------------------------------------------------------------- review.yml


def _check_review(project: Project) -> tuple[list[Problem], dict[str, Any]]:
    from .coding.located_yaml import load_located

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
    return problems, data


def _valid_reasons(review: dict[str, Any]) -> set[str] | None:
    reasons = review.get("exclusion_reasons")
    if not reasons:
        return None
    valid: set[str] = set()
    if isinstance(reasons, dict):
        valid |= {str(k) for k in reasons} | {str(v) for v in reasons.values() if isinstance(v, str)}
    elif isinstance(reasons, list):
        valid |= {str(r) for r in reasons}
    for r in review.get("not_retrieved_reasons") or []:
        valid.add(str(r))
    return valid


# --------------------------------------------------------------------------- searches.yml


def _check_searches(project: Project) -> list[Problem]:
    from .coding.located_yaml import load_located

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
            if file and not (project.bibliography / str(file)).is_file():
                problems.append(doc.problem(f"{section} entry {i + 1}: file {file!r} is not in bibliography/", *where, "file"))
    return problems


# --------------------------------------------------------------------------- screening logs


def _screening_logs(project: Project) -> Iterator[tuple[str, Path]]:
    for stage in SCREENING_STAGES:
        folder = project.screening_dir(stage)
        if folder.is_dir():
            for path in sorted(folder.glob("*.csv")):
                yield stage, path
    root = project.evidence / "screening"
    if root.is_dir():
        for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name not in SCREENING_STAGES):
            yield folder.name, folder


def check_screening_log(path: Path, stage: str, valid_reasons: set[str] | None = None) -> list[Problem]:
    """Problems in one screening decision log (columns, decisions, retrieval, timestamps)."""
    file = str(path)
    header, rows, problems = csv_rows_with_lines(path)
    if not header:
        return problems
    expected = SCREENING_COLUMNS + (FULL_TEXT_EXTRA if stage == "full_text" and path.stem != "resolutions" else [])
    head = check_header(file, header, expected, allow_extra=stage == "full_text")
    if head:
        return problems + head
    idx = {c: header.index(c) for c in header}
    for line, row in rows:
        cell = lambda c: row[idx[c]].strip() if c in idx else ""  # noqa: E731
        if not cell("record_id"):
            problems.append(Problem(file, line, "empty record_id"))
        decision = cell("decision")
        # A reviewer may withdraw a decision (undo of a first decision); an arbiter may not.
        allowed = DECISIONS if path.stem == "resolutions" else DECISIONS + ("retract",)
        if decision not in allowed:
            problems.append(Problem(file, line, f"decision {decision!r} is not one of {', '.join(allowed)}", cell("record_id") or None))
        reason = cell("reason")
        if valid_reasons is not None and reason and decision == "exclude" and reason not in valid_reasons:
            problems.append(Problem(file, line, f"reason {reason!r} is not an exclusion reason of review.yml ({', '.join(sorted(valid_reasons))})", cell("record_id") or None))
        if "retrieval" in idx and cell("retrieval") not in RETRIEVAL:
            problems.append(Problem(file, line, f"retrieval {cell('retrieval')!r} is not one of retrieved, not_retrieved (or empty)", cell("record_id") or None))
        if path.stem != "resolutions" and cell("reviewer") and cell("reviewer") != path.stem:
            problems.append(Problem(file, line, f"reviewer {cell('reviewer')!r} differs from the file's reviewer {path.stem!r} (each reviewer writes only their own log)", cell("record_id") or None))
        if not check_timestamp(cell("timestamp")):
            problems.append(Problem(file, line, f"timestamp {cell('timestamp')!r} is not an ISO 8601 date-time (e.g. 2022-06-13T09:00:00Z)", cell("record_id") or None))
    return problems


def _check_dedup(project: Project) -> list[Problem]:
    """Problems in ``evidence/dedup/decisions.csv`` (header, decision values, record pairs)."""
    from .dedupe.decisions import read_decisions

    try:
        read_decisions(project.dedup_decisions_file)
    except ValidationError as exc:
        return list(exc.problems)
    return []


# --------------------------------------------------------------------------- entry point


def validate_project(project: Project) -> list[Problem]:
    """Every problem in the project's YAML files and logs (empty list: all valid)."""
    from .coding.codebook import codebook_problems, load_codebook
    from .coding.findings import check_coding_logs
    from .screening.stopping_log import check_stopping_log, stopping_log_path

    problems, review = _check_review(project)
    problems += _check_searches(project)
    codebook = None
    if project.codebook_file.exists():
        cb_problems = codebook_problems(project.codebook_file)
        problems += cb_problems
        if not cb_problems:
            codebook = load_codebook(project.codebook_file)
    reasons = _valid_reasons(review)
    for stage, path in _screening_logs(project):
        if path.is_dir():
            problems.append(Problem(str(path), None, f"unknown screening stage folder {stage!r} (expected one of {', '.join(SCREENING_STAGES)})"))
            continue
        problems += check_screening_log(path, stage, reasons)
    problems += _check_dedup(project)
    stopping = stopping_log_path(project)
    if stopping.exists():
        problems += check_stopping_log(stopping)
    if codebook is not None:
        problems += check_coding_logs(project, codebook)
    elif project.findings_dir.is_dir() and any(project.findings_dir.glob("*.csv")):
        problems.append(Problem(str(project.codebook_file), None, "findings logs exist but the codebook is missing or invalid, so their codes cannot be checked"))
    return problems
