"""Reading order of one page: text fragments with their positions -> lines, column by column.

A PDF draws text wherever it likes: a two-column article may draw the left and the right
column line by line, side by side, so text taken in drawing order runs across the gutter.
The functions here rebuild the order a person reads: pieces of text on one baseline are
joined into spans; a page whose spans start, in large numbers, at one place in the middle
of the page and leave it clear is read as two columns; full-width spans (title, abstract,
headers) cut the page into blocks, and each block is read left column first, top to bottom.

Widths are estimated from the number of characters (:data:`EM_PER_CHAR`); they are only
used to tell a gutter from the space between words, never to join letters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

#: An average character's width as a share of the font size (Latin text). Estimates of
#: where a span ends use it; the gutter test uses a narrower one so that a long line of a
#: left column does not seem to cross the gutter.
EM_PER_CHAR = 0.5
GUTTER_EM_PER_CHAR = 0.4
#: A gap wider than this many font sizes beyond a span's estimated end starts a new span.
SPAN_GAP = 1.0
#: Spans whose baselines are closer than this share of the font size are on one line
#: (superscripts stay on their line).
SAME_LINE = 0.45

FULL_WIDTH, LEFT, RIGHT = 0, 1, 2
COLUMN_NAMES = {FULL_WIDTH: "", LEFT: "left column", RIGHT: "right column"}


@dataclass(frozen=True)
class Fragment:
    """A piece of text as the PDF shows it: where its baseline starts and its font size."""

    text: str
    x: float
    y: float
    size: float


@dataclass
class Span:
    """Text on one baseline with no wide gap in it."""

    text: str
    x: float
    y: float
    size: float

    def right(self, em: float = EM_PER_CHAR) -> float:
        return self.x + em * self.size * len(self.text)


@dataclass(frozen=True)
class Line:
    """One line as read: its text, where it starts (``x``, baseline ``y`` from the page's
    bottom) and its column (:data:`FULL_WIDTH`, :data:`LEFT` or :data:`RIGHT`)."""

    text: str
    x: float
    y: float
    column: int


def spans(fragments: Iterable[Fragment]) -> list[Span]:
    """Fragments in drawing order joined into spans; a line break inside a fragment ends its span."""
    out: list[Span] = []
    current: Span | None = None
    for frag in fragments:
        pieces = frag.text.split("\n")
        for i, piece in enumerate(pieces):
            if i:
                current = None  # the extractor saw a line change here
            if not piece.strip():
                continue
            size = frag.size or 10.0
            if (
                current is not None
                and abs(frag.y - current.y) <= SAME_LINE * max(size, current.size)
                and current.x - 1 <= frag.x <= current.right() + SPAN_GAP * size
            ):
                current.text += piece
                continue
            # a piece after a line break inside one fragment: its own position is unknown,
            # so it is put just below the fragment's start
            y = frag.y - 1.2 * size * i
            current = Span(piece, frag.x, y, size)
            out.append(current)
    for span in out:
        span.text = " ".join(span.text.split())
    return [s for s in out if s.text]


def gutter(page_spans: list[Span], width: float) -> float | None:
    """The x of the gutter of a two-column page, or None for a page read as one column.

    The gutter is where most spans of the right half start (to 2 units) while the spans
    that end before it, and those that start there, are each at least three and a tenth
    of the page's spans.
    """
    if len(page_spans) < 6 or width <= 0:
        return None
    starts: dict[int, int] = {}
    for span in page_spans:
        if 0.25 * width <= span.x <= 0.75 * width:
            key = int(span.x // 2)
            starts[key] = starts.get(key, 0) + 1
    if not starts:
        return None
    key = max(starts, key=lambda k: (starts[k] + starts.get(k - 1, 0) + starts.get(k + 1, 0), -k))
    split = key * 2 - 2
    right = sum(1 for s in page_spans if s.x >= split - 1)
    left = sum(1 for s in page_spans if s.right(GUTTER_EM_PER_CHAR) <= split)
    need = max(3, len(page_spans) // 10)
    return float(split) if right >= need and left >= need else None


def _column(span: Span, split: float | None) -> int:
    if split is None:
        return FULL_WIDTH
    if span.x >= split - 1:
        return RIGHT
    if span.right(GUTTER_EM_PER_CHAR) <= split + 0.5 * span.size:
        return LEFT
    return FULL_WIDTH


def reading_order(page_spans: list[Span], width: float) -> list[Line]:
    """The lines of a page in reading order (see the module's docstring)."""
    split = gutter(page_spans, width)
    columns = [_column(s, split) for s in page_spans]
    rights = [s.y for s, c in zip(page_spans, columns) if c == RIGHT]
    if rights:
        # a line that starts left above where the right column begins (a short title, the
        # authors) is read before both columns, as full-width text
        top = max(rights)
        columns = [FULL_WIDTH if c == LEFT and s.y > top + 2 * SAME_LINE * s.size else c
                   for s, c in zip(page_spans, columns)]
    full_ys = sorted((s.y + SAME_LINE * s.size for s, c in zip(page_spans, columns) if c == FULL_WIDTH), reverse=True)

    def above(span: Span) -> int:
        return sum(1 for y in full_ys if y > span.y + 2 * SAME_LINE * span.size)

    keyed = []
    for span, column in zip(page_spans, columns):
        n = above(span)
        keyed.append(((n, 1, 0) if column == FULL_WIDTH else (n, 0, column), span, column))
    keyed.sort(key=lambda item: (item[0], -item[1].y, item[1].x))
    lines: list[Line] = []
    group: list[Span] = []
    group_key: tuple[int, int, int] | None = None

    def close() -> None:
        if group:
            group.sort(key=lambda s: s.x)
            first = group[0]
            lines.append(Line(" ".join(s.text for s in group), first.x, max(s.y for s in group), column_of[id(first)]))

    column_of = {id(span): column for _key, span, column in keyed}
    for key, span, _column_ in keyed:
        if group and key == group_key and abs(span.y - group[0].y) <= SAME_LINE * max(span.size, group[0].size):
            group.append(span)
            continue
        close()
        group, group_key = [span], key
    close()
    return lines
