"""Score ``reviewbench suggest`` (the command-line contract) on a labelled sentence set.

    python benchmarks/suggest_cli.py benchmarks/data/finding_sentences_fresh2.csv [--project .]

The sentences (columns ``id, text, subgroup, prevention_tier, trap`` as in the development
set) are written to a CSV of ``id, text``, ``reviewbench suggest`` codes them with the
project's codebook and coded findings, and every row it writes counts. Prints subgroup
micro precision, recall and F1, the trap sentences given a code they do not name, and the
prevention-tier macro-F1 (the most confident tier per sentence; none = not applicable).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
from sklearn.metrics import f1_score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sentences", type=Path)
    parser.add_argument("--project", default=".", help="the review project whose codebook and findings are used")
    args = parser.parse_args(argv)
    gold = pd.read_csv(args.sentences, dtype=str, keep_default_na=False)
    with tempfile.TemporaryDirectory() as tmp:
        texts, out = Path(tmp) / "texts.csv", Path(tmp) / "codes.csv"
        gold[["id", "text"]].to_csv(texts, index=False)
        run = subprocess.run([sys.executable, "-m", "reviewbench", "suggest", str(texts), "-o", str(out),
                              "--project", args.project], capture_output=True, text=True)
        if run.returncode:
            print(run.stderr, file=sys.stderr)
            return run.returncode
        suggested = pd.read_csv(out, dtype=str, keep_default_na=False)
    subgroup = suggested[suggested["dimension"] == "subgroup"].groupby("id")["code"].apply(set).to_dict()
    tp = fp = fn = fired = 0
    for row in gold.itertuples(index=False):
        truth, said = {c for c in row.subgroup.split(";") if c}, subgroup.get(row.id, set())
        tp, fp, fn = tp + len(truth & said), fp + len(said - truth), fn + len(truth - said)
        fired += row.trap == "1" and bool(said - truth)
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    tiers = suggested[suggested["dimension"] == "prevention_tier"].assign(c=lambda d: d["confidence"].astype(float))
    best = tiers.sort_values("c").groupby("id")["code"].last().to_dict()
    predicted = [best.get(i, "") for i in gold["id"]]
    labels = sorted({t for t in gold["prevention_tier"] if t})
    tier_f1 = f1_score(gold["prevention_tier"], predicted, labels=labels, average="macro", zero_division=0)
    print(f"{args.sentences.name}: {len(gold)} sentences, {int((gold['trap'] == '1').sum())} traps, "
          f"through `reviewbench suggest` on {args.project}")
    print(f"subgroup micro P {precision:.3f} R {recall:.3f} F1 {f1:.3f}; traps given a code they do not name: {fired}")
    print(f"prevention tier macro-F1: {tier_f1:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
