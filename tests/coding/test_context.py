"""Context checks (negation, comparison and other groups, study methods, word prefixes) on
sentences written for these tests, with a small rule that names no codebook's codes."""

from __future__ import annotations

import pytest

from reviewbench.coding.codebook import KeywordRule, Pairing
from reviewbench.coding.context import ContextWords
from reviewbench.coding.keywords import _Text, compile_phrase, rule_candidates

POPULATION = ("sex work*", "sold sex", "sell sex", "selling sex", "women who sell")
WORDS = ContextWords.build({"other_groups": ["farm work*", "clients", "residents", "partners", "cleaner*", "researcher*"]})
RULE = KeywordRule(
    any=("migrant*", "refugee*", "trans women", "street-based", "trafficking", "online", "non-binary"),
    paired=(Pairing(("men", "male"), ("sold sex", "sell sex", "sex workers"), 3),
            Pairing(("trans",), ("women", "people", "workers", "participants"), 2)),
    context=("negation", "comparison", "methods", "prefixes"),
)


def reasons(text: str, rule: KeywordRule = RULE) -> list[tuple[str, str]]:
    """(matched text, reason or 'hit') for each candidate."""
    population = [(m.start(), m.end(), p) for p in POPULATION for m in compile_phrase(p).finditer(text)]
    return [(text[a:b], reason or "hit") for a, b, _p, reason, _k in rule_candidates(_Text(text), rule, None, WORDS, population_spans=population)]


def kept(text: str) -> list[str]:
    return [t for t, r in reasons(text) if r == "hit"]


NEGATED = [
    "No trans women took part in the study.",
    "The sample included no migrant sex workers.",
    "There were no migrant women in the sample.",
    "Trans women were not recruited, despite several attempts.",
    "Migrant women did not take part in the interviews.",
    "Refugee women were excluded from the analysis.",
    "The survey did not include any trans women.",
    "We did not recruit refugees who sold sex.",
    "The report did not give results by migrant status, age or setting.",
    "The clinic didn't record whether women were migrants.",
    "Neither migrant nor trans women were interviewed.",
    "None of the trans women were recruited.",
    "None of the participants identified as trans women.",
    "No one in the sample identified as non-binary.",
    "The team failed to recruit any trans women.",
    "The absence of trans women limited the analysis.",
    "Most participants were not migrants.",
    "Studies excluding migrant women were dropped from the review.",
    "No men who sold sex took part.",
    "No migrant women were among the participants.",
    "Women who worked from flats rather than street-based sites were interviewed.",
    # the cue in the predicate of a negated subject: denied of every one of them
    "None of the respondents worked online at any point.",
    "Nobody in the cohort sold sex to men while living in the hostel.",
    "No participant was street-based at the second wave.",
    # a group the study left out of its scope
    "Migrant women fell outside the sampling frame of the evaluation.",
    "Refugees who sold sex were beyond the scope of the review.",
    "Trans women were ineligible under the funder's criteria.",
    # left out of a study, or only in a condition contrary to fact
    "Migrant women were left out of the sampling frame because owners refused access.",
    "The authors argue that had trans women been included, rates would have been higher.",
    # groups pooled or too few to tell apart: not a finding about the group
    "Answers from migrant women and trans women were pooled in every table.",
    "The sample was too small to separate street-based women from the others.",
    # a group a future study is asked to include: not studied here
    "Future research should include trans women and men who sell sex.",
    "The authors recommend that further studies recruit migrant women working from flats.",
    # the object of a verb that says there were none, or no figures for the group
    "The clinic recorded no trans women who reported selling sex that year.",
    "The audit gave no figures for migrant women.",
    "There were no separate data on trans women in the annual report.",
    # a negated subject after "and", or of a verb of reaching people
    "Women in the sample were all UK-born, and none had been referred to refugee services.",
    "No trans women who sell sex were reached by the van during the winter.",
    # left outside a service's brief, or not told apart
    "Migrant women were outside the adult service's commissioning brief.",
    "Data were pooled, so the report cannot say whether migrant and trans women differed.",
]


STILL_THERE = [
    # the negation is about something else, or the group is still what the sentence is about
    ("No migrant women reported being forced into sex work by a partner.", "migrant"),
    ("None of the trans women interviewed had been offered PrEP.", "trans women"),
    ("There was no difference between migrant and UK-born women who sell sex.", "migrant"),
    ("Clinics did not reach street-based women, who rarely had a phone.", "street-based"),
    ("Street-based women did not report violence to the police.", "street-based"),
    ("Migrant women were not registered with a GP.", "migrant"),
    ("Only two studies reported results separately for trans women.", "trans women"),
    ("Few migrant women said they had been trafficked.", "migrant"),
    ("Women no longer street-based described leaving.", "street-based"),
    ("Although no clinic took part, migrant women were interviewed at the drop-in.", "migrant"),
    ("The absence of services for migrant women was a gap.", "migrant"),
    # the verb after the negated subject belongs to a relative clause, or the cue is the subject
    ("No women who worked online reported a rise in violence.", "online"),
    ("No street-based women reported the assaults to the police.", "street-based"),
    # outside, but not outside a study
    ("Street-based women were outside in the cold for most of the night.", "street-based"),
    # "had" as a plain verb, not an inverted condition
    ("Migrant women had been interviewed twice by the outreach team.", "migrant"),
    ("Women who had been street-based were interviewed at the hostel.", "street-based"),
    # a negated thing, not a negated group
    ("No HIV transmission was seen among trans women on treatment.", "trans women"),
    # a recommendation about services, not about whom to study
    ("Services should include migrant women in planning their opening hours.", "migrant"),
    # a group not reached is still what the finding is about; "no change" negates the change
    ("Migrant women were not reached by the outreach van.", "migrant"),
    ("The audit found no change in the number of migrant women attending.", "migrant"),
    ("Figures for trans women were reported separately.", "trans women"),
]


@pytest.mark.parametrize("text, cue", STILL_THERE)
def test_negation_elsewhere_keeps_the_group(text, cue):
    assert any(cue.lower() in t.lower() for t in kept(text)), reasons(text)


OTHER_GROUPS = [
    "Migrant farm workers formed the comparison group.",
    "Rates were compared with a control group of migrant women.",
    "The comparison group were refugee women from the same clinic.",
    "Refugee women who had never sold sex formed the reference group.",
    "Migrant women who did not sell sex were recruited as controls.",
    "Non-sex-working migrant women were interviewed too.",
    "Male clients of sex workers were rarely asked about condoms.",
    "Their clients, many of whom were migrants, paid more.",
    "Injury rates were compared with street cleaners and other migrant workers in the council.",
    "Migrant residents complained about the managed area.",
    # the cue said of another group, or naming the group a figure is compared with
    "Most of the cleaners were migrants themselves.",
    "Scores were similar to those reported for trans women in a national survey.",
    "Rates of debt resembled those of refugee women in the same town.",
    "HIV prevalence was well below published estimates for trans women nationally.",
    "Interviews were run by two researchers, one of whom was a migrant.",
]


SAME_POPULATION = [
    ("Street-based women reported more violence than migrant women working in saunas.", ["Street-based", "migrant"]),
    ("Compared with UK-born sex workers, migrant sex workers had less access to GPs.", ["migrant"]),
    ("Sex workers, many of whom were migrants, paid high rents.", ["migrants"]),
    ("Escorts reported less client violence than women who worked street-based.", ["street-based"]),
    ("Men who sold sex to migrant clients were rarely reached.", ["men who sold sex"]),
    ("Most participants were migrants from Romania.", ["migrants"]),
    ("Scores among trans women were similar to those of other participants.", ["trans women"]),
    # the group compared with sells sex too: both are the population's groups
    ("Rates were similar to published estimates for trans sex workers elsewhere.", ["trans"]),
    # what the relative clause's own verb says the other group did makes them the population
    ("Residents who reported selling sex were often migrants.", ["migrants"]),
]


@pytest.mark.parametrize("text, expected", SAME_POPULATION)
def test_comparisons_within_the_population_keep_both(text, expected):
    found = kept(text)
    for cue in expected:
        assert any(cue.lower() in t.lower() for t in found), reasons(text)


METHODS = [
    "Participants were recruited online through community forums.",
    "An online survey of 240 sex workers asked about violence.",
    "Interviews were conducted online during the pandemic.",
    "The online questionnaire took twenty minutes.",
    "Women were interviewed online and by phone.",
    "Records found by the search term 'trafficking' were screened.",
    "The word 'migrant' returned many unrelated records.",
    "The search terms 'online' and 'street-based' were combined with sex work terms.",
]


def test_methods_verbs_keep_the_people_they_name():
    assert kept("Outreach workers recruited street-based women at night.") == ["street-based"]
    assert kept("Women were recruited via migrant community organisations.") == ["migrant"]
    assert kept("Sex workers who advertise online took part.") == ["online"]


PREFIXES = [
    "A trans-Pennine partnership ran the outreach van for sex workers.",
    "Anti-trafficking raids were opposed by sex worker groups.",
    "Counter-trafficking teams visited the flats.",
    "Non-migrant women were the majority.",
]
NOT_CUES = [(family, text) for family, texts in (("negated", NEGATED), ("other group", OTHER_GROUPS), ("method", METHODS),
                                                  ("prefix", PREFIXES)) for text in texts]


@pytest.mark.parametrize("family, text", NOT_CUES)
def test_words_that_are_not_cues_in_context(family, text):
    assert kept(text) == [], (family, reasons(text))


def test_a_cue_standing_for_itself_after_non_is_kept():
    assert kept("Non-binary sex workers described clinics as unwelcoming.") == ["Non-binary"]


def test_subordinate_clause_ends_at_its_comma():
    assert kept("Although trans women were not recruited, migrant women took part.") == ["migrant"]
    assert kept("Migrant women took part, but no trans women were recruited.") == ["Migrant"]


def test_every_vetoed_candidate_says_why():
    found = dict(reasons("No trans women took part; migrant farm workers formed the comparison group."))
    assert found["trans women"].startswith("negated")
    assert found["migrant"].startswith("describes another group")


def test_codebook_words_extend_the_built_in_lists():
    words = ContextWords.build({"negators": ["hardly any"], "other_groups": ["bus drivers"]})
    assert "no" in words["negators"] and "hardly any" in words["negators"]
    rule = KeywordRule(any=("migrant*",), context=("negation", "comparison"))
    population = []
    text = "Migrant bus drivers took part; hardly any migrant women were recruited."
    got = [r for *_x, r, _k in rule_candidates(_Text(text), rule, None, words, population_spans=population)]
    assert all(got), got


def test_a_cue_that_is_a_verb_form_is_negated_through_its_auxiliaries():
    rule = KeywordRule(any=("trafficked",), paired=(Pairing(("forced",), ("selling sex", "sex work"), 3, "after"),),
                       context=("negation",))
    assert kept_by(rule, "Most migrant women had not been trafficked into the UK.") == []
    assert kept_by(rule, "The women had never been forced into selling sex.") == []
    assert kept_by(rule, "They hadn't been forced into selling sex.") == []
    assert kept_by(rule, "Women who had been trafficked were rarely referred.") == ["trafficked"]
    assert kept_by(rule, "Not all trafficked women were referred.") == ["trafficked"]
    # an adverb before the participle, and a subject that denies it of everyone
    exploited = KeywordRule(any=("sexually exploited",), context=("negation",))
    assert kept_by(exploited, "The girls had not been sexually exploited.") == []
    assert kept_by(exploited, "Twelve boys were referred for drug running, but none had been sexually exploited.") == []
    assert kept_by(exploited, "Girls who had been sexually exploited were rarely referred.") == ["sexually exploited"]


def kept_by(rule: KeywordRule, text: str) -> list[str]:
    return [t for t, r in reasons(text, rule) if r == "hit"]
