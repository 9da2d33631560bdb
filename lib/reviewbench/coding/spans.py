"""Whether a rule hit is a real mention of its code: a context model that knows no cue.

The keyword rules (:mod:`.keywords`) find the candidate spans: every phrase of a code's cue
lists (the codebook's data, with stems, word boundaries, hyphen or space, paired cues),
less those a guard or a context check (:mod:`.context`) vetoed. This module describes each
candidate by its surroundings only, never by the word itself, so that what it learns on one
review's cues carries over to another codebook:

* the kind of span (a phrase of its own, or a cue with its partner), of one or more words;
* the *head* the span modifies: the next word being a person noun ("<cue> women",
  "<cue> participants"), a group that is not the population ("<cue> clients", "<cue>
  staff"), a generic thing (:data:`reviewbench.coding.paraphrase.THINGS`: "<cue> air",
  "<cue> data") or another content word, or a verb;
* a thing as the subject the span is said of ("the outcome was <cue>");
* a negator before the span in its clause (or anywhere in it), a comparison marker or a
  reference population ("published estimates", "the general population") in its clause,
  study methods in its sentence, hypotheticals and future work, exclusion criteria;
* the span standing inside a longer candidate of another code ("off-street workers" holds
  "street workers"), overlapping a population term, next to or being a capitalised word
  (a name: "<cue> Project"), in quotation marks.

:class:`SpanModel` is a logistic regression over these features; :class:`SpanJudge` trains
it for one dimension on the candidates of labelled texts (a candidate is right when its
code is among the text's codes) and on their minimal pairs (:mod:`.paraphrase`), and
chooses its cut-off by cross-validation over the texts. A code's confidence on a text is
the highest of its spans'. The model may take a hit away; it never brings back what a
guard or context check vetoed, and cues without their partner are left to the classifier.

Words of the codes' prose (:mod:`.prose`) are candidates too where no cue of their code
stands in the text: a second model (``prose_model``) judges them from the same context
features, the word's record in the labelled texts (leave one out) and the classifier's
out-of-fold probability of the code; its cut-off (:func:`prose_cutoff`) is the lowest at
which out-of-fold prose suggestions were right :data:`PROSE_PRECISION` of the time, or off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

import math

import numpy as np
from sklearn.linear_model import LogisticRegression

from .context import AUXILIARIES, CONJUNCTIONS, PREPOSITIONS, PRONOUNS, RELATIVES, ContextWords
from .keywords import Hit, KeywordMatcher, _Text
from .paraphrase import THINGS, minimal_pairs

# Grammar words: a word of these after a span is not a head noun.
DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "any", "some", "all", "each", "every",
                         "both", "many", "most", "more", "fewer", "less", "other", "such", "own", "its", "their"})
FUNCTION_WORDS = DETERMINERS | AUXILIARIES | PREPOSITIONS | RELATIVES | PRONOUNS | CONJUNCTIONS | {
    "not", "no", "as", "than", "also", "only", "so", "very", "then", "there", "here", "s", "t"}
# Negators whose scope runs over the rest of their clause.
NEGATORS = frozenset({"no", "not", "none", "never", "neither", "nor", "without", "nobody", "absence", "lack", "t",
                      "didn", "wasn", "weren", "isn", "aren", "hadn", "hasn", "haven", "don", "doesn", "cannot"})
# Words of a comparison with another group or a reference figure.
COMPARISON = frozenset({"compared", "comparison", "comparing", "control", "controls", "than", "versus", "vs",
                        "comparator", "matched"})
# Words of a reference population or figure outside the study ("the general population",
# "published estimates", "national figures").
REFERENCE = frozenset({"general", "estimates", "estimate", "national", "published", "reference", "benchmark",
                       "census", "nationally"})
# Words of study methods.
METHODS = frozenset({"survey", "surveys", "questionnaire", "questionnaires", "interview", "interviews", "interviewed",
                     "recruited", "recruitment", "sampling", "sample", "transcripts", "transcript", "coded", "analysis",
                     "analysed", "analyzed", "regression", "data", "dataset", "records", "searched", "search",
                     "review", "reviewers", "researchers", "researcher", "protocol", "consent", "fieldwork",
                     "database", "databases", "methods", "method", "design", "pilot", "trial", "variable", "outcome"})
# Words of what might or should be, not what was found.
HYPOTHETICAL = frozenset({"could", "would", "should", "might", "may", "future", "planned", "plan", "plans",
                          "proposed", "propose", "recommend", "recommended", "intend", "intended", "hypothetical",
                          "if", "whether", "unless"})
EXCLUSION = frozenset({"excluded", "exclude", "excluding", "exclusion", "ineligible", "eligibility", "eligible"})

FEATURES = (
    "kind_cue", "kind_paired",
    "head_person", "head_other_group", "head_thing", "head_generic_thing", "head_verb", "thing_subject",
    "neg_before", "neg_clause", "comparison_clause", "reference_clause", "methods_sentence", "hypothetical_clause", "exclusion_clause",
    "inside_other", "has_population", "population_clause", "capital_next", "capital_inside", "quoted", "multiword",
    "kind_prose", "prose_seen", "prose_logit", "prose_clf_logit", "prose_has_clf",
)
PROSE_SMOOTHING = 2.0  # pseudo-texts of the pooled share right that a prose term's own record is smoothed with


def _is_verb_like(tok: str) -> bool:
    return tok in AUXILIARIES or (len(tok) > 4 and tok.endswith(("ed", "ing")))


@dataclass
class SpanContext:
    """Computes the features of candidates in one text."""

    text: str
    words: ContextWords
    population: list[tuple[int, int]]  # token ranges of population terms
    people: set[int] = field(init=False)  # token starts of person nouns
    others: set[int] = field(init=False)  # token starts of other groups

    def __post_init__(self) -> None:
        self.doc = _Text(self.text)
        self.people = {a for a, _ in self.doc.phrase_tokens(self.words["people"])} | {a for a, _ in self.population}
        self.others = {a for a, _ in self.doc.phrase_tokens(self.words["other_groups"])}

    def _clause_tokens(self, a: int) -> range:
        doc = self.doc
        clause = doc.clause[a]
        lo = a
        while lo > 0 and doc.clause[lo - 1] == clause:
            lo -= 1
        hi = a
        while hi + 1 < len(doc.toks) and doc.clause[hi + 1] == clause:
            hi += 1
        return range(lo, hi + 1)

    def _sentence_tokens(self, a: int) -> list[int]:
        doc = self.doc
        s = doc.sentence(doc.tok_starts[a])
        return [i for i, start in enumerate(doc.tok_starts) if doc.sentence(start) == s]

    def head(self, b: int) -> str:
        """What the span ending at token ``b`` modifies: person, other_group, thing, verb or ''."""
        doc = self.doc
        j = b + 1
        if j >= len(doc.toks) or doc.clause[j] != doc.clause[b] or doc.sep[j] in (",", "strong", "'"):
            return ""
        if j in self.others:
            return "other_group"
        if j in self.people:
            return "person"
        tok = doc.toks[j]
        if tok in FUNCTION_WORDS or tok.isdigit():
            return ""
        if _is_verb_like(tok) and doc.sep[j] != "-":
            return "verb"
        # a compound of two content words: "<cue> smoking ban", "<cue> sex workers"
        if j + 1 < len(doc.toks) and doc.clause[j + 1] == doc.clause[j] and doc.sep[j + 1] in ("", "-"):
            if j + 1 in self.people:
                return "person"
            if j + 1 in self.others:
                return "other_group"
        return "thing"

    def thing_subject(self, a: int) -> bool:
        """The span is said of a thing: "the outcome was <cue>" (a noun, a form of be, the span)."""
        doc = self.doc
        if a < 2 or doc.toks[a - 1] not in ("was", "were", "is", "are", "being", "been"):
            return False
        k = a - 2
        if doc.clause[k] != doc.clause[a]:
            return False
        tok = doc.toks[k]
        return k not in self.people and k not in self.others and tok not in FUNCTION_WORDS and not _is_verb_like(tok) \
            and not any(p0 <= k <= p1 for p0, p1 in self.population)

    def features(self, hit: Hit, others: Sequence[Hit]) -> list[float]:
        doc = self.doc
        a, b = doc.token_range(hit.start, hit.end)
        clause = self._clause_tokens(a)
        sentence = self._sentence_tokens(a)
        toks = doc.toks
        head = self.head(b)
        neg_before = any(toks[i] in NEGATORS for i in range(max(clause.start, a - 6), a))
        neg_clause = any(toks[i] in NEGATORS for i in clause if not a <= i <= b)
        inside_other = any(o is not hit and o.code != hit.code and o.start <= hit.start and hit.end <= o.end
                           and (o.end - o.start) > (hit.end - hit.start) for o in others)
        has_population = any(p0 <= b and a <= p1 for p0, p1 in self.population)
        population_clause = any(p0 in clause for p0, _ in self.population)
        capital_next = b + 1 < len(toks) and doc.clause[b + 1] == doc.clause[b] and doc.text[doc.tok_starts[b + 1]].isupper() \
            and doc.sep[b + 1] in ("", "-")
        capital_inside = a > 0 and doc.sep[a] != "strong" and doc.text[doc.tok_starts[a]].isupper() \
            and not doc.text[doc.tok_starts[a]:doc.tok_ends[a]].isupper()
        row = {
            "kind_cue": float(hit.kind == "cue"), "kind_paired": float(hit.kind == "paired"),
            "head_person": float(head == "person"), "head_other_group": float(head == "other_group"),
            "head_thing": float(head == "thing"), "head_verb": float(head == "verb"),
            "head_generic_thing": float(head == "thing" and b + 1 < len(toks) and toks[b + 1] in THINGS),
            "thing_subject": float(self.thing_subject(a)),
            "neg_before": float(neg_before), "neg_clause": float(neg_clause),
            "comparison_clause": float(any(toks[i] in COMPARISON for i in clause)),
            "reference_clause": float(any(toks[i] in REFERENCE for i in clause)),
            "methods_sentence": float(any(toks[i] in METHODS for i in sentence if not a <= i <= b)),
            "hypothetical_clause": float(any(toks[i] in HYPOTHETICAL for i in clause)),
            "exclusion_clause": float(any(toks[i] in EXCLUSION for i in clause)),
            "inside_other": float(inside_other), "has_population": float(has_population),
            "population_clause": float(population_clause), "capital_next": float(capital_next),
            "capital_inside": float(capital_inside), "quoted": float(doc.quoted(a, b)), "multiword": float(b > a),
            # set by SpanJudge for prose candidates:
            "kind_prose": float(hit.kind == "prose"), "prose_seen": 0.0, "prose_logit": 0.0, "prose_clf_logit": 0.0, "prose_has_clf": 0.0,
        }
        return [row[f] for f in FEATURES]


def candidates(matcher: KeywordMatcher, text: str, dimension: str, *, assume_population: bool = False,
               prose: bool = False) -> list[tuple[Hit, list[float]]]:
    """Every candidate span of ``dimension``'s codes in ``text``, with its features: the rules'
    hits (and with ``prose`` the words of the codes' prose, :mod:`.prose`). A candidate a guard
    or a context check vetoed stays vetoed (the model may take a hit away, never bring back
    what the rules ruled out)."""
    if not isinstance(text, str) or not text.strip():
        return []
    hits = [h for h in matcher.candidates(text, assume_population=assume_population, dimension=dimension, prose=prose) if not h.vetoed]
    if not hits:
        return []
    doc = _Text(text)
    population = [doc.token_range(a, b) for a, b, _ in matcher.population_spans(text)]
    ctx = SpanContext(text, matcher.words, population)
    return [(h, ctx.features(h, hits)) for h in hits]


@dataclass
class SpanModel:
    """A logistic regression from a candidate's context features to whether it is a real mention."""

    C: float = 1.0
    seed: int = 0
    model: LogisticRegression | None = None
    base_rate: float = 0.5

    @staticmethod
    def design(X: np.ndarray, generated: np.ndarray | None = None) -> np.ndarray:
        """The features, and whether the candidate comes from a generated sentence, so that the
        generated sentences' own share of right candidates does not move the base rate of real
        texts (it is 0 when predicting)."""
        X = np.asarray(X, dtype=float).reshape(-1, len(FEATURES))
        gen = np.zeros((len(X), 1)) if generated is None else np.asarray(generated, dtype=float).reshape(-1, 1)
        return np.hstack([X, gen])

    def fit(self, X: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None,
            generated: np.ndarray | None = None) -> "SpanModel":
        X = self.design(X, generated)
        y = np.asarray(y, dtype=int)
        self.base_rate = float(y.mean()) if len(y) else 0.5
        if len(y) < 4 or y.min() == y.max():
            self.model = None
            return self
        self.model = LogisticRegression(C=self.C, solver="lbfgs", max_iter=2000, random_state=self.seed)
        self.model.fit(X, y, sample_weight=weight)
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        X = self.design(X)
        if len(X) == 0:
            return np.zeros(0)
        if self.model is None:
            return np.full(len(X), self.base_rate)
        return self.model.predict_proba(X)[:, 1]

    def weights(self) -> dict[str, float]:
        """Each feature's weight (log-odds), for the benchmark's printout."""
        if self.model is None:
            return {}
        names = (*FEATURES, "generated")
        return dict(zip(names, (float(w) for w in self.model.coef_[0])))


GRID = tuple(round(0.2 + 0.05 * i, 2) for i in range(13))  # cut-offs tried: 0.20 ... 0.80
GENERATED_WEIGHT = 1.0  # a candidate of a minimal pair counts as much as one of a labelled text


def code_scores(rows: Sequence[tuple[Hit, list[float]]], p: np.ndarray) -> dict[str, tuple[float, Hit]]:
    """A code's probability on one text: the highest of its spans', with that span."""
    out: dict[str, tuple[float, Hit]] = {}
    for (hit, _), prob in zip(rows, p):
        if hit.code not in out or prob > out[hit.code][0]:
            out[hit.code] = (float(prob), hit)
    return out


PROSE_OFF = 1.01  # the prose cut-off when prose candidates do not raise micro-F1 out of fold
PROSE_PRECISION = 0.9  # prose suggestions are shown where out of fold they were right nine times in ten (as pre-selection)
PROSE_LEAST = 5  # ... over at least this many
PROSE_GRID = tuple(round(0.3 + 0.05 * i, 2) for i in range(14))  # prose cut-offs tried: 0.30 ... 0.95


def split_prose(cands: Sequence[tuple[Hit, list[float]]]) -> tuple[list, list]:
    """A text's candidates as (cue candidates, prose candidates of codes no cue candidate reached):
    where a cue speaks for a code, its prose words add nothing."""
    cued = {h.code for h, _ in cands if h.kind != "prose"}
    return [c for c in cands if c[0].kind != "prose"], [c for c in cands if c[0].kind == "prose" and c[0].code not in cued]


def prose_cutoff(scored: Sequence[tuple[float, bool]], grid: Sequence[float] = PROSE_GRID, target: float = PROSE_PRECISION,
                 least: int = PROSE_LEAST) -> float:
    """The lowest prose cut-off of :data:`PROSE_GRID` at which out-of-fold prose suggestions
    (``(probability, right)`` per code and text) were right at least ``target`` of the time, over
    at least ``least`` of them; :data:`PROSE_OFF` when none was."""
    for t in sorted(grid):
        above = [right for p, right in scored if p >= t]
        if len(above) >= least and sum(above) / len(above) >= target:
            return t
    return PROSE_OFF


def best_cutoff(scored: Sequence[tuple[dict[str, float], set[str]]], grid: Sequence[float] = GRID) -> float:
    """The cut-off of :data:`GRID` with the best micro-F1 over ``(code -> p, true codes)`` per text
    (ties: the one nearest 0.5)."""
    best, best_key = 0.5, (-1.0, 0.0)
    for t in grid:
        tp = fp = fn = 0
        for probs, gold in scored:
            pred = {c for c, p in probs.items() if p >= t}
            tp, fp, fn = tp + len(pred & gold), fp + len(pred - gold), fn + len(gold - pred)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        key = (round(f1, 6), -abs(t - 0.5))
        if key > best_key:
            best, best_key = t, key
    return best


@dataclass
class SpanJudge:
    """The span model of one dimension: trained on labelled texts and generated sentences, with
    its cut-off chosen by cross-validation inside the labelled texts."""

    matcher: KeywordMatcher
    dimension: str
    seed: int = 0
    folds: int = 5
    generated_weight: float = GENERATED_WEIGHT
    pairs: bool = True
    prose: bool = True  # words of the codes' prose are candidates too (:mod:`.prose`)
    model: SpanModel = field(default_factory=SpanModel)
    prose_model: SpanModel = field(default_factory=SpanModel)  # judges prose candidates of codes no cue reached
    prose_cutoff: float = PROSE_OFF  # above 1: prose candidates are not shown
    prose_inner: list[tuple[float, bool]] = field(default_factory=list)  # out-of-fold prose scores and whether right
    terms: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)  # (code, word) -> (texts right, texts)
    prose_prior: float = 0.5  # share of prose candidates right in the labelled texts
    _own: dict[int, dict[tuple[str, str], tuple[int, int]]] = field(default_factory=dict, repr=False)
    cutoff: float = 0.5
    inner: list[tuple[dict[str, float], set[str]]] = field(default_factory=list)  # out-of-fold scores the cut-off came from

    def _mention_spans(self, text: str, cands: list[tuple[Hit, list[float]]], truth: set[str]) -> list[tuple[str, str, int, int, int, int]]:
        """Real mentions in one labelled text (hits of a true code), with the person noun after each."""
        out = []
        doc = _Text(text)
        for hit, feats in cands:
            if hit.vetoed or hit.code not in truth:
                continue
            _a, b = doc.token_range(hit.start, hit.end)
            h0 = h1 = -1
            if feats[FEATURES.index("head_person")] and b + 1 < len(doc.toks):
                h0, h1 = doc.tok_starts[b + 1], doc.tok_ends[b + 1]
            out.append((text, hit.code, hit.start, hit.end, h0, h1))
        return out

    def _pair_rows(self, text: str, cands: list[tuple[Hit, list[float]]], truth: set[str], k: int) -> tuple[list[list[float]], list[int]]:
        """Features and labels of the minimal pairs of one labelled text's mentions."""
        X, y = [], []
        pairs = minimal_pairs(self._mention_spans(text, cands, truth), seed=self.seed + k)
        for row in pairs.itertuples():
            for hit, feats in self._with_terms(candidates(self.matcher, row.text, self.dimension, assume_population=True, prose=self.prose), k):
                if hit.code == row.code and not hit.vetoed and hit.start < row.end and row.start < hit.end:
                    X.append(feats)
                    y.append(int(row.label))
        return X, y

    @staticmethod
    def _keys(cands: Sequence[tuple[Hit, list[float]]]) -> set[tuple[str, str]]:
        return {(h.code, h.phrase) for h, _ in cands if h.kind == "prose"}

    def _with_terms(self, cands: list[tuple[Hit, list[float]]], own: int | None = None,
                    clf: Mapping[str, float] | None = None) -> list[tuple[Hit, list[float]]]:
        """The candidates with each prose term's record in the labelled texts as features: how
        many texts it was a candidate in (log) and the smoothed share of them holding its code
        (log-odds); ``own``: a labelled text whose own record is left out (leave one out); ``clf``:
        the classifier's probability of each code on the text (out of fold for labelled texts)."""
        if not any(h.kind == "prose" for h, _ in cands):
            return cands
        mine = self._own.get(own, {}) if own is not None else {}
        i_seen, i_logit, i_clf = FEATURES.index("prose_seen"), FEATURES.index("prose_logit"), FEATURES.index("prose_clf_logit")
        out = []
        for hit, feats in cands:
            if hit.kind == "prose":
                right, n = self.terms.get((hit.code, hit.phrase), (0, 0))
                r0, n0 = mine.get((hit.code, hit.phrase), (0, 0))
                right, n = right - r0, n - n0
                share = (right + PROSE_SMOOTHING * self.prose_prior) / (n + PROSE_SMOOTHING)
                share = min(max(share, 0.01), 0.99)
                feats = list(feats)
                feats[i_seen], feats[i_logit] = math.log1p(n), math.log(share / (1 - share))
                if clf and hit.code in clf:
                    q = min(max(float(clf[hit.code]), 0.01), 0.99)
                    feats[i_clf], feats[i_clf + 1] = math.log(q / (1 - q)), 1.0
            out.append((hit, feats))
        return out

    def fit(self, texts: Sequence[str], truths: Sequence[Iterable[str]], *, assume_population: bool = False,
            clf: Sequence[Mapping[str, float]] | None = None) -> "SpanJudge":
        """Learn from labelled texts (``truths``: each text's codes of the dimension) and their
        minimal pairs; choose the cut-off by cross-validation over the texts (a text's pairs stay
        in its fold). A prose term's record in the texts is a feature of its candidates, each
        text's candidates seeing the record of the other texts only; ``clf`` holds the classifier's
        out-of-fold probabilities of the codes on each text, a feature of its prose candidates."""
        raw = [candidates(self.matcher, t, self.dimension, assume_population=assume_population, prose=self.prose) for t in texts]
        gold = [set(t or []) for t in truths]
        self._own = {}
        self.terms = {}
        for i, (r, g) in enumerate(zip(raw, gold)):
            own = {key: (int(key[0] in g), 1) for key in self._keys(r)}
            self._own[i] = own
            for key, (right, n) in own.items():
                r0, n0 = self.terms.get(key, (0, 0))
                self.terms[key] = (r0 + right, n0 + n)
        total = sum(n for _, n in self.terms.values())
        self.prose_prior = (sum(r for r, _ in self.terms.values()) + 1) / (total + 2)
        clf = clf if clf is not None else [{}] * len(raw)
        rows = [[c for c in self._with_terms(r, i) if c[0].kind != "prose"] for i, r in enumerate(raw)]
        # every prose candidate, whether a cue reached its code or not: what prose words are worth
        # where no cue list holds the wording (the cue lists were written from texts like these)
        prose_rows = [[c for c in self._with_terms(r, i, clf[i]) if c[0].kind == "prose"] for i, r in enumerate(raw)]
        pair_rows = [self._pair_rows(t, r, g, k) if self.pairs else ([], []) for k, (t, r, g) in enumerate(zip(texts, rows, gold))]

        def fit_on(idx: Sequence[int]) -> tuple[SpanModel, SpanModel]:
            X = [f for i in idx for _, f in rows[i]]
            y = [int(h.code in gold[i]) for i in idx for h, _ in rows[i]]
            gX = [f for i in idx for f in pair_rows[i][0]]
            gy = [v for i in idx for v in pair_rows[i][1]]
            X_all = np.array(X + gX, dtype=float).reshape(-1, len(FEATURES))
            y_all = np.array(y + gy, dtype=int)
            w = np.concatenate([np.ones(len(y)), np.full(len(gy), self.generated_weight)])
            g = np.concatenate([np.zeros(len(y)), np.ones(len(gy))])
            cue_model = SpanModel(seed=self.seed).fit(X_all, y_all, w, g)
            pX = np.array([f for i in idx for _, f in prose_rows[i]], dtype=float).reshape(-1, len(FEATURES))
            py = np.array([int(h.code in gold[i]) for i in idx for h, _ in prose_rows[i]], dtype=int)
            return cue_model, SpanModel(seed=self.seed).fit(pX, py)

        def scores(model: SpanModel, cands) -> dict[str, float]:
            if not cands:
                return {}
            p = model.predict(np.array([f for _, f in cands], dtype=float))
            return {c: s for c, (s, _) in code_scores(cands, p).items()}

        self.inner, self.prose_inner, self.cutoff, self.prose_cutoff = [], [], 0.5, PROSE_OFF
        n = len(texts)
        if n >= 2 * self.folds:
            order = np.random.RandomState(self.seed).permutation(n)
            for k in range(self.folds):
                test = set(order[k::self.folds].tolist())
                cue_model, prose_model = fit_on([i for i in range(n) if i not in test])
                for i in sorted(test):
                    self.inner.append((scores(cue_model, rows[i]), gold[i]))
                    self.prose_inner.extend((p, c in gold[i]) for c, p in scores(prose_model, prose_rows[i]).items())
            self.cutoff = best_cutoff(self.inner)
            self.prose_cutoff = prose_cutoff(self.prose_inner)
        self.model, self.prose_model = fit_on(range(n))
        self._own = {}
        return self

    def cutoff_for(self, kind: str) -> float:
        """The cut-off a hit of this kind is shown at: the prose cut-off for a word of the codes'
        prose (above 1 when cross-validation found that prose candidates did not help)."""
        return self.prose_cutoff if kind == "prose" else self.cutoff

    def score(self, text: str, *, assume_population: bool = False, clf: Mapping[str, float] | None = None) -> dict[str, tuple[float, Hit]]:
        """Each code with a candidate in ``text``: its probability and the span that gave it."""
        rows, prose_rows = split_prose(self._with_terms(candidates(self.matcher, text, self.dimension, assume_population=assume_population,
                                                                   prose=self.prose and self.prose_cutoff <= 1.0), clf=clf))
        out = code_scores(rows, self.model.predict(np.array([f for _, f in rows], dtype=float))) if rows else {}
        if prose_rows:
            out.update(code_scores(prose_rows, self.prose_model.predict(np.array([f for _, f in prose_rows], dtype=float))))
        return out
