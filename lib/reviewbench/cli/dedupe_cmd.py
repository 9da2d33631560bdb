"""``reviewbench dedupe FILE... -o CLUSTERS.csv``: one row per input record with its cluster."""

from __future__ import annotations

import argparse
import sys

from ..dedupe import find_duplicates
from ..formats import read_files
from ..outputs_io import write_csv


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "dedupe",
        help="find duplicate records across search exports",
        description="Import the files and write one row per input record: record_id, "
        "source_id, cluster_id, source_file and the evidence of each link (rule, score). "
        "Records with the same cluster_id are the same publication.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="search export(s) to read")
    parser.add_argument("-o", "--output", required=True, metavar="CLUSTERS.csv", help="CSV file to write")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    records, report = read_files(args.files)
    clusters = find_duplicates(records)
    clusters.insert(1, "source_id", records.set_index("record_id").loc[clusters["record_id"], "source_id"].to_numpy())
    write_csv(clusters, args.output)
    print(report.summary(), file=sys.stderr)
    n_clusters = clusters["cluster_id"].nunique()
    print(
        f"{len(clusters)} records in {n_clusters} publications "
        f"({len(clusters) - n_clusters} duplicates); wrote {args.output}",
        file=sys.stderr,
    )
    return 0
