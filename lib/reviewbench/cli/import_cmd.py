"""``reviewbench import FILE... -o OUT.csv``: parse exports into the record schema."""

from __future__ import annotations

import argparse
import sys

from ..formats import read_files
from ..schema import to_csv_frame
from ..outputs_io import write_csv


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import",
        help="parse search exports (RIS, BibTeX, MEDLINE, CSV, ...) into one record table",
        description="Parse search exports into the reviewbench record schema. The format is "
        "detected from each file's content. A report of records read and skipped per file "
        "is printed to standard error.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="search export(s) to read")
    parser.add_argument("-o", "--output", required=True, metavar="OUT.csv", help="CSV file to write")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    records, report = read_files(args.files)
    write_csv(to_csv_frame(records), args.output)
    print(report.summary(), file=sys.stderr)
    print(f"wrote {len(records)} records to {args.output}", file=sys.stderr)
    return 0
