"""The embedded example review, run end to end through papermill in a temporary copy.

Checks what a reader of the outputs relies on: the PRISMA numbers counted from the logs,
the evidence table's content, and that the committed ``outputs/`` are exactly what a
fresh run produces (so the tables in the repository are always current).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from reviewbench.cli import main

pytestmark = pytest.mark.slow
COMPARED = ("tables", "figures", "references")


@pytest.fixture(scope="module")
def example_run(tmp_path_factory, repo_root) -> Path:
    import shutil

    root = tmp_path_factory.mktemp("e2e") / "example"
    for folder in ("bibliography", "evidence", "notebooks"):
        shutil.copytree(repo_root / folder, root / folder)
    assert main(["run", "--project", str(root)]) == 0
    return root / "outputs"


def test_prisma_counts_come_from_the_logs(example_run):
    counts = pd.read_csv(example_run / "figures" / "prisma-2020-counts.csv").set_index("box")["n"]
    assert counts["Records identified"] == 153
    assert counts["Records identified: database: PubMed"] == 47
    assert counts["Duplicate records removed"] == 82
    assert counts["Records screened"] == 71
    assert counts["Records excluded"] == 14
    assert counts["Reports sought for retrieval"] == 57
    assert counts["Reports not retrieved"] == 2
    assert counts["Reports assessed for eligibility"] == 55
    assert counts["Reports excluded"] == 6
    assert counts["Studies included in review"] == 49
    assert counts["Records screened"] - counts["Records excluded"] == counts["Reports sought for retrieval"]


def test_evidence_table_cites_the_coded_findings(example_run):
    table = pd.read_csv(example_run / "tables" / "findings-by-subgroup-and-prevention-tier.csv", dtype=str)
    table = table.set_index(table.columns[0]).fillna("")
    street_tertiary = table.loc["On-street / street-based", "Tertiary"]
    count, citations = street_tertiary.split(": ", 1)
    # The seed's finding: regional work is mostly tertiary, above all for on-street work.
    assert int(count) == max(int(c.split(":")[0]) for c in table.to_numpy().ravel() if c)
    assert "Jeal et al. 2017" in citations and "Potter et al. 2022" in citations
    assert table.loc["Trafficked / modern slavery", "Tertiary"] == ""  # a visible gap
    characteristics = pd.read_csv(example_run / "tables" / "characteristics-of-included-studies.csv")
    assert len(characteristics) == 49 and characteristics["Study"].is_unique


def test_committed_outputs_are_current(example_run, repo_root):
    committed = repo_root / "outputs"
    for sub in COMPARED:
        fresh = {p.relative_to(example_run): p.read_bytes() for p in (example_run / sub).rglob("*") if p.is_file()}
        kept = {p.relative_to(committed): p.read_bytes() for p in (committed / sub).rglob("*") if p.is_file()}
        assert sorted(fresh) == sorted(kept), f"outputs/{sub}: files differ; run `reviewbench run` and commit outputs/"
        stale = [str(name) for name in fresh if fresh[name] != kept[name]]
        assert not stale, f"outputs/{sub} is out of date ({stale[:5]}); run `reviewbench run` and commit outputs/"
