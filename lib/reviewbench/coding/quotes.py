"""A finding's quote in the PDF linked to its record: the ``location`` the coding form fills.

:func:`quote_location` looks the quote up in each PDF linked to the record
(``evidence/fulltext/links.csv``, read with :mod:`reviewbench.fulltext`) and returns
where it is (``p. 4, right column, line 12``; the file's name first when the record has
more than one PDF), and a warning when there is a linked PDF but the quote is not in its
text (a paraphrase, a scan without text, or a PDF not copied to this computer). A record
without a linked PDF gives neither.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import FullTextError, ValidationError
from ..fulltext.extract import read_pdf
from ..fulltext.links import linked_records
from ..fulltext.locate import locate_quote
from ..project import Project


def quote_location(project: Project, record_id: str, quote: str) -> tuple[str, str]:
    """``(location, warning)`` of ``quote`` in the PDFs linked to ``record_id`` (see the module's docstring)."""
    try:
        files = linked_records(project).get(str(record_id).strip(), [])
    except ValidationError as exc:
        return "", f"the links of full texts cannot be read ({exc})"
    if not files or not str(quote or "").strip():
        return "", ""
    problems = []
    for name in files:
        path = project.root / Path(name) if not Path(name).is_absolute() else Path(name)
        if not path.is_file():
            problems.append(f"{name} is linked but not on this computer (copy it into fulltext/)")
            continue
        try:
            text = read_pdf(path, project.cache_dir("fulltext"))
        except FullTextError as exc:
            problems.append(exc.problem)
            continue
        where = locate_quote(text, quote)
        if where is not None:
            return (f"{Path(name).name}, {where.label()}" if len(files) > 1 else where.label()), ""
        problems.append(f"not in the text of {Path(name).name}" + (" (a scan without text)" if text.scanned else ""))
    return "", "the quote was not found: " + "; ".join(problems) + " (check the wording, or type the location)"
