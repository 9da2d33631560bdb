"""The screening controller in plain Python: order, decisions, undo, jump, progress, blinding."""

from __future__ import annotations

import pytest

from reviewbench.errors import ParameterError
from reviewbench.logs import read_log
from reviewbench.pipeline import screening_records
from reviewbench.screening.decisions import SCREENING_COLUMNS, current_decisions, log_path, record_decision
from reviewbench.screening.session import ScreeningController, open_controller

from ..fakes import FakeRanker


def make(project, records, reviewer="alex", **kw):
    kw.setdefault("order", "file")
    return ScreeningController(project, "title_abstract", reviewer, records, **kw)


def log_rows(project, reviewer="alex"):
    return read_log(log_path(project, "title_abstract", reviewer), SCREENING_COLUMNS)


def test_file_order_decide_and_advance(project, records):
    ids = list(records["record_id"])
    c = make(project, records)
    assert c.current_id == ids[0]
    assert "street-based sex workers" in c.record()["title"]
    c.include(note="UK")
    c.exclude(reason="wrong_population")
    c.maybe()
    assert c.current_id == ids[3]
    assert log_rows(project)[["record_id", "decision", "reason", "note"]].values.tolist() == [
        [ids[0], "include", "", "UK"], [ids[1], "exclude", "wrong_population", ""], [ids[2], "maybe", "", ""]]
    p = c.progress()
    assert (p.screened, p.total, p.included, p.excluded, p.maybe) == (3, 12, 1, 1, 1)
    assert p.estimated_recall is None and p.stop is None  # no ranking in file order


def test_invalid_decision_writes_nothing_and_keeps_the_record(project, records):
    c = ScreeningController(project, "full_text", "alex", records, order="file")
    first = c.current_id
    with pytest.raises(ParameterError):
        c.exclude()  # full text needs a reason
    assert c.current_id == first
    assert not log_path(project, "full_text", "alex").exists()
    c.not_retrieved("thesis under embargo")
    assert current_decisions(project, "full_text").iloc[0][["decision", "retrieval"]].tolist() == ["exclude", "not_retrieved"]


def test_undo_first_decision_appends_retract(project, records):
    c = make(project, records)
    first = c.current_id
    c.include()
    assert c.undo() == first
    assert c.current_id == first
    assert log_rows(project)["decision"].tolist() == ["include", "retract"]
    assert current_decisions(project, "title_abstract").empty
    assert c.progress().screened == 0
    assert c.undo() is None  # nothing left to undo


def test_undo_a_changed_decision_restores_the_previous_one(project, records):
    c = make(project, records)
    first = c.current_id
    c.exclude(reason="wrong_outcome", note="no outcomes")
    c.jump(first)
    c.include()
    assert c.undo() == first
    rows = log_rows(project)
    assert rows["decision"].tolist() == ["exclude", "include", "exclude"]
    assert rows.iloc[-1][["reason", "note"]].tolist() == ["wrong_outcome", "no outcomes"]
    assert c.decision_for(first)["decision"] == "exclude"
    assert c.undo() == first and c.decision_for(first) is None  # second undo: unscreened again


def test_decisions_survive_a_restart(project, records):
    c = make(project, records)
    c.include()
    c.exclude()
    again = make(project, records)  # a new kernel reads the log
    assert again.progress().screened == 2
    assert again.current_id == list(records["record_id"])[2]


def test_jump_to_any_record_or_merged_member(project, records):
    records = records.copy()
    target = records["record_id"].iloc[5]
    records.at[5, "member_ids"] = [target, "other-db-123"]
    c = make(project, records)
    assert c.jump("other-db-123") == target
    assert c.current_id == target
    c.maybe()
    assert c.decision_for(target)["decision"] == "maybe"
    assert c.current_id == records["record_id"].iloc[0]  # back to the next unscreened one
    with pytest.raises(ParameterError):
        c.jump("no-such-record")


def test_log_rows_naming_a_member_count_for_the_cluster(project, records):
    records = records.copy()
    rid = records["record_id"].iloc[0]
    records.at[0, "member_ids"] = [rid, "pubmed-1"]
    record_decision(project, "title_abstract", "alex", "pubmed-1", "include")
    c = make(project, records)
    assert c.decision_for(rid)["decision"] == "include"
    assert c.current_id == records["record_id"].iloc[1]


def test_random_order_is_the_same_for_every_reviewer(project, records):
    a = make(project, records, "alex", order="random", seed=7)
    b = make(project, records, "sam", order="random", seed=7)
    assert a._order() == b._order() != list(records["record_id"])
    assert sorted(a._order()) == sorted(records["record_id"])


def test_calibration_round_is_the_same_first_n_for_everyone(project, records):
    a = make(project, records, "alex", order="active", calibration_n=4, seed=3, ranker_factory=FakeRanker)
    b = make(project, records, "sam", order="active", calibration_n=4, seed=3, ranker_factory=FakeRanker)
    assert a.calibration_ids == b.calibration_ids and len(a.calibration_ids) == 4
    seen = []
    while a.current_id is not None:
        seen.append(a.current_id)
        a.include()
    assert seen == a.calibration_ids
    assert a.progress().total == 4 and a.progress().calibration
    f = make(project, records, "jo", order="file", calibration_n=2)
    assert f.calibration_ids == list(records["record_id"])[:2]


def test_review_yml_sets_the_calibration_round_until_the_reviewer_has_screened_it(project, records):
    # The fixture's review.yml has calibration_records: 4 for title_abstract.
    a = make(project, records, "alex", order="random", calibration_n=None, seed=3)
    assert len(a.calibration_ids) == 4 and a.progress().calibration
    assert make(project, records, "sam", order="random", calibration_n=None, seed=3).calibration_ids == a.calibration_ids
    for _ in range(3):
        a.include()
    assert make(project, records, "alex", order="random", calibration_n=None, seed=3).calibration_ids == a.calibration_ids
    a.exclude(reason="wrong_population")
    after = make(project, records, "alex", order="random", calibration_n=None, seed=3)
    assert after.calibration_ids == [] and after.progress().total == len(records)
    assert after.current_id not in a.calibration_ids  # goes on with the records not yet screened
    assert make(project, records, "sam", order="random", calibration_n=0).calibration_ids == []  # 0: no round


def test_active_order_follows_the_ranking_and_retrains_after_each_decision(project, records):
    ids = list(records["record_id"])
    c = make(project, records, order="active", background=False, ranker_factory=FakeRanker)
    assert c.current_id == ids[-1]  # the fake ranking prefers the last record
    c.include()
    c.exclude()
    c.maybe()  # maybe is not a label for the ranker
    assert c.ranker.fits[-1] == {ids[-1]: 1, ids[-2]: 0}
    assert c.current_id == ids[-4]
    p = c.progress()
    assert p.estimated_recall == 0.5 and p.stop is False and "active learning" in p.ranking
    assert "estimated recall 50%" in p.summary()


def test_background_ranking_does_not_block_the_next_record(project, records):
    ids = list(records["record_id"])
    c = make(project, records, order="active", background=True, ranker_factory=FakeRanker)
    assert c.wait_for_ranking(10)
    for _ in range(3):
        c.include()
    assert c.wait_for_ranking(10)
    assert c.ranker.fits[-1] == {ids[-1]: 1, ids[-2]: 1, ids[-3]: 1}
    assert c.progress().stop is True


def test_falls_back_to_file_order_when_the_engine_fails(project, records):
    def broken(*args, **kwargs):
        raise RuntimeError("engine not ready")

    c = make(project, records, order="active", background=False, ranker_factory=broken)
    assert c.current_id == records["record_id"].iloc[0]
    assert "engine not ready" in c.ranker_error
    assert "ranking unavailable" in c.progress().ranking
    c.include()  # screening goes on
    assert c.current_id == records["record_id"].iloc[1]


def test_the_real_ranker_starts_cold_from_the_terms_of_review_yml(project):
    """Before any decision the ranking comes from review.yml's screening terms alone: records
    with an include term first, the three with an exclude term (an editorial, a protocol,
    yeast membrane trafficking) last, which file order (T02 second) would not give."""
    records, clusters = screening_records(project, "title_abstract")
    c = open_controller(project, "title_abstract", "alex", records, clusters, order="active", calibration_n=0, background=False)
    assert not c.ranker_error
    source = dict(zip(records["record_id"], records["source_id"]))
    ranked = [source[rid] for rid in c.ranker.rank()]
    assert sorted(ranked[-3:]) == ["T02", "T04", "T08"]
    first = c.record()
    assert source[first["record_id"]] == ranked[0] != "T01"  # the view shows the top of the ranking
    text = f"{first['title']} {first['abstract']}".lower()
    assert "sex work" in text or "prostitut" in text or "selling sex" in text
    progress = c.progress()
    assert progress.criterion == "weibull" and progress.stop is False  # nothing screened: no stop
    assert "active learning" in progress.ranking


def test_blinding_until_both_reviewers_have_screened_the_whole_stage(project, records):
    """Blinding is the stage's state: a calibration round of two records does not lift it."""
    ids = list(records["record_id"])
    alex = make(project, records, "alex", calibration_n=2)
    sam = make(project, records, "sam", calibration_n=2)
    alex.include(); alex.include()
    sam.include(); sam.exclude()
    assert not alex.others_visible() and alex.other_decisions(ids[0]) == {}
    alex, sam = make(project, records, "alex"), make(project, records, "sam")
    for _ in ids[2:]:
        alex.include()
    for _ in ids[2:-1]:
        sam.include()
    assert not alex.others_visible() and alex.blinding().progress() == "alex 12 of 12, sam 11 of 12"
    sam.include()
    assert alex.others_visible()
    assert alex.other_decisions(ids[1]) == {"sam": "exclude"}


def test_bad_parameters(project, records):
    with pytest.raises(ParameterError):
        make(project, records, order="best")
    with pytest.raises(ParameterError):
        make(project, records, calibration_n=-1)
    with pytest.raises(ParameterError):
        ScreeningController(project, "abstracts", "alex", records)


@pytest.mark.parametrize(("stopping", "early"), [
    ({"relevant_seen": 2, "details": {"min_relevant": 10}}, True),
    ({"relevant_seen": 10, "details": {"min_relevant": 10}}, False),
    ({"relevant_seen": 2, "details": {}}, False),  # a criterion without a floor shows its estimate
    ({}, False),
])
def test_an_estimate_on_fewer_relevant_records_than_the_rule_needs_is_not_shown(stopping, early):
    from reviewbench.screening.session.controller import too_early_to_estimate

    assert too_early_to_estimate(stopping) is early
