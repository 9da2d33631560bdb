"""A quote located in a generated PDF: page, column and line, whatever typesetting did to it."""

from __future__ import annotations

from pathlib import Path

from reviewbench.fulltext.extract import extract
from reviewbench.fulltext.locate import locate_quote

from .pdfgen import Page, one_column, pdf_bytes, two_columns, wrap

LEFT = wrap("Participants were recruited from outreach services in three cities over two years. " * 5, 44)
RIGHT = ["Women described the ﬁrst contact with", "outreach workers as the moment their", "health needs were taken seri-",
         "ously by a service. Several said the van", "was the only place they felt safe."]


def _pdf(tmp_path: Path):
    pages = [Page(one_column(["Title page of the report", "Background of the study"])),
             Page(two_columns(LEFT, RIGHT)),
             Page(one_column(["Discussion", "Trust in staff mattered more", "than opening hours for most participants."]))]
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf_bytes(pages))
    return extract(path)


def test_a_quote_across_lines_with_a_ligature_and_a_hyphen_gets_its_page_column_and_line(tmp_path: Path) -> None:
    text = _pdf(tmp_path)
    where = locate_quote(text, "Women described the first contact with outreach workers as the moment their health "
                               "needs were taken seriously")
    assert where is not None and (where.page, where.column, where.line) == (2, "right column", 1)
    assert where.label() == "p. 2, right column, line 1"


def test_spacing_case_punctuation_and_an_ellipsis_do_not_count(tmp_path: Path) -> None:
    text = _pdf(tmp_path)
    where = locate_quote(text, "“trust in staff  mattered more than opening hours”")
    assert where is not None and where.label() == "p. 3, line 2"
    assert locate_quote(text, "Women described the first contact ... the van was the only place they felt safe").page == 2


def test_a_quote_not_in_the_text_or_too_short_is_not_found(tmp_path: Path) -> None:
    text = _pdf(tmp_path)
    assert locate_quote(text, "Men described the first contact with outreach workers") is None
    assert locate_quote(text, "the van") is None  # too short to be found by more than chance
    assert locate_quote(text, "opening hours for most participants ... Women described") is None  # out of order
