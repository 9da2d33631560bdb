"""Ages written out ("aged 13 to 16", "15-year-olds") as cues of a code with an age band:
what counts as an age, the band it describes, the codebook key, and the matcher (sentences
invented for the test)."""

from __future__ import annotations

import math
import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviewbench.coding.ages import NUMBER_WORDS, AgeBand, ages_in
from reviewbench.coding.codebook import build_codebook, codebook_problems
from reviewbench.coding.keywords import KeywordMatcher

INF = math.inf


@pytest.mark.parametrize(
    "text, expression, low, high",
    [
        ("Boys aged 14 to 17 were seen at the drop-in.", "aged 14 to 17", 14, 17),
        ("Pupils aged 12-15 took part.", "aged 12-15", 12, 15),
        ("Residents aged between 13 and 16 years were interviewed.", "aged between 13 and 16 years", 13, 16),
        ("Youth work with 13- to 15-year-olds ended.", "13- to 15-year-olds", 13, 15),
        ("Of the 16- and 17-year-olds, few had a GP.", "16- and 17-year-olds", 16, 17),
        ("Most 14-16 year olds had left school.", "14-16 year olds", 14, 16),
        ("A fourteen-year-old had been reported missing.", "fourteen-year-old", 14, 14),
        ("She was 15 years old at the time.", "15 years old", 15, 15),
        ("Services for under-16s were closed.", "under-16s", 0, 15.5),
        ("Under-sixteens paid in cigarettes were rarely seen as victims.", "Under-sixteens", 0, 15.5),
        ("Clinics for over 65s were busier.", "over 65s", 65.5, INF),
        ("Half had first been abused before the age of twelve.", "before the age of twelve", 0, 11.5),
        ("Nobody aged under 16 was asked.", "aged under 16", 0, 15.5),
        ("Most had left home by age 15.", "by age 15", 0, 15),
        ("Carers aged 65 and over were asked about falls.", "aged 65 and over", 65, INF),
        ("Women aged 75+ were offered a review.", "aged 75+", 75, INF),
        ("Men aged over seventy were invited.", "aged over seventy", 70.5, INF),
        ("Girls aged 16 were the youngest.", "aged 16", 16, 16),
        ("Those aged twenty-one or older were excluded.", "aged twenty-one or older", 21, INF),
        ("Many began before their eighteenth birthday.", "before their eighteenth birthday", 0, 17.5),
        ("She had left care by her 16th birthday.", "by her 16th birthday", 0, 16),
        ("Girls as young as fourteen were seen.", "as young as fourteen", 14, 14),
    ],
)
def test_an_age_expression_is_read_into_its_band(text, expression, low, high):
    found = ages_in(text)
    assert [(text[a.start:a.end], a.low, a.high) for a in found] == [(expression, low, high)]


@pytest.mark.parametrize(
    "text",
    [
        "Antenatal booking after 18 weeks was common.",
        "A 15-year follow-up found few deaths.",
        "She had sold sex for 12 years.",
        "Under 16 clients a week were seen by most.",
        "The project ran from 2012 to 2016.",
        "Aged care homes were not included.",
        "Scores of 13 to 16 on the scale were high.",
        "The eighteenth clinic opened in May.",
        "A clinic as young as the service itself.",
    ],
)
def test_numbers_that_are_not_ages_are_not_read_as_ages(text):
    assert ages_in(text) == []


@given(st.integers(1, 99), st.integers(0, 40), st.booleans(), st.sampled_from(["aged {a} to {b}", "{a}- to {b}-year-olds", "aged {a}-{b}", "{a} to {b} year olds"]))
def test_any_range_of_ages_reads_back_in_digits_or_words(a, span, words, form):
    b = min(a + span, 99)
    name = {v: k for k, v in NUMBER_WORDS.items() if " " not in k}
    render = (lambda n: name[n]) if words else str
    text = f"Among people {form.format(a=render(a), b=render(b))}, most agreed."
    assert [(x.low, x.high) for x in ages_in(text)] == [(a, b)]


def test_a_band_covers_an_expression_only_when_every_age_of_it_lies_inside():
    children, older = AgeBand(below=18), AgeBand(from_=65)
    spans = children.spans("Girls aged 13 to 16 and women aged 18 to 24 and a 17-year-old.")
    assert [s[2] for s in spans] == ["ages below 18", "ages below 18"]
    assert not children.spans("Young adults aged 16 to 24 were asked.")  # straddles 18
    assert older.spans("Adults aged 70 to 85 fell less.") and not older.spans("Adults aged 60 to 70 fell less.")
    assert AgeBand(below=25, from_=18).phrase == "ages 18 to below 25"


def _matcher(ages: dict) -> KeywordMatcher:
    return KeywordMatcher(build_codebook({"population": {"terms": ["pupil*"]}, "dimensions": {"group": {
        "label": "Group", "multi": True, "context": ["negation", "comparison", "methods"], "codes": {
            "children": {"label": "Children", "definition": "d", "keywords": {"any": ["children"], "ages": ages}},
            "staff": {"label": "Staff", "definition": "d", "keywords": {"any": ["teachers"]}},
        }}}}))


def test_a_code_with_an_age_band_finds_ages_written_out_and_keeps_the_span():
    hits = _matcher({"below": 18}).match("Pupils aged 12 to 15 reported more bullying than last year.")
    assert [(h.code, h.text, h.phrase) for h in hits] == [("children", "aged 12 to 15", "ages below 18")]
    assert hits[0].rule == "keyword 'ages below 18' matched 'aged 12 to 15' at 7-20"


def test_an_age_outside_the_band_or_negated_is_no_cue():
    matcher = _matcher({"below": 18})
    assert not matcher.match("Pupils aged 18 to 24 reported more bullying.")
    vetoed = [h for h in matcher.candidates("No pupils aged under 16 took part in the study.") if h.code == "children"]
    assert vetoed and vetoed[0].vetoed.startswith("negated")


def test_a_code_without_an_age_band_ignores_ages():
    codebook = build_codebook({"dimensions": {"group": {"label": "Group", "multi": True, "codes": {
        "children": {"label": "Children", "definition": "d", "keywords": {"any": ["children"]}}}}}})
    assert not KeywordMatcher(codebook).match("Pupils aged 12 to 15 were asked.")


@pytest.mark.parametrize(
    "ages, fragment",
    [
        ("{below: young}", "'below' must be a number of years"),
        ("{under: 18}", "must be a mapping with 'below' and/or 'from'"),
        ("18", "must be a mapping with 'below' and/or 'from'"),
        ("{from: 65, below: 18}", "'from' (65) must be less than 'below' (18)"),
    ],
)
def test_a_bad_age_band_is_reported_with_its_line(tmp_path, ages, fragment):
    path = tmp_path / "codebook.yml"
    path.write_text(textwrap.dedent(f"""\
        dimensions:
          group:
            label: Group
            multi: true
            codes:
              children:
                label: Children
                definition: Under 18.
                keywords:
                  any: [children]
                  ages: {ages}
        """), encoding="utf-8")
    problems = [p for p in codebook_problems(path) if fragment in p.message]
    assert problems and problems[0].line == 11, [str(p) for p in codebook_problems(path)]
