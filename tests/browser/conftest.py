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
    """Debian's chromium, and Playwright's assertions set to wait up to 30 s (its default is
    5 s): a notebook's kernel on a loaded machine takes longer than that to draw an app."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        _missing("Debian's chromium (apt-get install chromium chromium-driver)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _missing("Playwright for Python")
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)
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


def start_lab(root: Path, env_extra: dict[str, str | None], log_path: Path) -> Lab:
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
    news = root.parent / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    news.parent.mkdir(parents=True, exist_ok=True)
    news.write_text('{"fetchNews": "false"}')  # no "Would you like to get notified" over the views
    for name in [k for k, v in env.items() if v is None]:  # None: not set for this server
        del env[name]
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


@pytest.fixture
def lab_fulltext(tmp_path: Path, chromium_path: str) -> Iterator[tuple[Lab, dict[str, str]]]:
    """The small full-text review of ``tests/fulltext/project.py`` at the full-text stage, one
    record's generated PDF linked, with the screening notebook, served by JupyterLab."""
    import hashlib

    import nbformat
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from reviewbench.fulltext.links import confirm_links

    sys.path.insert(0, str(REPO / "tests"))
    from fulltext.pdfgen import Page, one_column, pdf_bytes, two_columns, wrap
    from fulltext.project import cluster_ids, make_project

    project = make_project(tmp_path)
    ids = cluster_ids(project)
    left = wrap("Women selling sex described their health needs and access to outreach services. " * 4, 44)
    right = wrap("Interviews took place in the outreach van and at a drop-in clinic. " * 4, 44)
    data = pdf_bytes([Page(one_column(["Health needs of street-based sex workers in a northern city"], size=14)
                           + two_columns(left, right, top=680))])
    (project.fulltext / "smith.pdf").write_bytes(data)
    confirm_links(project, [{"record_id": ids["R1"], "file": "fulltext/smith.pdf",
                             "sha256": hashlib.sha256(data).hexdigest(), "method": "doi"}], "alex")
    nb = load_notebook_node(str(REPO / "notebooks" / "02-screening.ipynb"))
    nb = parameterize_notebook(nb, {"order": "file", "stage": "full_text", "calibration_n": 0})
    nbformat.write(nb, project.notebooks / "02-screening.ipynb")
    lab = start_lab(project.root, {"REVIEWBENCH_REVIEWER": "alex"}, tmp_path / "jupyter.log")
    try:
        yield lab, ids
    finally:
        stop_lab(lab)


# -- one server and one browser per module, a project folder per test -------------------------

NOTEBOOKS = REPO / "notebooks"


@pytest.fixture(scope="module")
def module_lab(tmp_path_factory: pytest.TempPathFactory, chromium_path: str, request: pytest.FixtureRequest) -> Iterator[Lab]:
    """One JupyterLab for the module over an empty root: each test lays out its own project
    in a folder of it (:func:`add_project`). No reviewer is set in the environment unless
    the module says ``LAB_REVIEWER = "name"``: people pick who they are in the apps."""
    base = tmp_path_factory.mktemp("lab")
    root = base / "root"
    root.mkdir()
    lab = start_lab(root, {"REVIEWBENCH_REVIEWER": getattr(request.module, "LAB_REVIEWER", None)}, base / "jupyter.log")
    try:
        yield lab
    finally:
        stop_lab(lab)


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator:
    """Headless Debian chromium, one per module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_path, args=["--no-sandbox"], headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def add_project(lab: Lab, name: str, source: Path = PROJECT_FIXTURE, notebooks: tuple[str, ...] = ("02-screening.ipynb",)) -> Path:
    """Copy the project ``source`` to ``lab.root / name`` with the repository's notebooks
    exactly as committed (nothing parameterised: what a reviewer opens)."""
    root = lab.root / name
    shutil.copytree(source, root)
    (root / "notebooks").mkdir(exist_ok=True)
    for notebook in notebooks:
        shutil.copy(NOTEBOOKS / notebook, root / "notebooks" / notebook)
    return root


def shots_folder(tmp_path: Path) -> Path:
    """Where a test keeps its screenshots: ``REVIEWBENCH_TEST_SCREENSHOTS`` or the test's tmp folder."""
    shots = Path(os.environ.get("REVIEWBENCH_TEST_SCREENSHOTS") or tmp_path / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    return shots


def docs_screenshot(locator, name: str) -> None:
    """With ``REVIEWBENCH_DOCS_SCREENSHOTS=docs`` (a folder), the README's screenshot ``name``
    of the element ``locator`` is written there (``REVIEWBENCH_DOCS_SCREENSHOTS=docs pytest
    tests/browser`` regenerates them)."""
    folder = os.environ.get("REVIEWBENCH_DOCS_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page, size = locator.page, locator.page.viewport_size
        height = locator.bounding_box()["height"]
        if height + 400 > size["height"]:  # JupyterLab scrolls inside the notebook: make room for all of it
            page.set_viewport_size({"width": size["width"], "height": int(height) + 400})
        try:
            locator.scroll_into_view_if_needed()
            page.wait_for_timeout(300)  # the notebook re-lays out after a resize
            locator.screenshot(path=Path(folder) / name, animations="disabled")
        finally:
            page.set_viewport_size(size)


def open_and_run_all(page, lab: Lab, notebook: str, timeout_ms: int = 90_000) -> None:
    """Open ``notebook`` as a user does, wait for its kernel, then Run > Run All Cells from
    the menu (no cell is clicked into or edited). Each notebook opens in a workspace of its
    own, so the notebooks other tests opened are not brought back beside it."""
    page.set_default_timeout(timeout_ms)
    workspace = "".join(c if c.isalnum() else "-" for c in notebook)
    page.goto(lab.url(f"lab/workspaces/{workspace}/tree/{notebook}"))
    page.locator(".jp-Notebook .jp-Cell").first.wait_for()
    page.locator(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for()  # the kernel is ready
    page.locator("#jp-main-statusbar", has_text="(ipykernel) | Idle").wait_for()  # and this notebook is connected to it
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
