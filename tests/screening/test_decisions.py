"""Decision logs: validation, current decisions, final decisions (contract in DESIGN.md)."""

from __future__ import annotations

import pandas as pd
import pytest

from reviewbench.errors import ParameterError
from reviewbench.logs import read_log
from reviewbench.screening.decisions import (
    FINAL_COLUMNS,
    FULL_TEXT_COLUMNS,
    SCREENING_COLUMNS,
    current_decisions,
    final_decisions,
    log_path,
    record_decision,
    reviewer_progress,
)
from reviewbench.screening.conflicts import resolve_conflict


def decide(project, stage, reviewer, rid, decision, **kw):
    return record_decision(project, stage, reviewer, rid, decision, **kw)


def test_decision_is_appended_with_the_contract_columns(project):
    decide(project, "title_abstract", "alex", "r1", "include", note="looks relevant")
    decide(project, "title_abstract", "alex", "r2", "exclude", reason="wrong_outcome")
    path = project.screening_dir("title_abstract") / "alex.csv"
    assert path.read_text().splitlines()[0] == ",".join(SCREENING_COLUMNS)
    log = read_log(path, SCREENING_COLUMNS)
    assert log[["record_id", "decision", "reason", "note", "reviewer"]].values.tolist() == [
        ["r1", "include", "", "looks relevant", "alex"],
        ["r2", "exclude", "wrong_outcome", "", "alex"],
    ]
    assert log["timestamp"].str.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$").all()


def test_full_text_log_has_retrieval_and_pdf_columns(project):
    decide(project, "full_text", "sam", "r1", "include", retrieval="retrieved", pdf="pdfs/r1.pdf")
    path = log_path(project, "full_text", "sam")
    assert path.read_text().splitlines()[0] == ",".join(FULL_TEXT_COLUMNS)
    row = read_log(path, FULL_TEXT_COLUMNS).iloc[0]
    assert (row["retrieval"], row["pdf"]) == ("retrieved", "pdfs/r1.pdf")


def test_full_text_exclusion_needs_a_reason_from_review_yml(project):
    with pytest.raises(ParameterError, match="reason"):
        decide(project, "full_text", "sam", "r1", "exclude")
    with pytest.raises(ParameterError, match="wrong_population"):
        decide(project, "full_text", "sam", "r1", "exclude", reason="did not like it")
    # the description is accepted and stored as its code
    row = decide(project, "full_text", "sam", "r1", "exclude", reason="No health or wellbeing outcome")
    assert row["reason"] == "wrong_outcome"
    assert not (project.screening_dir("full_text") / "sam.csv").read_text().count("did not like")


def test_title_abstract_exclusion_reason_is_optional_but_checked(project):
    assert decide(project, "title_abstract", "alex", "r1", "exclude")["reason"] == ""
    with pytest.raises(ParameterError):
        decide(project, "title_abstract", "alex", "r2", "exclude", reason="made up")


def test_not_retrieved_is_an_exclusion_with_a_retrieval_reason(project):
    row = decide(project, "full_text", "alex", "r1", "exclude", reason="thesis under embargo", retrieval="not_retrieved")
    assert row["retrieval"] == "not_retrieved"
    with pytest.raises(ParameterError, match="so it is an exclusion"):
        decide(project, "full_text", "alex", "r2", "include", retrieval="not_retrieved", reason="thesis under embargo")
    with pytest.raises(ParameterError, match="reason"):
        decide(project, "full_text", "alex", "r2", "exclude", retrieval="not_retrieved")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"decision": "yes"},
        {"decision": "include", "retrieval": "retrieved"},  # retrieval only at full text
        {"decision": "include", "reviewer": "../evil"},
        {"decision": "include", "reviewer": "resolutions"},
        {"decision": "include", "stage": "abstracts"},
        {"decision": "include", "record_id": " "},
    ],
)
def test_invalid_decisions_write_nothing(project, kwargs):
    args = {"stage": "title_abstract", "reviewer": "alex", "record_id": "r1", **kwargs}
    with pytest.raises(ParameterError):
        record_decision(project, args.pop("stage"), args.pop("reviewer"), args.pop("record_id"), args.pop("decision"), **args)
    assert not (project.evidence / "screening").exists() or not any((project.evidence / "screening").rglob("*.csv"))


def test_latest_row_wins_and_retract_means_unscreened(project):
    decide(project, "title_abstract", "alex", "r1", "include")
    decide(project, "title_abstract", "alex", "r1", "exclude")
    decide(project, "title_abstract", "alex", "r2", "maybe")
    decide(project, "title_abstract", "alex", "r2", "retract")
    current = current_decisions(project, "title_abstract")
    assert current[["record_id", "decision"]].values.tolist() == [["r1", "exclude"]]


def test_final_decisions_agreement_conflict_resolution_and_single(project):
    st = "title_abstract"
    for rid, a, s in [("r1", "include", "include"), ("r2", "exclude", "include"), ("r3", "exclude", "exclude"),
                      ("r4", "maybe", "include")]:
        decide(project, st, "alex", rid, a)
        decide(project, st, "sam", rid, s)
    decide(project, st, "alex", "r5", "include")  # screened by one reviewer only so far
    resolve_conflict(project, st, "r2", "exclude", "jo", reason="wrong_outcome", note="resolved by discussion")
    final = final_decisions(project, st)
    assert list(final.columns) == FINAL_COLUMNS
    assert final.set_index("record_id")["decision"].to_dict() == {
        "r1": "include", "r2": "exclude", "r3": "exclude", "r4": "conflict", "r5": "include",
    }
    assert final.set_index("record_id").at["r2", "reason"] == "wrong_outcome"
    assert (final["retrieval"] == "").all()


def test_final_reason_is_the_one_most_reviewers_gave(project):
    decide(project, "full_text", "alex", "r1", "exclude", reason="wrong_design")
    decide(project, "full_text", "sam", "r1", "exclude", reason="wrong_outcome")
    decide(project, "full_text", "jo", "r1", "exclude", reason="wrong_outcome")
    final = final_decisions(project, "full_text")
    assert final.iloc[0][["decision", "reason", "retrieval"]].tolist() == ["exclude", "wrong_outcome", "retrieved"]


def test_final_full_text_retrieval(project):
    decide(project, "full_text", "alex", "r1", "exclude", reason="thesis under embargo", retrieval="not_retrieved")
    decide(project, "full_text", "sam", "r1", "exclude", reason="thesis under embargo", retrieval="not_retrieved")
    decide(project, "full_text", "alex", "r2", "include")  # empty retrieval means retrieved
    final = final_decisions(project, "full_text").set_index("record_id")
    assert final.loc["r1", ["decision", "retrieval"]].tolist() == ["exclude", "not_retrieved"]
    assert final.loc["r2", "retrieval"] == "retrieved"


def test_decisions_on_any_cluster_member_apply_to_the_cluster(project):
    clusters = pd.DataFrame({"record_id": ["a1", "a2", "b1"], "cluster_id": ["a1", "a1", "b1"]})
    decide(project, "title_abstract", "alex", "a1", "include")
    decide(project, "title_abstract", "sam", "a2", "exclude")  # same publication, other member
    final = final_decisions(project, "title_abstract", clusters=clusters)
    assert final[["record_id", "decision"]].values.tolist() == [["a1", "conflict"]]
    # without clusters they are two records
    assert len(final_decisions(project, "title_abstract")) == 2


def test_reviewer_progress_counts(project):
    decide(project, "title_abstract", "alex", "r1", "include")
    decide(project, "title_abstract", "alex", "r2", "exclude")
    decide(project, "title_abstract", "sam", "r1", "maybe")
    table = reviewer_progress(project, "title_abstract")
    assert table.values.tolist() == [["alex", 2, 1, 1, 0], ["sam", 1, 0, 0, 1]]
