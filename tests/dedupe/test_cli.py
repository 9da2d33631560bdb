"""``reviewbench dedupe`` on a generic CSV with the column names of the ASySD benchmark files."""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd

from reviewbench.cli import main
from reviewbench.dedupe import DECISION_COLUMNS

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "dedupe" / "asysd_diabetes_sample"


def gold_pairs() -> set[tuple[str, str]]:
    groups = pd.read_csv(SAMPLE / "merged_record_ids.csv")["merged_ids"].str.split(";")
    return {tuple(sorted(p)) for g in groups for p in itertools.combinations(g, 2)}


def predicted_pairs(out: pd.DataFrame) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for _, g in out.groupby("cluster_id") for p in itertools.combinations(g["source_id"], 2)}


def test_dedupe_writes_one_row_per_record_with_source_ids_and_evidence(tmp_path: Path) -> None:
    out_file = tmp_path / "clusters.csv"
    queue_file = tmp_path / "queue.csv"
    assert main(["dedupe", str(SAMPLE / "records_pre_merged.csv"), "-o", str(out_file), "--queue", str(queue_file)]) == 0
    out = pd.read_csv(out_file, dtype=str, keep_default_na=False)
    records = pd.read_csv(SAMPLE / "records_pre_merged.csv", dtype=str)
    assert list(out.columns[:7]) == ["record_id", "source_id", "cluster_id", "source_file", "rule", "score", "matched_record_id"]
    assert sorted(out["source_id"]) == sorted(records["ID"])
    predicted, gold = predicted_pairs(out), gold_pairs()
    assert predicted <= gold, f"false merges: {sorted(predicted - gold)[:3]}"
    assert len(predicted) / len(gold) >= 0.95
    merged = out[out["rule"] != "unique"]
    assert (merged["evidence"].str.contains("title=")).all()
    queue = pd.read_csv(queue_file, dtype=str, keep_default_na=False)
    assert list(queue.columns[:7]) == ["record_id_a", "record_id_b", "rule", "score", "weight", "source_id_a", "source_id_b"]
    assert set(queue["source_id_a"]) | set(queue["source_id_b"]) <= set(records["ID"])


def test_dedupe_reapplies_decisions(tmp_path: Path) -> None:
    first = tmp_path / "first.csv"
    main(["dedupe", str(SAMPLE / "records_pre_merged.csv"), "-o", str(first)])
    out = pd.read_csv(first, dtype=str, keep_default_na=False)
    a, b = out.loc[out["rule"] == "doi", ["record_id", "matched_record_id"]].iloc[0]
    log = tmp_path / "decisions.csv"
    log.write_text(",".join(DECISION_COLUMNS) + f"\n{a},{b},different,kim,,2026-01-01T00:00:00Z\n", encoding="utf-8")
    second = tmp_path / "second.csv"
    assert main(["dedupe", str(SAMPLE / "records_pre_merged.csv"), "-o", str(second), "--decisions", str(log)]) == 0
    again = pd.read_csv(second, dtype=str, keep_default_na=False).set_index("record_id")
    assert again.loc[a, "cluster_id"] != again.loc[b, "cluster_id"]


def test_bad_decisions_log_is_a_clear_error(tmp_path: Path, capsys) -> None:
    log = tmp_path / "decisions.csv"
    log.write_text("a,b\n1,2\n", encoding="utf-8")
    status = main(["dedupe", str(SAMPLE / "records_pre_merged.csv"), "-o", str(tmp_path / "x.csv"), "--decisions", str(log)])
    assert status == 2
    err = capsys.readouterr().err
    assert "decisions.csv" in err and "record_id" in err


def test_same_file_twice_counts_each_record_once(tmp_path: Path) -> None:
    out_file = tmp_path / "clusters.csv"
    path = str(SAMPLE / "records_pre_merged.csv")
    assert main(["dedupe", path, path, "-o", str(out_file)]) == 0
    assert len(pd.read_csv(out_file)) == len(pd.read_csv(path))
