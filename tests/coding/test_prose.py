"""Candidate spans from the codebook's own prose: terms, word families, vetoes, the cut-off.

Every sentence and codebook here is invented for the test.
"""

from __future__ import annotations

import pandas as pd
import pytest

from reviewbench.coding.codebook import build_codebook
from reviewbench.coding.keywords import KeywordMatcher
from reviewbench.coding.prose import ProseTerms, word_stem
from reviewbench.coding.spans import PROSE_OFF, SpanJudge, prose_cutoff
from reviewbench.coding.suggest import Suggester

CODEBOOK = {
    "population": {"terms": ["dock work*"]},
    "dimensions": {"crew": {"label": "Crew", "definition": "Which crew a finding is about.", "multi": True,
                            "context": ["negation", "comparison", "methods", "prefixes"], "codes": {
        "night": {"label": "Night shift", "definition": "Dockers who unload ships after dark, under floodlights.",
                  "include": "Lamplit gangs; the graveyard rota at Portwick.", "exclude": "Dark as a colour of paint.",
                  "keywords": {"any": ["night-shift", "nocturnal"], "guards": ["floodlight testing"]}},
        "crane": {"label": "Crane", "definition": "Dockers who drive cranes or gantries.",
                  "include": "Gantry drivers; the RTG crews.",
                  "keywords": {"any": ["crane operator*"]}},
        "seasonal": {"label": "Seasonal", "definition": "Dockers hired for the harvest months.",
                     "keywords": {"any": ["seasonal"]}},
    }}},
}


@pytest.fixture(scope="module")
def codebook():
    return build_codebook(CODEBOOK)


@pytest.fixture(scope="module")
def matcher(codebook) -> KeywordMatcher:
    return KeywordMatcher(codebook)


@pytest.mark.parametrize("a, b", [
    ("exploited", "exploitation"), ("parlour", "parlors"), ("organise", "organized"), ("planned", "plans"),
    ("centre", "centers"), ("gantries", "gantry"),
])
def test_words_of_one_family_meet_at_one_stem(a, b):
    assert word_stem(a) == word_stem(b)


@pytest.mark.parametrize("a, b", [("crane", "crew"), ("night", "nitrogen"), ("harvest", "harbour")])
def test_words_of_other_families_do_not(a, b):
    assert word_stem(a) != word_stem(b)


def test_terms_are_the_content_words_only_one_code_uses(codebook):
    terms = {code: {t.word for t in ts} for code, ts in ProseTerms(codebook).terms["crew"].items()}
    night, crane = terms["night"], terms["crane"]
    assert {"unload", "ships", "floodlights", "Lamplit", "gangs", "graveyard", "rota"} <= night
    assert "dark" not in night  # in the code's exclude text
    assert "Dockers" not in night and "Dockers" not in crane  # every code uses it
    assert "Portwick" not in night  # a name inside a sentence
    assert "after" not in night and "under" not in night  # grammar words
    assert "RTG" in crane and {"drive", "gantries"} <= crane  # an acronym is a term too
    assert "Crew" not in crane  # the dimension's own label


def test_a_prose_word_in_any_form_is_a_candidate_only_when_asked_for(matcher):
    text = "Floodlit gangs unloading the ships said the graveyard rota hurt their sleep."
    plain = matcher.candidates(text, dimension="crew")
    assert plain == []  # no cue: the mechanism removed, nothing is found
    prose = [h for h in matcher.candidates(text, dimension="crew", prose=True) if not h.vetoed]
    assert {h.code for h in prose} == {"night"}
    assert {h.kind for h in prose} == {"prose"}
    assert {h.text for h in prose} >= {"gangs", "unloading", "ships", "graveyard", "rota"}
    assert prose[0].rule.startswith("codebook word '")


def test_a_compound_that_starts_with_a_term_is_a_candidate(matcher):
    found = [h for h in matcher.candidates("Gantrymen at the quay reported back pain.", dimension="crew", prose=True) if not h.vetoed]
    assert [(h.code, h.text) for h in found] == [("crane", "Gantrymen")]


def test_prose_stands_down_where_a_cue_matched_or_was_vetoed(matcher):
    # "crane operators" is a cue: its words are the cue's, not a second prose candidate
    text = "Crane operators who drive at the quay reported neck strain."
    kinds = [(h.code, h.kind, h.text) for h in matcher.candidates(text, dimension="crew", prose=True)]
    assert ("crane", "cue", "Crane operators") in kinds
    assert all(not (k == "prose" and t.lower().startswith("crane")) for _c, k, t in kinds)
    # a guard of the dimension vetoes the prose word it overlaps
    guarded = [h for h in matcher.candidates("Floodlight testing was done in May.", dimension="crew", prose=True) if h.kind == "prose"]
    assert guarded and all(h.vetoed.startswith("guard") for h in guarded)


def test_prose_candidates_go_through_the_context_checks(matcher):
    hits = [h for h in matcher.candidates("No graveyard rota was run at the quay.", dimension="crew", prose=True) if h.kind == "prose"]
    assert hits and all(h.vetoed for h in hits)


def test_the_prose_cut_off_is_the_lowest_with_the_precision_target():
    scored = [(0.95, True)] * 6 + [(0.75, True)] * 3 + [(0.75, False)] * 3 + [(0.4, False)] * 10
    assert prose_cutoff(scored) == 0.8  # at 0.75 only 9 of 12 were right
    assert prose_cutoff([(0.9, False)] * 20) == PROSE_OFF  # never right enough: off
    assert prose_cutoff([(0.95, True)] * 4) == PROSE_OFF  # too few to tell


def _training() -> pd.DataFrame:
    """Coded findings in which the night crew is named by the words of its definition only."""
    rows = []
    night = ["Gangs unloading ships under floodlights reported back pain.", "The graveyard rota left gangs exhausted.",
             "Lamplit gangs unloading ships described cold hands.", "Gangs on the graveyard rota slept badly."]
    other = ["Seasonal dockers at the quay reported back pain.", "Crane operators at the quay described neck strain.",
             "Dockers at the quay described the canteen.", "Dockers said the canteen closed early."]
    for i in range(8):
        for j, text in enumerate(night):
            rows.append({"record_id": f"r{i}", "finding": f"{text[:-1]} at berth {i * 4 + j}.", "crew": ["night"]})
        for j, text in enumerate(other):
            code = ["seasonal"] if "Seasonal" in text else ["crane"] if "Crane" in text else []
            rows.append({"record_id": f"r{i}", "finding": f"{text[:-1]} at berth {i * 4 + j}.", "crew": code})
    return pd.DataFrame(rows)


def test_a_suggester_proposes_a_code_from_its_prose_where_it_earned_it(codebook):
    training = _training()
    texts = pd.DataFrame({"id": ["a", "b"], "text": ["Gangs unloading ships at the north berth reported sore knees.",
                                                     "Dockers at the north berth described the canteen."]})
    with_prose = Suggester(codebook, training)
    judge = with_prose.judges["crew"]
    assert judge.prose_cutoff <= 1.0, "prose candidates were right out of fold: switched on"
    out = with_prose.suggest(texts)
    assert set(zip(out["id"], out["code"])) == {("a", "night")}, out
    assert "codebook word" in out["rule"].iloc[0] and "span model p=" in out["rule"].iloc[0]
    without = Suggester(codebook, training, use_prose=False).suggest(texts)
    assert without.empty  # no cue of the night crew in the text


def test_prose_stays_off_where_it_was_not_right_out_of_fold(codebook, matcher):
    # the prose words of the night crew occur only in findings of other crews
    texts = [f"Crane operators unloading ships at berth {i} reported back pain." for i in range(20)] + \
            [f"Seasonal dockers on the graveyard rota at berth {i} slept badly." for i in range(20)]
    truths = [["crane"]] * 20 + [["seasonal"]] * 20
    judge = SpanJudge(matcher, "crew").fit(texts, truths, assume_population=True)
    assert judge.prose_cutoff == PROSE_OFF
    assert all(hit.kind != "prose" for _p, hit in judge.score("Gangs unloading ships slept badly.", assume_population=True).values())


def test_a_code_whose_cue_was_vetoed_is_not_brought_back_by_its_prose(matcher):
    text = "Nocturnal operators were not sampled, though gangs unloading ships were."
    hits = matcher.candidates(text, dimension="crew", prose=True)
    assert any(h.kind == "cue" and h.vetoed for h in hits)  # "not ... nocturnal" by the negation check
    assert not any(h.kind == "prose" for h in hits)


def test_an_inflection_is_not_a_compound(matcher):
    # "gangmasters" is a compound of "gang"; "unloaders" is "unload" with an ending, a word of
    # another family (the people, not the work), and no term of its own
    found = {h.text for h in matcher.candidates("Gangmasters and unloaders met at the quay.", dimension="crew", prose=True)}
    assert "Gangmasters" in found and "unloaders" not in found
    assert not matcher.prose._compound_terms("crew", "unloaders")
