"""The screening notebook as a review team uses it, in JupyterLab and headless chromium:
the notebook opened as committed and run with Run All Cells, who you are and the stage
picked in the app, nothing edited in a cell. One JupyterLab for the module; each test
lays out its own copy of the tiny project (12 invented records; screeners alex and sam,
arbiter jo).

- a screener screens (and is refused an exclusion without a reason, in their own words),
  sees no other reviewer's decision while blinded, and finds nothing to decide on when
  nothing is left (findings 1, 2, 6);
- the arbiter resolves the conflicts from the cards; the form is empty after each save
  (finding 4);
- a screener listed after the team finished is asked before joining, with what it will
  change, and can undo it (finding 3).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reviewbench.logs import read_log
from reviewbench.pipeline import screening_records
from reviewbench.project import open_project
from reviewbench.screening.decisions import RESOLUTION_COLUMNS, SCREENING_COLUMNS, record_decision, resolutions_path
from reviewbench.screening.team import TEAM_COLUMNS, team_log_path

from .conftest import add_project, docs_screenshot, open_and_run_all, shots_folder

pytestmark = [pytest.mark.browser, pytest.mark.slow]
STAGE = "title_abstract"


def _edit_review(root: Path, change) -> None:
    path = root / "evidence" / "review.yml"
    review = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(review)
    path.write_text(yaml.safe_dump(review, sort_keys=False), encoding="utf-8")


def _ids(root: Path) -> list[str]:
    return list(screening_records(open_project(root), STAGE)[0]["record_id"])


def _pick(page, which: str, label: str) -> None:
    """Choose ``label`` in the app's reviewer (``rb-pick-reviewer``) or stage (``rb-pick-stage``) dropdown."""
    page.locator(f".{which} select").select_option(label=label)


def _page(browser, tmp_path: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    return page, shots_folder(tmp_path)


def test_a_screener_picks_themself_and_the_stage_and_screens_without_editing_a_cell(module_lab, browser, tmp_path):
    from playwright.sync_api import expect

    root = add_project(module_lab, "screener")
    _edit_review(root, lambda r: r["stages"][STAGE].update(reason_required=True))
    project = open_project(root)
    for rid in _ids(root)[:11]:  # sam is one record short: blinding holds
        record_decision(project, STAGE, "sam", rid, "exclude", reason="wrong_design", note="sams-private-note")
    page, shots = _page(browser, tmp_path)
    try:
        open_and_run_all(page, module_lab, "screener/notebooks/02-screening.ipynb")
        app = page.locator(".rb-screening-app")
        expect(app).to_contain_text("Pick who you are")
        # finding 1: nothing to edit, no "No screening view", no import block on show
        expect(page.get_by_text("No screening view")).to_have_count(0)
        expect(page.get_by_text("from reviewbench.pipeline import screening_records")).to_have_count(0)
        page.screenshot(path=shots / "0-opened.png")

        _pick(page, "rb-pick-reviewer", "alex (screener)")
        view = app.locator(".rb-screening")
        record_id = view.locator(".rb-record-id")
        record_id.wait_for()
        expect(view.locator(".rb-progress")).to_contain_text("0 of 4")  # the calibration round of review.yml
        first = record_id.inner_text()
        page.screenshot(path=shots / "1-alex-first-record.png")
        docs_screenshot(app, "screening-view.png")

        # finding 6: Exclude without a reason is refused, in the reviewer's words
        view.locator("button:has-text('Exclude')").click()
        message = view.locator(".rb-message")
        expect(message).to_contain_text("Choose why this record is excluded")
        for word in ("'reason'", "None", "parameter", "invalid value"):
            assert word not in message.inner_text(), message.inner_text()
        expect(record_id).to_have_text(first)
        page.screenshot(path=shots / "2-exclude-refused.png")

        # a skipped record comes back after the others, not right after the next decision
        page.keyboard.press("s")
        expect(record_id).not_to_have_text(first)
        order = [record_id.inner_text()]
        page.keyboard.press("1")  # reason 1, then Exclude
        view.locator("button:has-text('Exclude')").click()
        expect(view.locator(".rb-progress")).to_contain_text("1 of 4")
        for n, button in enumerate(("Include", "Maybe", "Include"), start=2):
            expect(record_id).not_to_have_text(order[-1])
            order.append(record_id.inner_text())
            view.locator(f"button:has-text('{button}')").click()
            expect(view.locator(".rb-progress")).to_contain_text(f"{n} of 4")
        assert order[-1] == first and first not in order[:-1], order
        # nothing left in the round: the decisions are disabled (no "invalid value None")
        expect(view.locator(".rb-done")).to_contain_text("Calibration round complete")
        for button in ("Include", "Exclude", "Maybe"):
            expect(view.locator(f"button:has-text('{button}')")).to_be_disabled()
        # the team's progress follows without running a cell again; counts only (blinded)
        progress = app.locator(".rb-team-progress")
        expect(progress.locator("tr", has_text="alex")).to_contain_text("4")
        expect(progress).not_to_contain_text("include")
        page.screenshot(path=shots / "3-round-done.png")

        # after Go to record the keys work at once, without another click
        view.locator("input[placeholder='record id']").fill(order[0])
        view.locator("button:has-text('Go to record')").click()
        expect(record_id).to_have_text(order[0])
        page.keyboard.press("i")
        expect(view.locator(".rb-message")).to_contain_text(f"Saved: {order[0]} → include")

        # finding 2: while blinded nothing of sam's decisions shows, in the view or the report cells
        body = "\n".join(page.locator(".jp-Notebook .jp-OutputArea").all_inner_texts())
        for leak in ("sams-private-note", "Other reviewers", "sam: exclude", "kappa", "% agreement"):
            assert leak not in body, leak
        assert "Blinded" in body and "sam" in body  # who has screened how many, only

        # the stage is picked too: nothing at full text yet, so nothing to press
        _pick(page, "rb-pick-stage", "Full-text assessment")
        expect(app.locator(".rb-done")).to_contain_text("No records to screen at this stage yet")
        for button in ("Include", "Exclude", "Not retrieved", "Maybe"):
            expect(app.locator(f".rb-screening button:has-text('{button}')")).to_be_disabled()
        page.screenshot(path=shots / "4-full-text-empty.png")
    except BaseException:
        page.screenshot(path=shots / "failure.png")
        raise
    finally:
        page.close()

    rows = read_log(project.screening_dir(STAGE) / "alex.csv", SCREENING_COLUMNS)
    assert rows[["record_id", "decision", "reason"]].values.tolist() == [
        [order[0], "exclude", "wrong_population"], [order[1], "include", ""], [order[2], "maybe", ""],
        [order[3], "include", ""], [order[0], "include", ""]]
    assert set(rows["reviewer"]) == {"alex"}


def test_the_arbiter_resolves_conflicts_from_cards_and_the_form_is_empty_after_each_save(module_lab, browser, tmp_path):
    from playwright.sync_api import expect

    root = add_project(module_lab, "arbiter")
    _edit_review(root, lambda r: r["stages"][STAGE].update(reason_required=True))
    project = open_project(root)
    ids = _ids(root)
    disagree = {ids[0]: (("include", "", "fits the question"), ("exclude", "wrong_population", "sam: clients, not sex workers")),
                ids[2]: (("exclude", "wrong_outcome", ""), ("include", "", "health outcomes in table 2")),
                ids[4]: (("maybe", "", "unclear setting"), ("include", "", ""))}
    for rid in ids:
        (a, a_reason, a_note), (s, s_reason, s_note) = disagree.get(rid, (("include", "", ""), ("include", "", "")))
        record_decision(project, STAGE, "alex", rid, a, reason=a_reason, note=a_note)
        record_decision(project, STAGE, "sam", rid, s, reason=s_reason, note=s_note)
    page, shots = _page(browser, tmp_path)
    try:
        open_and_run_all(page, module_lab, "arbiter/notebooks/02-screening.ipynb")
        _pick(page, "rb-pick-reviewer", "jo (arbiter)")
        view = page.locator(".rb-conflicts")
        heading = view.get_by_text("open conflict(s)")
        expect(heading).to_contain_text("3 open conflict(s)")
        card = view.locator(".rb-conflict-card")
        # the arbiter has no screening view and no calibration round
        expect(page.locator(".rb-screening-app .rb-screening")).to_have_count(0)
        # a card: the record, and each reviewer's decision, reason and note side by side
        expect(card.locator(".rb-title")).not_to_be_empty()
        expect(card.locator(".rb-abstract")).not_to_be_empty()
        expect(card.locator(".rb-reviewer-decision")).to_have_count(2)
        rid = card.locator(".rb-record-id").inner_text()
        (a, a_reason, _), (s, s_reason, s_note) = disagree[rid]
        expect(card.locator(".rb-reviewer-decision", has_text="alex")).to_contain_text(a)
        expect(card.locator(".rb-reviewer-decision", has_text="sam")).to_contain_text(s)
        if s_note:
            expect(card).to_contain_text(s_note)
        page.screenshot(path=shots / "0-first-card.png")
        docs_screenshot(view, "conflicts-view.png")

        reason = view.locator(".widget-dropdown", has_text="Reason")
        note = view.locator("input[placeholder='e.g. resolved by discussion']")
        save = view.locator("button:has-text('Save resolution')")
        resolution = view.locator(".widget-toggle-buttons")

        def empty_form(n_left: int) -> None:
            expect(heading).to_contain_text(f"{n_left} open conflict(s)")
            expect(resolution.locator("button.mod-active")).to_have_count(0)
            expect(reason).to_be_hidden()
            expect(note).to_have_value("")

        def resolve(decision: str, why: str = "", text: str = "") -> str:
            shown = card.locator(".rb-record-id").inner_text()
            resolution.locator(f"button:has-text('{decision}')").click()
            if why:
                expect(reason).to_be_visible()
                reason.locator("select").select_option(label=next(
                    t for t in reason.locator("option").all_inner_texts() if t.startswith(why)))
            if text:
                note.fill(text)
            save.click()
            expect(view.locator(".rb-message")).to_contain_text(f"Saved: {shown}")
            return shown

        saved = [(resolve("exclude", "wrong_population", "clients only, agreed with both"), "exclude", "wrong_population")]
        empty_form(2)  # the reason chosen for the last record is not carried to this one
        page.screenshot(path=shots / "1-after-first-save.png")
        saved.append((resolve("include"), "include", ""))
        empty_form(1)
        # an exclusion without a reason is refused, in the arbiter's words
        resolution.locator("button:has-text('exclude')").click()
        save.click()
        expect(view.locator(".rb-message")).to_contain_text("Choose why this record is excluded")
        saved.append((resolve("exclude", "wrong_outcome"), "exclude", "wrong_outcome"))
        expect(view).to_contain_text("No open conflicts")
        page.screenshot(path=shots / "2-all-resolved.png")
    except BaseException:
        page.screenshot(path=shots / "failure.png")
        raise
    finally:
        page.close()

    rows = read_log(resolutions_path(project, STAGE), RESOLUTION_COLUMNS)
    assert rows[["record_id", "decision", "reason", "reviewer"]].values.tolist() == [[r, d, why, "jo"] for r, d, why in saved]
    assert sorted(r for r, _d, _w in saved) == sorted(disagree)
    assert rows["note"].tolist() == ["clients only, agreed with both", "", ""]


def test_joining_a_stage_after_the_team_finished_asks_what_it_changes_and_can_be_undone(module_lab, browser, tmp_path):
    from playwright.sync_api import expect

    root = add_project(module_lab, "join")
    project = open_project(root)
    ids = _ids(root)
    for rid in ids:
        record_decision(project, STAGE, "alex", rid, "include")
        record_decision(project, STAGE, "sam", rid, "include")
    _edit_review(root, lambda r: r["reviewers"].update(kim={"name": "Reviewer D", "role": "screener"}))  # listed after
    page, shots = _page(browser, tmp_path)
    try:
        open_and_run_all(page, module_lab, "join/notebooks/02-screening.ipynb")
        _pick(page, "rb-pick-reviewer", "kim (screener)")
        view = page.locator(".rb-screening")
        panel = view.locator(".rb-confirm")
        expect(panel).to_be_visible()
        expect(panel).to_contain_text("Join this stage as kim?")
        changes = panel.locator(".rb-changes li")
        expect(changes.first).to_be_visible()
        assert changes.count() >= 2
        text = panel.inner_text()
        assert "blind" in text.lower(), text  # says that blinding comes back for the team
        # nothing happens before Confirm: kim cannot decide yet, and nothing is logged
        expect(view.locator("button:has-text('Include')")).to_be_disabled()
        assert not team_log_path(project).exists()
        # stop and random sample are offered only when the rule allows: not now
        expect(view.locator("button:has-text('Stop screening here')")).to_be_hidden()
        expect(view.locator("button:has-text('Start random sample')")).to_be_hidden()
        page.screenshot(path=shots / "0-asked.png")

        panel.locator("input[placeholder='note (optional): why']").fill("third opinion on inclusions")
        panel.locator(".rb-confirm-go").click()
        expect(panel).to_contain_text("Done: Join this stage as kim")
        expect(view.locator("button:has-text('Include')")).to_be_enabled()
        rows = read_log(team_log_path(project), TEAM_COLUMNS)
        assert rows[["stage", "action", "reviewer", "by", "note"]].values.tolist() == [
            [STAGE, "join", "kim", "kim", "third opinion on inclusions"]]
        page.screenshot(path=shots / "1-joined.png")

        panel.locator(".rb-undo-action").click()
        expect(panel).to_contain_text("Undone: Join this stage as kim")
        page.screenshot(path=shots / "2-undone.png")
    except BaseException:
        page.screenshot(path=shots / "failure.png")
        raise
    finally:
        page.close()

    rows = read_log(team_log_path(project), TEAM_COLUMNS)
    assert rows[["action", "reviewer", "by"]].values.tolist() == [["join", "kim", "kim"], ["leave", "kim", "kim"]]
    assert not (project.screening_dir(STAGE) / "kim.csv").exists()  # asking and undoing wrote no decision
