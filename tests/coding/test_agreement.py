"""Agreement statistics against values computed by hand."""

from __future__ import annotations

import math

import pytest

from reviewbench.coding.agreement import agreement_report, code_kappas, cohen_kappa, dimension_alphas, krippendorff_alpha_nominal


def test_alpha_on_krippendorffs_published_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", nominal example:
    # 4 coders, 12 units, missing values; published alpha = 0.743.
    n = None
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
        [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n],
    ]
    assert krippendorff_alpha_nominal(data) == pytest.approx(0.743, abs=5e-4)


def test_alpha_small_case_by_hand():
    # Units (a,a) (a,b) (b,b) (b,b). Coincidences: o_aa=2, o_ab=o_ba=1, o_bb=4;
    # n_a=3, n_b=5, n=8; alpha = 1 - (n-1) * sum_{c!=k} o_ck / sum_{c!=k} n_c n_k
    #                          = 1 - 7 * 2 / 30 = 0.5333...
    data = [["a", "a", "b", "b"], ["a", "b", "b", "b"]]
    assert krippendorff_alpha_nominal(data) == pytest.approx(1 - 14 / 30)


def test_alpha_is_one_for_perfect_agreement_and_undefined_without_variation():
    assert krippendorff_alpha_nominal([["a", "b", "c"], ["a", "b", "c"]]) == pytest.approx(1.0)
    assert math.isnan(krippendorff_alpha_nominal([["a", "a"], ["a", "a"]]))
    assert math.isnan(krippendorff_alpha_nominal([["a", None], [None, "b"]]))


def test_cohen_kappa_by_hand():
    # agreement 3/4; coder 1 yes 2/4, coder 2 yes 1/4; chance = .5*.25 + .5*.75 = .5
    # kappa = (.75 - .5) / (1 - .5) = 0.5
    assert cohen_kappa([1, 0, 0, 1], [1, 0, 0, 0]) == pytest.approx(0.5)
    assert math.isnan(cohen_kappa([0, 0], [0, 0]))


def test_kappa_per_code_on_the_fixture_project(project):
    # Shared findings F1-F4 (F5 only alex). See tests/fixtures/coding/project/evidence/findings.
    kappas = code_kappas(project).set_index(["dimension", "code"])
    expected = {
        ("subgroup", "on_street"): (0.75, 0.5),   # alex 1,0,0,1  sam 1,0,0,0
        ("subgroup", "indoor"): (0.75, 0.5),      # alex 0,1,0,0  sam 0,1,0,1
        ("subgroup", "migrant"): (0.75, 0.5),     # alex 0,0,1,0  sam 0,1,1,0
        ("tier", "primary"): (1.0, 1.0),          # 1,0,0,0 both
        ("tier", "secondary"): (0.75, 0.5),       # alex 0,1,0,0  sam 0,1,1,0
        ("tier", "tertiary"): (0.75, 0.5),        # alex 0,0,1,1  sam 0,0,0,1
    }
    assert set(kappas.index) == set(expected)
    for key, (agreement, kappa) in expected.items():
        assert kappas.loc[key, "n"] == 4
        assert kappas.loc[key, "agreement"] == pytest.approx(agreement)
        assert kappas.loc[key, "kappa"] == pytest.approx(kappa)
    assert kappas.loc[("subgroup", "migrant"), ["both", "a_only", "b_only"]].tolist() == [1, 0, 1]


def test_alpha_per_dimension_on_the_fixture_project(project):
    alphas = dimension_alphas(project).set_index("dimension")
    assert "region" not in alphas.index, "study-level dimensions are not coded per finding"
    # tier (single): (p,p) (s,s) (t,s) (t,t): n_p=2 n_s=3 n_t=3, n=8, disagreeing pairs 2
    # alpha = 1 - 7*2 / (64 - 4 - 9 - 9) = 1 - 14/42
    assert alphas.loc["tier", "alpha"] == pytest.approx(1 - 14 / 42)
    assert alphas.loc["tier", "exact_agreement"] == pytest.approx(0.75)
    # subgroup (sets): {os}x3, {in}x2, {in,mi}x1, {mi}x2; disagreeing pairs 4
    # alpha = 1 - 7*4 / (64 - 9 - 4 - 1 - 4) = 1 - 28/46
    assert alphas.loc["subgroup", "alpha"] == pytest.approx(1 - 28 / 46)
    assert alphas.loc["subgroup", "units"] == 4


def test_report_prints_tables_and_open_disagreements(project):
    report = agreement_report(project)
    assert "Krippendorff" in report and "Cohen" in report
    assert "0.67" in report and "0.39" in report
    assert "Disagreements: 3 (finding, dimension) pairs, 0 resolved, 3 open" in report
    assert "alex: indoor | sam: indoor; migrant" in report


def test_report_without_overlap(project):
    (project.findings_dir / "sam.csv").unlink()
    assert "cannot be computed" in agreement_report(project)
