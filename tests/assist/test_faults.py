"""Timeouts, 429 and 5xx retried with bounded backoff; malformed answers logged and retried at most twice."""

from __future__ import annotations

import pandas as pd
import pytest

from reviewbench.assist.client import ChatClient
from reviewbench.assist.config import load_assist_settings
from reviewbench.assist.log import MAX_ATTEMPTS, read_screening_log
from reviewbench.assist.screen import screen
from reviewbench.errors import AssistError

from .conftest import KEY, KEY_ENV, point_at

RECORDS = pd.DataFrame({
    "record_id": ["r1", "r2", "r3"],
    "title": ["Health needs of sex workers in Leeds", "Membrane trafficking in yeast", "Street-based sex work and violence"],
    "abstract": ["Interviews with women who sell sex.", "A cell biology study.", ""],
})


@pytest.fixture
def project(screening_project, llm_server, monkeypatch):
    monkeypatch.setenv(KEY_ENV, KEY)
    point_at(screening_project, llm_server.url)
    return screening_project


def _run(project, records=RECORDS, waits=None, **kwargs):
    settings = load_assist_settings(project)
    client = ChatClient(settings, sleep=(waits.append if waits is not None else lambda _s: None))
    return screen(project, "title_abstract", records, client, settings, progress=False, **kwargs), client


def _log(project):
    return read_screening_log(project, "title_abstract", "assist-fake-llama-3-8b")


def test_answers_are_decisions_with_their_criterion_and_reason(project, llm_server):
    run, _ = _run(project)
    log = _log(project)
    assert list(log["decision"]) == ["include", "exclude", "include"]
    assert log.loc[1, "reason"] == "wrong_population"  # an exclusion rests on an exclusion reason of review.yml
    assert log.loc[0, "note"] == "I1: The record is about people who sell sex."
    assert set(log["model"]) == {"fake/llama-3:8b"} and all(len(s) == 64 for s in log["prompt_sha256"])
    assert run.answered == 3 and run.requests == 3 and run.tokens > 0


def test_429_and_500_are_retried_with_growing_waits(project, llm_server):
    llm_server.set_plan(faults={"1": "429", "2": "500"})
    waits: list[float] = []
    run, client = _run(project, RECORDS.head(1), waits)
    assert run.answered == 1 and client.requests == 3
    assert waits == [0.01, 0.02]  # backoff, doubled (the 429's Retry-After: 0 is shorter)
    assert [r["fault"] for r in llm_server.requests()] == ["429", "500", ""]


def test_a_timeout_is_retried(project, llm_server):
    llm_server.set_plan(faults={"1": "timeout"}, timeout_sleep=1.5)
    run, client = _run(project, RECORDS.head(1))
    assert run.answered == 1 and client.requests == 2


def test_retries_are_bounded_and_end_in_one_message(project, llm_server):
    llm_server.set_plan(faults={str(n): "500" for n in range(1, 10)})
    with pytest.raises(AssistError) as err:
        _run(project, RECORDS.head(2))
    assert len(llm_server.requests()) == 3  # max_retries: 2
    message = str(err.value)
    assert "did not answer after 3 attempt(s): 500" in message and "Run the command again" in message
    assert _log(project).empty


def test_a_malformed_answer_is_logged_as_unparsed_and_retried_at_most_twice(project, llm_server):
    llm_server.set_plan(malformed_for=["Membrane trafficking"])
    run, _ = _run(project)
    log = _log(project)
    unparsed = log[log["record_id"] == "r2"]
    assert len(unparsed) == MAX_ATTEMPTS == 3
    assert set(unparsed["decision"]) == {"retract"}  # never stands as a decision
    assert all(n.startswith("unparsed: not JSON") for n in unparsed["note"])
    assert set(unparsed["answer"]) == {"Sure! I think this record should be included."}
    assert run.unparsed == 3 and run.failed == ["r2"] and run.answered == 2
    # The log alone says the question is settled: a second run asks nothing.
    before = len(llm_server.requests())
    again, _ = _run(project)
    assert len(llm_server.requests()) == before and again.asked == 0


def test_one_malformed_answer_then_a_good_one(project, llm_server):
    llm_server.set_plan(faults={"1": "malformed"})
    run, _ = _run(project, RECORDS.head(1))
    log = _log(project)
    assert list(log["decision"]) == ["retract", "include"] and run.unparsed == 1 and run.answered == 1


def test_a_changed_prompt_is_asked_again(project, llm_server):
    _run(project, RECORDS.head(1))
    changed = RECORDS.head(1).assign(abstract="Interviews with men who sell sex.")
    _run(project, changed)
    assert len(llm_server.requests()) == 2
    assert _log(project)["prompt_sha256"].nunique() == 2
