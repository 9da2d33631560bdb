"""RIS, MEDLINE, Web of Science and Ovid: records, fields, and what is reported."""

from __future__ import annotations

from reviewbench.errors import WARNING
from reviewbench.formats import read_file, read_text


def test_ovid_ris_numbering_lines_tags_after_er_and_pmid(fixtures, by_title):
    df, report = read_file(fixtures / "ovid_numbered.ris")
    assert len(df) == 2
    rec = by_title(df, "Outreach clinics")
    assert rec["authors"] == ["Mc Grath-Lone, Louise", "Smith, J.A."]
    assert rec["year"] == 2019
    assert rec["doi"] == "10.1093/pubmed/fdy123"  # resolver URL stripped, lower case
    assert rec["pmid"] == "31234567"  # bare AN from an Ovid MEDLINE database
    assert rec["source_id"] == "31234567"  # RIS ID goes to source_id unchanged
    assert rec["pages"] == "221-228"
    assert rec["abstract"] == "Background: outreach matters. Second line of the abstract."
    assert rec["extra"]["NL"] == "J Public Health"  # Ovid writes NL after ER
    embase = by_title(df, "Second record")
    assert embase["pmid"] == ""  # an Embase accession number is not a PMID
    assert embase["authors"] == ["Adeli, K.", "Lewis, G. F."]  # EndNote-concatenated
    assert embase["pages"] == "1204-1222"
    assert report.problems == []


def test_ris_continuation_lines_including_er_word(fixtures):
    df, report = read_file(fixtures / "multiline.ris")
    assert list(df["title"]) == ["A title that continues on the next line", "Second"]
    assert df.loc[0, "abstract"] == "first line, ER then second line and at the end the last line"
    assert report.problems == []


def test_truncated_ris_keeps_last_record_and_says_so(fixtures):
    df, report = read_file(fixtures / "truncated.ris")
    assert len(df) == 2
    assert len(report.problems) == 1
    problem = report.problems[0]
    assert problem.line == 7 and "no ER line" in problem.message


def test_ris_record_without_er_is_closed_by_next_ty():
    text = "TY  - JOUR\nTI  - One\nTY  - JOUR\nTI  - Two\nER  - \n"
    df, report = read_text(text, "x.ris")
    assert list(df["title"]) == ["One", "Two"]
    assert report.problems[0].line == 1


def test_ris_pmid_from_prefixed_accession_number():
    text = "TY  - JOUR\nTI  - A\nAN  - PMID: 123456\nER  - \n"
    df, _ = read_text(text, "x.ris")
    assert df.loc[0, "pmid"] == "123456"


def test_medline_without_final_newline_stray_lines_and_unknown_tags(fixtures):
    df, report = read_file(fixtures / "pubmed.nbib")
    assert list(df["pmid"]) == ["11111111", "22222222"]
    first = df.iloc[0]
    assert first["title"] == "Occupational health of indoor sex workers in Leeds: a cross-sectional survey."
    assert first["authors"] == ["Smith, Jane Anne", "Mc Grath-Lone, Louise"]
    assert first["year"] == 2019 and first["pages"] == "221-228"
    assert first["doi"] == "10.1186/s12889-019-0001-1"
    assert first["extra"]["ZZ"] == "an unknown tag"
    second = df.iloc[1]
    assert second["title"] == "Second record stray line that belongs to the title"
    assert second["doi"] == "10.1000/abc.def"
    assert second["authors"] == ["Roe, R"]


def test_a_medline_file_cut_off_mid_record_says_so(repo_root):
    """Row 11: a truncated MEDLINE file kept its half record with no warning."""
    text = (repo_root / "bibliography" / "pubmed.nbib").read_text(encoding="utf-8")
    whole, report = read_text(text, "pubmed.nbib")
    assert report.problems == []
    cut = text[: text.index("\nFAU - ", len(text) // 2) + 9]  # in the middle of an author's name
    df, report = read_text(cut, "cut.nbib")
    [problem] = report.problems
    assert problem.kind == WARNING and "the last record stops before its SO line (the file may be cut off" in problem.message
    last_start = cut.rindex("\n\n") + 2
    assert problem.line == cut.count("\n", 0, last_start) + 1
    assert df.iloc[-1]["title"] == whole.iloc[len(df) - 1]["title"] and df.iloc[-1]["journal"] == ""


def test_medline_crlf_gives_same_records(fixtures):
    text = (fixtures / "pubmed.nbib").read_text(encoding="utf-8")
    lf, _ = read_text(text, "pubmed.nbib")
    crlf, _ = read_text(text.replace("\n", "\r\n").replace("\r\n", "\n"), "pubmed.nbib")
    assert list(lf["record_id"]) == list(crlf["record_id"])


def test_web_of_science_plain_text(fixtures, by_title):
    df, report = read_file(fixtures / "wos.txt")
    assert report.format == "wos"
    assert len(df) == 2
    first = by_title(df, "Residence time")
    assert first["title"].endswith("at work in the alien flora of Galapagos")
    assert first["authors"] == ["Trueman, Mandy", "Atkinson, Rachel"]  # AF preferred to AU
    assert first["pages"] == "3949-3960" and first["pmid"] == "21212121"
    assert first["keywords"] == ["invasion", "propagule pressure"]
    assert first["extra"]["ZZ"] == "an unknown new tag"  # unknown tags kept
    assert first["extra"]["UT"] == "WOS:000286581800004"
    second = by_title(df, "Widespread")
    assert second["year"] == 2011 and second["pages"] == "e0123"


def test_old_isi_header_on_one_line():
    text = "FN ISI Export Format VR 1.0\n\nPT J\nAU Smith, J\nTI A title\nPY 1999\nER\n\nEF\n"
    df, report = read_text(text, "old.isi")
    assert report.format == "wos" and list(df["title"]) == ["A title"]


def test_ovid_tagged_records(fixtures, by_title):
    df, report = read_file(fixtures / "ovid.ovd")
    assert report.format == "ovid"
    first = by_title(df, "Quality of life")
    assert first["authors"] == ["Behan, L.", "Lucas, J.S."]
    assert first["abstract"] == "An abstract that continues here."
    assert first["doi"] == "10.1186/s12919-018-0099-8"
    assert first["journal"] == "BMC Proceedings"
    assert first["pmid"] == ""  # Embase UI is not a PMID
    assert by_title(df, "A second record")["pmid"] == "30000001"
