"""Retrieval agrees with the links: the retrieval table, PRISMA's retrieval rows and the
checks of ``validate`` on a small review whose full texts are linked."""

from __future__ import annotations

import pytest

from fulltext.project import cluster_ids, make_project
from reviewbench.fulltext.links import confirm_links
from reviewbench.outputs.prisma import prisma_counts, prisma_notes
from reviewbench.outputs.prisma.checks import reconcile
from reviewbench.outputs.retrieval import retrieval_table
from reviewbench.outputs.review_data import load_review_data
from reviewbench.screening.decisions import record_decision
from reviewbench.validate import validate_project


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.delenv("REVIEWBENCH_REVIEWER", raising=False)
    return make_project(tmp_path)


def _link(project, rid: str, sha: str) -> None:
    confirm_links(project, [{"record_id": rid, "file": f"fulltext/{sha[0]}.pdf", "sha256": sha, "method": "title"}], "alex")


def test_retrieval_table_and_prisma_rows_follow_the_links(project) -> None:
    ids = cluster_ids(project)
    _link(project, ids["R1"], "a" * 64)
    record_decision(project, "full_text", "alex", ids["R1"], "include")
    record_decision(project, "full_text", "alex", ids["R2"], "exclude", "not available from library or author", retrieval="not_retrieved")
    data = load_review_data(project, cache=False)
    table = retrieval_table(data).frame
    # R3 is sought and has nothing yet (listed first); R4 is a 'maybe', not sought
    assert list(zip(table["record_id"], table["retrieval"])) == [
        (ids["R3"], "to retrieve"), (ids["R1"], "linked"), (ids["R2"], "not_retrieved")]
    assert table.loc[table["record_id"] == ids["R1"], "files"].item() == "fulltext/a.pdf"
    counts = prisma_counts(data)
    rows = dict(zip(counts.as_table()["box"], counts.as_table()["n"]))
    assert rows["Reports sought for retrieval"] == 3 and rows["Reports not retrieved"] == 1
    assert rows["Reports sought: PDF linked"] == 1 and rows["Reports sought: to retrieve"] == 1
    assert any("to retrieve" in note and ids["R3"] in note for note in prisma_notes(counts))
    assert not [p for p in validate_project(project) if "links.csv" in p.path]


def test_a_linked_report_marked_not_retrieved_is_named(project) -> None:
    ids = cluster_ids(project)
    record_decision(project, "full_text", "alex", ids["R2"], "exclude", "not available from library or author", retrieval="not_retrieved")
    _link(project, ids["R2"], "b" * 64)
    _link(project, ids["R5"], "c" * 64)  # excluded at title/abstract
    counts = prisma_counts(load_review_data(project, cache=False))
    assert counts.linked_but_not_retrieved == [ids["R2"]]
    assert any(m.box == "Reports not retrieved" and ids["R2"] in m.detail for m in reconcile(counts))
    problems = {p.record: p.message for p in validate_project(project) if "links.csv" in p.path}
    assert "marked not retrieved" in problems[ids["R2"]] and "excluded at title/abstract" in problems[ids["R5"]]


def test_a_review_without_links_shows_no_retrieval_rows(project) -> None:
    counts = prisma_counts(load_review_data(project, cache=False))
    assert not counts.uses_links
    assert not any("PDF linked" in box for box in counts.as_table()["box"])
