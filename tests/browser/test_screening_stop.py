"""Stopping early in the screening notebook, in JupyterLab and headless chromium: the
notebook opened as committed, Run All Cells, the screener picked in the app.

An invented review of 80 records screened by one screener in ranked order: 2 inclusions,
then 55 exclusions in a row, the run after which the ranking has, by the project's
heuristic, stopped finding relevant records. *Start random sample* is offered; it says
what it will change and writes nothing before *Confirm*; *Undo* takes it back with a
row of its own. *Stop screening here* is not offered, and the view says why and shows no estimate: the
stopping rule never stops, nor estimates, on so few relevant records.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reviewbench.logs import read_log
from reviewbench.pipeline import screening_records
from reviewbench.project import open_project
from reviewbench.screening.decisions import record_decision
from reviewbench.screening.stopping_log import STOP_COLUMNS, stopping_log_path

from .conftest import NOTEBOOKS, shots_folder, open_and_run_all

pytestmark = [pytest.mark.browser, pytest.mark.slow]
STAGE = "title_abstract"
TOPICS = ["harbour pilots", "ferry crews", "dock workers", "lighthouse keepers", "fishing fleets",
          "coastguard teams", "port cleaners", "tug boat crews"]


def _ris(n: int) -> str:
    entries = []
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        entries.append(
            f"TY  - JOUR\nTI  - Sleep and shift work among {topic}: study {i + 1}\nAU  - Author{i}, A.\n"
            f"PY  - {2000 + i % 20}\nAB  - We surveyed {topic} about sleep, noise and shift patterns (study {i + 1}).\nER  - \n"
        )
    return "\n".join(entries)


def _project(root: Path) -> Path:
    (root / "bibliography").mkdir(parents=True)
    (root / "bibliography" / "exports.ris").write_text(_ris(80), encoding="utf-8")
    (root / "evidence").mkdir()
    review = {
        "title": "Sleep of maritime workers (invented)", "question": "How do maritime workers sleep?",
        "exclusion_reasons": {"wrong_population": "Not maritime workers"},
        "stages": {STAGE: {"label": "Title and abstract screening", "reviewers_per_record": 1, "calibration_records": 0}},
        "reviewers": {"alex": {"name": "Reviewer A", "role": "screener"}, "jo": {"name": "Reviewer C", "role": "arbiter"}},
        "screening_terms": {"include": ["sleep"], "exclude": []},
    }
    (root / "evidence" / "review.yml").write_text(yaml.safe_dump(review, sort_keys=False), encoding="utf-8")
    (root / "notebooks").mkdir()
    (root / "notebooks" / "02-screening.ipynb").write_bytes((NOTEBOOKS / "02-screening.ipynb").read_bytes())
    project = open_project(root)
    ids = list(screening_records(project, STAGE)[0]["record_id"])
    for n, rid in enumerate(ids[:57]):
        record_decision(project, STAGE, "alex", rid, "include" if n < 2 else "exclude",
                        reason="" if n < 2 else "wrong_population")
    return root


def test_the_random_sample_is_offered_confirmed_logged_and_undone_and_stop_waits_for_more_relevant(module_lab, browser, tmp_path):
    from playwright.sync_api import expect

    root = _project(module_lab.root / "stop")
    log = stopping_log_path(open_project(root))
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    shots = shots_folder(tmp_path)
    try:
        open_and_run_all(page, module_lab, "stop/notebooks/02-screening.ipynb")
        app = page.locator(".rb-screening-app")
        app.locator(".rb-pick-reviewer select").select_option(label="alex (screener)")
        view = app.locator(".rb-screening")
        expect(view.locator(".rb-progress")).to_contain_text("57")
        sample = view.get_by_role("button", name="Start random sample", exact=True)
        expect(sample).to_be_visible()  # the ranking is ready and has stopped finding relevant records
        expect(view.get_by_role("button", name="Stop screening here", exact=True)).to_be_hidden()  # 2 relevant found: too few
        estimate = view.locator(".rb-stop-estimate")
        expect(estimate).to_contain_text("no estimate yet, target 95% · not yet: it waits for at least 10 relevant records found (now 2)")
        expect(estimate).not_to_contain_text("100%")  # not an estimate from two relevant records
        expect(view.locator(".rb-progress")).not_to_contain_text("estimated recall")
        page.screenshot(path=shots / "0-offered.png")

        sample.click()
        panel = view.locator(".rb-confirm")
        expect(panel).to_contain_text("Start random sample?")
        expect(panel).to_contain_text("come in random order")
        expect(panel).to_contain_text("after your 57 include/exclude decisions")
        assert read_log(log, STOP_COLUMNS).empty  # nothing happens before Confirm
        panel.screenshot(path=shots / "1-confirm.png")
        panel.locator(".rb-confirm-go").click()
        expect(panel.locator(".rb-undo-action")).to_be_visible()
        rows = read_log(log, STOP_COLUMNS)
        assert [(r["stage"], r["decision"], r["screened"], r["reviewer"]) for r in rows.to_dict("records")] == [
            (STAGE, "sample", "57", "alex")]
        expect(sample).to_be_hidden()  # not offered twice

        panel.locator(".rb-undo-action").click()
        expect(panel).to_contain_text("Undone: Start random sample")
        rows = read_log(log, STOP_COLUMNS)
        assert [(r["decision"], r["note"]) for r in rows.to_dict("records")] == [("sample", ""), ("unsample", "undo")]
        expect(sample).to_be_visible()  # ranked order again, so the sample is offered again
        page.screenshot(path=shots / "2-undone.png")
    finally:
        page.close()
