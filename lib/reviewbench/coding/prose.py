"""Candidate spans from the codebook's own prose: words a code's description uses for it.

The cue lists of a codebook are written by hand and miss wordings their authors did not
think of. Each code's ``label``, ``definition``, ``include`` and ``examples`` say in plain
words what the code is about; this module turns those words into candidate spans so that
a sentence using the description's vocabulary (in any form of the word) is put to the span
model (:mod:`.spans`), which judges it from its context like a cue hit, with its own weight
learned from the coded findings. Nothing here names a dimension, a code or a word of one
review: everything comes from the codebook.

A word of a code's description is a *term* of that code when it

* is a content word: not an English stop word (scikit-learn's list), not a grammar word of
  the context checks, not a number, at least four letters (an acronym written in capitals,
  "CSE", counts from three and is matched as written), and not a name (a capitalised word
  inside a sentence: a place, a project, a nation say where a study was, not whom about);
* is not a word of the population terms, a person noun or another group of the context
  lists, or the dimension's own label and definition (those say what every code shares);
* is not in the code's ``exclude`` text (its words are the ambiguous ones), and no other
  code of the dimension uses it in its prose, its exclude text, its examples or its cue
  phrases (a word two codes share tells them apart for neither).

Terms come from the label, definition and include text; the examples are findings'
sentences, whose words are mostly about outcomes, so they only count as other codes' use.

Words are compared by *word family* (:func:`word_stem`): inflections and derivations
("exploited", "exploitation"), UK and US spellings ("parlour", "parlor"; "organise",
"organize") and compounds that start with the term ("kerb" in "kerbside") meet at one
stem. A term found in a text is a candidate of kind ``prose``. It stands down where a cue
of the dimension matched or was vetoed (the cue rules own that span, a guard's veto
included), anywhere in a text where a cue of its own code was vetoed (what the rules ruled
out, its prose does not bring back), where a guard of the dimension overlaps it, outside the code's window, and
where the dimension's context checks veto it, as any cue would be.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from .codebook import Codebook, Dimension
from .context import AUXILIARIES, CONJUNCTIONS, PREPOSITIONS, PRONOUNS, RELATIVES, ContextWords

_WORD = re.compile(r"[A-Za-z][A-Za-z']*[A-Za-z]|[A-Za-z]")
GRAMMAR = frozenset(ENGLISH_STOP_WORDS) | AUXILIARIES | CONJUNCTIONS | PREPOSITIONS | PRONOUNS | RELATIVES
MIN_LETTERS = 4  # shortest content word taken from prose
ACRONYM_LETTERS = 3  # shortest acronym (a word in capitals, matched as written)
FIELDS = ("label", "definition", "include")  # the prose a code's terms come from (examples are findings' wording)
COMPOUND_REST = 4  # a word that begins with a term and goes on this many letters is a compound of it
# (fewer is an inflection, "managers" of "manag-", not a second word, "kerb-side")
# Derivational and inflectional endings, longest first: what is left is the word's family.
SUFFIXES = ("isations", "izations", "isation", "ization", "ational", "ations", "ation", "ities", "ity", "ments",
            "ment", "nesses", "ness", "ingly", "ings", "ing", "ised", "ized", "ises", "izes", "ise", "ize",
            "ies", "ied", "ed", "es", "ly", "s", "e", "y")


@lru_cache(maxsize=65536)
def word_stem(word: str) -> str:
    """The family a word belongs to: lower case, US and UK spellings met, an ending of
    :data:`SUFFIXES` taken off while at least four letters stay, a final doubled consonant
    undone ("planned", "planning", "plans" -> "plan"; "parlours", "parlor" -> "parlor")."""
    w = word.lower().replace("'", "")
    if len(w) > 4 and w.endswith("our"):
        w = w[:-3] + "or"  # behaviour, parlour
    elif len(w) > 5 and w.endswith("ours"):
        w = w[:-4] + "ors"
    if len(w) > 4 and w.endswith(("tre", "tres")):
        w = w[:-3] + "ter" if w.endswith("tre") else w[:-4] + "ters"  # centre, theatres
    for _ in range(2):
        for suffix in SUFFIXES:
            if w.endswith(suffix) and len(w) - len(suffix) >= MIN_LETTERS:
                w = w[: -len(suffix)]
                break
        else:
            break
    if len(w) > MIN_LETTERS and w[-1] == w[-2] and w[-1] not in "aeiousl":
        w = w[:-1]
    return w


def prose_words(text: str) -> list[str]:
    """The words of a piece of prose, as written."""
    return _WORD.findall(text or "")


def _content(word: str) -> bool:
    if word.isupper() and len(word) >= ACRONYM_LETTERS:
        return word.lower() not in GRAMMAR
    return len(word) >= MIN_LETTERS and word.lower() not in GRAMMAR


def _name(word: str, k: int, text: str) -> bool:
    """A capitalised word inside a sentence of prose: a name (a place, a project, a nation),
    which says where a study was, not whom it is about."""
    if not word[:1].isupper() or word.isupper() or k == 0:
        return False
    before = text[: text.find(word)].rstrip()
    return not before.endswith((".", ":", ";", "!", "?"))


def _phrase_stems(phrases: tuple[str, ...]) -> set[str]:
    return {word_stem(w) for p in phrases for w in prose_words(p.replace("*", ""))}


@dataclass(frozen=True)
class Term:
    """One prose term of a code: its stem, the word as the codebook wrote it, and where."""

    code: str
    stem: str
    word: str
    field: str  # label, definition, include or examples
    exact: bool = False  # an acronym: matched as written, in capitals


def _mentions(code) -> set[str]:
    """Every stem a code's entry uses: its prose, its exclude text and its cue phrases."""
    rule = code.keywords
    text = " ".join([code.label, code.definition, code.include, code.exclude, *code.examples])
    return {word_stem(w) for w in prose_words(text)} | _phrase_stems((*rule.any, *(c for pair in rule.paired for c in pair.cues)))


def code_terms(dimension: Dimension, *, shared: set[str] = frozenset(), fields: tuple[str, ...] = FIELDS) -> dict[str, list[Term]]:
    """Each code's prose terms (see the module docstring); ``shared`` holds stems no code
    may use (population terms, person nouns, other groups)."""
    generic = {word_stem(w) for w in prose_words(f"{dimension.label} {dimension.definition}")} | set(shared)
    mentions = {code.id: {m.lower() for m in _mentions(code)} for code in dimension.codes.values()}
    out: dict[str, list[Term]] = {}
    for code in dimension.codes.values():
        excluded = {word_stem(w) for w in prose_words(code.exclude)}
        others = set().union(*(m for c, m in mentions.items() if c != code.id))
        terms: dict[str, Term] = {}
        for name in fields:
            value = getattr(code, name)
            text = " ".join(value) if isinstance(value, tuple) else str(value or "")
            for k, word in enumerate(prose_words(text)):
                if not _content(word) or _name(word, k, text):
                    continue
                exact = word.isupper()
                stem = word if exact else word_stem(word)
                key = stem.lower()
                if key in generic or key in excluded or key in others or stem in terms:
                    continue
                terms[stem] = Term(code.id, stem, word, name, exact)
        out[code.id] = list(terms.values())
    return out


class ProseTerms:
    """The prose terms of every dimension of a codebook, to look up a text's words in."""

    def __init__(self, codebook: Codebook, words: ContextWords | None = None) -> None:
        words = words or ContextWords.build(getattr(codebook, "context", None))
        shared = _phrase_stems(codebook.population.any) | _phrase_stems(words["people"]) | _phrase_stems(words["other_groups"])
        self.terms: dict[str, dict[str, list[Term]]] = {name: code_terms(dim, shared=shared) for name, dim in codebook.dimensions.items()}
        self._by_stem: dict[str, dict[str, list[Term]]] = {}
        self._compound: dict[str, list[tuple[str, Term]]] = {}
        self._compound_keys: dict[str, list[str]] = {}
        for name, per_code in self.terms.items():
            index: dict[str, list[Term]] = {}
            for terms in per_code.values():
                for t in terms:
                    index.setdefault(t.stem, []).append(t)
            self._by_stem[name] = index
            self._compound[name] = sorted(((t.stem, t) for ts in per_code.values() for t in ts if not t.exact),
                                          key=lambda st: st[0])
            self._compound_keys[name] = [st[0] for st in self._compound[name]]

    def _compound_terms(self, dimension: str, tok: str) -> list[Term]:
        """Terms a word starts with, at least :data:`COMPOUND_REST` letters before its end
        ("kerbside" for "kerb", "streetwise" for "street"), the rest not an ending of
        :data:`SUFFIXES` or "er"/"ers"."""
        keys, entries = self._compound_keys[dimension], self._compound[dimension]
        out = []
        for n in range(MIN_LETTERS, len(tok) - COMPOUND_REST + 1):
            prefix, rest = tok[:n], tok[n:]
            if rest in SUFFIXES or rest in ("er", "ers", "ment", "ments"):
                continue
            i = bisect_left(keys, prefix)
            while i < len(keys) and keys[i] == prefix:
                out.append(entries[i][1])
                i += 1
        return out

    def find(self, dimension: str, tokens: list[str], originals: list[str]) -> list[tuple[int, Term]]:
        """``(token index, term)`` for each token of a text (lower-cased ``tokens``, as written
        in ``originals``) that belongs to a prose term of ``dimension``."""
        index = self._by_stem.get(dimension)
        if not index:
            return []
        out = []
        for i, (tok, raw) in enumerate(zip(tokens, originals)):
            if not tok.isalpha():
                continue
            hits = [t for t in index.get(raw, ()) if t.exact]
            if not hits and len(tok) >= MIN_LETTERS:
                stem = word_stem(tok)
                hits = [t for t in index.get(stem, ()) if not t.exact]
                if not hits:
                    hits = self._compound_terms(dimension, tok)
            out.extend((i, t) for t in hits)
        return out
