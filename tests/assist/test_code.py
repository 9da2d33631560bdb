"""The model's code suggestions: `assist code`, `assist evaluate --codes`, and the coding form."""

from __future__ import annotations

import pytest

from reviewbench.assist import model_suggester
from reviewbench.assist.evaluate import evaluate_coding
from reviewbench.assist.log import read_coding_log
from reviewbench.cli import main
from reviewbench.coding.codebook import load_codebook
from reviewbench.coding.findings import coder_logs
from reviewbench.coding.form import FindingForm
from reviewbench.coding.suggest import SUGGESTION_COLUMNS, Suggester
from reviewbench.validate import validate_project

from .conftest import KEY, KEY_ENV, point_at


@pytest.fixture
def project(coding_project, llm_server, monkeypatch):
    monkeypatch.setenv(KEY_ENV, KEY)
    point_at(coding_project, llm_server.url)
    return coding_project


def test_code_asks_once_per_coded_finding_and_evaluate_compares(project, llm_server, capsys):
    assert main(["assist", "code", "--project", str(project.root)]) == 0
    log = read_coding_log(project, "assist-fake-llama-3-8b")
    assert sorted(log["finding_id"]) == ["F1", "F2", "F3", "F4", "F5"]
    assert dict(zip(log["finding_id"], log["codes"]))["F3"] == "subgroup:migrant"
    assert len(llm_server.requests()) == 5 and all(r["coding"] for r in llm_server.requests())
    assert main(["assist", "code", "--project", str(project.root)]) == 0
    assert len(llm_server.requests()) == 5
    # The model's log is never read as a coder's, and validate checks it.
    assert sorted(coder_logs(project)) == ["alex", "sam"]
    assert validate_project(project) == []

    capsys.readouterr()
    assert main(["assist", "evaluate", "--codes", "--project", str(project.root)]) == 0
    out = capsys.readouterr().out
    assert "against the team's coded findings" in out and "sensitivity" in out and "kappa" in out
    assert "Findings compared: 5; the model's quote is words of the finding in 5." in out
    table, totals = evaluate_coding(project, load_codebook(project), _settings(project))
    subgroup = table.set_index("dimension").loc["subgroup"]
    assert (subgroup.tp, subgroup.fp) == (2, 0) and totals["findings"] == 5


def _settings(project):
    from reviewbench.assist.config import load_assist_settings

    return load_assist_settings(project)


def test_model_suggestions_have_the_keyword_suggestions_shape(project, llm_server):
    codebook = load_codebook(project)
    suggester = model_suggester(project, codebook)
    found = suggester.suggest(_texts("N1", "Migrant and indoor workers were interviewed."))
    assert list(found.columns) == SUGGESTION_COLUMNS == list(Suggester(codebook).suggest(_texts("N1", "x")).columns)
    assert list(zip(found["dimension"], found["code"])) == [("subgroup", "indoor"), ("subgroup", "migrant")]
    assert set(found["rule"]) == {'model fake/llama-3:8b: "Migrant and indoor workers were interviewed."'}
    assert set(found["confidence"]) == {0.5}  # not measured yet: never shown as sure
    suggester.suggest(_texts("N1", "Migrant and indoor workers were interviewed."))
    assert len(llm_server.requests()) == 1


def test_without_assist_there_is_no_model_suggester(coding_project):
    assert model_suggester(coding_project, load_codebook(coding_project)) is None
    form = FindingForm(coding_project, "kim")
    assert form.model_button.layout.display == "none"


def test_the_form_shows_the_models_codes_beside_the_others(project, llm_server):
    codebook = load_codebook(project)
    form = FindingForm(project, "kim", codebook=codebook, suggester=Suggester(codebook), model_suggester=model_suggester(project, codebook))
    assert form.model_button.layout.display == ""
    form.finding.value = "Migrant sex workers described barriers to care."
    found = form.ask_model()
    assert list(found["code"]) == ["migrant"]
    assert "migrant" in form.model_suggestions.value and "Migrant sex workers described" in form.model_suggestions.value
    assert form.fields["subgroup"].value == []  # shown, never filled in


def test_an_unreachable_endpoint_is_a_message_in_the_form(project, llm_server):
    llm_server.stop()
    codebook = load_codebook(project)
    form = FindingForm(project, "kim", codebook=codebook, model_suggester=model_suggester(project, codebook))
    form.finding.value = "Indoor workers."
    assert form.ask_model().empty
    assert "did not answer" in form.model_suggestions.value


def _texts(fid, text):
    import pandas as pd

    return pd.DataFrame({"id": [fid], "text": [text]})
