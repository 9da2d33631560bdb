"""End to end: the full-text screening view in JupyterLab shows the linked PDF (served by
JupyterLab) and its text with the screening terms marked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TIMEOUT = 90_000


def test_the_full_text_view_shows_the_pdf_and_the_marked_text(lab_fulltext, chromium_path, tmp_path: Path):
    from playwright.sync_api import expect, sync_playwright

    lab, ids = lab_fulltext
    shots = Path(os.environ.get("REVIEWBENCH_TEST_SCREENSHOTS") or tmp_path / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=["--no-sandbox"], headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            page.set_default_timeout(TIMEOUT)
            page.goto(lab.url("lab/tree/notebooks/02-screening.ipynb"))
            first_code = page.locator(".jp-Notebook .jp-CodeCell .jp-InputArea-editor").first
            first_code.wait_for()
            page.locator("#jp-main-statusbar", has_text="Idle").wait_for()
            cells = page.locator(".jp-Notebook .jp-Cell")
            n_cells = cells.count()
            first_index = next(i for i in range(n_cells) if "jp-CodeCell" in (cells.nth(i).get_attribute("class") or ""))
            first_code.click()
            for _ in range(n_cells - first_index):
                page.keyboard.press("Shift+Enter")
            page.locator("button:has-text('Include')").wait_for()
            expect(page.locator(".rb-screening .rb-record-id")).to_have_text(ids["R1"])
            frame = page.locator(".rb-screening iframe.rb-ft-pdf")
            expect(frame).to_have_count(1)
            src = frame.get_attribute("src")
            assert src and src.endswith("/files/fulltext/smith.pdf")
            served = page.evaluate("async (u) => { const r = await fetch(u); const b = new Uint8Array(await r.arrayBuffer());"
                                   " return [r.status, r.headers.get('content-type'), String.fromCharCode(...b.slice(0, 5))]; }", src)
            assert served[0] == 200 and served[2] == "%PDF-"
            text = page.locator(".rb-screening .rb-ft-text")
            expect(text).to_contain_text("Interviews took place in the outreach van")
            expect(text.locator("mark.rb-include").first).to_be_visible()
            page.screenshot(path=shots / "fulltext-view.png")
            # the next record has no PDF: it is to retrieve
            page.locator("button:has-text('Skip')").click()
            expect(page.locator(".rb-screening .rb-ft-missing")).to_contain_text("to retrieve")
            page.screenshot(path=shots / "fulltext-to-retrieve.png")
        finally:
            browser.close()
