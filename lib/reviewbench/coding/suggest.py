"""Code suggestions for free text: cues in context, a classifier, calibrated confidence.

Output: one row per suggestion, ``id, dimension, code, confidence, rule``.

* **Evidence first.** A code is suggested only where the text holds evidence for it: a
  keyword hit that passed its guards and context checks (:mod:`.keywords`,
  :mod:`.context`), or a paired cue standing without its partner ("men" with no "sold
  sex" nearby) that the classifier backs. A learned code never appears on text with no
  span for it, and a vetoed hit ("no trans participants") cannot be brought back by it.
* **The span model** (:mod:`.spans`) judges each hit of a dimension with context checks
  from its surroundings, not its word: the noun it modifies (people, another group, a
  thing), a negator before it, a reference group, a thing it is said of, study methods,
  a longer cue around it. It is trained on the coded findings and their minimal pairs
  (:mod:`.paraphrase`), so the same machinery serves another review's codebook; its
  probability is the hit's confidence, and its cut-off is chosen by cross-validation
  inside the coded findings.
* **Words of the codebook's prose** (:mod:`.prose`): where no cue of a dimension stands,
  a word of a code's label, definition or include text (in any form: "kerbside" for
  "kerb") is a candidate of kind ``prose``, judged by a span model of its own from its
  context, the word's record in the coded findings and the classifier's probability (out
  of fold). Its cut-off is the lowest at which such suggestions were right nine times in
  ten out of fold; where they never were (few coded findings, or cue lists that already
  hold the findings' wording) prose candidates stay off.
* **The classifier** (:mod:`.classifier`) is trained on the project's coded findings; its
  probability is one piece of evidence (for cues without their partner, and dimensions
  the span model does not judge).
* **Confidence is calibrated** (:mod:`.calibration`): for findings already coded, each is
  suggested codes by a suggester fitted on the other studies' findings (grouped
  cross-validation), and a small model learns how often suggestions with this evidence
  were right. A suggestion shown at 0.9 was right about nine times in ten there.
* **The rule** column names every span that triggered the suggestion, e.g. ``keyword
  'men + sold sex' matched 'men who sold sex' at 12-28; classifier p=0.71``.

Only suggestions at or above ``threshold`` (:data:`MIN_CONFIDENCE`, more likely right
than wrong), or for judged hits the span model's cut-off, are written. The coding form pre-selects only those whose own confidence is
at least :data:`PRESELECT_THRESHOLD` (0.9: each one expected right nine times in ten),
so that a coder accepts little unchecked; ``benchmarks/suggestions.py`` reports how often
pre-selected suggestions were right on sentences the rules were not written from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sklearn.model_selection import GroupKFold, KFold

from .calibration import FEATURES, Calibrator, feature_row
from .classifier import CodeClassifier
from .codebook import Codebook
from .keywords import Hit, KeywordMatcher
from .spans import SpanJudge

SUGGESTION_COLUMNS = ["id", "dimension", "code", "confidence", "rule"]
MIN_CONFIDENCE = 0.5
PRESELECT_THRESHOLD = 0.9
KIND_ORDER = {"cue": 0, "paired": 1, "unpaired": 2, "prose": 3}


@dataclass
class Evidence:
    """Everything that speaks for one code on one text."""

    index: int
    dimension: str
    code: str
    hits: list[Hit]
    p_clf: float | None = None
    rivals: int = 0
    confidence: float = 0.0
    p_span: float | None = None  # the span model's probability (dimensions it judges)
    cutoff: float = MIN_CONFIDENCE  # shown at or above this confidence

    @property
    def kind(self) -> str:
        return min((h.kind for h in self.hits), key=KIND_ORDER.__getitem__)

    @property
    def rule(self) -> str:
        shown = [h for h in self.hits if h.kind == self.kind] or self.hits
        parts = [h.rule for h in shown]
        if self.p_span is not None:
            parts.append(f"span model p={self.p_span:.2f}")
        elif self.p_clf is not None:
            parts.append(f"classifier p={self.p_clf:.2f}")
        return "; ".join(parts)

    def features(self) -> list[float]:
        return feature_row(self.kind, self.p_clf, self.rivals)

    @property
    def shown(self) -> bool:
        """Whether the suggestion is written (its confidence reaches its cut-off)."""
        return self.confidence >= self.cutoff


@dataclass
class Suggester:
    """Cues, a classifier and a calibrator, built from one codebook and the coded findings.

    ``training`` is a frame of coded findings as :func:`reviewbench.coding.coded_findings`
    returns it (a ``finding`` text, one list column per dimension, ``record_id`` to keep a
    study's findings in one fold). Without it, confidence comes from a fixed prior.
    """

    codebook: Codebook
    training: pd.DataFrame | None = None
    use_classifier: bool = True
    use_span_model: bool = True
    use_prose: bool = True  # words of the codes' prose are candidates the span model judges (:mod:`.prose`)
    threshold: float = MIN_CONFIDENCE
    seed: int = 0
    folds: int = 5
    preselect: float = PRESELECT_THRESHOLD
    matcher: KeywordMatcher = field(init=False)
    classifier: CodeClassifier | None = field(init=False, default=None)
    calibrator: Calibrator = field(init=False, default_factory=Calibrator)
    calibration_rows: pd.DataFrame = field(init=False, default_factory=pd.DataFrame)
    judges: dict[str, SpanJudge] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.matcher = KeywordMatcher(self.codebook)
        training = self.training
        if training is not None and not training.empty and "finding" in training:
            self.fit(training)

    # ------------------------------------------------------------------ fitting

    def _dimensions(self, findings: pd.DataFrame) -> list[str]:
        return [d for d in self.codebook.dimensions if d in findings.columns]

    def span_dimensions(self, findings: pd.DataFrame | None = None) -> list[str]:
        """Dimensions whose hits the span model judges: those with context checks."""
        return [name for name, dim in self.codebook.dimensions.items()
                if any(code.keywords.context for code in dim.codes.values()) and (findings is None or name in findings.columns)]

    def fit(self, findings: pd.DataFrame) -> "Suggester":
        """Train the classifier and the span models on ``findings`` and calibrate confidence on
        them out of fold."""
        findings = findings.reset_index(drop=True)
        self.classifier = CodeClassifier(self.codebook, seed=self.seed).fit(findings) if self.use_classifier else None
        texts = findings["finding"].fillna("").astype(str).tolist()
        oof = self.out_of_fold_proba(findings) if self.use_prose and self.use_classifier else None
        self.judges = {dim: SpanJudge(self.matcher, dim, seed=self.seed, prose=self.use_prose).fit(
                           texts, findings[dim].tolist(), assume_population=True, clf=None if oof is None else _code_probs(oof, dim))
                       for dim in self.span_dimensions(findings)} if self.use_classifier and self.use_span_model else {}
        self.calibration_rows = self.out_of_fold(findings)
        self.calibrator = Calibrator().fit(self.calibration_rows)
        return self

    def _splits(self, findings: pd.DataFrame):
        groups = findings["record_id"].astype(str) if "record_id" in findings else pd.Series(range(len(findings)), dtype=str)
        n_splits = min(self.folds, groups.nunique())
        if n_splits < 2:
            return []
        splitter = GroupKFold(n_splits=n_splits) if "record_id" in findings else KFold(n_splits=n_splits, shuffle=True, random_state=self.seed)
        return list(splitter.split(findings, groups=groups))

    def out_of_fold_proba(self, findings: pd.DataFrame) -> pd.DataFrame:
        """The classifier's probability of each code on each coded finding, from a classifier fitted
        on the other folds (grouped by study): what the span model's prose candidates learn from."""
        out = pd.DataFrame(index=range(len(findings)))
        for train_idx, test_idx in self._splits(findings):
            clf = CodeClassifier(self.codebook, seed=self.seed).fit(findings.iloc[train_idx])
            proba = clf.predict_proba(findings.iloc[test_idx]["finding"].fillna("").astype(str).tolist())
            for column in proba.columns:
                if column not in out:
                    out[column] = float("nan")
                out.loc[test_idx, column] = proba[column].to_numpy()
        return out

    def out_of_fold(self, findings: pd.DataFrame) -> pd.DataFrame:
        """Evidence for each coded finding from a classifier fitted on the other folds, with
        whether the coders kept the code (``right``): what the calibrator learns from."""
        groups = findings["record_id"].astype(str) if "record_id" in findings else pd.Series(range(len(findings)), dtype=str)
        n_splits = min(self.folds, groups.nunique())
        columns = ["dimension", "code", "kind", *FEATURES, "right"]  # kind: cue, paired or unpaired
        if n_splits < 2:
            return pd.DataFrame(columns=columns)
        splitter = GroupKFold(n_splits=n_splits) if "record_id" in findings else KFold(n_splits=n_splits, shuffle=True, random_state=self.seed)
        dims = self._dimensions(findings)
        rows = []
        for train_idx, test_idx in splitter.split(findings, groups=groups):
            train, test = findings.iloc[train_idx], findings.iloc[test_idx]
            clf = CodeClassifier(self.codebook, seed=self.seed).fit(train) if self.use_classifier else None
            texts = test["finding"].fillna("").astype(str).tolist()
            for ev in self._evidence(texts, clf, assume_population=True):
                if ev.dimension not in dims:
                    continue
                truth = test.iloc[ev.index][ev.dimension] or []
                rows.append([ev.dimension, ev.code, ev.kind, *ev.features(), int(ev.code in truth)])
        return pd.DataFrame(rows, columns=columns)

    # ------------------------------------------------------------------ suggesting

    def _evidence(self, texts: list[str], classifier: CodeClassifier | None, *, assume_population: bool) -> list[Evidence]:
        proba = classifier.predict_proba(texts) if classifier is not None else pd.DataFrame(index=range(len(texts)))
        out: list[Evidence] = []
        prose_dims = {dim for dim, judge in self.judges.items() if judge.prose and judge.prose_cutoff <= 1.0}
        clf_rows = {dim: _code_probs(proba, dim) if dim in prose_dims else [None] * len(texts) for dim in self.judges}
        for i, text in enumerate(texts):
            by_code: dict[tuple[str, str], list[Hit]] = {}
            for hit in self.matcher.candidates(text, assume_population=assume_population, unpaired=True, prose=prose_dims):
                if hit.vetoed and hit.vetoed != "no partner":
                    continue
                by_code.setdefault((hit.dimension, hit.code), []).append(hit)
            found: list[Evidence] = []
            for (dim, code), hits in by_code.items():
                column = f"{dim}:{code}"
                p = float(proba.at[i, column]) if column in proba.columns else None
                ev = Evidence(i, dim, code, hits, p)
                if ev.kind == "unpaired" and p is None:
                    continue  # a cue without its partner needs the classifier's backing
                found.append(ev)
            strong = {}
            for ev in found:
                if ev.kind != "unpaired":
                    strong.setdefault(ev.dimension, set()).add(ev.code)
            judged = {dim: judge.score(text, assume_population=assume_population, clf=clf_rows[dim][i])
                      for dim, judge in self.judges.items()
                      if any(ev.dimension == dim and ev.kind != "unpaired" for ev in found)}
            for ev in found:
                ev.rivals = len(strong.get(ev.dimension, set()) - {ev.code})
                span = judged.get(ev.dimension, {}).get(ev.code) if ev.kind != "unpaired" else None
                if span is not None:
                    ev.p_span = ev.confidence = span[0]
                    ev.cutoff = self.judges[ev.dimension].cutoff_for(span[1].kind)
                elif ev.kind == "prose":
                    ev.cutoff = 1.1  # a word of the prose counts only as the span model judges it
                else:
                    ev.confidence = self.calibrator.confidence(ev.dimension, ev.kind, ev.p_clf, ev.rivals)
                    ev.cutoff = self.threshold
            out.extend(found)
        return out

    def evidence(self, texts: pd.DataFrame, *, assume_population: bool = False) -> list[Evidence]:
        """Every code the texts hold evidence for, with its calibrated confidence (no threshold)."""
        values = texts["text"].fillna("").astype(str).tolist()
        return self._evidence(values, self.classifier, assume_population=assume_population)

    def suggest(self, texts: pd.DataFrame, *, assume_population: bool = False) -> pd.DataFrame:
        """Suggestions for a frame with columns ``id`` and ``text`` (confidence at or above ``threshold``)."""
        ids = texts["id"].astype(str).tolist()
        order = {(d, c): (di, ci) for di, (d, dim) in enumerate(self.codebook.dimensions.items()) for ci, c in enumerate(dim.codes)}
        found = [ev for ev in self.evidence(texts, assume_population=assume_population) if ev.shown]
        found.sort(key=lambda ev: (ev.index, order[(ev.dimension, ev.code)]))
        rows = [{"id": ids[ev.index], "dimension": ev.dimension, "code": ev.code, "confidence": round(ev.confidence, 3), "rule": ev.rule} for ev in found]
        return pd.DataFrame(rows, columns=SUGGESTION_COLUMNS)


def _code_probs(proba: pd.DataFrame, dimension: str) -> list[dict[str, float]]:
    """Per row, the probability of each code of ``dimension`` (columns ``dimension:code``; none where missing)."""
    prefix = f"{dimension}:"
    columns = [c for c in proba.columns if c.startswith(prefix)]
    return [{c[len(prefix):]: float(v) for c, v in zip(columns, row) if v == v} for row in proba[columns].itertuples(index=False)] \
        if columns else [{} for _ in range(len(proba))]


def suggest_codes(texts: pd.DataFrame, codebook: Codebook, training: pd.DataFrame | None = None, *, assume_population: bool = False, use_classifier: bool = True, threshold: float = MIN_CONFIDENCE) -> pd.DataFrame:
    """Suggest codes for ``texts`` (columns ``id``, ``text``); see the module docstring."""
    return Suggester(codebook, training, use_classifier=use_classifier, threshold=threshold).suggest(texts, assume_population=assume_population)
