"""`validate_project` and `reviewbench validate`: every problem with file and line."""

from __future__ import annotations

import pytest

from reviewbench.cli import main
from reviewbench.project import Project
from reviewbench.validate import validate_project


@pytest.fixture
def project(coding_project: Project) -> Project:
    return coding_project


def messages(project):
    return [(p.path.split("review/")[-1], p.line, p.message) for p in validate_project(project)]


def test_fixture_project_is_valid(project):
    assert validate_project(project) == []


def test_cli_reports_success_and_failure(project, capsys):
    assert main(["validate", "--project", str(project.root)]) == 0
    (project.screening_dir("title_abstract") / "alex.csv").open("a").write("rec-z,perhaps,,,alex,2022-06-13T09:03:00Z\n")
    assert main(["validate", "--project", str(project.root)]) == 2
    err = capsys.readouterr().err
    assert "evidence/screening/title_abstract/alex.csv, line 5, record rec-z: decision 'perhaps' is not one of include, exclude, maybe" in err
    assert "Traceback" not in err


def test_screening_log_checks(project):
    path = project.screening_dir("title_abstract") / "alex.csv"
    with path.open("a") as fh:
        fh.write(",include,,,alex,2022-06-13T09:03:00Z\n")
        fh.write("rec-y,exclude,wrong_reason,,alex,2022-06-13T09:04:00Z\n")
        fh.write("rec-w,include,,,sam,2022-06-13T09:05:00Z\n")
    found = messages(project)
    assert ("evidence/screening/title_abstract/alex.csv", 5, "empty record_id") in found
    assert any(line == 6 and "reason 'wrong_reason' is not an exclusion reason" in m for _f, line, m in found)
    assert any(line == 7 and "differs from the file's reviewer 'alex'" in m for _f, line, m in found)


def test_full_text_log_needs_retrieval_columns(project):
    folder = project.screening_dir("full_text")
    folder.mkdir(parents=True)
    (folder / "alex.csv").write_text("record_id,decision,reason,note,reviewer,timestamp\nrec-a,include,,,alex,2022-07-01T09:00:00Z\n")
    (folder / "sam.csv").write_text("record_id,decision,reason,note,reviewer,timestamp,retrieval,pdf\nrec-a,include,,,sam,2022-07-01T09:00:00Z,lost,\n")
    found = messages(project)
    assert any(f.endswith("full_text/alex.csv") and line == 1 and "missing column(s) retrieval, pdf" in m for f, line, m in found)
    assert any(f.endswith("full_text/sam.csv") and line == 2 and "retrieval 'lost'" in m for f, line, m in found)


def test_yaml_files_are_checked_with_lines(project):
    project.review_file.write_text("title: A review\nstages:\n  title_abstract: {reviewers_per_record: 0}\n  abstracts: {}\n")
    project.searches_file.write_text("searches:\n  - database: PubMed\n    date: 1 June\n    query: x\n    hits: many\n")
    found = messages(project)
    assert ("evidence/review.yml", 1, "missing 'question' (text)") in found
    assert any(f == "evidence/review.yml" and line == 3 and "reviewers_per_record" in m for f, line, m in found)
    assert any(f == "evidence/review.yml" and line == 4 and "unknown stage 'abstracts'" in m for f, line, m in found)
    assert any(f == "bibliography/searches.yml" and line == 3 and "is not a date" in m for f, line, m in found)
    assert any(f == "bibliography/searches.yml" and line == 5 and "hits must be a whole number" in m for f, line, m in found)


def test_codebook_and_findings_problems(project):
    text = project.codebook_file.read_text().replace("    multi: false\n    codes:\n      primary:", "    multi: maybe\n    codes:\n      primary:")
    project.codebook_file.write_text(text)
    found = messages(project)
    assert any(f == "evidence/codebook.yml" and "multi: true" in m for f, _l, m in found)
    assert any("findings logs exist but the codebook is missing or invalid" in m for _f, _l, m in found)


def test_reconciliation_and_studies_logs_are_checked(project):
    (project.findings_dir / "reconciliation.csv").write_text("finding_id,dimension,codes,note,reconciler,timestamp\nF2,subgroup,indoors,,jo,2022-09-01T00:00:00Z\n")
    with (project.findings_dir / "studies.csv").open("a") as fh:
        fh.write("rec-c,,paris,France,12,,alex,2022-08-01T08:02:00Z\n")
    found = messages(project)
    assert ("evidence/findings/reconciliation.csv", 2, "subgroup: unknown code(s) indoors") in found
    assert any(f == "evidence/findings/studies.csv" and line == 4 and "region: unknown code(s) paris" in m for f, line, m in found)


def test_dedup_decisions_header_is_read(project):
    path = project.dedup_decisions_file
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xff\xfe\x00garbage")
    found = messages(project)
    assert any(f.endswith("dedup/decisions.csv") for f, _l, _m in found)


def test_retract_is_valid_for_reviewers_but_not_for_the_arbiter(project):
    folder = project.screening_dir("title_abstract")
    (folder / "alex.csv").open("a").write("rec-a,retract,,undo,alex,2022-06-13T09:09:00Z\n")
    assert validate_project(project) == []
    (folder / "resolutions.csv").write_text(
        "record_id,decision,reason,note,reviewer,timestamp\nrec-a,retract,,,jo,2022-06-14T09:00:00Z\n"
    )
    found = messages(project)
    assert any(f.endswith("resolutions.csv") and line == 2 and "'retract' is not one of include, exclude, maybe" in m for f, line, m in found)


def test_dedup_decision_values_are_checked_with_lines(project):
    path = project.dedup_decisions_file
    path.parent.mkdir(parents=True)
    path.write_text(
        "record_id,other_record_id,decision,reviewer,note,timestamp\n"
        "rec-a,rec-b,same,jo,,2022-06-01T09:00:00Z\n"
        "rec-a,rec-c,probably,jo,,2022-06-01T09:01:00Z\n"
    )
    found = messages(project)
    assert any(f.endswith("dedup/decisions.csv") and line == 3 and "'probably'" in m for f, line, m in found)
