"""An open coding disagreement: its dissenting codes are kept in the tables but not counted in a gap map."""

from __future__ import annotations

import pandas as pd

from reviewbench.coding import coded_findings, load_codebook, reconcile
from reviewbench.coding.findings import record_finding
from reviewbench.outputs.gapmap import gap_matrix


def _two_coders(project, cb, a_codes, b_codes):
    for coder, codes in (("ann", a_codes), ("ben", b_codes)):
        record_finding(project, cb, {"finding_id": "G1", "record_id": "rec-a", "finding": "Street workers lacked clinics.",
                                     "coder": coder, "subgroup": codes, "tier": "primary"})


def test_a_dissenting_code_is_not_counted_until_resolved(project):
    cb = load_codebook(project)
    _two_coders(project, cb, ["on_street"], ["on_street", "indoor"])
    row = coded_findings(project).set_index("finding_id").loc["G1"]
    assert set(row["subgroup"]) == {"on_street", "indoor"}  # kept in the tables, flagged
    assert "subgroup" in row["unresolved"] and row["disputed"] == {"subgroup": ["indoor"]}
    only = coded_findings(project)
    only = only[only["finding_id"] == "G1"]
    counts, _studies = gap_matrix(only, cb, "subgroup", "tier")
    assert counts.at["on_street", "primary"] == 1 and counts.at["indoor", "primary"] == 0
    reconcile(project, "G1", "subgroup", ["on_street", "indoor"], "jo", "both apply", codebook=cb)
    only = coded_findings(project)
    only = only[only["finding_id"] == "G1"]
    assert only.iloc[0]["disputed"] == {}
    counts, _studies = gap_matrix(only, cb, "subgroup", "tier")
    assert counts.at["indoor", "primary"] == 1


def test_a_table_without_the_disputed_column_counts_as_before(project):
    cb = load_codebook(project)
    findings = pd.DataFrame({"finding_id": ["X"], "record_id": ["r"], "subgroup": [["indoor"]], "tier": [["primary"]]})
    counts, studies = gap_matrix(findings, cb, "subgroup", "tier")
    assert counts.at["indoor", "primary"] == 1 and studies.at["indoor", "primary"] == 1
