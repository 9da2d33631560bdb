"""The fast reader for files in their writer's own layout (PubMed MEDLINE, RIS) equals the general one."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from reviewbench.formats import medline, read_text, ris
from reviewbench.formats.tagged import split_records
from reviewbench.formats.tagged.plain import split_plain_layout

GENERAL = dataclasses.replace(medline.SYNTAX, plain_layout=None)


def both(text: str):
    fast = split_records(text, medline.SYNTAX, "x.nbib")
    general = split_records(text, GENERAL, "x.nbib")
    as_tuples = lambda result: ([(r.line, r.tags) for r in result[0]], [(p.line, p.message) for p in result[1]])  # noqa: E731
    return as_tuples(fast), as_tuples(general)


PUBMED = (
    "\nPMID- 11111111\nOWN - NLM\nTI  - Occupational health of indoor sex workers in Leeds: a\n"
    "      cross-sectional survey.\nAB  - Background words here.\n      More words  with  odd   spacing.\n"
    "FAU - Smith, Jane\nAU  - Smith J\nDP  - 2019 Mar\n\nPMID- 22222222\nTI  - Second\nAU  - Roe R\n"
)


def test_pubmed_layout_is_read_by_the_fast_path_and_equals_the_general_reader() -> None:
    assert split_plain_layout(PUBMED, medline.SYNTAX, None)[1] is None  # read to the end
    fast, general = both(PUBMED)
    assert fast == general
    records = fast[0]
    assert [line for line, _ in records] == [2, 12]
    assert records[0][1]["TI"] == ["Occupational health of indoor sex workers in Leeds: a cross-sectional survey."]
    # Continuation lines are stripped and joined by single spaces; spacing inside a line
    # is the text's own (the abstract is tidied when the record is normalised).
    assert records[0][1]["AB"] == ["Background words here. More words  with  odd   spacing."]


def test_continuation_lines_are_stripped_and_joined_by_single_spaces() -> None:
    text = PUBMED.replace("      cross-sectional survey.", "      cross-sectional  \n      survey.   ")
    fast, general = both(text)
    assert fast == general
    assert fast[0][0][1]["TI"] == ["Occupational health of indoor sex workers in Leeds: a cross-sectional survey."]
    df, _ = read_text(PUBMED, "x.nbib")
    assert df.loc[0, "abstract"] == "Background words here. More words with odd spacing."


def test_a_record_without_pmid_keeps_the_fast_path() -> None:
    text = PUBMED.replace("\n\nPMID- 22222222\n", "\n\nTI  - No PMID here\nAU  - Doe J\n\nPMID- 22222222\n")
    assert split_plain_layout(text, medline.SYNTAX, None)[1] is None  # read to the end
    fast, general = both(text)
    assert fast == general and [line for line, _ in fast[0]] == [2, 12, 15]


def test_the_general_reader_goes_on_from_anything_outside_the_layout() -> None:
    for odd in (
        PUBMED.replace("OWN - NLM", "a stray line"),
        PUBMED.replace("OWN - NLM", "OWN - NLM\nPMID- 3"),  # a second start tag inside a block
        PUBMED.replace("\n\nPMID- 2", "\n   \nPMID- 2"),  # a blank line of spaces
        PUBMED.replace("OWN - NLM", "OWN\t- NLM"),
        PUBMED.replace("OWN - NLM", "OWN - NLM\n  two-space continuation"),
        PUBMED + "      ",  # a last line of spaces is a blank, not a continuation
        PUBMED.replace("      cross", "       cross"),  # a line indented further
        PUBMED.replace("      cross", "      \u00a0cross"),  # ... by a no-break space
        PUBMED.replace("a\n      cross", "a  \n      \n      cross"),  # trailing spaces, a line of spaces
    ):
        assert split_plain_layout(odd, medline.SYNTAX, None)[1] is not None  # stopped: the general reader goes on
        fast, general = both(odd)
        assert fast == general


TAGS = st.sampled_from(["PMID", "TI", "AB", "FAU", "AU", "DP", "PG", "JT", "MH", "OT", "LID", "ZZ"] * 4 + ["ti", "A"])
WORD = st.text(alphabet="abc XY\u00e9-.:", min_size=1, max_size=8) | st.text(alphabet="ab \u00a0\u2028\x0c\x1c", max_size=4)
INDENT = st.sampled_from(["      "] * 8 + ["", " ", "       ", "  ", "\t"])


@st.composite
def medline_texts(draw) -> str:
    """Mostly PubMed's layout, with now and then what real files do wrong."""
    lines = []
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["tag"] * 6 + ["continuation"] * 3 + ["blank"] * 2 + ["stray"]))
        if kind == "tag":
            separator = draw(st.sampled_from(["- "] * 8 + ["-", " - "]))
            lines.append(f"{draw(TAGS):<4}{separator}{draw(WORD)}")
        elif kind == "continuation":
            lines.append(draw(INDENT) + draw(WORD))
        elif kind == "blank":
            lines.append(draw(st.sampled_from([""] * 6 + [" ", "      "])))
        else:
            lines.append(draw(WORD))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))


@settings(max_examples=400, deadline=None)
@given(medline_texts())
def test_fast_and_general_readers_agree_on_any_tagged_text(text: str) -> None:
    fast, general = both(text)
    assert fast == general


VALUE = st.text(alphabet="abc XY\u00e9\u00a0-.:", min_size=1, max_size=12).map(str.strip).filter(bool)


@st.composite
def pubmed_texts(draw) -> str:
    """PubMed's own layout only: every such text takes the fast path."""
    blocks = []
    for _ in range(draw(st.integers(1, 4))):
        lines = [f"PMID- {draw(st.integers(1, 10**8))}"]
        for _ in range(draw(st.integers(0, 6))):
            lines.append(f"{draw(TAGS.filter(lambda t: t.isupper() and len(t) > 1 and t != 'PMID')):<4}- {draw(VALUE)}")
            lines.extend("      " + draw(VALUE) for _ in range(draw(st.integers(0, 2))))
        blocks.append("\n".join(lines))
    separator = draw(st.sampled_from(["\n\n", "\n\n\n"]))
    return draw(st.sampled_from(["", "\n"])) + separator.join(blocks) + draw(st.sampled_from(["", "\n"]))


@settings(max_examples=400, deadline=None)
@given(pubmed_texts())
def test_pubmed_layout_always_takes_the_fast_path_with_the_same_result(text: str) -> None:
    assert split_plain_layout(text, medline.SYNTAX, None)[1] is None
    fast, general = both(text)
    assert fast == general


# --- RIS: records closed by ER, every line a tag line -----------------------------------

RIS_GENERAL = dataclasses.replace(ris.SYNTAX, plain_layout=None)
RIS_TAGS = st.sampled_from(["TI", "AU", "PY", "AB", "KW", "DO", "T2", "VL", "SP", "EP", "N1", "ZZ"])


def both_ris(text: str):
    fast = split_records(text, ris.SYNTAX, "x.ris")
    general = split_records(text, RIS_GENERAL, "x.ris")
    as_tuples = lambda result: ([(r.line, r.tags) for r in result[0]], [(p.line, p.message) for p in result[1]])  # noqa: E731
    return as_tuples(fast), as_tuples(general)


@st.composite
def ris_texts(draw, messy: bool) -> str:
    """RIS as databases write it; with ``messy``, now and then what real files do wrong."""
    lines = [draw(st.sampled_from(["", "Provider: X", "1."]))] if messy and draw(st.booleans()) else []
    for _ in range(draw(st.integers(1, 4))):
        lines.append(f"TY  - {draw(st.sampled_from(['JOUR', 'BOOK', '']))}")
        for _ in range(draw(st.integers(0, 6))):
            separator = draw(st.sampled_from(["  - ", "  -", " - ", "  -  "])) if messy else draw(st.sampled_from(["  - ", "  -  "]))
            lines.append(f"{draw(RIS_TAGS)}{separator}{draw(WORD)}")
            if messy and draw(st.integers(0, 9)) == 0:
                lines.append(draw(st.sampled_from(["continued text", "", "   ", "TY  - JOUR", "2."])))
        if not messy or draw(st.integers(0, 9)):
            lines.append(draw(st.sampled_from(["ER  - ", "ER  -"])))
        lines.extend([""] * draw(st.integers(0, 2)))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n"]))


@settings(max_examples=400, deadline=None)
@given(ris_texts(messy=False))
def test_ris_as_databases_write_it_takes_the_fast_path_with_the_same_result(text: str) -> None:
    assert split_plain_layout(text, ris.SYNTAX, None)[1] is None
    fast, general = both_ris(text)
    assert fast == general


@settings(max_examples=400, deadline=None)
@given(ris_texts(messy=True))
def test_fast_and_general_ris_readers_agree_on_messy_files(text: str) -> None:
    fast, general = both_ris(text)
    assert fast == general


def test_a_tag_after_an_end_line_mid_file_still_joins_its_record() -> None:
    records = [f"TY  - JOUR\nTI  - Title {n}\nAU  - Roe, R\nER  - " for n in range(4)]
    records[1] += "\nNL  - a tag Ovid writes after the end line"
    text = "\n\n".join(records) + "\n"
    done, stop = split_plain_layout(text, ris.SYNTAX, None)
    assert [r.tags["TI"] for r in done] == [["Title 0"]]  # record 1 is read again by the general reader
    assert stop == (text.index("TY  - JOUR\nTI  - Title 1"), 6)
    fast, general = both_ris(text)
    assert fast == general
    assert fast[0][1][1]["NL"] == ["a tag Ovid writes after the end line"]
    assert [line for line, _ in fast[0]] == [1, 6, 12, 17]
