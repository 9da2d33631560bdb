"""The command line's error boundary: one message and exit status 2, never a traceback,
for every error of a file met on the way (operating system, CSV, XML, ZIP)."""

from __future__ import annotations

import csv
import errno
import xml.etree.ElementTree as ET
import zipfile
import zlib
from pathlib import Path
from xml.parsers.expat import ExpatError

import pytest

from reviewbench.cli import import_cmd, main

RIS = "TY  - JOUR\nTI  - A study\nER  - \n"


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "ok.ris"
    path.write_text(RIS)
    return path


def _one_message(capsys, command: str = "import") -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"reviewbench {command}: error: "), err
    return lines[0]


def test_output_naming_a_folder_is_one_message(export, tmp_path, capsys):
    """Row 7: ``reviewbench import ok.ris -o some_folder/``."""
    folder = tmp_path / "some_folder"
    folder.mkdir()
    assert main(["import", str(export), "-o", f"{folder}/"]) == 2
    assert f"{folder}: is a folder" in _one_message(capsys)
    assert list(folder.iterdir()) == []


def test_output_in_an_unwritable_place_is_one_message(export, tmp_path, capsys, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / ".out.csv.x1.tmp"))

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    assert main(["import", str(export), "-o", str(tmp_path / "out.csv")]) == 2
    message = _one_message(capsys)
    assert f"{tmp_path / 'out.csv'}: permission denied" in message and ".tmp" not in message


def test_output_below_a_file_is_one_message(export, tmp_path, capsys):
    assert main(["import", str(export), "-o", str(export / "out.csv")]) == 2
    assert str(export) in _one_message(capsys)


@pytest.mark.parametrize("error, says", [
    (OSError(errno.ENOSPC, "No space left on device"), "no space left on the disk"),
    (OSError(errno.EFBIG, "File too large", "out.csv"), "out.csv: the file would exceed the file-size limit"),
    (csv.Error("field larger than field limit (131072)"), "a CSV file could not be read: field larger"),
    (ET.ParseError("unclosed token: line 1, column 286"), "an XML file could not be read: unclosed token"),
    (ExpatError("not well-formed"), "an XML file could not be read"),
    (zipfile.BadZipFile("Bad CRC-32 for file 'xl/worksheets/sheet1.xml'"), "a ZIP or XLSX file is damaged: Bad CRC-32"),
    (zlib.error("Error -3 while decompressing data"), "a ZIP or XLSX file is damaged"),
])
def test_every_file_error_is_one_message_with_exit_2(export, tmp_path, capsys, monkeypatch, error, says):
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(import_cmd, "read_files", fail)
    assert main(["import", str(export), "-o", str(tmp_path / "out.csv")]) == 2
    assert says in _one_message(capsys)
