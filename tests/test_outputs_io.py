import os

from reviewbench.outputs_io import write_csv, write_text

import pandas as pd


def test_write_is_atomic_and_leaves_no_temporary_files(tmp_path):
    target = tmp_path / "out" / "table.csv"
    write_csv(pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}), target)
    assert target.read_bytes() == b"a,b\n1,x\n2,y\n"
    assert [p.name for p in target.parent.iterdir()] == ["table.csv"]


def test_written_files_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        path = write_text("hello", tmp_path / "x.md")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644
