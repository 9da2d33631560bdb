"""Make imported text safe to share in every output format.

Titles, abstracts and findings come from search exports and reviewers; they can hold
markup (``<script>``), LaTeX commands (``\\input{...}``) or spreadsheet formulas
(``=HYPERLINK(...)``). Every writer passes cell text through one of these functions,
so the text is shown literally and never executed.
"""

from __future__ import annotations

import html
import numbers
import re

import pandas as pd

# Characters XML 1.0 forbids (openpyxl and python-docx refuse them).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# A spreadsheet evaluates a cell that starts with one of these as a formula (or DDE).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "^": r"\textasciicircum{}",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "%": r"\%",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
_LATEX_RE = re.compile("|".join(re.escape(k) for k in _LATEX_SPECIALS))

# Markdown punctuation that can start emphasis, code, links, tables, math or escapes.
# Parentheses and "!" are left as they are: they make a link or an image only after a
# "]", which is always escaped, so DOIs such as 10.1016/s0140-6736(14)60801-1 stay whole.
_MD_PUNCT = set("\\`*_[]{}|~$")
_MD_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;"}
_MD_LINE_START = re.compile(r"^(\s*)([#+\-=>]|\d+[.)])")


def as_text(value: object) -> str:
    """Any cell value as text: ``None``/NaN become ``""``, lists are joined with ``"; "``."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set)):
        return "; ".join(as_text(v) for v in value)
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def strip_control(text: str) -> str:
    """Remove control characters that are illegal in XML (keeps tab and newline)."""
    return _XML_ILLEGAL.sub("", text)


def one_line(text: str) -> str:
    """Collapse line breaks and runs of white space to single spaces."""
    return " ".join(strip_control(text).split())


def escape_html(value: object) -> str:
    """Text for HTML element content or attribute values (``<``, ``>``, ``&`` and quotes escaped)."""
    return html.escape(strip_control(as_text(value)), quote=True)


def markdown_chars(text: str) -> str:
    """Escape raw HTML and inline Markdown markup character by character (white space kept)."""
    out = []
    for ch in strip_control(text):
        if ch in _MD_ENTITIES:
            out.append(_MD_ENTITIES[ch])
        elif ch in _MD_PUNCT:
            out.append("\\" + ch)
        elif ch in "\r\n":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def escape_markdown(value: object) -> str:
    """Text for one Markdown paragraph or table cell, shown literally.

    Raw HTML is turned into entities, inline markup characters and the table pipe are
    backslash-escaped, and a leading ``#``, ``-``, ``+``, ``>`` or ``1.`` cannot start a
    heading, list or quote. Line breaks become spaces.
    """
    text = markdown_chars(one_line(as_text(value)))
    return _MD_LINE_START.sub(_escape_line_start, text, count=1)


def _escape_line_start(m: re.Match) -> str:
    mark = m.group(2)
    return m.group(1) + (mark[:-1] + "\\" + mark[-1] if mark[0].isdigit() else "\\" + mark)


def latex_chars(text: str) -> str:
    """Replace every LaTeX special character by its literal command (white space kept)."""
    text = strip_control(text).replace("\r", " ").replace("\n", " ")
    return _LATEX_RE.sub(lambda m: _LATEX_SPECIALS[m.group(0)], text)


def escape_latex(value: object) -> str:
    """Text for LaTeX body text: every special character becomes its literal command."""
    return latex_chars(one_line(as_text(value)))


def neutralise_formula(value: object) -> object:
    """A spreadsheet cell value that can never run as a formula.

    Text starting with ``= + - @``, a tab or a carriage return gets a leading apostrophe
    (the OWASP CSV-injection rule); numbers and empty values are returned unchanged.
    """
    if value is None or isinstance(value, numbers.Number):
        return value
    text = strip_control(as_text(value))
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text
