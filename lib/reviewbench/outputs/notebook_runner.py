"""Execute notebooks with papermill and convert them to self-contained HTML.

:func:`execute_notebook` runs one notebook in the project's ``notebooks/`` folder with
parameters injected (papermill), then removes what changes from run to run (timings,
kernel and papermill metadata) before saving the executed ``.ipynb``.
:func:`notebook_html` converts it with nbconvert's HTML exporter: figures embedded as
data URIs, and a "Hide code" switch (pure CSS, no script) that starts switched on so a
reader without Python sees narrative, tables and figures.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any, Mapping

import nbformat

from ..errors import NotebookError
from ..outputs_io import write_text

VOLATILE_NOTEBOOK_KEYS = ("papermill", "widgets")
VOLATILE_CELL_KEYS = ("papermill", "execution", "ExecuteTime")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = "[An interactive view: open this notebook in JupyterLab to use it.]"
HIDE_CODE_TOGGLE = """
<style>
#rb-hide-code{position:fixed;opacity:0;pointer-events:none}
.rb-code-toggle{position:fixed;top:8px;right:12px;z-index:100;background:#f5f5f5;border:1px solid #bbb;
  border-radius:4px;padding:4px 10px;font:13px system-ui,sans-serif;cursor:pointer;user-select:none}
#rb-hide-code:checked ~ * .jp-CodeCell .jp-Cell-inputWrapper{display:none}
#rb-hide-code:checked ~ * .jp-OutputPrompt,#rb-hide-code:checked ~ * .jp-InputPrompt{visibility:hidden}
.rb-code-toggle::after{content:"Show code"}
#rb-hide-code:not(:checked) ~ .rb-code-toggle::after{content:"Hide code"}
</style>
<input type="checkbox" id="rb-hide-code" checked>
<label for="rb-hide-code" class="rb-code-toggle" title="Show or hide the Python code cells"></label>
"""


_KERNEL_NOISE = re.compile(r"Kernel is running over TCP without encryption")


@contextlib.contextmanager
def _filtered_stderr():
    """Pass the kernel's own stderr through, minus ipykernel's transport warning."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # pytest capture or notebooks: leave as is
        yield
        return
    sys.stderr.flush()
    saved = os.dup(fd)
    with tempfile.TemporaryFile() as tmp:
        os.dup2(tmp.fileno(), fd)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, fd)
            os.close(saved)
            tmp.seek(0)
            text = tmp.read().decode("utf-8", "replace")
            kept = [line for line in text.splitlines() if not _KERNEL_NOISE.search(line)]
            if kept:
                print("\n".join(kept), file=sys.stderr)


def strip_volatile(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove run-specific metadata (timestamps, durations, kernel state) in place.

    A widget's output refers to a kernel-side model by a random id and cannot be shown
    without that kernel: it is replaced by a line saying where to use the view."""
    for key in VOLATILE_NOTEBOOK_KEYS:
        nb.metadata.pop(key, None)
    lang = nb.metadata.get("language_info", {})
    lang.pop("version", None)
    for n, cell in enumerate(nb.cells):
        for key in VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
        if "id" in cell:  # papermill's injected cell gets a random id
            cell["id"] = f"cell-{n:03d}"
        for out in cell.get("outputs", []):
            if WIDGET_MIME in out.get("data", {}):
                out["data"] = {"text/plain": WIDGET_NOTE}
    return nb


def _error_summary(exc: Exception) -> str:
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    evalue = re.sub(r"\x1b\[[0-9;]*m", "", str(evalue))
    return f"{ename}: {evalue}"


def execute_notebook(notebook: str | Path, output: str | Path, parameters: Mapping[str, Any],
                     cwd: str | Path, kernel_name: str = "python3", timeout: int | None = 1800,
                     shown_as: Mapping[str, str] | None = None) -> Path:
    """Run ``notebook`` with ``parameters`` (papermill) and save the executed copy to ``output``.

    ``shown_as``: parameters whose value differs from run to run (a staging folder) and
    is shown in the executed copy's injected-parameters cell as the text given instead.
    A notebook that raises stops the run with :class:`NotebookError` carrying the
    notebook name and the error message (the executed copy, with the traceback, is
    still saved for inspection).
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    notebook, output = Path(notebook), Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.name}.running.ipynb")
    try:
        with _filtered_stderr():
            pm.execute_notebook(
                str(notebook), str(tmp), parameters=dict(parameters), cwd=str(cwd), kernel_name=kernel_name,
                progress_bar=False, log_output=False, report_mode=False, execution_timeout=timeout,
            )
    except PapermillExecutionError as exc:
        _save_clean(tmp, output, shown_as)
        raise NotebookError(f"{notebook.name} stopped: {_error_summary(exc)}") from None
    except Exception as exc:  # kernel died, missing kernel, bad notebook JSON
        tmp.unlink(missing_ok=True)
        raise NotebookError(f"{notebook.name} could not be executed: {_error_summary(exc)}") from None
    return _save_clean(tmp, output, shown_as)


def _show_parameters_as(nb: nbformat.NotebookNode, shown_as: Mapping[str, str]) -> None:
    """Rewrite ``name = value`` lines of the injected-parameters cell as ``shown_as`` says."""
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            for name, text in shown_as.items():
                cell.source = re.sub(rf"(?m)^{re.escape(name)} = .*$", lambda _m: f"{name} = {text!r}", cell.source)


def _save_clean(tmp: Path, output: Path, shown_as: Mapping[str, str] | None = None) -> Path:
    if not tmp.exists():
        return output
    nb = nbformat.read(str(tmp), as_version=4)
    strip_volatile(nb)
    _show_parameters_as(nb, shown_as or {})
    write_text(nbformat.writes(nb) + "\n", output)
    tmp.unlink(missing_ok=True)
    return output


def notebook_html(executed: str | Path, output: str | Path, title: str | None = None) -> Path:
    """Convert an executed notebook to one self-contained HTML file with hideable code."""
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(executed), as_version=4)
    exporter = HTMLExporter(template_name="lab")
    exporter.embed_images = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    resources = {"metadata": {"name": title or Path(executed).stem}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    body = _strip_remote_scripts(body)
    body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + HIDE_CODE_TOGGLE, body, count=1)
    return write_text(body, output)


def _strip_remote_scripts(html: str) -> str:
    """Drop ``<script src="https://...">`` tags (require.js, MathJax CDN) so the file works offline."""
    return re.sub(r"<script[^>]*\ssrc=\"https?://[^\"]*\"[^>]*>\s*</script>\s*", "", html)
