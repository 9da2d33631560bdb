"""Deduplication benchmark: accuracy on the labelled ASySD sets, speed and memory at scale.

Prints one table. For each labelled set (``../shared/data/dedup/<name>/``, read with
``reviewbench.formats.read_files`` as ``reviewbench dedupe`` does) and for synthetic
corpora made by ``generate_dedup_corpus.py``:

- pairwise precision, recall and F1 over record pairs placed in one cluster;
- false merges: publications lost (a cluster holding records of k publications loses k-1);
- sensitivity and specificity as the ASySD paper defines them: sensitivity = true duplicate
  records removed / all duplicate records; specificity = unique publications kept / all
  publications (a record removed by a false merge is a false positive);
- uncertain pairs left for review, seconds of ``deduplicate`` (import timed apart), and
  the peak resident memory of the process that ran it.

Each measurement runs in its own process so memory figures do not mix.

Usage::

    python benchmarks/dedup.py                        # the three ASySD sets + 80,000 synthetic
    python benchmarks/dedup.py --synthetic 1000000    # add a scale run
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "shared" / "data" / "dedup"
SETS = ("diabetes", "neuroimaging", "cardiac")


def _gold_groups(path: Path) -> list[list[str]]:
    table = pd.read_csv(path, dtype=str)
    return [s.split(";") for s in table["merged_ids"].dropna()]


def score(source_ids: list[str], cluster_ids: list[str], groups: list[list[str]]) -> dict[str, float]:
    """Accuracy of predicted clusters against gold duplicate groups (ids are the files' own ids)."""
    gold = {rid: f"g{k}" for k, members in enumerate(groups) for rid in members}
    truth = [gold.get(s, f"u:{s}") for s in source_ids]
    frame = pd.DataFrame({"truth": truth, "cluster": cluster_ids})

    def pairs(col: str) -> set[tuple[int, int]]:
        out = set()
        for members in frame.groupby(col).indices.values():
            out.update(itertools.combinations(sorted(members), 2))
        return out

    predicted, true = pairs("cluster"), pairs("truth")
    tp = len(predicted & true)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(true) if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    per_cluster = frame.groupby("cluster").agg(size=("truth", "size"), pubs=("truth", "nunique"))
    lost = int((per_cluster["pubs"] - 1).sum())
    removed_right = int((per_cluster["size"] - per_cluster["pubs"]).sum())
    n_pubs = frame["truth"].nunique()
    duplicates = len(frame) - n_pubs
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "false_merges": lost,
        "sensitivity": removed_right / duplicates if duplicates else 1.0,
        "specificity": (n_pubs - lost) / n_pubs if n_pubs else 1.0,
    }


def synthetic_records(path: Path) -> pd.DataFrame:
    """A synthetic corpus as a record table, read straight with pandas (to time deduplication alone)."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    return pd.DataFrame(
        {
            "record_id": table["ID"],
            "source_id": table["ID"],
            "source_file": path.name,
            "source_db": "",
            "ref_type": table["ENTRYTYPE"],
            "title": table["title"],
            "abstract": table["abstract"],
            "authors": table["author"],
            "year": pd.to_numeric(table["year"], errors="coerce").astype("Int64"),
            "journal": table["journal"],
            "volume": table["volume"],
            "issue": table["number"],
            "pages": table["pages"],
            "doi": table["doi"],
            "pmid": "",
            "url": table["url"],
        }
    )


def run_one(kind: str, target: str) -> dict:
    """One measurement (in a child process): import, deduplicate, score."""
    from reviewbench.dedupe import deduplicate, link_records
    from reviewbench.formats import read_files

    folder = Path(target)
    records_file = folder / "records_pre_merged.csv"
    t0 = time.perf_counter()
    if kind == "labelled":
        records, _ = read_files([records_file])
    else:
        records = synthetic_records(records_file)
    t1, c1 = time.perf_counter(), time.process_time()
    clusters, merged = deduplicate(records)
    t2, c2 = time.perf_counter(), time.process_time()
    result = score(
        records.set_index("record_id").loc[clusters["record_id"], "source_id"].tolist(),
        clusters["cluster_id"].tolist(),
        _gold_groups(folder / "merged_record_ids.csv"),
    )
    uncertain = None
    if len(records) <= 20000:
        from reviewbench.dedupe import review_queue

        uncertain = len(review_queue(link_records(records)))
    result.update(
        records=len(records),
        unique=len(merged),
        uncertain=uncertain,
        import_s=t1 - t0,
        seconds=t2 - t1,
        cpu_s=c2 - c1,
        peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    return result


def _measure(kind: str, target: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--one", kind, target], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _row(name: str, r: dict) -> str:
    unc = "" if r["uncertain"] is None else str(r["uncertain"])
    return (
        f"{name:<16}{r['records']:>9,}{r['unique']:>9,}{r['precision']:>8.4f}{r['recall']:>8.4f}{r['f1']:>8.4f}"
        f"{r['false_merges']:>7}{r['sensitivity']:>8.4f}{r['specificity']:>8.4f}{unc:>7}"
        f"{r['import_s']:>8.1f}{r['seconds']:>8.1f}{r['cpu_s']:>8.1f}{r['peak_mb']:>8.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Deduplication accuracy, speed and memory.")
    parser.add_argument("--data", default=str(DATA), help="folder holding the labelled sets")
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated labelled sets ('' for none)")
    parser.add_argument("--synthetic", type=int, action="append", help="synthetic corpus size (repeatable); default 80000")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--one", nargs=2, metavar=("KIND", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(*args.one)))
        return

    header = (
        f"{'dataset':<16}{'records':>9}{'unique':>9}{'prec':>8}{'recall':>8}{'F1':>8}"
        f"{'lost':>7}{'sens':>8}{'spec':>8}{'review':>7}{'import':>8}{'dedup s':>8}{'cpu s':>8}{'peak MB':>8}"
    )
    print(header)
    print("-" * len(header))
    for name in [s for s in args.sets.split(",") if s]:
        folder = Path(args.data) / name
        if not (folder / "records_pre_merged.csv").exists():
            print(f"{name:<16} missing: {folder}")
            continue
        print(_row(name, _measure("labelled", str(folder))), flush=True)

    from generate_dedup_corpus import write_corpus

    for size in args.synthetic or [80000]:
        with tempfile.TemporaryDirectory() as tmp:
            write_corpus(size, tmp, seed=args.seed)
            print(_row(f"synthetic {size // 1000}k", _measure("synthetic", tmp)), flush=True)
    print(
        "\nprec/recall/F1: pairwise; lost: publications lost to false merges; sens/spec: ASySD definitions;\n"
        "review: uncertain pairs queued for a person; import: reading the file (synthetic: plain pandas);\n"
        "dedup s: wall-clock seconds of deduplicate() (keys, blocking, scoring, rules, clusters, merge);\n"
        "cpu s: CPU seconds of that call (all threads; on a shared machine wall > cpu); peak MB: max RSS of the run."
    )


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()
