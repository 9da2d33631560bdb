"""``reviewbench dedupe FILE_OR_DIR... -o CLUSTERS.csv``: one row per input record with its cluster."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from ..dedupe import link_records, read_decisions, review_queue
from ..formats import read_files
from ..outputs_io import write_csv
from .import_cmd import add_input_files


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "dedupe",
        help="find duplicate records across search exports",
        description="Import the files and write one row per input record: record_id, "
        "source_id, cluster_id, source_file and the evidence of each link (rule, score, "
        "evidence). Records with the same cluster_id are the same publication; linked_ids "
        "names related clusters that are not merged (preprint, conference abstract, correction).",
    )
    add_input_files(parser)
    parser.add_argument("-o", "--output", required=True, metavar="CLUSTERS.csv", help="CSV file to write")
    parser.add_argument(
        "--decisions",
        metavar="DECISIONS.csv",
        help="human decisions to re-apply (the log evidence/dedup/decisions.csv: record_id, "
        "other_record_id, decision same|different, reviewer, note, timestamp)",
    )
    parser.add_argument(
        "--queue",
        "--review-queue",
        dest="queue",
        metavar="PAIRS.csv",
        help="also write the pairs left for a person to decide: record_id_a, record_id_b, rule, score "
        "(title similarity 0-1), weight (match weight in bits), source_id_a, source_id_b and the field agreements",
    )
    parser.set_defaults(func=_run)


def queue_table(queue: pd.DataFrame, source_ids: pd.Series) -> pd.DataFrame:
    """The review queue in the command-line contract's columns (DESIGN.md), evidence after them."""
    out = pd.DataFrame(
        {
            "record_id_a": queue["record_id"],
            "record_id_b": queue["other_record_id"],
            "rule": queue["rule"],
            "score": (queue["title"] / 100).round(3),
            "weight": queue["weight"],
            "source_id_a": source_ids.loc[queue["record_id"]].to_numpy(),
            "source_id_b": source_ids.loc[queue["other_record_id"]].to_numpy(),
        }
    )
    evidence = queue.drop(columns=["record_id", "other_record_id", "rule", "weight"]).add_prefix("agree_")
    return pd.concat([out, evidence.reset_index(drop=True)], axis=1)


def _run(args: argparse.Namespace) -> int:
    records, report = read_files(args.files)
    repeated = records["record_id"].duplicated()
    if repeated.any():
        print(f"note: {int(repeated.sum())} record(s) read twice (same file given twice?) counted once", file=sys.stderr)
        records = records[~repeated].reset_index(drop=True)
    decisions = read_decisions(args.decisions) if args.decisions else None
    result = link_records(records, decisions)
    clusters = result.clusters
    source_ids = records.set_index("record_id")["source_id"]
    clusters.insert(1, "source_id", source_ids.loc[clusters["record_id"]].to_numpy())
    write_csv(clusters, args.output)
    if args.queue:
        write_csv(queue_table(review_queue(result), source_ids), args.queue)
    print(report.summary(), file=sys.stderr)
    n_clusters = clusters["cluster_id"].nunique()
    print(
        f"{len(clusters)} records in {n_clusters} publications "
        f"({len(clusters) - n_clusters} duplicates); wrote {args.output}",
        file=sys.stderr,
    )
    return 0
