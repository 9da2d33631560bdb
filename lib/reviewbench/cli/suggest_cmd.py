"""`reviewbench suggest TEXTS.csv -o CODES.csv [--project DIR]`: suggest codes for free text.

TEXTS.csv has columns ``id`` and ``text``. The output has one row per suggestion:
``id, dimension, code, confidence, rule`` (keyword rules with their guards and context
checks; a span model that judges each hit from its context, and a classifier, both
trained on the project's findings already coded; the confidence is calibrated on those
findings and ``rule`` names the span that triggered the suggestion).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from ..errors import InputFileError
from ..outputs_io import write_csv
from ..project import open_project


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "suggest",
        help="suggest codes for free text from the codebook and the findings already coded",
        description="Suggest codes for each text of TEXTS.csv (columns id,text): keyword rules "
        "with their guards, plus a classifier trained on the project's coded findings.",
    )
    parser.add_argument("texts", metavar="TEXTS.csv", help="CSV with columns id and text")
    parser.add_argument("-o", "--output", metavar="CODES.csv", required=True, help="where to write the suggestions")
    parser.add_argument("--project", metavar="DIR", help="the review project (default: the folder you are in)")
    parser.add_argument("--in-population", action="store_true", help="the texts are known to be about the review's population (e.g. findings of included studies): words of a dimension with a window need not be near a population term")
    parser.add_argument("--threshold", type=float, default=None, help="smallest confidence to write a suggestion (default 0.5, and for hits the span model judges the cut-off chosen by cross-validation on the coded findings)")
    parser.add_argument("--no-classifier", action="store_true", help="keyword rules only (no classifier, no span model)")
    parser.set_defaults(func=_run)


def read_texts(path: str | Path) -> pd.DataFrame:
    """The ``id, text`` frame of a TEXTS.csv; raises :class:`InputFileError` naming the problem."""
    path = Path(path)
    if not path.is_file():
        raise InputFileError(path, "file not found", expected="a CSV with columns id,text")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise InputFileError(path, f"cannot be read as CSV ({str(exc).splitlines()[0]})", expected="a UTF-8 CSV with columns id,text") from None
    columns = {c.strip().lower(): c for c in df.columns}
    missing = [c for c in ("id", "text") if c not in columns]
    if missing:
        raise InputFileError(path, f"missing column(s) {', '.join(missing)}; found {', '.join(map(str, df.columns))}", line=1, expected="a header with columns id,text")
    df = df.rename(columns={columns["id"]: "id", columns["text"]: "text"})[["id", "text"]]
    duplicated = df["id"].duplicated()
    if duplicated.any():
        first = int(duplicated.idxmax())
        raise InputFileError(path, f"id {df['id'][first]!r} appears more than once", line=first + 2, expected="one row per id")
    return df


def _run(args: argparse.Namespace) -> int:
    from ..coding.codebook import load_codebook
    from ..coding.findings import coder_logs
    from ..coding.coded import coded_findings
    from ..coding.suggest import MIN_CONFIDENCE, Suggester

    project = open_project(args.project)
    codebook = load_codebook(project)
    texts = read_texts(args.texts)
    training = coded_findings(project) if coder_logs(project) else None  # also calibrates confidence
    threshold = MIN_CONFIDENCE if args.threshold is None else args.threshold
    suggester = Suggester(codebook, training, use_classifier=not args.no_classifier, threshold=threshold)
    if args.threshold is not None:
        for judge in suggester.judges.values():
            judge.cutoff = args.threshold
    found = suggester.suggest(texts, assume_population=args.in_population)
    write_csv(found, args.output)
    n_train = 0 if training is None else len(training)
    source = "keyword rules" if args.no_classifier else f"keyword rules, a span model and a classifier trained on {n_train} coded finding(s)"
    cutoffs = "".join(f"; {dim} hits >= {judge.cutoff:g}" for dim, judge in suggester.judges.items())
    print(f"{len(found)} suggestion(s) for {len(texts)} text(s) written to {args.output} ({source}; "
          f"confidence >= {threshold:g}{cutoffs}; the coding form pre-selects those >= {suggester.preselect:g})", file=sys.stderr)
    return 0
