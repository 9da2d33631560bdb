"""Findings logs: validated appends, latest row wins, line-numbered problems."""

from __future__ import annotations

import pytest

from reviewbench.coding import load_codebook, read_findings, record_finding, record_study
from reviewbench.coding.findings import check_findings_log, finding_columns
from reviewbench.errors import ValidationError


def test_columns_follow_the_codebook(project):
    cb = load_codebook(project)
    assert finding_columns(cb) == ["finding_id", "record_id", "finding", "location", "subgroup", "tier", "region", "confidence", "coder", "timestamp"]


def test_latest_row_per_finding_wins(project):
    coded = read_findings(project, load_codebook(project))
    alex = coded[coded["coder"] == "alex"].set_index("finding_id")
    assert alex.loc["F3", "tier"] == ["tertiary"]
    assert len(coded) == 9


def test_record_finding_appends_a_validated_row(project):
    cb = load_codebook(project)
    row = record_finding(project, cb, {"finding_id": "F9", "record_id": "rec-c", "finding": "Parlour workers, p. 9", "subgroup": ["indoor", "migrant"], "tier": "primary", "coder": "kim", "confidence": "high"})
    assert row["subgroup"] == "indoor; migrant" and row["timestamp"].endswith("Z")
    text = (project.findings_dir / "kim.csv").read_text().splitlines()
    assert text[0] == ",".join(finding_columns(cb)) and text[1].startswith("F9,rec-c,")


@pytest.mark.parametrize(
    "change, fragment",
    [
        ({"subgroup": "indor"}, "unknown code(s) indor"),
        ({"tier": "primary; secondary"}, "one code allowed"),
        ({"finding": " "}, "empty finding"),
        ({"confidence": "sure"}, "confidence"),
        ({"coder": "a b"}, "coder"),
    ],
)
def test_invalid_findings_are_refused_and_nothing_written(project, change, fragment):
    row = {"finding_id": "F9", "record_id": "rec-c", "finding": "x", "subgroup": "indoor", "tier": "primary", "coder": "kim"}
    row.update(change)
    with pytest.raises(ValidationError) as err:
        record_finding(project, load_codebook(project), row)
    assert fragment in str(err.value)
    assert not (project.findings_dir / "kim.csv").exists()


def test_log_problems_name_the_line(project):
    path = project.findings_dir / "sam.csv"
    with path.open("a") as fh:
        fh.write('F6,rec-c,"A finding\nover two lines",p. 1,indoors,primary,,high,sam,2022-08-02T10:05:00Z\n')
        fh.write("F7,rec-c,Another,p. 2,indoor,primary,,high,alex,yesterday\n")
        fh.write("F8,rec-c,Too few fields\n")
    problems = {(p.line, p.message.split(":")[0]) for p in check_findings_log(path, load_codebook(project))}
    assert (6, "subgroup") in problems  # unknown code on the row starting at line 6
    assert (8, "coder 'alex' differs from the log's coder 'sam'") in problems
    assert (8, "timestamp 'yesterday' is not an ISO 8601 date-time") in problems
    assert (9, "expected 10 fields (finding_id,record_id,finding,location,subgroup,tier,region,confidence,coder,timestamp), found 3") in problems


def test_record_study_checks_sample_size(project):
    cb = load_codebook(project)
    with pytest.raises(ValidationError, match="whole number"):
        record_study(project, cb, {"record_id": "rec-c", "sample_size": "about 40", "coder": "alex"})
    row = record_study(project, cb, {"record_id": "rec-c", "sample_size": "40", "region": "london", "coder": "alex"})
    assert row["region"] == "london"
