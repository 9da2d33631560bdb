"""Suggestions: keyword rules, the classifier, and `reviewbench suggest`."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from reviewbench.cli import main
from reviewbench.coding import load_codebook
from reviewbench.coding.classifier import CodeClassifier
from reviewbench.coding.codebook import build_codebook
from reviewbench.coding.suggest import MIN_CONFIDENCE, PRESELECT_THRESHOLD, SUGGESTION_COLUMNS, Suggester


def test_keyword_suggestions_without_training(project):
    cb = load_codebook(project)
    texts = pd.DataFrame({"id": ["a", "b"], "text": ["Street-based sex workers had STI screening.", "Indoor air in parlours of sex work venues"]})
    out = Suggester(cb).suggest(texts)
    assert list(out.columns) == SUGGESTION_COLUMNS
    rows = set(zip(out["id"], out["dimension"], out["code"]))
    assert ("a", "subgroup", "on_street") in rows and ("a", "tier", "secondary") in rows
    assert ("b", "subgroup", "indoor") in rows, "'parlours' is near 'sex work'"
    assert (out["confidence"] >= MIN_CONFIDENCE).all() and out["rule"].str.startswith("keyword").all()
    assert "matched 'Street-based' at 0-12" in out.loc[out["code"] == "on_street", "rule"].iloc[0], "the span is shown"


CODEBOOK = {
    "dimensions": {"group": {"label": "Group", "multi": True, "context": ["negation"], "codes": {
        "migrant": {"label": "Migrant", "definition": "d", "keywords": {"any": ["migrant*"], "guards": ["migrant birds"]}},
        "male": {"label": "Male", "definition": "d", "keywords": {"paired": [{"cues": ["men"], "with": ["sold sex"], "within": 2}]}},
        "local": {"label": "Local", "definition": "d"},
    }}},
}


def _training(n_studies: int = 6) -> pd.DataFrame:
    rows = []
    for i in range(n_studies):
        rows += [
            {"record_id": f"s{i}", "finding": f"Migrant women in Leeds study {i} reported debt.", "group": ["migrant", "local"]},
            {"record_id": f"s{i}", "finding": f"Men at the Leeds drop-in {i} described violence.", "group": ["male", "local"]},
            {"record_id": f"s{i}", "finding": f"Women in general {i} described stigma.", "group": []},
        ]
    return pd.DataFrame(rows)


def test_a_learned_code_needs_textual_evidence():
    suggester = Suggester(build_codebook(CODEBOOK), _training())
    assert suggester.classifier is not None and ("group", "local") in suggester.classifier.codes
    out = suggester.suggest(pd.DataFrame({"id": ["x"], "text": ["Women in Leeds described debt."]}))
    assert "local" not in set(out["code"]), "no cue for 'local' in the codebook: the classifier alone never suggests it"


def test_a_vetoed_hit_is_not_brought_back_by_the_classifier():
    suggester = Suggester(build_codebook(CODEBOOK), _training())
    out = suggester.suggest(pd.DataFrame({"id": ["x", "y"], "text": ["Migrant birds were counted in Leeds.", "No migrant women took part in Leeds."]}))
    assert out.empty, out


def test_a_cue_without_its_partner_needs_the_classifier():
    text = pd.DataFrame({"id": ["x"], "text": ["Men at the Leeds drop-in described debt."]})
    assert Suggester(build_codebook(CODEBOOK)).suggest(text).empty, "no classifier: 'men' alone is no evidence"
    backed = Suggester(build_codebook(CODEBOOK), _training()).evidence(text)
    male = [ev for ev in backed if ev.code == "male"]
    assert male and male[0].kind == "unpaired" and "classifier p=" in male[0].rule and "matched 'Men'" in male[0].rule


def test_confidence_is_learned_from_coded_findings():
    training = _training()
    # in six more studies the 'migrant' cue fires where coders gave no code: confidence must show it
    noisy = pd.DataFrame([{"record_id": f"t{i}", "finding": f"The migrant plan {i} was discussed.", "group": []} for i in range(6)])
    suggester = Suggester(build_codebook(CODEBOOK), pd.concat([training, noisy], ignore_index=True))
    rows = suggester.calibration_rows
    assert set(rows["dimension"]) == {"group"} and rows["right"].isin([0, 1]).all()
    clean = Suggester(build_codebook(CODEBOOK), training)
    text = pd.DataFrame({"id": ["x"], "text": ["Migrant women described debt."]})
    conf = lambda s: s.evidence(text)[0].confidence  # noqa: E731
    assert conf(suggester) < conf(clean)
    assert 0 < conf(suggester) < 1 and 0 < conf(clean) < 1


def test_preselect_threshold_is_a_confidence_of_nine_in_ten(project):
    assert PRESELECT_THRESHOLD == 0.9
    assert Suggester(load_codebook(project)).preselect == Suggester(build_codebook(CODEBOOK), _training()).preselect == 0.9


def test_suggestions_are_deterministic():
    texts = pd.DataFrame({"id": ["a", "b"], "text": ["Migrant women in Leeds.", "Men at the Leeds drop-in."]})
    first = Suggester(build_codebook(CODEBOOK), _training()).suggest(texts)
    assert first.equals(Suggester(build_codebook(CODEBOOK), _training()).suggest(texts))


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


def test_cli_on_the_example_reads_context(repo_root, tmp_path):
    texts = tmp_path / "texts.csv"
    texts.write_text("id,text\n"
                     "t1,No trans participants took part in the interviews.\n"
                     "t2,Migrant farm workers in the comparison group had lower STI rates.\n"
                     "t3,Women who sell sex were recruited online.\n"
                     "t4,Trans women who sell sex were offered PrEP at the clinic.\n")
    out = tmp_path / "codes.csv"
    assert main(["suggest", str(texts), "-o", str(out), "--project", str(repo_root)]) == 0
    rows = [r for r in csv.DictReader(out.open()) if r["dimension"] == "subgroup"]
    assert [(r["id"], r["code"]) for r in rows] == [("t4", "trans")]
    assert "matched 'Trans women'" in rows[0]["rule"]
