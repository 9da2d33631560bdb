"""`reviewbench run [--project DIR] [--final] [-p NAME VALUE ...]`: execute the project's notebooks.

Every ``notebooks/*.ipynb`` runs in sorted order through papermill with ``project_dir``
(relative to ``notebooks/``, so executed copies hold no machine paths), ``output_dir``
and ``staging_dir`` injected, plus the ``-p`` parameters; each notebook receives only the
parameters its ``parameters`` cell declares. Report parameters are checked against the
codebook before anything runs; a filter the codebook declares (``filters:``) reaches the
notebooks in their ``filters`` parameter.

A run is atomic: everything is written to a staging folder (:mod:`reviewbench.outputs.staging`)
that replaces ``outputs/`` only when every notebook succeeded. A review in progress
(unscreened records, conflicts, ``maybe``) is reported: the open states are printed as
notes and drawn as plain PRISMA boxes. A review that says it is complete (``status:
complete`` in ``review.yml``, or ``--final``) stops before any notebook runs when
anything is open, naming the records. With ``-p`` only the notebooks that take one of
the given parameters run, into their own folder (``-p setting community`` writes
``outputs/setting-community/``).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

from ..errors import IncompleteReviewError, ParameterError, ProjectError
from ..project import open_project


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "run",
        help="execute the project's notebooks and write every output under outputs/",
        description="Execute notebooks/*.ipynb with papermill; write tables, figures, reference lists "
        "and executed notebooks (.ipynb and .html) under outputs/, replacing it only when every "
        "notebook succeeded. What a review in progress still has open is printed as notes.",
    )
    parser.add_argument("--project", metavar="DIR", help="project folder (default: found from the current folder)")
    parser.add_argument(
        "-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
        help="report parameter: a filter the codebook declares (e.g. -p setting community, "
        "-p setting community,hospital), -p year_from 2010, -p stage title_abstract, -p formats csv,xlsx (repeatable)",
    )
    parser.add_argument("--final", action="store_true",
                        help="the review is complete: any open state (unscreened, conflict, maybe, ...) is an error "
                        "naming the records (as with `status: complete` in review.yml)")
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


def _notebook_values(injected: dict[str, Any], declared: set[str], staging_dir: str, output_dir: str) -> dict[str, Any]:
    """The injected parameters a notebook declares. A notebook that takes ``output_dir`` but
    not ``staging_dir`` is given the staged folder itself, so it too writes into the staging."""
    values = {k: v for k, v in injected.items() if k in declared}
    if "output_dir" in declared and "staging_dir" not in declared:
        values["output_dir"] = os.path.join(staging_dir, output_dir)
    return values


def _run(args: argparse.Namespace) -> int:
    from ..outputs.notebook_runner import NotebookError, execute_notebook, notebook_html
    from ..outputs.params import PARAMETER_NAMES, validate_params
    from ..outputs.report import codebook_codes, is_final, review_notes
    from ..outputs.review_data import load_review_data
    from ..outputs.staging import keep_failed, staged_outputs

    project = open_project(args.project)
    raw = collect_parameters(args.parameter)
    notebooks = sorted(project.notebooks.glob("*.ipynb")) if project.notebooks.is_dir() else []
    if args.notebook:
        notebooks = [nb for nb in notebooks if any(sel in nb.name for sel in args.notebook)]
    if not notebooks:
        raise ProjectError(f"{project.notebooks}: no notebooks to run (expected notebooks/*.ipynb)")
    declared = {nb: set(_declared_parameters(nb)) for nb in notebooks}
    codes = codebook_codes(project)
    injected_only = {"project_dir", "staging_dir", "final"}
    known = (set().union(*declared.values()) | set(PARAMETER_NAMES) | set(codes)) - injected_only
    unknown = [n for n in raw if n not in known]
    if unknown:
        raise ParameterError("-p NAME", unknown[0], sorted(known))
    params = validate_params({k: v for k, v in raw.items() if k in PARAMETER_NAMES or k in codes}, codes)
    final = args.final or is_final(project)
    notes = review_notes(load_review_data(project), params)
    if final and notes:
        raise IncompleteReviewError(notes, "--final" if args.final else "status: complete in review.yml")
    filters = {dim: ",".join(map(str, v)) if isinstance(v, list) else v for dim, v in raw.items() if dim in codes}
    injected = {**raw, "project_dir": os.path.relpath(project.root, project.notebooks), "output_dir": params.output_dir}
    if filters:
        injected["filters"] = filters
    if args.final:
        injected["final"] = True
    for key in ("formats", *codes):
        if isinstance(injected.get(key), list):
            injected[key] = ",".join(map(str, injected[key]))
    if raw:  # a focused report: only the notebooks that take one of the -p parameters
        taken = {"filters" if name in codes else name for name in raw}
        notebooks = [nb for nb in notebooks if declared[nb] & (taken | set(filters))]
        if not notebooks:
            raise ParameterError("-p NAME", ", ".join(raw), sorted(set().union(*declared.values()) - injected_only))
    print(f"reviewbench run: {len(notebooks)} notebook(s) -> {params.output_dir}/ ({params.describe()})")
    for note in notes:
        print(f"  note: {note}")
    total = 0.0
    with staged_outputs(project, params.output_dir, every_file=bool(args.notebook)) as staging:
        injected["staging_dir"] = os.path.relpath(staging.root, project.root)
        out_dir = staging.folder / "notebooks"
        for nb in notebooks:
            start = time.perf_counter()
            values = _notebook_values(injected, declared[nb], staging.relative_root, params.output_dir)
            try:
                shown_as = {"staging_dir": ".cache/run/<this run>", "output_dir": params.output_dir}
                executed = execute_notebook(nb, out_dir / nb.name, values, cwd=project.notebooks, shown_as=shown_as)
            except NotebookError as exc:
                kept = keep_failed(staging, out_dir / nb.name)
                where = f"; the executed notebook, with the error, is in {os.path.relpath(kept, project.root)}" if kept else ""
                raise NotebookError(f"{exc}{where}; outputs/ was left as it was") from None
            if not args.no_html:
                notebook_html(executed, executed.with_suffix(".html"))
            took = time.perf_counter() - start
            total += took
            print(f"  {nb.name:<40} {took:6.1f} s")
            sys.stdout.flush()
    print(f"  {'total':<40} {total:6.1f} s")
    return 0
