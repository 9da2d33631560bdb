"""Stopping title/abstract screening early: the log, the controller, the button and validate."""

from __future__ import annotations

import pytest

from reviewbench.errors import ParameterError
from reviewbench.pipeline import screening_records
from reviewbench.screening.session import ScreeningController
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
    assert c.can_stop()
    row = c.stop_screening(note="team agreed")
    assert (row["criterion"], row["screened"], row["estimated_recall"], row["note"]) == ("fake", "3", "0.7500", "team agreed")
    assert c.stopped()
    c.resume_screening()
    assert not c.stopped()
    full_text = ScreeningController(project, "full_text", "alex", records, order="file")
    assert not full_text.can_stop()


def test_the_stop_button_shows_when_the_rule_says_stop_and_then_offers_resume(project, records):
    c = ScreeningController(project, "title_abstract", "alex", records, order="active", ranker_factory=FakeRanker, background=False)
    v = ScreeningView(c)
    assert v.b_stop.layout.display == "none"
    for _ in range(3):
        v.b_include.click()
    c.wait_for_ranking()
    v.refresh()
    assert v.b_stop.layout.display == "" and v.b_stop.description == "Stop screening here"
    v.note.value = "stopping point reached"
    v.b_stop.click()
    assert current_stops(project)["title_abstract"]["note"] == "stopping point reached"
    assert "automation tools" in v.message.value
    assert v.b_stop.description == "Resume screening"
    v.b_stop.click()
    assert current_stops(project) == {} and "resumed" in v.message.value


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
    assert c.can_start_sample() and not c.in_random_sample()
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


def test_the_sample_button_shows_while_ranking_and_goes_once_sampling(project, records):
    c = ScreeningController(project, "title_abstract", "alex", records, order="active", ranker_factory=FakeRanker, background=False)
    v = ScreeningView(c)
    v.b_include.click()
    c.wait_for_ranking()
    v.refresh()
    assert v.b_sample.layout.display == ""
    v.b_sample.click()
    assert sample_start(project, "title_abstract", "alex") == 1 and "Random sample started" in v.message.value
    assert v.b_sample.layout.display == "none"


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
