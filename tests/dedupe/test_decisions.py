"""Human decisions: appended to the log, re-applied on every run, never undone."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewbench.dedupe import DECISION_COLUMNS, deduplicate, link_records, read_decisions, record_decisions, review_queue
from reviewbench.errors import ValidationError

from .helpers import cluster_of, make_records

PAPER = {
    "title": "Violence against sex workers in Leeds: a cohort study",
    "authors": ["Platt, Lucy", "Grenfell, Pippa"],
    "year": 2018,
    "journal": "PLoS Medicine",
    "volume": "15",
    "pages": "e1002680",
    "doi": "10.1371/journal.pmed.1002680",
}


def records():
    return make_records(
        [
            PAPER,
            dict(PAPER, doi=""),  # automatic duplicate of r1
            dict(PAPER, pages="e1002681", doi=""),  # page typo: uncertain, queued
            {"title": "Housing and health of street sex workers", "year": 2018, "authors": ["Platt, L"]},
        ]
    )


def test_log_is_appended_with_ordered_pairs(tmp_path: Path) -> None:
    log = tmp_path / "evidence" / "dedup" / "decisions.csv"
    record_decisions(log, [{"record_id": "r3", "other_record_id": "r1", "decision": "same", "note": "page typo"}], reviewer="lp")
    record_decisions(log, [{"record_id": "r1", "other_record_id": "r4", "decision": "different"}], reviewer="lp")
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(DECISION_COLUMNS)
    assert lines[1].startswith("r1,r3,same,lp,page typo,")
    assert len(lines) == 3
    assert read_decisions(log)["decision"].tolist() == ["same", "different"]


def test_same_joins_an_uncertain_pair_and_is_reapplied_on_every_run(tmp_path: Path) -> None:
    log = tmp_path / "decisions.csv"
    before = link_records(records())
    assert review_queue(before)[["record_id", "other_record_id"]].values.tolist() == [["r1", "r3"], ["r2", "r3"]]
    record_decisions(log, [{"record_id": "r1", "other_record_id": "r3", "decision": "same"}], reviewer="lp")
    for _ in range(2):
        clusters, merged = deduplicate(records(), decisions_path=log)
        c = cluster_of(clusters)
        assert c["r1"] == c["r2"] == c["r3"] != c["r4"]
        assert dict(zip(clusters["record_id"], clusters["rule"]))["r3"] == "human"
        assert len(merged) == 2
    assert review_queue(link_records(records(), read_decisions(log))).empty


def test_different_splits_an_automatic_merge_and_blocks_chains(tmp_path: Path) -> None:
    log = tmp_path / "decisions.csv"
    record_decisions(log, [{"record_id": "r2", "other_record_id": "r1", "decision": "different"}], reviewer="lp")
    clusters, _ = deduplicate(records(), decisions_path=log)
    c = cluster_of(clusters)
    assert c["r1"] != c["r2"]


def test_latest_decision_wins(tmp_path: Path) -> None:
    log = tmp_path / "decisions.csv"
    record_decisions(log, [{"record_id": "r1", "other_record_id": "r2", "decision": "different"}], reviewer="lp")
    record_decisions(log, [{"record_id": "r2", "other_record_id": "r1", "decision": "same"}], reviewer="lp")
    c = cluster_of(deduplicate(records(), decisions_path=log)[0])
    assert c["r1"] == c["r2"]
    assert len(log.read_text(encoding="utf-8").splitlines()) == 3  # nothing rewritten


def test_decisions_about_records_not_in_this_import_are_ignored(tmp_path: Path) -> None:
    log = tmp_path / "decisions.csv"
    record_decisions(log, [{"record_id": "gone-1", "other_record_id": "r1", "decision": "same"}], reviewer="lp")
    clusters, _ = deduplicate(records(), decisions_path=log)
    assert clusters["cluster_id"].nunique() == 3


def test_bad_decision_value_is_refused_before_writing(tmp_path: Path) -> None:
    log = tmp_path / "decisions.csv"
    with pytest.raises(ValidationError, match="maybe"):
        record_decisions(log, [{"record_id": "r1", "other_record_id": "r2", "decision": "maybe"}], reviewer="lp")
    assert not log.exists()


def test_hand_edited_log_with_bad_row_names_the_line(tmp_path: Path) -> None:
    log = tmp_path / "decisions.csv"
    log.write_text(",".join(DECISION_COLUMNS) + "\nr1,r2,same,lp,,2026-01-01T00:00:00Z\nr1,r1,same,lp,,2026-01-01T00:00:00Z\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"decisions.csv.*3"):
        read_decisions(log)


def test_the_line_named_is_the_row_s_own_after_a_note_on_several_lines(tmp_path: Path) -> None:
    log = tmp_path / "decisions.csv"
    log.write_text(
        ",".join(DECISION_COLUMNS) + '\nr1,r2,same,lp,"typo in\nthe title",2026-01-01T00:00:00Z\n\nr1,r3,maybe,lp,,2026-01-01T00:00:00Z\n',
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match=r"decisions.csv, line 5: decision 'maybe'"):
        read_decisions(log)


def test_missing_log_means_no_decisions(tmp_path: Path) -> None:
    assert read_decisions(tmp_path / "absent.csv").empty
