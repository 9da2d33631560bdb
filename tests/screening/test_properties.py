"""Property tests: any sequence of decisions, undos and jumps leaves the log telling the
same story as a simple model; final decisions follow agreement, conflict and resolution."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from reviewbench.project import open_project
from reviewbench.screening.conflicts import resolve_conflict
from reviewbench.screening.session import ScreeningController
from reviewbench.screening.decisions import current_decisions, final_decisions, record_decision
from reviewbench.pipeline import screening_records

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "screening" / "project"

ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("decide"), st.sampled_from(["include", "exclude", "maybe"])),
        st.tuples(st.just("undo"), st.none()),
        st.tuples(st.just("jump"), st.integers(0, 11)),
    ),
    max_size=25,
)


def _fresh_project():
    tmp = Path(tempfile.mkdtemp(prefix="rb-prop-"))
    shutil.copytree(FIXTURE, tmp / "p")
    return tmp, open_project(tmp / "p")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ACTIONS)
def test_controller_matches_a_model_of_undo(actions):
    tmp, project = _fresh_project()
    try:
        records = screening_records(project, "title_abstract")[0]
        ids = list(records["record_id"])
        c = ScreeningController(project, "title_abstract", "alex", records, order="file")
        model: dict[str, str] = {}
        history: list[tuple[str, str | None]] = []
        for action, arg in actions:
            if action == "decide":
                if c.current_id is None:
                    continue
                rid = c.current_id
                history.append((rid, model.get(rid)))
                c.decide(arg)
                model[rid] = arg
            elif action == "undo":
                rid = c.undo()
                if history:
                    expect_rid, previous = history.pop()
                    assert rid == expect_rid
                    if previous is None:
                        model.pop(rid, None)
                    else:
                        model[rid] = previous
                else:
                    assert rid is None
            else:
                c.jump(ids[arg])
            assert {r: d["decision"] for r, d in c.decisions.items()} == model
        on_disk = current_decisions(project, "title_abstract")
        assert dict(zip(on_disk["record_id"], on_disk["decision"])) == model
        # a new session reads the same state back
        again = ScreeningController(project, "title_abstract", "alex", records, order="file")
        assert {r: d["decision"] for r, d in again.decisions.items()} == model
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


DECISION = st.sampled_from(["include", "exclude", "maybe", None])


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(DECISION, DECISION, st.sampled_from(["include", "exclude", None])), min_size=1, max_size=8))
def test_final_decisions_follow_agreement_conflict_and_resolution(rows):
    tmp, project = _fresh_project()
    try:
        expected = {}
        for i, (a, s, resolution) in enumerate(rows):
            rid = f"r{i}"
            if a:
                record_decision(project, "title_abstract", "alex", rid, a)
            if s:
                record_decision(project, "title_abstract", "sam", rid, s)
            if resolution:
                resolve_conflict(project, "title_abstract", rid, resolution, "jo")
                expected[rid] = resolution
            elif a or s:
                given_ = {d for d in (a, s) if d}
                expected[rid] = given_.pop() if len(given_) == 1 else "conflict"
        final = final_decisions(project, "title_abstract")
        assert dict(zip(final["record_id"], final["decision"])) == expected
        assert list(final["record_id"]) == sorted(expected)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
