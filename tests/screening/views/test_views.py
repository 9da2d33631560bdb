"""The screening view driven from Python: buttons, keys, messages, escaping, conflicts."""

from __future__ import annotations

from reviewbench.pipeline import screening_records
from reviewbench.screening.session import ScreeningController
from reviewbench.screening.decisions import current_decisions, final_decisions, record_decision
from reviewbench.screening.views import ConflictsView, ScreeningView, start_screening, team_agreement


def view_for(project, records, stage="title_abstract", reviewer="alex", **kw):
    kw.setdefault("order", "file")
    return ScreeningView(ScreeningController(project, stage, reviewer, records, **kw))


def press(view, key):
    view._on_key(view.shortcuts, {"key": key}, None)


def decisions(project, stage="title_abstract"):
    return current_decisions(project, stage)[["record_id", "decision", "reason", "note"]].values.tolist()


def test_buttons_and_keys_write_decisions(project, records):
    ids = list(records["record_id"])
    v = view_for(project, records)
    assert ids[0] in v.record_html.value
    v.note.value = "UK, street-based"
    v.b_include.click()
    assert v.note.value == ""  # inputs are cleared for the next record
    press(v, "2")  # second exclusion reason
    assert v.reason.value == "wrong_outcome"
    press(v, "e")
    press(v, "m")
    assert sorted(decisions(project)) == sorted([
        [ids[0], "include", "", "UK, street-based"], [ids[1], "exclude", "wrong_outcome", ""], [ids[2], "maybe", "", ""]])
    assert "3 of 12 screened" in v.progress_html.value
    assert ids[3] in v.record_html.value
    press(v, "u")
    assert ids[2] in v.record_html.value and "Undone" in v.message.value
    press(v, "s")  # skip leaves the record unscreened
    assert ids[3] in v.record_html.value
    press(v, "x")  # unknown keys do nothing
    assert len(decisions(project)) == 2


def test_full_text_needs_a_reason_and_records_retrieval(project, records):
    ids = list(records["record_id"])
    v = view_for(project, records, stage="full_text")
    v.b_exclude.click()  # no reason: a message in the reviewer's words, nothing saved
    assert "Choose why this record is excluded" in v.message.value and "parameter" not in v.message.value
    assert not decisions(project, "full_text")
    # "Not retrieved" is its own button with its own reasons
    assert [value for _label, value in v.not_retrieved_reason.options][1:] == ["not available from library or author", "thesis under embargo"]
    assert "wrong_design" in [value for _label, value in v.reason.options]
    v.b_not_retrieved.click()
    assert "could not be obtained" in v.message.value and not decisions(project, "full_text")
    v.not_retrieved_reason.value = "thesis under embargo"
    v.b_not_retrieved.click()
    assert v.not_retrieved_reason.value == ""  # empty again for the next record
    v.pdf.value = "pdfs/second.pdf"
    v.reason.value = "wrong_design"
    v.b_exclude.click()
    final = final_decisions(project, "full_text").set_index("record_id")
    assert final.loc[ids[0]].tolist() == ["exclude", "thesis under embargo", "not_retrieved"]
    assert final.loc[ids[1]].tolist() == ["exclude", "wrong_design", "retrieved"]
    assert current_decisions(project, "full_text").set_index("record_id").at[ids[1], "pdf"] == "pdfs/second.pdf"
    v.jump(ids[1])
    assert "<code>pdfs/second.pdf</code>" in v.record_html.value
    v.jump(ids[0])
    assert "not retrieved" in v.record_html.value


def test_nothing_left_disables_the_decisions_and_says_so(project, records):
    v = view_for(project, records)
    for _ in range(len(records)):
        v.b_include.click()
    assert v.b_include.disabled and v.b_exclude.disabled and v.b_maybe.disabled and v.b_skip.disabled
    assert not v.b_undo.disabled
    v.act("include")  # a key pressed anyway
    assert "no record to decide on" in v.message.value and "parameter" not in v.message.value
    v.b_undo.click()
    assert not v.b_include.disabled


def test_a_skipped_record_comes_back_only_after_the_others(project, records):
    ids = list(records["record_id"])
    v = view_for(project, records)
    first = v.controller.current_id
    v.b_skip.click()
    v.b_include.click()
    assert v.controller.current_id not in (first, None)
    for _ in range(len(ids) - 2):
        v.b_include.click()
    assert v.controller.current_id == first


def test_record_text_is_escaped_in_the_view(project, records):
    records = records.copy()
    records.at[0, "title"] = "<script>alert('x')</script> sex work"
    records.at[0, "authors"] = ["<b>Evil</b>, Eve"]
    v = view_for(project, records)
    assert "<script>" not in v.record_html.value and "&lt;script&gt;" in v.record_html.value
    assert "<b>Evil" not in v.record_html.value
    assert 'class="rb-term rb-include"' in v.record_html.value


def test_jump_and_bad_jump(project, records):
    ids = list(records["record_id"])
    v = view_for(project, records)
    v.jump(ids[7])
    assert ids[7] in v.record_html.value
    v.jump("nope")
    assert "nope" in v.message.value and "#b00020" in v.message.value


def test_done_message_after_the_calibration_round(project, records):
    v = view_for(project, records, calibration_n=2)
    press(v, "i")
    press(v, "i")
    assert "Calibration round complete" in v.record_html.value and "run the screening cell again" in v.record_html.value


def test_start_screening_without_a_reviewer_writes_nothing(project, records):
    shown = start_screening(project, "title_abstract", "", records)
    assert "No screening view" in shown.data
    assert not (project.evidence / "screening").exists()


def test_start_screening_with_the_reviewer_from_the_environment(project, records, monkeypatch):
    monkeypatch.setenv("REVIEWBENCH_REVIEWER", "sam")
    v = start_screening(project, "title_abstract", None, records, order="file")
    assert v.controller.reviewer == "sam"


def _three_conflicts(project, records):
    ids = list(records["record_id"])
    for rid in ids:
        record_decision(project, "title_abstract", "alex", rid, "include", note=f"alex on {rid}")
    for i, rid in enumerate(ids):
        if i < 3:
            record_decision(project, "title_abstract", "sam", rid, "exclude", reason="wrong_population", note="not sex workers")
        elif i < len(ids) - 1:
            record_decision(project, "title_abstract", "sam", rid, "include")
    return ids


def test_conflicts_are_hidden_from_everyone_while_a_screener_is_unfinished(project, records):
    ids = _three_conflicts(project, records)  # sam has one record to go
    for who in ("jo", "alex", "sam"):  # the arbiter too
        view = ConflictsView(project, "title_abstract", who, records)
        assert "is blinded" in view.children[0].value and "sam 11 of 12" in view.children[0].value
        assert "not sex workers" not in view.children[0].value
    shown = team_agreement(project, "title_abstract", "", records)
    assert "Blinded" in shown.data and "wrong_population" not in shown.data
    record_decision(project, "title_abstract", "sam", ids[-1], "include")
    assert "3 open conflict(s)" in ConflictsView(project, "title_abstract", "jo", records).heading.value


def test_conflicts_are_cards_and_the_form_starts_empty_after_each_save(project, records):
    ids = _three_conflicts(project, records)
    record_decision(project, "title_abstract", "sam", ids[-1], "include")
    v = ConflictsView(project, "title_abstract", "jo", records)
    ids = sorted(ids[:3])  # the cards come in record_id order
    title = records.set_index("record_id").at[ids[0], "title"]
    assert v.pick.options[0] == (f"{title[:90]} [{ids[0]}]", ids[0])  # picked by title
    card = v.card.value
    assert "rb-conflict-card" in card and "rb-abstract" in card and "tiny.ris" in card  # the record and its source
    assert "<b>alex</b>: <span class=\"rb-decision\">include</span>" in card and f"note: alex on {ids[0]}" in card
    assert "<b>sam</b>: <span class=\"rb-decision\">exclude</span>" in card and "Population is not people who sell" in card
    v.decision.value = "exclude"
    v.reason.value = "wrong_population"
    v.note.value = "agreed with sam"
    v.save.click()
    assert "Saved" in v.message.value
    assert (v.decision.value, v.reason.value, v.note.value) == (None, "", "")  # empty for the next card
    assert v.pick.value == ids[1] and len(v.cards) == 2
    v.decision.value = "include"
    assert v.reason.layout.display == "none"  # an inclusion takes no reason
    v.save.click()
    assert (v.decision.value, v.reason.value, v.note.value) == (None, "", "")
    v.save.click()  # nothing chosen: nothing written
    assert "Choose the resolution" in v.message.value
    final = final_decisions(project, "title_abstract").set_index("record_id")
    assert final.at[ids[0], "decision"] == "exclude" and final.at[ids[1], "decision"] == "include"
    assert final.at[ids[1], "reason"] == ""
    resolutions = (project.screening_dir("title_abstract") / "resolutions.csv").read_text(encoding="utf-8").splitlines()
    assert len(resolutions) == 3 and resolutions[2].split(",")[:3] == [ids[1], "include", ""]


def test_an_include_resolution_with_an_exclusion_reason_is_refused_and_flagged(project, records):
    from reviewbench.errors import ReviewbenchError
    from reviewbench.screening.conflicts import resolve_conflict
    from reviewbench.validate import validate_project

    ids = list(records["record_id"])
    try:
        resolve_conflict(project, "title_abstract", ids[0], "include", "jo", reason="wrong_population")
    except ReviewbenchError as exc:
        assert "reason to exclude" in str(exc)
    else:
        raise AssertionError("an include resolution with an exclusion reason was written")
    path = project.screening_dir("title_abstract") / "resolutions.csv"
    resolve_conflict(project, "title_abstract", ids[0], "include", "jo")
    with path.open("a", encoding="utf-8") as fh:  # as a hand edit would
        fh.write(f"{ids[1]},include,wrong_population,,jo,2026-01-01T00:00:00Z\n")
    problems = [p for p in validate_project(project) if p.path.endswith("resolutions.csv")]
    assert any(p.line == 3 and "reason to exclude" in p.message for p in problems)


def test_team_agreement_in_a_report_without_reviewer(project, records):
    shown = team_agreement(project, "title_abstract", "", records)
    assert "Blinded" in shown.data and "alex 0 of 12, sam 0 of 12" in shown.data


def test_full_text_before_any_title_abstract_inclusion(project):
    v = start_screening(project, "full_text", "alex", *screening_records(project, "full_text"))
    assert "No records to screen" in v.record_html.value
    assert v.controller.progress().total == 0 and not v.controller.ranker_error


def test_a_reviewer_missing_from_review_yml_is_flagged(project, records):
    assert "not listed" in view_for(project, records, reviewer="alx").header.value
    assert "not listed" not in view_for(project, records, reviewer="alex").header.value
