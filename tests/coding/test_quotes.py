"""A coded quote gets its page: the form fills ``location`` from the record's linked PDF
and warns when the quote is not in its text."""

from __future__ import annotations

import hashlib

from reviewbench.coding import load_codebook, read_findings
from reviewbench.coding.form import FindingForm
from reviewbench.coding.quotes import quote_location
from reviewbench.fulltext.links import confirm_links

from fulltext.pdfgen import Page, one_column, pdf_bytes, two_columns, wrap


def _link(project, record_id: str, name: str = "rec-a.pdf") -> None:
    left = wrap("Methods: twelve indoor workers took part in interviews about their health. " * 4, 44)
    right = ["Indoor workers were tested for STIs at", "the clinic more often than street-", "based workers."]
    data = pdf_bytes([Page(one_column(["A report"])), Page(two_columns(left, right))])
    (project.root / "fulltext").mkdir(exist_ok=True)
    (project.root / "fulltext" / name).write_bytes(data)
    confirm_links(project, [{"record_id": record_id, "file": f"fulltext/{name}", "sha256": hashlib.sha256(data).hexdigest(),
                             "method": "manual"}], "kim")


def test_quote_location(project) -> None:
    assert quote_location(project, "rec-a", "anything at all here") == ("", "")  # no PDF linked: nothing to say
    _link(project, "rec-a")
    assert quote_location(project, "rec-a", "tested for STIs at the clinic more often than street-based workers") == (
        "p. 2, right column, line 1", "")
    location, warning = quote_location(project, "rec-a", "Street workers were never tested at the clinic")
    assert location == "" and "not in the text of rec-a.pdf" in warning
    (project.root / "fulltext" / "rec-a.pdf").unlink()
    assert "not on this computer" in quote_location(project, "rec-a", "tested for STIs at the clinic")[1]


def test_the_form_fills_the_location_of_a_quote_and_warns_when_it_is_not_there(project) -> None:
    _link(project, "rec-a")
    form = FindingForm(project, "kim", record_ids=["rec-a", "rec-b"])
    form.record_id.value = "rec-a"
    form.finding.value = "Indoor workers were tested for STIs at the clinic more often than street-based workers."
    form.fields["subgroup"].value = ["indoor"]
    form.fields["tier"].value = ["secondary"]
    assert form.save() is not None
    rows = read_findings(project, load_codebook(project))
    assert rows.loc[rows["coder"] == "kim", "location"].iloc[0] == "p. 2, right column, line 1"
    form.record_id.value = "rec-a"
    form.finding.value = "A paraphrase the PDF does not have, in other words."
    form.fields["subgroup"].value = ["indoor"]
    form.fields["tier"].value = ["secondary"]
    assert form.save() is not None
    assert "quote was not found" in form.message.value
    rows = read_findings(project, load_codebook(project))
    assert rows.loc[rows["coder"] == "kim", "location"].iloc[-1] == ""
