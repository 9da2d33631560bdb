"""A second, unrelated review end to end: falls prevention in older people at home.

Its own topic, team and codebook (intervention, outcome, delivery, study design, region:
nothing of the example's), four exports as databases give them (tests/fixtures/falls_review,
built by its make_fixture.py). Laid out with ``reviewbench init`` as a new user would, it
runs at three stages: nothing screened, half screened (dual screening half done, a
conflict and a ``maybe`` open, full text started, some findings coded) and complete; the
outputs carry its own dimensions at each.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from reviewbench.cli import main

pytestmark = pytest.mark.slow
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "falls_review" / "project"
EXAMPLE_DIMENSIONS = ("subgroup", "prevention", "determinant", "recommendation")


def _keep_rows(path: Path, n: int) -> None:
    """Keep the header and the first ``n`` rows of a log (an earlier moment of the review)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[: n + 1]), encoding="utf-8")


def _set_status(root: Path, status: str) -> None:
    review = root / "evidence" / "review.yml"
    review.write_text(review.read_text(encoding="utf-8").replace("status: complete", f"status: {status}"), encoding="utf-8")


def new_review(root: Path, stage: str) -> Path:
    """``reviewbench init`` and the fixture's files, as they stood at ``stage``."""
    assert main(["init", str(root)]) == 0
    for folder in ("bibliography", "evidence"):
        shutil.copytree(FIXTURE / folder, root / folder, dirs_exist_ok=True)
    screening, findings = root / "evidence" / "screening", root / "evidence" / "findings"
    if stage == "nothing":
        for log in [*screening.rglob("*.csv"), *findings.glob("*.csv")]:
            log.unlink()
        _set_status(root, "in_progress")
    elif stage == "half":
        _keep_rows(screening / "title_abstract" / "tom.csv", 12)  # the second reviewer is half way
        (screening / "title_abstract" / "resolutions.csv").unlink()  # the arbiter has not met yet
        _keep_rows(screening / "full_text" / "priya.csv", 5)
        (screening / "full_text" / "tom.csv").unlink()
        _keep_rows(findings / "priya.csv", 6)
        (findings / "tom.csv").unlink()
        (findings / "reconciliation.csv").unlink()
        _keep_rows(findings / "studies.csv", 3)
        _set_status(root, "in_progress")
    return root


def prisma(root: Path) -> pd.Series:
    return pd.read_csv(root / "outputs" / "figures" / "prisma-2020-counts.csv").set_index("box")["n"]


def carries_only_its_own_dimensions(root: Path) -> None:
    out = root / "outputs"
    for rel in ("tables/findings-by-intervention-and-outcome-counts.csv", "tables/findings-by-intervention-and-outcome.csv",
                "tables/findings-by-delivery.csv", "tables/findings-outcome-falls-rate.csv",
                "tables/evidence-tables.xlsx", "figures/gap-map-intervention-outcome.svg",
                "figures/gap-map-intervention-delivery.png", "figures/prisma-2020.svg",
                "references/references-author-year.md", "notebooks/05-prisma-and-gap-map.ipynb"):
        assert (out / rel).is_file(), rel
    names = [str(p.relative_to(out)) for p in out.rglob("*")]
    assert not [n for n in names if any(d in n for d in EXAMPLE_DIMENSIONS)]
    counts = pd.read_csv(out / "tables" / "findings-by-intervention-and-outcome-counts.csv")
    assert list(counts.columns) == ["Intervention", "Falls or fallers", "Injurious falls", "Fear of falling",
                                    "Physical function", "Uptake and adherence", "Total findings"]


def test_nothing_screened(tmp_path, capsys):
    root = new_review(tmp_path / "falls", "nothing")
    assert main(["run", "--project", str(root), "--no-html"]) == 0
    printed = capsys.readouterr().out
    assert "note: awaiting title/abstract screening: 24" in printed
    carries_only_its_own_dimensions(root)
    counts = prisma(root)
    assert counts["Records identified"] == 50 and counts["Duplicate records removed"] == 26
    assert counts["Records screened"] == 0 and counts["Open: awaiting title/abstract screening"] == 24
    assert pd.read_csv(root / "outputs" / "tables" / "characteristics-of-included-studies.csv").empty


def test_half_screened(tmp_path, capsys):
    root = new_review(tmp_path / "falls", "half")
    assert main(["run", "--project", str(root), "--no-html"]) == 0
    printed = capsys.readouterr().out
    for note in ("awaiting another title/abstract reviewer: 12", "conflicts to resolve at title/abstract: 2",
                 "'maybe' at title/abstract, to decide: 1", "awaiting another full-text reviewer: 4",
                 "awaiting full-text assessment: "):
        assert f"note: {note}" in printed, note
    carries_only_its_own_dimensions(root)
    counts = prisma(root)
    assert counts["Records screened"] == 12 and counts["Open: conflicts to resolve at title/abstract"] == 2
    assert counts["Studies included in review"] == 0  # no full-text decision is settled yet
    studies = pd.read_csv(root / "outputs" / "tables" / "characteristics-of-included-studies.csv")
    assert len(studies) and studies["Study"].str.endswith("(provisional)").all()
    assert set(studies["Screening"]) == {"awaiting another title/abstract reviewer", "conflicts to resolve at title/abstract",
                                         "'maybe' at title/abstract, to decide", "awaiting full-text assessment",
                                         "awaiting another full-text reviewer"}
    references = (root / "outputs" / "references" / "references-author-year.md").read_text(encoding="utf-8")
    assert references.count("(provisional)") == len(studies)
    # the same review, said to be complete: every open state is an error naming records
    assert main(["run", "--project", str(root), "--final", "--no-html"]) == 2
    err = capsys.readouterr().err
    assert "the review says it is complete (--final)" in err and "conflicts to resolve at title/abstract: 2 (" in err


def test_complete(tmp_path, capsys):
    root = new_review(tmp_path / "falls", "complete")
    assert main(["validate", "--project", str(root)]) == 0
    assert main(["run", "--project", str(root)]) == 0
    assert "note:" not in capsys.readouterr().out
    carries_only_its_own_dimensions(root)
    counts = prisma(root)
    assert (counts["Records screened"], counts["Records excluded"], counts["Reports sought for retrieval"]) == (24, 10, 14)
    assert (counts["Reports not retrieved"], counts["Reports excluded"], counts["Studies included in review"]) == (1, 2, 11)
    assert not any(box.startswith("Open:") for box in counts.index)
    studies = pd.read_csv(root / "outputs" / "tables" / "characteristics-of-included-studies.csv")
    assert len(studies) == counts["Reports of included studies"] == 11  # "included" means one thing
    assert "Screening" not in studies.columns and not studies["Study"].str.contains("provisional").any()
    assert list(studies.columns[4:7]) == ["Delivery", "Study design", "Region"]
    # a report focused by a filter the codebook declares
    assert main(["run", "--project", str(root), "-p", "intervention", "exercise", "--no-html"]) == 0
    focused = root / "outputs" / "intervention-exercise"
    assert (focused / "tables" / "findings-outcome-adherence.csv").is_file()
    assert (root / "outputs" / "tables" / "findings-by-delivery.csv").is_file()  # the main report is still there
    assert main(["run", "--project", str(root), "-p", "subgroup", "migrant"]) == 2
    assert "intervention" in capsys.readouterr().err
