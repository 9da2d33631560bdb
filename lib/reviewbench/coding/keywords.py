"""Keyword rules with proximity and guards: the first, auditable source of suggestions.

Each codebook code may carry phrases (``any``), guard phrases that veto a hit they
overlap (``guards``: "indoor air" vetoes "indoor"), guard phrases that veto every hit
in their sentence (``sentence_guards``), and a ``window``: a hit counts only
within that many words of a population term ("sex work*", "prostitut*"...) in the same
sentence, because "street", "indoor" or "migrant" are common words in unrelated
literature.

Phrases are matched case-insensitively on word boundaries; a space or hyphen between
words matches either ("sex work" finds "sex-work"); a trailing ``*`` ends a stem
("prostitut*"). Every hit keeps its span so a coder can audit it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from .codebook import Codebook, KeywordRule

_TOKEN = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"'(\[]?[A-Z0-9])|\n\s*\n")


@lru_cache(maxsize=4096)
def compile_phrase(phrase: str) -> re.Pattern[str]:
    """A regular expression for one codebook phrase (see the module docstring)."""
    words = [w for w in re.split(r"[\s\-]+", phrase.strip().lower()) if w]
    if not words or not _TOKEN.search(phrase):
        raise ValueError(f"phrase {phrase!r} has no letters or digits")
    parts = []
    for word in words:
        stem = word.endswith("*")
        core = re.escape(word.rstrip("*"))
        parts.append(core + (r"\w*" if stem else ""))
    body = r"[\s\-]+".join(parts)
    tail = "" if words[-1].endswith("*") else r"(?!\w)"
    return re.compile(r"(?<!\w)" + body + tail, re.IGNORECASE)


@lru_cache(maxsize=4096)
def _literal_first(phrase: str) -> re.Pattern[str]:
    """The phrase's pattern for lower-cased text, starting with its literal first word.

    A pattern that starts with a literal lets ``re`` jump between candidate positions,
    many times faster than one starting with a look-behind; the left word boundary is
    checked in :meth:`_Text.spans` instead.
    """
    return re.compile(compile_phrase(phrase).pattern[len(r"(?<!\w)"):])


_WORD_CHAR = re.compile(r"\w")


@dataclass(frozen=True)
class Hit:
    """One keyword hit: which code, which phrase, and where in the text."""

    dimension: str
    code: str
    phrase: str
    start: int
    end: int
    text: str

    @property
    def rule(self) -> str:
        """How the hit is shown to a coder, e.g. ``keyword 'street-based' matched 'Street-based' at 0-12``."""
        return f"keyword '{self.phrase}' matched '{self.text}' at {self.start}-{self.end}"


@lru_cache(maxsize=4096)
def _first_token(phrase: str) -> tuple[str, bool]:
    """The first word a text must contain for ``phrase`` to match, and whether it is a stem.

    Lets a text skip every phrase whose first word it lacks without running its regex.
    """
    first = re.split(r"[\s\-]+", phrase.strip().lower())[0]
    run = _TOKEN.match(first)
    if run is None:
        return "", True
    token = run.group(0)
    return token, token == first.rstrip("*") and first.endswith("*")


class _Text:
    """A text with its token and sentence boundaries, for proximity tests."""

    def __init__(self, text: str) -> None:
        self.text = text
        tokens = list(_TOKEN.finditer(text))
        self.tok_starts = [m.start() for m in tokens]
        self.tok_ends = [m.end() for m in tokens]
        self.words = sorted({m.group(0).lower() for m in tokens})
        self._word_set = set(self.words)
        starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]
        self.sent_starts = starts
        low = text.lower()
        self.low = low if len(low) == len(text) else None  # lower-casing kept every offset
        self.present: set[str] | None = None  # phrases whose first word occurs (set by KeywordMatcher)
        self.index: set[str] = set()  # the phrases ``present`` was computed for

    def may_contain(self, phrase: str) -> bool:
        """False when the text lacks the phrase's first word (so the phrase cannot match)."""
        if self.present is not None and phrase in self.index:
            return phrase in self.present
        token, stem = _first_token(phrase)
        if not token:
            return True
        if not stem:
            return token in self._word_set
        i = bisect_left(self.words, token)
        return i < len(self.words) and self.words[i].startswith(token)

    def sentence(self, pos: int) -> int:
        return bisect_right(self.sent_starts, pos) - 1

    def token_span(self, start: int, end: int) -> tuple[int, int]:
        first = max(0, bisect_right(self.tok_starts, start) - 1)
        last = max(first, bisect_left(self.tok_ends, end))
        return first, last

    def spans(self, phrases: tuple[str, ...]) -> list[tuple[int, int, str]]:
        found = []
        for phrase in phrases:
            if not self.may_contain(phrase):
                continue
            if self.low is None:
                found.extend((m.start(), m.end(), phrase) for m in compile_phrase(phrase).finditer(self.text))
                continue
            low, pattern, pos = self.low, _literal_first(phrase), 0
            while (m := pattern.search(low, pos)) is not None:
                start = m.start()
                if start == 0 or not _WORD_CHAR.match(low, start - 1):
                    found.append((start, m.end(), phrase))
                    pos = max(m.end(), start + 1)
                else:  # not at a word start: try again one character on, as the look-behind would
                    pos = start + 1
        return found


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def rule_hits(
    text: str | _Text,
    rule: KeywordRule,
    population: list[tuple[int, int, str]] | None = None,
) -> list[tuple[int, int, str]]:
    """Spans ``(start, end, phrase)`` where ``rule`` fires in ``text``.

    ``population`` holds the spans of population terms; ``None`` means the text is
    already known to be in the population, so the rule's window is not applied.
    """
    doc = text if isinstance(text, _Text) else _Text(text)
    hits = doc.spans(rule.any)
    if not hits:
        return []
    guards = doc.spans(rule.guards)
    hits = [h for h in hits if not any(_overlaps(h[:2], g[:2]) for g in guards)]
    if rule.sentence_guards and hits:
        vetoed = {doc.sentence(g[0]) for g in doc.spans(rule.sentence_guards)}
        hits = [h for h in hits if doc.sentence(h[0]) not in vetoed]
    if rule.window is not None and population is not None and hits:
        hits = [h for h in hits if _near(doc, h, population, rule.window)]
    # one hit per span: the longest phrase wins where phrases overlap
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    kept: list[tuple[int, int, str]] = []
    for h in hits:
        if kept and _overlaps(kept[-1][:2], h[:2]):
            continue
        kept.append(h)
    return kept


def _near(doc: _Text, hit: tuple[int, int, str], population: list[tuple[int, int, str]], window: int | str) -> bool:
    if window == "sentence":
        sentence = doc.sentence(hit[0])
        return any(doc.sentence(p[0]) == sentence for p in population)
    a0, a1 = doc.token_span(hit[0], hit[1])
    sentence = doc.sentence(hit[0])
    for p in population:
        if _overlaps(hit[:2], p[:2]):
            return True
        if doc.sentence(p[0]) != sentence:
            continue
        b0, b1 = doc.token_span(p[0], p[1])
        if max(b0 - a1, a0 - b1) <= int(window):
            return True
    return False


class KeywordMatcher:
    """All keyword rules of a codebook, ready to run over many texts."""

    def __init__(self, codebook: Codebook) -> None:
        self.codebook = codebook
        rules = [codebook.population] + [c.keywords for d in codebook.dimensions.values() for c in d.codes.values()]
        phrases = {p for r in rules for p in (*r.any, *r.guards, *r.sentence_guards)}
        exact: dict[str, set[str]] = {}
        stems: dict[str, set[str]] = {}
        for phrase in phrases:
            compile_phrase(phrase)  # compile early: a bad phrase fails here
            token, stem = _first_token(phrase)
            (stems if stem else exact).setdefault(token, set()).add(phrase)
        self._phrases = phrases
        self._exact = exact
        self._stems = sorted(stems.items())

    def _prepare(self, text: str) -> _Text:
        """The text with the set of phrases whose first word it contains (one pass)."""
        doc = _Text(text)
        present: set[str] = set()
        for word in doc.words:
            found = self._exact.get(word)
            if found:
                present |= found
        words = doc.words
        for stem, found in self._stems:
            i = bisect_left(words, stem)
            if i < len(words) and words[i].startswith(stem):
                present |= found
        doc.present = present
        doc.index = self._phrases
        return doc

    def population_spans(self, text: str | _Text) -> list[tuple[int, int, str]]:
        """Spans of population terms (sex-work terms) not vetoed by the population guards."""
        doc = text if isinstance(text, _Text) else self._prepare(text)
        return rule_hits(doc, self.codebook.population, None)

    def in_population(self, text: str) -> bool:
        """Whether the text mentions the review's population at least once."""
        return bool(self.population_spans(text))

    def match(self, text: str, *, assume_population: bool = False) -> list[Hit]:
        """Every keyword hit in ``text``, in codebook order then text order.

        With ``assume_population`` the text is taken to be about the population already
        (e.g. a finding extracted from an included study), so windows are not applied;
        guards still are.
        """
        if not isinstance(text, str) or not text.strip():
            return []
        doc = self._prepare(text)
        present = doc.present or set()
        population = None if assume_population else self.population_spans(doc)
        hits: list[Hit] = []
        for dim in self.codebook.dimensions.values():
            for code in dim.codes.values():
                if not any(p in present for p in code.keywords.any):
                    continue
                for start, end, phrase in rule_hits(doc, code.keywords, population):
                    hits.append(Hit(dim.name, code.id, phrase, start, end, text[start:end]))
        return hits

    def codes(self, text: str, *, assume_population: bool = False) -> dict[str, list[str]]:
        """Codes suggested per dimension (each code once, codebook order)."""
        out: dict[str, list[str]] = {}
        for hit in self.match(text, assume_population=assume_population):
            lst = out.setdefault(hit.dimension, [])
            if hit.code not in lst:
                lst.append(hit.code)
        return out
