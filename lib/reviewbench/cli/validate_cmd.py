"""`reviewbench validate [--project DIR]`: check every YAML file and log of a project, and
the project as a whole (exports against searches.yml, decisions and findings against
where each record stands).

Exit status 0 when everything is valid; otherwise every problem is printed with its
file, line and record, and the status is 2 (as for any error a user can fix). With ``--repair``
the incomplete last row of any log under ``evidence/`` (a write cut off) is first moved
to a side file ``<log>.torn``, and each move is printed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import LogWriteError, ValidationError
from ..logs import repair_torn_tail
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
    parser.add_argument(
        "--repair", action="store_true",
        help="first move the incomplete last row of any log (a write cut off by a crash or a full disk) to <log>.torn",
    )
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from ..validate import validate_project  # imported when run: it loads every step, and --help need not

    project = open_project(args.project)
    if args.repair:
        _repair(project.evidence)
    problems = validate_project(project)
    if problems:
        raise ValidationError(problems)
    print(f"{project.root}: review.yml, codebook.yml, searches.yml and all logs are valid and agree with the exports", file=sys.stderr)
    return 0


def _repair(evidence: Path) -> None:
    """Move the incomplete last row of every log under ``evidence/`` aside, saying so.
    A log that cannot be repaired (a symbolic link) is left for the checks to report."""
    repaired = 0
    for path in sorted(evidence.rglob("*.csv")):
        try:
            message = repair_torn_tail(path)
        except LogWriteError:
            continue
        if message:
            repaired += 1
            print(message, file=sys.stderr)
    if not repaired:
        print("no log has an incomplete last row; nothing to repair", file=sys.stderr)
