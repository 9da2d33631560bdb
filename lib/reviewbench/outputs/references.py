"""Citations and reference lists of the included studies, formatted with pybtex.

Two styles: ``author-year`` (Harvard-like, sorted by first author, year and title) and
``numbered`` (Vancouver-like, numbered in the same order). Each renders to Markdown,
HTML, LaTeX and plain text through pybtex's backends. Field values are used *raw*
(never parsed as LaTeX) and every backend escapes them, so an imported title such as
``\\input{/etc/passwd}`` or ``<script>`` is printed literally.
BibTeX and RIS of the included studies come from :mod:`reviewbench.formats`.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pandas as pd
from pybtex.backends.html import Backend as HtmlBackend
from pybtex.backends.latex import Backend as LatexBackend
from pybtex.backends.markdown import Backend as MarkdownBackend
from pybtex.backends.plaintext import Backend as TextBackend
from pybtex.database import BibliographyData, Entry, Person
from pybtex.richtext import Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle
from pybtex.style.template import FieldIsMissing, first_of, join, node, optional, sentence, tag, words

from ..outputs_io import write_text
from .safe import as_text, escape_html, escape_latex, latex_chars, markdown_chars, one_line

STYLES = ("author-year", "numbered")
#: What follows the citation and the reference of a study that is not yet finally included.
PROVISIONAL_MARK = "(provisional)"
BACKENDS = {"md": MarkdownBackend, "html": HtmlBackend, "tex": None, "txt": TextBackend}


class SafeLatexBackend(LatexBackend):
    """pybtex's LaTeX backend, but every LaTeX special character in text is escaped."""

    def format_str(self, str_: str) -> str:
        return latex_chars(str_)


class SafeMarkdownBackend(MarkdownBackend):
    """pybtex's Markdown backend, also escaping ``$``, braces, ``|`` and raw HTML."""

    def format_str(self, text: str) -> str:
        return markdown_chars(text)


BACKENDS["tex"] = SafeLatexBackend
BACKENDS["md"] = SafeMarkdownBackend


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def _person(name: str) -> Person:
    """``Family, Given`` parsed by pybtex; a name without a comma is a group author, kept whole."""
    name = one_line(name)
    try:
        return Person(last=name) if "," not in name else Person(name)
    except Exception:  # pybtex refuses some odd strings (e.g. stray braces): keep it whole
        return Person(last="".join(ch for ch in one_line(name) if ch not in "{}"))


def _family(person: Person) -> str:
    return " ".join(person.prelast_names + person.last_names) or " ".join(person.first_names)


def _initials(person: Person) -> str:
    parts = person.first_names + person.middle_names
    return " ".join(p[0] + "." for p in parts if p)


def _sort_key(row: pd.Series) -> tuple:
    authors = row.get("authors") or []
    first = _fold(_family(_person(authors[0]))) if authors else _fold(as_text(row.get("title")))
    year = row.get("year")
    year = int(year) if year is not None and not pd.isna(year) else 9999
    return (first, year, _fold(as_text(row.get("title"))), str(row["record_id"]))


def sort_references(records: pd.DataFrame) -> pd.DataFrame:
    """Included records in reference-list order: first author, year, title, record id."""
    if records.empty:
        return records.reset_index(drop=True)
    keys = records.apply(_sort_key, axis=1)
    return records.assign(_key=keys).sort_values("_key").drop(columns="_key").reset_index(drop=True)


def citation_labels(records: pd.DataFrame) -> dict[str, str]:
    """Author-year citation per record id: ``Jeal 2004``, ``Jeal and Salisbury 2004``,
    ``Potter et al. 2022``; equal citations get ``a``, ``b`` ... in reference-list order."""
    base: dict[str, str] = {}
    ordered = sort_references(records)
    for _, row in ordered.iterrows():
        people = [_person(a) for a in (row.get("authors") or [])]
        names = [_family(p) for p in people]
        if not names:
            who = one_line(as_text(row.get("title")))[:40] or str(row["record_id"])
        elif len(names) == 1:
            who = names[0]
        elif len(names) == 2:
            who = f"{names[0]} and {names[1]}"
        else:
            who = f"{names[0]} et al."
        year = row.get("year")
        base[row["record_id"]] = f"{who} {int(year) if year is not None and not pd.isna(year) else 'n.d.'}"
    counts: dict[str, int] = {}
    for label in base.values():
        counts[label] = counts.get(label, 0) + 1
    seen: dict[str, int] = {}
    labels = {}
    for rid, label in base.items():
        if counts[label] > 1:
            n = seen.get(label, 0)
            seen[label] = n + 1
            labels[rid] = label + "abcdefghijklmnopqrstuvwxyz"[n % 26] * (n // 26 + 1)
        else:
            labels[rid] = label
    return labels


_ENTRY_TYPES = {"JOUR": "article", "article": "article", "BOOK": "book", "book": "book", "CHAP": "incollection",
                "THES": "phdthesis", "RPRT": "techreport", "report": "techreport", "GEN": "misc"}


def bibliography_data(records: pd.DataFrame) -> BibliographyData:
    """The records as pybtex entries keyed by record id, in reference-list order."""
    entries = {}
    for _, row in sort_references(records).iterrows():
        fields = {}
        for name, column in (("title", "title"), ("journal", "journal"), ("volume", "volume"),
                             ("number", "issue"), ("pages", "pages"), ("doi", "doi")):
            value = one_line(as_text(row.get(column)))
            if name == "title":
                value = value.rstrip(" .")  # the style adds the period
            if value:
                fields[name] = value
        year = row.get("year")
        if year is not None and not pd.isna(year):
            fields["year"] = str(int(year))
        persons = {"author": [_person(a) for a in (row.get("authors") or [])]}
        entry_type = _ENTRY_TYPES.get(as_text(row.get("ref_type")), "article")
        entries[str(row["record_id"])] = Entry(entry_type, fields=fields, persons=persons)
    return BibliographyData(entries)


@node
def _raw(children, context, name):
    """A field's raw text (never parsed as LaTeX, so the backend escapes all of it)."""
    value = context["entry"].fields.get(name, "")
    if not value:
        raise FieldIsMissing(name, context["entry"])
    return Text(value)


@node
def _authors(children, context, style):
    """Authors as raw text: ``Jeal, N. and Salisbury, C.`` or ``N. Jeal and C. Salisbury``."""
    people = context["entry"].persons.get("author", [])
    if style == "author-year":
        names = [f"{_family(p)}, {_initials(p)}".rstrip(", ") for p in people]
    else:
        names = [f"{_initials(p)} {_family(p)}".strip() for p in people]
    if not names:
        return Text()
    if len(names) > 6:
        names = names[:6] + ["et al."]
        return Text(", ".join(names))
    if len(names) == 1:
        return Text(names[0])
    return Text(", ".join(names[:-1]) + " and " + names[-1])


class _ReviewStyle(BaseStyle):
    """One template for every entry type (reviews mix articles, reports and theses)."""

    style_name = "author-year"
    default_label_style = "number"
    default_sorting_style = "none"

    def template(self):
        journal = optional[
            join[
                tag("em")[_raw("journal")],
                optional[", ", _raw("volume")],
                optional["(", _raw("number"), ")"],
                optional[", ", _raw("pages")],
            ]
        ]
        doi = optional[join["https://doi.org/", _raw("doi")]]
        if self.style_name == "author-year":
            return join(sep=". ")[
                words[_authors(self.style_name), join["(", first_of[optional[_raw("year")], "n.d."], ")"]],
                _raw("title"),
                journal,
                doi,
            ]
        return join(sep=". ")[
            _authors(self.style_name),
            _raw("title"),
            sentence(add_period=False, sep=", ")[journal, optional[_raw("year")]],
            doi,
        ]

    def format_entry(self, label, entry, bib_data=None):
        text = self.template().format_data({"entry": entry, "style": self, "bib_data": bib_data})
        return FormattedEntry(entry.key, text, label)


class AuthorYearStyle(_ReviewStyle):
    style_name = "author-year"


class NumberedStyle(_ReviewStyle):
    style_name = "numbered"


def _formatted(records: pd.DataFrame, style: str) -> list[FormattedEntry]:
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; use one of {', '.join(STYLES)}")
    style_obj = (AuthorYearStyle if style == "author-year" else NumberedStyle)()
    return list(style_obj.format_bibliography(bibliography_data(records)))


def _render(formatted: list[FormattedEntry], style: str, fmt: str, provisional: frozenset[str] = frozenset()) -> str:
    backend = BACKENDS[fmt]()
    items = []
    for entry in formatted:
        body = entry.text.render(backend).strip()
        if not body.endswith("."):
            body += "."
        if entry.key in provisional:
            body += f" {PROVISIONAL_MARK}"
        items.append((entry.key, entry.label, body))
    return _document(items, style, fmt)


def format_references(records: pd.DataFrame, style: str = "author-year", fmt: str = "md") -> str:
    """The reference list of ``records`` as one document in ``fmt`` (md, html, tex, txt)."""
    return _render(_formatted(records, style), style, fmt)


def _document(items: list[tuple[str, str, str]], style: str, fmt: str) -> str:
    numbered = style == "numbered"
    if fmt == "md":
        lines = [f"{n}. {body}" if numbered else f"- {body}" for n, (_, _, body) in enumerate(items, 1)]
        return "\n".join(lines) + "\n" if lines else ""
    if fmt == "txt":
        lines = [f"[{n}] {body}" if numbered else body for n, (_, _, body) in enumerate(items, 1)]
        return "\n".join(lines) + "\n" if lines else ""
    if fmt == "html":
        tag_name = "ol" if numbered else "ul"
        body = "\n".join(f'<li id="{escape_html(key)}">{text}</li>' for key, _, text in items)
        return (
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>References ({style})</title>\n</head>\n<body>\n"
            f"<{tag_name} class=\"references\">\n{body}\n</{tag_name}>\n</body>\n</html>\n"
        )
    # LaTeX: a thebibliography environment to \input into a report.
    widest = str(len(items)) if items else "9"
    lines = [f"\\begin{{thebibliography}}{{{widest}}}"]
    for key, _, text in items:
        lines.append(f"\\bibitem{{{escape_latex(key)}}} {text}")
    lines.append("\\end{thebibliography}")
    return "\n".join(lines) + "\n"


def write_references(records: pd.DataFrame, folder: str | Path, provisional: frozenset[str] = frozenset()) -> list[Path]:
    """Write both styles in every format plus ``included-studies.bib`` and ``.ris``; the
    entries of the record ids in ``provisional`` end with :data:`PROVISIONAL_MARK`."""
    folder = Path(folder)
    written = []
    for style in STYLES:
        formatted = _formatted(records, style)
        for fmt in BACKENDS:
            written.append(write_text(_render(formatted, style, fmt, provisional), folder / f"references-{style}.{fmt}"))
    ordered = sort_references(records)
    written.extend(_write_bibtex_ris(ordered, folder))
    return written


def _write_bibtex_ris(records: pd.DataFrame, folder: Path) -> list[Path]:
    try:
        from ..formats import write_bibtex, write_ris
    except ImportError:  # pragma: no cover - formats writers are part of the package
        return _fallback_bibtex_ris(records, folder)
    return [write_bibtex(records, folder / "included-studies.bib"), write_ris(records, folder / "included-studies.ris")]


def _fallback_bibtex_ris(records: pd.DataFrame, folder: Path) -> list[Path]:  # pragma: no cover
    import rispy

    bib = bibliography_data(records).to_string("bibtex")
    ris = rispy.dumps([
        {"type_of_reference": "JOUR", "title": one_line(as_text(r.title)), "authors": list(r.authors or []),
         "year": "" if pd.isna(r.year) else str(int(r.year)), "doi": as_text(r.doi)}
        for r in records.itertuples()
    ])
    return [write_text(bib, folder / "included-studies.bib"), write_text(ris, folder / "included-studies.ris")]
