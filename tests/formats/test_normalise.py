"""Normalisation steps: authors, pages, years, markup, identifiers."""

from __future__ import annotations

import pytest

from reviewbench.formats.normalise import (
    clean_markup,
    expand_pages,
    extract_year,
    normalise_author,
    normalise_record,
    split_authors,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Smith, John", "Smith, John"),
        ("Smith JA", "Smith, JA"),
        ("Lewis G. F.", "Lewis, G. F."),
        ("Mc Grath-Lone L", "Mc Grath-Lone, L"),
        ("Louise Mc Grath-Lone", "Mc Grath-Lone, Louise"),
        ("John Smith", "Smith, John"),
        ("Ludwig van Beethoven", "van Beethoven, Ludwig"),
        ("Maria de la Cruz", "de la Cruz, Maria"),
        ("J.-P. Sartre", "Sartre, J.-P."),
        ("World Health Organization", "World Health Organization"),  # a group author stays whole
        ("Sajise, Asa Jose U. and", "Sajise, Asa Jose U."),
        ("others", ""),
    ],
)
def test_normalise_author(raw, expected):
    assert normalise_author(raw) == expected


def test_group_authors_turned_round_only_when_switched_off(monkeypatch):
    from reviewbench.formats import normalise

    monkeypatch.setattr(normalise, "KEEP_GROUP_AUTHORS_WHOLE", False)
    normalise_author.cache_clear()
    try:
        assert normalise_author("World Health Organization") == "Organization, World Health"
        assert normalise_author("John Smith") == "Smith, John"
    finally:
        normalise_author.cache_clear()


def test_split_endnote_concatenated_authors():
    assert split_authors(["Adeli K.Lewis G. F."]) == ["Adeli K.", "Lewis G. F."]
    assert split_authors(["Loper H. B.La Sala M."]) == ["Loper H. B.", "La Sala M."]
    assert split_authors(["A.B.Smith"]) == ["A.B.Smith"]
    assert split_authors(["Araz R. AlievNigar T. Ismayilova"]) == ["Araz R. Aliev", "Nigar T. Ismayilova"]
    assert split_authors(["Ronald McDonald"]) == ["Ronald McDonald"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("221-8", "221-228"),
        ("1204-22", "1204-1222"),
        ("79 – 88", "79-88"),
        ("100--105", "100-105"),
        ("S1-5", "S1-S5"),
        ("e123", "e123"),
        ("06-Oct", "6-10"),
        ("", ""),
    ],
)
def test_expand_pages(raw, expected):
    assert expand_pages(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2019///", 2019), ("2019 Mar-Apr", 2019), ("15/03/2019", 2019), ("2019-03-15", 2019), ("10 15", None), (2004, 2004), (None, None)],
)
def test_extract_year(raw, expected):
    assert extract_year(raw) == expected


def test_clean_markup_html_latex_and_mojibake():
    assert clean_markup("The <i>role</i> of &amp; in <sub>2</sub>") == "The role of & in 2"
    assert clean_markup(r"Caf{\'e} \textit{society}") == "Café society"
    assert clean_markup("K\u00c3\u00b6nig") == "König"
    assert clean_markup("3 < 4 and 5 > 2") == "3 < 4 and 5 > 2"


def test_normalise_record_identifiers_and_missing_markers():
    rec = normalise_record(
        {"title": "T", "abstract": "NA", "doi": "", "url": "https://doi.org/10.1000/XYZ", "pmid": "PMID: 123", "keywords": ["a", "a", "<b>b</b>"], "authors": ["Adeli K.Lewis G. F."]}
    )
    assert rec["abstract"] == "" and rec["doi"] == "10.1000/xyz" and rec["pmid"] == "123"
    assert rec["keywords"] == ["a", "b"]
    assert rec["authors"] == ["Adeli, K.", "Lewis, G. F."]
