"""`reviewbench validate [--project DIR]`: check every YAML file and log of a project, and
the project as a whole (exports against searches.yml, decisions and findings against
where each record stands).

Exit status 0 when everything is valid; otherwise every problem is printed with its
file, line and record, and the status is 2 (as for any error a user can fix).
"""

from __future__ import annotations

import argparse
import sys

from ..errors import ValidationError
from ..project import open_project


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check review.yml, codebook.yml, searches.yml and every decision and findings log, and the project as a whole",
        description="Check the project's YAML files and every screening, dedup, findings and "
        "reconciliation log, then the project as a whole: it imports and deduplicates the exports "
        "and checks them against searches.yml, and the decisions and findings against where each "
        "record stands. Print each problem with its file, line and record.",
    )
    parser.add_argument("--project", metavar="DIR", help="the review project (default: the folder you are in)")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from ..validate import validate_project  # imported when run: it loads every step, and --help need not

    project = open_project(args.project)
    problems = validate_project(project)
    if problems:
        raise ValidationError(problems)
    print(f"{project.root}: review.yml, codebook.yml, searches.yml and all logs are valid and agree with the exports", file=sys.stderr)
    return 0
