"""The ``reviewbench`` command line: thin shells over the library.

Each sub-command lives in its own module exposing ``register(subparsers)``; the
module sets ``func`` on its parser. Errors a user can fix (:class:`ReviewbenchError`)
are printed as one message and exit status 2, never as a traceback; so are the errors of
files met on the way (:data:`~reviewbench.errors.FILE_ERRORS`: a folder or an unwritable
path given as output, a full disk, a damaged CSV, XML or ZIP file).
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from .. import __version__
from ..errors import FILE_ERRORS, ReviewbenchError, describe_error
from . import agreement_cmd, assist_cmd, dedupe_cmd, import_cmd, init_cmd, run_cmd, simulate_cmd, suggest_cmd, validate_cmd

#: The sub-commands, in the order ``reviewbench --help`` lists them.
COMMANDS = (import_cmd, dedupe_cmd, simulate_cmd, run_cmd, validate_cmd, agreement_cmd, suggest_cmd, init_cmd, assist_cmd)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="reviewbench",
        description="Reproducible literature reviews: import, deduplicate, screen, code and synthesise.",
    )
    parser.add_argument("--version", action="version", version=f"reviewbench {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 1
    try:
        return int(args.func(args) or 0)
    except ReviewbenchError as exc:
        message = str(exc)
    except FILE_ERRORS as exc:
        message = describe_error(exc)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    print(f"reviewbench {args.command}: error: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
