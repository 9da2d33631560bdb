"""Text of a PDF made comparable with the text of a record or a quote.

What typesetting does to words, and what is undone here: ligature glyphs (``ﬁ``, ``ﬂ``,
``ﬀ``) become their letters (Unicode compatibility normalisation, NFKC); a word broken
at the end of a line with a hyphen is joined again; soft hyphens and zero-width
characters go; line breaks and runs of spaces are one space; case and accents do not
count.

:func:`compact` keeps only letters and digits, each mapped back to the character of the
original text it came from, so a match found in the compact form (where spacing,
hyphenation and punctuation cannot get in the way) is located in the original.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
#: A hyphen at the end of a line between two letters: the typesetter broke a word there.
_LINE_BREAK_HYPHEN = re.compile(r"(?<=[^\W\d_])[-\u2010\u2011]\s*\n\s*(?=[^\W\d_])")
_SPACES = re.compile(r"\s+")


def _letters(ch: str) -> str:
    """``ch`` as plain lower-case letters or digits (``""`` for anything else)."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", ch)).casefold()
    return "".join(c for c in folded if c.isalnum())


def readable(text: str) -> str:
    """``text`` with ligatures spelt out, words broken at line ends joined and spacing
    made single (case and punctuation kept): the text shown and compared."""
    text = unicodedata.normalize("NFKC", text.translate(_INVISIBLE))
    text = _LINE_BREAK_HYPHEN.sub("", text)
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True)
class Compact:
    """Letters and digits of a text, folded (see :func:`compact`), and for each the
    offset in the original text of the character it came from."""

    text: str
    offsets: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Where ``text[start:end]`` of the compact form lies in the original text."""
        return self.offsets[start], self.offsets[end - 1] + 1


def compact(text: str) -> Compact:
    """Only the letters and digits of ``text``, ligatures spelt out, case and accents
    folded, with their offsets in ``text`` (see the module's docstring)."""
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii():
            if ch.isalnum():
                chars.append(ch.lower())
                offsets.append(i)
            continue
        for c in _letters(ch):
            chars.append(c)
            offsets.append(i)
    return Compact("".join(chars), tuple(offsets))


def key(text: str) -> str:
    """The compact form of ``text`` alone (see :func:`compact`)."""
    return compact(text).text
