"""Where a quote is in a PDF: its page, and its place on the page.

The quote and the text are compared in the compact form of :mod:`.text` (letters and
digits only, ligatures spelt out, case and accents folded), so line breaks, hyphenation
at line ends, two columns and ligatures do not stop a quote from being found; a quote
may run across lines, columns and pages, and starts and ends at word boundaries. An ellipsis (``...`` or ``…``) in the quote
stands for words left out: the parts must come in order, each after the one before,
within :data:`ELLIPSIS_GAP` letters. A quote with fewer than :data:`MIN_QUOTE_CHARS`
letters is not looked for (it would be found by chance).

:func:`locate_quote` returns a :class:`QuoteLocation` (``label()`` gives ``p. 4, right
column, line 12``, what the coding form fills ``location`` with), or ``None`` when the
quote is not in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .extract import PdfText
from .text import compact

MIN_QUOTE_CHARS = 12
#: Letters a ``...`` in a quote may stand for.
ELLIPSIS_GAP = 2000
_ELLIPSIS = re.compile(r"\.\s*\.\s*\.|…|\[\s*\.\.\.\s*\]")


@dataclass(frozen=True)
class QuoteLocation:
    """Where a quote starts: page (from 1), its column (``""``, ``left column``, ``right
    column``) and line (from 1: of the column, or of the page for full-width text);
    ``last_page`` where it ends."""

    page: int
    line: int
    column: str
    last_page: int

    def label(self) -> str:
        pages = f"p. {self.page}" if self.last_page == self.page else f"pp. {self.page}-{self.last_page}"
        return ", ".join(part for part in (pages, self.column, f"line {self.line}") if part)


def locate_quote(text: PdfText, quote: str) -> QuoteLocation | None:
    """Where ``quote`` is in ``text`` (see the module's docstring), or ``None``."""
    parts = [compact(p).text for p in _ELLIPSIS.split(quote or "")]
    parts = [p for p in parts if p]
    if sum(map(len, parts)) < MIN_QUOTE_CHARS:
        return None
    # the whole document, pages one after another, each letter knowing its page and offset
    starts: list[int] = []
    chunks: list[str] = []
    spans = []
    total = 0
    for page in text.pages:
        c = compact(page.text)
        starts.append(total)
        chunks.append(c.text)
        spans.append(c)
        total += len(c.text)
    whole = "".join(chunks)
    first = whole.find(parts[0])
    while first != -1:
        end = first + len(parts[0])
        for part in parts[1:]:
            found = whole.find(part, end, end + ELLIPSIS_GAP + len(part))
            if found == -1:
                break
            end = found + len(part)
        else:
            if _whole_words(text, starts, spans, first, end):
                return _location(text, starts, spans, first, end)
        first = whole.find(parts[0], first + 1)
    return None


def _page_at(starts: list[int], position: int) -> int:
    index = 0
    for i, start in enumerate(starts):
        if start <= position:
            index = i
    return index


def _whole_words(text: PdfText, starts: list[int], spans: list, first: int, end: int) -> bool:
    """Whether the match starts and ends at word boundaries ("men" is not found in "women")."""
    i, j = _page_at(starts, first), _page_at(starts, end - 1)
    before = spans[i].offsets[first - starts[i]] - 1
    after = spans[j].offsets[end - 1 - starts[j]] + 1
    a, b = text.pages[i].text, text.pages[j].text
    return not (before >= 0 and a[before].isalnum()) and not (after < len(b) and b[after].isalnum())


def _location(text: PdfText, starts: list[int], spans: list, first: int, end: int) -> QuoteLocation:
    index = _page_at(starts, first)
    page = text.pages[index]
    offset = spans[index].offsets[first - starts[index]]
    line = page.text.count("\n", 0, offset)
    last = text.pages[_page_at(starts, end - 1)].number
    column = page.columns[line] if line < len(page.columns) else ""
    first_of_column = line if column else 0
    while column and first_of_column > 0 and page.columns[first_of_column - 1] == column:
        first_of_column -= 1
    return QuoteLocation(page.number, line - first_of_column + 1, column, last)
