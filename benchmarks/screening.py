"""Screening benchmark: reviewbench's active-learning screener against ASReview LAB.

Runs ``reviewbench simulate`` and ``asreview simulate`` (ASReview LAB from PyPI with its
default AI, installed by this script into ``benchmarks/.envs/asreview``) on every CSV in
``../shared/data/screening/`` (column ``label_included``), each with the same priors: one
random included and one random excluded record drawn with the seed. Both orders are scored
by the same functions (:mod:`reviewbench.screening.metrics`), and the wall-clock seconds of
each command-line simulation are recorded. Prints a side-by-side table.

    .venv/bin/python benchmarks/screening.py                      # seeds 1-3, both tools
    .venv/bin/python benchmarks/screening.py --asreview-seeds 1   # ASReview on seed 1 only
    .venv/bin/python benchmarks/screening.py --tune               # compare our model options
    .venv/bin/python benchmarks/screening.py --latency            # re-rank time, 20,000 records

ASReview results are cached in ``benchmarks/results/screening/`` (git-ignored) so an
interrupted run resumes; delete that folder to rerun them.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "lib"))

from reviewbench.screening.engine.features import FeatureSettings  # noqa: E402
from reviewbench.screening.metrics import summary  # noqa: E402
from reviewbench.screening.simulate import choose_priors, load_labelled, simulate  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "screening"
ENV = ROOT / "benchmarks" / ".envs" / "asreview"
RESULTS = ROOT / "benchmarks" / "results" / "screening"
LABEL = "label_included"
METRICS = ["wss@95", "recall@10%", "records_for_95%", "records_for_100%", "atd", "seconds"]


def ensure_asreview() -> Path:
    """The ``asreview`` executable in its own venv, installing ASReview LAB on first use."""
    exe = ENV / "bin" / "asreview"
    if not exe.exists():
        print(f"installing ASReview LAB into {ENV.relative_to(ROOT)} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(ENV)], check=True)
        subprocess.run([str(ENV / "bin" / "pip"), "install", "-q", "asreview"], check=True)
    return exe


def asreview_version() -> str:
    out = subprocess.run([str(ENV / "bin" / "python"), "-c", "import asreview; print(asreview.__version__)"],
                         capture_output=True, text=True)
    return out.stdout.strip()


def priors_for(labels: pd.Series, seed: int) -> list[str]:
    return choose_priors(labels, 1, 1, seed)


def run_ours(dataset: Path, seed: int, priors: list[str]) -> tuple[np.ndarray, float]:
    """Labels in our order and the wall-clock seconds of the CLI run."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "order.csv"
        cmd = [sys.executable, "-m", "reviewbench", "simulate", str(dataset), "--label-column", LABEL,
               "-o", str(out), "--seed", str(seed), "--prior-ids", *priors]
        t0 = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "lib")})
        if done.returncode:
            raise SystemExit(f"reviewbench simulate failed on {dataset.name} seed {seed}:\n{done.stderr}")
        seconds = time.perf_counter() - t0
        order = pd.read_csv(out, dtype={"record_id": str})
    return order["label"].to_numpy(), seconds


def run_asreview(dataset: Path, seed: int, priors: list[str], labels: pd.Series) -> tuple[np.ndarray, float]:
    """Labels in ASReview's order (unscreened rest appended) and the CLI's wall-clock seconds."""
    raw = pd.read_csv(dataset, dtype={"record_id": str})
    row_of = {rid: i for i, rid in enumerate(raw["record_id"].astype(str))}
    prior_rows = [str(row_of[p]) for p in priors]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "sim.asreview"
        cmd = [str(ensure_asreview()), "simulate", str(dataset), "--prior-idx", *prior_rows,
               "--seed", str(seed), "-o", str(out)]
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        seconds = time.perf_counter() - t0
        with zipfile.ZipFile(out) as z:
            z.extract("results.db", tmp)
        con = sqlite3.connect(Path(tmp) / "results.db")
        rows = pd.read_sql("select r.rowid as step, rec.dataset_row from results r join record rec "
                           "on r.record_id = rec.record_id order by r.rowid", con)
        con.close()
    truth = raw[LABEL].astype(int).to_numpy()
    screened = rows["dataset_row"].astype(int).tolist()
    rest = [i for i in range(len(raw)) if i not in set(screened)]
    return truth[screened + rest], seconds


def cached(path: Path, compute) -> dict:
    if path.is_file():
        return json.loads(path.read_text())
    value = compute()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value))
    return value


def figures(labels: np.ndarray, seconds: float) -> dict:
    return {**summary(labels), "seconds": seconds}


def compare(datasets: list[Path], seeds: list[int], asreview_seeds: list[int], reuse_ours: bool = False) -> None:
    """Run both tools and print the table; ASReview results cached from earlier runs are reused.

    Our results are always written to the cache too, and read back from it with ``reuse_ours``.
    """
    if asreview_seeds:
        ensure_asreview()
    rows = []
    for dataset in datasets:
        _, labels = load_labelled(dataset, LABEL)
        for seed in seeds:
            priors = priors_for(labels, seed)
            ours_key = RESULTS / f"reviewbench-{dataset.stem}-{seed}.json"
            if reuse_ours and ours_key.is_file():
                ours = json.loads(ours_key.read_text())
            else:
                ours = figures(*run_ours(dataset, seed, priors))
                ours_key.parent.mkdir(parents=True, exist_ok=True)
                ours_key.write_text(json.dumps(ours))
            rows.append({"dataset": dataset.stem, "seed": seed, "tool": "reviewbench", **ours})
            key = RESULTS / f"asreview-{dataset.stem}-{seed}.json"
            if seed in asreview_seeds or key.is_file():
                asr = cached(key, lambda: figures(*run_asreview(dataset, seed, priors, labels)))
                rows.append({"dataset": dataset.stem, "seed": seed, "tool": "asreview", **asr})
            print(f"  done {dataset.stem} seed {seed}", file=sys.stderr, flush=True)
    print_table(pd.DataFrame(rows), seeds)


def print_table(table: pd.DataFrame, seeds: list[int]) -> None:
    """Side-by-side means per dataset over the seeds both tools ran (paired: same priors)."""
    pd.set_option("display.width", 250)
    pd.set_option("display.max_columns", 30)
    short = {"wss@95": "WSS95", "recall@10%": "R@10", "records_for_95%": "n95", "records_for_100%": "n100",
             "atd": "ATD", "seconds": "sec"}
    asr_seeds = table[table.tool == "asreview"].groupby("dataset")["seed"].apply(set)
    paired = table[[s in asr_seeds.get(d, set()) for d, s in zip(table.dataset, table.seed)]]
    fmt = lambda v: f"{v:.3f}" if abs(v) < 10 else f"{v:.1f}"  # noqa: E731
    if len(paired):
        per = paired.groupby(["dataset", "tool"])[METRICS].mean().unstack("tool")
        per.columns = [f"{short[m]}:{'rb' if t == 'reviewbench' else 'asr'}" for m, t in per.columns]
        cols = [f"{short[m]}:{t}" for m in METRICS for t in ("rb", "asr")]
        sizes = table.groupby("dataset")[["records", "relevant"]].first()
        out = sizes.join(per[cols])
        out.insert(2, "seeds", asr_seeds.map(lambda s: ",".join(map(str, sorted(s)))))
        out = out.dropna(subset=["WSS95:asr"])
        out.loc["MEAN"] = out.mean(numeric_only=True)
        print(f"\nreviewbench (rb) vs ASReview LAB {asreview_version()} default AI (asr): 1 included + 1 excluded "
              "random prior (same for both), mean over the seeds listed")
        print(out.to_string(float_format=fmt))
        diff = out["WSS95:rb"].drop("MEAN") - out["WSS95:asr"].drop("MEAN")
        print(f"\nWSS@95 reviewbench - asreview: mean {diff.mean():+.3f}, worst {diff.min():+.3f} ({diff.idxmin()}); "
              f"seconds per simulation {out.loc['MEAN', 'sec:rb']:.1f} vs {out.loc['MEAN', 'sec:asr']:.1f}")
    ours = table[table.tool == "reviewbench"].groupby("dataset")[METRICS].mean()
    ours.loc["MEAN"] = ours.mean()
    print(f"\nreviewbench alone, mean over seeds {seeds}:")
    print(ours.rename(columns=short).to_string(float_format=fmt))


TUNE_GRID = {
    "svm C=0.1 always": {"classifier": "svm", "classifier_params": {"C": 0.1}, "retrain": "always"},
    "svm C=0.1 min_df=2": {"classifier": "svm", "classifier_params": {"C": 0.1}, "features": FeatureSettings(min_df=2)},
    "svm C=0.1": {"classifier": "svm", "classifier_params": {"C": 0.1}},
    "svm C=0.1 ratio=10": {"classifier": "svm", "classifier_params": {"C": 0.1}, "balance_ratio": 10.0},
    "svm C=1": {"classifier": "svm", "classifier_params": {"C": 1.0}},
    "svm C=0.3": {"classifier": "svm", "classifier_params": {"C": 0.3}},
    "logistic C=1": {"classifier": "logistic", "classifier_params": {"C": 1.0}},
    "logistic C=10": {"classifier": "logistic", "classifier_params": {"C": 10.0}},
    "nb a=3.8": {"classifier": "nb"},
    "cnb a=1": {"classifier": "cnb"},
    "ensemble": {"classifier": "ensemble"},
    "svm mixed 10%": {"classifier": "svm", "classifier_params": {"C": 0.1}, "query": "mixed", "uncertainty_share": 0.1},
}


def tune(datasets: list[Path], seeds: list[int], configs: list[str]) -> None:
    """WSS@95 and seconds of each candidate configuration, in process (same priors for all)."""
    rows = []
    loaded = {d.stem: load_labelled(d, LABEL) for d in datasets}
    for name in configs:
        for stem, (records, labels) in loaded.items():
            for seed in seeds:
                res = simulate(records, labels, seed=seed, prior_ids=priors_for(labels, seed), **TUNE_GRID[name])
                rows.append({"config": name, "dataset": stem, "seed": seed, "wss@95": summary(res.labels)["wss@95"],
                             "seconds": res.seconds})
        part = pd.DataFrame(rows)
        part = part[part.config == name]
        print(f"{name:<24} mean WSS@95 {part['wss@95'].mean():.3f}  seconds {part.seconds.sum():.0f}", file=sys.stderr, flush=True)
    table = pd.DataFrame(rows).groupby(["dataset", "config"])["wss@95"].mean().unstack("config")
    table.loc["MEAN"] = table.mean()
    print(table.to_string(float_format=lambda v: f"{v:.3f}"))


def latency(n_records: int = 20_000, n_labelled: int = 1_000) -> None:
    """Seconds to re-fit and re-rank after one more decision, on ``n_records`` records."""
    from reviewbench.screening.engine import Ranker

    frames = []
    for d in sorted(DATA.glob("*.csv")):
        records, labels = load_labelled(d, LABEL)
        frames.append(records.assign(record_id=d.stem + "-" + records["record_id"], label=labels.to_numpy()))
    pool = pd.concat(frames, ignore_index=True)
    copies = [pool.assign(record_id=pool["record_id"] + f"-copy{i}", title=pool["title"] + f" copy{i}")
              for i in range(-(-n_records // len(pool)))]
    corpus = pd.concat(copies, ignore_index=True).iloc[:n_records]
    t0 = time.perf_counter()
    ranker = Ranker(corpus, seed=1)
    build = time.perf_counter() - t0
    rng = np.random.default_rng(1)
    picked = corpus.iloc[rng.choice(len(corpus), n_labelled, replace=False)]
    labels = dict(zip(picked["record_id"], picked["label"].astype(int)))
    labels[corpus["record_id"].iloc[0]] = 1
    timings, cpu = [], []
    for extra in corpus["record_id"].iloc[1:11]:
        labels[extra] = 0
        t0, c0 = time.perf_counter(), time.process_time()
        ranker.fit(labels).rank()
        timings.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    print(f"{n_records} records, {len(labels)} labelled: features {build:.1f} s (once, then cached); "
          f"re-rank after a decision: wall median {np.median(timings):.3f} s, max {max(timings):.3f} s; "
          f"CPU median {np.median(cpu):.3f} s, max {max(cpu):.3f} s (machine load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", nargs="*", help="dataset names (default: all in the data folder)")
    ap.add_argument("--seeds", nargs="*", type=int, default=[1, 2, 3])
    ap.add_argument("--asreview-seeds", nargs="*", type=int, help="seeds to run ASReview on (default: --seeds)")
    ap.add_argument("--tune", nargs="*", metavar="CONFIG", help="compare our model options (default: all)")
    ap.add_argument("--latency", action="store_true", help="time one re-rank on 20,000 records")
    ap.add_argument("--reuse-ours", action="store_true", help="read our results from the cache when present")
    args = ap.parse_args()
    datasets = sorted(DATA.glob("*.csv"))
    if args.datasets:
        datasets = [d for d in datasets if d.stem in args.datasets]
    if args.latency:
        latency()
    elif args.tune is not None:
        tune(datasets, args.seeds, args.tune or list(TUNE_GRID))
    else:
        compare(datasets, args.seeds, args.seeds if args.asreview_seeds is None else args.asreview_seeds,
                args.reuse_ours)


if __name__ == "__main__":
    main()
