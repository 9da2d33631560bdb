"""The screening app: who and which stage are picked from widgets; the arbiter gets the conflicts."""

from __future__ import annotations

from reviewbench.pipeline import screening_records
from reviewbench.screening.decisions import record_decision
from reviewbench.screening.views import ConflictsView, ScreeningApp, ScreeningView, team_progress


def app(project, **kw):
    return ScreeningApp(project, records_for=screening_records, order="file", **kw)


def test_pick_reviewer_and_stage_without_editing_a_cell(project):
    a = app(project, reviewer="")
    assert [v for _l, v in a.who.options] == ["", "alex", "sam", "jo"] and "Pick who you are" in a.body.children[0].value
    a.who.value = "alex"
    assert isinstance(a.view, ScreeningView) and a.view.controller.reviewer == "alex"
    a.stage.value = "full_text"
    assert a.view.controller.stage == "full_text"


def test_the_arbiter_gets_the_conflicts_not_a_screening_view_with_a_calibration_round(project):
    a = app(project, reviewer="jo")
    assert isinstance(a.view, ConflictsView) and "is blinded" in a.view.children[0].value


def test_the_team_progress_updates_while_screening_and_shows_counts_only_while_blinded(project, records):
    a = app(project, reviewer="alex")
    assert "<td>alex</td>\n      <td>0</td>" in a.progress.value
    a.view.b_include.click()
    assert "<td>alex</td>\n      <td>1</td>" in a.progress.value  # no re-run of a cell
    assert "include" not in a.progress.value  # counts of decisions would tell them while blinded
    ids = list(records["record_id"])
    for rid in ids:
        record_decision(project, "title_abstract", "alex", rid, "include")
        record_decision(project, "title_abstract", "sam", rid, "include")
    assert list(team_progress(project, "title_abstract", records).columns) == ["reviewer", "screened", "of", "include", "exclude", "maybe"]
