"""Conflicts side by side, resolutions and blinding."""

from __future__ import annotations

import pytest

from reviewbench.errors import ParameterError
from reviewbench.logs import read_log
from reviewbench.screening.conflicts import blinding_lifted, conflicts, resolve_conflict, screeners
from reviewbench.screening.decisions import RESOLUTION_COLUMNS, final_decisions, record_decision, resolutions_path


def test_conflicts_side_by_side_until_resolved(project):
    st = "title_abstract"
    record_decision(project, st, "alex", "r1", "include", note="UK study")
    record_decision(project, st, "sam", "r1", "exclude", reason="wrong_outcome")
    record_decision(project, st, "alex", "r2", "include")
    record_decision(project, st, "sam", "r2", "include")
    table = conflicts(project, st)
    assert table["record_id"].tolist() == ["r1"]
    row = table.iloc[0]
    assert (row["decision_alex"], row["note_alex"], row["decision_sam"], row["reason_sam"]) == (
        "include", "UK study", "exclude", "wrong_outcome")
    resolve_conflict(project, st, "r1", "include", "jo", note="resolved by discussion")
    assert conflicts(project, st).empty
    assert conflicts(project, st, include_resolved=True)["resolved_by"].tolist() == ["jo"]
    log = read_log(resolutions_path(project, st), RESOLUTION_COLUMNS)
    assert log[["record_id", "decision", "reviewer", "note"]].values.tolist() == [
        ["r1", "include", "jo", "resolved by discussion"]]


def test_full_text_resolution_of_an_exclusion_needs_a_reason(project):
    with pytest.raises(ParameterError):
        resolve_conflict(project, "full_text", "r1", "exclude", "jo")
    resolve_conflict(project, "full_text", "r1", "exclude", "jo", reason="wrong_design")
    assert resolutions_path(project, "full_text").read_text().splitlines()[0] == ",".join(RESOLUTION_COLUMNS)
    assert final_decisions(project, "full_text").iloc[0]["reason"] == "wrong_design"


def test_blinding_lifts_when_every_screener_has_screened_every_record(project):
    st = "title_abstract"
    assert screeners(project, st) == ["alex", "sam"]  # jo is the arbiter
    ids = ["r1", "r2"]
    record_decision(project, st, "alex", "r1", "include")
    record_decision(project, st, "alex", "r2", "include")
    record_decision(project, st, "sam", "r1", "include")
    assert not blinding_lifted(project, st, ids)
    record_decision(project, st, "sam", "r2", "exclude")
    assert blinding_lifted(project, st, ids)
    record_decision(project, st, "sam", "r2", "retract")  # withdrawn: blinded again
    assert not blinding_lifted(project, st, ids)
