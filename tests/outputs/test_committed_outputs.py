"""scripts/check_outputs_current.sh: the logic users run in their own CI.

(The example's committed outputs are compared with a fresh run in tests/test_example_end_to_end.py.)
"""

from __future__ import annotations

import subprocess

import pytest

from .conftest import REPO

SCRIPT = REPO / "scripts" / "check_outputs_current.sh"


@pytest.mark.parametrize("committed, expected_status", [("a\n1\n", 0), ("a\n2\n", 1)])
def test_check_script_compares_a_fresh_run(tmp_path, committed, expected_status):
    """The script's own logic, with a stand-in `reviewbench` that writes one known table."""
    fake = tmp_path / "fake-reviewbench"
    fake.write_text('#!/usr/bin/env bash\nwhile [ "$1" != "--project" ]; do shift; done\n'
                    'mkdir -p "$2/outputs/tables" && printf "a\\n1\\n" > "$2/outputs/tables/t.csv"\n')
    fake.chmod(0o755)
    project = tmp_path / "review"
    (project / "outputs" / "tables").mkdir(parents=True)
    (project / "outputs" / "tables" / "t.csv").write_text(committed)
    result = subprocess.run(["bash", str(SCRIPT), str(project)], capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "REVIEWBENCH": str(fake)})
    assert result.returncode == expected_status, result.stderr
    if expected_status:
        assert "t.csv" in result.stderr and "out of date" in result.stderr
