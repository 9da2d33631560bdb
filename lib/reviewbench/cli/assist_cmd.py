"""`reviewbench assist screen|code|evaluate`: a language model as an extra reviewer.

- ``assist screen --stage STAGE [--limit N]``: ask the endpoint of ``review.yml``'s
  ``assist:`` block for each record's decision; answers go to
  ``evidence/screening/STAGE/assist-<model>.csv``; a record already answered with the same
  prompt and model is never asked again.
- ``assist code [--limit N]``: ask for the codes of every finding the team has coded
  (``evidence/findings/assist/assist-<model>.csv``), to measure the model's suggestions.
- ``assist evaluate --stage STAGE | --codes``: the model against the team's consensus
  (sensitivity, specificity, kappa, 95% intervals), from the logs alone: no request.
"""

from __future__ import annotations

import argparse

from ..project import SCREENING_STAGES, open_project


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "assist",
        help="a language model as an extra reviewer: screen, code, and evaluate it against the team",
        description="Ask the OpenAI-compatible endpoint of review.yml's assist: block, and measure it against the team.",
    )
    commands = parser.add_subparsers(dest="assist_command", metavar="ACTION", required=True)
    project = {"metavar": "DIR", "help": "the review project (default: found from the current folder)"}
    limit = {"type": int, "metavar": "N", "help": "ask about at most N records or findings in this run"}

    screen = commands.add_parser("screen", help="ask the model for each record's decision at a stage")
    screen.add_argument("--stage", choices=SCREENING_STAGES, required=True, help="screening stage")
    screen.add_argument("--limit", **limit)
    screen.add_argument("--project", **project)
    screen.set_defaults(func=_screen)

    code = commands.add_parser("code", help="ask the model for the codes of every finding the team has coded")
    code.add_argument("--limit", **limit)
    code.add_argument("--project", **project)
    code.set_defaults(func=_code)

    evaluate = commands.add_parser("evaluate", help="the model against the team: sensitivity, specificity, kappa (95% CI)")
    which = evaluate.add_mutually_exclusive_group(required=True)
    which.add_argument("--stage", choices=SCREENING_STAGES, help="compare screening decisions at this stage")
    which.add_argument("--codes", action="store_true", help="compare codes of the findings both have coded")
    evaluate.add_argument("--project", **project)
    evaluate.set_defaults(func=_evaluate)


def _screen(args: argparse.Namespace) -> int:
    from ..assist.client import ChatClient
    from ..assist.config import load_assist_settings
    from ..assist.screen import screen
    from ..pipeline import screening_records

    project = open_project(args.project)
    settings = load_assist_settings(project)
    client = ChatClient(settings)
    records, _clusters = screening_records(project, args.stage)
    run = screen(project, args.stage, records, client, settings, limit=args.limit)
    print(f"assist screen {args.stage} with {settings.model}: {run.summary()}")
    return 0


def _code(args: argparse.Namespace) -> int:
    from ..assist.client import ChatClient
    from ..assist.code import code
    from ..assist.config import load_assist_settings
    from ..coding.codebook import load_codebook
    from ..coding.coded import coded_findings

    project = open_project(args.project)
    settings = load_assist_settings(project)
    client = ChatClient(settings)
    findings = coded_findings(project)
    texts = findings.rename(columns={"finding_id": "id", "finding": "text"})[["id", "text"]]
    run = code(project, load_codebook(project), texts, client, settings, limit=args.limit)
    print(f"assist code with {settings.model}: {run.summary()}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from ..assist.config import load_assist_settings
    from ..assist.evaluate import coding_report, evaluate_screening, screening_report
    from ..coding.codebook import load_codebook
    from ..pipeline import screening_records

    project = open_project(args.project)
    settings = load_assist_settings(project)
    if args.codes:
        print(coding_report(project, load_codebook(project), settings), end="")
        return 0
    records, clusters = screening_records(project, args.stage)
    print(screening_report(evaluate_screening(project, args.stage, settings, clusters, records)), end="")
    return 0
