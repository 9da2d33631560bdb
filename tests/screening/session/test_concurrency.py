"""Screeners writing at the same time lose nothing (separate processes, one barrier)."""

from __future__ import annotations

import multiprocessing as mp

from reviewbench.logs import read_log
from reviewbench.project import open_project
from reviewbench.screening.session import ScreeningController
from reviewbench.screening.decisions import SCREENING_COLUMNS, current_decisions, log_path, record_decision
from reviewbench.pipeline import screening_records

N = 150


def _write_many(root: str, reviewer: str, prefix: str, barrier) -> None:
    project = open_project(root)
    barrier.wait()
    for i in range(N):
        decision = ("include", "exclude", "maybe")[i % 3]
        record_decision(project, "title_abstract", reviewer, f"{prefix}-{i:04d}", decision, note=f"{prefix} {i}, \"quoted\"\nline")


def _screen_all(root: str, reviewer: str, barrier) -> None:
    project = open_project(root)
    records, clusters = screening_records(project, "title_abstract")
    c = ScreeningController(project, "title_abstract", reviewer, records, clusters=clusters, order="file")
    barrier.wait()
    while c.current_id is not None:
        c.include() if len(c.decisions) % 2 else c.exclude()


def _run(target, args_list) -> None:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(len(args_list))
    procs = [ctx.Process(target=target, args=(*args, barrier)) for args in args_list]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0


def test_two_screeners_and_two_tabs_of_one_screener_lose_nothing(project):
    root = str(project.root)
    # alex in two tabs (same log), sam in one: three writers at once
    _run(_write_many, [(root, "alex", "a"), (root, "alex", "b"), (root, "sam", "s")])
    alex = read_log(log_path(project, "title_abstract", "alex"), SCREENING_COLUMNS)
    sam = read_log(log_path(project, "title_abstract", "sam"), SCREENING_COLUMNS)
    assert len(alex) == 2 * N and len(sam) == N
    assert sorted(alex["record_id"]) == sorted([f"a-{i:04d}" for i in range(N)] + [f"b-{i:04d}" for i in range(N)])
    assert set(alex["note"]) == {f"{p} {i}, \"quoted\"\nline" for p in "ab" for i in range(N)}
    # each writer's rows stay in its own order
    for prefix in "ab":
        ids = [r for r in alex["record_id"] if r.startswith(prefix)]
        assert ids == sorted(ids)
    assert len(current_decisions(project, "title_abstract")) == 3 * N


def test_two_controllers_screening_at_once(project):
    root = str(project.root)
    _run(_screen_all, [(root, "alex"), (root, "sam")])
    current = current_decisions(project, "title_abstract")
    assert current.groupby("reviewer").size().to_dict() == {"alex": 12, "sam": 12}
