"""The glue between steps: which records each stage screens."""

from __future__ import annotations

import pytest

from reviewbench.pipeline import screening_records
from reviewbench.project import Project
from reviewbench.screening.decisions import record_decision


@pytest.fixture
def project(screening_project: Project) -> Project:
    return screening_project


def test_title_abstract_screens_every_unique_record_in_file_order(project):
    records, clusters = screening_records(project, "title_abstract")
    assert len(records) == 12 and len(clusters) == 12
    assert records["source_id"].tolist() == [f"T{i:02d}" for i in range(1, 13)]


def test_full_text_screens_title_abstract_inclusions_and_maybes(project):
    ids = list(screening_records(project, "title_abstract")[0]["record_id"])
    for rid, a, s in [(ids[0], "include", "include"), (ids[1], "maybe", "maybe"),
                      (ids[2], "exclude", "exclude"), (ids[3], "include", "exclude")]:
        record_decision(project, "title_abstract", "alex", rid, a)
        record_decision(project, "title_abstract", "sam", rid, s)
    full, _ = screening_records(project, "full_text")
    assert full["record_id"].tolist() == [ids[0], ids[1]]  # the conflict waits for its resolution


# --------------------------------------------------------------------------- where each publication stands

from reviewbench.pipeline import (  # noqa: E402
    EXCLUDED, INCLUDED, OPEN_STATES, PROVISIONAL, UNDECIDED, UNSCREENED, open_states, review_status,
)


def _decisions(rows):
    """Per-publication decisions from (record_id, decision, reason, retrieval, reviewers, resolved) tuples."""
    import pandas as pd

    return pd.DataFrame(rows, columns=["record_id", "decision", "reason", "retrieval", "reviewers", "resolved"])


TA = _decisions([
    ("a", "include", "", "", 2, False), ("b", "include", "", "", 2, False), ("c", "exclude", "r", "", 2, False),
    ("d", "conflict", "", "", 2, False), ("e", "maybe", "", "", 2, False), ("f", "include", "", "", 1, False),
    ("g", "exclude", "r", "", 1, False), ("h", "include", "", "", 1, True), ("i", "include", "", "", 2, False),
    ("j", "include", "", "", 2, False), ("k", "include", "", "", 2, False), ("l", "include", "", "", 2, False),
])
FT = _decisions([
    ("a", "include", "", "retrieved", 2, False), ("c", "include", "", "retrieved", 2, False),
    ("h", "include", "", "retrieved", 1, True), ("i", "exclude", "embargo", "not_retrieved", 2, False),
    ("j", "exclude", "", "retrieved", 2, False), ("k", "maybe", "", "retrieved", 2, False),
    ("l", "include", "", "retrieved", 1, False),
])
IDS = list("abcdefghijklm")


def test_each_publication_has_one_status_and_one_open_state():
    status = review_status(IDS, {"title_abstract": TA, "full_text": FT}, "full_text", {"title_abstract": 2, "full_text": 2})
    got = {r.record_id: (r.status, r.open) for r in status.itertuples()}
    assert got == {
        "a": (INCLUDED, ""), "b": (PROVISIONAL, "awaiting_full_text"), "c": (EXCLUDED, "ft_not_forwarded"),
        "d": (PROVISIONAL, "ta_conflict"), "e": (PROVISIONAL, "ta_maybe"), "f": (PROVISIONAL, "ta_awaiting"),
        "g": (UNDECIDED, "ta_awaiting"), "h": (INCLUDED, ""), "i": (EXCLUDED, ""), "j": (EXCLUDED, "ft_no_reason"),
        "k": (PROVISIONAL, "ft_maybe"), "l": (PROVISIONAL, "ft_awaiting"), "m": (UNSCREENED, "unscreened"),
    }


def test_one_reviewer_is_enough_when_review_yml_asks_for_one():
    status = review_status(IDS, {"title_abstract": TA, "full_text": FT}, "full_text")
    assert set(status.loc[status["status"] == INCLUDED, "record_id"]) == {"a", "h", "l"}


def test_at_title_abstract_an_inclusion_there_is_an_inclusion():
    status = review_status(IDS, {"title_abstract": TA}, "title_abstract", {"title_abstract": 2})
    assert set(status.loc[status["status"] == INCLUDED, "record_id"]) == set("abhijkl")
    assert (status["ft"] == "").all()


def test_stopping_early_excludes_what_no_one_screened():
    status = review_status(IDS, {"title_abstract": TA, "full_text": FT}, "full_text", stopped=True)
    assert status.set_index("record_id").loc["m", "status"] == EXCLUDED and "unscreened" not in set(status["open"])


def test_open_states_name_their_records_in_a_fixed_order():
    status = review_status(IDS, {"title_abstract": TA, "full_text": FT}, "full_text", {"title_abstract": 2, "full_text": 2})
    ta_with_unknown = _decisions([*TA.itertuples(index=False), ("zz", "include", "", "", 2, False)])
    states = open_states(status, {"title_abstract": ta_with_unknown}, coded_ids=["a", "c", "m"])
    kinds = [s.kind for s in states]
    assert kinds == [k for k in OPEN_STATES if k in kinds]
    by_kind = {s.kind: s.records for s in states}
    assert by_kind["unknown_records"] == ("zz",) and by_kind["findings_not_included"] == ("c", "m")
    assert str(states[0]) == "awaiting title/abstract screening: 1" and states[0].detail() == "awaiting title/abstract screening: 1 (m)"


def test_a_second_reviewer_awaited_comes_from_the_logs(project):
    from reviewbench.pipeline import included_records, project_status

    ids = list(screening_records(project, "title_abstract")[0]["record_id"])
    record_decision(project, "title_abstract", "alex", ids[0], "include")
    _unique, status = project_status(project, "title_abstract")
    assert status.set_index("record_id").loc[ids[0], "open"] == "ta_awaiting"  # review.yml asks for two
    record_decision(project, "title_abstract", "sam", ids[0], "include")
    assert list(included_records(project, "title_abstract")["record_id"]) == [ids[0]]
