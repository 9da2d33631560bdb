"""Suggestions: keyword rules, the classifier, and `reviewbench suggest`."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from reviewbench.cli import main
from reviewbench.coding import coded_findings, load_codebook
from reviewbench.coding.classifier import CodeClassifier
from reviewbench.coding.suggest import SUGGESTION_COLUMNS, Suggester, keyword_precision
from reviewbench.coding.keywords import KeywordMatcher


def test_keyword_suggestions_without_training(project):
    cb = load_codebook(project)
    texts = pd.DataFrame({"id": ["a", "b"], "text": ["Street-based sex workers had STI screening.", "Indoor air in parlours of sex work venues"]})
    out = Suggester(cb).suggest(texts)
    assert list(out.columns) == SUGGESTION_COLUMNS
    rows = set(zip(out["id"], out["dimension"], out["code"]))
    assert ("a", "subgroup", "on_street") in rows and ("a", "tier", "secondary") in rows
    assert ("b", "subgroup", "indoor") in rows, "'parlours' is near 'sex work'"
    assert (out["confidence"] == 0.8).all() and out["rule"].str.startswith("keyword").all()


def test_keyword_confidence_is_the_rules_precision_on_coded_findings(project):
    cb = load_codebook(project)
    training = coded_findings(project)
    precision = keyword_precision(KeywordMatcher(cb), training)
    # 'condom*' fires on F1 and F5, both coded primary: (2 + 0.8*2) / (2 + 2) = 0.9
    assert precision[("tier", "primary")] == pytest.approx(0.9)
    # 'treatment' fires on F3 (secondary; tertiary after union) and F4 (tertiary): (2 + 1.6) / 4
    assert precision[("tier", "tertiary")] == pytest.approx(0.9)


def test_classifier_learns_codes_with_enough_examples(project):
    cb = load_codebook(project)
    train = pd.DataFrame({
        "finding": ["condoms with clients", "condom use at work", "condoms given out", "STI testing offered", "HIV testing uptake", "testing at outreach"],
        "tier": [["primary"]] * 3 + [["secondary"]] * 3,
    })
    clf = CodeClassifier(cb, min_examples=3).fit(train)
    assert sorted(clf.codes) == [("tier", "primary"), ("tier", "secondary")]
    proba = clf.predict_proba(["condoms for clients", "testing for HIV"])
    assert proba.loc[0, "tier:primary"] > 0.5 > proba.loc[1, "tier:primary"]
    assert proba.equals(CodeClassifier(cb, min_examples=3).fit(train).predict_proba(["condoms for clients", "testing for HIV"])), "deterministic"


def test_cli_writes_one_row_per_suggestion(project, tmp_path):
    texts = tmp_path / "texts.csv"
    texts.write_text("id,text\nt1,Migrant sex workers in London had condoms.\nt2,Nothing relevant here.\n")
    out = tmp_path / "codes.csv"
    assert main(["suggest", str(texts), "-o", str(out), "--project", str(project.root)]) == 0
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0]) == SUGGESTION_COLUMNS
    assert {(r["id"], r["dimension"], r["code"]) for r in rows} >= {("t1", "subgroup", "migrant"), ("t1", "tier", "primary")}
    assert all(r["id"] == "t1" for r in rows)


@pytest.mark.parametrize(
    "content, fragment",
    [("identifier,body\n1,x\n", "missing column(s) id, text"), ("id,text\n1,x\n1,y\n", "line 3: id '1' appears more than once")],
)
def test_cli_rejects_bad_texts_with_a_clear_message(project, tmp_path, capsys, content, fragment):
    texts = tmp_path / "texts.csv"
    texts.write_text(content)
    assert main(["suggest", str(texts), "-o", str(tmp_path / "o.csv"), "--project", str(project.root)]) == 2
    assert fragment in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists()
