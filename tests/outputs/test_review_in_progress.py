"""A review at any stage: "included" means one thing in the tables and in PRISMA, what is
open is counted beside the flow, and the flow always adds up."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewbench.outputs.params import validate_params
from reviewbench.outputs.prisma import prisma_counts, prisma_figure, prisma_notes, reconcile
from reviewbench.outputs.review_data import ReviewData
from reviewbench.outputs.tables import evidence_tables
from reviewbench.pipeline import INCLUDED, PROVISIONAL

TA_DECISIONS = st.sampled_from(["", "include", "include", "exclude", "maybe", "conflict"])
FT_DECISIONS = st.sampled_from(["", "include", "include", "exclude", "exclude-no-reason", "not_retrieved", "maybe", "conflict"])
COLUMNS = ["record_id", "decision", "reason", "retrieval", "reviewers", "resolved"]


def _review(plan: list[tuple[str, str, int, int]]) -> ReviewData:
    """A review whose publication i has title/abstract and full-text decisions ``plan[i]``
    made by as many reviewers as given (two are required)."""
    ids = [f"u{i:03d}" for i in range(len(plan))]
    ta, ft = [], []
    for rid, (t, f, n_ta, n_ft) in zip(ids, plan):
        if t:
            ta.append((rid, t, "r1" if t == "exclude" else "", "", n_ta, False))
        if f:
            decision = "include" if f == "include" else f if f in ("maybe", "conflict") else "exclude"
            reason = {"exclude": "r2", "not_retrieved": "embargo"}.get(f, "")
            ft.append((rid, decision, reason, "not_retrieved" if f == "not_retrieved" else "retrieved", n_ft, False))
    unique = pd.DataFrame({"record_id": ids, "title": [f"Study {i}" for i in range(len(ids))],
                           "authors": [[f"Author{i}, A."] for i in range(len(ids))], "year": [2000 + i % 20 for i in range(len(ids))],
                           "journal": ["J"] * len(ids)})
    records = pd.DataFrame({"record_id": ids, "source_file": ["a.ris"] * len(ids)})
    return ReviewData(
        records=records, clusters=pd.DataFrame({"record_id": ids, "cluster_id": ids}), unique=unique,
        decisions={"title_abstract": pd.DataFrame(ta, columns=COLUMNS), "full_text": pd.DataFrame(ft, columns=COLUMNS)},
        findings=pd.DataFrame(columns=["finding_id", "record_id"]), codebook=None,
        searches={"searches": [{"database": "A", "file": "a.ris", "hits": len(ids)}]},
        required={"title_abstract": 2, "full_text": 2},
    )


PLANS = st.lists(st.tuples(TA_DECISIONS, FT_DECISIONS, st.integers(1, 2), st.integers(1, 2)), min_size=1, max_size=30)


@settings(max_examples=80, deadline=None)
@given(PLANS)
def test_included_means_one_thing_in_tables_and_prisma(plan):
    data = _review(plan)
    counts = prisma_counts(data)
    status = data.status()
    table = evidence_tables(data, validate_params({}, {}))[0].frame
    provisional = table["Study"].str.endswith("(provisional)") if len(table) else pd.Series(dtype=bool)
    assert int((~provisional).sum()) == counts.reports_included == int((status["status"] == INCLUDED).sum())
    assert int(provisional.sum()) == int((status["status"] == PROVISIONAL).sum())
    final = evidence_tables(data, validate_params({"final": True}, {}))[0].frame
    assert len(final) == counts.reports_included and "Screening" not in final.columns


@settings(max_examples=80, deadline=None)
@given(PLANS)
def test_the_flow_adds_up_with_what_is_open_beside_it(plan):
    c = prisma_counts(_review(plan))
    after_removal = c.records_identified - c.duplicates_removed
    assert after_removal == c.records_screened + len(c.unscreened) + len(c.awaiting_reviewers)
    assert c.reports_sought == c.records_screened - c.records_excluded - c.screening_pending
    assert c.reports_sought == c.reports_not_retrieved + c.reports_assessed + len(c.reports_unassessed) + len(c.reports_awaiting_reviewers)
    assert c.reports_included == (c.reports_assessed - sum(c.reports_excluded.values()) - c.excluded_without_reason
                                  - c.assessment_pending)
    beside = {o.kind: len(o.records) for o in c.open_states}
    assert beside.get("unscreened", 0) == len(c.unscreened) and beside.get("awaiting_full_text", 0) == len(c.reports_unassessed)
    # nothing open and nothing off: the strict check of a complete review passes too
    assert (not c.open_states) == (not reconcile(c))
    assert len(prisma_notes(c)) == len(c.open_states)


def test_open_states_are_plain_boxes_beside_the_flow():
    data = _review([("", "", 2, 2), ("include", "", 2, 2), ("conflict", "", 2, 2), ("include", "maybe", 2, 2),
                    ("exclude", "include", 2, 2), ("include", "include", 2, 2)])
    counts = prisma_counts(data)
    text = " ".join(" ".join(t.get_text() for t in prisma_figure(counts).axes[0].texts).split()).replace("\u00a0", " ")
    for phrase in ("Awaiting title/abstract screening (n = 1)", "Conflicts to resolve at title/abstract (n = 1)",
                   "Awaiting full-text assessment (n = 1)", "'maybe' at full text, to decide (n = 1)",
                   "Not counted: full-text decisions on records excluded at title/abstract (n = 1)",
                   "Studies included in review (n = 1)"):
        assert phrase in text, phrase
    table = counts.as_table().set_index("box")["n"]
    assert table["Open: conflicts to resolve at title/abstract"] == 1 and table["Studies included in review"] == 1
