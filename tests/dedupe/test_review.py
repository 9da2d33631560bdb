"""The review queue view: differences highlighted, buttons append decisions."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets

from reviewbench.dedupe import DedupReviewApp, link_records, pair_html, pair_table, read_decisions, review_queue, review_widget
from reviewbench.dedupe.review import highlight_differences

from .helpers import make_records

PAPER = {
    "title": "Outreach clinics for women selling sex in Hull",
    "authors": ["Whitlock, S", "Brennan, K"],
    "year": 2019,
    "journal": "Journal of Public Health",
    "volume": "41",
    "pages": "301-308",
}


def test_only_differing_words_are_marked() -> None:
    a, b = highlight_differences("Outreach clinics in Hull", "Outreach clinic in Hull <b>")
    assert a == 'Outreach <mark class="rb-diff">clinics</mark> in Hull'
    assert b == 'Outreach <mark class="rb-diff">clinic</mark> in Hull <mark class="rb-diff">&lt;b&gt;</mark>'


def test_pair_html_shows_both_records_side_by_side() -> None:
    html = pair_html(dict(PAPER, record_id="a"), dict(PAPER, record_id="b", pages="310-318", doi="10.1/x"), caption="pair 1")
    assert html.count("<tr>") == 8  # header + title, authors, year, journal, volume, pages, doi
    assert '<mark class="rb-diff">301-308</mark>' in html and '<mark class="rb-diff">310-318</mark>' in html
    assert "<td style='vertical-align:top'>—</td>" in html  # the DOI one record lacks
    assert "Outreach clinics for women selling sex in Hull</td>" in html  # equal fields unmarked


def test_widget_buttons_append_decisions_and_advance(tmp_path: Path) -> None:
    records = make_records([PAPER, dict(PAPER, pages="310-318"), dict(PAPER, pages="320-328", title=PAPER["title"] + ".")])
    queue = review_queue(link_records(records))
    assert len(queue) == 3
    log = tmp_path / "decisions.csv"
    seen = []
    box = review_widget(queue, records, log, reviewer="kim", on_decision=seen.append)
    view, buttons, status = box.children
    same, different, skip = buttons.children
    same.click()
    skip.click()
    different.click()
    decisions = read_decisions(log)
    assert decisions[["record_id", "other_record_id", "decision", "reviewer"]].values.tolist() == [
        [queue.loc[0, "record_id"], queue.loc[0, "other_record_id"], "same", "kim"],
        [queue.loc[2, "record_id"], queue.loc[2, "other_record_id"], "different", "kim"],
    ]
    assert len(seen) == 2
    assert "No pairs left" in view.value and same.disabled


def _queue_of_three() -> tuple:
    records = make_records([PAPER, dict(PAPER, pages="310-318"), dict(PAPER, pages="320-328", title=PAPER["title"] + ".")])
    return review_queue(link_records(records)), records


TEAM = [("kim (screener)", "kim"), ("lee (arbiter)", "lee")]


def test_the_app_asks_who_you_are_and_shows_no_decision_buttons_until_then(tmp_path: Path) -> None:
    queue, records = _queue_of_three()
    app = DedupReviewApp(queue, records, tmp_path / "decisions.csv", reviewers=TEAM)
    assert [v for _label, v in app.who.options] == ["", "kim", "lee"]
    (message,) = app.body.children
    assert "Pick who you are" in message.value and not isinstance(message, widgets.VBox)
    assert not (tmp_path / "decisions.csv").exists()


def test_picking_a_reviewer_shows_the_pairs_and_records_decisions_with_that_reviewer(tmp_path: Path) -> None:
    queue, records = _queue_of_three()
    log = tmp_path / "decisions.csv"
    app = DedupReviewApp(queue, records, log, reviewers=TEAM)
    app.who.value = "kim"
    view, buttons, _status = app.body.children[0].children
    assert "pair 1 of 3" in view.value
    buttons.children[0].click()  # Same
    app.who.value = "lee"  # the pair kim decided is not offered again
    view, buttons, _status = app.body.children[0].children
    assert "pair 1 of 2" in view.value
    buttons.children[1].click()  # Different
    decided = read_decisions(log)[["record_id", "other_record_id", "decision", "reviewer"]].values.tolist()
    assert decided == [
        [queue.loc[0, "record_id"], queue.loc[0, "other_record_id"], "same", "kim"],
        [queue.loc[1, "record_id"], queue.loc[1, "other_record_id"], "different", "lee"],
    ]


def test_the_app_preselects_the_sessions_reviewer_only_when_on_the_team(tmp_path: Path) -> None:
    queue, records = _queue_of_three()
    assert DedupReviewApp(queue, records, tmp_path / "d.csv", reviewers=TEAM, reviewer="lee").who.value == "lee"
    assert DedupReviewApp(queue, records, tmp_path / "d.csv", reviewers=TEAM, reviewer="stranger").who.value == ""


def test_the_app_says_when_there_is_nothing_to_decide(tmp_path: Path) -> None:
    records = make_records([PAPER])
    app = DedupReviewApp(review_queue(link_records(records)), records, tmp_path / "d.csv", reviewers=TEAM, reviewer="kim")
    assert "nothing to decide" in app.body.children[0].value


def test_pair_table_names_the_score_for_what_it_is_and_shows_the_titles(tmp_path: Path) -> None:
    queue, records = _queue_of_three()
    table = pair_table(queue, records)
    assert list(table.columns) == ["record_id", "other_record_id", "rule", "title similarity", "years apart", "title", "other title"]
    assert table["title similarity"].between(0, 100).all() and str(table["title similarity"].dtype) == "Int64"
    assert table.loc[0, "title"] == PAPER["title"]


def test_pair_table_shown_in_a_report_escapes_the_imported_titles_and_shows_no_index() -> None:
    from reviewbench.outputs.report import Table, show_table

    records = make_records([dict(PAPER, title="Clinics <script>alert(1)</script> & care"),
                            dict(PAPER, title="Clinics <script>alert(1)</script> & care", pages="310-318")])
    shown = show_table(Table("pairs", "Pairs", pair_table(review_queue(link_records(records)), records))).data
    assert "<script>" not in shown and "Clinics &lt;script&gt;alert(1)&lt;/script&gt; &amp; care" in shown
    assert '<thead><tr><th scope="col">record_id</th>' in shown  # the first column is the record, not a pandas index
