"""Deduplication benchmark: accuracy held out and in sample, on clean and messy exports; speed at scale.

Accuracy (the default run). For each labelled set in ``../shared/data/dedup/`` (ASySD
layout) and its messy version (``messy_exports.py``: the same set with a share of the
records re-written as other exports write them, plus look-alike decoys), read through the
importer as ``reviewbench dedupe`` reads it, and scored against the gold groups:

- **held out**: the default weights (``data/match_weights.csv``) are re-learned on the
  *other two* sets (clean + messy), the thresholds chosen on those two, and the result
  measured on the third. This is the figure to trust.
- **in sample**: the weights and thresholds shipped (learned on all three sets).

Figures: sensitivity and specificity as the ASySD paper defines them (true duplicate
records removed / all duplicate records; publications kept / all publications),
publications lost to false merges (a cluster holding records of k publications loses
k-1), pairwise precision, and the review queue per 1,000 records.

Thresholds are chosen on the training sets (:func:`choose_settings`): no publication lost
and no pair of two publications merged by the match weight, then the most duplicates found
(pooled over the training sets); ties go to the middle of the tied points.

    python benchmarks/dedup.py                      # accuracy table (held out and in sample)
    python benchmarks/dedup.py --ablation           # what each rule is worth, held out
    python benchmarks/dedup.py --phenomena          # one export phenomenon at a time
    python benchmarks/dedup.py --misses             # held out: the layer that kept each missed duplicate apart
    python benchmarks/dedup.py --messy-seeds 1 2 3 --share 0.08 0.15   # held out on messy draws no rule was written from
    python benchmarks/dedup.py --fit                # re-learn data/match_weights.csv and print the chosen settings
    python benchmarks/dedup.py --speed 80000 --speed 1000000   # CSV in, clusters out, in a fresh process
                                                               # (wall and CPU seconds: on a busy machine, CPU is the fairer figure)

Imported records are cached in ``benchmarks/results/dedup/`` (git-ignored).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
import json
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "lib"))
sys.path.insert(0, str(HERE))

import messy_exports  # noqa: E402
from messy_exports import PHENOMENA, messy_version, read_set, write_set  # noqa: E402
from reviewbench.dedupe.clusters import Comparison, compare_records, decide  # noqa: E402
from reviewbench.dedupe.rules import (  # noqa: E402
    DUPLICATE, EXCEPTIONS, REVIEW, MatchSettings, identity_rules, non_duplicate_rules, open_pairs,
)
from reviewbench.dedupe.score import Weights, comparison_levels, fit_weights, weights_to_rows  # noqa: E402
from reviewbench.formats import read_files  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "dedup"
CACHE = HERE / "results" / "dedup"
SETS = ("diabetes", "neuroimaging", "cardiac")
VERSIONS = ("clean", "messy")
WEIGHTS_FILE = ROOT / "lib" / "reviewbench" / "dedupe" / "data" / "match_weights.csv"
GRID = {
    "match_weight": (2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0),
    "em_strength": (100.0, 1000.0, 10000.0, float("inf")),
}


# --- data ----------------------------------------------------------------------------------


@dataclass
class Labelled:
    """One labelled corpus, compared once: the comparison, each ordered record's gold group, each pair's label."""

    name: str
    comparison: Comparison
    truth: np.ndarray
    same: np.ndarray
    undecidable: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.undecidable is None:
            self.undecidable = undecidable(self)

    @property
    def size(self) -> int:
        return len(self.truth)


def _cache_key(*parts: object) -> str:
    """What the cached comparison depends on: the importer, the keys, blocking and pair features.

    Not the rules, weights or thresholds (``rules.py``, ``score.py``, ``match_weights.csv``):
    they decide the compared pairs afresh on every run.
    """
    lib = ROOT / "lib" / "reviewbench"
    dedupe = lib / "dedupe"
    sources = [HERE / "messy_exports.py", lib / "schema.py", *sorted((lib / "formats").rglob("*.py"))]
    sources += [dedupe / f"{name}.py" for name in ("normalise", "compare", "blocking", "clusters")]
    sources += [path for path in sorted((dedupe / "data").glob("*.*")) if path.name != "match_weights.csv"]
    digest = hashlib.sha256(repr(parts).encode())
    for path in sources:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _import(folder: Path) -> tuple[pd.DataFrame, list[list[str]]]:
    records, _ = read_files([folder / "records_pre_merged.csv"])
    gold = pd.read_csv(folder / "merged_record_ids.csv", dtype=str)
    return records, [s.split(";") for s in gold["merged_ids"].dropna()]


DEFAULT_SHARE = 0.08


def messy_seed(name: str, draw: int = 0) -> int:
    """The generator seed of a set's messy version: draw 0 is the version the rules were written from."""
    text = name if draw == 0 else f"{name} draw {draw}"
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def load(name: str, version: str, data: Path = DATA, draw: int = 0, share: float = DEFAULT_SHARE) -> Labelled:
    """A labelled set, clean or messy, imported and compared (cached on disk).

    ``draw`` and ``share`` choose the messy version: the generator's draw (0, the default,
    is the one every rule was chosen looking at; others are new draws) and the share of
    records each phenomenon re-writes.
    """
    folder = data / name
    label = version
    parts: tuple[object, ...] = (name, version, (folder / "records_pre_merged.csv").stat().st_mtime)
    if version != "clean" and (draw, share) != (0, DEFAULT_SHARE):
        label = f"{version} draw {draw} share {share:g}"
        parts += (draw, share)
    key = _cache_key(*parts)
    path = CACHE / f"{name}-{label.replace(' ', '-')}-{key}.pickle"
    if path.exists():
        comparison, truth, same = pickle.loads(path.read_bytes())
        return Labelled(name=f"{name} {label}", comparison=comparison, truth=truth, same=same)
    if version == "clean":
        records, groups = _import(folder)
    else:
        raw, raw_groups = read_set(folder)
        messy, messy_groups = messy_version(raw, raw_groups, seed=messy_seed(name, draw), share=share)
        with tempfile.TemporaryDirectory() as tmp:
            write_set(messy, messy_groups, Path(tmp))
            records, groups = _import(Path(tmp))
    comparison = compare_records(records)
    gold = {rid: k for k, members in enumerate(groups) for rid in members}
    source = comparison.records["source_id"].astype(str).tolist()
    truth = np.array([gold.get(s, len(groups) + n) for n, s in enumerate(source)], dtype=np.int64)
    f = comparison.features
    same = truth[f["i"].to_numpy()] == truth[f["j"].to_numpy()]
    labelled = Labelled(name=f"{name} {label}", comparison=comparison, truth=truth, same=same)
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps((comparison, truth, same)))
    return labelled


# --- scoring -------------------------------------------------------------------------------


def score_clusters(truth: np.ndarray, cluster: np.ndarray) -> dict[str, float]:
    """Accuracy of predicted clusters against gold groups (both one value per record)."""
    frame = pd.DataFrame({"truth": truth, "cluster": cluster})
    per_cluster = frame.groupby("cluster").agg(size=("truth", "size"), pubs=("truth", "nunique"))
    lost = int((per_cluster["pubs"] - 1).sum())
    removed_right = int((per_cluster["size"] - per_cluster["pubs"]).sum())
    n_pubs = frame["truth"].nunique()
    duplicates = len(frame) - n_pubs

    def n_pairs(col: list[str]) -> int:
        sizes = frame.groupby(col).size().to_numpy()
        return int((sizes * (sizes - 1) // 2).sum())

    predicted, true, both = n_pairs(["cluster"]), n_pairs(["truth"]), n_pairs(["cluster", "truth"])
    return {
        "precision": both / predicted if predicted else 1.0,
        "recall": both / true if true else 1.0,
        "lost": lost,
        "sensitivity": removed_right / duplicates if duplicates else 1.0,
        "specificity": (n_pubs - lost) / n_pubs if n_pubs else 1.0,
    }


UNDECIDABLE_FIELDS = ("title_key", "authors_key", "year", "journal_key", "volume_key", "issue_numbers", "page_key", "doi", "pmid")


def undecidable(data: Labelled) -> np.ndarray:
    """Per record: could it belong to another publication as well as to its own, even for a person?

    A record is undecidable when a record of *another* gold group agrees with it on every
    field both give (title, authors, year, journal, volume, issue, first page, DOI, PMID) and
    so does a record of its own group: a bare copy of front matter repeated across the
    issues of a volume (no DOI, issue or page) fits every issue's item. Such records are
    counted apart; their pairs go to a person by design.
    """
    keys = data.comparison.keys
    truth = data.truth
    out = np.zeros(len(keys), dtype=bool)
    values = {c: keys[c].map(lambda v: "" if isinstance(v, float) and np.isnan(v) else str(v)).to_numpy(dtype=object) for c in UNDECIDABLE_FIELDS}
    groups = pd.Series(np.arange(len(keys))).groupby(keys["title_key"].str.replace(" ", "", regex=False).to_numpy())
    for title, rows in groups:
        rows = rows.to_numpy()
        if not title or len(rows) < 3 or len(np.unique(truth[rows])) < 2:
            continue
        for r in rows:
            fits = [
                o for o in rows
                if o != r and all(values[c][r] == "" or values[c][o] == "" or values[c][r] == values[c][o] for c in UNDECIDABLE_FIELDS)
            ]
            own = any(truth[o] == truth[r] for o in fits)
            other = any(truth[o] != truth[r] for o in fits)
            out[r] = own and other
    return out


def evaluate(data: Labelled, settings: MatchSettings, prior: Weights | None) -> dict[str, float]:
    """Decide one labelled corpus with ``settings`` and ``prior`` and score it.

    ``decidable``: the sensitivity on the records a person could place (:func:`undecidable`).
    """
    result = decide(data.comparison, settings, prior)
    clusters = result.clusters.set_index("record_id")["cluster_id"]
    cluster = clusters.loc[data.comparison.ids].to_numpy()
    out = score_clusters(data.truth, cluster)
    keep = ~data.undecidable
    out["decidable"] = score_clusters(data.truth[keep], cluster[keep])["sensitivity"]
    out["undecidable"] = int(data.undecidable.sum())
    out["found"] = int(round(out["sensitivity"] * (data.size - len(np.unique(data.truth)))))
    merged = result.pairs[(result.pairs["decision"] == "duplicate") & (result.pairs["rule"] == "match_score")]
    out["false_score_merges"] = int((data.truth[merged["i"].to_numpy()] != data.truth[merged["j"].to_numpy()]).sum())
    pairs = result.pairs
    queued = pairs[(pairs["decision"] == "uncertain")]
    apart = clusters.loc[queued["record_id"]].to_numpy() != clusters.loc[queued["other_record_id"]].to_numpy()
    out["queue"] = int(apart.sum())
    out["queue_per_1000"] = 1000 * out["queue"] / data.size
    out["records"] = data.size
    return out


def learn_prior(training: list[Labelled], settings: MatchSettings) -> Weights:
    """Default weights counted from the labelled pairs the score decides (:func:`open_pairs`)."""
    levels, same = [], []
    for data in training:
        f = data.comparison.features
        scored = open_pairs(f, data.comparison.title_groups, settings)["scored"]
        levels.append(comparison_levels(f)[scored])
        same.append(data.same[scored])
    return fit_weights(np.concatenate(levels), np.concatenate(same))


def choose_settings(training: list[Labelled], base: MatchSettings, prior: Weights) -> MatchSettings:
    """The grid point that finds the most duplicates on ``training`` without a false merge.

    Safe first: no publication lost, and no pair of two publications merged by the match
    weight (:func:`evaluate`'s ``false_score_merges``; the consistency step may hide such a
    merge from the count of losses, so the score is held to it on its own). Of the safe
    points, the most duplicate records found, pooled over the training sets (a set with
    more duplicates counts for more). Points that find exactly as many are one plateau the
    training sets cannot tell apart: the middle one (by ``match_weight``, then
    ``em_strength``) is the choice least tied to where the plateau happens to end.
    """
    scored = []
    for values in itertools.product(*GRID.values()):
        settings = replace(base, **dict(zip(GRID, values)))
        results = [evaluate(d, settings, prior) for d in training]
        lost = sum(r["lost"] for r in results)
        false = sum(r["false_score_merges"] for r in results)
        found = sum(r["found"] for r in results)
        scored.append(((lost, false), found, settings))
    safest = min(risk for risk, _, _ in scored)
    best = max(found for risk, found, _ in scored if risk == safest)
    plateau = sorted((s for risk, found, s in scored if risk == safest and found == best), key=lambda s: (s.match_weight, s.em_strength))
    return plateau[(len(plateau) - 1) // 2]


def held_out(corpora: dict[str, list[Labelled]], base: MatchSettings, choose: bool = True) -> dict[str, tuple[MatchSettings, list[dict]]]:
    """Leave one set out: learn weights and thresholds on the others, measure on it."""
    out = {}
    for name, tests in corpora.items():
        training = [d for other, ds in corpora.items() if other != name for d in ds]
        prior = learn_prior(training, base)
        settings = choose_settings(training, base, prior) if choose else base
        out[name] = (settings, [evaluate(d, settings, prior) for d in tests])
    return out


# --- reports -------------------------------------------------------------------------------


def _line(label: str, r: dict[str, float]) -> str:
    return (
        f"{label:<22}{r['records']:>8,}{r['precision']:>8.4f}{r['sensitivity']:>8.4f}{r['decidable']:>10.4f}{r['undecidable']:>7}"
        f"{r['specificity']:>8.4f}{r['lost']:>6}{r['queue_per_1000']:>9.1f}"
    )


HEADER = (
    f"{'dataset':<22}{'records':>8}{'prec':>8}{'sens':>8}{'sens dec.':>10}{'undec':>7}{'spec':>8}{'lost':>6}{'queue/1k':>9}"
)
LEGEND = (
    "sens dec.: sensitivity on the records a person could place; undec: records that fit another publication as well as "
    "their own (bare copies of repeated front matter)"
)


def _settings_text(s: MatchSettings) -> str:
    return f"match_weight={s.match_weight} em_strength={s.em_strength}"


def accuracy_report(corpora: dict[str, list[Labelled]]) -> None:
    base = MatchSettings()
    print("HELD OUT (weights and thresholds learned on the other two sets, clean + messy)")
    print(HEADER)
    print("-" * len(HEADER))
    folds = held_out(corpora, base)
    held = []
    for name, (settings, results) in folds.items():
        for data, r in zip(corpora[name], results):
            print(_line(data.name, r))
            held.append(r)
        print(f"{'':<22}chosen on the others: {_settings_text(settings)}")
    print(_line("mean / total", _summary(held)))
    print()
    print("IN SAMPLE (the shipped weights and thresholds, learned on all three sets)")
    print(HEADER)
    print("-" * len(HEADER))
    inside = []
    for datasets in corpora.values():
        for data in datasets:
            r = evaluate(data, base, None)
            print(_line(data.name, r))
            inside.append(r)
    print(_line("mean / total", _summary(inside)))
    print(f"shipped: {_settings_text(base)}")
    print(LEGEND)


def new_draws_report(corpora: dict[str, list[Labelled]], draws: list[int], shares: list[float], data: Path) -> None:
    """Held out on messy versions no rule was written from: other generator draws, other damage shares.

    Each set's fold learns its weights and thresholds on the other two sets (clean + the
    draw-0 messy version, as in the accuracy table) and is measured on new draws of the
    left-out set; the shipped weights and thresholds are measured on them too (learned on
    the draw-0 versions of all three sets, never on these draws).
    """
    base = MatchSettings()
    print("NEW DRAWS: NO RULE SAW THEM (messy versions from other generator draws and damage shares)")
    print("held out: weights and thresholds learned on the other two sets (clean + draw-0 messy); shipped: learned on all three draw-0 sets")
    head = (
        f"{'dataset':<14}{'draw':>5}{'share':>7}{'records':>9}{'sens':>8}{'sens dec.':>10}{'undec':>7}{'lost':>6}{'queue/1k':>9}"
        f"{'shipped sens':>14}{'lost':>6}"
    )
    print(head)
    print("-" * len(head))
    held, shipped = [], []
    for name in corpora:
        training = [d for other, ds in corpora.items() if other != name for d in ds]
        prior = learn_prior(training, base)
        settings = choose_settings(training, base, prior)
        rows = [(0, DEFAULT_SHARE)] + [(d, s) for s in shares for d in draws if (d, s) != (0, DEFAULT_SHARE)]
        for draw, share in rows:
            labelled = corpora[name][1] if (draw, share) == (0, DEFAULT_SHARE) else load(name, "messy", data, draw, share)
            r = evaluate(labelled, settings, prior)
            s = evaluate(labelled, base, None)
            mark = "  (rules written from it)" if (draw, share) == (0, DEFAULT_SHARE) else ""
            if not mark:
                held.append(r)
                shipped.append(s)
            print(
                f"{name:<14}{draw:>5}{share:>7.2f}{r['records']:>9,}{r['sensitivity']:>8.4f}{r['decidable']:>10.4f}{r['undecidable']:>7}"
                f"{r['lost']:>6}{r['queue_per_1000']:>9.1f}{s['sensitivity']:>14.4f}{s['lost']:>6}{mark}",
                flush=True,
            )
        print(f"{'':<14}chosen on the others: {_settings_text(settings)}")
    if held:
        h, s = _summary(held), _summary(shipped)
        print(
            f"{'new draws':<26}{h['records']:>9,}{h['sensitivity']:>8.4f}{h['decidable']:>10.4f}{h['undecidable']:>7}"
            f"{h['lost']:>6}{h['queue_per_1000']:>9.1f}{s['sensitivity']:>14.4f}{s['lost']:>6}"
        )
    print(LEGEND)


def _summary(results: list[dict[str, float]]) -> dict[str, float]:
    return {
        "records": sum(r["records"] for r in results),
        "precision": float(np.mean([r["precision"] for r in results])),
        "sensitivity": float(np.mean([r["sensitivity"] for r in results])),
        "decidable": float(np.mean([r["decidable"] for r in results])),
        "undecidable": sum(r["undecidable"] for r in results),
        "specificity": float(np.mean([r["specificity"] for r in results])),
        "lost": sum(r["lost"] for r in results),
        "queue_per_1000": 1000 * sum(r["queue"] for r in results) / sum(r["records"] for r in results),
    }


def ablation_report(corpora: dict[str, list[Labelled]]) -> None:
    """Held-out figures with each rule switched off in turn (thresholds fixed at the shipped ones)."""
    base = MatchSettings()
    names = [r.name for r in non_duplicate_rules(base)] + [r.name for r in EXCEPTIONS]
    names += [r.name for r in identity_rules(base)] + [r.name for r in DUPLICATE] + ["match_score", "review_typo"]
    names += [r.name for r in REVIEW]
    print("HELD OUT, thresholds as shipped; each row switches one rule off")
    print(f"{'rule off':<32}{'sens':>8}{'lost':>6}{'queue/1k':>9}")
    for name in ["(none)"] + names:
        settings = base if name == "(none)" else base.without(name)
        results = [r for _, rs in held_out(corpora, settings, choose=False).values() for r in rs]
        s = _summary(results)
        print(f"{name:<32}{s['sensitivity']:>8.4f}{s['lost']:>6}{s['queue_per_1000']:>9.1f}", flush=True)


def _miss_reason(decision: str, rule: str) -> str:
    """The layer that kept a true pair apart, in words."""
    if decision == "duplicate":
        return "consistency step refused the link"
    if decision == "uncertain":
        if rule == "review":
            return "match weight in the review band"
        if rule.startswith("review_"):
            return f"one conflict, to a person: {rule[len('review_'):]}"
        return f"review rule: {rule}"
    if decision == "linked":
        return "non-duplicate: different_kind (linked)"
    return "match weight below the review band" if rule == "dissimilar" else f"non-duplicate: {rule}"


def misses(data: Labelled, settings: MatchSettings, prior: Weights | None) -> pd.DataFrame:
    """One row per missed duplicate: the layer that kept it from its group, and whether a person could place it.

    A gold group split over ``c`` clusters misses ``c - 1`` duplicates. The parts are joined
    again greedily by their strongest compared pair (a refused link, then a queued pair by
    match weight, then a pair kept apart); each join names the decision and rule of that
    pair. Parts no compared pair joins were never compared (blocking).
    """
    result = decide(data.comparison, settings, prior)
    cluster = result.clusters.set_index("record_id")["cluster_id"].loc[data.comparison.ids].to_numpy()
    truth, pairs = data.truth, result.pairs
    i, j = pairs["i"].to_numpy(), pairs["j"].to_numpy()
    cross = pairs[(truth[i] == truth[j]) & (cluster[i] != cluster[j])]
    order = cross["decision"].map({"duplicate": 0, "uncertain": 1, "linked": 2, "distinct": 3})
    cross = cross.assign(_o=order, _w=-cross["weight"]).sort_values(["_o", "_w", "i", "j"], kind="stable")
    parent: dict[object, object] = {}

    def find(x: object) -> object:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    rows = []
    for p in cross.itertuples(index=False):
        a, b = find(cluster[p.i]), find(cluster[p.j])
        if a == b:
            continue
        parent[max(a, b)] = min(a, b)
        rows.append((_miss_reason(p.decision, p.rule), bool(data.undecidable[p.i] or data.undecidable[p.j])))
    split = pd.DataFrame({"t": truth, "c": cluster}).groupby("t")["c"].nunique()
    rows += [("never compared (blocking)", False)] * int((split - 1).sum() - len(rows))
    return pd.DataFrame(rows, columns=["reason", "undecidable"])


def misses_report(corpora: dict[str, list[Labelled]]) -> None:
    """Where the missed duplicates are, held out: the layer that kept each from its group."""
    folds = held_out(corpora, MatchSettings())
    tables = {}
    for name, (settings, _) in folds.items():
        training = [d for other, ds in corpora.items() if other != name for d in ds]
        prior = learn_prior(training, MatchSettings())
        for data in corpora[name]:
            tables[data.name] = misses(data, settings, prior)
    every = pd.concat([t.assign(set=k) for k, t in tables.items()], ignore_index=True)
    every["reason"] = np.where(every["undecidable"], "undecidable (fits two items), to a person", every["reason"])
    table = every.groupby(["reason", "set"]).size().unstack(fill_value=0).reindex(columns=list(tables), fill_value=0)
    table["total"] = table.sum(axis=1)
    table = table.sort_values("total", ascending=False)
    table.loc["missed duplicates"] = table.sum()
    print("MISSED DUPLICATES, HELD OUT, by the layer that kept each from its group")
    short = {n: n.replace("neuroimaging", "neuro").replace(" clean", " c").replace(" messy", " m") for n in table.columns}
    print(table.rename(columns=short).to_string())
    print()
    print("HOW RELIABLE EACH FIELD IS IN EACH CORPUS: among pairs sharing a DOI or PMID (title 95+), the share that")
    print("disagree where both records give the field (what a corpus-gated non-duplicate rule would read)")
    rows = {}
    for data in (d for ds in corpora.values() for d in ds):
        f = data.comparison.features
        linked = f[((f["doi"] == 1) | (f["pmid"] == 1)) & (f["title"] >= 95)]
        row = {"pairs": len(linked)}
        for name in ("pages", "volume", "issue", "journal"):
            given = (linked[name] != 0).sum()
            row[name] = (linked[name] == -1).sum() / given if given else np.nan
        known = linked["year_gap"].notna().sum()
        row["year 1 apart"] = (linked["year_gap"] == 1).sum() / known if known else np.nan
        row["year 2+ apart"] = (linked["year_gap"] > 1).sum() / known if known else np.nan
        rows[data.name] = row
    print(pd.DataFrame(rows).T.to_string(formatters={"pairs": "{:,.0f}".format}, float_format=lambda v: f"{v:.2%}"))


def fit(corpora: dict[str, list[Labelled]]) -> None:
    """Learn the shipped weights on all three sets and print the thresholds chosen on them."""
    base = MatchSettings()
    everything = [d for ds in corpora.values() for d in ds]
    prior = learn_prior(everything, base)
    with open(WEIGHTS_FILE, "w", encoding="utf-8", newline="") as fh:
        fh.write("# Fellegi-Sunter weights learned from the labelled ASySD sets (clean and messy) by benchmarks/dedup.py --fit.\n")
        writer = csv.DictWriter(fh, fieldnames=["field", "level", "m", "u"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(weights_to_rows(prior))
    print(f"wrote {WEIGHTS_FILE.relative_to(ROOT)}")
    print(prior.table().to_string(index=False, float_format=lambda v: f"{v:.4f}"))
    chosen = choose_settings(everything, base, prior)
    print(f"chosen on all three sets: {_settings_text(chosen)}")


def phenomena_report(names: list[str], data: Path, share: float = 0.15) -> None:
    """Sensitivity with one export phenomenon at a time on ``share`` of the records (no decoys).

    Shows which kinds of export the keys and rules read through and which still cost
    duplicates. Weights and thresholds are the shipped ones (in sample for the weights).
    """
    print(f"ONE PHENOMENON AT A TIME on {share:.0%} of the records (shipped settings; sensitivity / publications lost)")
    print(f"{'phenomenon':<28}" + "".join(f"{n:>18}" for n in names))
    for label, chosen in [("(none)", [])] + [(name, [(name, fn)]) for name, fn in PHENOMENA]:
        cells = []
        for name in names:
            raw, groups = read_set(data / name)
            saved = list(messy_exports.PHENOMENA)
            messy_exports.PHENOMENA[:] = chosen
            try:
                messy, messy_groups = messy_version(raw, groups, seed=5, share=share, decoys=0)
            finally:
                messy_exports.PHENOMENA[:] = saved
            with tempfile.TemporaryDirectory() as tmp:
                write_set(messy, messy_groups, Path(tmp))
                records, gold_groups = _import(Path(tmp))
            comparison = compare_records(records)
            gold = {rid: k for k, members in enumerate(gold_groups) for rid in members}
            source = comparison.records["source_id"].astype(str).tolist()
            truth = np.array([gold.get(s, len(gold_groups) + n) for n, s in enumerate(source)], dtype=np.int64)
            clusters = decide(comparison).clusters.set_index("record_id")["cluster_id"].loc[comparison.ids].to_numpy()
            r = score_clusters(truth, clusters)
            cells.append(f"{r['sensitivity']:.4f} / {r['lost']}")
        print(f"{label:<28}" + "".join(f"{c:>18}" for c in cells), flush=True)


# --- speed ---------------------------------------------------------------------------------


def speed_one(folder: str) -> dict[str, float]:
    """In a child process: read the CSV, deduplicate, write the clusters, as ``reviewbench dedupe`` does."""
    from reviewbench.dedupe import link_records
    from reviewbench.outputs_io import write_csv

    path = Path(folder) / "records_pre_merged.csv"
    c0 = time.process_time()
    t0 = time.perf_counter()
    records, _ = read_files([path])
    t1 = time.perf_counter()
    result = link_records(records)
    t2 = time.perf_counter()
    write_csv(result.clusters, Path(folder) / "clusters.csv")
    t3 = time.perf_counter()
    cpu = time.process_time() - c0
    truth_groups = pd.read_csv(Path(folder) / "merged_record_ids.csv", dtype=str)["merged_ids"].str.split(";")
    gold = {rid: k for k, members in enumerate(truth_groups) for rid in members}
    source = records.set_index("record_id").loc[result.clusters["record_id"], "source_id"].astype(str)
    truth = np.array([gold.get(s, -1 - n) for n, s in enumerate(source)])
    scores = score_clusters(truth, result.clusters["cluster_id"].to_numpy())
    return {
        "records": len(records), "import_s": t1 - t0, "dedupe_s": t2 - t1, "write_s": t3 - t2, "total_s": t3 - t0, "cpu_s": cpu,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, **scores,
    }


def speed_report(sizes: list[int], seed: int) -> None:
    from generate_dedup_corpus import write_corpus

    print(f"{'synthetic':<12}{'records':>10}{'import s':>10}{'dedupe s':>10}{'write s':>9}{'total s':>9}{'cpu s':>8}{'peak MB':>9}{'sens':>8}{'lost':>6}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            write_corpus(size, tmp, seed=seed)
            out = subprocess.run([sys.executable, __file__, "--speed-one", tmp], check=True, capture_output=True, text=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{f'{size // 1000}k':<12}{r['records']:>10,}{r['import_s']:>10.1f}{r['dedupe_s']:>10.1f}{r['write_s']:>9.1f}"
            f"{r['total_s']:>9.1f}{r['cpu_s']:>8.1f}{r['peak_mb']:>9.0f}{r['sensitivity']:>8.4f}{r['lost']:>6}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description="Deduplication accuracy (held out and in sample), speed and memory.")
    parser.add_argument("--data", default=str(DATA), help="folder holding the labelled sets")
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated labelled sets")
    parser.add_argument("--ablation", action="store_true", help="held-out figures with each rule switched off")
    parser.add_argument("--fit", action="store_true", help="re-learn data/match_weights.csv on all sets")
    parser.add_argument("--phenomena", action="store_true", help="sensitivity with one export phenomenon at a time")
    parser.add_argument("--misses", action="store_true", help="held out: which layer kept each missed duplicate apart")
    parser.add_argument("--speed", type=int, action="append", help="synthetic corpus size to time (repeatable)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--messy-seeds", type=int, nargs="+", metavar="DRAW",
                        help="held out on messy versions from these generator draws (0 is the one the rules were written from)")
    parser.add_argument("--share", type=float, nargs="+", default=[DEFAULT_SHARE],
                        help="with --messy-seeds: share of records each phenomenon re-writes (default 0.08)")
    parser.add_argument("--speed-one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.speed_one:
        print(json.dumps(speed_one(args.speed_one)))
        return
    if args.speed:
        speed_report(args.speed, args.seed)
        return
    names = [s for s in args.sets.split(",") if s]
    if args.phenomena:
        phenomena_report(names, Path(args.data))
        return
    missing = [n for n in names if not (Path(args.data) / n / "records_pre_merged.csv").exists()]
    if missing:
        sys.exit(f"labelled sets not found under {args.data}: {', '.join(missing)}")
    corpora = {n: [load(n, v, Path(args.data)) for v in VERSIONS] for n in names}
    if args.fit:
        fit(corpora)
    elif args.ablation:
        ablation_report(corpora)
    elif args.misses:
        misses_report(corpora)
    elif args.messy_seeds:
        new_draws_report(corpora, args.messy_seeds, args.share, Path(args.data))
    else:
        accuracy_report(corpora)


if __name__ == "__main__":
    main()
