"""Context checks: whether a cue that matched is a cue where it stands.

A keyword such as "migrant", "trans" or "online" matches many sentences that are not
about that group: "no trans participants took part" (negation), "migrant farm workers
formed the comparison group" (another group), "recruited online" (a study method),
"the search term 'trafficking'" (a word mentioned, not used), "trans-Pennine" (a prefix).
Each check below looks at the words around a hit and returns the reason it is not a
cue in context, or ``None``. A dimension names the checks its hits go through
(``context: [negation, comparison, methods, prefixes]`` in the codebook); nothing here
knows any dimension or code.

The checks read words, not parses. They work on tokens (runs of letters and digits)
grouped into clauses: a clause ends at ``; : . ! ?`` or brackets and before a word of
:data:`CLAUSE_WORDS` ("but", "although", "whereas" ...); commas separate phrases.

The word lists are data: :data:`ENGLISH` holds the built-in lists, in the codebook's
phrase language (``*`` ends a stem); a codebook's top-level ``context`` mapping adds
its own words to any list (``other_groups`` is empty until a review names the groups
it compares its population with, e.g. clients or farm workers).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

# --------------------------------------------------------------------------- word lists

ENGLISH: dict[str, tuple[str, ...]] = {
    # words that negate the noun phrase after them ("no trans participants")
    "negators": ("no", "none", "neither", "nor", "not", "never", "zero", "rather than", "instead of", "absence of",
                 "no one", "nobody"),
    # predicates saying a group was (or was not) in a study
    "participation": ("recruit*", "includ*", "enrol*", "enroll*", "sampled", "interviewed", "surveyed",
                      "took part", "take part", "taking part", "takes part", "participat*", "responded",
                      "represented", "in the sample", "in the study", "completed the survey*", "were present",
                      "part of the study", "part of this study", "part of the sample", "part of the survey",
                      "among the participants", "among participants", "among the respondents", "among those interviewed",
                      "was present", "identified", "consented"),
    # verbs a study uses to say whom it covered or told apart ("did not distinguish migrants")
    "sampling_verbs": ("includ*", "recruit*", "sampl*", "interview*", "survey*", "enrol*", "distinguish*",
                       "separat*", "disaggregat*", "stratif*", "analys*", "analyz*", "record*", "report*",
                       "identif*", "collect*", "ask*", "differentiat*", "break down", "broken down", "examin*",
                       "captur*", "measur*", "count*", "results by", "results for", "data by", "figures by",
                       "results separately", "breakdown by", "broken down by"),
    # person nouns: a modifier followed by one of these describes people
    "people": ("women", "woman", "men", "man", "people", "person*", "worker*", "participant*", "girls",
               "girl", "boys", "boy", "adults", "individuals", "respondents", "interviewees", "youth*", "performer*",
               "mothers", "residents", "clients", "users", "patients", "attendees", "survivors"),
    # groups that are not the review's population (a review adds its own)
    "other_groups": (),
    # markers of a comparison or control group
    "comparison": ("comparison group*", "control group*", "controls", "control participants",
                   "reference group*", "comparator*", "comparison sample*", "control sample*"),
    # nouns of study methods: a cue right before one describes the method ("online survey")
    "methods_nouns": ("survey", "surveys", "questionnaire", "questionnaires", "interview", "interviews",
                      "focus group*", "panel", "panels", "version", "versions", "recruitment", "sampling",
                      "data collection", "consultation", "consultations", "form", "forms", "consent", "study",
                      "studies", "fieldwork", "search", "searches"),
    # verbs of study methods: a cue right after one describes how ("recruited online")
    "methods_verbs": ("recruit*", "interview*", "survey*", "sampled", "contacted", "conducted", "administered",
                      "completed", "collected", "distributed", "held", "approached"),
    # words that introduce a term mentioned rather than used ("the search term 'trafficking'")
    "mention": ("term", "terms", "word", "words", "keyword*", "label", "labelled", "labeled", "called", "titled",
                "entitled", "search string*"),
}

# Words in the checks' own logic (grammar, not cues): kept here, not in the codebook.
CLAUSE_WORDS = frozenset({"but", "yet", "although", "though", "whereas", "while", "whilst", "however",
                          "because", "despite", "unlike"})
# a clause opened by one of these ends at its first comma ("Although X, Y")
SUBORDINATORS = frozenset({"although", "though", "whereas", "while", "whilst", "because", "despite", "unlike",
                           "if", "since", "when"})
# after a negated subject ("none of the participants"), what says the group is absent
IDENTIFYING = ("were", "was", "are", "is", "identified as", "identify as", "identifying as", "described themselves as",
               "reported being", "said they were", "had been")
AUXILIARIES = frozenset({"was", "were", "is", "are", "be", "been", "being", "had", "has", "have", "did",
                         "do", "does", "could", "would", "should", "will", "may", "might", "can", "ever"})
PREPOSITIONS = frozenset({"between", "in", "at", "on", "from", "to", "with", "by", "for", "than", "among",
                          "amongst", "after", "before", "during", "about", "across", "into", "over", "under",
                          "within", "without", "through", "via", "against", "towards", "around", "since"})
RELATIVES = frozenset({"who", "whom", "whose", "that", "which", "where", "when"})
PRONOUNS = frozenset({"they", "them", "their", "she", "he", "her", "his", "it", "its", "we", "our", "i"})
COMMON_VERBS = frozenset({"said", "took", "made", "gave", "felt", "saw", "went", "found", "got", "told",
                          "knew", "thought", "came", "left", "became", "kept", "sold", "paid", "met", "ran",
                          "say", "report", "reports", "describe", "describes", "said", "feel", "feels"})
# "n't" splits into a token such as "didn" and a "t"
SHORT_NEGATIVES = frozenset({"didn", "wasn", "weren", "isn", "aren", "hadn", "hasn", "haven", "couldn",
                             "wouldn", "don", "doesn", "cannot", "shouldn", "won"})
NOT_NEGATING_AFTER = {"no": frozenset({"longer", "doubt", "matter", "less", "more"}),
                      "not": frozenset({"only", "just", "least", "all", "always", "necessarily", "yet"})}
CONJUNCTIONS = frozenset({"and", "or", "but", "so", "then", "while", "nor"})
PREFIXES = frozenset({"anti", "counter", "non"})  # "anti-trafficking", "non-migrant": not the group
GAP_WORDS = frozenset({"via", "through", "by", "using", "the", "an", "a", "on"})  # "recruited via the internet"
FAILING = frozenset({"without", "failed", "unable", "fail", "fails", "too"})  # "failed to recruit", "too few to separate"
CONTRASTIVE = frozenset({"rather", "instead", "neither", "nor", "absence"})  # negate what follows, whatever the verb
QUANTIFIERS = frozenset({"many", "most", "some", "all", "several", "half", "few", "of", "both", "each"})
NUMBER_WORDS = frozenset({"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"})
NP_JOINERS = frozenset({"of", "the", "a", "an", "any", "single", "and", "or", "other", "more", "fewer"})
VERB_ENDINGS = ("ed",)
COPULAS = frozenset({"were", "was", "are", "is"})
# words between a copula and the noun it says of its subject ("staff were mostly migrants")
PREDICATE_ADVERBS = QUANTIFIERS | {"mostly", "also", "often", "largely"}
# verbs a group stands with outside a study's scope ("were outside", "fell outside")
LYING_VERBS = AUXILIARIES | {"fell", "fall", "falls", "lay", "lie", "lies"}
# words saying one figure is like or unlike another ("similar to those of ...", "higher than that of ...")
LIKENESS = frozenset({"similar", "resembled", "resemble", "resembles", "comparable", "compared", "than", "like",
                      "unlike", "matched", "mirrored", "versus", "vs"})
# a study proposed, not done: its nouns and the words that propose it
RESEARCH_NOUNS = frozenset({"research", "study", "studies", "evaluation", "evaluations", "surveys", "trials",
                            "reviews", "researchers"})
PROPOSING = frozenset({"should", "must", "ought", "need", "needs", "future", "further"})
# nouns of figures reported for a group: "no figures for ...", "below published estimates for ..."
FIGURE_NOUNS = frozenset({"figures", "figure", "data", "results", "estimates", "estimate", "breakdown", "numbers",
                          "information", "rates", "averages", "norms", "statistics"})
# words placing one figure above or below another ("well below published estimates for ...")
RANKING = LIKENESS | {"below", "above", "exceeded", "exceeding", "exceeds"}
# subjects that deny a verb of everyone: "none had been forced", "nobody was trafficked"
NEGATED_SUBJECTS = frozenset({"none", "nobody"})
# verbs of telling or knowing before "whether" ("cannot say whether ... differed")
KNOWING = frozenset({"say", "tell", "show", "know", "determine", "establish", "assess", "judge", "compare", "see"})
# passive verbs of a service reaching people: after a negated subject they say there were none ("no men ... were reached")
REACHING = frozenset({"reached", "seen", "contacted", "referred", "identified", "found", "recorded", "met"})
# what a group may lie outside of when a study leaves it out ("outside the scope", "... the sampling frame")
OUT_OF_SCOPE = frozenset({"scope", "frame", "remit", "criteria", "sample", "study", "studies", "review", "evaluation",
                          "eligibility", "inclusion", "focus", "brief", "mandate", "specification", "contract"})


@dataclass(frozen=True)
class ContextWords:
    """The word lists the checks read: the built-in English lists plus a codebook's own."""

    lists: Mapping[str, tuple[str, ...]]

    @classmethod
    def build(cls, extra: Mapping[str, Any] | None = None) -> "ContextWords":
        merged = {key: tuple(words) for key, words in ENGLISH.items()}
        for key, words in (extra or {}).items():
            merged[key] = merged.get(key, ()) + tuple(words or ())
        return cls(merged)

    def __getitem__(self, key: str) -> tuple[str, ...]:
        return self.lists.get(key, ())

    def __hash__(self) -> int:  # lists are fixed once built
        return id(self)


DEFAULT_WORDS = ContextWords.build()


# --------------------------------------------------------------------------- helpers
# ``doc`` is a :class:`reviewbench.coding.keywords._Text`: tokens, their clauses and the
# separators between them, and phrase spans as token ranges.


def _is_verbish(doc: Any, i: int) -> bool:
    tok = doc.toks[i]
    if tok in AUXILIARIES or tok in COMMON_VERBS or tok in SHORT_NEGATIVES:
        return True
    return len(tok) > 4 and tok.endswith(VERB_ENDINGS) and not doc.joined(i)


def _negator_ranges(doc: Any, words: ContextWords) -> list[tuple[int, int]]:
    """Token ranges of negators, less "no longer", "not only" and the like; "didn't" too."""
    out = []
    for s, e in doc.phrase_tokens(words["negators"]):
        after = NOT_NEGATING_AFTER.get(doc.toks[s])
        if after and e + 1 < len(doc.toks) and doc.toks[e + 1] in after:
            continue
        out.append((s, e))
    for i, tok in enumerate(doc.toks):
        if tok in SHORT_NEGATIVES:
            end = i + 1 if i + 1 < len(doc.toks) and doc.toks[i + 1] == "t" else i
            out.append((i, end))
    return out


def _starts(ranges: list[tuple[int, int]]) -> dict[int, int]:
    out: dict[int, int] = {}
    for a, b in ranges:
        out[a] = max(b, out.get(a, b))
    return out


# --------------------------------------------------------------------------- negation


def negation(doc: Any, a: int, b: int, words: ContextWords) -> str | None:
    """Reason when tokens ``a..b`` are inside a negation that says the group is absent.

    Five shapes, all within one clause:

    * a negated noun phrase: "no trans participants", "none of the migrant women", "not
      street-based", "rather than on the street", "the absence of trans women" — when it is
      the object ("the clinic recorded no male attendees who ..."), or the subject of a verb
      of taking part ("no male sex workers were recruited"); "no migrant women reported
      violence" still speaks about migrant women, so there the phrase is kept; no figures
      for the group ("gave no figures for men who sold sex");
    * a clause that opens with a negated subject (also after a comma and "and": "..., and
      none had been referred") whose verb is one of taking part, of being or of being reached:
      "no women who sold sex from flats took part", "none of the participants identified as
      trans", "no men who sell sex were reached"; or with the span in that subject's
      predicate: "none of the participants worked online";
    * the subject of a negated verb of taking part: "trans women were not recruited",
      "migrant men did not take part", "... were excluded", "... were outside the scope";
      or of a verb of pooling: "responses from escorts and street-based women were aggregated";
      "... were left out of the sampling frame"; "had street-based women been included";
    * the object of a negated verb of sampling or telling apart: "did not include trans
      people", "did not report results by migration status, setting or gender",
      "excluded migrants"; or of one a future study is asked to do: "future research should
      include trans people";
    * groups a study could not tell apart: "cannot say whether street and indoor workers differed".
    """
    negators = _negator_ranges(doc, words)
    negator_at = {k for s0, e0 in negators for k in range(s0, e0 + 1)}
    negator_by_end = {e0: s0 for s0, e0 in negators}
    participation = _starts(doc.phrase_tokens(words["participation"]))
    clause = doc.clause[a]
    # 1. a negated noun phrase: walk back over the phrase's own words to its determiner
    i, steps = a - 1, 0
    while i >= 0 and steps < 6 and doc.clause[i] == clause and doc.sep[i + 1] not in (",", "strong"):
        if i in negator_by_end:
            first = doc.toks[negator_by_end[i]]
            if first in CONTRASTIVE:
                return f"negated ('{' '.join(doc.toks[negator_by_end[i]:i + 1])} ...')"
            if first == "not" and (i != a - 1 or (i > 0 and doc.toks[i - 1] in ("did", "do", "does"))):
                break  # "not" negates the word right after it, and "did not" a verb
            s0 = negator_by_end[i]
            if first == "no" and s0 > 0 and doc.clause[s0 - 1] == clause and doc.sep[s0] not in (",", "strong") \
                    and (_is_verbish(doc, s0 - 1) or doc.toks[s0 - 1] in COMMON_VERBS):
                return f"negated ('{doc.toks[s0 - 1]} no ...': none of them)"  # "the clinic recorded no male attendees ..."
            if _np_negation_holds(doc, a, b, clause, participation, words):
                return f"negated ('{' '.join(doc.toks[negator_by_end[i]:i + 1])} ...')"
            break
        tok = doc.toks[i]
        if tok in AUXILIARIES and _negated_participle(doc, a, b, i, clause, negator_by_end):
            return f"negated ('{' '.join(doc.toks[i:a + 1])}')"
        if tok in PREPOSITIONS and i - 1 in negator_by_end and doc.toks[negator_by_end[i - 1]] in CONTRASTIVE:
            i -= 1  # "rather than on the street"
            continue
        opens = _no_figures(doc, i, clause, negator_by_end) if tok in ("for", "on", "about", "by") else None
        if opens is not None:
            return f"no figures for the group ('{' '.join(doc.toks[opens:a + 1])} ...')"
        if tok in AUXILIARIES or tok in PREPOSITIONS or tok in RELATIVES or tok in PRONOUNS or tok in COMMON_VERBS:
            break
        if tok not in NP_JOINERS and _is_verbish(doc, i):
            break
        i -= 1
        steps += 1
    # 1b. a clause that opens with a negated subject: "no women who sold sex from flats took
    # part", "there were no ... in the sample", "none of the participants identified as trans"
    opener = _clause_negator(doc, a, clause, negators, words)
    if opener is not None and doc.toks[opener] == "absence":
        return "negated ('absence of ...')"  # "the absence of women who sold sex from flats"
    if opener is not None:
        reached = {k for k in range(b + 1, min(len(doc.toks), b + 13)) if doc.toks[k] in REACHING and doc.toks[k - 1] in AUXILIARIES}
        if reached and doc.clause[min(reached)] == clause:
            return f"negated ('{doc.toks[opener]} ... {doc.toks[min(reached)]}')"  # "no men who sell sex were reached"
        if any(k in participation and not _reduced_relative(doc, k, participation[k], clause)
               for k in range(b + 1, min(len(doc.toks), b + 13)) if doc.clause[k] == clause):
            return f"negated ('{doc.toks[opener]} ...')"
        identifying = doc.phrase_tokens(IDENTIFYING)
        people = {p0 for p0, _ in doc.phrase_tokens(words["people"])}
        if any(opener < s0 and e0 < a and doc.clause[s0] == clause and _names_people(doc, opener, s0, people)
               for s0, e0 in identifying):
            return f"negated ('{doc.toks[opener]} ...')"
        if _in_negated_predicate(doc, opener, a, b, people):
            return f"negated ('{doc.toks[opener]} ...')"
    # 2. the subject of a negated verb of taking part
    j = b + 1
    end = min(len(doc.toks), b + 10)
    while j < end and doc.clause[j] == clause and doc.sep[j] != ",":
        k = participation.get(j)
        if k is not None and any(n in negator_at for n in range(max(a + 1, j - 3), j) if doc.clause[n] == clause):
            return f"subject of a negated '{' '.join(doc.toks[j:k + 1])}'"
        if doc.toks[j] in ("excluded", "absent", "missing", "omitted", "ineligible") and doc.toks[j - 1] in AUXILIARIES:
            return f"subject of '{doc.toks[j - 1]} {doc.toks[j]}'"
        if doc.toks[j] == "left" and doc.toks[j + 1:j + 2] == ["out"] and doc.toks[j - 1] in AUXILIARIES:
            return f"subject of '{doc.toks[j - 1]} left out'"
        if j in participation and doc.toks[j - 1] == "been" and _counterfactual_subject(doc, a, clause):
            return f"subject of a counterfactual 'had ... been {doc.toks[j]}'"
        if doc.toks[j] in ("pooled", "aggregated", "combined", "merged") and doc.toks[j - 1] in AUXILIARIES:
            return f"subject of '{doc.toks[j - 1]} {doc.toks[j]}' (groups not told apart)"
        if doc.toks[j] in ("outside", "beyond") and doc.toks[j - 1] in LYING_VERBS:
            scope = [t for t in doc.toks[j + 1:j + 7] if t in OUT_OF_SCOPE]
            if scope:  # "were outside the scope", "fell outside the sampling frame"; not "were outside in the cold"
                return f"subject of '{doc.toks[j - 1]} {doc.toks[j]} ... {scope[0]}'"
        j += 1
    # 3. the object of a negated verb of sampling or telling apart
    sampling = _starts(doc.phrase_tokens(words["sampling_verbs"]))
    i = a - 1
    while i >= 0 and i >= a - 12 and doc.clause[i] == clause:
        if doc.sep[i + 1] == "," and doc.toks[i + 1] in CONJUNCTIONS:
            break
        if doc.toks[i] in ("excluded", "excluding", "omitted", "omitting"):
            return f"object of '{doc.toks[i]}'"
        if i in sampling and any((n in negator_at or doc.toks[n] in FAILING) for n in range(max(0, i - 3), i) if doc.clause[n] == clause):
            return f"object of a negated '{doc.toks[i]}'"
        if i in sampling and _proposed_study(doc, i, clause):
            return f"object of a proposed '{doc.toks[i]}'"
        i -= 1
    # 4. groups a study could not tell apart: "cannot say whether street and indoor workers differed"
    for w in range(a - 1, max(0, a - 9), -1):
        if doc.clause[w] != clause:
            break
        if doc.toks[w] == "whether" and doc.toks[w - 1] in KNOWING and negated_here(doc, w - 1):
            return f"groups not told apart ('{' '.join(doc.toks[max(0, w - 3):w + 1])} ...')"
    return None


def _counterfactual_subject(doc: Any, a: int, clause: int) -> bool:
    """Whether the span at ``a`` is the subject of an inverted condition, "had X been included":
    "had" opens the clause or follows "that"/"if", with only the subject's words between it and ``a``."""
    for h in range(a - 1, max(-1, a - 5), -1):
        if doc.clause[h] != clause:
            return False
        if doc.toks[h] == "had":
            opens = h == 0 or doc.clause[h - 1] != clause or doc.toks[h - 1] in ("that", "if", "and", "but")
            return opens and not any(_is_verbish(doc, k) for k in range(h + 1, a))
        if doc.toks[h] in RELATIVES or doc.toks[h] in AUXILIARIES:
            return False
    return False


def _proposed_study(doc: Any, i: int, clause: int) -> bool:
    """Whether the sampling verb at ``i`` is one a future study is asked to do: research nouns and
    a modal or "future" before it in its clause ("future research should include trans people",
    "... recommend that future evaluations recruit migrant women"): the group was not studied.
    "Services should include migrant women" has no research noun and is kept."""
    before = [k for k in range(max(0, i - 6), i) if doc.clause[k] == clause]
    words = {doc.toks[k] for k in before}
    return bool(words & RESEARCH_NOUNS) and bool(words & PROPOSING)


def _negated_participle(doc: Any, a: int, b: int, i: int, clause: int, negator_by_end: dict[int, int]) -> bool:
    """Whether the cue at ``a..b`` is a verb form ("forced", "sexually exploited") negated through
    the auxiliaries before it: "had not been forced", "were never trafficked", "hadn't been
    coerced", or denied of everyone by its subject: "none had been sexually exploited"."""
    words = doc.toks[a:b + 1]
    if not (len(words[-1]) > 4 and words[-1].endswith("ed") and all(w.endswith("ly") for w in words[:-1])):
        return False
    k = i
    while k >= 0 and doc.clause[k] == clause and doc.toks[k] in AUXILIARIES:
        k -= 1
    if k < 0 or doc.clause[k] != clause:
        return False
    if doc.toks[k] in ("not", "never") or doc.toks[k] in SHORT_NEGATIVES or doc.toks[k] in NEGATED_SUBJECTS:
        return True
    if doc.toks[k] == "one" and k > 0 and doc.toks[k - 1] == "no":
        return True
    return doc.toks[k] == "t" and k > 0 and doc.toks[k - 1] in SHORT_NEGATIVES


def _no_figures(doc: Any, i: int, clause: int, negator_by_end: dict[int, int]) -> int | None:
    """Where "no figures for" starts when the preposition at ``i`` follows a figures noun that a
    negator opens ("gave no figures for", "no separate data on"): the group's data are absent."""
    for noun in (i - 1, i - 2):
        if noun < 1 or doc.clause[noun] != clause or doc.toks[noun] not in FIGURE_NOUNS:
            continue
        for end in range(noun - 1, max(-1, noun - 3), -1):
            if end in negator_by_end and doc.toks[negator_by_end[end]] == "no":
                return negator_by_end[end]
    return None


def _in_negated_predicate(doc: Any, opener: int, a: int, b: int, people: set[int]) -> bool:
    """Whether tokens ``a..b`` stand in the predicate of a clause whose subject is negated: the
    subject's verb comes at or before the span's end, with no relative word before it ("none
    of the participants worked online": denied of every one of them; not "no migrant women
    reported ...", where the span is the subject, nor "no women who worked on the street
    reported ...", where the verb belongs to a relative clause of the subject)."""
    for k in range(opener + 1, b + 1):
        if doc.toks[k] in RELATIVES:
            return False
        if _is_verbish(doc, k):
            return _names_people(doc, opener, k, people)
    return False


def _names_people(doc: Any, opener: int, verb: int, people: set[int]) -> bool:
    """Whether the negated subject between ``opener`` and its verb names people ("none of the
    participants", "no one", "nobody"), not a thing ("no HIV transmission ... was seen")."""
    if doc.toks[opener] in ("none", "nobody") or doc.toks[opener + 1:opener + 2] == ["one"]:
        return True
    return any(k in people for k in range(opener + 1, verb))


def _clause_negator(doc: Any, a: int, clause: int, negators: list[tuple[int, int]], words: ContextWords) -> int | None:
    """The negator that opens the clause of token ``a`` ("No ...", "but none of ...",
    "There were no ..."), when it stands before ``a``."""
    first = a
    while first > 0 and doc.clause[first - 1] == clause:
        first -= 1
    lead = first + (1 if doc.toks[first] in CLAUSE_WORDS or doc.toks[first] in CONJUNCTIONS else 0)
    if doc.toks[lead:lead + 2] in (["there", "were"], ["there", "was"], ["there", "are"], ["there", "is"]):
        lead += 2
    if lead < a and doc.toks[lead] in ("the", "an"):
        lead += 1
    # "... were all UK-born, and none had been referred ...": a negated subject after a comma and "and"
    for s0, _e0 in negators:
        if first < s0 < a and doc.toks[s0] in NEGATED_SUBJECTS and doc.toks[s0 - 1] in CONJUNCTIONS and doc.sep[s0 - 1] == ",":
            return s0
    if lead >= a:
        return None
    people = {p0 for p0, _ in doc.phrase_tokens(words["people"])}
    for s0, e0 in negators:
        if s0 != lead or s0 >= a:
            continue
        if doc.toks[s0] in ("no", "none", "neither", "nobody"):
            return s0
        if doc.toks[s0] == "absence" and any(k in people for k in range(e0 + 1, min(a + 1, e0 + 3))):
            return s0  # "the absence of women who ...", not "the absence of services for migrant women"
    return None


def _reduced_relative(doc: Any, k: int, end: int, clause: int) -> bool:
    """Whether the verb of taking part at ``k..end`` qualifies a noun ("the women interviewed
    had ..."): no auxiliary before it, and another verb right after it."""
    if k > 0 and doc.toks[k - 1] in AUXILIARIES:
        return False
    after = end + 1
    return after < len(doc.toks) and doc.clause[after] == clause and doc.sep[after] not in (",", "strong") and _is_verbish(doc, after)


def _np_negation_holds(doc: Any, a: int, b: int, clause: int, participation: dict[int, int], words: ContextWords) -> bool:
    """After "no X": negated unless X names people and is the subject of a verb other than
    taking part ("no migrant women reported ..." still speaks about migrant women, "no video
    sessions were delivered" says there were none)."""
    j, steps = b + 1, 0
    n = len(doc.toks)
    while j < n and steps < 4 and doc.clause[j] == clause and doc.sep[j] not in (",", "strong"):
        tok = doc.toks[j]
        if tok in AUXILIARIES or tok in PREPOSITIONS or tok in RELATIVES or _is_verbish(doc, j) or j in participation:
            break
        j += 1
        steps += 1
    if j >= n or doc.clause[j] != clause or doc.sep[j] in (",", "strong") or doc.toks[j] in PREPOSITIONS:
        return True  # the phrase is an object or stands alone: "a sample with no trans participants"
    if doc.toks[j] in RELATIVES:  # "no men who sold sex took part": look for the clause's verb of taking part
        return any(k in participation for k in range(j + 1, min(n, j + 9)) if doc.clause[k] == clause)
    k = j
    while k < n and doc.toks[k] in AUXILIARIES and doc.clause[k] == clause:
        k += 1
    people = {p0 for p0, _ in doc.phrase_tokens(words["people"])}
    if k > j and not any(t in people for t in range(a, j)):
        return True  # a thing, not people, in the passive: "no video sessions were delivered"
    if k < n and k in participation:
        # "no migrant women interviewed reported ...": a participle right after the phrase,
        # then the clause's own verb: the sentence speaks about them
        return not (k == j and _reduced_relative(doc, k, participation[k], clause))
    return False


# --------------------------------------------------------------------------- comparison


def comparison(doc: Any, a: int, b: int, words: ContextWords, population: list[tuple[int, int]]) -> str | None:
    """Reason when tokens ``a..b`` describe a group other than the population.

    * the cue modifies one of the review's ``other_groups`` ("migrant farm workers",
      "male clients");
    * the group is said not to be the population ("refugee women who had never sold
      sex", "non-sex-working migrants");
    * the cue stands by a comparison-group marker and is not tied to a population term
      ("migrant women formed the comparison group").
    """
    clause = doc.clause[a]
    pop_starts = {p0 for p0, _ in population}
    # 1. the cue modifies another group: look along its noun phrase, up to its verb
    others = _starts(doc.phrase_tokens(words["other_groups"]))
    j = b + 1
    while j < len(doc.toks) and j <= b + 3 and doc.clause[j] == clause and doc.sep[j] not in (",", "strong", "'"):
        if j in pop_starts or doc.toks[j] in RELATIVES or (j not in others and _is_verbish(doc, j)):
            break
        if j in others:
            return f"describes another group ('{' '.join(doc.toks[a:others[j] + 1])}')"
        j += 1
    # "their clients, many of whom were migrants": a relative clause about another group
    ends = {e for _, e in doc.phrase_tokens(words["other_groups"])}
    for r in range(a - 1, max(-1, a - 7), -1):
        if doc.toks[r] in ("whom", "who", "them") and doc.clause[r] == clause:
            if any(_is_verbish(doc, v) and doc.toks[v] not in AUXILIARIES and doc.toks[v] not in ("worked", "working")
                   for v in range(r + 1, a)):
                break  # "residents who reported swapping sex": what the relative's own verb says they did
            e = r - 1  # the noun the relative is about, past "many of", "most of", "one of" ...
            while e >= 0 and (doc.toks[e] in QUANTIFIERS or doc.toks[e] in NUMBER_WORDS):
                e -= 1
            if e in ends:
                return f"describes another group ('{' '.join(doc.toks[e:b + 1])}')"
            break
    # "street cleaners and other outdoor workers": one of the same kind as another group
    if a >= 2 and doc.toks[a - 1] == "other" and doc.toks[a - 2] in ("and", "or", "like", "as"):
        if a - 3 in ends and doc.clause[a - 3] == clause:
            return f"describes another group ('{' '.join(doc.toks[a - 3:b + 1])}')"
    # "outreach staff were migrants themselves": the cue is said of another group
    k = a - 1
    while k >= 0 and doc.clause[k] == clause and doc.toks[k] in PREDICATE_ADVERBS:
        k -= 1
    if k >= 1 and doc.toks[k] in COPULAS and doc.clause[k] == clause and not any(doc.toks[q] in RELATIVES for q in range(max(0, k - 4), k)):
        for e in range(k - 1, max(-1, k - 4), -1):
            if doc.clause[e] != clause or e in pop_starts:
                break
            if e in ends and not (b < len(doc.toks) - 1 and b + 1 in pop_starts):
                return f"said of another group ('{' '.join(doc.toks[e:b + 1])}')"
    # "similar to those reported for trans people", "well below published estimates for trans
    # people": the cue names the group a figure is compared with, and that group is not said to
    # sell sex ("similar to those of trans sex workers elsewhere" compares two of the population's groups)
    sells = any(0 < p0 - b <= 3 for p0 in pop_starts)
    for r in range(a - 1, max(-1, a - 5), -1):
        if doc.clause[r] != clause or sells:
            break
        if doc.toks[r] in ("those", "that") and any(doc.toks[q] in LIKENESS for q in range(max(0, r - 3), r) if doc.clause[q] == clause):
            return f"the group compared with ('{' '.join(doc.toks[r:b + 1])}')"
        if doc.toks[r] in FIGURE_NOUNS and _ranked_against(doc, r, clause):
            return f"the group compared with ('{' '.join(doc.toks[r:b + 1])}')"
    # 2. the group is said not to be the population
    for p0, p1 in population:
        if doc.clause[p0] != clause or not _population_negated(doc, p0):
            continue
        if p0 > b and p0 - b <= 10:
            return f"a group that is not the population ('{' '.join(doc.toks[p0 - 2:p1 + 1])}')"
        if p1 < a and a - p1 <= 3:
            return f"a group that is not the population ('{' '.join(doc.toks[max(0, p0 - 1):p1 + 1])}')"
    # 3. a comparison or control group: next to the cue, or the subject of its clause
    first = a
    while first > 0 and doc.clause[first - 1] == clause:
        first -= 1
    for m0, m1 in doc.phrase_tokens(words["comparison"]):
        if doc.clause[m0] == clause and m0 - first <= 2 and m1 < a and not any(p0 > m1 and p1 < a for p0, p1 in population):
            return f"in a comparison group ('{' '.join(doc.toks[m0:m1 + 1])}' ... '{' '.join(doc.toks[a:b + 1])}')"
    tied = any(0 < p0 - b <= 3 or (p0 <= a <= p1) for p0, p1 in population if doc.clause[p0] == clause and not _population_negated(doc, p0))
    if not tied:
        for m0, m1 in doc.phrase_tokens(words["comparison"]):
            if doc.clause[m0] == clause and (0 <= m0 - b <= 5 or 0 <= a - m1 <= 5):
                return f"in a comparison group ('{' '.join(doc.toks[m0:m1 + 1])}')"
    return None


def _ranked_against(doc: Any, r: int, clause: int) -> bool:
    """Whether the figures noun at ``r`` is what another figure is set against: a word of
    likeness or rank at most three words before it, with only its modifiers between ("below
    published estimates", "than national rates"; not "compared with 2019, rates ...")."""
    for q in range(r - 1, max(-1, r - 4), -1):
        if doc.clause[q] != clause or doc.sep[q + 1] in (",", "strong") or doc.toks[q].isdigit():
            return False
        if doc.toks[q] in RANKING:
            return True
    return False


NEGATING_WORDS = frozenset({"not", "no", "never", "without", "nor", "cannot", "unable", "failed", "neither"})
# words that may stand between a negator and the verb it negates ("could not be broken down")
NEGATION_GAP = AUXILIARIES | {"could", "can", "would", "will", "able", "possible", "to", "further", "always", "fully",
                              "even", "it", "them", "results", "findings", "data", "figures"}


def negated_here(doc: Any, k: int) -> bool:
    """Whether the word at ``k`` is negated within its clause: a negator at most four words
    before it with only auxiliaries, modals and a pronoun or figures noun between ("did not
    separate", "could not be broken down", "without breaking it down", "no split", "unable to
    distinguish"); no comma between."""
    clause = doc.clause[k]
    for n in range(k - 1, max(-1, k - 5), -1):
        if doc.clause[n] != clause or doc.sep[n + 1] in (",", "strong"):
            return False
        tok = doc.toks[n]
        if tok in NEGATING_WORDS or tok in SHORT_NEGATIVES or (tok == "t" and n > 0 and doc.toks[n - 1] in SHORT_NEGATIVES):
            return True
        if tok not in NEGATION_GAP:
            return False
    return False


def _population_negated(doc: Any, p0: int) -> bool:
    """Whether a population term is negated: "never sold sex", "did not sell sex", "non-sex-working"."""
    if p0 > 0 and doc.toks[p0 - 1] == "non" and doc.sep[p0] == "-":
        return True
    for n in range(max(0, p0 - 2), p0):
        tok = doc.toks[n]
        if tok in ("never", "not") or tok in SHORT_NEGATIVES or (tok == "t" and n > 0 and doc.toks[n - 1] in SHORT_NEGATIVES):
            return True
    return False


# --------------------------------------------------------------------------- methods


def methods(doc: Any, a: int, b: int, words: ContextWords, population: list[tuple[int, int]]) -> str | None:
    """Reason when tokens ``a..b`` describe how a study was done, or name a word.

    * the cue right before a methods noun ("online survey", "online-interviews");
    * the cue right after a methods verb, as an adverb: "recruited online", "recruited via
      the internet" — but "recruited street-based women" names the people recruited and
      "recruited via migrant organisations" the organisations;
    * the cue is a term mentioned: "the search term 'trafficking'".
    """
    clause = doc.clause[a]
    n = len(doc.toks)
    nouns = _starts(doc.phrase_tokens(words["methods_nouns"]))
    people = {p0 for p0, _ in doc.phrase_tokens(words["people"])} | {p0 for p0, _ in population}
    if b not in people and b + 1 < n and doc.clause[b + 1] == clause and doc.sep[b + 1] in ("", "-") and b + 1 in nouns:
        return f"a study method ('{' '.join(doc.toks[a:nouns[b + 1] + 1])}')"
    verbs = doc.phrase_tokens(words["methods_verbs"])
    followed_by_people = any(k in people for k in range(b + 1, min(n, b + 3)) if doc.clause[k] == clause)
    nxt = b + 1
    adverbial = nxt >= n or doc.clause[nxt] != clause or doc.sep[nxt] in (",", "strong") or doc.toks[nxt] in PREPOSITIONS \
        or doc.toks[nxt] in CONJUNCTIONS or nxt in nouns or doc.toks[nxt] in AUXILIARIES
    if adverbial and not followed_by_people:
        for v0, v1 in verbs:
            gap = range(v1 + 1, a)
            if doc.clause[v1] == clause and 0 <= a - v1 - 1 <= 2 and all(doc.toks[g] in GAP_WORDS for g in gap) \
                    and all(doc.sep[g] not in (",", "strong") for g in range(v1 + 1, a + 1)):
                return f"how the study was done ('{' '.join(doc.toks[v0:b + 1])}')"
    mentions = doc.phrase_tokens(words["mention"])
    quoted = doc.quoted(a, b)
    for m0, m1 in mentions:
        # "the term trafficking", "the search terms 'escort' and 'brothel'"
        if doc.clause[m1] == clause and 0 <= a - m1 - 1 <= (5 if quoted else 0):
            return f"a word mentioned ('{' '.join(doc.toks[m0:b + 1])}')"
    return None


# --------------------------------------------------------------------------- prefixes


def prefixes(doc: Any, a: int, b: int) -> str | None:
    """Reason when the cue is a word part: "trans-Pennine" (prefix before a proper noun),
    "anti-trafficking", "counter-trafficking", "non-migrant" (against or not the group)."""
    after = doc.tok_ends[b]
    text = doc.text
    if after + 1 < len(text) and text[after] == "-" and text[after + 1].isupper() and a == b:
        return f"a prefix ('{text[doc.tok_starts[a]:doc.tok_ends[min(b + 1, len(doc.toks) - 1)]]}')"
    if a > 0 and doc.sep[a] == "-" and doc.toks[a - 1] in PREFIXES and not doc.toks[a].startswith("non"):
        return f"'{doc.toks[a - 1]}-' before the cue"
    return None


CHECKS = ("negation", "comparison", "methods", "prefixes")


def context_reason(doc: Any, a: int, b: int, checks: tuple[str, ...], words: ContextWords,
                   population: list[tuple[int, int]]) -> str | None:
    """The first reason the named checks give for tokens ``a..b``, or None (a cue in context)."""
    for check in checks:
        if check == "negation":
            reason = negation(doc, a, b, words)
        elif check == "comparison":
            reason = comparison(doc, a, b, words, population)
        elif check == "methods":
            reason = methods(doc, a, b, words, population)
        elif check == "prefixes":
            reason = prefixes(doc, a, b)
        else:
            reason = None
        if reason:
            return reason
    return None
