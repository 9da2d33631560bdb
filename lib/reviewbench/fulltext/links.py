"""``evidence/fulltext/links.csv``: which PDF is the report of which record, as a person confirmed it.

A link is a human decision like a screening decision: rows are appended, never rewritten
(:func:`reviewbench.logs.append_rows`), and the latest row per PDF (its SHA-256) is the
one in force. A row with an empty ``record_id`` and method ``unlinked`` takes a link
back. The file is named relative to the project when it is in it (``fulltext/...``).

Columns (:data:`LINK_COLUMNS`): ``record_id, file, sha256, method, score, confirmed_by,
note, timestamp``; ``method`` is how the link was found (:data:`LINK_METHODS`).
:func:`link_row_problems` is what both :func:`confirm_links` and ``reviewbench
validate`` hold each row to.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Mapping

import pandas as pd

from ..errors import ValidationError
from ..logs import RowProblem, append_rows, check_log_rows, latest, read_log, utc_timestamp
from ..project import Project

LINK_COLUMNS = ["record_id", "file", "sha256", "method", "score", "confirmed_by", "note", "timestamp"]
#: How a link was found: an identifier in the PDF, its title, chosen by a person
#: (``manual``), or a link taken back (``unlinked``).
LINK_METHODS = ("doi", "pmid", "title", "manual", "unlinked")
UNLINKED = "unlinked"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def link_row_problems(row: Mapping[str, str]) -> list[RowProblem]:
    """What is wrong with one row of the links log (empty list: nothing)."""
    problems = []
    method = str(row.get("method") or "").strip()
    record = str(row.get("record_id") or "").strip()
    if method not in LINK_METHODS:
        problems.append(RowProblem("method", method, f"method {method!r} is not one of {', '.join(LINK_METHODS)}", LINK_METHODS))
    if not _SHA256.match(str(row.get("sha256") or "").strip()):
        problems.append(RowProblem("sha256", row.get("sha256"), "sha256 is not the 64 hex digits of a file's SHA-256",
                                   ("64 lower-case hex digits",)))
    if not record and method != UNLINKED:
        problems.append(RowProblem("record_id", record, "record_id is empty (only an 'unlinked' row has none)", ("a record id",)))
    if record and method == UNLINKED:
        problems.append(RowProblem("record_id", record, "an 'unlinked' row names no record_id", ("",)))
    if not str(row.get("confirmed_by") or "").strip():
        problems.append(RowProblem("confirmed_by", "", "confirmed_by is empty: a link is confirmed by a person", ("a reviewer's name",)))
    if not str(row.get("file") or "").strip():
        problems.append(RowProblem("file", "", "file is empty", ("the PDF's path",)))
    return problems


def check_links_log(path: Path) -> list:
    """Problems in a links log (for ``reviewbench validate``)."""
    return check_log_rows(path, LINK_COLUMNS, link_row_problems, "sha256")


def relative_file(project: Project, path: str | Path) -> str:
    """How the links log names ``path``: relative to the project (``fulltext/...``,
    ``/``-separated) when it is inside it, else its absolute path."""
    path = Path(path).resolve()
    try:
        return path.relative_to(project.root.resolve()).as_posix()
    except ValueError:
        return str(path)


def read_links(project: Project) -> pd.DataFrame:
    """Every row of the links log, as written (strings)."""
    return read_log(project.fulltext_links_file, LINK_COLUMNS).fillna("").astype(str)


def current_links(project: Project) -> pd.DataFrame:
    """The links in force: the latest row per PDF (``sha256``), links taken back left out."""
    rows = latest(read_links(project), "sha256")
    return rows[rows["method"] != UNLINKED].reset_index(drop=True)


def confirm_links(project: Project, links: Iterable[Mapping[str, object]], confirmed_by: str) -> int:
    """Append links a person confirmed (each with ``record_id, file, sha256, method`` and
    optionally ``score, note``); returns how many were written. Every row is checked
    first: one bad row and nothing is written."""
    stamp = utc_timestamp()
    rows = []
    for link in links:
        row = {c: "" if link.get(c) is None else str(link.get(c)) for c in LINK_COLUMNS}
        row["confirmed_by"], row["timestamp"] = confirmed_by, stamp
        problems = link_row_problems(row)
        if problems:
            raise problems[0].error()
        rows.append(row)
    return append_rows(project.fulltext_links_file, rows, LINK_COLUMNS)


def linked_records(project: Project) -> dict[str, list[str]]:
    """Record id -> the files linked to it (a record may have a report in more than one PDF)."""
    out: dict[str, list[str]] = {}
    for row in current_links(project).itertuples(index=False):
        out.setdefault(row.record_id, []).append(row.file)
    return out


def links_or_none(project: Project) -> pd.DataFrame | None:
    """:func:`current_links`, or ``None`` when the log cannot be read (``validate`` says why)."""
    try:
        return current_links(project)
    except ValidationError:
        return None
