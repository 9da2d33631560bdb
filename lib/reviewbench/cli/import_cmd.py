"""``reviewbench import FILE_OR_DIR... -o OUT.csv``: parse exports into the record schema."""

from __future__ import annotations

import argparse
import sys

from ..formats import read_files
from ..formats.registry import FORMATS
from ..formats.writers import write_csv_records


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import",
        help=f"parse search exports ({', '.join(f.label for f in FORMATS)}) into one record table",
        description="Parse search exports into the reviewbench record schema. The format is "
        "detected from each file's content (the extension is only a hint). A report of "
        "records read, skipped and why, per file, is printed to standard error; a progress "
        "bar shows on long imports at a terminal.",
    )
    add_input_files(parser)
    parser.add_argument("-o", "--output", required=True, metavar="OUT.csv", help="CSV file to write")
    parser.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    parser.set_defaults(func=_run)


def add_input_files(parser: argparse.ArgumentParser) -> None:
    """The ``FILE_OR_DIR...`` argument that ``import`` and ``dedupe`` share."""
    parser.add_argument("files", nargs="+", metavar="FILE_OR_DIR",
                        help="search export(s) to read; a folder: every export in it (searches.yml skipped)")


def _run(args: argparse.Namespace) -> int:
    records, report = read_files(args.files, progress=False if args.no_progress else None)
    write_csv_records(records, args.output)
    print(report.summary(), file=sys.stderr)
    print(f"wrote {len(records)} records to {args.output}", file=sys.stderr)
    return 0
