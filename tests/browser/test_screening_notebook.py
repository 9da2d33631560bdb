"""End to end: screen in the notebook in JupyterLab with clicks and keys, check the log on disk."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reviewbench.logs import read_log
from reviewbench.project import open_project
from reviewbench.screening.decisions import SCREENING_COLUMNS, current_decisions
from reviewbench.pipeline import screening_records

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TIMEOUT = 90_000  # ms: a cold kernel imports pandas, scikit-learn and the project


def test_five_decisions_with_clicks_and_keys_then_undo(lab_project, chromium_path, tmp_path: Path):
    from playwright.sync_api import expect, sync_playwright

    project = open_project(lab_project.root)
    ids = list(screening_records(project, "title_abstract")[0]["record_id"])
    # screenshots of each state; REVIEWBENCH_TEST_SCREENSHOTS keeps them somewhere lasting
    shots = Path(os.environ.get("REVIEWBENCH_TEST_SCREENSHOTS") or tmp_path / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    log_file = project.screening_dir("title_abstract") / "alex.csv"

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=["--no-sandbox"], headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            page.set_default_timeout(TIMEOUT)
            page.goto(lab_project.url("lab/tree/notebooks/02-screening.ipynb"))
            first_code = page.locator(".jp-Notebook .jp-CodeCell .jp-InputArea-editor").first
            first_code.wait_for()
            page.locator("#jp-main-statusbar", has_text="Idle").wait_for()  # the kernel is ready
            cells = page.locator(".jp-Notebook .jp-Cell")
            markdown_cells = page.locator(".jp-Notebook .jp-MarkdownCell").count()
            n_cells = cells.count()
            first_index = next(i for i in range(n_cells) if "jp-CodeCell" in (cells.nth(i).get_attribute("class") or ""))
            page.screenshot(path=shots / "0-opened.png")

            # run every cell from the first code cell on, as a user does with Shift+Enter
            first_code.click()
            for _ in range(n_cells - first_index):
                page.keyboard.press("Shift+Enter")
            include = page.locator("button:has-text('Include')")
            include.wait_for()
            record_id = page.locator(".rb-screening .rb-record-id")
            progress = page.locator(".rb-screening .rb-progress")
            expect(record_id).to_have_text(ids[0])
            expect(progress).to_contain_text("0 of 12 screened")
            page.screenshot(path=shots / "1-first-record.png")
            # the include term in the title is highlighted
            expect(page.locator(".rb-screening .rb-title mark.rb-include").first).to_be_visible()

            def shown(n: int) -> None:
                expect(progress).to_contain_text(f"{n} of 12 screened")
                expect(record_id).to_have_text(ids[n])
                page.screenshot(path=shots / f"2-after-{n}.png")

            include.click()  # 1: click
            shown(1)
            page.keyboard.press("2")  # 2: keys: reason 2, then exclude
            page.keyboard.press("e")
            shown(2)
            page.keyboard.press("m")  # 3: key
            shown(3)
            page.locator("button:has-text('Maybe')").click()  # 4: click
            shown(4)
            reason = page.locator(".rb-screening select").first  # 5: choose a reason, click Exclude
            reason.select_option(label=reason.locator("option", has_text="wrong_population").first.inner_text())
            page.locator("button:has-text('Exclude')").click()
            shown(5)
            page.keyboard.press("u")  # undo the fifth decision
            expect(progress).to_contain_text("4 of 12 screened")
            expect(record_id).to_have_text(ids[4])
            page.screenshot(path=shots / "3-after-undo.png")
            # the keys went to the view, not to JupyterLab: no cell became Markdown
            assert page.locator(".jp-Notebook .jp-MarkdownCell").count() == markdown_cells
        except BaseException:
            page.screenshot(path=shots / "failure.png")
            raise
        finally:
            browser.close()

    rows = read_log(log_file, SCREENING_COLUMNS)
    assert rows[["record_id", "decision", "reason", "reviewer"]].values.tolist() == [
        [ids[0], "include", "", "alex"],
        [ids[1], "exclude", "wrong_outcome", "alex"],
        [ids[2], "maybe", "", "alex"],
        [ids[3], "maybe", "", "alex"],
        [ids[4], "exclude", "wrong_population", "alex"],
        [ids[4], "retract", "", "alex"],
    ]
    current = current_decisions(project, "title_abstract")
    assert current["record_id"].tolist() == sorted(ids[:4])
