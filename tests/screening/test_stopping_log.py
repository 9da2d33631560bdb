"""Stopping title/abstract screening early: the log, the controller, the button and validate."""

from __future__ import annotations

import pytest

from reviewbench.errors import ParameterError
from reviewbench.pipeline import screening_records
from reviewbench.screening.session import ScreeningController, sample_rule
from reviewbench.screening.session.actions import sample_run_needed
from reviewbench.screening.stopping_log import (
    STOP_COLUMNS,
    check_stopping_log,
    current_stops,
    record_sample_start,
    record_stop,
    sample_start,
    stopping_log_path,
)
from reviewbench.screening.views import ScreeningView
from reviewbench.validate import validate_project

from .fakes import FakeRanker  # stops once it has seen three labels


def test_the_latest_row_per_stage_is_in_force_and_resume_withdraws_a_stop(project):
    assert current_stops(project) == {}
    row = record_stop(project, "title_abstract", "alex", criterion="heuristic", estimated_recall=0.97, screened=40, note="agreed in meeting")
    assert current_stops(project)["title_abstract"]["screened"] == "40" and row["estimated_recall"] == "0.9700"
    record_stop(project, "title_abstract", "sam", resume=True)
    assert current_stops(project) == {}
    lines = stopping_log_path(project).read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(STOP_COLUMNS) and len(lines) == 3  # appended, never rewritten


@pytest.mark.parametrize("kwargs", [{"stage": "full_text"}, {"estimated_recall": 1.5}, {"screened": -1}, {"reviewer": "a b"}])
def test_a_bad_stop_is_refused_before_anything_is_written(project, kwargs):
    args = {"stage": "title_abstract", "reviewer": "alex", **kwargs}
    with pytest.raises(ParameterError):
        record_stop(project, args.pop("stage"), args.pop("reviewer"), **args)
    assert not stopping_log_path(project).exists()


def test_a_hand_edited_log_is_checked_line_by_line(project):
    path = stopping_log_path(project)
    record_stop(project, "title_abstract", "alex")
    with path.open("a", encoding="utf-8") as fh:
        fh.write('full_text,stop,,2,x,alex,"two\nlines",2026-01-01T00:00:00Z\n')
        fh.write("title_abstract,pause,,,,,,yesterday\n")
    problems = check_stopping_log(path)
    messages = [(p.line, p.message) for p in problems]
    assert (3, "stage 'full_text' cannot be stopped early (only title_abstract)") in messages
    assert (3, "estimated_recall '2' is not a share between 0 and 1") in messages
    assert (3, "screened 'x' is not a number of records") in messages
    assert any(line == 5 and "'pause'" in m for line, m in messages)
    assert any(line == 5 and "no reviewer" in m for line, m in messages)
    assert any(line == 5 and "timestamp" in m for line, m in messages)
    assert any(p.path.endswith("stopping.csv") and p.line == 3 for p in validate_project(project))


def test_the_controller_stops_with_what_the_stopping_rule_says(project, records):
    c = ScreeningController(project, "title_abstract", "alex", records, order="active", ranker_factory=FakeRanker, background=False)
    assert not c.can_stop() and not c.stopped()
    for _ in range(3):
        c.include()
    c.wait_for_ranking()
    # the rule says stop for alex, but stopping is for the team: sam, listed, has not screened
    assert not c.can_stop() and "not yet for sam (0 screened)" in c.stop_check()[1]
    sam = ScreeningController(project, "title_abstract", "sam", records, order="active", ranker_factory=FakeRanker, background=False)
    sam.include(); sam.include()
    c.reload(); c._request_ranking(); c.wait_for_ranking()
    assert not c.can_stop() and "sam (2 screened)" in c.stop_check()[1]
    sam.include()
    c._request_ranking(); c.wait_for_ranking()
    assert c.can_stop()
    row = c.stop_screening(note="team agreed")
    assert (row["criterion"], row["screened"], row["estimated_recall"], row["note"]) == ("fake", "3", "0.7500", "team agreed")
    assert c.stopped()
    c.resume_screening()
    assert not c.stopped()
    full_text = ScreeningController(project, "full_text", "alex", records, order="file")
    assert not full_text.can_stop()


def _teammate_screens(project, records, n=3):
    sam = ScreeningController(project, "title_abstract", "sam", records, order="file", background=False)
    for _ in range(n):
        sam.include()


def test_the_stop_button_asks_first_is_logged_with_who_and_can_be_undone(project, records):
    _teammate_screens(project, records)
    c = ScreeningController(project, "title_abstract", "alex", records, order="active", ranker_factory=FakeRanker, background=False)
    v = ScreeningView(c)
    assert v.b_stop.layout.display == "none"
    for _ in range(3):
        v.b_include.click()
    c.wait_for_ranking()
    v.refresh()
    assert v.b_stop.layout.display == "" and v.b_stop.description == "Stop screening here"
    v.b_stop.click()  # asks: what it will change, Confirm / Cancel; nothing written yet
    assert not stopping_log_path(project).exists() and v.confirm.layout.display == ""
    assert "whole team" in v.confirm.text.value and "marked ineligible by automation tools" in v.confirm.text.value
    v.confirm.b_cancel.click()
    assert not stopping_log_path(project).exists() and v.confirm.layout.display == "none"
    v.b_stop.click()
    v.confirm.note.value = "stopping point reached"
    v.confirm.b_confirm.click()
    stop = current_stops(project)["title_abstract"]
    assert (stop["note"], stop["reviewer"]) == ("stopping point reached", "alex")
    assert v.b_stop.description == "Resume screening"
    v.confirm.b_undo.click()  # undo appends a resume row, the log keeps both
    assert current_stops(project) == {}
    lines = stopping_log_path(project).read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[1] for line in lines[1:]] == ["stop", "resume"] and lines[2].split(",")[5] == "alex"


def test_stop_is_not_offered_while_another_listed_screener_is_unfinished(project, records):
    c = ScreeningController(project, "title_abstract", "alex", records, order="active", ranker_factory=FakeRanker, background=False)
    v = ScreeningView(c)
    for _ in range(3):
        v.b_include.click()
    c.wait_for_ranking()
    v.refresh()
    assert c.progress().stop and v.b_stop.layout.display == "none"
    with pytest.raises(Exception, match="not yet for sam"):
        c.team_action("stop").confirm()
    assert not stopping_log_path(project).exists()


def test_a_random_sample_is_per_reviewer_and_does_not_touch_a_stop(project):
    record_stop(project, "title_abstract", "alex")
    record_sample_start(project, "title_abstract", "sam", 12, note="most relevant found")
    assert sample_start(project, "title_abstract", "sam") == 12
    assert sample_start(project, "title_abstract", "alex") is None
    assert "title_abstract" in current_stops(project)  # a sample row is not a resume
    with stopping_log_path(project).open("a", encoding="utf-8") as fh:
        fh.write("title_abstract,sample,,,,alex,,2026-01-01T00:00:00Z\n")
    assert any(p.line == 4 and "needs 'screened'" in p.message for p in check_stopping_log(stopping_log_path(project)))


def test_the_random_sample_reaches_the_ranker_and_survives_a_restart(project, records):
    c = ScreeningController(project, "title_abstract", "alex", records, order="active", ranker_factory=FakeRanker, background=False)
    assert not ScreeningController(project, "title_abstract", "jo", records, order="file").can_start_sample()  # no ranking
    c.include()
    c.wait_for_ranking()
    assert not c.can_start_sample() and not c.in_random_sample()  # one decision: the ranking has not run dry
    row = c.start_random_sample(note="ranking has found the obvious ones")
    assert row["screened"] == "1" and c.in_random_sample() and not c.can_start_sample()
    c.exclude(reason="wrong_population")
    c.wait_for_ranking()
    assert c.ranker.sample_start == 1
    assert "random sample for the stopping test (since decision 1)" in c.progress().summary()
    again = ScreeningController(project, "title_abstract", "alex", records, order="active", ranker_factory=FakeRanker, background=False)
    again.wait_for_ranking()
    assert again.in_random_sample() and again.ranker.sample_start == 1
    other = ScreeningController(project, "title_abstract", "sam", records, order="active", ranker_factory=FakeRanker, background=False)
    assert not other.in_random_sample()


def test_the_sample_rule_waits_for_the_ranking_to_run_dry():
    assert sample_rule([], 4300) == (False, sample_rule([], 4300)[1]) and "included a record" in sample_rule([], 4300)[1]
    early = [1, 0, 1] + [0] * 14  # 17 decisions: the ranking is still finding records
    allowed, why = sample_rule(early, 4300)
    assert not allowed and f"{sample_run_needed(4300)} records in a row" in why and "(now 14)" in why
    assert sample_run_needed(4300) == 215 and sample_run_needed(71) == 50  # the engine's consecutive-irrelevant run
    assert sample_rule([1] + [0] * 50, 71) == (True, "")
    assert not sample_rule([1] + [0] * 49, 71)[0]


def test_the_sample_button_shows_once_the_rule_allows_asks_and_undoes(project, records, monkeypatch):
    from reviewbench.screening.session import actions

    monkeypatch.setattr(actions, "default_run_length", lambda total: 2)  # the tiny project never runs 50 dry
    c = ScreeningController(project, "title_abstract", "alex", records, order="active", ranker_factory=FakeRanker, background=False)
    v = ScreeningView(c)
    v.b_include.click()
    c.wait_for_ranking()
    v.refresh()
    assert v.b_sample.layout.display == "none"
    v.reason.value = "wrong_population"
    v.b_exclude.click()
    v.reason.value = "wrong_population"
    v.b_exclude.click()
    c.wait_for_ranking()
    v.refresh()
    assert v.b_sample.layout.display == ""
    v.b_sample.click()
    assert sample_start(project, "title_abstract", "alex") is None and "random order" in v.confirm.text.value
    v.confirm.b_confirm.click()
    assert sample_start(project, "title_abstract", "alex") == 3 and c.in_random_sample()
    assert v.b_sample.layout.display == "none"
    v.confirm.b_undo.click()
    assert sample_start(project, "title_abstract", "alex") is None and not c.in_random_sample()
    decisions = [line.split(",")[1] for line in stopping_log_path(project).read_text(encoding="utf-8").splitlines()[1:]]
    assert decisions == ["sample", "unsample"]


def test_the_real_ranker_ranks_at_random_and_tests_the_sample_once_sampling(project):
    from reviewbench.screening.session import open_controller

    c = open_controller(project, "title_abstract", "alex", *screening_records(project, "title_abstract"),
                        order="active", calibration_n=0, background=False)
    c.include()
    c.start_random_sample()
    c.exclude(reason="wrong_population")
    c.wait_for_ranking()
    assert not c.ranker_error and c.ranker.sample_start == 1
    progress = c.progress()  # the hypergeometric test ran on the sample: one record in it, no stop yet
    assert progress.criterion == "hypergeometric" and progress.stop is False
    assert progress.estimated_recall is not None and "random sample" in progress.ranking
