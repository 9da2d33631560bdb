"""`reviewbench run [--project DIR] [-p NAME VALUE ...]`: execute the project's notebooks.

Every ``notebooks/*.ipynb`` runs in sorted order through papermill with ``project_dir``
(relative to ``notebooks/``, so executed copies hold no machine paths) and
``output_dir`` injected, plus the ``-p`` parameters; each notebook receives only the
parameters its ``parameters`` cell declares. Report parameters are checked against the
codebook before anything runs. Executed notebooks (.ipynb and self-contained .html) go
to ``<output_dir>/notebooks/``. With ``-p`` only the notebooks that take one of the
given parameters run: ``-p subgroup migrant`` writes a migrant-focused report to
``outputs/subgroup-migrant/``.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

from ..errors import ParameterError, ProjectError
from ..project import open_project


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "run",
        help="execute the project's notebooks and write every output under outputs/",
        description="Execute notebooks/*.ipynb with papermill; write tables, figures, reference lists "
        "and executed notebooks (.ipynb and .html) under outputs/.",
    )
    parser.add_argument("--project", metavar="DIR", help="project folder (default: found from the current folder)")
    parser.add_argument(
        "-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
        help="report parameter, e.g. -p subgroup migrant, -p prevention_tier primary,secondary, "
        "-p year_from 2010, -p formats csv,xlsx (repeatable)",
    )
    parser.add_argument("--notebook", action="append", default=[], metavar="NAME",
                        help="run only notebooks whose file name contains NAME (repeatable)")
    parser.add_argument("--no-html", action="store_true", help="skip the HTML copies of executed notebooks")
    parser.set_defaults(func=_run)


def parse_value(text: str) -> Any:
    """A -p value: integers become int, ``none``/``null`` None, anything else stays text."""
    stripped = text.strip()
    if re.fullmatch(r"-?\d+", stripped):
        return int(stripped)
    if stripped.lower() in ("none", "null"):
        return None
    return stripped


def collect_parameters(pairs: list[list[str]]) -> dict[str, Any]:
    """``-p`` pairs as a dict; a name given twice collects its values into a list."""
    params: dict[str, Any] = {}
    for name, value in pairs:
        value = parse_value(value)
        if name in params:
            prev = params[name]
            params[name] = (prev if isinstance(prev, list) else [prev]) + [value]
        else:
            params[name] = value
    return params


def _declared_parameters(notebook: Path) -> list[str]:
    """Names set in the notebook's ``parameters`` cell (papermill's own reading of it)."""
    import papermill as pm

    try:
        return list(pm.inspect_notebook(str(notebook)))
    except Exception:  # no parameters cell or unreadable: papermill will report it when running
        return []


def _run(args: argparse.Namespace) -> int:
    from ..outputs.notebook_runner import execute_notebook, notebook_html
    from ..outputs.params import PARAMETER_NAMES, validate_params
    from ..outputs.report import codebook_codes

    project = open_project(args.project)
    raw = collect_parameters(args.parameter)
    notebooks = sorted(project.notebooks.glob("*.ipynb")) if project.notebooks.is_dir() else []
    if args.notebook:
        notebooks = [nb for nb in notebooks if any(sel in nb.name for sel in args.notebook)]
    if not notebooks:
        raise ProjectError(f"{project.notebooks}: no notebooks to run (expected notebooks/*.ipynb)")
    declared = {nb: set(_declared_parameters(nb)) for nb in notebooks}
    known = (set().union(*declared.values()) | set(PARAMETER_NAMES)) - {"project_dir"}
    unknown = [n for n in raw if n not in known]
    if unknown:
        raise ParameterError("-p NAME", unknown[0], sorted(known))
    params = validate_params({k: v for k, v in raw.items() if k in PARAMETER_NAMES}, codebook_codes(project))
    injected = {**raw, "project_dir": os.path.relpath(project.root, project.notebooks), "output_dir": params.output_dir}
    for key in ("formats", "subgroup", "prevention_tier", "determinant_layer"):
        if isinstance(injected.get(key), list):
            injected[key] = ",".join(map(str, injected[key]))
    if raw:  # a focused report: only the notebooks that take one of the -p parameters
        notebooks = [nb for nb in notebooks if declared[nb] & set(raw)]
        if not notebooks:
            raise ParameterError("-p NAME", ", ".join(raw), sorted(set().union(*declared.values()) - {"project_dir"}))
    out_dir = project.output_path(params.output_dir, "notebooks")
    print(f"reviewbench run: {len(notebooks)} notebook(s) -> {params.output_dir}/ ({params.describe()})")
    total = 0.0
    for nb in notebooks:
        start = time.perf_counter()
        values = {k: v for k, v in injected.items() if k in declared[nb]}
        executed = execute_notebook(nb, out_dir / nb.name, values, cwd=project.notebooks)
        if not args.no_html:
            notebook_html(executed, executed.with_suffix(".html"))
        took = time.perf_counter() - start
        total += took
        print(f"  {nb.name:<40} {took:6.1f} s")
        sys.stdout.flush()
    print(f"  {'total':<40} {total:6.1f} s")
    return 0
