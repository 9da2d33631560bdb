"""`reviewbench agreement --stage STAGE | --codes [--project DIR]`: agreement as a table.

Screening: percent agreement, Cohen's kappa with its 95% confidence interval and PABAK
for every pair of reviewers at one stage, once blinding is lifted (every screener of the
stage has screened every record); until then only who has screened how many. Codes: agreement between coders of findings.
"""

from __future__ import annotations

import argparse

from ..project import SCREENING_STAGES, open_project


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "agreement",
        help="agreement between screeners (--stage) or coders (--codes), printed as a table",
        description="Print agreement between reviewers at a screening stage, or between coders of findings.",
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--stage", choices=SCREENING_STAGES, help="screening stage to compare reviewers at")
    which.add_argument("--codes", action="store_true", help="agreement between coders of findings")
    parser.add_argument("--project", metavar="DIR", help="the review project (default: found from the current folder)")
    parser.add_argument(
        "--keep-maybe",
        action="store_true",
        help="screening: treat 'maybe' as its own category (default: counted as include)",
    )
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    project = open_project(args.project)
    if args.codes:
        from ..coding.agreement import agreement_report as coding_report

        print(coding_report(project), end="")
        return 0
    from ..pipeline import screening_records
    from ..screening.agreement import agreement_report
    from ..screening.conflicts import blinding

    records, clusters = screening_records(project, args.stage)
    state = blinding(project, args.stage, records["record_id"], clusters)  # nothing shown while it holds
    print(agreement_report(project, args.stage, keep_maybe=args.keep_maybe, blinded=state.summary() if state.holds else ""), end="")
    return 0
