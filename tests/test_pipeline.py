"""The glue between steps: which records each stage screens."""

from __future__ import annotations

import pytest

from reviewbench.pipeline import screening_records
from reviewbench.project import Project
from reviewbench.screening.decisions import record_decision


@pytest.fixture
def project(screening_project: Project) -> Project:
    return screening_project


def test_title_abstract_screens_every_unique_record_in_file_order(project):
    records, clusters = screening_records(project, "title_abstract")
    assert len(records) == 12 and len(clusters) == 12
    assert records["source_id"].tolist() == [f"T{i:02d}" for i in range(1, 13)]


def test_full_text_screens_title_abstract_inclusions_and_maybes(project):
    ids = list(screening_records(project, "title_abstract")[0]["record_id"])
    for rid, a, s in [(ids[0], "include", "include"), (ids[1], "maybe", "maybe"),
                      (ids[2], "exclude", "exclude"), (ids[3], "include", "exclude")]:
        record_decision(project, "title_abstract", "alex", rid, a)
        record_decision(project, "title_abstract", "sam", rid, s)
    full, _ = screening_records(project, "full_text")
    assert full["record_id"].tolist() == [ids[0], ids[1]]  # the conflict waits for its resolution
