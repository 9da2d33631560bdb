"""`reviewbench run` on a review mid-screening while blinding holds: what it writes under
`outputs/` (the executed notebooks and their HTML, which a team commits and shares) and
what `reviewbench agreement` prints hold nothing of one reviewer's decisions, reasons or
notes on the records they disagree on, and no agreement figures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reviewbench.cli import main
from reviewbench.pipeline import screening_records
from reviewbench.project import open_project
from reviewbench.screening.decisions import record_decision

pytestmark = pytest.mark.slow
EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "falls_review" / "project" / "bibliography"
TEXT = (".html", ".ipynb", ".csv", ".md", ".tex", ".ris", ".svg", ".txt", ".json")
#: what would tell one reviewer the other's decisions or the agreement
LEAKS = ("a-private-note", "b-private-note", "reviewer_a / reviewer_b", "rb-agreement", "% agreement", "PABAK</th>",
         "decision_reviewer_a", "decision_reviewer_b")


def test_run_on_a_blinded_review_writes_no_reviewers_decisions_and_agreement_prints_none(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("REVIEWBENCH_REVIEWER", raising=False)
    root = tmp_path / "my-review"
    assert main(["init", str(root)]) == 0
    for export in EXPORTS.iterdir():
        if export.name != "searches.yml":
            shutil.copy(export, root / "bibliography" / export.name)
    project = open_project(root)
    ids = list(screening_records(project, "title_abstract")[0]["record_id"])
    for rid in ids:  # reviewer_a has finished; reviewer_b is half-way and disagrees on every record
        record_decision(project, "title_abstract", "reviewer_a", rid, "include", note="a-private-note")
    for rid in ids[: len(ids) // 2]:
        record_decision(project, "title_abstract", "reviewer_b", rid, "exclude", reason="wrong_publication_type",
                        note="b-private-note")
    capsys.readouterr()
    assert main(["run", "--project", str(root)]) == 0

    page = (root / "outputs" / "notebooks" / "02-screening.html").read_text(encoding="utf-8")
    assert "is blinded" in page and f"reviewer_a {len(ids)} of {len(ids)}, reviewer_b {len(ids) // 2} of {len(ids)}" in page
    assert "wrong_publication_type" not in page  # reviewer_b's reasons
    written = [p for p in (root / "outputs").rglob("*") if p.is_file() and p.suffix in TEXT]
    assert any(p.name == "02-screening.ipynb" for p in written)
    for path in written:
        text = path.read_text(encoding="utf-8", errors="replace")
        for leak in LEAKS:
            assert leak not in text, f"{leak!r} in {path.relative_to(root)}"

    capsys.readouterr()
    main(["agreement", "--stage", "title_abstract", "--project", str(root)])
    printed = capsys.readouterr().out
    assert "blinded" in printed.lower(), printed
    for leak in ("kappa", "PABAK", "% agreement", "exclude"):
        assert leak not in printed, printed
