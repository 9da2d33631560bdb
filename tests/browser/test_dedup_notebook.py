"""The deduplication notebook as a reviewer uses it, in JupyterLab and headless chromium:
opened as committed, Run All Cells, who you are picked in the app, nothing edited.

The project is the example review plus one export (``tests/fixtures/dedupe/uncertain_pair.csv``)
holding two records of one publication whose first pages differ: the one pair a person must
decide. Deciding it *Same* in the app appends the decision with the reviewer's name, and the
next run merges the pair by the team's decision and has nothing left to ask.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reviewbench.dedupe.decisions import read_decisions

from .conftest import REPO, open_and_run_all, shots_folder

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _project(lab, name: str) -> Path:
    root = lab.root / name
    for folder in ("bibliography", "evidence"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "tests" / "fixtures" / "dedupe" / "uncertain_pair.csv", root / "bibliography" / "uncertain_pair.csv")
    (root / "notebooks").mkdir()
    shutil.copy(REPO / "notebooks" / "01-deduplication-review.ipynb", root / "notebooks")
    return root


def test_a_reviewer_decides_the_uncertain_pair_in_the_app_and_the_next_run_merges_it(module_lab, browser, tmp_path):
    from playwright.sync_api import expect

    root = _project(module_lab, "dedup")
    decisions = root / "evidence" / "dedup" / "decisions.csv"
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    shots = shots_folder(tmp_path)
    try:
        open_and_run_all(page, module_lab, "dedup/notebooks/01-deduplication-review.ipynb")
        app = page.locator(".rb-dedup-app")
        expect(app).to_contain_text("Pick who you are")
        expect(app.get_by_role("button", name="Same")).to_have_count(0)  # no decision before a name
        page.screenshot(path=shots / "0-opened.png")

        app.locator(".rb-pick-reviewer select").select_option(label="sam (screener)")
        pair = app.locator("table.rb-pair")
        expect(pair).to_contain_text("pair 1 of 1")
        expect(pair.locator("mark.rb-diff", has_text="301-308")).to_have_count(1)  # what differs is marked
        expect(pair.locator("mark.rb-diff", has_text="310-318")).to_have_count(1)
        app.screenshot(path=shots / "1-pair.png")
        app.get_by_role("button", name="Same").click()
        expect(app).to_contain_text("No pairs left to review.")
        expect(app).to_contain_text("recorded same: uncertain_pair-")
        expect(app.get_by_role("button", name="Same")).to_be_disabled()

        rows = read_decisions(decisions)
        assert [(r["decision"], r["reviewer"]) for r in rows.to_dict("records")] == [("same", "sam")]
        pair_ids = {rows.loc[0, "record_id"], rows.loc[0, "other_record_id"]}
        assert len(pair_ids) == 2 and all(rid.startswith("uncertain_pair-") for rid in pair_ids)  # the export's two records
        expect(app).to_contain_text(f"recorded same: {rows.loc[0, 'record_id']} / {rows.loc[0, 'other_record_id']}")

        # the next run: the team's decision merges the pair, and nothing is left to decide
        open_and_run_all(page, module_lab, "dedup/notebooks/01-deduplication-review.ipynb")
        expect(app).to_contain_text("No uncertain pairs: there is nothing to decide.")
        merged = page.locator(".rb-table", has_text="Records by the rule that merged them")
        expect(merged.locator("td", has_text="human")).to_have_count(1)
        page.screenshot(path=shots / "2-after-rerun.png")
    finally:
        page.close()
    assert len(read_decisions(decisions)) == 1  # running the notebook again wrote nothing
