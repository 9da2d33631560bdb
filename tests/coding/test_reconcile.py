"""Reconciliation round trip and the reconciled findings the outputs use."""

from __future__ import annotations

import re

import pytest

from reviewbench.coding import coded_findings, disagreements, load_codebook, reconcile, study_characteristics
from reviewbench.errors import ValidationError


def test_unresolved_disagreements_keep_every_code_and_are_flagged(project):
    found = coded_findings(project).set_index("finding_id")
    assert list(found.index) == ["F1", "F2", "F3", "F4", "F5"]
    assert found.loc["F2", "subgroup"] == ["indoor", "migrant"]
    assert found.loc["F2", "unresolved"] == ["subgroup"]
    assert found.loc["F3", "tier"] == ["secondary", "tertiary"]
    assert found.loc["F1", "unresolved"] == [] and found.loc["F1", "coder"] == "alex; sam"
    assert found.loc["F5", "n_coders"] == 1


def test_reconciliation_round_trip(project):
    open_ = disagreements(project)
    assert sorted(zip(open_["finding_id"], open_["dimension"])) == [("F2", "subgroup"), ("F3", "tier"), ("F4", "subgroup")]
    assert set(open_["status"]) == {"unresolved"}

    reconcile(project, "F2", "subgroup", "indoor", "jo", note="migration not stated")
    reconcile(project, "F3", "tier", ["tertiary"], "jo")
    reconcile(project, "F3", "tier", ["secondary"], "jo", note="changed my mind")  # latest wins

    after = disagreements(project).set_index(["finding_id", "dimension"])
    assert after.loc[("F2", "subgroup"), "status"] == "resolved"
    assert after.loc[("F3", "tier"), "resolution"] == ["secondary"]
    assert after.loc[("F4", "subgroup"), "status"] == "unresolved"

    found = coded_findings(project).set_index("finding_id")
    assert found.loc["F2", "subgroup"] == ["indoor"] and found.loc["F2", "unresolved"] == []
    assert found.loc["F3", "tier"] == ["secondary"]
    assert found.loc["F4", "unresolved"] == ["subgroup"]
    log = (project.findings_dir / "reconciliation.csv").read_text().splitlines()
    assert log[0] == "finding_id,dimension,codes,note,reconciler,timestamp" and len(log) == 4


@pytest.mark.parametrize(
    "finding, dimension, codes, reconciler, fragment",
    [
        ("F2", "subgroup", "indoors", "jo", "unknown code(s) indoors"),
        ("F3", "tier", "primary; secondary", "jo", "one code allowed"),
        ("F3", "tiers", "primary", "jo", "unknown dimension"),
        ("F3", "tier", "primary", "", "reconciler"),
    ],
)
def test_invalid_reconciliation_writes_nothing(project, finding, dimension, codes, reconciler, fragment):
    with pytest.raises(ValidationError, match=re.escape(fragment)):
        reconcile(project, finding, dimension, codes, reconciler)
    assert not (project.findings_dir / "reconciliation.csv").exists()


def test_study_level_dimensions_are_inherited_by_findings(project):
    found = coded_findings(project).set_index("finding_id")
    assert found.loc["F1", "region"] == ["london"], "blank region inherits rec-a's"
    assert found.loc["F4", "region"] == ["bristol"]
    assert found.loc["F5", "region"] == [], "rec-c has no study row"


def test_study_characteristics(project):
    studies = study_characteristics(project).set_index("record_id")
    assert list(studies.index) == ["rec-a", "rec-b", "rec-c"], "rec-c has findings but no study row"
    assert studies.loc["rec-c", "subgroup"] == [] and not studies.loc["rec-c", "coded"]
    assert studies.loc["rec-c", "n_findings"] == 1
    chosen = study_characteristics(project, ["rec-b", "rec-z"])
    assert list(chosen["record_id"]) == ["rec-b", "rec-z"] and chosen["coded"].tolist() == [True, False]
    assert studies.loc["rec-a", "subgroup"] == ["on_street", "indoor"]
    assert studies.loc["rec-a", "sample_size"] == 120
    assert studies.loc["rec-b", "sample_size"] is not None and str(studies.loc["rec-b", "sample_size"]) == "<NA>"
    assert studies.loc["rec-a", "n_findings"] == 2 and studies.loc["rec-b", "n_findings"] == 2
    assert load_codebook(project).dimensions["region"].level == "study"


def test_reconciled_confidence_is_the_lowest(project):
    found = coded_findings(project).set_index("finding_id")
    assert found.loc["F2", "confidence"] == "medium"  # alex high, sam medium
    assert found.loc["F4", "confidence"] == "low"  # alex low, sam high
