"""Screening decision logs: write one decision, read current and final decisions.

Each reviewer appends to ``evidence/screening/<stage>/<reviewer>.csv`` with columns
``record_id, decision, reason, note, reviewer, timestamp``; full-text logs add
``retrieval`` (``retrieved`` | ``not_retrieved``; empty means retrieved) and ``pdf``
(a path or link). Conflicts are settled in ``resolutions.csv`` (the six title/abstract
columns; ``reviewer`` is the person who resolved it). The latest row per record wins.

Decision values: ``include``, ``exclude``, ``maybe``, and ``retract``. A ``retract`` row
withdraws the reviewer's decision on that record, which counts as unscreened again; the
screening view writes it when the reviewer undoes a first decision. Undoing a changed
decision re-appends the previous row instead, so the log always reads as what happened.

A report sought but not retrieved is logged as ``exclude`` with ``retrieval``
``not_retrieved`` and one of ``review.yml``'s ``not_retrieved_reasons`` as the reason.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from ..errors import ParameterError, Problem
from ..logs import RowProblem, append_rows, check_log_rows, read_log, utc_timestamp
from ..project import RESOLUTIONS, Project
from .criteria import StageSettings, check_reviewer_name, check_stage, is_model_reviewer, load_stage_settings
from .team import left_reviewers

SCREENING_COLUMNS = ["record_id", "decision", "reason", "note", "reviewer", "timestamp"]
FULL_TEXT_COLUMNS = SCREENING_COLUMNS + ["retrieval", "pdf"]
RESOLUTION_COLUMNS = SCREENING_COLUMNS
DECISIONS = ("include", "exclude", "maybe")
RETRACT = "retract"
LOG_DECISIONS = DECISIONS + (RETRACT,)
RETRIEVAL = ("retrieved", "not_retrieved")
FINAL_COLUMNS = ["record_id", "decision", "reason", "retrieval"]
CONFLICT = "conflict"
#: Final title/abstract decisions that send a record on to full-text assessment.
FORWARD = ("include", "maybe")


def log_columns(stage: str) -> list[str]:
    """Columns of a reviewer's log at ``stage``."""
    return list(FULL_TEXT_COLUMNS if check_stage(stage) == "full_text" else SCREENING_COLUMNS)


def log_path(project: Project, stage: str, reviewer: str) -> Path:
    """``evidence/screening/<stage>/<reviewer>.csv``."""
    return project.screening_log_file(check_stage(stage), check_reviewer_name(reviewer))


def resolutions_path(project: Project, stage: str) -> Path:
    """``evidence/screening/<stage>/resolutions.csv``."""
    return project.resolutions_file(check_stage(stage))


def _reason_code(reason: str, reasons: Mapping[str, str]) -> str:
    """Accept a reason's code or its description; return the code."""
    if reason in reasons:
        return reason
    for code, label in reasons.items():
        if reason == label:
            return code
    return ""


def row_problems(row: Mapping[str, str], settings: StageSettings, *, resolution: bool = False) -> list[RowProblem]:
    """What is wrong with one row of a decision log at ``settings.stage`` (empty: valid).

    The one set of rules for a decision: :func:`make_row` refuses a row that breaks one,
    ``reviewbench validate`` reports each. ``resolution``: a row of ``resolutions.csv``,
    which may not retract and may give a not-retrieved reason for an exclusion.
    """
    cell = lambda c: str(row.get(c) or "").strip()  # noqa: E731
    found: list[RowProblem] = []
    if not cell("record_id"):
        found.append(RowProblem("record_id", cell("record_id"), "empty record_id", ("the id of a record being screened",)))
    decision, reason, retrieval, pdf = cell("decision"), cell("reason"), cell("retrieval"), cell("pdf")
    # A reviewer may withdraw a decision (undo of a first decision); an arbiter may not.
    allowed = DECISIONS if resolution else LOG_DECISIONS
    if decision not in allowed:
        found.append(RowProblem("decision", decision, f"decision {decision!r} is not one of {', '.join(allowed)}", allowed))
    if settings.stage != "full_text" and (retrieval or pdf):
        found.append(RowProblem("retrieval", retrieval or pdf, "retrieval and pdf belong to the full_text stage",
                                ("empty: retrieval and pdf belong to the full_text stage",)))
    elif retrieval and retrieval not in RETRIEVAL:
        found.append(RowProblem("retrieval", retrieval, f"retrieval {retrieval!r} is not one of retrieved, not_retrieved (or empty)", RETRIEVAL))
    if decision == RETRACT:
        pass
    elif retrieval == "not_retrieved":
        if decision != "exclude":
            found.append(RowProblem("decision", decision, f"decision {decision!r}: a report not retrieved cannot be assessed, so it is an exclusion",
                                    ("exclude (a report not retrieved cannot be assessed for eligibility)",)))
        valid = tuple(settings.not_retrieved_reasons)
        if not reason or (valid and reason not in valid):
            found.append(RowProblem("reason", reason, f"reason {reason!r} is not one of the not_retrieved_reasons of review.yml ({', '.join(valid)})"
                                    if reason else "a report not retrieved needs a reason", valid or ("why the report could not be obtained",)))
    elif decision in ("include", "maybe") and reason in {*settings.exclusion_reasons, *settings.exclusion_reasons.values(), *settings.not_retrieved_reasons}:
        found.append(RowProblem("reason", reason, f"the {'resolution' if resolution else 'decision'} is {decision!r} but its reason {reason!r} is a reason to exclude: "
                                "one of the two is wrong (a note goes in 'note')", ("empty: only an exclusion has a reason",)))
    elif decision == "exclude":
        reasons = settings.exclusion_reasons
        if reason and reasons and reason not in reasons and not (resolution and reason in settings.not_retrieved_reasons):
            found.append(RowProblem("reason", reason, f"reason {reason!r} is not an exclusion reason of review.yml ({', '.join(sorted(reasons))})", tuple(reasons)))
        if not reason and settings.reason_required:
            found.append(RowProblem("reason", reason, f"an exclusion at {settings.stage} needs a reason" + (f" ({', '.join(reasons)})" if reasons else ""),
                                    tuple(reasons) or ("a reason for the exclusion",)))
    try:
        check_reviewer_name(cell("reviewer"))
    except ParameterError as exc:
        found.append(RowProblem("reviewer", exc.value, f"reviewer {exc.value!r} is not a name of letters, digits, '_', '.' or '-' (nor 'resolutions')", tuple(exc.valid or ())))
    return found


def make_row(
    settings: StageSettings,
    reviewer: str,
    record_id: str,
    decision: str,
    reason: str = "",
    note: str = "",
    retrieval: str = "",
    pdf: str = "",
    *,
    resolution: bool = False,
    timestamp: str | None = None,
) -> dict[str, str]:
    """One log row, checked by :func:`row_problems`. Raises :class:`ParameterError` saying
    what is wrong.

    The decision may be in any case, and an exclusion reason may be given by its
    description: both are written in the log's own spelling. Exclusions at a stage with
    ``reason_required`` (full text by default) need a reason from ``review.yml``; a report
    not retrieved needs one of ``not_retrieved_reasons``.
    """
    decision = str(decision or "").strip().lower()
    reason = str(reason or "").strip()
    retrieval = str(retrieval or "").strip()
    pdf = str(pdf or "").strip()
    if decision == RETRACT:
        reason = ""
    elif decision == "exclude" and retrieval != "not_retrieved" and reason:
        reason = _reason_code(reason, settings.exclusion_reasons) or reason
    row = {
        "record_id": str(record_id or "").strip(),
        "decision": decision,
        "reason": reason,
        "note": str(note or "").replace("\r\n", "\n").strip(),
        "reviewer": str(reviewer or "").strip(),
        "timestamp": timestamp or utc_timestamp(),
    }
    problems = row_problems({**row, "retrieval": retrieval, "pdf": pdf}, settings, resolution=resolution)
    if problems:
        raise problems[0].error()
    if settings.stage == "full_text" and not resolution:
        row["retrieval"], row["pdf"] = ("", "") if decision == RETRACT else (retrieval, pdf)
    return row


def check_decision_log(path: Path, settings: StageSettings) -> list[Problem]:
    """Problems in one decision log of ``settings.stage`` (a reviewer's or ``resolutions.csv``),
    each with its line: the header, :func:`row_problems` of every row, the timestamps,
    and rows naming another reviewer than the file's."""
    resolution = path.stem == RESOLUTIONS
    expected = RESOLUTION_COLUMNS if resolution else log_columns(settings.stage)

    def problems(row: dict[str, str]) -> list[RowProblem | str]:
        found: list[RowProblem | str] = list(row_problems(row, settings, resolution=resolution))
        reviewer = row.get("reviewer", "").strip()
        if not resolution and reviewer and reviewer != path.stem:
            found.append(f"reviewer {reviewer!r} differs from the file's reviewer {path.stem!r} (each reviewer writes only their own log)")
        return found

    return check_log_rows(path, expected, problems, "record_id", allow_extra=settings.stage == "full_text")


def record_decision(
    project: Project,
    stage: str,
    reviewer: str,
    record_id: str,
    decision: str,
    reason: str = "",
    note: str = "",
    retrieval: str = "",
    pdf: str = "",
    *,
    settings: StageSettings | None = None,
) -> dict[str, str]:
    """Validate one decision and append it to the reviewer's log (flushed to disk at once).

    Returns the row written.
    """
    settings = settings or load_stage_settings(project, stage)
    row = make_row(settings, reviewer, record_id, decision, reason, note, retrieval, pdf)
    append_rows(log_path(project, stage, reviewer), [row], log_columns(stage))
    return row


def append_row(project: Project, stage: str, row: Mapping[str, Any]) -> None:
    """Append an already validated row (e.g. a previous decision restored by undo)."""
    append_rows(log_path(project, stage, str(row["reviewer"])), [dict(row)], log_columns(stage))


def read_reviewer_log(project: Project, stage: str, reviewer: str) -> pd.DataFrame:
    """Every row the reviewer wrote at ``stage``, in order (empty when none)."""
    return read_log(log_path(project, stage, reviewer), log_columns(stage))


def reviewers_with_logs(project: Project, stage: str) -> list[str]:
    """Names of the reviewers who have a log at ``stage`` (sorted). A language model's log
    (``assist-<model>.csv``) counts only when ``review.yml`` lists the model as a reviewer;
    the log of a reviewer who left the stage (:mod:`.team`) does not count."""
    folder = project.screening_dir(check_stage(stage))
    if not folder.is_dir():
        return []
    left = left_reviewers(project, stage)
    names = sorted(p.stem for p in folder.glob("*.csv") if p.stem != RESOLUTIONS and p.stem not in left)
    if any(is_model_reviewer(name) for name in names):
        listed = set(load_stage_settings(project, stage).screeners)
        names = [name for name in names if not is_model_reviewer(name) or name in listed]
    return names


def _latest_effective(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    if df.empty:
        return df.reset_index(drop=True)
    last = df.drop_duplicates(subset=keys, keep="last")
    return last[last["decision"] != RETRACT].reset_index(drop=True)


def _map_ids(df: pd.DataFrame, clusters: pd.DataFrame | None) -> pd.DataFrame:
    if clusters is None or df.empty:
        return df
    mapping = dict(zip(clusters["record_id"].astype(str), clusters["cluster_id"].astype(str)))
    df = df.copy()
    df["record_id"] = df["record_id"].map(lambda rid: mapping.get(rid, rid))
    return df


def all_log_rows(project: Project, stage: str, reviewers: list[str] | None = None) -> pd.DataFrame:
    """The rows of every reviewer's log at ``stage`` (file by file, in order)."""
    names = reviewers if reviewers is not None else reviewers_with_logs(project, stage)
    frames = [read_reviewer_log(project, stage, r) for r in names]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in log_columns(stage)})
    return pd.concat(frames, ignore_index=True)


def current_decisions(
    project: Project,
    stage: str,
    reviewer: str | None = None,
    clusters: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each reviewer's current decision per record (latest row wins; retracted ones dropped).

    Columns are the log's; one row per (reviewer, record_id). With ``reviewer``, only that
    reviewer's. With ``clusters`` (``record_id, cluster_id``), ids are mapped to clusters first.
    """
    rows = all_log_rows(project, stage, [reviewer] if reviewer else None)
    rows = _map_ids(rows, clusters)
    out = _latest_effective(rows, ["reviewer", "record_id"])
    return out.sort_values(["reviewer", "record_id"], kind="stable").reset_index(drop=True)


def read_resolutions(project: Project, stage: str, clusters: pd.DataFrame | None = None) -> pd.DataFrame:
    """The latest resolution per record at ``stage`` (empty when none)."""
    rows = read_log(resolutions_path(project, stage), RESOLUTION_COLUMNS)
    return _latest_effective(_map_ids(rows, clusters), ["record_id"])


def _agreed_reason(reasons: list[str]) -> str:
    counts = Counter(r for r in reasons if r)
    if not counts:
        return ""
    best = max(counts.values())
    return next(r for r in reasons if counts.get(r) == best)


def final_decisions(project: Project, stage: str, clusters: pd.DataFrame | None = None, *, humans_only: bool = False) -> pd.DataFrame:
    """One row per screened record: ``record_id, decision, reason, retrieval``.

    A record's decision is the resolution in ``resolutions.csv`` if there is one, else the
    reviewers' decision when they agree (or only one has screened it), else ``conflict``.
    A language model listed as a reviewer never decides alone: a record only models have
    screened has no decision yet. ``humans_only``: leave the models' decisions out.
    Reasons: the resolution's, else the reason most reviewers gave (ties: the first
    reviewer in alphabetical order). ``retrieval`` (full text only, else empty) is
    ``not_retrieved`` for an exclusion that a reviewer logged as not retrieved, else
    ``retrieved``. Sorted by ``record_id``.
    """
    current = current_decisions(project, stage, clusters=clusters)
    by_model = current["reviewer"].map(is_model_reviewer).astype(bool)
    if humans_only:
        current, by_model = current[~by_model], by_model[~by_model]
    alone = set(current.loc[by_model, "record_id"]) - set(current.loc[~by_model, "record_id"])
    resolved = read_resolutions(project, stage, clusters=clusters).set_index("record_id")
    settings = load_stage_settings(project, stage)
    not_retrieved_reasons = set(settings.not_retrieved_reasons)
    out: list[dict[str, str]] = []
    ids = sorted((set(current["record_id"]) - alone) | set(resolved.index))
    by_record = {rid: grp for rid, grp in current.groupby("record_id", sort=False)} if not current.empty else {}
    for rid in ids:
        grp = by_record.get(rid)
        if rid in resolved.index:
            decision = resolved.at[rid, "decision"]
            reason = resolved.at[rid, "reason"]
        else:
            decisions = list(grp["decision"])
            if len(set(decisions)) == 1:
                decision = decisions[0]
                reason = _agreed_reason(list(grp["reason"]))
            else:
                decision, reason = CONFLICT, ""
        retrieval = ""
        if stage == "full_text":
            logged_nr = grp is not None and (grp["retrieval"] == "not_retrieved").any()
            nr = decision == "exclude" and (logged_nr or reason in not_retrieved_reasons)
            retrieval = "not_retrieved" if nr else "retrieved"
        out.append({"record_id": rid, "decision": decision, "reason": reason, "retrieval": retrieval})
    return pd.DataFrame(out, columns=FINAL_COLUMNS)


def decisions_side_by_side(
    project: Project, stage: str, clusters: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per record screened by anyone; columns ``decision_<reviewer>``,
    ``reason_<reviewer>``, ``note_<reviewer>`` (empty where a reviewer has not screened it)."""
    current = current_decisions(project, stage, clusters=clusters)
    if current.empty:
        return pd.DataFrame({"record_id": pd.Series(dtype="object")})
    wide = current.pivot(index="record_id", columns="reviewer", values=["decision", "reason", "note"])
    wide.columns = [f"{field}_{reviewer}" for field, reviewer in wide.columns]
    reviewers = sorted(current["reviewer"].unique())
    cols = [f"{f}_{r}" for r in reviewers for f in ("decision", "reason", "note")]
    return wide[cols].fillna("").reset_index().sort_values("record_id").reset_index(drop=True)


def reviewer_progress(project: Project, stage: str) -> pd.DataFrame:
    """Counts per reviewer at ``stage``: ``reviewer, screened, include, exclude, maybe``
    (counts only, so it can be shown while screening is blinded)."""
    current = current_decisions(project, stage)
    rows = []
    for name, grp in current.groupby("reviewer", sort=True):
        counts = grp["decision"].value_counts()
        rows.append({"reviewer": name, "screened": len(grp), **{d: int(counts.get(d, 0)) for d in DECISIONS}})
    return pd.DataFrame(rows, columns=["reviewer", "screened", *DECISIONS])
