"""Keyword rules with proximity, guards and context: the auditable source of suggestions.

Each codebook code may carry phrases (``any``); cues that count only with a partner
phrase nearby in the same clause (``paired``: "men" with "sold sex"); guard phrases
that veto a hit they overlap (``guards``: "indoor air" vetoes "indoor", "escorted"
vetoes the stem "escort*"); phrases that veto a hit within two words of it
(``not_near``: "online" near "survey"); guard phrases that veto every hit in their
sentence (``sentence_guards``); a ``window``: a word counts only within that many
words of a population term ("sex work*", "prostitut*"...) in the same sentence; and
``ages``: ages written out inside the code's band ("aged 13 to 16" for ``below: 18``,
:mod:`.ages`) are cues too.

A hit then goes through the context checks its dimension names
(:mod:`reviewbench.coding.context`: negation, comparison groups, study methods, word
prefixes), and a code marked ``alone`` is dropped when another code of its dimension
is found.

Phrases are matched case-insensitively on word boundaries; a space or hyphen between
words matches either, or none ("sex work" finds "sex-work" and "sexwork"), and a word
may be split by a hyphen ("online" finds "on-line"); a trailing ``*`` ends a stem
("prostitut*"). Every hit keeps its span so a coder can audit it, and every vetoed
candidate keeps the reason it was vetoed.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from .codebook import Codebook, KeywordRule, Pairing
from .prose import ProseTerms
from .context import CLAUSE_WORDS, DEFAULT_WORDS, SUBORDINATORS, ContextWords, context_reason, negated_here

_TOKEN = re.compile(r"\w+")
_HYPHENATED = re.compile(r"\w+(?:[\-\u2010]\w+)+")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"'(\[]?[A-Z0-9])|\n\s*\n")
_STRONG = re.compile(r"[;:!?()\[\]]|\.(?:\s|$)|\s[-\u2013\u2014]\s|[\u2013\u2014]")
_QUOTES = "'\"\u2018\u2019\u201c\u201d"
NEAR_WORDS = 2  # a ``not_near`` phrase vetoes a hit at most this many words away
# a word may be written with a hyphen inside ("on-line", "web-cam" for "online", "webcam"), and
# the words of a phrase closed up, hyphenated or spaced ("webcam", "web-cam", "web cam")
_HYPHEN_INSIDE = "[\\-\u2010]?"
_BETWEEN_WORDS = "[\\s\\-\u2010]*"


def check_phrase(phrase: str) -> None:
    """Raise ``ValueError`` for a phrase that can match nothing (no letters or digits)."""
    if not _TOKEN.search(phrase):
        raise ValueError(f"phrase {phrase!r} has no letters or digits")


@lru_cache(maxsize=8192)
def _pattern(phrase: str, flexible: bool) -> str:
    """The phrase's regular expression; ``flexible`` lets a word be split by a hyphen and the
    words be closed up (the module docstring), the strict form needs a space or hyphen between
    words and none inside one: the two find the same in a text without such spellings."""
    words = [w for w in re.split(r"[\s\-]+", phrase.strip().lower()) if w]
    if not words or not _TOKEN.search(phrase):
        raise ValueError(f"phrase {phrase!r} has no letters or digits")
    parts = []
    for word in words:
        stem = word.endswith("*")
        core = word.rstrip("*")
        core = _HYPHEN_INSIDE.join(re.escape(ch) for ch in core) if flexible else re.escape(core)
        parts.append(core + (r"\w*" if stem else ""))
    body = (_BETWEEN_WORDS if flexible else r"[\s\-]+").join(parts)
    tail = "" if words[-1].endswith("*") else r"(?!\w)"
    return body + tail


@lru_cache(maxsize=4096)
def compile_phrase(phrase: str) -> re.Pattern[str]:
    """A regular expression for one codebook phrase (see the module docstring)."""
    return re.compile(r"(?<!\w)" + _pattern(phrase, True), re.IGNORECASE)


@lru_cache(maxsize=8192)
def _literal_first(phrase: str, flexible: bool) -> re.Pattern[str]:
    """The phrase's pattern for lower-cased text, starting with its literal first word.

    A pattern that starts with a literal lets ``re`` jump between candidate positions,
    many times faster than one starting with a look-behind; the left word boundary is
    checked in :meth:`_Text.spans` instead. The strict form (``flexible`` false) is faster
    still, and used where the text holds no spelling only the flexible one finds.
    """
    check_phrase(phrase)  # a bad phrase fails with the same message
    return re.compile(_pattern(phrase, flexible))


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
    vetoed: str = ""  # why a candidate is not a cue in context (empty: a hit)
    kind: str = "cue"  # "cue" (a phrase of its own), "paired" (with its partner), "unpaired" (without) or "prose"

    @property
    def rule(self) -> str:
        """How the hit is shown to a coder, e.g. ``keyword 'street-based' matched 'Street-based' at 0-12``
        (``codebook word 'kerb' matched 'kerbside' at 4-12`` for a word of the code's prose)."""
        source = "codebook word" if self.kind == "prose" else "keyword"
        return f"{source} '{self.phrase}' matched '{self.text}' at {self.start}-{self.end}"


@lru_cache(maxsize=4096)
def _phrase_pieces(phrase: str) -> tuple[str, ...]:
    """The runs of letters and digits of a phrase, lower-cased ("street-based" -> street, based)."""
    return tuple(_TOKEN.findall(phrase.lower()))


@lru_cache(maxsize=4096)
def _has_bare_stem(phrase: str) -> bool:
    """Whether a phrase of several words has a word that is only a stem mark ('*')."""
    words = [w for w in re.split(r"[\s\-]+", phrase.strip()) if w]
    return len(words) > 1 and any(not _TOKEN.search(w) for w in words)


@lru_cache(maxsize=4096)
def _first_keys(phrase: str) -> tuple[tuple[str, bool], ...]:
    """Words a text must contain, one of them, for ``phrase`` to match, each with whether it
    need only start a text word (a stem).

    The phrase's first word; for a phrase of several words, also its first two words closed up
    ("webcam" for "web cam", as the start of a word). Lets a text skip every phrase it holds
    no key of without running its regex.
    """
    words = re.split(r"[\s\-]+", phrase.strip().lower())
    first = words[0]
    run = _TOKEN.match(first)
    if run is None:
        return (("", True),)
    token = run.group(0)
    # a stem, or a first word a bare '*' may run on from ("b *" finds "ba"), need only start a word
    keys = [(token, (token == first.rstrip("*") and first.endswith("*")) or _has_bare_stem(phrase))]
    pieces = _phrase_pieces(phrase)
    if len(words) > 1 and len(pieces) > 1 and not keys[0][1]:
        keys.append((pieces[0] + pieces[1], True))
    return tuple(keys)


class _Text:
    """A text with its token and sentence boundaries, for proximity tests."""

    def __init__(self, text: str) -> None:
        self.text = text
        tokens = list(_TOKEN.finditer(text))
        self.tok_starts = [m.start() for m in tokens]
        self.tok_ends = [m.end() for m in tokens]
        words = {m.group(0).lower() for m in tokens}
        # a word split by a hyphen ("on-line") is also its closed form ("online"), and so is
        # every run of the parts of a longer compound ("on-line-only": "online", "lineonly")
        joined = set()
        for m in _HYPHENATED.finditer(text):
            parts = _TOKEN.findall(m.group(0).lower())
            joined.update("".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 2, len(parts) + 1))
        self.closed = sorted(joined)  # closed forms of hyphenated compounds ("on-line": "online")
        self.words = sorted(words | joined)
        self._word_set = set(self.words)
        starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]
        self.sent_starts = starts
        low = text.lower()
        self.low = low if len(low) == len(text) else None  # lower-casing kept every offset
        self.present: set[str] | None = None  # phrases whose first word occurs (set by KeywordMatcher)
        self.index: set[str] = set()  # the phrases ``present`` was computed for
        self._tokens: list[str] | None = None
        self._may: dict[str, bool] = {}  # may_contain's answers for phrases outside ``index``
        self._flex: dict[str, bool] = {}  # _flexible's answers
        self._phrase_tokens: dict[tuple[str, ...], list[tuple[int, int]]] = {}

    # token view for the context checks (computed on first use)
    def _tokenise(self) -> None:
        text = self.text
        self._tokens = [text[a:b].lower() for a, b in zip(self.tok_starts, self.tok_ends)]
        seps, clauses = [], []
        clause, prev_end, sentence, subordinate = 0, 0, 0, False
        for i, (a, tok) in enumerate(zip(self.tok_starts, self._tokens)):
            between = text[prev_end:a]
            stripped = between.strip()
            if i == 0 or _STRONG.search(between):
                sep = "strong"
            elif "," in between:
                sep = ","
            elif not stripped:
                sep = ""
            elif stripped in ("-", "/", "\u2010") and between == stripped:
                sep = "-"  # a compound: "street-based", "im/migrant"
            elif stripped[0] in _QUOTES and between[0] == stripped[0]:
                sep = "'"  # possessive or "n't"
            else:
                sep = stripped[:1]
            s_now = self.sentence(a)
            if i > 0 and (sep == "strong" or tok in CLAUSE_WORDS or s_now != sentence or (sep == "," and subordinate)):
                clause += 1
                subordinate = False
            if tok in SUBORDINATORS and (i == 0 or clause != (clauses[-1] if clauses else -1)):
                subordinate = True  # "Although X were not recruited, Y ...": the comma ends it
            sentence = s_now
            seps.append(sep)
            clauses.append(clause)
            prev_end = self.tok_ends[i]
        self._seps, self._clauses = seps, clauses

    @property
    def toks(self) -> list[str]:
        """Lower-cased tokens."""
        if self._tokens is None:
            self._tokenise()
        return self._tokens  # type: ignore[return-value]

    @property
    def sep(self) -> list[str]:
        """What stands between token i-1 and token i: '', '-', ',', "'", 'strong' (clause punctuation)."""
        if self._tokens is None:
            self._tokenise()
        return self._seps

    @property
    def clause(self) -> list[int]:
        """The clause number of each token."""
        if self._tokens is None:
            self._tokenise()
        return self._clauses

    def joined(self, i: int) -> bool:
        """Whether token i is joined to the one before by a hyphen or slash ("street-based")."""
        return i > 0 and self.sep[i] == "-"

    def quoted(self, a: int, b: int) -> bool:
        """Whether tokens a..b stand in quotation marks."""
        start, end = self.tok_starts[a], self.tok_ends[b]
        return start > 0 and self.text[start - 1] in _QUOTES and end < len(self.text) and self.text[end] in _QUOTES

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """First and last token of a character span."""
        first = bisect_right(self.tok_starts, start) - 1
        first = max(0, first if first >= 0 and self.tok_ends[first] > start else first + 1)
        last = max(first, bisect_left(self.tok_ends, end))
        return first, min(last, len(self.tok_starts) - 1)

    def phrase_tokens(self, phrases: tuple[str, ...]) -> list[tuple[int, int]]:
        """Token ranges where any of ``phrases`` matches (cached per list)."""
        found = self._phrase_tokens.get(phrases)
        if found is None:
            found = sorted({self.token_range(a, b) for a, b, _ in self.spans(phrases)})
            self._phrase_tokens[phrases] = found
        return found

    def may_contain(self, phrase: str) -> bool:
        """False when the text lacks the phrase's first word (so the phrase cannot match)."""
        if self.present is not None and phrase in self.index:
            return phrase in self.present
        known = self._may.get(phrase)
        if known is None:
            known = self._may[phrase] = self._has_key(phrase)
        return known

    def _has_key(self, phrase: str) -> bool:
        for token, stem in _first_keys(phrase):
            if not token:
                return True
            if not stem:
                if token in self._word_set:
                    return True
                continue
            i = bisect_left(self.words, token)
            if i < len(self.words) and self.words[i].startswith(token):
                return True
        return False

    def _flexible(self, phrase: str) -> bool:
        """Whether ``phrase`` may match here in a spelling only the flexible pattern finds: a word
        of it split by a hyphen (it is then inside a closed compound of the text), or words of it
        closed up (a text word then starts with one of its words and goes on)."""
        pieces = _phrase_pieces(phrase)
        if self.closed and any(p in j for p in pieces for j in self.closed):
            return True
        if _has_bare_stem(phrase):
            return True  # a word of nothing but '*' may close up with any word
        if len(pieces) < 2:
            return False
        for piece in pieces[:-1]:
            i = bisect_right(self.words, piece)
            if i < len(self.words) and self.words[i].startswith(piece):
                return True
        return False

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
            flexible = self._flex.get(phrase)
            if flexible is None:
                flexible = self._flex[phrase] = self._flexible(phrase)
            low, pattern, pos = self.low, _literal_first(phrase, flexible), 0
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
    words: ContextWords | None = None,
) -> list[tuple[int, int, str]]:
    """Spans ``(start, end, phrase)`` where ``rule`` fires in ``text``.

    ``population`` holds the spans of population terms; ``None`` means the text is
    already known to be in the population, so the rule's window is not applied.
    """
    return [(a, b, phrase) for a, b, phrase, reason, _kind in rule_candidates(text, rule, population, words) if not reason]


def _pair_spans(doc: _Text, pair: Pairing) -> list[tuple[int, int, str, tuple[int, int], tuple[int, int]]]:
    """Spans where a cue of ``pair`` has a partner in its clause: ``(start, end, phrase, cue span, partner span)``."""
    cues = doc.spans(pair.cues)
    if pair.negated:
        cues = [(a, b, phrase) for a, b, phrase in cues if negated_here(doc, doc.token_range(a, b)[0])]
    if not cues:
        return []
    partners = [(doc.token_range(a, b), a, b) for a, b, _ in doc.spans(pair.partners)]
    out = []
    for a, b, phrase in cues:
        c0, c1 = doc.token_range(a, b)
        best = None
        for (p0, p1), pa, pb in partners:
            if _overlaps((a, b), (pa, pb)) or doc.clause[p0] != doc.clause[c0]:
                continue
            if (pair.order == "after" and p0 <= c1) or (pair.order == "before" and p1 >= c0):
                continue
            gap = p0 - c1 - 1 if p0 > c1 else c0 - p1 - 1
            if gap <= pair.within and (best is None or gap < best[0]):
                best = (gap, pa, pb)
        if best is not None:
            out.append((min(a, best[1]), max(b, best[2]), f"{phrase} + {doc.text[best[1]:best[2]].lower()}", (a, b), (best[1], best[2])))
    return out


def _unpaired_spans(doc: _Text, pair: Pairing) -> list[tuple[int, int, str]]:
    """Cues of ``pair`` standing without a partner (evidence a classifier may build on)."""
    paired = {cue for _, _, _, cue, _partner in _pair_spans(doc, pair)}
    return [(a, b, phrase) for a, b, phrase in doc.spans(pair.cues) if (a, b) not in paired]


def rule_candidates(
    text: str | _Text,
    rule: KeywordRule,
    population: list[tuple[int, int, str]] | None = None,
    words: ContextWords | None = None,
    *,
    population_spans: list[tuple[int, int, str]] | None = None,
    unpaired: bool = False,
) -> list[tuple[int, int, str, str, str]]:
    """Every place ``rule`` matches, as ``(start, end, phrase, reason, kind)``; ``reason``
    is empty for a hit and says why otherwise (a guard, a context check, the window);
    ``kind`` is ``cue``, ``paired`` or ``unpaired`` (see :class:`Hit`).

    ``population`` is as in :func:`rule_hits`; ``population_spans`` are the population
    terms' spans for the context checks (they are computed whether or not the window
    applies). With ``unpaired``, paired cues without a partner are listed too: their
    reason is ``"no partner"`` when nothing else vetoes them.
    """
    doc = text if isinstance(text, _Text) else _Text(text)
    words = words or DEFAULT_WORDS
    found: list[tuple[int, int, str, tuple[int, int], tuple[int, int] | None]] = [(a, b, p, (a, b), None) for a, b, p in doc.spans(rule.any)]
    if rule.ages is not None:
        found.extend((a, b, p, (a, b), None) for a, b, p in rule.ages.spans(doc.text))
    for pair in rule.paired:
        found.extend(_pair_spans(doc, pair))
    loose = [u for pair in rule.paired for u in _unpaired_spans(doc, pair)] if unpaired else []
    if not found and not loose:
        return []
    guards = doc.spans(rule.guards)
    near = doc.phrase_tokens(rule.not_near) if rule.not_near else []
    vetoed_sentences = {doc.sentence(g[0]) for g in doc.spans(rule.sentence_guards)} if rule.sentence_guards else set()
    pop_spans = population if population_spans is None else population_spans
    pop_tokens = [doc.token_range(p[0], p[1]) for p in (pop_spans or [])]
    judged = [(a, b, phrase, _veto(doc, (a, b), cue, rule, guards, near, vetoed_sentences, population, pop_tokens, words, partner),
               "cue" if partner is None else "paired")
              for a, b, phrase, cue, partner in found]
    # one candidate per span: a hit before a vetoed one, then the longest
    judged.sort(key=lambda h: (bool(h[3]), -(h[1] - h[0]), h[0]))
    out: list[tuple[int, int, str, str, str]] = []
    for h in judged:
        if not any(_overlaps(k[:2], h[:2]) for k in out):
            out.append(h)
    for a, b, phrase in loose:
        if not any(_overlaps(k[:2], (a, b)) for k in out):
            reason = _veto(doc, (a, b), (a, b), rule, guards, near, vetoed_sentences, population, pop_tokens, words)
            out.append((a, b, phrase, reason or "no partner", "unpaired"))
    out.sort(key=lambda h: h[0])
    return out


def _veto(doc: _Text, span: tuple[int, int], cue: tuple[int, int], rule: KeywordRule, guards, near, vetoed_sentences,
          population, pop_tokens, words: ContextWords, partner: tuple[int, int] | None = None) -> str:
    """Why the candidate at ``span`` (its cue at ``cue``) is not a hit; empty when it is."""
    a, b = span
    for g in guards:
        if _overlaps(cue, g[:2]):
            return f"guard '{g[2]}'"
    if doc.sentence(a) in vetoed_sentences:
        return "sentence guard"
    t0, t1 = doc.token_range(*cue)
    # a cue that names people ("webcam performers", "online sex workers") is not a study's mode
    # when a study word stands near it: the people are who was interviewed or recruited
    names_people = bool(near) and (
        any(p0 <= t1 <= p1 or (p0 == t1 + 1 and doc.sep[p0] == "") for p0, p1 in doc.phrase_tokens(words["people"]))
        or any(p0 == t1 + 1 and doc.sep[p0] == "" for p0, _p1 in pop_tokens))  # "phone-chat workers", "online sex workers"
    for n0, n1 in near:
        if names_people:
            break
        if doc.clause[n0] == doc.clause[t0] and not (n1 < t0 - NEAR_WORDS - 1 or n0 > t1 + NEAR_WORDS + 1) and not (t0 <= n0 <= t1):
            return f"near '{' '.join(doc.toks[n0:n1 + 1])}'"
    if rule.window is not None and population is not None and not _near(doc, (a, b, ""), population, rule.window):
        return "no population term nearby"
    if rule.context:
        reason = context_reason(doc, t0, t1, rule.context, words, pop_tokens)
        if reason:
            return reason
        if "comparison" in rule.context and partner is not None:
            # a partner inside a longer name of another group: "farm workers from Eastern Europe"
            # (not "met clients", where the partner is the codebook's own word)
            q0, q1 = doc.token_range(*partner)
            for o0, o1 in doc.phrase_tokens(words["other_groups"]):
                if o0 <= q1 and q0 <= o1 and (o0, o1) != (q0, q1) and not (o0 >= q0 and o1 <= q1):
                    return f"describes another group ('{' '.join(doc.toks[o0:o1 + 1])}')"
    return ""


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


def _split_compounds(doc: _Text, hits: list[Hit]) -> list[Hit]:
    """A hyphenated compound belongs to the cue that spans its start: a hit of another code that
    starts inside it, at a word joined by a hyphen to the word before ("off-street workers":
    the "street workers" of "off-street"), is vetoed."""
    live = [h for h in hits if not h.vetoed and h.kind != "unpaired"]
    out = []
    for h in hits:
        if not h.vetoed and h.start > 0 and doc.text[h.start - 1] in "-\u2010":
            owner = next((o for o in live if o.code != h.code and o.start < h.start < o.end < h.end), None)
            if owner is not None:
                h = Hit(h.dimension, h.code, h.phrase, h.start, h.end, h.text, f"part of the compound '{owner.text}'", h.kind)
        out.append(h)
    return out


class KeywordMatcher:
    """All keyword rules of a codebook, ready to run over many texts."""

    def __init__(self, codebook: Codebook) -> None:
        self.codebook = codebook
        rules = [codebook.population] + [c.keywords for d in codebook.dimensions.values() for c in d.codes.values()]
        phrases = {p for r in rules for p in r.phrases}
        self.words = ContextWords.build(getattr(codebook, "context", None))
        for words in self.words.lists.values():
            for phrase in words:
                check_phrase(phrase)
        exact: dict[str, set[str]] = {}
        stems: dict[str, set[str]] = {}
        for phrase in phrases:
            check_phrase(phrase)  # a bad phrase fails here, not on the first text that needs it
            for token, stem in _first_keys(phrase):
                (stems if stem else exact).setdefault(token, set()).add(phrase)
        self._phrases = phrases
        self._exact = exact
        self._stems = stems
        self.prose = ProseTerms(codebook, self.words)

    def _prepare(self, text: str) -> _Text:
        """The text with the set of phrases whose first word it contains (one pass)."""
        doc = _Text(text)
        present: set[str] = set()
        for word in doc.words:
            found = self._exact.get(word)
            if found:
                present |= found
        stems = self._stems
        for word in doc.words:  # every start of every word, looked up among the stems
            for k in range(1, len(word) + 1):
                found = stems.get(word[:k])
                if found:
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
        guards and context checks still are.
        """
        return [h for h in self.candidates(text, assume_population=assume_population) if not h.vetoed]

    def candidates(self, text: str, *, assume_population: bool = False, unpaired: bool = False,
                   dimension: str | None = None, prose: bool | frozenset[str] | set[str] = False) -> list[Hit]:
        """Every place a code's cues match, hits and vetoed ones (``Hit.vetoed`` says why).

        With ``unpaired``, paired cues without their partner are listed too (vetoed
        "no partner"): the textual evidence a learned code needs. With ``dimension``, only
        that dimension's codes are matched. With ``prose`` (``True`` or a set of dimension
        names), words of the codes' prose (:mod:`.prose`) are candidates too, of kind
        ``prose``, where no cue of the dimension matched or was vetoed.
        """
        if not isinstance(text, str) or not text.strip():
            return []
        doc = self._prepare(text)
        present = doc.present or set()
        spans = self.population_spans(doc)
        population = None if assume_population else spans
        out: list[Hit] = []
        for dim in self.codebook.dimensions.values():
            if dimension is not None and dim.name != dimension:
                continue
            with_prose = prose is True or (not isinstance(prose, bool) and dim.name in prose)
            hits: list[Hit] = []
            for code in dim.codes.values():
                rule = code.keywords
                if (rule.ages is None and not any(p in present for p in rule.any)
                        and not any(p in present for pair in rule.paired for p in pair.cues)):
                    continue
                for start, end, phrase, reason, kind in rule_candidates(doc, rule, population, self.words, population_spans=spans,
                                                                        unpaired=unpaired or with_prose):
                    hits.append(Hit(dim.name, code.id, phrase, start, end, text[start:end], reason, kind))
            if with_prose:
                hits.extend(self._prose_hits(doc, dim, hits, population, spans))
                if not unpaired:
                    hits = [h for h in hits if h.kind != "unpaired"]
            hits = _split_compounds(doc, hits)
            found = {h.code for h in hits if not h.vetoed and h.kind != "prose"}
            for i, h in enumerate(hits):
                if not h.vetoed and dim.codes[h.code].keywords.alone and found - {h.code}:
                    hits[i] = Hit(h.dimension, h.code, h.phrase, h.start, h.end, h.text, "another code of the dimension is found", h.kind)
            out.extend(hits)
        return out

    def _prose_hits(self, doc: _Text, dim, rule_hits_: list[Hit], population, spans) -> list[Hit]:
        """Candidates of kind ``prose`` in one dimension: words of a code's prose where no cue
        of the dimension stands (matched or vetoed) and no cue of the code was vetoed, put through
        the code's guards, window and context checks and every guard of the dimension."""
        found = self.prose.find(dim.name, doc.toks, [doc.text[a:b] for a, b in zip(doc.tok_starts, doc.tok_ends)])
        if not found:
            return []
        taken = [(h.start, h.end) for h in rule_hits_]
        # a code whose cue the rules vetoed in this text is not brought back by its prose words
        ruled_out = {h.code for h in rule_hits_ if h.vetoed and h.vetoed != "no partner"}
        dim_guards = [g for code in dim.codes.values() for g in doc.spans(code.keywords.guards)]
        pop_tokens = [doc.token_range(p[0], p[1]) for p in spans]
        out: list[Hit] = []
        for i, term in found:
            span = (doc.tok_starts[i], doc.tok_ends[i])
            if term.code in ruled_out or any(_overlaps(span, t) for t in taken):
                continue
            rule = dim.codes[term.code].keywords
            near = doc.phrase_tokens(rule.not_near) if rule.not_near else []
            vetoed_sentences = {doc.sentence(g[0]) for g in doc.spans(rule.sentence_guards)} if rule.sentence_guards else set()
            reason = _veto(doc, span, span, rule, dim_guards, near, vetoed_sentences, population, pop_tokens, self.words)
            out.append(Hit(dim.name, term.code, term.word, span[0], span[1], doc.text[span[0]:span[1]], reason, "prose"))
        return out

    def codes(self, text: str, *, assume_population: bool = False) -> dict[str, list[str]]:
        """Codes suggested per dimension (each code once, codebook order)."""
        out: dict[str, list[str]] = {}
        for hit in self.match(text, assume_population=assume_population):
            lst = out.setdefault(hit.dimension, [])
            if hit.code not in lst:
                lst.append(hit.code)
        return out
