"""The full text beside the decision: the linked PDF and its text with the screening terms marked.

:func:`fulltext_panel` is the HTML the full-text screening view shows under a record:
for each PDF linked to it (``evidence/fulltext/links.csv``) the PDF itself in a frame
(JupyterLab serves the project's files at ``<base_url>files/<path>``; the running server
whose root holds the file is found with :func:`lab_file_url`), and its text page by page
(:mod:`reviewbench.fulltext.extract`, cached) with ``review.yml``'s include terms in green
and exclude terms in red (:func:`reviewbench.screening.highlight.highlight`, which escapes
all of the text). A record with no PDF linked says so ("to retrieve"); a PDF that
cannot be read, or a page without text, says why.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Sequence
from urllib.parse import quote

from ...errors import FullTextError, ValidationError
from ...fulltext.extract import read_pdf
from ...fulltext.links import linked_records
from ...fulltext.text import readable
from ...project import Project
from ..highlight import highlight

#: Pages of text shown under the PDF (the PDF itself shows them all).
MAX_PAGES_SHOWN = 60


def lab_file_url(path: str | Path) -> str | None:
    """The URL JupyterLab serves ``path`` at (``<base_url>files/<path from its root>``), from
    the running servers this kernel can see; ``None`` when no server's root holds it."""
    try:
        from jupyter_server.serverapp import list_running_servers
    except ImportError:
        return None
    path = Path(path).resolve()
    best: tuple[int, str] | None = None
    try:
        servers = list(list_running_servers())
    except Exception:  # noqa: BLE001 - a stale runtime file is no reason to fail the view
        return None
    for info in servers:
        root = Path(str(info.get("root_dir") or info.get("notebook_dir") or "")).resolve()
        if not str(root) or not path.is_relative_to(root):
            continue
        rel = path.relative_to(root).as_posix()
        url = f"{str(info.get('base_url') or '/').rstrip('/')}/files/{quote(rel)}"
        if best is None or len(root.parts) > best[0]:
            best = (len(root.parts), url)
    return best[1] if best else None


def _text_html(text, include: Sequence[str], exclude: Sequence[str]) -> str:
    pages = []
    for page in text.pages[:MAX_PAGES_SHOWN]:
        if not page.has_text:
            body = "<i>no text on this page (a scan: it needs text recognition, OCR)</i>"
        else:
            body = "<br>".join(highlight(readable(line), include, exclude) for line in page.lines)
        pages.append(f'<div class="rb-ft-page" data-page="{page.number}"><div style="color:#777;font-size:0.85em">'
                     f"page {page.number}</div>{body}</div>")
    if len(text.pages) > MAX_PAGES_SHOWN:
        pages.append(f"<div><i>… {len(text.pages) - MAX_PAGES_SHOWN} more pages in the PDF</i></div>")
    return "".join(pages)


def fulltext_panel(project: Project, record_id: str, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> str:
    """The HTML of the full-text panel of ``record_id`` (see the module's docstring)."""
    try:
        files = linked_records(project).get(str(record_id), [])
    except ValidationError as exc:
        return f'<div class="rb-fulltext rb-ft-error">{html.escape(str(exc))}</div>'
    if not files:
        return ('<div class="rb-fulltext rb-ft-missing" style="color:#8a5300">No PDF is linked to this record '
                "(to retrieve): put it in <code>fulltext/</code> and run <code>reviewbench fulltext link fulltext/ --confirm</code>."
                "</div>")
    parts = ['<div class="rb-fulltext">']
    for name in files:
        path = Path(name) if Path(name).is_absolute() else project.root / name
        label = html.escape(name)
        if not path.is_file():
            parts.append(f'<div class="rb-ft-error">{label} is linked but not on this computer (copy it into fulltext/).</div>')
            continue
        url = lab_file_url(path)
        if url:
            src = html.escape(url, quote=True)
            parts.append(f'<div><a href="{src}" target="_blank" rel="noopener">{label}</a></div>'
                         f'<iframe class="rb-ft-pdf" src="{src}" title="{label}" style="width:100%;height:70vh;border:1px solid #ccc"></iframe>')
        else:
            parts.append(f"<div>PDF: <code>{label}</code> (open it from JupyterLab's file browser)</div>")
        try:
            text = read_pdf(path, project.cache_dir("fulltext"))
        except FullTextError as exc:
            parts.append(f'<div class="rb-ft-error">{html.escape(exc.problem)}</div>')
            continue
        parts.append(f'<div class="rb-ft-text" style="max-height:60vh;overflow:auto;border-top:1px solid #ddd;'
                     f'padding-top:4px;line-height:1.4">{_text_html(text, include, exclude)}</div>')
    parts.append("</div>")
    return "".join(parts)
