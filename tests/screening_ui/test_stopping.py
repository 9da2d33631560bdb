"""Stopping title/abstract screening early: the log, the controller, the button and validate."""

from __future__ import annotations

import pytest

from reviewbench.errors import ParameterError
from reviewbench.screening.controller import ScreeningController
from reviewbench.screening.stopping_log import (
    STOP_COLUMNS,
    check_stopping_log,
    current_stops,
    record_stop,
    stopping_log_path,
)
from reviewbench.screening.widget import ScreeningView
from reviewbench.validate import validate_project

from .test_controller import FakeRanker  # stops once it has seen three labels


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
