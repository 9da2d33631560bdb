"""``reviewbench validate --repair``: an incomplete last row is moved aside, and said so."""

from __future__ import annotations

from reviewbench.cli import main
from reviewbench.project import Project
from reviewbench.screening.decisions import read_reviewer_log, record_decision


def test_repair_moves_a_torn_row_aside_and_screening_goes_on(screening_project: Project, capsys):
    """Row 2: a torn quoted note at the end of a reviewer's log, then a decision in the view."""
    project = screening_project
    record_decision(project, "title_abstract", "alex", "r01", "include")
    log = project.screening_log_file("title_abstract", "alex")
    with log.open("a") as fh:
        fh.write('r02,include,,"partial note')
    assert main(["validate", "--project", str(project.root)]) == 2
    assert "line 3: the last row is incomplete" in capsys.readouterr().err

    assert main(["validate", "--repair", "--project", str(project.root)]) == 0
    err = capsys.readouterr().err
    assert f"{log}: moved the incomplete row on line 3 (26 bytes) to alex.csv.torn" in err
    assert "all logs are valid" in err
    assert log.with_name("alex.csv.torn").read_text() == 'r02,include,,"partial note\n'

    record_decision(project, "title_abstract", "alex", "r02", "exclude")
    assert read_reviewer_log(project, "title_abstract", "alex")["record_id"].tolist() == ["r01", "r02"]
    assert main(["validate", "--repair", "--project", str(project.root)]) == 0
    assert "nothing to repair" in capsys.readouterr().err


def test_a_zero_byte_log_passes_validate(screening_project: Project, capsys):
    """Row 11: a log created but killed before its header was written."""
    log = screening_project.screening_log_file("title_abstract", "alex")
    log.parent.mkdir(parents=True)
    log.touch()
    assert main(["validate", "--project", str(screening_project.root)]) == 0
    record_decision(screening_project, "title_abstract", "alex", "r01", "include")
    assert read_reviewer_log(screening_project, "title_abstract", "alex")["record_id"].tolist() == ["r01"]


def test_a_byte_order_mark_neither_fails_validate_nor_blocks_screening(screening_project: Project, capsys):
    """Row 6: a reviewer log saved as "UTF-8 with BOM"."""
    record_decision(screening_project, "title_abstract", "alex", "r01", "include")
    log = screening_project.screening_log_file("title_abstract", "alex")
    log.write_bytes(b"\xef\xbb\xbf" + log.read_bytes())
    assert main(["validate", "--project", str(screening_project.root)]) == 0
    record_decision(screening_project, "title_abstract", "alex", "r02", "exclude")
    assert main(["validate", "--project", str(screening_project.root)]) == 0
    assert read_reviewer_log(screening_project, "title_abstract", "alex")["record_id"].tolist() == ["r01", "r02"]


def test_a_symlinked_reviewer_log_is_reported_and_not_written_through(screening_project: Project, tmp_path, capsys):
    """Row 10: a committed symbolic link in place of a reviewer log."""
    outside = tmp_path / "outside.csv"
    outside.write_text("")
    log = screening_project.screening_log_file("title_abstract", "alex")
    log.parent.mkdir(parents=True)
    log.symlink_to(outside)
    assert main(["validate", "--repair", "--project", str(screening_project.root)]) == 2
    assert "alex.csv: the file is a symbolic link" in capsys.readouterr().err
    assert outside.read_text() == ""
