"""The full-text panel: the linked PDF's text with the screening terms marked and escaped,
a record without a PDF listed as to retrieve, a scan and an unreadable PDF said so."""

from __future__ import annotations

import hashlib

from fulltext.pdfgen import Page, encrypt, one_column, pdf_bytes
from fulltext.project import cluster_ids, make_project
from reviewbench.fulltext.links import confirm_links
from reviewbench.screening.views import fulltext as panel_module
from reviewbench.screening.views.fulltext import fulltext_panel, lab_file_url


def _link(project, rid: str, name: str, data: bytes) -> None:
    (project.fulltext / name).write_bytes(data)
    confirm_links(project, [{"record_id": rid, "file": f"fulltext/{name}", "sha256": hashlib.sha256(data).hexdigest(),
                             "method": "manual"}], "alex")


def test_panel_marks_the_terms_in_the_text_and_escapes_it(tmp_path, monkeypatch) -> None:
    project = make_project(tmp_path)
    ids = cluster_ids(project)
    pages = [Page(one_column(["Selling sex and health <script>alert(1)</script>", "grown in yeast"])), Page(scanned=True)]
    _link(project, ids["R1"], "a.pdf", pdf_bytes(pages))
    monkeypatch.setattr(panel_module, "lab_file_url", lambda path: "/files/review/fulltext/a.pdf")
    out = fulltext_panel(project, ids["R1"], ["selling sex", "health"], ["yeast"])
    assert '<iframe class="rb-ft-pdf" src="/files/review/fulltext/a.pdf"' in out
    assert '<mark class="rb-term rb-include"' in out and ">Selling sex</mark>" in out
    assert '<mark class="rb-term rb-exclude"' in out and ">yeast</mark>" in out
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert 'data-page="2"' in out and "no text on this page" in out


def test_panel_without_a_pdf_or_with_an_unreadable_one(tmp_path, monkeypatch) -> None:
    project = make_project(tmp_path)
    ids = cluster_ids(project)
    assert "to retrieve" in fulltext_panel(project, ids["R3"])
    _link(project, ids["R2"], "locked.pdf", encrypt(pdf_bytes([Page(one_column(["x"]))])))
    monkeypatch.setattr(panel_module, "lab_file_url", lambda path: None)
    out = fulltext_panel(project, ids["R2"])
    assert "password" in out and "file browser" in out and "<iframe" not in out
    (project.fulltext / "locked.pdf").unlink()
    assert "not on this computer" in fulltext_panel(project, ids["R2"])


def test_lab_file_url_from_the_running_servers(tmp_path, monkeypatch) -> None:
    import jupyter_server.serverapp as serverapp

    servers = [{"root_dir": str(tmp_path), "base_url": "/"}, {"root_dir": str(tmp_path / "a"), "base_url": "/lab2/"}]
    monkeypatch.setattr(serverapp, "list_running_servers", lambda: iter(servers))
    assert lab_file_url(tmp_path / "a" / "my file.pdf") == "/lab2/files/my%20file.pdf"  # the closest root
    assert lab_file_url(tmp_path / "b.pdf") == "/files/b.pdf"
    assert lab_file_url("/elsewhere/c.pdf") is None
