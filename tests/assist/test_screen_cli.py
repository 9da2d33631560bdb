"""`reviewbench assist screen` and `assist evaluate` on the example review, against the local server."""

from __future__ import annotations

import pytest

from reviewbench.cli import main
from reviewbench.pipeline import screening_records
from reviewbench.validate import validate_project

from .conftest import KEY, MODEL, point_at

STAGE = "title_abstract"


def _screen(project, *extra: str) -> int:
    return main(["assist", "screen", "--stage", STAGE, "--project", str(project.root), *extra])


def _log(project):
    return project.screening_log_file(STAGE, "assist-fake-llama-3-8b")


def _rows(project) -> list[str]:
    return _log(project).read_text(encoding="utf-8").splitlines()[1:]


@pytest.mark.slow
def test_screen_writes_one_row_per_record_and_a_second_run_makes_no_request(assist_project, llm_server, capsys):
    records, _ = screening_records(assist_project, STAGE)
    assert _screen(assist_project) == 0
    rows = _rows(assist_project)
    assert len(rows) == len(records) == 71
    assert sorted(r.split(",", 1)[0] for r in rows) == sorted(records["record_id"])
    assert len(llm_server.requests()) == 71
    out = capsys.readouterr()
    assert "71 asked, 71 answered" in out.out and "tokens" in out.err  # the progress bar counts tokens

    assert _screen(assist_project) == 0
    assert len(llm_server.requests()) == 71, "a second run asked the model again"
    assert "71 already answered in the log, 0 asked" in capsys.readouterr().out
    assert len(_rows(assist_project)) == 71
    assert validate_project(assist_project) == []


@pytest.mark.slow
def test_evaluate_prints_the_table_from_the_log_alone(assist_project, llm_server, capsys):
    assert _screen(assist_project) == 0
    asked = len(llm_server.requests())
    capsys.readouterr()
    assert main(["assist", "evaluate", "--stage", STAGE, "--project", str(assist_project.root)]) == 0
    out = capsys.readouterr().out
    assert len(llm_server.requests()) == asked
    assert f"Model {MODEL} against the team's consensus" in out
    for measure in ("records compared", "sensitivity", "specificity", "Cohen's kappa", "wrongly excluded"):
        assert measure in out
    # The fake model keeps what names sex work: 52 of the 57 records the team kept, 2 of 14 excluded.
    assert "0.91 (0.81 to 0.96; 52/57)" in out and "2/14" in out
    assert "Records the model would have wrongly excluded (5):" in out and "handsearch-9968b2f4a6" in out


@pytest.mark.slow
def test_a_killed_server_loses_no_received_answer(assist_project, llm_server, start_server, capsys):
    llm_server.set_plan(die_after=10)
    assert _screen(assist_project) == 2
    err = capsys.readouterr().err
    messages = [line for line in err.splitlines() if "error:" in line]
    assert len(messages) == 1 and "did not answer" in messages[0] and "every answer received (10 in this run)" in messages[0]
    assert not llm_server.alive()
    assert len(_rows(assist_project)) == 10

    second = start_server()
    point_at(assist_project, second.url)
    assert _screen(assist_project) == 0
    assert len(second.requests()) == 61, "answers received before the crash were asked again"
    assert len(_rows(assist_project)) == 71


@pytest.mark.slow
def test_no_output_or_log_contains_the_key(assist_project, llm_server, capsys):
    llm_server.set_plan(faults={"2": "500", "3": "429"}, die_after=5)
    assert _screen(assist_project) == 2
    main(["assist", "evaluate", "--stage", STAGE, "--project", str(assist_project.root)])
    main(["validate", "--project", str(assist_project.root)])
    out = capsys.readouterr()
    assert all(r["auth"] == f"Bearer {KEY}" for r in llm_server.requests()), "the key was not sent"
    assert KEY not in out.out and KEY not in out.err
    for path in assist_project.root.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_limit_asks_about_at_most_n_records(assist_project, llm_server, capsys):
    assert _screen(assist_project, "--limit", "3") == 0
    assert len(llm_server.requests()) == 3 and len(_rows(assist_project)) == 3
    assert _screen(assist_project, "--limit", "2") == 0
    assert len(_rows(assist_project)) == 5
    assert "3 already answered in the log, 2 asked" in capsys.readouterr().out


def test_screen_without_an_assist_block_says_what_to_add(example_copy, capsys):
    assert main(["assist", "screen", "--stage", STAGE, "--project", str(example_copy)]) == 2
    err = capsys.readouterr().err
    assert "has no 'assist:' block" in err and "base_url and model" in err


def test_a_missing_key_variable_is_named(assist_project, llm_server, monkeypatch, capsys):
    monkeypatch.delenv("REVIEWBENCH_TEST_LLM_KEY")
    assert _screen(assist_project) == 2
    assert "REVIEWBENCH_TEST_LLM_KEY is not set" in capsys.readouterr().err
    assert llm_server.requests() == []
