"""A small review project built in a temporary folder for the output tests.

The bibliography, review.yml and codebook.yml are static fixtures
(``tests/fixtures/outputs/project``); decisions and findings are written here, keyed by
title, because record ids come from the importer. Titles, authors and findings carry
``<script>``, ``=HYPERLINK(...)`` and ``\\input{/etc/passwd}`` on purpose.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reviewbench.logs import append_rows

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "outputs" / "project"
REPO = Path(__file__).resolve().parents[2]
SCREEN_COLUMNS = ["record_id", "decision", "reason", "note", "reviewer", "timestamp"]
FULL_TEXT_COLUMNS = SCREEN_COLUMNS + ["retrieval", "pdf"]

# title fragment -> (title/abstract decision, reason, full-text decision, reason, retrieval)
PLAN = {
    "parlour-based": ("include", "", "include", "", "retrieved"),
    "sex work laws": ("include", "", "include", "", "retrieved"),
    "Migrant workers in the UK": ("include", "", "include", "", "retrieved"),
    "Trans sex workers": ("include", "", "include", "", "retrieved"),
    "Cardiac outcomes": ("exclude", "not_sex_work_population", None, None, None),
    "sub-Saharan": ("exclude", "non_uk_setting", None, None, None),
    "Access to general practice": ("include", "", "include", "", "retrieved"),
    "Editorial": ("conflict", "", "exclude", "no_primary_data", "retrieved"),
    "Indoor sex workers in Yorkshire": ("include", "", "include", "", "retrieved"),
    "housing in Leeds": ("include", "", "exclude", "thesis under embargo", "not_retrieved"),
}
EXPECTED_PRISMA = {
    "records_identified": 11, "duplicates_removed": 1, "records_screened": 10, "records_excluded": 2,
    "reports_sought": 8, "reports_not_retrieved": 1, "reports_assessed": 7, "reports_included": 6,
    "studies_included": 6,
}
FINDINGS = [
    # title fragment, finding, subgroup, tier, layer, theme, recommendation area
    ("parlour-based", "Street-based women had more unmet health needs than parlour-based women",
     "on_street; indoor", "secondary", "living_working", "sexual_health; access", "wider_determinants"),
    ("parlour-based", "Street-based women were rarely registered with a GP", "on_street", "tertiary",
     "individual", "access", ""),
    ("sex work laws", "Repressive policing was associated with violence", "on_street; indoor", "primary",
     "structural", "violence", "wider_determinants"),
    ("Migrant workers in the UK", '=HYPERLINK("http://evil.invalid","click") migrants feared immigration checks',
     "migrant", "primary", "structural", "violence", "subgroups"),
    ("Trans sex workers", "<script>alert('finding')</script> trans workers avoided clinics", "trans", "secondary",
     "living_working", "sexual_health", "subgroups"),
    ("Access to general practice", r"\input{/etc/passwd} women valued flexible GP appointments", "on_street",
     "tertiary", "living_working", "access", ""),
    ("Indoor sex workers in Yorkshire", "@SUM(A1) indoor workers relied on peer networks for safety", "indoor",
     "primary", "community", "violence", "wider_determinants"),
]
DESIGNS = {
    "parlour-based": "cross_sectional", "sex work laws": "cross_sectional", "Migrant workers in the UK": "qualitative",
    "Trans sex workers": "cross_sectional", "Access to general practice": "qualitative",
    "Indoor sex workers in Yorkshire": "grey",
}


def ids_by_fragment(project) -> dict[str, str]:
    """Title fragment -> record id (the *last* member of a cluster, to exercise cluster mapping)."""
    from reviewbench.pipeline import load_records

    records, _ = load_records(project)
    out = {}
    for fragment in PLAN:
        matches = sorted(records.loc[records["title"].str.contains(fragment, regex=False), "record_id"])
        assert matches, fragment
        out[fragment] = matches[-1]
    return out


def build_project(root: Path, plan: dict = PLAN, findings: list = FINDINGS) -> Path:
    """Copy the fixture and write its screening and findings logs; returns the project root."""
    from reviewbench.project import open_project

    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    project = open_project(root)
    ids = ids_by_fragment(project)
    ta = project.screening_dir("title_abstract")
    ft = project.screening_dir("full_text")
    t = 0
    for fragment, (ta_dec, ta_reason, ft_dec, ft_reason, retrieval) in plan.items():
        rid = ids[fragment]
        for reviewer in ("ann", "ben"):
            t += 1
            decision = ta_dec if ta_dec != "conflict" else ("include" if reviewer == "ann" else "exclude")
            reason = ta_reason if decision == "exclude" else ""
            if ta_dec == "conflict" and decision == "exclude":
                reason = "no_primary_data"
            append_rows(ta / f"{reviewer}.csv", [{
                "record_id": rid, "decision": decision, "reason": reason, "note": "", "reviewer": reviewer,
                "timestamp": f"2024-02-0{1 + t % 5}T10:{t:02d}:00Z"}], SCREEN_COLUMNS)
            if ft_dec is not None:
                append_rows(ft / f"{reviewer}.csv", [{
                    "record_id": rid, "decision": ft_dec, "reason": ft_reason, "note": "", "reviewer": reviewer,
                    "timestamp": f"2024-03-01T10:{t:02d}:00Z", "retrieval": retrieval, "pdf": ""}], FULL_TEXT_COLUMNS)
        if ta_dec == "conflict":
            append_rows(ta / "resolutions.csv", [{
                "record_id": rid, "decision": "include", "reason": "", "note": "resolved", "reviewer": "cy",
                "timestamp": "2024-02-10T09:00:00Z"}], SCREEN_COLUMNS)
    finding_cols = ["finding_id", "record_id", "finding", "location", "subgroup", "prevention_tier",
                    "determinant_layer", "health_theme", "recommendation_area", "study_design", "confidence",
                    "coder", "timestamp"]
    rows = []
    for n, (fragment, text, sub, tier, layer, theme, area) in enumerate(findings, 1):
        rows.append({"finding_id": f"F{n:03d}", "record_id": ids[fragment], "finding": text, "location": f"p. {n}",
                     "subgroup": sub, "prevention_tier": tier, "determinant_layer": layer, "health_theme": theme,
                     "recommendation_area": area, "study_design": "", "confidence": "high", "coder": "cara",
                     "timestamp": f"2024-04-01T10:{n:02d}:00Z"})
    append_rows(project.findings_dir / "cara.csv", rows, finding_cols)
    study_rows = [{"record_id": ids[f], "study_design": d, "country": "UK", "sample_size": "", "note": "",
                   "coder": "cara", "timestamp": "2024-04-02T10:00:00Z"} for f, d in DESIGNS.items()]
    append_rows(project.findings_dir / "studies.csv", study_rows,
                ["record_id", "study_design", "country", "sample_size", "note", "coder", "timestamp"])
    return root


@pytest.fixture
def project_root(tmp_path: Path) -> Path:
    return build_project(tmp_path / "review")


@pytest.fixture
def project(project_root: Path):
    from reviewbench.project import open_project

    return open_project(project_root)


@pytest.fixture
def review_data(project):
    from reviewbench.outputs.review_data import load_review_data

    return load_review_data(project)
