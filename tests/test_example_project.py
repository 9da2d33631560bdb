"""The embedded example review is consistent: every decision names an imported record,
every export holds the number of records its search reported."""

from reviewbench.logs import read_log
from reviewbench.pipeline import deduplicate_project, load_records, to_cluster_ids
from reviewbench.project import open_project

TA = ["record_id", "decision", "reason", "note", "reviewer", "timestamp"]
FT = TA + ["retrieval", "pdf"]


def test_searches_yml_hits_match_the_exports(repo_root):
    project = open_project(repo_root)
    records, report = load_records(project)
    assert not report.problems
    counts = records["source_file"].value_counts().to_dict()
    searches = project.searches()
    entries = searches["searches"] + searches["other_methods"]
    assert {e["file"]: e["hits"] for e in entries} == counts
    assert sorted(p.name for p in project.bibliography_files()) == sorted(counts)


def test_example_has_at_least_60_publications_across_overlapping_exports(repo_root):
    project = open_project(repo_root)
    records, _ = load_records(project)
    clusters, unique = deduplicate_project(project, records)
    assert len(unique) >= 60
    assert len(records) > len(unique) * 1.5  # the databases overlap
    multi_source = unique[unique["member_ids"].map(len) >= 3]
    assert len(multi_source) >= 10


def test_every_decision_names_an_imported_publication(repo_root):
    project = open_project(repo_root)
    records, _ = load_records(project)
    clusters, unique = deduplicate_project(project, records)
    known = set(clusters["record_id"])
    for stage, cols in (("title_abstract", TA), ("full_text", FT)):
        for log in sorted(project.screening_dir(stage).glob("*.csv")):
            df = read_log(log, TA if log.name == "resolutions.csv" else cols)
            missing = set(df["record_id"]) - known
            assert not missing, f"{log.name} names records that are not imported: {sorted(missing)[:3]}"
            assert set(to_cluster_ids(df["record_id"], clusters)) <= set(unique["record_id"])
