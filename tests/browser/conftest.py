"""A real JupyterLab server on 127.0.0.1 with a temporary root, and headless Debian chromium.

Outside CI the browser tests are skipped when chromium or Playwright is missing; in CI
(``CI=true``) that is a failure, because ``.ci/run`` installs them.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

REPO = Path(__file__).resolve().parents[2]
PROJECT_FIXTURE = REPO / "tests" / "fixtures" / "screening" / "project"


def _missing(what: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} is required for the browser tests in CI (.ci/run installs it)")
    pytest.skip(f"{what} not available")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        _missing("Debian's chromium (apt-get install chromium chromium-driver)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _missing("Playwright for Python")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A running JupyterLab: ``root`` folder, ``url(path)`` with the token."""

    def __init__(self, root: Path, port: int, token: str, process: subprocess.Popen) -> None:
        self.root, self.port, self.token, self.process = root, port, token, process

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}?token={self.token}"


def start_lab(root: Path, env_extra: dict[str, str], log_path: Path) -> Lab:
    """Start ``jupyter lab`` on a free port and wait until ``/api/status`` answers."""
    port, token = _free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(root.parent / "runtime"),
        "JUPYTER_CONFIG_DIR": str(root.parent / "config"),
        "JUPYTERLAB_WORKSPACES_DIR": str(root.parent / "workspaces"),
        "JUPYTERLAB_SETTINGS_DIR": str(root.parent / "settings"),  # no user shortcuts or themes
        "JUPYTER_DATA_DIR": str(root.parent / "data"),  # no user kernelspecs: the test's Python runs
        "PYTHONUNBUFFERED": "1",
        **env_extra,
    }
    env.pop("REVIEWBENCH_PROJECT", None)
    log = open(log_path, "w")
    process = subprocess.Popen(
        [
            sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--allow-root",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    lab = Lab(root, port, token, process)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"jupyter lab exited with {process.returncode}: {log_path.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(lab.url("api/status"), timeout=2) as resp:
                if resp.status == 200:
                    return lab
        except OSError:
            time.sleep(0.5)
    stop_lab(lab)
    raise RuntimeError(f"jupyter lab did not answer within 90 s: {log_path.read_text()[-2000:]}")


def stop_lab(lab: Lab) -> None:
    """Stop the server this test started (by its process id)."""
    if lab.process.poll() is None:
        lab.process.terminate()
        try:
            lab.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            lab.process.kill()
            lab.process.wait(timeout=10)


@pytest.fixture
def lab_project(tmp_path: Path, chromium_path: str) -> Iterator[Lab]:
    """A copy of the tiny project with the screening notebook, served by JupyterLab."""
    import nbformat
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    root = tmp_path / "root"
    shutil.copytree(PROJECT_FIXTURE, root)
    nb = load_notebook_node(str(REPO / "notebooks" / "02-screening.ipynb"))
    nb = parameterize_notebook(nb, {"order": "file", "stage": "title_abstract", "calibration_n": 0})
    (root / "notebooks").mkdir(exist_ok=True)
    nbformat.write(nb, root / "notebooks" / "02-screening.ipynb")
    lab = start_lab(root, {"REVIEWBENCH_REVIEWER": "alex"}, tmp_path / "jupyter.log")
    try:
        yield lab
    finally:
        stop_lab(lab)
