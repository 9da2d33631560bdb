"""The review queue view: differences highlighted, buttons append decisions."""

from __future__ import annotations

from pathlib import Path

from reviewbench.dedupe import link_records, pair_html, read_decisions, review_queue, review_widget
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
