"""The team of a stage: a reviewer listed after screening began joins only once confirmed."""

from __future__ import annotations

import pytest
import yaml

from reviewbench.errors import ReviewbenchError
from reviewbench.screening.conflicts import blinding, stage_team
from reviewbench.screening.decisions import final_decisions, record_decision
from reviewbench.screening.session import ScreeningController, join_action
from reviewbench.screening.views import ScreeningView
from reviewbench.screening.team import check_team_log, team_log_path


def _add_screener(project, name):
    path = project.evidence / "review.yml"
    review = yaml.safe_load(path.read_text(encoding="utf-8"))
    review["reviewers"][name] = {"name": "Reviewer D", "role": "screener"}
    path.write_text(yaml.safe_dump(review, sort_keys=False), encoding="utf-8")


def _both_finish(project, records):
    ids = list(records["record_id"])
    for rid in ids:
        record_decision(project, "title_abstract", "alex", rid, "include")
        record_decision(project, "title_abstract", "sam", rid, "include")
    return ids


def test_a_screener_added_after_work_began_changes_nothing_until_confirmed(project, records):
    ids = _both_finish(project, records)
    _add_screener(project, "kim")
    team = stage_team(project, "title_abstract")
    assert team.members == ("alex", "sam") and team.pending == ("kim",) and team.began
    kim = ScreeningView(ScreeningController(project, "title_abstract", "kim", records, order="file"))
    assert kim.b_include.disabled and kim.confirm.layout.display == ""  # the app asks first
    with pytest.raises(ReviewbenchError, match="join the stage first"):
        kim.controller.include()
    assert not (project.screening_dir("title_abstract") / "kim.csv").exists()
    action = kim.confirm.action
    assert action.name == "join" and action is not None
    assert action.allowed
    said = " ".join(action.changes)
    assert "Blinding holds again for the whole team" in said and "12 records have a decision now" in said
    assert "go on to full-text assessment" in said
    assert not team_log_path(project).exists()
    kim.confirm.note.value = "asked to help"
    kim.confirm.b_confirm.click()
    assert not kim.b_include.disabled
    row = action.done
    assert (row["action"], row["reviewer"], row["by"], row["note"]) == ("join", "kim", "kim", "asked to help")
    assert stage_team(project, "title_abstract").members == ("alex", "kim", "sam")
    assert blinding(project, "title_abstract", ids).holds
    action.undo()  # an appended leave row: the team is as before
    assert stage_team(project, "title_abstract").members == ("alex", "sam")
    assert not blinding(project, "title_abstract", ids).holds
    lines = team_log_path(project).read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[1] for line in lines[1:]] == ["join", "leave"] and check_team_log(team_log_path(project)) == []


def test_a_reviewer_who_left_no_longer_counts(project, records):
    ids = _both_finish(project, records)
    _add_screener(project, "kim")
    action = join_action(project, "title_abstract", "kim", "alex", ids)
    action.confirm()
    for rid in ids:
        record_decision(project, "title_abstract", "kim", rid, "exclude")
    assert (final_decisions(project, "title_abstract")["decision"] == "conflict").all()
    action.undo()
    assert (final_decisions(project, "title_abstract")["decision"] == "include").all()


def test_joining_is_refused_for_a_member_or_someone_not_listed(project, records):
    ids = _both_finish(project, records)
    assert not join_action(project, "title_abstract", "alex", "alex", ids).allowed
    nobody = join_action(project, "title_abstract", "zed", "alex", ids)
    assert "not a screener in review.yml" in nobody.why_not
    with pytest.raises(ReviewbenchError, match="not a screener"):
        nobody.confirm()
    assert not team_log_path(project).exists()
