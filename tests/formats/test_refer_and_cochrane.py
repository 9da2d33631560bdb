"""EndNote tagged (refer) and Cochrane Library plain text: fields, layout, problems, detection."""

from __future__ import annotations

import codecs

import pytest

from reviewbench.errors import SKIPPED, WARNING, UnknownFormatError
from reviewbench.formats import read_bytes, read_file, read_text
from reviewbench.formats.registry import EXPECTED, detect_format


def test_endnote_tagged_fields(fixtures, by_title):
    df, report = read_file(fixtures / "endnote.enw")
    assert report.format == "refer" and report.problems == []
    rec = by_title(df, "Outreach clinics")
    assert rec["title"] == "Outreach clinics for street-based sex workers in a northern city: a mixed-methods evaluation"
    assert rec["authors"] == ["Mc Grath-Lone, Louise", "Smith, Jane Anne"]
    assert rec["ref_type"] == "Journal Article"
    assert (rec["journal"], rec["volume"], rec["issue"], rec["pages"]) == ("Journal of Public Health", "41", "2", "221-228")
    assert rec["year"] == 2019 and rec["doi"] == "10.1093/pubmed/fdy999"
    assert rec["url"] == "https://doi.org/10.1093/pubmed/fdy999"
    assert rec["abstract"] == "Background: outreach matters. Methods: interviews with 20 workers and clinic records."
    # keywords one per %K line, on continuation lines, and separated by semicolons
    assert rec["keywords"] == ["sex work", "outreach", "harm reduction", "sexual health"]
    assert (rec["isbn"], rec["language"], rec["source_db"]) == ("1741-3842", "English", "PubMed")
    assert rec["pmid"] == "31000001"  # a PubMed accession number
    # nothing dropped: the second URL, the date, the publisher and the notes stay in extra
    assert rec["extra"] == {"U": "https://example.org/outreach-clinics", "8": "Mar 2019", "I": "Oxford University Press", "Z": "An unmapped note"}
    chapter = by_title(df, "Housing first")
    assert chapter["journal"] == "Homelessness and Health in Europe"  # %B: the book of a section
    assert chapter["authors"] == ["Roe, Richard"] and chapter["extra"]["E"] == "Doe, Jane"  # editors kept
    assert chapter["pmid"] == "" and chapter["isbn"] == "978-0-00-000000-2"


def test_a_pubmed_link_gives_the_pmid_and_stays_the_url():
    df, _ = read_text("%0 Journal Article\n%T T\n%U https://pubmed.ncbi.nlm.nih.gov/12345678/\n", "x.enw")
    assert df.loc[0, "pmid"] == "12345678" and df.loc[0, "url"] == "https://pubmed.ncbi.nlm.nih.gov/12345678/"


def test_endnote_editors_stand_in_for_missing_authors_and_a_date_for_a_year():
    df, _ = read_text("%0 Edited Book\n%E Doe, Jane\n%T A book\n%8 2015/06/01\n", "x.enw")
    assert df.loc[0, "authors"] == ["Doe, Jane"] and df.loc[0, "year"] == 2015


def test_refer_records_without_type_lines_are_separated_by_blank_lines():
    text = "%A Smith, J\n%T First\n%D 1999\n\n\n%A Roe, R\n%T Second\n"
    df, report = read_text(text, "refs.txt")
    assert report.format == "refer" and list(df["title"]) == ["First", "Second"] and report.problems == []


def test_a_type_line_starts_a_record_even_without_a_blank_line():
    df, _ = read_text("%0 Journal Article\n%T One\n%0 Report\n%T Two\n", "x.enw")
    assert list(df["title"]) == ["One", "Two"] and list(df["ref_type"]) == ["Journal Article", "Report"]


def test_endnote_problems_are_reported_with_their_lines():
    text = "Exported from a reference manager\n\n%0 Journal Article\n%T Kept\n\n%0 Journal Article\n%Z only a note\n"
    df, report = read_text(text, "x.enw")
    assert list(df["title"]) == ["Kept"]
    stray, skipped = report.problems
    assert stray.line == 1 and stray.kind == WARNING and "outside any record" in stray.message
    assert skipped.line == 6 and skipped.kind == SKIPPED and "only %0 (Reference Type), %Z (Notes)" in skipped.message


def test_cochrane_fields(fixtures, by_title):
    df, report = read_file(fixtures / "cochrane_central.txt")
    assert report.format == "cochrane" and len(df) == 3
    trial = by_title(df, "Peer-led HIV testing")
    assert trial["source_id"] == "CN-01234567" and trial["source_db"] == "Cochrane CENTRAL"
    assert trial["authors"] == ["Okafor, C", "Mc Grath-Lone, L"]
    assert (trial["journal"], trial["year"], trial["volume"], trial["issue"], trial["pages"]) == ("BMC Public Health", 2021, "21", "4", "1-12")
    assert trial["ref_type"] == "Journal Article; Randomized Controlled Trial"
    assert trial["keywords"] == ["HIV Testing", "Sex Workers", "Peer Group"]
    assert trial["doi"] == "10.1186/s12889-021-00001-x" and trial["pmid"] == "33333333"  # the number of "PUBMED n"
    assert trial["url"].endswith("/CN-01234567/full") and trial["isbn"] == "1471-2458"
    assert trial["abstract"] == "BACKGROUND: peer educators may raise testing. METHODS: 24 clusters were randomised."
    assert trial["extra"] == {"XR": "EMBASE 612345678", "CC": "HM-HIV", "ZZ": "an unknown tag"}
    second = by_title(df, "Text message reminders")
    assert second["title"] == "Text message reminders for cervical screening: a randomised trial in general practice"
    assert second["pmid"] == "22222222" and "XR" not in second["extra"]  # a PubMed cross-reference is the PMID
    review = by_title(df, "Interventions for the health")
    assert review["source_id"] == "CD012345" and review["source_db"] == "Cochrane Database of Systematic Reviews"
    assert review["extra"] == {"PB": "John Wiley & Sons, Ltd"}


def test_cochrane_header_is_skipped_and_a_stray_line_in_a_record_is_reported(fixtures):
    text = (fixtures / "cochrane_central.txt").read_text(encoding="utf-8")
    stray_line = text.split("\n").index("a stray line before any tag") + 1
    _, report = read_text(text, "central.txt")
    [problem] = report.problems  # the four header lines are not reported
    assert problem.line == stray_line and problem.kind == WARNING and "inside a record before its first tag" in problem.message
    clean, report = read_text(text.replace("a stray line before any tag\n", ""), "central.txt")
    assert report.problems == [] and len(clean) == 3


def test_a_cochrane_export_with_fewer_records_than_announced_says_so():
    text = "Record #1 of 3\nID: CN-1\nTI: One\n\nRecord #2 of 3\nID: CN-2\nTI: Two\nAU: Doe J\n"
    df, report = read_text(text, "x.txt")
    [problem] = report.problems
    assert len(df) == 2 and problem.line == 5 and "announces 3 records but holds 2" in problem.message


def test_tag_lines_before_the_first_record_line_are_read_not_skipped_as_a_header():
    text = "Cochrane Library\nID: CN-0\nTI: Zero\n\nRecord #1 of 1\nID: CN-1\nTI: One\n"
    df, report = read_text(text, "x.txt")
    assert list(df["title"]) == ["Zero", "One"]
    [problem] = report.problems
    assert problem.line == 1 and "outside any record" in problem.message  # a header line beside tags: said


def test_a_cochrane_record_without_id_title_or_author_is_skipped_with_its_line():
    text = "Record #1 of 2\nID: CN-1\nTI: One\n\nRecord #2 of 2\nSO: Trials\nYR: 2001\n"
    df, report = read_text(text, "x.txt")
    [problem] = report.problems
    assert list(df["title"]) == ["One"] and problem.kind == SKIPPED and problem.line == 5
    assert "only SO (Source (journal)), YR (Year)" in problem.message


ENCODINGS = [
    pytest.param(lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), id="utf-8-bom"),
    pytest.param(lambda t: t.encode("utf-16"), id="utf-16"),
    pytest.param(lambda t: t.encode("cp1252"), id="windows-1252"),
    pytest.param(lambda t: t.replace("\n", "\r\n").encode("utf-8"), id="crlf"),
    pytest.param(lambda t: t.replace("\n", "\r").encode("utf-8"), id="cr"),
]


@pytest.mark.parametrize("encode", ENCODINGS)
@pytest.mark.parametrize("name", ["endnote.enw", "cochrane_central.txt"])
def test_encodings_and_line_endings_give_the_same_records(fixtures, name, encode):
    text = (fixtures / name).read_text(encoding="utf-8").replace("Okafor C", "Müller C").replace("Roe, Richard", "Møller, Åse")
    plain, plain_report = read_text(text, name)
    df, report = read_bytes(encode(text), name)
    assert report.format == plain_report.format
    for column in ("record_id", "title", "authors", "abstract", "keywords", "extra"):
        assert df[column].tolist() == plain[column].tolist(), column
    assert [(p.line, p.message) for p in report.problems] == [(p.line, p.message) for p in plain_report.problems]


@pytest.mark.parametrize("name", ["endnote.enw", "cochrane_central.txt"])
@pytest.mark.parametrize("as_name", ["export.txt", "export", "export.ris", "export.csv"])
def test_detected_from_content_whatever_the_name(fixtures, name, as_name):
    text = (fixtures / name).read_text(encoding="utf-8")
    assert detect_format(text, as_name) == {"endnote.enw": "refer", "cochrane_central.txt": "cochrane"}[name]


@pytest.mark.parametrize("name, fmt", [
    ("multiline.ris", "ris"), ("ovid_numbered.ris", "ris"), ("truncated.ris", "ris"), ("wos.txt", "wos"),
    ("pubmed.nbib", "medline"), ("ovid.ovd", "ovid"), ("proquest.txt", "proquest"), ("broken.bib", "bibtex"),
])
def test_other_tagged_exports_are_not_taken_for_endnote_or_cochrane(fixtures, name, fmt):
    text = (fixtures / name).read_text(encoding="utf-8")
    assert detect_format(text, "export.txt") == fmt
    assert detect_format(text, "export.enw") == fmt


def test_a_cochrane_ris_export_is_still_ris():
    text = "Record #1 of 1\nProvider: Cochrane\n\nTY  - JOUR\nID  - CN-01234567\nTI  - A trial\nER  - \n"
    df, report = read_text(text, "citation-export.txt")
    assert report.format == "ris" and df.loc[0, "source_id"] == "CN-01234567"


def test_bibtex_with_percent_comments_is_still_bibtex():
    text = "%A comment line\n%T another comment\n@article{k, title = {A title}, year = {2001}}\n"
    assert detect_format(text, "refs.bib") == "bibtex"


def test_the_unknown_format_message_names_both_formats():
    assert "EndNote tagged/refer" in EXPECTED and "Cochrane Library plain text" in EXPECTED
    with pytest.raises(UnknownFormatError, match="Cochrane Library plain text"):
        read_text("just some words\n", "notes.txt")
