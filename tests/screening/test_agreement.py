"""Agreement statistics against values computed by hand, and the agreement command."""

from __future__ import annotations

import argparse
import math

import pytest
from sklearn.metrics import cohen_kappa_score

from reviewbench.cli import agreement_cmd
from reviewbench.screening.agreement import agreement_report, cohen_kappa, pabak, pairwise_agreement
from reviewbench.screening.conflicts import resolve_conflict
from reviewbench.screening.decisions import record_decision


def table_to_pairs(table, labels):
    a, b = [], []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            a += [labels[i]] * count
            b += [labels[j]] * count
    return a, b


def test_two_by_two_kappa_interval_and_pabak_by_hand():
    # A\B       include exclude
    # include     20      5
    # exclude     10     15        n = 50
    a, b = table_to_pairs([[20, 5], [10, 15]], ["include", "exclude"])
    k = cohen_kappa(a, b, labels=["include", "exclude"])
    # p_o = 35/50 = 0.7; p_e = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = 0.2/0.5 = 0.4
    assert k.kappa == pytest.approx(0.4)
    # Fleiss-Cohen-Everitt: A = 0.4*0.34^2 + 0.3*0.46^2 = 0.10972;
    # B = 0.36*(0.1*1.1^2 + 0.2*0.9^2) = 0.10188; C = (0.4 - 0.5*0.6)^2 = 0.01
    # var = (0.10972 + 0.10188 - 0.01) / (50 * 0.25) = 0.016128
    assert k.se == pytest.approx(math.sqrt(0.016128))
    assert (k.low, k.high) == pytest.approx((0.4 - 1.959964 * 0.126996, 0.4 + 1.959964 * 0.126996), abs=1e-5)
    assert pabak(a, b) == pytest.approx(2 * 0.7 - 1)
    assert k.kappa == pytest.approx(cohen_kappa_score(a, b))


def test_three_categories_by_hand():
    labels = ["include", "exclude", "maybe"]
    a, b = table_to_pairs([[10, 2, 1], [3, 20, 1], [1, 1, 1]], labels)
    k = cohen_kappa(a, b, labels=labels)
    po = 31 / 40
    pe = 0.325 * 0.35 + 0.6 * 0.575 + 0.075 * 0.075
    assert k.kappa == pytest.approx((po - pe) / (1 - pe))
    assert k.kappa == pytest.approx(cohen_kappa_score(a, b))
    assert pabak(a, b, 3) == pytest.approx((3 * po - 1) / 2)
    assert k.low < k.kappa < k.high


def test_perfect_agreement_has_no_uncertainty_and_constant_ratings_are_undefined():
    k = cohen_kappa(["include", "exclude"] * 5, ["include", "exclude"] * 5)
    assert (k.kappa, k.se) == pytest.approx((1.0, 0.0))
    assert math.isnan(cohen_kappa(["exclude"] * 4, ["exclude"] * 4).kappa)
    assert pabak(["exclude"] * 4, ["exclude"] * 4) == 1.0


def _screen(project, stage, pairs):
    for rid, (a, s) in pairs.items():
        record_decision(project, stage, "alex", rid, a)
        record_decision(project, stage, "sam", rid, s)


def test_pairwise_agreement_counts_maybe_as_include_by_default(project):
    _screen(project, "title_abstract", {"r1": ("include", "maybe"), "r2": ("exclude", "exclude"),
                                        "r3": ("include", "exclude"), "r4": ("include", "include")})
    record_decision(project, "title_abstract", "alex", "r5", "include")  # not shared: left out
    row = pairwise_agreement(project, "title_abstract").iloc[0]
    assert (row["reviewer_a"], row["reviewer_b"], row["n"], row["agreed"]) == ("alex", "sam", 4, 3)
    assert row["percent_agreement"] == pytest.approx(75.0)
    # A: inc inc... = [i, e, i, i], B: [i, e, e, i]; p_o=0.75, p_e=0.75*0.5+0.25*0.5=0.5
    assert row["kappa"] == pytest.approx(0.5)
    assert row["pabak"] == pytest.approx(0.5)
    strict = pairwise_agreement(project, "title_abstract", keep_maybe=True).iloc[0]
    assert strict["agreed"] == 2


def test_report_and_command(project, capsys):
    _screen(project, "title_abstract", {"r1": ("include", "include"), "r2": ("exclude", "exclude"),
                                        "r3": ("include", "exclude"), "r4": ("exclude", "exclude")})
    resolve_conflict(project, "title_abstract", "r3", "include", "jo")
    report = agreement_report(project, "title_abstract")
    assert "alex / sam" in report
    assert "75.0" in report  # percent agreement
    assert "0.50" in report  # kappa: p_o 0.75, p_e 0.5
    assert "Conflicts: 1 (1 resolved, 0 open)" in report



def _command(project, capsys) -> str:
    parser = argparse.ArgumentParser()
    agreement_cmd.register(parser.add_subparsers())
    args = parser.parse_args(["agreement", "--stage", "title_abstract", "--project", str(project.root)])
    assert args.func(args) == 0
    return capsys.readouterr().out


def test_the_command_shows_no_agreement_while_blinding_holds(project, records, capsys):
    ids = list(records["record_id"])
    for rid in ids:
        record_decision(project, "title_abstract", "alex", rid, "include")
    for rid in ids[:-1]:
        record_decision(project, "title_abstract", "sam", rid, "exclude" if rid == ids[0] else "include")
    out = _command(project, capsys)
    assert "is blinded" in out and "alex 12 of 12, sam 11 of 12" in out
    assert "kappa" not in out.lower() and "Conflicts" not in out and "alex / sam" not in out
    record_decision(project, "title_abstract", "sam", ids[-1], "include")
    out = _command(project, capsys)
    assert out == agreement_report(project, "title_abstract") and "alex / sam" in out and "Conflicts: 1 (0 resolved, 1 open)" in out


def test_the_command_needs_a_stage_or_codes(project):
    parser = argparse.ArgumentParser()
    agreement_cmd.register(parser.add_subparsers())
    with pytest.raises(SystemExit):
        parser.parse_args(["agreement", "--project", str(project.root)])  # --stage or --codes needed
    with pytest.raises(SystemExit):
        parser.parse_args(["agreement", "--stage", "abstracts"])


def test_report_before_two_reviewers(project):
    assert "No two reviewers" in agreement_report(project, "full_text")
