"""``reviewbench fulltext link``: one row per PDF (``pdf, record_id, method, score``), the
flagged ones explained, links appended only when confirmed."""

from __future__ import annotations

import csv
import io

from reviewbench.cli import main
from reviewbench.fulltext.links import current_links

from .project import RECORDS, cluster_ids
from .pdfgen import Page, damage, encrypt, one_column, pdf_bytes, wrap

TITLES = {rid: title for rid, title, *_ in RECORDS}


def _write_pdfs(project) -> None:
    folder = project.fulltext
    page = lambda lines: pdf_bytes([Page(one_column(lines))])  # noqa: E731
    (folder / "smith.pdf").write_bytes(page(["J Tests 2020", *wrap(TITLES["R1"], 30), "doi:10.5555/rb.2019.001"]))
    (folder / "garcia.pdf").write_bytes(page(["Original article", *wrap(TITLES["R2"].replace("fi", "\ufb01"), 25)]))
    (folder / "sub").mkdir()
    (folder / "sub" / "KHAN.PDF").write_bytes(page(["Running head: outreach", *wrap(TITLES["R3"], 35)]))
    (folder / "yeast.pdf").write_bytes(page([TITLES["R5"], "doi:10.5555/rb.2018.005"]))  # excluded at title/abstract
    (folder / "locked.pdf").write_bytes(encrypt(page(["x"])))
    (folder / "broken.pdf").write_bytes(damage(page(["x"] * 40)))
    (folder / "scan.pdf").write_bytes(pdf_bytes([Page(scanned=True)]))
    (folder / ".hidden.pdf").write_bytes(page(["x"]))


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_link_prints_and_writes_one_row_per_pdf(ft_project, tmp_path, capsys) -> None:
    _write_pdfs(ft_project)
    ids = cluster_ids(ft_project)
    out = tmp_path / "proposed.csv"
    assert main(["fulltext", "link", str(ft_project.fulltext), "--project", str(ft_project.root), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    rows = _rows(captured.out)
    assert list(rows[0]) == ["pdf", "record_id", "method", "score"]
    assert _rows(out.read_text(encoding="utf-8")) == rows
    got = {r["pdf"].rsplit("/", 1)[-1]: (r["record_id"], r["method"]) for r in rows}
    assert got == {
        "broken.pdf": ("", "unreadable"),
        "garcia.pdf": (ids["R2"], "title"),
        "locked.pdf": ("", "unreadable"),
        "scan.pdf": ("", "unmatched"),
        "smith.pdf": (ids["R1"], "doi"),
        "KHAN.PDF": (ids["R3"], "title"),
        "yeast.pdf": ("", "unmatched"),
    }
    assert "password" in captured.err and "damaged" in captured.err and "OCR" in captured.err
    assert not ft_project.fulltext_links_file.exists()  # nothing is a decision until confirmed


def test_confirm_appends_the_matches_and_a_second_run_keeps_them(ft_project, capsys) -> None:
    _write_pdfs(ft_project)
    ids = cluster_ids(ft_project)
    args = ["fulltext", "link", str(ft_project.fulltext), "--project", str(ft_project.root)]
    assert main([*args, "--confirm", "--reviewer", "alex"]) == 0
    links = current_links(ft_project)
    assert dict(zip(links["file"], links["record_id"])) == {
        "fulltext/garcia.pdf": ids["R2"], "fulltext/smith.pdf": ids["R1"], "fulltext/sub/KHAN.PDF": ids["R3"]}
    assert set(links["confirmed_by"]) == {"alex"}
    capsys.readouterr()
    # a copy of a linked PDF under another name would give its record a second PDF: flagged
    (ft_project.fulltext / "smith-copy.pdf").write_bytes((ft_project.fulltext / "smith.pdf").read_bytes() + b"\n%")
    assert main([*args, "--confirm", "--reviewer", "alex"]) == 0
    rows = {r["pdf"].rsplit("/", 1)[-1]: r["method"] for r in _rows(capsys.readouterr().out)}
    assert rows["smith.pdf"] == "linked" and rows["smith-copy.pdf"] == "ambiguous"
    assert len(current_links(ft_project)) == 3


def test_who_confirms(ft_project, capsys) -> None:
    _write_pdfs(ft_project)
    args = ["fulltext", "link", str(ft_project.fulltext), "--project", str(ft_project.root), "--confirm"]
    assert main([*args, "--reviewer", "no/slash"]) == 2  # not a reviewer's name: one message, nothing written
    assert "reviewer" in capsys.readouterr().err and not ft_project.fulltext_links_file.exists()
    assert main(args) == 0  # review.yml's only screener
    assert set(current_links(ft_project)["confirmed_by"]) == {"alex"}
