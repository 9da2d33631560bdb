"""The links log: appended, checked, latest row per PDF in force; validate reads it."""

from __future__ import annotations

import pytest

from reviewbench.errors import ParameterError
from reviewbench.fulltext.links import (
    LINK_COLUMNS, check_links_log, confirm_links, current_links, linked_records, read_links, relative_file,
)
from reviewbench.validate import validate_project

from .project import cluster_ids

SHA_A, SHA_B = "a" * 64, "b" * 64


def test_links_are_appended_and_the_latest_row_per_pdf_stands(ft_project) -> None:
    confirm_links(ft_project, [{"record_id": "r1", "file": "fulltext/a.pdf", "sha256": SHA_A, "method": "title", "score": 97}], "alex")
    confirm_links(ft_project, [{"record_id": "r2", "file": "fulltext/b.pdf", "sha256": SHA_B, "method": "doi"}], "alex")
    before = ft_project.fulltext_links_file.read_bytes()
    confirm_links(ft_project, [{"record_id": "r3", "file": "fulltext/a.pdf", "sha256": SHA_A, "method": "manual"}], "alex")
    assert ft_project.fulltext_links_file.read_bytes().startswith(before)  # appended, never rewritten
    assert len(read_links(ft_project)) == 3
    assert dict(zip(current_links(ft_project)["sha256"], current_links(ft_project)["record_id"])) == {SHA_A: "r3", SHA_B: "r2"}
    confirm_links(ft_project, [{"record_id": "", "file": "fulltext/b.pdf", "sha256": SHA_B, "method": "unlinked"}], "alex")
    assert linked_records(ft_project) == {"r3": ["fulltext/a.pdf"]}
    assert check_links_log(ft_project.fulltext_links_file) == []


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ({"record_id": "r1", "file": "a.pdf", "sha256": "abc", "method": "title"}, "sha256"),
        ({"record_id": "r1", "file": "a.pdf", "sha256": SHA_A, "method": "guess"}, "method"),
        ({"record_id": "", "file": "a.pdf", "sha256": SHA_A, "method": "title"}, "record_id"),
    ],
)
def test_a_bad_link_is_refused_and_nothing_is_written(ft_project, row, column) -> None:
    good = {"record_id": "r2", "file": "b.pdf", "sha256": SHA_B, "method": "doi"}
    with pytest.raises(ParameterError) as info:
        confirm_links(ft_project, [good, row], "alex")
    assert info.value.name == column
    assert not ft_project.fulltext_links_file.exists()


def test_validate_names_the_line_of_a_bad_link(ft_project) -> None:
    ids = cluster_ids(ft_project)
    confirm_links(ft_project, [{"record_id": ids["R1"], "file": "fulltext/a.pdf", "sha256": SHA_A, "method": "doi"}], "alex")
    with ft_project.fulltext_links_file.open("a", encoding="utf-8") as fh:
        fh.write(f"{ids['R2']},fulltext/b.pdf,xyz,title,90,,,2026-01-01T00:00:00Z\n")
    problems = [p for p in validate_project(ft_project) if "links.csv" in p.path]
    assert {p.line for p in problems} == {3}
    text = " ".join(p.message for p in problems)
    assert "sha256" in text and "confirmed_by" in text


def test_files_are_named_relative_to_the_project(ft_project, tmp_path) -> None:
    assert relative_file(ft_project, ft_project.fulltext / "sub" / "a.pdf") == "fulltext/sub/a.pdf"
    outside = tmp_path / "elsewhere.pdf"
    assert relative_file(ft_project, outside) == str(outside.resolve())
    assert LINK_COLUMNS[:4] == ["record_id", "file", "sha256", "method"]
