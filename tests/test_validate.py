"""`validate_project` and `reviewbench validate`: every problem with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reviewbench.cli import main
from reviewbench.pipeline import load_records
from reviewbench.project import Project, open_project
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


# --------------------------------------------------------------------------- the project as a whole

FALLS = Path(__file__).resolve().parent / "fixtures" / "falls_review" / "project"


@pytest.fixture
def falls(tmp_path) -> Project:
    """The complete falls-prevention review (valid), to break one way per test."""
    root = tmp_path / "falls"
    shutil.copytree(FALLS, root)
    return open_project(root)


def record_of(project: Project, title_start: str) -> str:
    """The id of an imported record of the publication whose title starts so."""
    records, _ = load_records(project)
    return records.loc[records["title"].str.startswith(title_start), "record_id"].iloc[0]


def append(path: Path, line: str) -> int:
    """Append one CSV row; return its line number."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def found(project: Project) -> list[tuple[str, int | None, str | None, str]]:
    return [(Path(p.path).name, p.line, p.record, p.message) for p in validate_project(project)]


def test_the_complete_fixture_review_is_valid(falls):
    assert validate_project(falls) == []


def test_a_finding_or_study_row_on_a_record_that_is_not_included(falls):
    hospital = record_of(falls, "Falls in hospital inpatients")  # excluded at title/abstract
    line = append(falls.findings_file("priya"), f"FP900,{hospital},Inpatients fell at night.,p. 2,exercise,falls_rate,,,,high,priya,2025-05-01T10:00:00Z")
    study_line = append(falls.studies_file, f"{hospital},,cohort,uk,,,,priya,2025-05-01T10:00:00Z")
    problems = found(falls)
    assert ("priya.csv", line, hospital, "finding FP900 on a record that is not an included study (excluded)") in problems
    assert ("studies.csv", study_line, hospital, "study row on a record that is not an included study (excluded)") in problems


def test_full_text_decisions_on_a_record_excluded_at_title_abstract(falls):
    children = record_of(falls, "Falls among children")
    line = append(falls.screening_dir("full_text") / "tom.csv", f"{children},include,,,tom,2025-05-02T10:00:00Z,retrieved,")
    assert any(f == "tom.csv" and l == line and r == children and m.startswith("full-text decision on a record excluded at title/abstract")
               for f, l, r, m in found(falls))


def test_an_export_not_described_and_hits_that_differ(falls):
    shutil.copy(falls.bibliography_file("embase.ris"), falls.bibliography_file("embase-rerun.ris"))
    searches = falls.searches_file
    searches.write_text(searches.read_text(encoding="utf-8").replace("hits: 15\n  - database: Embase", "hits: 16\n  - database: Embase"))
    problems = found(falls)
    assert any(f == "embase-rerun.ris" and m.startswith("this export is not described in bibliography/searches.yml") for f, _l, _r, m in problems)
    line = next(n for n, text in enumerate(searches.read_text().splitlines(), 1) if "hits: 16" in text)
    assert ("searches.yml", line, None, "searches entry 1 (MEDLINE (PubMed)): hits is 16 but pubmed.nbib holds 15 records (off by -1)") in problems


def test_placeholder_text_left_from_the_template(falls):
    falls.review_file.write_text(falls.review_file.read_text().replace("population: People aged 65", "population: <who the review is about>\nold_population: People aged 65"))
    problems = [p for p in found(falls) if "placeholder" in p[3]]
    assert problems == [("review.yml", 9, None, "population: placeholder text left from the template (<who the review is about>); write your review's own")]


def test_a_resolution_whose_reason_contradicts_its_decision(falls):
    rid = record_of(falls, "Multifactorial falls prevention")
    line = append(falls.resolutions_file("title_abstract"), f"{rid},include,wrong_context,discussed,ines,2025-05-03T10:00:00Z")
    assert ("resolutions.csv", line, rid, "the resolution is 'include' but its reason 'wrong_context' is a reason to exclude: "
            "one of the two is wrong (a note goes in 'note')") in found(falls)


def test_a_finding_on_a_record_that_is_not_imported(falls):
    line = append(falls.findings_file("tom"), "FP901,pubmed-0000000000,A finding.,p. 1,exercise,falls_rate,,,,high,tom,2025-05-04T10:00:00Z")
    assert ("tom.csv", line, "pubmed-0000000000", "finding FP901 on a record that is not among the imported records") in found(falls)


def test_findings_on_studies_still_on_their_way_in_are_an_error_only_once_complete(falls):
    tom = falls.screening_dir("full_text") / "tom.csv"
    rows = tom.read_text().splitlines()
    tai_chi = record_of(falls, "Group tai chi")
    tom.write_text("\n".join(r for r in rows if not r.startswith(tuple(_members(falls, tai_chi)))) + "\n")
    problems = [p for p in found(falls) if "provisional" in p[3]]
    assert problems and all(f in ("priya.csv", "tom.csv", "studies.csv") for f, *_ in problems)
    falls.review_file.write_text(falls.review_file.read_text().replace("status: complete", "status: in_progress"))
    assert [p for p in found(falls) if "provisional" in p[3]] == []


def _members(project: Project, record_id: str) -> list[str]:
    """Every record id of the publication ``record_id`` belongs to."""
    from reviewbench.pipeline import deduplicate_project

    clusters, _ = deduplicate_project(project)
    cluster = clusters.loc[clusters["record_id"] == record_id, "cluster_id"].iloc[0]
    return list(clusters.loc[clusters["cluster_id"] == cluster, "record_id"])


def test_the_whole_project_check_is_cached(repo_root, tmp_path, monkeypatch):
    root = tmp_path / "example"
    for folder in ("bibliography", "evidence"):
        shutil.copytree(repo_root / folder, root / folder)
    project = open_project(root)
    assert validate_project(project) == []
    assert list((root / ".cache" / "validate").glob("validate-*.pickle"))
    monkeypatch.setattr("reviewbench.validate._linked", lambda project: pytest.fail("the second check imported the project again"))
    assert validate_project(project) == []
