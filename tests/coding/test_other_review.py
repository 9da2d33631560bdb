"""The same cue machinery on a review of another topic: physical activity for older adults.

Nothing in this codebook comes from the example review: other dimensions, other codes,
other cue lists and other groups to compare with. Negation, comparison groups, the
methods guard and paired cues must work on it exactly as they do on the example.
"""

from __future__ import annotations

import csv
import textwrap

import pandas as pd
import pytest

from reviewbench.cli import main
from reviewbench.coding.codebook import load_codebook
from reviewbench.coding.keywords import KeywordMatcher
from reviewbench.coding.suggest import Suggester

CODEBOOK = textwrap.dedent("""\
    title: Physical activity programmes for older adults
    population:
      terms: [older adult*, older people, aged 65 and over, older women, older men]
    context:
      other_groups: [carer*, staff, instructor*, students, younger adults, grandchildren]
    dimensions:
      group:
        label: Group of older adults
        multi: true
        context: [negation, comparison, methods, prefixes]
        codes:
          rural:
            label: Rural
            definition: Older adults living in rural areas.
            keywords:
              any: [rural, village*, remote communities]
          care_home:
            label: Care home residents
            definition: Older adults living in care or nursing homes.
            keywords:
              any: [care home*, nursing home*, residential care]
          dementia:
            label: Living with dementia
            definition: Older adults living with dementia or cognitive impairment.
            keywords:
              any: [dementia, cognitive impairment]
          general:
            label: Not distinguished
            definition: Findings that pool all older adults.
            keywords:
              any: [pooled, did not distinguish]
              context: []
              alone: true
      delivery:
        label: How the programme was delivered
        multi: true
        context: [negation, methods]
        codes:
          remote:
            label: Remote
            definition: Classes or coaching delivered online, by video or by telephone.
            keywords:
              paired:
                - cues: [online, video, telephone, phone, app]
                  with: [class*, session*, exercise*, programme*, coaching, deliver*]
                  within: 3
              not_near: [survey*, questionnaire*, interview*, recruit*]
          group_class:
            label: Group classes
            definition: Classes for groups of older adults.
            keywords:
              any: [group class*, group session*, group exercise]
    """)


@pytest.fixture
def codebook(tmp_path):
    path = tmp_path / "codebook.yml"
    path.write_text(CODEBOOK)
    return load_codebook(path)


@pytest.fixture
def matcher(codebook):
    return KeywordMatcher(codebook)


CASES = [
    # (text, dimension, codes expected)
    ("Rural older adults in the intervention arm walked more each day.", "group", ["rural"]),
    ("Care home residents with dementia improved their balance.", "group", ["care_home", "dementia"]),
    ("No rural practices took part in the trial.", "group", []),
    ("The trial did not include care home residents.", "group", []),
    ("No participants with dementia were recruited.", "group", []),
    ("People with dementia were excluded from the classes.", "group", []),
    ("Dementia carers reported less strain than other carers.", "group", []),
    ("Rural instructors formed the comparison group.", "group", []),
    ("The analysis pooled all participants and found small gains.", "group", ["general"]),
    ("Rural participants gained most, although results were otherwise pooled.", "group", ["rural"]),
    ("Online exercise sessions kept older adults active during lockdown.", "delivery", ["remote"]),
    ("Classes were delivered by video to people in villages.", "delivery", ["remote"]),
    ("Older adults completed an online questionnaire about exercise sessions.", "delivery", []),
    ("Interviews about the classes were conducted by video.", "delivery", []),
    ("Participants were recruited by telephone before the exercise programme began.", "delivery", []),
    ("No video sessions were delivered in the first year.", "delivery", []),
]


@pytest.mark.parametrize("text, dimension, expected", CASES)
def test_same_machinery_on_another_review(matcher, text, dimension, expected):
    found = matcher.codes(text).get(dimension, [])
    assert sorted(found) == sorted(expected), matcher.candidates(text)


def test_suggestions_show_the_span_on_another_review(codebook):
    out = Suggester(codebook).suggest(pd.DataFrame({"id": ["a"], "text": ["Online exercise sessions helped older women in villages."]}))
    rows = {(r.dimension, r.code): r.rule for r in out.itertuples()}
    assert "'online + exercise'" in rows[("delivery", "remote")] and "matched 'Online exercise'" in rows[("delivery", "remote")]
    assert "matched 'villages'" in rows[("group", "rural")]


def test_cli_suggests_codes_for_a_new_review(tmp_path):
    project = tmp_path / "activity"
    assert main(["init", str(project)]) == 0
    (project / "evidence" / "codebook.yml").write_text(CODEBOOK)
    texts = tmp_path / "texts.csv"
    texts.write_text("id,text\n"
                     "t1,Rural older adults who joined group classes walked further.\n"
                     "t2,No care home residents were recruited.\n"
                     "t3,Staff completed an online survey about exercise.\n")
    out = tmp_path / "codes.csv"
    assert main(["suggest", str(texts), "-o", str(out), "--project", str(project)]) == 0
    rows = {(r["id"], r["dimension"], r["code"]) for r in csv.DictReader(out.open())}
    assert rows == {("t1", "group", "rural"), ("t1", "delivery", "group_class")}
