"""Writers: what is written and read back is the same records; the parser never crashes."""

from __future__ import annotations

import string

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewbench.formats.normalise import MISSING
from reviewbench.formats import bibtex_text, read_file, read_text, ris_text, write_bibtex, write_csv_records, write_ris
from reviewbench.schema import conform

WORD_CHARS = string.ascii_letters + string.digits + "éüøçßñÅŁ"
PUNCT = ".,:;?!()'/%-"
words = st.text(alphabet=WORD_CHARS, min_size=1, max_size=10)
# Values that mean "missing" in exports (NA, NULL, ...) are read as empty: not generated here.
phrase = st.lists(st.tuples(words, st.sampled_from(["", *PUNCT])), min_size=1, max_size=8).map(
    lambda parts: " ".join(w + p for w, p in parts)
).filter(lambda text: text not in MISSING)
name = st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=8).map(str.capitalize)
author = st.tuples(st.lists(name, min_size=1, max_size=2), st.lists(name, min_size=1, max_size=2)).map(
    lambda t: f"{' '.join(t[0])}, {' '.join(t[1])}"
)
pages = st.integers(1, 9000).flatmap(lambda a: st.integers(a + 1, a + 9).map(lambda b: f"{a}-{b}"))
pages = pages.filter(lambda p: len(p.split("-")[0]) == len(p.split("-")[1]))
record = st.fixed_dictionaries(
    {
        "source_id": st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=12),
        "ref_type": st.sampled_from(["JOUR", "BOOK", "CHAP", "RPRT"]),
        "title": phrase,
        "abstract": phrase,
        "authors": st.lists(author, max_size=4),
        "year": st.one_of(st.none(), st.integers(1900, 2030)),
        "journal": phrase,
        "volume": st.integers(1, 300).map(str),
        "issue": st.integers(1, 12).map(str),
        "pages": pages,
        "doi": st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=8).map(lambda s: f"10.1000/{s}"),
        "pmid": st.integers(1, 40_000_000).map(str),
        "keywords": st.lists(words, max_size=4, unique=True),
    }
)
# Citation keys are unique (case-insensitively, as in BibTeX) within one file.
records = st.lists(record, min_size=1, max_size=5, unique_by=lambda r: r["source_id"].lower())
CORE = ["title", "abstract", "authors", "year", "journal", "volume", "issue", "pages", "doi", "pmid", "keywords"]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _compare(written: pd.DataFrame, read: pd.DataFrame, columns: list[str]) -> None:
    expected = conform(written)
    assert len(read) == len(expected)
    for col in columns:
        assert read[col].tolist() == expected[col].tolist(), col


@SETTINGS
@given(records)
def test_ris_round_trip(rows):
    df = pd.DataFrame(rows)
    read, report = read_text(ris_text(df), "out.ris")
    assert report.problems == []
    _compare(df, read, CORE + ["source_id", "ref_type"])


@SETTINGS
@given(records)
def test_bibtex_round_trip(rows):
    df = pd.DataFrame(rows)
    read, report = read_text(bibtex_text(df), "out.bib")
    assert report.problems == []
    _compare(df, read, CORE + ["source_id"])


@SETTINGS
@given(rows=records)
def test_csv_round_trip_keeps_ids_and_extra(tmp_path_factory, rows):
    df = conform(pd.DataFrame(rows))
    df["source_file"] = "search.ris"
    df["record_id"] = [f"search-{i:010d}" for i in range(len(df))]
    df["extra"] = [{"label_included": i % 2, "N1": "note"} for i in range(len(df))]
    path = tmp_path_factory.mktemp("csv") / "records.csv"
    write_csv_records(df, path)
    read, _ = read_file(path)
    _compare(df, read, CORE + ["source_id", "record_id", "source_file", "extra"])


def test_writers_write_files_that_read_back(tmp_path):
    df = pd.DataFrame(
        [{"title": "Sex work & health: 50% of {x}", "authors": ["Mc Grath-Lone, L", "World Health Organization"], "year": 2019, "pages": "221-228", "doi": "10.1000/x_y", "source_id": "a 1"}]
    )
    ris, bib = write_ris(df, tmp_path / "o.ris"), write_bibtex(df, tmp_path / "o.bib")
    for path in (ris, bib):
        read, _ = read_file(path)
        rec = read.iloc[0]
        assert rec["authors"][0] == "Mc Grath-Lone, L"
        assert rec["doi"] == "10.1000/x_y" and rec["year"] == 2019 and rec["pages"] == "221-228"
    # BibTeX braces mark a group author; in RIS the words of the name do (KEEP_GROUP_AUTHORS_WHOLE).
    assert read_file(bib)[0].iloc[0]["authors"][1] == "World Health Organization"
    assert read_file(ris)[0].iloc[0]["authors"][1] == "World Health Organization"
    assert read_file(ris)[0].iloc[0]["title"] == "Sex work & health: 50% of {x}"
    assert read_file(bib)[0].iloc[0]["title"] == "Sex work & health: 50% of x"
    assert "@article{a1," in bib.read_text()


def test_bibtex_writer_passes_no_latex_command(tmp_path):
    df = pd.DataFrame([{"title": r"Evil \input{/etc/passwd} title", "authors": [r"\def\x, A"], "year": 2020}])
    text = write_bibtex(df, tmp_path / "o.bib").read_text()
    assert "\\input" not in text and "\\def" not in text
    back = read_file(tmp_path / "o.bib")[0].iloc[0]
    assert back["title"] == r"Evil \input/etc/passwd title"


@pytest.mark.parametrize("doi, url", [
    ("10.1234/a{b", ""),
    ("10.1234/a}b", "https://example.org/}"),
    ("10.1234/\\input{/etc/passwd}", "https://example.org/\\input{x}"),
])
def test_bibtex_doi_and_url_are_escaped(tmp_path, doi, url):
    """Rows 3 and 8: a brace stopped the writer (and `reviewbench run`); a command reached the field."""
    df = pd.DataFrame([{"title": "T", "doi": doi, "url": url, "year": 2020, "source_id": "k"}])
    text = write_bibtex(df, tmp_path / "o.bib").read_text()
    assert "\\input" not in text and "{/etc" not in text
    back, report = read_file(tmp_path / "o.bib")
    assert report.problems == [] and len(back) == 1


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40))
def test_any_doi_or_url_is_written_as_bibtex_that_reads_back(doi, url):
    df = pd.DataFrame([{"title": "T", "doi": doi, "url": url, "year": 2020, "source_id": "k"}])
    back, report = read_text(bibtex_text(df), "o.bib")
    assert report.problems == [] and len(back) == 1


def test_bibtex_keeps_a_name_containing_the_word_and_whole(tmp_path):
    from reviewbench.formats import read_file, write_bibtex
    from reviewbench.schema import conform

    import pandas as pd

    df = conform(pd.DataFrame([{"title": "T", "authors": ["Anderson, And A", "Sandy, B"], "year": 2020, "source_id": "k1"}]))
    path = tmp_path / "x.bib"
    write_bibtex(df, path)
    assert read_file(path)[0].iloc[0]["authors"] == ["Anderson, And A", "Sandy, B"]


# EndNote tagged and Cochrane plain text have no writer here: records are written in each
# format as those programs write them, and must read back field for field.
ENW_TYPES = {"JOUR": "Journal Article", "BOOK": "Book", "CHAP": "Book Section", "RPRT": "Report"}


def _enw_text(rows: list[dict], wrap: int) -> str:
    """Records as EndNote writes them; the abstract broken onto continuation lines every
    ``wrap`` words and the keywords one per line, the second half after a semicolon."""
    blocks = []
    for row in rows:
        words = row["abstract"].split(" ")
        abstract = "\n".join(" ".join(words[i:i + wrap]) for i in range(0, len(words), wrap))
        lines = [f"%0 {ENW_TYPES[row['ref_type']]}", *(f"%A {a}" for a in row["authors"]), f"%T {row['title']}",
                 f"%J {row['journal']}", f"%V {row['volume']}", f"%N {row['issue']}", f"%P {row['pages']}",
                 f"%R {row['doi']}", f"%M {row['pmid']}", "%~ PubMed", f"%X {abstract}"]
        if row["year"] is not None:
            lines.append(f"%D {row['year']}")
        keywords = row["keywords"]
        if keywords:
            half = (len(keywords) + 1) // 2
            lines += [f"%K {keywords[0]}", *keywords[1:half]]
            if keywords[half:]:
                lines[-1] += "; " + "; ".join(keywords[half:])
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


@SETTINGS
@given(records, st.integers(1, 6))
def test_endnote_tagged_round_trip(rows, wrap):
    df = pd.DataFrame(rows)
    read, report = read_text(_enw_text(rows, wrap), "export.txt")
    assert report.format == "refer" and report.problems == []
    _compare(df, read, CORE)
    assert read["ref_type"].tolist() == [ENW_TYPES[t] for t in df["ref_type"]]


def _cochrane_text(rows: list[dict]) -> str:
    """Records as the Cochrane Library's plain-text export writes them, after its header."""
    blocks = ["Cochrane Library\nTrials\nDate exported: 1 January 2026"]
    for n, row in enumerate(rows, start=1):
        lines = [f"Record #{n} of {len(rows)}", f"ID: {row['source_id']}", *(f"AU: {a}" for a in row["authors"]),
                 f"TI: {row['title']}", f"SO: {row['journal']}", f"VL: {row['volume']}", f"NO: {row['issue']}",
                 f"PG: {row['pages']}", f"PT: {row['ref_type']}", f"DOI: {row['doi']}", f"AB: {row['abstract']}",
                 f"PM: PUBMED {row['pmid']}"]
        if row["year"] is not None:
            lines.append(f"YR: {row['year']}")
        if row["keywords"]:
            lines.append("KY: " + "; ".join(row["keywords"]))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


@SETTINGS
@given(records)
def test_cochrane_plain_text_round_trip(rows):
    df = pd.DataFrame(rows)
    read, report = read_text(_cochrane_text(rows), "citation-export.txt")
    assert report.format == "cochrane" and report.problems == []
    _compare(df, read, CORE + ["source_id", "ref_type"])


@pytest.mark.parametrize(("ref_type", "entry", "ris"), [
    ("Journal Article", "article", "JOUR"),  # EndNote XML and tagged exports
    ("JOURNAL ARTICLE", "article", "JOUR"),
    ("Book Section", "incollection", "CHAP"),
    ("Conference Proceedings", "inproceedings", "CONF"),
    ("J", "article", "JOUR"),  # Web of Science PT
    ("article-journal", "article", "JOUR"),  # CSL-JSON
    ("Generic", "misc", "GEN"),
])
def test_a_record_type_in_any_exports_words_is_written_as_its_bibtex_and_ris_type(ref_type, entry, ris):
    records = conform(pd.DataFrame([{"record_id": "r1", "title": "Ferry crews and noise", "ref_type": ref_type}]))
    assert bibtex_text(records).startswith(f"@{entry}{{r1,")
    assert ris_text(records).startswith(f"TY  - {ris}")
