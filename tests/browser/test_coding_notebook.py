"""The coding notebook in JupyterLab and headless chromium, as a coder uses it (finding 5):
the notebook opened as committed, Run All Cells, the coder picked in the app, the study chosen by title among the
included studies only, codes ticked and chosen from the codebook, saved, then retracted;
nothing edited in a cell. The review: the small full-text review of
``tests/fulltext/project.py`` (R1-R3 included at full text, R4 a maybe and R5 excluded at
title/abstract) with the example's codebook; JupyterLab started with no reviewer set: the
coder picks themself in the app at the top of the coding section."""

from __future__ import annotations

import shutil
import sys

import pytest

from reviewbench.coding.codebook import load_codebook, parse_codes
from reviewbench.coding.findings import RETRACTION_COLUMNS, read_findings
from reviewbench.logs import read_log
from reviewbench.screening.decisions import record_decision

from .conftest import NOTEBOOKS, REPO, docs_screenshot, open_and_run_all, shots_folder

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _choose(select, starts: str) -> None:
    """Choose the option of ``select`` whose label starts with ``starts`` (ipywidgets shows
    a label's spaces as no-break spaces)."""
    labels = select.locator("option").all_inner_texts()
    select.select_option(label=next(t for t in labels if t.replace("\xa0", " ").startswith(starts)))


def _coding_review(module_lab):
    sys.path.insert(0, str(REPO / "tests"))
    from fulltext.project import RECORDS, cluster_ids, make_project

    project = make_project(module_lab.root / "coding")
    shutil.copyfile(REPO / "evidence" / "codebook.yml", project.evidence / "codebook.yml")
    ids = cluster_ids(project)
    for rid in ("R1", "R2", "R3"):
        record_decision(project, "full_text", "alex", ids[rid], "include", retrieval="retrieved")
    shutil.copy(NOTEBOOKS / "03-coding.ipynb", project.notebooks / "03-coding.ipynb")
    titles = {ids[rid]: title for rid, title, *_rest in RECORDS}
    return project, ids, titles


def test_a_coder_codes_a_finding_by_title_from_the_codebook_and_retracts_it(module_lab, browser, tmp_path):
    from playwright.sync_api import expect

    project, ids, titles = _coding_review(module_lab)
    shots = shots_folder(tmp_path)
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    try:
        open_and_run_all(page, module_lab, f"{project.root.relative_to(module_lab.root)}/notebooks/03-coding.ipynb")
        app = page.locator(".rb-coding-app")
        who = app.locator(".rb-pick-coder select")
        who.wait_for()
        # nobody picked yet: a note, no form and no error
        expect(app).to_contain_text("Pick who you are above to enter findings")
        expect(page.locator(".rb-study-section")).to_contain_text("Pick who you are")
        assert page.locator(".rb-finding-form").count() == 0
        assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
        assert [o.replace("\xa0", " ") for o in who.locator("option").all_inner_texts()][1:] == ["alex (screener)"]  # review.yml's reviewers
        who.select_option(label="alex (screener)")
        form = app.locator(".rb-finding-form")
        picker = form.locator(".rb-study-picker select")
        picker.wait_for()
        # the studies are listed by title, the included ones only: no finding on a record
        # that is not an included study can be chosen
        raw = [t for t in picker.locator("option").all_inner_texts() if t.strip()]
        options = [t.replace("\xa0", " ") for t in raw]  # ipywidgets shows spaces as no-break spaces
        assert sorted(o.rsplit(" [", 1)[0] for o in options) == sorted(titles[ids[r]] for r in ("R1", "R2", "R3")), options
        for rid in ("R4", "R5"):
            assert not any(ids[rid] in o or titles[ids[rid]] in o for o in options), rid
        save = form.locator("button:has-text('Save finding')")
        expect(save).to_be_disabled()  # no study, no text yet
        # what is missing is listed under Save, in the coder's words
        expect(form.locator(".rb-form-hint")).to_contain_text("Choose the study the finding comes from (by its title)")
        expect(form.locator(".rb-form-hint")).to_contain_text("Write the finding in your own words")
        expect(form.locator(".rb-study-picker")).to_contain_text("Study")
        expect(page.locator(".rb-study-section .rb-study-form")).to_be_visible()  # alex's study form, in its own section
        page.screenshot(path=shots / "0-form.png")

        picker.select_option(label=next(r for r, o in zip(raw, options) if o.startswith("Barriers to sexual health care")))
        form.locator("textarea[placeholder='the finding in your own words']").fill(
            "Migrant women who sell sex feared immigration checks at sexual health clinics.")
        # codes from the codebook: checkboxes for a dimension with several codes, a dropdown for one
        for dimension, code in (("subgroup", "migrant"), ("health_theme", "sexual_reproductive"), ("setting", "sexual_health_clinic")):
            form.locator(f".rb-dimension-{dimension} .rb-code-{code} input[type=checkbox]").check()
        targeting = load_codebook(project).dimensions["targeting"]
        _choose(form.locator(".rb-dimension-targeting select"), targeting.codes["targeted"].label)
        expect(save).to_be_enabled()
        expect(form.locator(".rb-form-hint")).to_have_text("")
        page.screenshot(path=shots / "1-filled.png")
        docs_screenshot(app, "coding-form.png")
        save.click()
        expect(form).to_contain_text("Saved F001")

        codebook = load_codebook(project)
        saved = read_findings(project, codebook)
        assert saved[["finding_id", "record_id", "coder"]].values.tolist() == [["F001", ids["R2"], "alex"]]
        row = saved.iloc[0]
        assert [parse_codes(row[d]) for d in ("subgroup", "health_theme", "setting", "targeting")] == [
            ["migrant"], ["sexual_reproductive"], ["sexual_health_clinic"], ["targeted"]]
        # the form is ready for the next finding: nothing carried over
        expect(form.locator(".rb-dimension-subgroup .rb-code-migrant input[type=checkbox]")).not_to_be_checked()
        expect(save).to_be_disabled()
        page.screenshot(path=shots / "2-saved.png")

        # retract the finding: a row is appended, the coder's log is untouched
        log_before = (project.evidence / "findings" / "alex.csv").read_bytes()
        retract = form.locator(".rb-retract-pick select")
        _choose(retract, "F001:")
        form.locator("button:has-text('Retract finding')").click()
        expect(form).to_contain_text("Retracted F001")
        page.screenshot(path=shots / "3-retracted.png")
    except BaseException:
        page.screenshot(path=shots / "failure.png")
        raise
    finally:
        page.close()

    assert (project.evidence / "findings" / "alex.csv").read_bytes() == log_before
    retractions = read_log(project.retractions_file, RETRACTION_COLUMNS)
    assert retractions[["finding_id", "coder"]].values.tolist() == [["F001", "alex"]]
    assert read_findings(project, load_codebook(project)).empty  # the finding no longer counts
