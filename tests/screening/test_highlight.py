"""Highlighting of review.yml terms: escaped, coloured by kind, never losing text."""

from __future__ import annotations

import html
import re

from hypothesis import given, strategies as st

from reviewbench.screening.highlight import highlight

TAG = re.compile(r"</?mark[^>]*>")


def marks(out: str) -> list[tuple[str, str]]:
    return re.findall(r'<mark class="rb-term rb-(\w+)"[^>]*>(.*?)</mark>', out)


def test_terms_are_marked_by_kind_and_run_to_the_end_of_the_word():
    out = highlight("Sex workers and prostitution: a study protocol", ["sex work", "prostitut*"], ["protocol"])
    assert marks(out) == [("include", "Sex workers"), ("include", "prostitution"), ("exclude", "protocol")]


def test_terms_match_only_at_the_start_of_a_word():
    assert marks(highlight("Essex worker unions", ["sex work"], [])) == []
    assert marks(highlight("sex-work and sex  work", ["sex work"], [])) == [("include", "sex-work"), ("include", "sex  work")]


def test_longest_term_wins():
    out = highlight("membrane trafficking and trafficking", ["trafficking"], ["membrane trafficking"])
    assert marks(out) == [("exclude", "membrane trafficking"), ("include", "trafficking")]


def test_record_text_is_escaped():
    out = highlight('<img src=x onerror="alert(1)"> sex work & "health"', ["sex work"], [])
    assert "<img" not in out and "&lt;img" in out and "&amp;" in out
    assert TAG.sub("", out) == html.escape('<img src=x onerror="alert(1)"> sex work & "health"')


def test_missing_text():
    assert highlight(None, ["a"]) == ""
    assert highlight(float("nan"), ["a"]) == ""
    assert highlight("nan", ["a"]) == "nan"  # a word, not a missing value


@given(st.text(max_size=200), st.lists(st.text(min_size=1, max_size=8), max_size=4), st.lists(st.text(min_size=1, max_size=8), max_size=4))
def test_highlighting_never_changes_the_text(text, include, exclude):
    out = highlight(text, include, exclude)
    assert html.unescape(TAG.sub("", out)) == text
    assert "<" not in TAG.sub("", out)
