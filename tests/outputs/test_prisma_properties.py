"""Property: a complete, consistent review always reconciles; any missing decision never does."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewbench.outputs.prisma import prisma_counts, reconcile
from reviewbench.outputs.review_data import ReviewData

OUTCOMES = st.sampled_from(["ta_exclude", "not_retrieved", "ft_exclude", "include"])


def _review(outcomes: list[str], dup_of: list[int], hits_offset: int = 0) -> ReviewData:
    n = len(outcomes)
    unique_ids = [f"u{i:04d}" for i in range(n)]
    rows = [{"record_id": rid, "source_file": "a.ris" if i % 2 else "b.ris"} for i, rid in enumerate(unique_ids)]
    clusters = [{"record_id": rid, "cluster_id": rid} for rid in unique_ids]
    for j, target in enumerate(dup_of):
        dup = f"d{j:04d}"
        rows.append({"record_id": dup, "source_file": "b.ris"})
        clusters.append({"record_id": dup, "cluster_id": unique_ids[target % n]})
    records = pd.DataFrame(rows)
    ta, ft = [], []
    for rid, outcome in zip(unique_ids, outcomes):
        ta.append({"record_id": rid, "decision": "exclude" if outcome == "ta_exclude" else "include",
                   "reason": "r1" if outcome == "ta_exclude" else "", "retrieval": ""})
        if outcome == "not_retrieved":
            ft.append({"record_id": rid, "decision": "exclude", "reason": "embargo", "retrieval": "not_retrieved"})
        elif outcome == "ft_exclude":
            ft.append({"record_id": rid, "decision": "exclude", "reason": "r2", "retrieval": "retrieved"})
        elif outcome == "include":
            ft.append({"record_id": rid, "decision": "include", "reason": "", "retrieval": ""})
    counts = records["source_file"].value_counts()
    searches = {"searches": [{"database": "A", "file": "a.ris", "hits": int(counts.get("a.ris", 0)) + hits_offset},
                             {"database": "B", "file": "b.ris", "hits": int(counts.get("b.ris", 0))}]}
    cols = ["record_id", "decision", "reason", "retrieval"]
    return ReviewData(records=records, clusters=pd.DataFrame(clusters),
                      unique=pd.DataFrame({"record_id": unique_ids}),
                      decisions={"title_abstract": pd.DataFrame(ta, columns=cols), "full_text": pd.DataFrame(ft, columns=cols)},
                      findings=pd.DataFrame(columns=["finding_id", "record_id"]), codebook=None, searches=searches)


@settings(max_examples=60, deadline=None)
@given(st.lists(OUTCOMES, min_size=1, max_size=40), st.lists(st.integers(0, 1000), max_size=15))
def test_complete_review_reconciles(outcomes, dup_of):
    counts = prisma_counts(_review(outcomes, dup_of))
    assert reconcile(counts) == []
    assert counts.duplicates_removed == len(dup_of)
    assert counts.studies_included == outcomes.count("include")
    assert counts.records_screened - counts.records_excluded == counts.reports_sought
    assert counts.reports_sought - counts.reports_not_retrieved == counts.reports_assessed
    assert counts.reports_assessed - sum(counts.reports_excluded.values()) == counts.reports_included


@settings(max_examples=60, deadline=None)
@given(st.lists(OUTCOMES, max_size=40), st.integers(0, 1000), st.sampled_from(["title_abstract", "full_text"]))
def test_a_missing_decision_is_always_reported(outcomes, which, stage):
    # One record that reaches full text, so both stages always have a decision to lose.
    data = _review([*outcomes, "include"], [])
    decisions = data.decisions[stage]
    assert not decisions.empty
    assert reconcile(prisma_counts(data)) == []
    data.decisions[stage] = decisions.drop(decisions.index[which % len(decisions)])
    assert reconcile(prisma_counts(data)) != []


@given(st.lists(OUTCOMES, min_size=1, max_size=20), st.integers(-5, 5).filter(lambda k: k != 0))
def test_wrong_hits_are_reported_with_the_difference(outcomes, offset):
    problems = reconcile(prisma_counts(_review(outcomes, [], hits_offset=offset)))
    assert [p.box for p in problems] == ["Records identified from A"]
    assert problems[0].expected - problems[0].found == offset
