"""The assist: block of review.yml, the fixed answer shapes and the evaluation's arithmetic."""

from __future__ import annotations

import math

import pytest

from reviewbench.assist.config import assist_problems, assist_settings
from reviewbench.assist.evaluate import compare, wilson
from reviewbench.assist.prompts import (
    ScreeningCriteria,
    Unparsed,
    parse_screening_answer,
    prompt_sha256,
    screening_criteria,
    screening_messages,
)
from reviewbench.errors import AssistError, ValidationError
from reviewbench.project import load_located
from reviewbench.screening.criteria import stage_settings
from reviewbench.validate import validate_project

CRITERIA = ScreeningCriteria("q?", "Title and abstract", {"I1": "people who sell sex"}, {"wrong_population": "not them"})


def _doc(tmp_path, text):
    path = tmp_path / "review.yml"
    path.write_text(text)
    doc, problems = load_located(path)
    assert not problems
    return doc


@pytest.mark.parametrize("block, expected", [
    ("assist: {base_url: 'http://127.0.0.1:8080/v1', model: m}", []),
    ("assist: {model: m}", ["missing 'base_url'"]),
    ("assist: {base_url: 'ftp://x', model: m}", ["base_url must be the endpoint's URL"]),
    ("assist: {base_url: 'http://x/v1', model: m, api_key: sk-abc}", ["'api_key' must not be in review.yml"]),
    ("assist: {base_url: 'http://x/v1', model: m, api_key_env: sk-live-abc123}", ["never the key itself"]),
    ("assist: {base_url: 'http://x/v1', model: m, max_retries: 99, colour: red}", ["max_retries must be", "unknown key 'colour'"]),
    ("assist: [1, 2]", ["'assist' must be a mapping"]),
])
def test_assist_block_problems(tmp_path, block, expected):
    problems = [str(p) for p in assist_problems(_doc(tmp_path, f"title: t\nquestion: q\n{block}\n"))]
    assert len(problems) == len(expected)
    for message, want in zip(problems, expected):
        assert want in message and "line 3" in message
    assert not any("sk-" in m for m in problems)  # a key written by mistake is not repeated


def test_settings_defaults_and_errors(tmp_path, monkeypatch):
    settings = assist_settings(_doc(tmp_path, "assist: {base_url: 'http://127.0.0.1:1/v1', model: 'a b'}\n"))
    assert (settings.timeout, settings.max_retries, settings.json_mode, settings.reviewer) == (60.0, 4, True, "assist-a-b")
    assert settings.api_key() == "no-key"
    keyed = assist_settings(_doc(tmp_path, "assist: {base_url: 'http://x/v1', model: m, api_key_env: MY_KEY}\n"))
    monkeypatch.delenv("MY_KEY", raising=False)
    with pytest.raises(AssistError, match="MY_KEY is not set"):
        keyed.api_key()
    monkeypatch.setenv("MY_KEY", "secret")
    assert keyed.api_key() == "secret"
    with pytest.raises(ValidationError):
        assist_settings(_doc(tmp_path, "assist: {model: m}\n"))
    with pytest.raises(AssistError, match="no 'assist:' block"):
        assist_settings(_doc(tmp_path, "title: t\n"))


def test_validate_reports_the_assist_block(screening_project):
    with screening_project.review_file.open("a") as fh:
        fh.write("assist: {base_url: 'http://127.0.0.1:1/v1', model: m, api_key: oops}\n")
    assert any("'api_key' must not be in review.yml" in str(p) for p in validate_project(screening_project))


@pytest.mark.parametrize("answer, expected", [
    ('{"decision": "include", "criterion": "I1", "reason": "about sex work"}', ("include", "I1", "about sex work")),
    ('```json\n{"decision": "Exclude", "criterion": "wrong_population", "reason": "  clients\\n only "}\n```', ("exclude", "wrong_population", "clients only")),
    ('{"decision": "maybe", "criterion": "", "reason": "abstract missing"}', ("maybe", "", "abstract missing")),
])
def test_readable_answers(answer, expected):
    got = parse_screening_answer(answer, CRITERIA)
    assert (got.decision, got.criterion, got.reason) == expected


@pytest.mark.parametrize("answer, why", [
    ("I would include it.", "not JSON"),
    ("", "empty"),
    ("[1]", "not an object"),
    ('{"decision": "keep", "criterion": "I1", "reason": "x"}', "decision 'keep'"),
    ('{"decision": "exclude", "criterion": "I1", "reason": "x"}', "criterion 'I1' is not one of wrong_population"),
    ('{"decision": "include", "criterion": "I1"}', "no reason"),
])
def test_malformed_answers_say_what_is_wrong(answer, why):
    with pytest.raises(Unparsed, match=why):
        parse_screening_answer(answer, CRITERIA)


def test_the_prompt_is_the_reviews_own_and_stable():
    review = {"question": "What?", "eligibility": {"include": ["adults", "UK"]}, "exclusion_reasons": {"wrong_population": "not them"}}
    criteria = screening_criteria(review, stage_settings(review, "title_abstract"))
    assert criteria.include == {"I1": "adults", "I2": "UK"} and criteria.exclude == {"wrong_population": "not them"}
    record = {"title": "A title", "abstract": float("nan")}
    messages = screening_messages(criteria, record)
    assert "I2: UK" in messages[1]["content"] and "Abstract: (none)" in messages[1]["content"]
    assert prompt_sha256(messages) == prompt_sha256(screening_messages(criteria, dict(record)))
    assert prompt_sha256(messages) != prompt_sha256(screening_messages(criteria, {"title": "Another"}))


def test_wilson_interval_and_counts():
    p = wilson(52, 57)
    assert (round(p.low, 2), round(p.high, 2)) == (0.81, 0.96)
    assert math.isnan(wilson(0, 0).low)
    a = compare([True, True, False, False], [True, False, False, True])
    assert (a.tp, a.fn, a.tn, a.fp) == (1, 1, 1, 1) and a.kappa.kappa == pytest.approx(0.0)


def test_an_answer_longer_than_a_log_cell_is_kept_shortened() -> None:
    """A model that answers with 200,000 characters does not stop the run; the log says it was cut."""
    from reviewbench.assist.log import fit_cell
    from reviewbench.logs import MAX_CELL_CHARS

    long = "x" * 200_000
    kept = fit_cell(long)
    assert len(kept) <= MAX_CELL_CHARS and "cut: the first" in kept and "200,000" in kept
    assert fit_cell("short answer") == "short answer"
