"""Reading PDFs the tests generate: text, two columns, ligatures, a scanned page, an
encrypted, a damaged and a huge one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewbench.errors import FullTextError
from reviewbench.fulltext import extract as extract_module
from reviewbench.fulltext.extract import extract, read_pdf, sha256_of
from reviewbench.fulltext.text import compact, key, readable

from .pdfgen import Page, damage, encrypt, one_column, pdf_bytes, two_columns, wrap

LEFT = wrap("Participants were recruited from outreach services in three cities. " * 6, 44)
RIGHT = wrap("Interviews were coded by two researchers working independently. " * 6, 44)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_one_column_text_page_by_page(tmp_path: Path) -> None:
    pdf = write(tmp_path, "a.pdf", pdf_bytes([Page(one_column(["First page", "second line"])),
                                              Page(one_column(["Second page"]))]))
    text = extract(pdf)
    assert [p.lines for p in text.pages] == [("First page", "second line"), ("Second page",)]
    assert text.scanned_pages == [] and not text.scanned
    assert text.sha256 == sha256_of(pdf)


def test_two_columns_are_read_one_after_the_other(tmp_path: Path) -> None:
    page = Page(one_column(["A title above both columns"], top=780, size=14) + two_columns(LEFT, RIGHT))
    text = extract(write(tmp_path, "two.pdf", pdf_bytes([page])))
    lines = list(text.pages[0].lines)
    assert lines[0] == "A title above both columns"
    assert lines[1:1 + len(LEFT)] == LEFT
    assert lines[1 + len(LEFT):] == RIGHT
    assert set(text.pages[0].columns[1:1 + len(LEFT)]) == {"left column"}
    assert set(text.pages[0].columns[1 + len(LEFT):]) == {"right column"}


def test_ligatures_are_read_as_letters_for_matching(tmp_path: Path) -> None:
    text = extract(write(tmp_path, "lig.pdf", pdf_bytes([Page(one_column(["The ﬁrst ﬂow of ﬁndings"]))])))
    assert "\ufb01" in text.pages[0].text  # the PDF draws the ligature glyph
    assert readable(text.pages[0].text) == "The first flow of findings"
    assert key(text.pages[0].text) == key("The first flow of findings")


def test_hyphenation_and_line_breaks_do_not_count() -> None:
    assert readable("health ser-\nvices and\n  outreach") == "health services and outreach"
    assert key("Health ser-\nvices: a cross-sectional\nsurvey") == key("health services a cross sectional survey")
    c = compact("Ab-\ncd")
    assert c.text == "abcd" and c.span(1, 3) == (1, 5)


def test_a_scanned_page_is_reported_as_without_text(tmp_path: Path) -> None:
    pdf = write(tmp_path, "scan.pdf", pdf_bytes([Page(one_column(["Cover page"])), Page(scanned=True)]))
    text = extract(pdf)
    assert text.scanned_pages == [2] and not text.scanned
    only_scan = extract(write(tmp_path, "scan2.pdf", pdf_bytes([Page(scanned=True)])))
    assert only_scan.scanned


@pytest.mark.parametrize(
    ("name", "make", "kind", "words"),
    [
        ("encrypted.pdf", lambda: encrypt(pdf_bytes([Page(one_column(["secret"]))])), "encrypted", "password"),
        ("damaged.pdf", lambda: damage(pdf_bytes([Page(one_column(["text"]))] * 3)), "damaged", "damaged"),
        ("notes.pdf", lambda: b"just some notes, not a PDF\n", "not_pdf", "not a PDF"),
        ("empty.pdf", lambda: b"", "not_pdf", "not a PDF"),
    ],
)
def test_unreadable_pdfs_stop_with_one_message(tmp_path: Path, name, make, kind, words) -> None:
    pdf = write(tmp_path, name, make())
    with pytest.raises(FullTextError) as info:
        extract(pdf)
    assert info.value.kind == kind
    assert str(info.value).startswith(str(pdf)) and words in str(info.value)
    assert "\n" not in str(info.value)


def test_a_huge_pdf_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = write(tmp_path, "big.pdf", pdf_bytes([Page(one_column(["page"]))] * 3))
    monkeypatch.setattr(extract_module, "MAX_PAGES", 2)
    with pytest.raises(FullTextError, match="3 pages") as info:
        extract(pdf)
    assert info.value.kind == "too_large"
    monkeypatch.setattr(extract_module, "MAX_BYTES", 100)
    with pytest.raises(FullTextError, match="MB") as info:
        read_pdf(pdf, tmp_path / "cache")
    assert info.value.kind == "too_large"


def test_text_is_cached_by_hash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = write(tmp_path, "a.pdf", pdf_bytes([Page(one_column(["Cached text"]))]))
    cache = tmp_path / "cache"
    first = read_pdf(pdf, cache)
    entry = cache / f"{first.sha256}.json"
    assert json.loads(entry.read_text(encoding="utf-8"))["pages"][0]["lines"] == ["Cached text"]
    copy = write(tmp_path, "copy under another name.pdf", pdf.read_bytes())

    def no_reading(*_args, **_kwargs):
        raise AssertionError("read again")

    monkeypatch.setattr(extract_module, "extract", no_reading)
    assert read_pdf(copy, cache) == first
    entry.write_text("{not json", encoding="utf-8")  # a damaged cache entry is read again
    monkeypatch.undo()
    assert read_pdf(pdf, cache) == first
