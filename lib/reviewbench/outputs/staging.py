"""All or nothing: a run writes its outputs to a staging folder, swapped in when it succeeds.

:func:`staged_outputs` gives a folder under ``.cache/run/`` that mirrors the project
(``<staging>/outputs/...``). When the block it guards ends without an error, the staged
output folder replaces the project's in two renames; on an error, or if the process is
killed, the project's ``outputs/`` is left as it was and the staging folder is thrown away
(a killed run's is cleared by the next run, which also puts back an output folder a kill
left between the two renames). What the run did not write is carried over from the
previous folder: other reports (``outputs/<filters>/``), and, for a run of some notebooks
only, every file those notebooks did not rewrite.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..project import Project

#: The folders one report writes; anything else in an output folder belongs to another report.
REPORT_FOLDERS = ("tables", "figures", "references", "notebooks")
PREVIOUS = "previous"


@dataclass(frozen=True)
class Staging:
    """One run's staging: ``root`` mirrors the project; ``folder`` is where the output
    folder ``name`` (relative to the project, e.g. ``outputs``) is written."""

    project: Project
    root: Path
    name: str

    @property
    def folder(self) -> Path:
        return self.root / self.name

    @property
    def relative_root(self) -> str:
        """``root`` relative to the project (what notebooks are given; no machine paths)."""
        return os.path.relpath(self.root, self.project.root)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(project: Project) -> list[str]:
    """Clear the staging folders of runs that are no longer running; put back an output
    folder that a run killed between its two renames left aside. Returns what was put back."""
    base = project.cache_dir("run")
    restored = []
    if not base.is_dir():
        return restored
    for folder in sorted(p for p in base.iterdir() if p.is_dir() and p.name != "failed"):
        pid = folder.name.split("-", 1)[0]
        if pid.isdigit() and _alive(int(pid)) and int(pid) != os.getpid():
            continue
        previous = folder / PREVIOUS
        marker = folder / "target"
        if previous.is_dir() and marker.is_file():
            target = project.root / marker.read_text(encoding="utf-8").strip()
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.rename(previous, target)
                restored.append(str(target.relative_to(project.root)))
        shutil.rmtree(folder, ignore_errors=True)
    return restored


def _carry_over(previous: Path, staged: Path, every_file: bool) -> None:
    """Copy into ``staged`` what the run did not write: other reports' folders (and with
    ``every_file``, every file of ``previous`` missing from ``staged``)."""
    for entry in sorted(previous.iterdir()):
        dest = staged / entry.name
        if entry.name in REPORT_FOLDERS and not every_file:
            continue
        if entry.is_dir():
            if not dest.exists():
                shutil.copytree(entry, dest, symlinks=True)
            elif every_file:
                _carry_over(entry, dest, every_file)
        elif not dest.exists():
            shutil.copy2(entry, dest, follow_symlinks=False)


def swap_in(staging: Staging, every_file: bool = False) -> Path:
    """Replace the project's output folder ``staging.name`` by the staged one."""
    target = staging.project.root / staging.name
    staged = staging.folder
    staged.mkdir(parents=True, exist_ok=True)
    if target.is_dir():
        _carry_over(target, staged, every_file)
    (staging.root / "target").write_text(staging.name, encoding="utf-8")
    previous = staging.root / PREVIOUS
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        os.rename(target, previous)
    try:
        os.rename(staged, target)
    except OSError:
        if previous.exists():
            os.rename(previous, target)
        raise
    return target


@contextlib.contextmanager
def staged_outputs(project: Project, name: str, every_file: bool = False) -> Iterator[Staging]:
    """A staging folder for the output folder ``name``; swapped in (:func:`swap_in`) when
    the block ends without an error, thrown away otherwise."""
    recover(project)
    root = project.cache_dir("run") / f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    staging = Staging(project, root, name)
    staging.folder.mkdir(parents=True)
    try:
        yield staging
        swap_in(staging, every_file)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def keep_failed(staging: Staging, executed: Path) -> Path | None:
    """Move a failed notebook's executed copy out of the staging folder to
    ``.cache/run/failed/`` (never into ``outputs/``) and return where it is now."""
    if not executed.is_file():
        return None
    failed = staging.project.cache_dir("run") / "failed"
    failed.mkdir(parents=True, exist_ok=True)
    dest = failed / executed.name
    os.replace(executed, dest)
    return dest
