"""``reviewbench init DIR [--example]``: lay out a new review.

Without ``--example``: the folders, a neutral template ``review.yml`` (population,
concept, context), a short commented ``codebook.yml`` (concept, study design, setting,
and the tables and gap maps the reports show), an empty ``searches.yml``, the standard
notebooks and a GitHub workflow that keeps ``outputs/`` current. With ``--example``: the
sex-work example review of this repository instead (its exports, decisions, codebook
and findings), from a clone of reviewbench.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from ..errors import ProjectError

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
#: The example review ships in the folders of the reviewbench repository, beside ``lib/``.
EXAMPLE = Path(__file__).resolve().parents[3]
FOLDERS = ("bibliography", "evidence/screening/title_abstract", "evidence/screening/full_text",
           "evidence/dedup", "evidence/findings", "notebooks", "outputs")
GITIGNORE = ".cache/\n.ipynb_checkpoints/\n"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "init",
        help="start a new review in DIR",
        description="Create DIR with bibliography/, evidence/, notebooks/ and outputs/, a template "
        "evidence/review.yml and codebook.yml, bibliography/searches.yml, the standard notebooks and a "
        "GitHub Actions workflow that keeps outputs/ current. --example lays out the sex-work example "
        "review instead.",
    )
    parser.add_argument("directory", metavar="DIR", type=Path, help="folder for the new review (new or empty)")
    parser.add_argument("--example", action="store_true",
                        help="the example review (sex workers' health in Yorkshire and the Humber) with its data")
    parser.set_defaults(func=_run)


def _copy(src: Path, dst: Path, written: list[Path]) -> None:
    if src.is_file() and not dst.exists():
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        written.append(dst)


def _example_files() -> dict[Path, str]:
    """Source file -> path in the new project, for every input file of the example review."""
    if not (EXAMPLE / "evidence" / "review.yml").is_file() or not (EXAMPLE / "bibliography").is_dir():
        raise ProjectError("the example review ships with the reviewbench repository (bibliography/ and evidence/ "
                           "beside lib/), which this installation does not have; clone the repository to get it")
    files = {}
    for folder in ("bibliography", "evidence"):
        for path in sorted((EXAMPLE / folder).rglob("*")):
            rel = path.relative_to(EXAMPLE)
            if path.is_file() and not any(part.startswith(("_", ".")) for part in rel.parts):
                files[path] = str(rel)
    return files


def init_project(directory: Path, example: bool = False) -> list[Path]:
    """Create the folders and files of a new project; returns the files written.

    Refuses a folder that already holds an ``evidence/review.yml``, so an existing review
    is never overwritten.
    """
    directory = Path(directory)
    if (directory / "evidence" / "review.yml").exists():
        raise ProjectError(f"{directory} already holds a review (evidence/review.yml exists); nothing was changed")
    copies = _example_files() if example else {
        TEMPLATES / "review.yml": "evidence/review.yml",
        TEMPLATES / "codebook.yml": "evidence/codebook.yml",
        TEMPLATES / "searches.yml": "bibliography/searches.yml",
    }
    copies[TEMPLATES / "github-workflow-review.yml"] = ".github/workflows/review.yml"
    copies.update({nb: f"notebooks/{nb.name}" for nb in sorted((TEMPLATES / "notebooks").glob("*.ipynb"))})
    written: list[Path] = []
    for folder in FOLDERS:
        (directory / folder).mkdir(parents=True, exist_ok=True)
    for src, rel in copies.items():
        _copy(src, directory / rel, written)
    gitignore = directory / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text(GITIGNORE, encoding="utf-8")
        written.append(gitignore)
    return written


def _run(args: argparse.Namespace) -> int:
    written = init_project(args.directory, example=args.example)
    for path in written:
        print(f"created {path}", file=sys.stderr)
    if args.example:
        print(f"The example review is in {args.directory}. Next: `reviewbench run --project {args.directory}`.", file=sys.stderr)
        return 0
    print(
        f"New review in {args.directory}. Next: put your search exports in bibliography/ and describe each "
        "search in bibliography/searches.yml; replace every <...> in evidence/review.yml and "
        "evidence/codebook.yml (`reviewbench validate` lists what is left); then `reviewbench run`, "
        "which reports the review at any stage.",
        file=sys.stderr,
    )
    return 0
