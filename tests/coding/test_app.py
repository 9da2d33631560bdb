"""What the coding notebook opens on: pick who you are (among review.yml's reviewers) and
the forms are that coder's; nobody picked shows a note, never an error."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from traitlets import TraitError

from reviewbench.coding import load_codebook
from reviewbench.coding.app import CodingApp, coders
from reviewbench.coding.form import FindingForm, ReconcileForm, StudyForm

INCLUDED = pd.DataFrame({"record_id": ["rec-a", "rec-b", "rec-c"], "title": ["Study A", "Study B", "Study C"]})


@pytest.fixture
def team_project(project, monkeypatch):
    """The coding fixture with an arbiter, jo, and no coder set in the environment."""
    monkeypatch.delenv("REVIEWBENCH_REVIEWER", raising=False)
    review = yaml.safe_load(project.review_file.read_text(encoding="utf-8"))
    review["reviewers"]["jo"] = {"name": "Reviewer C", "role": "arbiter"}
    project.review_file.write_text(yaml.safe_dump(review, sort_keys=False), encoding="utf-8")
    return project


def _app(project, **kw) -> CodingApp:
    return CodingApp(project, load_codebook(project), INCLUDED, uncoded=["rec-c"], **kw)


def _text(widget) -> str:
    return " ".join(getattr(c, "value", "") if isinstance(getattr(c, "value", ""), str) else "" for c in widget.children)


def test_the_coders_offered_are_review_ymls_reviewers_only(team_project):
    app = _app(team_project)
    assert [v for _l, v in app.who.options] == ["", "alex", "sam", "jo"]
    assert [label for label, _v in app.who.options][1:] == ["alex (screener)", "sam (screener)", "jo (arbiter)"]
    assert coders(team_project) == {"alex": "screener", "sam": "screener", "jo": "arbiter"}
    with pytest.raises(TraitError):
        app.who.value = "kim"  # not in review.yml: not offered, so it cannot be picked


def test_nobody_picked_shows_a_note_and_no_form(team_project):
    app = _app(team_project)
    assert app.who.value == "" and app.finding_form is None and app.study_form is None and app.reconcile_form is None
    assert "Pick who you are" in _text(app.body)
    assert "Pick who you are" in _text(app.study_section) and "arbiter" in _text(app.reconcile_section)
    assert not (team_project.findings_dir / "kim.csv").exists()


def test_picking_a_coder_shows_the_forms_for_that_coder(team_project):
    app = _app(team_project)
    app.who.value = "sam"
    assert isinstance(app.finding_form, FindingForm) and app.finding_form.coder == "sam"
    assert app.body.children == (app.finding_form.widget,)
    assert "rb-finding-form" in app.finding_form.widget._dom_classes
    assert [v for _l, v in app.finding_form.record_id.options] == ["rec-a", "rec-b", "rec-c"]  # the included studies
    assert isinstance(app.study_form, StudyForm) and app.study_form.coder == "sam"
    assert [v for _l, v in app.study_form.record_id.options] == ["rec-c"]  # those without characteristics yet
    assert app.reconcile_form is None and "resolved by an arbiter" in _text(app.reconcile_section)
    # a finding saved goes to the picked coder's log
    form = app.finding_form
    form.record_id.value, form.finding.value = "rec-b", "Migrant workers feared immigration checks."
    assert form.save()["coder"] == "sam"
    # another coder picked: the forms are theirs, the arbiter also reconciles
    app.who.value = "jo"
    assert app.finding_form.coder == "jo" and app.study_form.coder == "jo"
    assert isinstance(app.reconcile_form, ReconcileForm) and app.reconcile_form.reconciler == "jo"
    app.who.value = ""
    assert app.finding_form is None and "Pick who you are" in _text(app.body)


def test_the_environment_picks_the_coder_in_advance_only_when_review_yml_lists_them(team_project, monkeypatch):
    monkeypatch.setenv("REVIEWBENCH_REVIEWER", "alex")
    assert _app(team_project).finding_form.coder == "alex"
    monkeypatch.setenv("REVIEWBENCH_REVIEWER", "kim")  # not one of review.yml's reviewers
    app = _app(team_project)
    assert app.who.value == "" and app.finding_form is None


def test_a_review_without_reviewers_says_where_to_list_them(team_project):
    review = yaml.safe_load(team_project.review_file.read_text(encoding="utf-8"))
    del review["reviewers"]
    team_project.review_file.write_text(yaml.safe_dump(review), encoding="utf-8")
    app = _app(team_project)
    assert [v for _l, v in app.who.options] == [""] and "reviewers" in _text(app.body) and "review.yml" in _text(app.body)
