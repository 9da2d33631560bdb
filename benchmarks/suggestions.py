"""Per-code precision and recall of code suggestions, by cross-validation on a project.

For each fold (grouped by study, so findings of one study are never both trained on and
tested), the suggester is built from the other folds' reconciled findings and asked for
codes for the held-out findings' text. Three sources are scored against the coders'
reconciled codes (blank study-level codes filled from the study): keyword rules alone
(texts taken as in-population, as findings of included studies are), the classifier
alone, and both together (what `reviewbench suggest` returns). Dimensions coded only
per study (design, region) are left out.

    python benchmarks/suggestions.py [--project .] [--folds 5] [--threshold 0.5]
        [--speed-texts ../shared/data/screening/ACEInhibitors.csv --speed-n 1000]

``--speed-texts`` also times the keyword rules and the whole suggester on the titles and
abstracts of a CSV (columns ``title``, ``abstract``), as `reviewbench suggest` would run
them on search results.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))

from reviewbench.coding import coded_findings, load_codebook  # noqa: E402
from reviewbench.coding.suggest import Suggester  # noqa: E402
from reviewbench.project import open_project  # noqa: E402

SOURCES = ("keyword", "classifier", "combined")


def cross_validate(project_dir: str, folds: int, threshold: float) -> tuple[pd.DataFrame, int, float]:
    project = open_project(project_dir)
    codebook = load_codebook(project)
    findings = coded_findings(project).reset_index(drop=True)
    dims = [d for d, dim in codebook.dimensions.items() if dim.applies_to_findings]
    counts: dict[tuple[str, str, str], list[int]] = {}
    start = time.perf_counter()
    splitter = GroupKFold(n_splits=min(folds, findings["record_id"].nunique()))
    for train_idx, test_idx in splitter.split(findings, groups=findings["record_id"]):
        train, test = findings.iloc[train_idx], findings.iloc[test_idx]
        suggester = Suggester(codebook, train, threshold=threshold)
        out = suggester.suggest(pd.DataFrame({"id": test["finding_id"], "text": test["finding"]}), assume_population=True)
        by_source = {
            "keyword": out[out["rule"].str.contains("keyword")],
            "classifier": out[out["rule"].str.contains("classifier")],
            "combined": out,
        }
        for source, rows in by_source.items():
            predicted = set(zip(rows["id"], rows["dimension"], rows["code"]))
            for row in test.itertuples():
                for dim in dims:
                    truth = set(getattr(row, dim))
                    for code in codebook.dimensions[dim].codes:
                        tp_fp_fn = counts.setdefault((source, dim, code), [0, 0, 0])
                        hit = (row.finding_id, dim, code) in predicted
                        tp_fp_fn[0] += hit and code in truth
                        tp_fp_fn[1] += hit and code not in truth
                        tp_fp_fn[2] += (not hit) and code in truth
    took = time.perf_counter() - start
    rows = []
    for (source, dim, code), (tp, fp, fn) in counts.items():
        rows.append({"source": source, "dimension": dim, "code": code, "support": tp + fn, "tp": tp, "fp": fp, "fn": fn})
    return pd.DataFrame(rows), len(findings), took


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def report(scores: pd.DataFrame) -> str:
    wide = scores.pivot_table(index=["dimension", "code", "support"], columns="source", values=["tp", "fp", "fn"], aggfunc="sum")
    lines = []
    table = []
    for (dim, code, support), r in wide.iterrows():
        entry = {"dimension": dim, "code": code, "n": support}
        for s in SOURCES:
            tp, fp, fn = r[("tp", s)], r[("fp", s)], r[("fn", s)]
            entry[f"P {s[:4]}"] = _ratio(tp, tp + fp)
            entry[f"R {s[:4]}"] = _ratio(tp, tp + fn)
        table.append(entry)
    per_code = pd.DataFrame(table)
    per_code = per_code[per_code["n"] > 0]
    lines.append("Per code (codes used at least once; P = precision, R = recall; nan = never suggested)")
    lines.append(per_code.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    micro = scores.groupby(["source", "dimension"])[["tp", "fp", "fn"]].sum().reset_index()
    micro["precision"] = micro.apply(lambda r: _ratio(r.tp, r.tp + r.fp), axis=1)
    micro["recall"] = micro.apply(lambda r: _ratio(r.tp, r.tp + r.fn), axis=1)
    lines.append("")
    lines.append("Micro-averaged per dimension")
    lines.append(micro.pivot(index="dimension", columns="source", values=["precision", "recall"]).to_string(float_format=lambda v: f"{v:.2f}"))
    total = scores.groupby("source")[["tp", "fp", "fn"]].sum()
    lines.append("")
    lines.append("Overall (micro): " + "; ".join(
        f"{s}: P {_ratio(t.tp, t.tp + t.fp):.2f} R {_ratio(t.tp, t.tp + t.fn):.2f}" for s, t in total.loc[list(SOURCES)].iterrows()))
    return "\n".join(lines)


def speed(project_dir: str, path: str, n: int) -> str:
    project = open_project(project_dir)
    codebook = load_codebook(project)
    df = pd.read_csv(path, dtype=str, keep_default_na=False).head(n)
    texts = pd.DataFrame({"id": [str(i) for i in range(len(df))],
                          "text": (df.get("title", "") + ". " + df.get("abstract", "")).tolist()})
    lines = [f"Speed on {len(texts)} titles and abstracts of {Path(path).name}"]
    for label, training in (("keyword rules only", None), ("keywords + classifier", coded_findings(project))):
        suggester = Suggester(codebook, training)
        start = time.perf_counter()
        out = suggester.suggest(texts)
        took = time.perf_counter() - start
        lines.append(f"  {label:<24} {took:7.2f} s  {len(texts) / took:8.0f} texts/s  {len(out)} suggestions")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", default=str(Path(__file__).resolve().parents[1]))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--speed-texts", metavar="CSV", help="also time suggestions on this CSV's titles and abstracts")
    parser.add_argument("--speed-n", type=int, default=1000)
    args = parser.parse_args()
    scores, n, took = cross_validate(args.project, args.folds, args.threshold)
    print(f"Suggestions by {args.folds}-fold cross-validation grouped by study: {n} reconciled findings, "
          f"classifier threshold {args.threshold}, {took:.1f} s")
    print(report(scores))
    if args.speed_texts:
        print()
        print(speed(args.project, args.speed_texts, args.speed_n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
