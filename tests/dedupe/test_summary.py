"""Counts per source for the deduplication notebook: each source named as searches.yml names it."""

from __future__ import annotations

from reviewbench.dedupe import link_records, rule_counts, source_counts
from reviewbench.dedupe.summary import SOURCE_COLUMNS

from .helpers import make_records

PAPER = {"title": "Outreach clinics for women selling sex in Hull", "authors": ["Whitlock, S"], "year": 2019,
         "doi": "10.1000/hull.1"}
OTHER = {"title": "Violence against street-based sex workers in Leeds", "authors": ["Okafor, N"], "year": 2020,
         "doi": "10.1000/leeds.2"}


def _records():
    # The PubMed export says MEDLINE in its records; the CINAHL export names no database;
    # the Scopus search came as two files.
    return make_records([
        dict(PAPER, source_file="pubmed.nbib", source_db="MEDLINE"),
        dict(OTHER, source_file="pubmed.nbib", source_db="MEDLINE"),
        dict(PAPER, source_file="scopus-2.ris", source_db="Scopus"),
        dict(OTHER, source_file="scopus-1.ris", source_db="Scopus"),
        dict(PAPER, source_file="cinahl.bib", source_db=""),
        dict(PAPER, title="A thesis found by hand", doi="", source_file="extra.csv", source_db="Google"),
    ])


SOURCES = {"pubmed.nbib": "PubMed", "scopus-1.ris": "Scopus", "scopus-2.ris": "Scopus", "cinahl.bib": "CINAHL"}


def test_each_source_is_named_as_searches_yml_names_it_with_its_files_in_their_own_column():
    records = _records()
    table = source_counts(records, link_records(records).clusters, SOURCES)
    assert list(table.columns) == SOURCE_COLUMNS
    assert table[["source", "file", "records", "publications", "shared", "only_here"]].values.tolist() == [
        ["PubMed", "pubmed.nbib", 2, 2, 2, 0],
        ["Scopus", "scopus-1.ris; scopus-2.ris", 2, 2, 2, 0],
        ["CINAHL", "cinahl.bib", 1, 1, 1, 0],
        ["extra.csv (not in searches.yml)", "extra.csv", 1, 1, 0, 1],
        ["all sources", "", 6, 3, 2, 1],
    ]
    assert table["duplicates_removed"].tolist() == [0, 0, 0, 0, 3]
    assert "MEDLINE" not in set(table["source"])  # the database an export writes is not a second name for the search


def test_without_searches_yml_each_export_is_its_own_source_named_by_its_file():
    records = _records()
    table = source_counts(records, link_records(records).clusters)
    assert table["source"].tolist() == ["cinahl.bib", "extra.csv", "pubmed.nbib", "scopus-1.ris", "scopus-2.ris", "all sources"]
    assert table["source"].iloc[:-1].tolist() == table["file"].iloc[:-1].tolist()


def test_rule_counts_name_each_rule_once():
    records = _records()
    counts = rule_counts(link_records(records).clusters)
    assert list(counts.columns) == ["rule", "records"] and counts["records"].sum() == len(records)
