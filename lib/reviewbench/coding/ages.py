"""Ages written as numbers or number words, for codes defined by an age band.

A codebook code may say which ages it covers (``keywords: ages: {below: 18}`` for
children and young people, ``{from: 65}`` for older people). Findings often give the ages
instead of naming the group: "girls aged 13 to 16", "12- to 15-year-olds", "16- and
17-year-olds", "under-16s", "before the age of sixteen", "before their eighteenth birthday",
"as young as fourteen", "aged 65 and over". Each such
expression is read into the band of ages it describes, and the code is a candidate where
the whole band lies inside the code's.

Only expressions that say they are ages count: a number with "aged", "age(s)", "the age
of", "year-old(s)" or "years old", or "under-"/"over-" with a plural ("under-16s").
"18 weeks", "a 15-year follow-up", "under 16 clients a week" and "for 12 years" are not
ages.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _number_words(units: list[str], tens: list[str]) -> dict[str, int]:
    """Words for up to 99 from the words for 0-19 and for the round tens, the others built on
    the cardinal tens: "twenty-one" (or "twenty one"), "twenty-first" beside "twentieth"."""
    table = {w: i for i, w in enumerate(units) if w}
    for t, (ten, prefix) in enumerate(zip(tens, _TENS), start=2):
        table[ten] = t * 10
        for u in range(1, 10):
            table[f"{prefix}-{units[u]}"] = table[f"{prefix} {units[u]}"] = t * 10 + u
    return table


NUMBER_WORDS = _number_words(_UNITS, _TENS)
_ORDINAL_UNITS = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                  "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
                  "eighteenth", "nineteenth"]
ORDINAL_WORDS = _number_words(_ORDINAL_UNITS, [ten[:-1] + "ieth" for ten in _TENS])  # "twentieth", "twenty-first"
_ORDINALS = "|".join(sorted(map(re.escape, ORDINAL_WORDS), key=len, reverse=True))
_ORD = rf"(?:\d{{1,3}}(?:st|nd|rd|th)|{_ORDINALS})"

_WORDS = "|".join(sorted(map(re.escape, NUMBER_WORDS), key=len, reverse=True))
# a number; a tens word is never cut from its unit ("twenty-one" is not "twenty" to "one")
_N = rf"(?:\d{{1,3}}|{_WORDS})(?!(?<=y)[\s\-\u2010](?:{'|'.join(_UNITS[1:10])})\b)"
# a range or a pair: 13-16, 13 to 16, 16 and 17, "12- to 15-year-olds"
_DASH = r"(?:\s*[-\u2010\u2011]\s*(?:to|and|or)\s+|\s*[-\u2010\u2011\u2013\u2014]\s*|\s+(?:to|and|or)\s+)"
_YO = r"[\s\-\u2010]*years?[\s\-\u2010]*olds?"  # year-old(s), years old, year olds
_AGE_WORD = r"(?:aged|ages?|the\s+age\s+of|age\s+group(?:s)?\s+of)"
_UNDER = r"(?P<op>under|below|younger\s+than|less\s+than|before|by|until)"
_OVER = r"(?:over|above|older\s+than|more\s+than|at\s+least)"

_ANY_NUMBER = re.compile(rf"\d|\b(?:{_WORDS}|{_ORDINALS})s?\b", re.I)  # a text without one holds no age
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # "aged 13 to 16", "ages 13-17", "aged between 13 and 17 (years)"
    (re.compile(rf"\b{_AGE_WORD}\s+(?:between\s+)?(?P<a>{_N}){_DASH}(?P<b>{_N})(?:\s*years?)?\b", re.I), "range"),
    # "aged 16 and over", "aged 65 or older", "aged 65+"
    (re.compile(rf"\b{_AGE_WORD}\s+(?P<a>{_N})\s*(?:\+|(?:years?\s+)?(?:and|or)\s+(?:over|above|older))", re.I), "from"),
    # "aged under 16", "under the age of 16", "before the age of sixteen", "by age 14"
    (re.compile(rf"\b(?:aged\s+)?{_UNDER}\s+(?:the\s+)?(?:age\s+of\s+|age\s+)(?P<a>{_N})\b", re.I), "under"),
    (re.compile(rf"\baged\s+{_UNDER}\s+(?P<a>{_N})\b", re.I), "under"),
    # "aged over 65", "over the age of 65"
    (re.compile(rf"\b(?:aged\s+)?{_OVER}\s+(?:the\s+)?(?:age\s+of\s+|age\s+)(?P<a>{_N})\b", re.I), "over"),
    (re.compile(rf"\baged\s+{_OVER}\s+(?P<a>{_N})\b", re.I), "over"),
    # "12- to 15-year-olds", "16- and 17-year-olds", "13-16 year olds"
    (re.compile(rf"\b(?P<a>{_N})(?:[\s\-\u2010]*years?)?{_DASH}(?P<b>{_N}){_YO}\b", re.I), "range"),
    # "15-year-olds", "a fifteen-year-old", "15 years old"
    (re.compile(rf"\b(?P<a>{_N}){_YO}\b", re.I), "exact"),
    # "under-16s", "over 65s"
    (re.compile(r"\b(?:under|over)[\s\-\u2010]?(?P<a>\d{1,3})s\b", re.I), "plural"),
    # "under-sixteens", "the under eighteens"
    (re.compile(rf"\b(?:under|over)[\s\-\u2010](?P<a>{_WORDS})s\b", re.I), "plural"),
    # "before their eighteenth birthday", "by her 16th birthday"
    (re.compile(rf"\b{_UNDER}\s+(?:their|her|his|the|a|one's)\s+(?P<a>{_ORD})\s+birthdays?\b", re.I), "under"),
    # "girls as young as fourteen"
    (re.compile(rf"\bas\s+young\s+as\s+(?P<a>{_N})\b", re.I), "exact"),
    # "aged 15", "at age 14", "age 15"
    (re.compile(rf"\b(?:aged|at\s+age|at\s+the\s+age\s+of)\s+(?P<a>{_N})\b", re.I), "exact"),
]


def _number(text: str) -> int:
    text = re.sub(r"[\s\-\u2010]+", " ", text.strip().lower())
    if text[:-2].isdigit() and text[-2:] in ("st", "nd", "rd", "th"):
        return int(text[:-2])
    if text.isdigit():
        return int(text)
    hyphened = text.replace(" ", "-")
    for table in (NUMBER_WORDS, ORDINAL_WORDS):
        if text in table or hyphened in table:
            return table.get(text, table.get(hyphened, -1))
    return -1


@dataclass(frozen=True)
class Age:
    """An age expression: its span in the text and the band of ages ``[low, high]`` it describes."""

    start: int
    end: int
    low: float
    high: float


def ages_in(text: str) -> list[Age]:
    """Every age expression of ``text``, longest first where they overlap, in text order."""
    found: list[Age] = []
    if not _ANY_NUMBER.search(text):
        return found
    for pattern, form in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < f.end and f.start < m.end() for f in found):
                continue
            a = _number(m.group("a"))
            b = _number(m.group("b")) if "b" in pattern.groupindex and m.group("b") else a
            if a < 0 or b < 0:
                continue
            if form == "range":
                low, high = min(a, b), max(a, b)
            elif form == "from":
                low, high = a, math.inf
            elif form == "under":
                inclusive = m.group("op").lower() in ("by", "until")  # "by age 14" includes 14
                low, high = 0, a if inclusive else a - 0.5
            elif form == "over":
                low, high = a + 0.5, math.inf
            elif form == "plural":
                under = m.group(0).lower().startswith("under")
                low, high = (0, a - 0.5) if under else (a + 0.5, math.inf)
            else:
                low = high = a
            if high > 130 and not math.isinf(high):
                continue  # not an age
            found.append(Age(m.start(), m.end(), low, high))
    return sorted(found, key=lambda f: f.start)


@dataclass(frozen=True)
class AgeBand:
    """The ages a code covers: ``below`` (exclusive) and ``from`` (inclusive); either may be open."""

    below: float = math.inf
    from_: float = 0.0

    def covers(self, age: Age) -> bool:
        """Whether every age of ``age`` lies in the band."""
        return age.low >= self.from_ and age.high < self.below

    @property
    def phrase(self) -> str:
        """How the band is shown to a coder, e.g. ``ages below 18``."""
        if math.isinf(self.below):
            return f"ages from {self.from_:g}"
        if not self.from_:
            return f"ages below {self.below:g}"
        return f"ages {self.from_:g} to below {self.below:g}"

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """Spans ``(start, end, phrase)`` of the age expressions of ``text`` the band covers."""
        return [(a.start, a.end, self.phrase) for a in ages_in(text) if self.covers(a)]
