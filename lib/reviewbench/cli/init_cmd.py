"""``reviewbench init DIR``: lay out a new review with template files."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from ..errors import ProjectError

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
FOLDERS = ("bibliography", "evidence/screening/title_abstract", "evidence/screening/full_text",
           "evidence/dedup", "evidence/findings", "notebooks", "outputs")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "init",
        help="start a new review in DIR",
        description="Create DIR with bibliography/, evidence/, notebooks/ and outputs/, a template "
        "evidence/review.yml and codebook.yml, bibliography/searches.yml, the standard notebooks and a "
        "GitHub Actions workflow that keeps outputs/ current.",
    )
    parser.add_argument("directory", metavar="DIR", type=Path, help="folder for the new review (new or empty)")
    parser.set_defaults(func=_run)


def init_project(directory: Path) -> list[Path]:
    """Create the folders and template files of a new project; returns the files written.

    Refuses a folder that already holds an ``evidence/review.yml``, so an existing review
    is never overwritten.
    """
    directory = Path(directory)
    if (directory / "evidence" / "review.yml").exists():
        raise ProjectError(f"{directory} already holds a review (evidence/review.yml exists); nothing was changed")
    written: list[Path] = []
    for folder in FOLDERS:
        (directory / folder).mkdir(parents=True, exist_ok=True)
    copies = {
        TEMPLATES / "review.yml": directory / "evidence" / "review.yml",
        TEMPLATES / "codebook.yml": directory / "evidence" / "codebook.yml",
        TEMPLATES / "searches.yml": directory / "bibliography" / "searches.yml",
        TEMPLATES / "github-workflow-review.yml": directory / ".github" / "workflows" / "review.yml",
    }
    for src, dst in copies.items():
        if src.is_file() and not dst.exists():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
            written.append(dst)
    notebooks = TEMPLATES / "notebooks"
    if notebooks.is_dir():
        for nb in sorted(notebooks.glob("*.ipynb")):
            dst = directory / "notebooks" / nb.name
            if not dst.exists():
                shutil.copyfile(nb, dst)
                written.append(dst)
    gitignore = directory / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text(".cache/\n.ipynb_checkpoints/\n", encoding="utf-8")
        written.append(gitignore)
    return written


def _run(args: argparse.Namespace) -> int:
    written = init_project(args.directory)
    for path in written:
        print(f"created {path}", file=sys.stderr)
    print(
        f"New review in {args.directory}. Next: put your search exports in bibliography/, "
        "record them in bibliography/searches.yml, edit evidence/review.yml and evidence/codebook.yml, "
        "then open notebooks/ in JupyterLab.",
        file=sys.stderr,
    )
    return 0
