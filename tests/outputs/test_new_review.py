"""A new user's review, as the issue found it: `reviewbench init`, exports in bibliography/,
`reviewbench run` at every stage before the review is complete. Each run writes a full
outputs/ and prints what is open as notes; none stops."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from reviewbench.cli import main
from reviewbench.logs import append_rows
from reviewbench.pipeline import screening_records
from reviewbench.project import open_project
from reviewbench.screening.decisions import RESOLUTION_COLUMNS, record_decision, resolutions_path

pytestmark = pytest.mark.slow
EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "falls_review" / "project" / "bibliography"
FULL = ("tables/characteristics-of-included-studies.csv", "tables/evidence-tables.xlsx", "tables/evidence-tables.docx",
        "figures/prisma-2020.svg", "figures/prisma-2020-counts.csv", "figures/screening-progress.png",
        "references/references-numbered.md", "references/included-studies.ris",
        "notebooks/04-evidence-tables.ipynb", "notebooks/05-prisma-and-gap-map.ipynb")


def _decide(project, stage, reviewer, rid, decision, reason=""):
    retrieval = "retrieved" if stage == "full_text" else ""
    record_decision(project, stage, reviewer, rid, decision, reason, retrieval=retrieval)


def six_decisions(project, ids):
    for rid in ids[:3]:
        for reviewer in ("reviewer_a", "reviewer_b"):
            _decide(project, "title_abstract", reviewer, rid, "include")


def one_conflict(project, ids):
    _decide(project, "title_abstract", "reviewer_a", ids[0], "include")
    _decide(project, "title_abstract", "reviewer_b", ids[0], "exclude", "wrong_population")


def one_maybe(project, ids):
    for reviewer in ("reviewer_a", "reviewer_b"):
        _decide(project, "title_abstract", reviewer, ids[0], "maybe")


def full_text_on_excluded(project, ids):
    """The arbiter resolved every conflict, but three records excluded at title/abstract
    still have full-text decisions (assessed while their conflict was open)."""
    for n, rid in enumerate(ids):
        a, b = ("include", "exclude") if n < 3 else ("include", "include") if n % 2 else ("exclude", "exclude")
        _decide(project, "title_abstract", "reviewer_a", rid, a, "" if a == "include" else "wrong_context")
        _decide(project, "title_abstract", "reviewer_b", rid, b, "" if b == "include" else "wrong_context")
        if n < 3:
            for reviewer in ("reviewer_a", "reviewer_b"):
                _decide(project, "full_text", reviewer, rid, "include")
            _resolve(project, rid)


def _resolve(project, rid):
    """The arbiter settles the conflict on ``rid``: excluded."""
    append_rows(resolutions_path(project, "title_abstract"), [{"record_id": rid, "decision": "exclude", "reason": "wrong_context",
                "note": "", "reviewer": "arbiter", "timestamp": "2025-06-01T10:00:00Z"}], RESOLUTION_COLUMNS)


STATES = {"no decisions": (None, []), "six decisions": (six_decisions, []), "one conflict": (one_conflict, []),
          "one maybe": (one_maybe, []), "stage title_abstract": (six_decisions, ["-p", "stage", "title_abstract"]),
          "full text on excluded records": (full_text_on_excluded, [])}
NOTES = {"no decisions": "awaiting title/abstract screening: 24", "six decisions": "awaiting full-text assessment: 3",
         "one conflict": "conflicts to resolve at title/abstract: 1", "one maybe": "'maybe' at title/abstract, to decide: 1",
         "stage title_abstract": "awaiting title/abstract screening: 21",
         "full text on excluded records": "full-text decisions on records excluded at title/abstract (not counted): 3"}


@pytest.mark.parametrize("state", list(STATES))
def test_a_new_review_reports_at_every_stage(tmp_path, capsys, state):
    root = tmp_path / "my-review"
    assert main(["init", str(root)]) == 0
    for export in EXPORTS.iterdir():
        if export.name != "searches.yml":
            shutil.copy(export, root / "bibliography" / export.name)
    project = open_project(root)
    build, extra = STATES[state]
    if build is not None:
        build(project, list(screening_records(project, "title_abstract")[0]["record_id"]))
    capsys.readouterr()
    assert main(["run", "--project", str(root), "--no-html", "--notebook", "04", "--notebook", "05", *extra]) == 0
    printed = capsys.readouterr().out
    assert f"note: {NOTES[state]}" in printed, printed
    assert "is not described in searches.yml" in printed  # the template's searches.yml lists none yet
    folder = root / ("outputs/stage-title_abstract" if extra else "outputs")
    for rel in FULL:
        assert (folder / rel).is_file(), rel
    counts = pd.read_csv(folder / "figures" / "prisma-2020-counts.csv").set_index("box")["n"]
    assert counts["Records identified"] == 50
    assert any(box.startswith("Open: ") for box in counts.index)
