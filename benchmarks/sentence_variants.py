"""Generated sentences that vary wording, clause order and negation, labelled by construction.

Used by ``benchmarks/suggestions.py`` to check that the subgroup cues and their context
checks generalise beyond the sentences they were developed on. Every group phrase,
frame and outcome here is written for this generator (none is taken from a development
set). Families:

* ``plain``: a subgroup named in a finding, in several frames and clause orders;
* ``negated``: the group said to be absent ("no ... took part", "... were not recruited",
  "did not include ...", "none of the participants were ...");
* ``other_group``: the subgroup word on a group that is not sex workers (comparison and
  control groups, other occupations, clients and partners);
* ``method``: the word describing how the study was done or naming a search term;
* ``word``: look-alike words (prefixes, stems, other senses);
* ``pooled``: findings that say outright that groups were pooled (``not_specified``);
* ``mixed``: a real group in one clause and a negated or comparison group in another.

``generate(seed)`` returns a frame ``id, text, subgroup, family`` (``subgroup`` joined by
``;``, empty when no subgroup is named).
"""

from __future__ import annotations

import random

import pandas as pd

# (codes joined by ';', plural noun phrase naming sex workers of the subgroup; escorts are indoor workers)
GROUPS = [
    ("on_street", "street-based sex workers"), ("on_street", "women who sold sex on the street"),
    ("on_street", "women soliciting in the red light district"), ("on_street", "women selling sex outdoors"),
    ("indoor", "women working in saunas"), ("indoor", "brothel-based sex workers"), ("indoor", "independent escorts"),
    ("indoor", "women who sold sex from rented flats"), ("indoor", "lap dancers"), ("indoor", "women working indoors"),
    ("online", "webcam performers"), ("online", "sex workers who advertised online"),
    ("online", "adult content creators"), ("online;indoor", "internet-based escorts"),
    ("migrant", "migrant sex workers"), ("migrant", "women born abroad who sold sex"),
    ("migrant", "asylum-seeking women who sold sex"), ("migrant", "Romanian women selling sex"),
    ("migrant", "undocumented sex workers"), ("migrant", "Bulgarian women selling sex"),
    ("migrant", "women with insecure immigration status"),
    ("trafficked", "women trafficked for sexual exploitation"), ("trafficked", "survivors of modern slavery"),
    ("trafficked", "women forced into selling sex"),
    ("trans", "trans women who sold sex"), ("trans", "transgender sex workers"), ("trans", "non-binary sex workers"),
    ("trans", "trans sex workers"),
    ("male", "men who sold sex"), ("male;indoor", "male escorts"), ("male", "male sex workers"),
    ("survival_sex", "women who traded sex for a place to sleep"), ("survival_sex", "people exchanging sex for drugs"),
    ("survival_sex", "homeless women who had exchanged sex for food"),
    ("young_people_cse", "girls who had been sexually exploited"), ("young_people_cse", "care leavers who sold sex"),
    ("young_people_cse", "young people at risk of child sexual exploitation"),
]

# (code, adjective or modifier, noun it takes for a non-sex-worker group)
MODIFIERS = [
    ("migrant", "migrant"), ("migrant", "refugee"), ("trans", "trans"), ("trans", "transgender"),
    ("male", "male"), ("indoor", "indoor"), ("online", "online"),
]
OTHER_GROUPS = ["farm workers", "construction workers", "factory workers", "care workers", "office workers",
                "health workers", "clients", "residents", "partners", "students", "bus drivers", "teachers",
                "shop assistants"]

OUTCOMES = ["higher rates of chlamydia", "more violence from clients", "difficulty registering with a GP",
            "long waits for mental health care", "more frequent contact with the police", "lower uptake of HIV testing",
            "unmet need for dental care", "frequent harassment by neighbours"]

PLAIN = [
    "{G} reported {O}.",
    "Among {g}, the study found {O}.",
    "{O_cap} was reported by {g} in the city.",
    "In the follow-up interviews, {g} described {O}.",
    "Compared with other participants, {g} reported {O}.",
    "Outreach workers said that {g} faced {O}.",
]
NEGATED = [
    "No {g} took part in the study, so {O} could not be examined.",
    "{G} were not recruited, although {O} had been expected.",
    "The survey did not include any {g}.",
    "There were no {g} in the sample.",
    "{G} were excluded from the analysis of {O}.",
    "The clinic did not record whether patients were {g}.",
    "Researchers approached several projects, but no {g} were interviewed.",
    "The absence of {g} limited what the study could say about {O}.",
    "The team failed to recruit any {g}.",
]
NEGATED_MODIFIER = [
    "None of the participants identified as {m}.",
    "No {m} participants took part.",
    "The study recruited no {m} women.",
    "No one in the sample identified as {m}.",
]
OTHER = [
    "{M_cap} {W} formed the comparison group for {O}.",
    "Rates were compared with a control group of {m} {W}.",
    "{M_cap} {W} in the same town reported {O}.",
    "Sex workers described {O}, unlike {m} {W} in the comparison group.",
]
RELATIVE = [
    "Women described their {W}, many of whom were {m}, as unpredictable.",
    "The {W}, most of them {m}, were not interviewed about {O}.",
]
NOT_POPULATION = [
    "{M_cap} women who had never sold sex formed the reference group.",
    "{M_cap} women who did not sell sex were recruited as controls.",
]
METHOD = [
    ("online", "Participants were recruited online through community forums."),
    ("online", "An online survey collected data on {O}."),
    ("online", "Interviews were conducted online during the pandemic."),
    ("online", "The online questionnaire asked about {O}."),
    ("trafficked", "Records retrieved by the search term 'trafficking' were screened by two reviewers."),
    ("migrant", "The keyword 'migrant' returned too many unrelated records."),
]
WORD = [
    ("trans", "A trans-Atlantic collaboration compared services for sex workers."),
    ("trans", "Transmission of gonorrhoea was linked to non-paying partners."),
    ("trans", "Trans fatty acid intake was high among the women."),
    ("migrant", "Migration of clinic records to a new system delayed appointments."),
    ("migrant", "Stent migration was a complication after surgery."),
    ("indoor", "Indoor air quality in the hostel was poor."),
    ("indoor", "Indoor lighting at the drop-in was improved."),
    ("on_street", "Street food vendors near the clinic were not interviewed about sex work."),
    ("on_street", "Street names for drugs were recorded by outreach staff."),
    ("survival_sex", "Survival analysis estimated time to leaving sex work."),
    ("indoor", "Sauna bathing was offered at the leisure centre."),
    ("young_people_cse", "Comprehensive sexuality education (CSE) was taught in schools."),
    ("young_people_cse", "Personal grooming was difficult without access to showers."),
    ("male", "Male clients were rarely asked about condom use."),
    ("trafficked", "Drug trafficking convictions were common among partners."),
    ("indoor", "Support workers escorted women to court hearings."),
    ("trafficked", "Anti-trafficking campaigns were criticised by sex worker groups."),
    ("migrant", "Romanian law on sex work was compared with the law in England."),
    ("migrant", "Chinese studies of clinic attendance were excluded from the review."),
    ("migrant", "Contacts with the outreach team were largely undocumented before 2015."),
    ("indoor", "Volunteers would escort women to appointments at the clinic."),
    ("trafficked", "The Modern Slavery Act was discussed by practitioners at the forum."),
    ("on_street", "The project was soliciting donations for a new drop-in."),
    ("trans", "Transport to the clinic was a barrier for women living outside the city."),
]
POOLED = [
    "The survey did not distinguish between sex workers in different settings, and {O} was common.",
    "Results for all forms of sex work were combined, showing {O}.",
    "Sex workers were analysed as a single group, and {O} was reported.",
]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def generate(seed: int = 7, per_frame: int = 4) -> pd.DataFrame:
    """Labelled sentences of every family (deterministic for a seed)."""
    rng = random.Random(seed)
    rows: list[tuple[str, str, str]] = []

    def add(text: str, codes: list[str], family: str) -> None:
        rows.append((text, ";".join(sorted(set(codes))), family))

    for frame in PLAIN:
        for code, g in rng.sample(GROUPS, per_frame * 2):
            o = rng.choice(OUTCOMES)
            add(frame.format(G=_cap(g), g=g, O=o, O_cap=_cap(o)), code.split(";"), "plain")
    for frame in NEGATED:
        for code, g in rng.sample(GROUPS, per_frame):
            o = rng.choice(OUTCOMES)
            add(frame.format(G=_cap(g), g=g, O=o), [], "negated")
    for frame in NEGATED_MODIFIER:
        for code, m in MODIFIERS:
            if code in ("trans", "migrant", "male"):
                add(frame.format(m=m), [], "negated")
    for frame in OTHER:
        for code, m in rng.sample(MODIFIERS, per_frame):
            w = rng.choice(OTHER_GROUPS)
            add(frame.format(M_cap=_cap(m), m=m, W=w, O=rng.choice(OUTCOMES)), [], "other_group")
    for frame in RELATIVE:
        for code, m in MODIFIERS:
            if code in ("migrant", "trans"):
                add(frame.format(W=rng.choice(["clients", "partners", "neighbours", "landlords"]), m=m + "s" if m == "migrant" else m,
                                 O=rng.choice(OUTCOMES)), [], "other_group")
    for frame in NOT_POPULATION:
        for code, m in MODIFIERS:
            if code in ("trans", "migrant"):
                add(frame.format(M_cap=_cap(m)), [], "other_group")
    for _code, text in METHOD:
        add(text.format(O=rng.choice(OUTCOMES)), [], "method")
    for _code, text in WORD:
        add(text, [], "word")
    for frame in POOLED:
        add(frame.format(O=rng.choice(OUTCOMES)), ["not_specified"], "pooled")
    # a real group in one clause, an absent or comparison group in another
    for _ in range(per_frame * 4):
        (c1, g1), (c2, g2) = rng.sample(GROUPS, 2)
        if set(c1.split(";")) & set(c2.split(";")):
            continue
        o = rng.choice(OUTCOMES)
        form = rng.randrange(3)
        if form == 0:
            add(f"{_cap(g1)} reported {o}, but no {g2} took part.", c1.split(";"), "mixed")
        elif form == 1:
            add(f"Although {g2} were not recruited, {g1} described {o}.", c1.split(";"), "mixed")
        else:
            code, m = rng.choice(MODIFIERS)
            add(f"{_cap(g1)} reported {o}; {m} {rng.choice(OTHER_GROUPS)} formed the comparison group.", c1.split(";"), "mixed")
    frame = pd.DataFrame(rows, columns=["text", "subgroup", "family"]).drop_duplicates("text").reset_index(drop=True)
    frame.insert(0, "id", [f"v{i + 1:03d}" for i in range(len(frame))])
    return frame
