"""PRISMA 2020 counts from the fixture review, and the reconciliation that stops bad runs."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from reviewbench.outputs.prisma import (
    PrismaMismatchError,
    check_prisma,
    prisma_counts,
    prisma_figure,
    reconcile,
    write_prisma,
)

from .conftest import EXPECTED_PRISMA


def test_counts_of_the_fixture_review(review_data):
    counts = check_prisma(prisma_counts(review_data))
    for box, n in EXPECTED_PRISMA.items():
        assert getattr(counts, box) == n, box
    assert counts.databases == {"Alpha Index": 6, "Beta Citations": 3}
    assert counts.other_sources == {"Websites and citation searching": 2}
    assert counts.reports_excluded == {"Letter, editorial or comment without data": 1}
    assert counts.not_retrieved_reasons == {"thesis under embargo": 1}
    table = counts.as_table().set_index("box")["n"]
    assert table["Records screened"] == 10 and table["Reports excluded"] == 1


def test_hits_that_differ_from_the_export_name_the_database(review_data):
    review_data.searches["searches"][0]["hits"] = 9
    with pytest.raises(PrismaMismatchError) as err:
        check_prisma(prisma_counts(review_data))
    assert "Records identified from Alpha Index: expected 9, found 6 (off by -3)" in str(err.value)


def test_unscreened_record_stops_at_records_screened(review_data):
    ta = review_data.decisions["title_abstract"]
    missing = ta["record_id"].iloc[0]
    review_data.decisions["title_abstract"] = ta.iloc[1:]
    problems = reconcile(prisma_counts(review_data))
    assert problems[0].box == "Records screened"
    assert problems[0].expected - problems[0].found == 1
    assert missing in str(problems[0])


def test_records_left_when_the_team_stopped_early_count_as_removed_by_automation(review_data):
    ta = review_data.decisions["title_abstract"]
    left = ta[ta["decision"] == "exclude"]["record_id"].iloc[0]  # not screened when the team stopped
    review_data.decisions["title_abstract"] = ta[ta["record_id"] != left]
    unstopped = reconcile(prisma_counts(review_data))
    assert unstopped and "Stop button" in str(unstopped[0])
    review_data.stops = {"title_abstract": {"stage": "title_abstract", "decision": "stop", "criterion": "heuristic",
                                            "estimated_recall": "0.9700", "screened": "9", "reviewer": "alex"}}
    counts = check_prisma(prisma_counts(review_data))
    assert (counts.automation_removed, counts.records_screened, counts.records_excluded) == (1, 9, 1)
    assert counts.as_table().set_index("box")["n"]["Records marked as ineligible by automation tools"] == 1
    assert "stopped early" in counts.note() and "heuristic" in counts.note() and "97%" in counts.note()
    text = " ".join(" ".join(t.get_text() for t in prisma_figure(counts).axes[0].texts).split())  # boxes wrap lines
    assert "Records marked as ineligible by automation tools (n = 1)" in text


def test_unresolved_conflict_stops_at_reports_sought(review_data):
    ta = review_data.decisions["title_abstract"].copy()
    ta.loc[ta["decision"] == "include", "decision"] = ["conflict"] + ["include"] * (int((ta["decision"] == "include").sum()) - 1)
    review_data.decisions["title_abstract"] = ta
    boxes = {m.box for m in reconcile(prisma_counts(review_data))}
    assert "Reports sought for retrieval" in boxes


def test_missing_full_text_decision_and_missing_reason(review_data):
    ft = review_data.decisions["full_text"].copy()
    ft.loc[ft["decision"] == "exclude", "reason"] = ""
    ft = ft[ft["record_id"] != ft.loc[ft["decision"] == "include", "record_id"].iloc[0]]
    review_data.decisions["full_text"] = ft
    problems = {m.box: m for m in reconcile(prisma_counts(review_data))}
    assert problems["Reports assessed for eligibility"].found == EXPECTED_PRISMA["reports_assessed"] - 1
    assert "no reason" in str(problems["Reports excluded (with reasons)"])


def test_findings_of_excluded_records_are_flagged(review_data):
    extra = review_data.findings.iloc[[0]].assign(finding_id="X1", record_id="not-included-record")
    review_data.findings = pd.concat([review_data.findings, extra], ignore_index=True)
    problems = reconcile(prisma_counts(review_data))
    assert [m.box for m in problems] == ["Studies included in review"]
    assert "not-included-record" in str(problems[0])


def test_title_abstract_stage_stops_after_screening(review_data):
    counts = check_prisma(prisma_counts(review_data, stage="title_abstract"))
    assert counts.studies_included == 8
    assert "Reports assessed for eligibility" not in set(counts.as_table()["box"])


def test_diagram_is_byte_identical_and_undated(review_data, tmp_path):
    counts = prisma_counts(review_data)
    first = [p.read_bytes() for p in write_prisma(counts, tmp_path / "a", "Review")]
    second = [p.read_bytes() for p in write_prisma(dataclasses.replace(counts), tmp_path / "b", "Review")]
    assert first == second
    svg = (tmp_path / "a" / "prisma-2020.svg").read_text()
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg


def test_diagram_shows_every_box(review_data):
    fig = prisma_figure(prisma_counts(review_data))
    text = "\n".join(t.get_text() for t in fig.axes[0].texts)
    for phrase in ("Records identified from", "Duplicate records removed (n = 1)", "Records screened (n = 10)",
                   "Records excluded (n = 2)", "Reports sought for retrieval (n = 8)", "Reports not retrieved (n = 1)",
                   "Reports assessed for eligibility (n = 7)", "Studies included in review (n = 6)"):
        assert phrase in text, phrase
