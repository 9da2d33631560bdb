"""The local OpenAI-compatible server the assist tests talk to (never a real provider).

``llm_server`` starts ``fake_llm.py`` on 127.0.0.1 with a free port in a child process,
waits (at most 15 s) for it to print its port, and stops it by its process id afterwards.
``assist_project`` is a copy of the example review whose ``review.yml`` points ``assist:``
at that server, with short timeouts and waits so fault tests stay quick.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from reviewbench.project import Project, open_project

SERVER = Path(__file__).with_name("fake_llm.py")
KEY_ENV = "REVIEWBENCH_TEST_LLM_KEY"
KEY = "sk-test-0123456789-do-not-leak"
MODEL = "fake/llama-3:8b"


class LocalServer:
    """One running fake server: its URL, its request log and its fault plan."""

    def __init__(self, folder: Path) -> None:
        self.plan_file = folder / "plan.json"
        self.log_file = folder / "requests.jsonl"
        self.set_plan()
        self.proc = subprocess.Popen(
            [sys.executable, str(SERVER), str(self.plan_file), str(self.log_file)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        deadline = time.monotonic() + 15
        line = ""
        while not line and time.monotonic() < deadline and self.proc.poll() is None:
            line = self.proc.stdout.readline().strip()
        if not line.isdigit():
            self.stop()
            raise RuntimeError("the fake model server did not start")
        self.port = int(line)
        self.url = f"http://127.0.0.1:{self.port}/v1"

    def set_plan(self, **plan) -> None:
        self.plan_file.write_text(json.dumps(plan))

    def requests(self) -> list[dict]:
        if not self.log_file.exists():
            return []
        return [json.loads(line) for line in self.log_file.read_text().splitlines() if line.strip()]

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        if self.proc.stdout:
            self.proc.stdout.close()


@pytest.fixture
def llm_server(tmp_path: Path):
    folder = tmp_path / "server"
    folder.mkdir()
    server = LocalServer(folder)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def start_server(tmp_path: Path):
    """Start further servers (e.g. after one was killed); each is stopped at the end."""
    started: list[LocalServer] = []

    def start() -> LocalServer:
        folder = tmp_path / f"server{len(started) + 2}"
        folder.mkdir()
        started.append(LocalServer(folder))
        return started[-1]

    yield start
    for server in started:
        server.stop()


def point_at(project: Project, url: str, **extra) -> None:
    """Write an ``assist:`` block for ``url`` into the project's review.yml."""
    review = yaml.safe_load(project.review_file.read_text(encoding="utf-8"))
    review["assist"] = {"base_url": url, "model": MODEL, "api_key_env": KEY_ENV, "timeout": 0.5,
                        "max_retries": 2, "backoff": 0.01, **extra}
    project.review_file.write_text(yaml.safe_dump(review, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def assist_project(example_copy: Path, llm_server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.setenv(KEY_ENV, KEY)
    monkeypatch.delenv("REVIEWBENCH_PROJECT", raising=False)
    project = open_project(example_copy)
    point_at(project, llm_server.url)
    return project
