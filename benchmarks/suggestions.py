"""How good code suggestions are: on the coding development set and on the example's findings.

Every figure is labelled with what was fitted on what. The suggester is the one
`reviewbench suggest` builds: the codebook's cue lists find candidate spans, a span model
judges each hit from its context (:mod:`reviewbench.coding.spans`), a classifier and a
calibrator handle cues without their partner and the other dimensions. Here it is trained
on the example's coded findings plus development sentences.

1. **Development set, in-sample against cross-validated.** In-sample: trained on all 220
   sentences, scored on them. CV: 5-fold cross-validation (folds stratified by trap and by
   having a subgroup, seed 19): trained on four folds (+ the example's findings), scored on
   the fifth; the span model's cut-off is chosen inside the training folds (nested). Per
   subgroup code and micro P/R/F1, trap sentences given a code they do not truly name,
   prevention-tier macro-F1 with its confusion table (one tier per sentence: the most
   confident suggestion, else not_applicable), the calibration table (confidence bins
   against the share right) and the pre-select threshold with how often pre-selected
   suggestions were right. The cue lists and context checks are fixed rules written while
   looking at these sentences, so for them even the CV figures are in-sample; only the
   learned parts are held out.
2. **Leave one trap kind out.** Traps are grouped by the code their look-alike word belongs
   to (the code a candidate span reaches that the sentence does not truly name); each group
   is scored by a suggester trained on every other sentence.
3. **An external set** (``--sentences PATH``, same columns as the development set): scored
   by the frozen suggester (trained on all development sentences and the example's
   findings), with no fitting on it.
4. **Generated variations** (``benchmarks/sentence_variants.py``), labelled by construction.
5. **The example's findings grouped by study**: for each of k folds the suggester is
   fitted on the other studies' reconciled findings and suggests codes for the held-out
   study's findings (cue rules alone, and the whole suggester).

    python benchmarks/suggestions.py [--project .] [--devset ../shared/data/coding/finding_sentences.csv]
        [--sentences FRESH.csv] [--folds 5] [--speed-texts ../shared/data/screening/ACEInhibitors.csv --speed-n 1000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd
from sklearn.model_selection import GroupKFold, StratifiedKFold

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from reviewbench.coding import coded_findings, load_codebook, parse_codes  # noqa: E402
from reviewbench.coding.calibration import reliability_table  # noqa: E402
from reviewbench.coding.keywords import KeywordMatcher  # noqa: E402
from reviewbench.coding.suggest import Suggester  # noqa: E402
from reviewbench.project import open_project  # noqa: E402
from sentence_variants import generate  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SUBGROUP, TIER = "subgroup", "prevention_tier"
NO_TIER = "not_applicable"


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    return p, r, _ratio(2 * p * r, p + r) if tp else 0.0


def _fmt(v: float) -> str:
    return "  nan" if v != v else f"{v:.2f}"


DEV_COLUMNS = ("id", "text", SUBGROUP, TIER)


def read_devset(path: str | Path) -> pd.DataFrame:
    """Labelled sentences: ``id, text, subgroup, prevention_tier`` (``trap``, ``note`` optional)."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in DEV_COLUMNS if c not in df.columns]
    if missing:
        raise SystemExit(f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(DEV_COLUMNS)}[, trap, note]")
    for column in ("trap", "note"):
        if column not in df.columns:
            df[column] = ""
    return df.reset_index(drop=True)


def as_findings(df: pd.DataFrame) -> pd.DataFrame:
    """Labelled sentences in the shape of coded findings (one list column per dimension)."""
    return pd.DataFrame({
        "finding_id": df["id"], "record_id": "sentence:" + df["id"], "finding": df["text"],
        SUBGROUP: [parse_codes(v) for v in df[SUBGROUP]],
        TIER: [parse_codes(v) or [NO_TIER] for v in df[TIER]],
    })


def train_on(codebook, example: pd.DataFrame, sentences: pd.DataFrame, span_model: bool = True, prose: bool = True) -> Suggester:
    """The suggester trained on the example's coded findings and labelled sentences (which
    carry no codes of the other dimensions: empty there)."""
    training = pd.concat([example, as_findings(sentences)], ignore_index=True)
    for dim in codebook.dimensions:
        if dim in training.columns:
            training[dim] = [v if isinstance(v, list) else [] for v in training[dim]]
    return Suggester(codebook, training, use_span_model=span_model, use_prose=prose)


def collect(suggester: Suggester, df: pd.DataFrame, index: list[int] | None = None) -> list:
    """Evidence for the rows of ``df``, its ``index`` mapped back to positions ``index``."""
    texts = pd.DataFrame({"id": df["id"].tolist(), "text": df["text"].tolist()})
    evidence = suggester.evidence(texts)
    if index is not None:
        for ev in evidence:
            ev.index = index[ev.index]
    return evidence


# --------------------------------------------------------------------------- scoring


def score(codebook, evidence: list, df: pd.DataFrame) -> dict:
    """Subgroup, trap, tier and calibration figures of ``evidence`` (indices into ``df``)."""
    rows = df.reset_index(drop=True)
    shown = [ev for ev in evidence if ev.shown]
    gold = [set(parse_codes(v)) for v in rows[SUBGROUP]]
    pred: list[set[str]] = [set() for _ in range(len(rows))]
    for ev in shown:
        if ev.dimension == SUBGROUP:
            pred[ev.index].add(ev.code)
    per_code = []
    for code in codebook.dimensions[SUBGROUP].codes:
        tp = sum(code in g and code in p for g, p in zip(gold, pred))
        fp = sum(code not in g and code in p for g, p in zip(gold, pred))
        fn = sum(code in g and code not in p for g, p in zip(gold, pred))
        per_code.append((code, tp + fn, tp, fp, fn))
    totals = [sum(c[i] for c in per_code) for i in (2, 3, 4)]
    traps = [(rows.at[i, "id"], sorted(p - g)) for i, (g, p) in enumerate(zip(gold, pred)) if rows.at[i, "trap"] == "1" and p - g]
    best: dict[int, tuple[float, str]] = {}
    for ev in shown:
        if ev.dimension == TIER and ev.confidence > best.get(ev.index, (-1.0, ""))[0]:
            best[ev.index] = (ev.confidence, ev.code)
    tier_gold = [(parse_codes(v) or [NO_TIER])[0] for v in rows[TIER]]
    tier_pred = [best.get(i, (0.0, NO_TIER))[1] for i in range(len(rows))]
    calib = pd.DataFrame([
        {"confidence": ev.confidence,
         "right": ev.code in (gold[ev.index] if ev.dimension == SUBGROUP else {tier_gold[ev.index]})}
        for ev in evidence if ev.dimension in (SUBGROUP, TIER)
    ], columns=["confidence", "right"])
    return {"n": len(rows), "n_traps": int((rows["trap"] == "1").sum()), "per_code": per_code, "micro": _f1(*totals),
            "traps": traps, "tier_gold": tier_gold, "tier_pred": tier_pred, "calibration": calib, "pred": pred, "gold": gold}


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


def print_result(result: dict, tiers: list[str], threshold: float, label: str) -> None:
    """Every table of one scored set."""
    p, r, f = result["micro"]
    print(f"Subgroup micro ({label}): P {_fmt(p)} R {_fmt(r)} F1 {_fmt(f)}")
    print("  code              n   tp  fp  fn     P     R    F1")
    for code, n, tp, fp, fn in result["per_code"]:
        cp, cr, cf = _f1(tp, fp, fn)
        print(f"  {code:<16} {n:>3} {tp:>4} {fp:>3} {fn:>3}  {_fmt(cp)}  {_fmt(cr)}  {_fmt(cf)}")
    traps = result["traps"]
    print(f"Traps given a code they do not name ({label}): {len(traps)} of {result['n_traps']}"
          + (": " + ", ".join(f"{i} ({'/'.join(c)})" for i, c in traps) if traps else ""))
    macro, per, confusion = tier_report(result["tier_gold"], result["tier_pred"], tiers)
    print(f"Prevention tier macro-F1 ({label}; one tier per sentence, {NO_TIER} when none is suggested): {macro:.2f}")
    print(per.to_string(index=False, float_format=_fmt))
    print("Confusion (rows: gold, columns: suggested)")
    print(confusion.to_string())
    table = reliability_table(result["calibration"]["confidence"], result["calibration"]["right"])
    print(f"Calibration ({label}; subgroup and tier, every piece of evidence, shown or not; ECE {table.attrs['ece']:.3f})")
    print(table.to_string(index=False, float_format=_fmt))
    print(preselect_report(result["calibration"], threshold))


# --------------------------------------------------------------------------- reports


def trap_kind(matcher: KeywordMatcher, text: str, gold: set[str]) -> str:
    """The code a trap's look-alike word belongs to: the first code a candidate span reaches
    (hit or vetoed) that the sentence does not truly name; ``other`` when none does."""
    for hit in matcher.candidates(text, unpaired=True):
        if hit.dimension == SUBGROUP and hit.code not in gold:
            return hit.code
    return "other"


def devset_reports(project_dir: str, devset: str, folds: int, sentences: str | None) -> None:
    project = open_project(project_dir)
    codebook = load_codebook(project)
    example = coded_findings(project)
    df = read_devset(devset)
    tiers = [c for c in codebook.dimensions[TIER].codes if c != NO_TIER] + [NO_TIER]
    start = time.perf_counter()
    frozen = train_on(codebook, example, df)
    insample = score(codebook, collect(frozen, df), df)
    # 5-fold CV, the span model's cut-off chosen inside each training part
    strata = (df["trap"] == "1").astype(int) * 2 + (df[SUBGROUP] != "").astype(int)
    evidence, cutoffs, prose_cutoffs, without, no_prose = [], [], [], [], []
    for train_idx, test_idx in StratifiedKFold(n_splits=folds, shuffle=True, random_state=19).split(df, strata):
        fold = train_on(codebook, example, df.iloc[train_idx])
        cutoffs.append(fold.judges[SUBGROUP].cutoff if SUBGROUP in fold.judges else float("nan"))
        prose_cutoffs.append(fold.judges[SUBGROUP].prose_cutoff if SUBGROUP in fold.judges else float("nan"))
        no_prose.extend(collect(train_on(codebook, example, df.iloc[train_idx], prose=False), df.iloc[test_idx], test_idx.tolist()))
        evidence.extend(collect(fold, df.iloc[test_idx], test_idx.tolist()))
        without.extend(collect(train_on(codebook, example, df.iloc[train_idx], span_model=False), df.iloc[test_idx], test_idx.tolist()))
    cv = score(codebook, evidence, df)
    cv_without = score(codebook, without, df)
    cv_no_prose = score(codebook, no_prose, df)
    print(f"# 1. Development set ({len(df)} sentences, {int((df['trap'] == '1').sum())} traps): IN-SAMPLE (trained on all "
          f"of it + the example's {len(example)} coded findings) against {folds}-fold CV (trained on {folds - 1} folds + the findings)")
    print("  subgroup          n   in-sample F1   CV: P     R    F1")
    for (code, n, tp, fp, fn), (_c, _n, ctp, cfp, cfn) in zip(insample["per_code"], cv["per_code"]):
        cp, cr, cf = _f1(ctp, cfp, cfn)
        print(f"  {code:<16} {n:>3}        {_fmt(_f1(tp, fp, fn)[2])}      {_fmt(cp)}  {_fmt(cr)}  {_fmt(cf)}")
    print(f"  {'micro':<16} {sum(c[1] for c in cv['per_code']):>3}        {_fmt(insample['micro'][2])}      "
          f"{_fmt(cv['micro'][0])}  {_fmt(cv['micro'][1])}  {_fmt(cv['micro'][2])}")
    in_macro = tier_report(insample["tier_gold"], insample["tier_pred"], tiers)[0]
    cv_macro = tier_report(cv["tier_gold"], cv["tier_pred"], tiers)[0]
    print(f"  traps given a code they do not name: in-sample {len(insample['traps'])}, CV {len(cv['traps'])} of {cv['n_traps']}")
    print(f"  without the span model (rules, classifier, calibration; CV): subgroup micro P {_fmt(cv_without['micro'][0])} "
          f"R {_fmt(cv_without['micro'][1])} F1 {_fmt(cv_without['micro'][2])}, traps {len(cv_without['traps'])} of {cv['n_traps']}")
    print(f"  without prose candidates (cue rules only as candidates; CV): subgroup micro P {_fmt(cv_no_prose['micro'][0])} "
          f"R {_fmt(cv_no_prose['micro'][1])} F1 {_fmt(cv_no_prose['micro'][2])}, traps {len(cv_no_prose['traps'])} of {cv['n_traps']}")
    print(f"  prevention tier macro-F1: in-sample {in_macro:.2f}, CV {cv_macro:.2f}")
    print(f"  span-model cut-off chosen inside each training part (nested 5-fold): "
          f"{', '.join(f'{c:.2f}' for c in cutoffs)}; shipped (all 220): {frozen.judges[SUBGROUP].cutoff:.2f}"
          if SUBGROUP in frozen.judges else "  (no span model)")
    if SUBGROUP in frozen.judges:
        print(f"  prose cut-off (lowest at which out-of-fold prose suggestions were right >= 0.9; >1 = off) chosen inside each "
              f"training part: {', '.join(f'{c:.2f}' for c in prose_cutoffs)}; shipped: {frozen.judges[SUBGROUP].prose_cutoff:.2f}")
    print(f"  pre-select threshold {frozen.preselect:.2f} (fixed target: right nine times in ten); "
          f"in-sample {preselect_report(insample['calibration'], frozen.preselect)}")
    print(f"\n## Cross-validated ({folds}-fold), in full")
    print_result(cv, tiers, frozen.preselect, "CV")
    if SUBGROUP in frozen.judges:
        weights = sorted(frozen.judges[SUBGROUP].model.weights().items(), key=lambda kv: -abs(kv[1]))[:12]
        print("Span model (shipped), largest weights in log-odds: " + ", ".join(f"{k} {v:+.2f}" for k, v in weights))
    lotko_report(codebook, example, df)
    if sentences:
        external_report(codebook, frozen, sentences, tiers, train_on(codebook, example, df, span_model=False),
                        train_on(codebook, example, df, prose=False), Suggester(codebook, example), Suggester(codebook, example, use_prose=False))
    variants_report(frozen)
    print(f"({time.perf_counter() - start:.1f} s)")


def lotko_report(codebook, example: pd.DataFrame, df: pd.DataFrame) -> None:
    matcher = KeywordMatcher(codebook)
    gold = [set(parse_codes(v)) for v in df[SUBGROUP]]
    kinds = pd.Series([trap_kind(matcher, t, g) if trap == "1" else "" for t, g, trap in zip(df["text"], gold, df["trap"])])
    print("\n# 2. Leave one trap kind out: each kind's traps scored by a suggester trained on every other sentence")
    print("  look-alike of     traps  fired  ids fired")
    total = fired_total = 0
    for kind in [k for k in codebook.dimensions[SUBGROUP].codes if (kinds == k).any()] + (["other"] if (kinds == "other").any() else []):
        test = df.index[kinds == kind].tolist()
        train = df.drop(index=test)
        evidence = collect(train_on(codebook, example, train), df.loc[test].reset_index(drop=True))
        result = score(codebook, evidence, df.loc[test].reset_index(drop=True))
        fired = result["traps"]
        total, fired_total = total + len(test), fired_total + len(fired)
        print(f"  {kind:<16} {len(test):>5}  {len(fired):>5}  {', '.join(f'{i} ({chr(47).join(c)})' for i, c in fired)}")
    print(f"  {'all':<16} {total:>5}  {fired_total:>5}")


def external_report(codebook, frozen: Suggester, path: str, tiers: list[str], without: Suggester, no_prose: Suggester,
                    findings_only: Suggester, findings_no_prose: Suggester) -> None:
    df = read_devset(path)
    print(f"\n# 3. External set {Path(path).name} ({len(df)} sentences, {int((df['trap'] == '1').sum())} traps): "
          f"FROZEN suggester (trained on the development set + the example's findings), no fitting on this set")
    result = score(codebook, collect(frozen, df), df)
    print_result(result, tiers, frozen.preselect, "external")
    wrong = [(df.at[i, "id"], sorted(g), sorted(p)) for i, (g, p) in enumerate(zip(result["gold"], result["pred"])) if g != p]
    for sid, g, p in wrong:
        print(f"    {sid} gold {g} suggested {p}")
    other = score(codebook, collect(without, df), df)
    print(f"Without the span model (same training): subgroup micro P {_fmt(other['micro'][0])} R {_fmt(other['micro'][1])} "
          f"F1 {_fmt(other['micro'][2])}; traps given a code they do not name: {len(other['traps'])} of {other['n_traps']}")
    for label, suggester in (("Without prose candidates (same training)", no_prose),
                             ("Trained on the example's findings alone, as `reviewbench suggest` is", findings_only),
                             ("... and without prose candidates", findings_no_prose)):
        other = score(codebook, collect(suggester, df), df)
        judge = suggester.judges.get(SUBGROUP)
        print(f"{label}: subgroup micro P {_fmt(other['micro'][0])} R {_fmt(other['micro'][1])} F1 {_fmt(other['micro'][2])}; "
              f"traps {len(other['traps'])} of {other['n_traps']}" + (f"; prose cut-off {judge.prose_cutoff:.2f}" if judge else ""))


def variants_report(shipped: Suggester) -> None:
    variants = generate()
    out = shipped.suggest(variants[["id", "text"]])
    sub = out[out["dimension"] == SUBGROUP]
    pred = sub.groupby("id")["code"].apply(set).to_dict()
    print(f"\n# 4. Generated variations ({len(variants)} sentences, frozen suggester; labels by construction)")
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
    print(f"\n# 5. The example's {len(findings)} reconciled findings, {folds}-fold cross-validation grouped by study "
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
    parser.add_argument("--sentences", metavar="CSV", help="also score this labelled set (same columns as the development set) with the frozen suggester")
    args = parser.parse_args()
    if Path(args.devset).is_file():
        devset_reports(args.project, args.devset, args.folds, args.sentences)
    else:
        print(f"(no development set at {args.devset}: reports 1-4 skipped)")
    findings_report(args.project, args.folds)
    if args.speed_texts:
        speed(args.project, args.speed_texts, args.speed_n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
