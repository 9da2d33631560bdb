"""How good code suggestions are: on the coding development set and on the example's findings.

Four reports, each labelled with what was fitted on what:

1. **Development set, as shipped.** The suggester `reviewbench suggest` builds for the
   example (cue rules of ``evidence/codebook.yml``; classifier and calibration fitted on
   the example's coded findings) scores the sentences of
   ``finding_sentences.csv``. The set was split once (``benchmarks/data/
   finding_sentences_split.csv``: seed 19, 60/40, stratified by trap and by subgroup
   presence). The cue rules were written looking at the *development* part only, so its
   figures are in-sample for the rules; the *held-out* part was not looked at. For
   each part: subgroup micro precision, recall and F1 with per-code figures, trap
   sentences that received a code they do not truly name, prevention-tier macro-F1 with
   its confusion table (one tier per sentence: the most confident suggestion, else
   not_applicable), and the calibration table (confidence bins against the share right).
2. **Development set, learned within it.** Classifier and calibration fitted on the
   development part (calibration by cross-validation inside it), scored on the held-out
   part: what a review with coded findings like these would get.
3. **Generated variations** (``benchmarks/sentence_variants.py``): wording, clause order,
   negation forms, comparison groups, methods and look-alike words, labelled by
   construction.
4. **The example's findings grouped by study**: for each of k folds the suggester is
   fitted on the other studies' reconciled findings and suggests codes for the held-out
   study's findings (cue rules alone, and rules with the classifier).

    python benchmarks/suggestions.py [--project .] [--devset ../shared/data/coding/finding_sentences.csv]
        [--folds 5] [--speed-texts ../shared/data/screening/ACEInhibitors.csv --speed-n 1000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from reviewbench.coding import coded_findings, load_codebook, parse_codes  # noqa: E402
from reviewbench.coding.calibration import reliability_table  # noqa: E402
from reviewbench.coding.suggest import Suggester  # noqa: E402
from reviewbench.project import open_project  # noqa: E402
from sentence_variants import generate  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SPLIT = Path(__file__).resolve().parent / "data" / "finding_sentences_split.csv"
SUBGROUP, TIER = "subgroup", "prevention_tier"
NO_TIER = "not_applicable"


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    return p, r, _ratio(2 * p * r, p + r) if tp else 0.0


def _fmt(v: float) -> str:
    return "  nan" if v != v else f"{v:.2f}"


def read_devset(path: str | Path) -> pd.DataFrame:
    """The development set with its locked split (column ``part``)."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    split = pd.read_csv(SPLIT, dtype=str)
    df = df.merge(split, on="id", how="left", validate="one_to_one")
    if df["part"].isna().any():
        raise SystemExit(f"{path}: rows missing from {SPLIT.name}: {', '.join(df.loc[df['part'].isna(), 'id'][:5])}")
    return df


def as_findings(df: pd.DataFrame) -> pd.DataFrame:
    """Development-set rows in the shape of coded findings (one list column per dimension)."""
    return pd.DataFrame({
        "finding_id": df["id"], "record_id": df["id"], "finding": df["text"],
        SUBGROUP: [parse_codes(v) for v in df[SUBGROUP]],
        TIER: [parse_codes(v) or [NO_TIER] for v in df[TIER]],
    })


# --------------------------------------------------------------------------- scoring


def score(suggester: Suggester, df: pd.DataFrame) -> dict:
    """Subgroup, trap, tier and calibration figures of ``suggester`` on rows of the development set."""
    texts = pd.DataFrame({"id": df["id"].tolist(), "text": df["text"].tolist()})
    evidence = suggester.evidence(texts)
    rows = df.reset_index(drop=True)
    shown = [ev for ev in evidence if ev.confidence >= suggester.threshold]
    # subgroup
    gold = [set(parse_codes(v)) for v in rows[SUBGROUP]]
    pred = [set() for _ in range(len(rows))]
    for ev in shown:
        if ev.dimension == SUBGROUP:
            pred[ev.index].add(ev.code)
    codes = list(suggester.codebook.dimensions[SUBGROUP].codes)
    per_code = []
    for code in codes:
        tp = sum(code in g and code in p for g, p in zip(gold, pred))
        fp = sum(code not in g and code in p for g, p in zip(gold, pred))
        fn = sum(code in g and code not in p for g, p in zip(gold, pred))
        per_code.append((code, tp + fn, tp, fp, fn))
    totals = [sum(c[i] for c in per_code) for i in (2, 3, 4)]
    traps = [(rows.at[i, "id"], sorted(p - g)) for i, (g, p) in enumerate(zip(gold, pred)) if rows.at[i, "trap"] == "1" and p - g]
    # tier: one per sentence
    best: dict[int, tuple[float, str]] = {}
    for ev in shown:
        if ev.dimension == TIER and ev.confidence > best.get(ev.index, (-1.0, ""))[0]:
            best[ev.index] = (ev.confidence, ev.code)
    tier_gold = [(parse_codes(v) or [NO_TIER])[0] for v in rows[TIER]]
    tier_pred = [best.get(i, (0.0, NO_TIER))[1] for i in range(len(rows))]
    # calibration: every piece of evidence for the two dimensions, shown or not
    calib = pd.DataFrame([
        {"confidence": ev.confidence,
         "right": ev.code in (gold[ev.index] if ev.dimension == SUBGROUP else {tier_gold[ev.index]})}
        for ev in evidence if ev.dimension in (SUBGROUP, TIER)
    ], columns=["confidence", "right"])
    return {"n": len(rows), "n_traps": int((rows["trap"] == "1").sum()), "per_code": per_code, "micro": _f1(*totals),
            "traps": traps, "tier_gold": tier_gold, "tier_pred": tier_pred, "calibration": calib}


def tier_report(gold: list[str], pred: list[str], labels: list[str]) -> tuple[float, pd.DataFrame, pd.DataFrame]:
    """Macro-F1 over the tiers that occur, per-tier figures and the confusion table (rows: gold)."""
    used = [t for t in labels if t in gold or t in pred]
    per = []
    for t in used:
        tp = sum(g == t and p == t for g, p in zip(gold, pred))
        fp = sum(g != t and p == t for g, p in zip(gold, pred))
        fn = sum(g == t and p != t for g, p in zip(gold, pred))
        p_, r_, f_ = _f1(tp, fp, fn)
        per.append({"tier": t, "n": tp + fn, "P": p_, "R": r_, "F1": f_})
    per_df = pd.DataFrame(per)
    macro = float(per_df.loc[per_df["n"] > 0, "F1"].mean())
    confusion = pd.crosstab(pd.Series(gold, name="gold"), pd.Series(pred, name="suggested")).reindex(index=used, columns=used, fill_value=0)
    return macro, per_df, confusion


def preselect_report(calib: pd.DataFrame, threshold: float) -> str:
    above = calib[calib["confidence"] >= threshold]
    return f"pre-selected at >= {threshold:.2f}: {len(above)} of {len(calib)} suggestions, {_fmt(_ratio(above['right'].sum(), len(above)))} right"


def print_part(title: str, result: dict, tiers: list[str], threshold: float) -> None:
    print(f"\n## {title}: {result['n']} sentences, {result['n_traps']} of them traps")
    p, r, f = result["micro"]
    print(f"Subgroup micro: P {_fmt(p)} R {_fmt(r)} F1 {_fmt(f)}")
    print("  code              n   tp  fp  fn     P     R    F1")
    for code, n, tp, fp, fn in result["per_code"]:
        cp, cr, cf = _f1(tp, fp, fn)
        print(f"  {code:<16} {n:>3} {tp:>4} {fp:>3} {fn:>3}  {_fmt(cp)}  {_fmt(cr)}  {_fmt(cf)}")
    traps = result["traps"]
    print(f"Traps given a code they do not name: {len(traps)} of {result['n_traps']}" + (": " + ", ".join(f"{i} ({'/'.join(c)})" for i, c in traps) if traps else ""))
    macro, per, confusion = tier_report(result["tier_gold"], result["tier_pred"], tiers)
    print(f"Prevention tier macro-F1 (one tier per sentence; {NO_TIER} when none is suggested): {macro:.2f}")
    print(per.to_string(index=False, float_format=_fmt))
    print("Confusion (rows: gold, columns: suggested)")
    print(confusion.to_string())
    table = reliability_table(result["calibration"]["confidence"], result["calibration"]["right"])
    print(f"Calibration (subgroup and tier, every suggestion before the {0.5:.1f} cut; ECE {table.attrs['ece']:.3f})")
    print(table.to_string(index=False, float_format=_fmt))
    print(preselect_report(result["calibration"], threshold))


# --------------------------------------------------------------------------- reports


def devset_reports(project_dir: str, devset: str, heldout: bool = True) -> None:
    project = open_project(project_dir)
    codebook = load_codebook(project)
    df = read_devset(devset)
    tiers = [c for c in codebook.dimensions[TIER].codes if c != NO_TIER] + [NO_TIER]
    start = time.perf_counter()
    shipped = Suggester(codebook, coded_findings(project))
    print(f"# 1. Development set ({len(df)} sentences), as shipped: cue rules of the codebook; classifier and "
          f"calibration fitted on the example's {len(coded_findings(project))} coded findings; "
          f"pre-select threshold {shipped.preselect:.2f}")
    parts = [("development", "Development part (IN-SAMPLE for the cue rules: written looking at it)"),
             ("heldout", "Held-out part (HELD-OUT: never looked at)")]
    for part, label in parts[:2 if heldout else 1]:
        print_part(label, score(shipped, df[df["part"] == part]), tiers, shipped.preselect)
    if not heldout:
        print("\n(held-out part not scored: --no-heldout)")
    if heldout:
        learned_report(codebook, df, tiers)
    variants_report(shipped)
    print(f"({time.perf_counter() - start:.1f} s)")


def learned_report(codebook, df: pd.DataFrame, tiers: list[str]) -> None:
    print(f"\n# 2. Learned within the development set: classifier and calibration fitted on the development part "
          f"(calibration by 5-fold cross-validation inside it), scored on the HELD-OUT part")
    learned = Suggester(codebook, as_findings(df[df["part"] == "development"]))
    result = score(learned, df[df["part"] == "heldout"])
    p, r, f = result["micro"]
    macro, _per, _conf = tier_report(result["tier_gold"], result["tier_pred"], tiers)
    table = reliability_table(result["calibration"]["confidence"], result["calibration"]["right"])
    print(f"Held-out: subgroup micro P {_fmt(p)} R {_fmt(r)} F1 {_fmt(f)}; traps given a code they do not name: "
          f"{len(result['traps'])} of {result['n_traps']}; tier macro-F1 {macro:.2f}; calibration ECE {table.attrs['ece']:.3f}")
    print(table.to_string(index=False, float_format=_fmt))
    print(preselect_report(result["calibration"], learned.preselect))


def variants_report(shipped: Suggester) -> None:
    variants = generate()
    out = shipped.suggest(variants[["id", "text"]])
    sub = out[out["dimension"] == SUBGROUP]
    pred = sub.groupby("id")["code"].apply(set).to_dict()
    print(f"\n# 3. Generated variations ({len(variants)} sentences, as shipped; labels by construction)")
    print("  family        n   exact   tp  fp  fn")
    for family, group in variants.groupby("family", sort=False):
        tp = fp = fn = exact = 0
        for row in group.itertuples():
            g, p_ = set(parse_codes(row.subgroup)), pred.get(row.id, set())
            tp, fp, fn = tp + len(g & p_), fp + len(p_ - g), fn + len(g - p_)
            exact += g == p_
        print(f"  {family:<12} {len(group):>3}  {exact:>4}  {tp:>4} {fp:>3} {fn:>3}")
    wrong = [(r.id, r.text, r.subgroup, sorted(pred.get(r.id, set()))) for r in variants.itertuples() if set(parse_codes(r.subgroup)) != pred.get(r.id, set())]
    for vid, text, g, p_ in wrong[:12]:
        print(f"    {vid} gold [{g}] suggested {p_}: {text}")


def findings_report(project_dir: str, folds: int) -> None:
    project = open_project(project_dir)
    codebook = load_codebook(project)
    findings = coded_findings(project).reset_index(drop=True)
    dims = [d for d, dim in codebook.dimensions.items() if dim.applies_to_findings]
    counts: dict[tuple[str, str], list[int]] = {}
    start = time.perf_counter()
    splitter = GroupKFold(n_splits=min(folds, findings["record_id"].nunique()))
    for train_idx, test_idx in splitter.split(findings, groups=findings["record_id"]):
        train, test = findings.iloc[train_idx], findings.iloc[test_idx]
        texts = pd.DataFrame({"id": test["finding_id"], "text": test["finding"]})
        for source, use_classifier in (("rules", False), ("combined", True)):
            out = Suggester(codebook, train, use_classifier=use_classifier).suggest(texts, assume_population=True)
            predicted = set(zip(out["id"], out["dimension"], out["code"]))
            for row in test.itertuples():
                for dim in dims:
                    truth = set(getattr(row, dim))
                    c = counts.setdefault((source, dim), [0, 0, 0])
                    for code in codebook.dimensions[dim].codes:
                        hit = (row.finding_id, dim, code) in predicted
                        c[0] += hit and code in truth
                        c[1] += hit and code not in truth
                        c[2] += (not hit) and code in truth
    print(f"\n# 4. The example's {len(findings)} reconciled findings, {folds}-fold cross-validation grouped by study "
          f"({time.perf_counter() - start:.1f} s); blank study-level codes are filled from the study, so recall counts codes no text names")
    print("  dimension             rules: P     R    F1   combined: P     R    F1")
    for dim in dims:
        r_ = _f1(*counts[("rules", dim)])
        c_ = _f1(*counts[("combined", dim)])
        print(f"  {dim:<22}      {_fmt(r_[0])}  {_fmt(r_[1])}  {_fmt(r_[2])}           {_fmt(c_[0])}  {_fmt(c_[1])}  {_fmt(c_[2])}")


def speed(project_dir: str, path: str, n: int) -> None:
    project = open_project(project_dir)
    codebook = load_codebook(project)
    df = pd.read_csv(path, dtype=str, keep_default_na=False).head(n)
    texts = pd.DataFrame({"id": [str(i) for i in range(len(df))],
                          "text": (df.get("title", "") + ". " + df.get("abstract", "")).tolist()})
    print(f"\nSpeed on {len(texts)} titles and abstracts of {Path(path).name}")
    for label, training in (("keyword rules only", None), ("keywords + classifier", coded_findings(project))):
        suggester = Suggester(codebook, training)
        start = time.perf_counter()
        out = suggester.suggest(texts)
        took = time.perf_counter() - start
        print(f"  {label:<24} {took:7.2f} s  {len(texts) / took:8.0f} texts/s  {len(out)} suggestions")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", default=str(REPO))
    parser.add_argument("--devset", default=str(REPO.parent / "shared" / "data" / "coding" / "finding_sentences.csv"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--speed-texts", metavar="CSV", help="also time suggestions on this CSV's titles and abstracts")
    parser.add_argument("--speed-n", type=int, default=1000)
    parser.add_argument("--no-heldout", action="store_true", help="do not score the held-out part (while developing rules)")
    args = parser.parse_args()
    if Path(args.devset).is_file():
        devset_reports(args.project, args.devset, heldout=not args.no_heldout)
    else:
        print(f"(no development set at {args.devset}: reports 1-3 skipped)")
    findings_report(args.project, args.folds)
    if args.speed_texts:
        speed(args.project, args.speed_texts, args.speed_n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
