"""The span model: context features that know no cue, minimal pairs, and the judged suggester.

Every sentence here is invented for the test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from reviewbench.coding.codebook import build_codebook
from reviewbench.coding.keywords import KeywordMatcher
from reviewbench.coding.paraphrase import THINGS, minimal_pairs
from reviewbench.coding.spans import FEATURES, SpanJudge, SpanModel, best_cutoff, candidates
from reviewbench.coding.suggest import Suggester

CODEBOOK = {
    "population": {"terms": ["dock work*"]},
    "context": {"other_groups": ["inspectors", "managers"]},
    "dimensions": {"crew": {"label": "Crew", "multi": True, "context": ["negation", "comparison", "methods", "prefixes"], "codes": {
        "night": {"label": "Night shift", "definition": "d", "keywords": {"any": ["night-shift", "nocturnal"]}},
        "seasonal": {"label": "Seasonal", "definition": "d", "keywords": {"any": ["seasonal"], "guards": ["seasonal flu"]}},
        "crane": {"label": "Crane", "definition": "d", "keywords": {"any": ["crane operator*", "crane"]}},
        "yard": {"label": "Yard", "definition": "d", "keywords": {"any": ["yard crane"]}},
    }}, "kit": {"label": "Kit", "multi": True, "codes": {
        "helmet": {"label": "Helmet", "definition": "d", "keywords": {"any": ["helmet*"]}},
    }}},
}


@pytest.fixture(scope="module")
def matcher() -> KeywordMatcher:
    return KeywordMatcher(build_codebook(CODEBOOK))


@pytest.fixture(scope="module")
def bare() -> KeywordMatcher:
    """The same cues without context checks: every match is a candidate."""
    data = {**CODEBOOK, "dimensions": {**CODEBOOK["dimensions"], "crew": {**CODEBOOK["dimensions"]["crew"], "context": []}}}
    return KeywordMatcher(build_codebook(data))


def feats(matcher: KeywordMatcher, text: str, cue: str) -> dict[str, float]:
    rows = [(h, f) for h, f in candidates(matcher, text, "crew") if h.text.lower() == cue]
    assert rows, f"no candidate {cue!r} in {text!r}"
    return dict(zip(FEATURES, rows[0][1]))


@pytest.mark.parametrize("text, head", [
    ("Seasonal men at the port reported back pain.", "head_person"),  # a person noun
    ("Seasonal inspectors visited the port twice.", "head_other_group"),  # one of the review's other groups
    ("Seasonal data were missing for the port.", "head_generic_thing"),  # a thing
    ("Seasonal rotas changed every month.", "head_thing"),  # a content word that is not a person
    ("Seasonal dock workers described long hours.", "head_person"),  # a compound whose last noun is the population
])
def test_the_head_noun_after_a_cue_is_told_apart(bare, text, head):
    f = feats(bare, text, "seasonal")
    assert f[head] == 1.0
    others = {"head_person", "head_other_group", "head_thing", "head_generic_thing"} - {head}
    if head == "head_generic_thing":
        others -= {"head_thing"}  # a generic thing is a thing
    assert all(f[o] == 0.0 for o in others), {o: f[o] for o in others}


def test_a_cue_said_of_a_thing_is_flagged(matcher):
    assert feats(matcher, "Because the contract was seasonal, pay varied by month.", "seasonal")["thing_subject"] == 1.0
    assert feats(matcher, "Most of the men were seasonal and lived in hostels.", "seasonal")["thing_subject"] == 0.0, "said of people"


def test_negation_before_a_cue_in_its_clause(matcher, bare):
    # the negation check vetoes this one (a cue in a negated subject's predicate); the model's
    # feature is read on the candidate all the same
    f = feats(bare, "None of the men had worked night-shift before, and all were new.", "night-shift")
    assert f["neg_before"] == 1.0
    g = feats(matcher, "Men who worked night-shift reported no change in sleep.", "night-shift")
    assert g["neg_before"] == 0.0 and g["neg_clause"] == 1.0, "the negator comes after the cue"


def test_reference_groups_comparisons_and_methods_are_read_from_the_clause(matcher):
    # (a cue naming the group a figure is set against, "below published estimates for seasonal men",
    # is vetoed by the context rules before the span model sees it)
    assert feats(matcher, "Seasonal men had injury rates twice the national average.", "seasonal")["reference_clause"] == 1.0
    assert feats(matcher, "Seasonal men reported more injuries than other men.", "seasonal")["comparison_clause"] == 1.0
    assert feats(matcher, "Seasonal men were interviewed in the canteen.", "seasonal")["methods_sentence"] == 1.0
    plain = feats(matcher, "Seasonal men reported back pain.", "seasonal")
    assert plain["reference_clause"] == plain["comparison_clause"] == plain["methods_sentence"] == 0.0


def test_a_cue_inside_a_longer_cue_of_another_code(matcher):
    f = feats(matcher, "Yard crane drivers described neck strain.", "crane")
    assert f["inside_other"] == 1.0
    assert feats(matcher, "Yard crane drivers described neck strain.", "yard crane")["inside_other"] == 0.0


def test_a_cue_before_a_capitalised_name_and_the_population_term(matcher):
    assert feats(matcher, "The talk was given at the Crane Institute in May.", "crane")["capital_inside"] == 1.0
    assert feats(matcher, "Staff of the port met at Seasonal House in May.", "seasonal")["capital_next"] == 1.0
    assert feats(matcher, "Injuries were common among crane operators.", "crane operators")["capital_next"] == 0.0


def test_vetoed_candidates_are_not_candidates(matcher):
    assert not candidates(matcher, "Seasonal flu spread through the port.", "crew"), "a guard's veto stands"
    assert not candidates(matcher, "No seasonal men took part in the study.", "crew"), "a negation check's veto stands"


def test_minimal_pairs_change_only_the_context():
    text = "Seasonal men reported back pain."
    pairs = minimal_pairs([(text, "seasonal", 0, 8, 9, 12)], seed=1)
    by = dict(zip(pairs["frame"], zip(pairs["text"], pairs["label"], pairs["start"], pairs["end"])))
    assert by["named"] == (text, 1, 0, 8)
    swapped, label, a, b = by["thing"]
    assert label == 0 and swapped.startswith("Seasonal ") and swapped.endswith(" reported back pain.") and swapped.split()[1] in THINGS
    for frame in ("reference", "said_of_thing"):
        t, label, a, b = by[frame]
        assert label == 0 and t[a:b].lower() == "seasonal"
    assert minimal_pairs([(text, "seasonal", 0, 8, 9, 12)], seed=1).equals(pairs), "deterministic"


def test_the_model_learns_that_a_thing_head_undoes_a_hit():
    X = np.zeros((40, len(FEATURES)))
    X[:, FEATURES.index("kind_cue")] = 1
    X[20:, FEATURES.index("head_generic_thing")] = 1
    y = np.array([1] * 20 + [0] * 20)
    model = SpanModel().fit(X, y)
    p = model.predict(X[[0, 39]])
    assert p[0] > 0.8 > 0.2 > p[1]
    assert model.weights()["head_generic_thing"] < 0


def test_generated_rows_do_not_move_the_base_rate_of_real_texts():
    X = np.zeros((60, len(FEATURES)))
    X[:, FEATURES.index("kind_cue")] = 1
    y = np.array([1] * 20 + [0] * 40)  # real texts: all right; generated: all wrong
    generated = np.array([0] * 20 + [1] * 40)
    assert SpanModel().fit(X, y, generated=generated).predict(X[:1])[0] > 0.8


def test_the_cut_off_maximises_micro_f1():
    scored = [({"a": 0.9}, {"a"}), ({"a": 0.3}, set()), ({"a": 0.42}, {"a"}), ({"b": 0.35}, set())]
    assert best_cutoff(scored) == 0.4, "keeps 0.42, drops 0.35 and 0.3"
    assert best_cutoff([({"a": 0.9}, {"a"}), ({"a": 0.1}, set())]) == 0.5, "a tie: the cut-off nearest the middle"
    assert best_cutoff([({}, set())]) == 0.5, "nothing to learn from: the middle"


def _training() -> pd.DataFrame:
    people = ["men", "women", "staff", "drivers", "loaders", "riggers"]
    rows = []
    for i, who in enumerate(people * 3):
        rows.append({"record_id": f"r{i}", "finding": f"Seasonal {who} at berth {i} reported back pain.", "crew": ["seasonal"]})
        rows.append({"record_id": f"r{i}", "finding": f"Night-shift {who} at berth {i} slept badly.", "crew": ["night"]})
        rows.append({"record_id": f"r{i}", "finding": f"Crane {who} at berth {i} described neck strain.", "crew": ["crane"]})
        rows.append({"record_id": f"r{i}", "finding": f"Dock {who} at berth {i} described the canteen.", "crew": []})
    return pd.DataFrame(rows)


def test_a_suggester_trained_on_coded_texts_judges_hits_by_their_context():
    suggester = Suggester(build_codebook(CODEBOOK), _training())
    assert "crew" in suggester.judges
    texts = pd.DataFrame({"id": ["a", "b", "c"], "text": [
        "Seasonal riggers at the east berth reported back pain.",
        "Seasonal weather data at the east berth were incomplete.",  # the cue on a thing
        "Because the work was seasonal, the analysis used monthly pay.",  # the cue said of a thing
    ]})
    out = suggester.suggest(texts)
    assert set(zip(out["id"], out["code"])) == {("a", "seasonal")}, out
    assert "span model p=" in out["rule"].iloc[0] and "matched 'Seasonal'" in out["rule"].iloc[0]
    judged = [ev for ev in suggester.evidence(texts) if ev.index == 1]
    assert judged and judged[0].p_span is not None and not judged[0].shown


def test_the_span_judge_is_deterministic_and_its_cut_off_is_chosen_inside_the_texts(matcher):
    train = _training()
    judge = SpanJudge(matcher, "crew").fit(train["finding"].tolist(), train["crew"].tolist())
    again = SpanJudge(matcher, "crew").fit(train["finding"].tolist(), train["crew"].tolist())
    assert judge.cutoff == again.cutoff and len(judge.inner) == len(train)
    assert judge.score("Seasonal men reported pain.") == again.score("Seasonal men reported pain.")


def test_candidates_of_one_dimension_only(matcher):
    text = "Seasonal men wore helmets on the crane."
    every = matcher.candidates(text)
    assert {h.dimension for h in every} == {"crew", "kit"}
    assert matcher.candidates(text, dimension="kit") == [h for h in every if h.dimension == "kit"]
    assert {h.code for h, _ in candidates(matcher, text, "crew")} == {"seasonal", "crane"}, "the span model reads its own dimension"
