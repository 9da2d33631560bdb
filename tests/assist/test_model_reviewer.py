"""The model counts as a reviewer only when review.yml lists it; it never excludes alone."""

from __future__ import annotations

import yaml

from reviewbench.assist.log import append_screening_row, screening_row
from reviewbench.screening.agreement import pairwise_agreement
from reviewbench.screening.conflicts import conflicts
from reviewbench.screening.criteria import load_stage_settings, model_reviewer_name
from reviewbench.screening.decisions import final_decisions, record_decision, reviewers_with_logs
from reviewbench.validate import validate_project

STAGE = "title_abstract"
MODEL = "org/model:7b"
NAME = "assist-org-model-7b"
SHA = "0" * 64


def _model_says(project, record_id, decision, reason=""):
    settings = load_stage_settings(project, STAGE)
    row = screening_row(settings, NAME, MODEL, record_id, SHA, "{}", decision, reason, "I1: because")
    append_screening_row(project, STAGE, row)


def _list_model(project):
    review = yaml.safe_load(project.review_file.read_text())
    review["reviewers"][NAME] = {"name": "a language model", "role": "screener"}
    project.review_file.write_text(yaml.safe_dump(review, sort_keys=False))


def _setup(project):
    record_decision(project, STAGE, "alex", "r1", "include")
    record_decision(project, STAGE, "alex", "r2", "include")
    _model_says(project, "r1", "include")
    _model_says(project, "r2", "exclude", "wrong_population")
    _model_says(project, "r3", "exclude", "wrong_population")


def test_the_model_reviewer_name_is_a_file_name():
    assert model_reviewer_name(MODEL) == NAME
    assert model_reviewer_name("gpt-4o-mini") == "assist-gpt-4o-mini"


def test_an_unlisted_model_is_no_reviewer(screening_project):
    _setup(screening_project)
    assert reviewers_with_logs(screening_project, STAGE) == ["alex"]
    final = final_decisions(screening_project, STAGE)
    assert list(zip(final["record_id"], final["decision"])) == [("r1", "include"), ("r2", "include")]
    assert conflicts(screening_project, STAGE).empty
    assert pairwise_agreement(screening_project, STAGE).empty
    assert validate_project(screening_project) == []


def test_a_listed_model_disagrees_like_a_person_and_never_decides_alone(screening_project):
    _setup(screening_project)
    _list_model(screening_project)
    assert reviewers_with_logs(screening_project, STAGE) == ["alex", NAME]
    final = dict(zip(*final_decisions(screening_project, STAGE)[["record_id", "decision"]].T.values))
    assert final == {"r1": "include", "r2": "conflict"}  # r3: only the model has screened it
    assert list(conflicts(screening_project, STAGE)["record_id"]) == ["r2"]  # goes to the arbiter
    humans = final_decisions(screening_project, STAGE, humans_only=True)
    assert list(humans["decision"]) == ["include", "include"]
    table = pairwise_agreement(screening_project, STAGE)
    assert list(zip(table["reviewer_a"], table["reviewer_b"], table["n"])) == [("alex", NAME, 2)]
    assert validate_project(screening_project) == []


def test_validate_names_a_broken_model_log_row(screening_project):
    _model_says(screening_project, "r1", "include")
    path = screening_project.screening_log_file(STAGE, NAME)
    with path.open("a") as fh:
        fh.write(f"r2,exclude,not_a_reason,,{NAME},2026-01-01T00:00:00Z,{MODEL},abc,{{}}\n")
    messages = [str(p) for p in validate_project(screening_project)]
    assert any("line 3" in m and "not an exclusion reason" in m for m in messages)
    assert any("line 3" in m and "prompt_sha256 is not a SHA-256" in m for m in messages)


def test_a_listed_model_is_never_offered_as_someone_to_screen_or_code_as(screening_project):
    from reviewbench.coding.app import coders
    from reviewbench.screening.criteria import reviewer_choices

    _list_model(screening_project)
    assert NAME in load_stage_settings(screening_project, STAGE).screeners  # it screens, through `assist screen`
    assert NAME not in [name for _label, name in reviewer_choices(screening_project)]
    assert NAME not in coders(screening_project)
    assert "alex" in coders(screening_project)
