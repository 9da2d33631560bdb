"""Stopping methods compared on the same simulations (``benchmarks/screening.py --stopping``).

For every review and seed the default model's run is judged by every criterion of
:mod:`reviewbench.screening.engine.stopping`:

- label-only criteria (hypergeometric on the ranked sequence, Poisson process, knee,
  consecutive irrelevant) on every prefix of the order;
- the target and quantile methods with their own independent random sample
  (:func:`reviewbench.screening.simulate.check_sample_stop`);
- with ``--score-seeds SEED ...``: score rules (the score model's expected remaining
  count, Quant and QuantCI of Yang, Lewis & Frieder 2021) with a quiet stretch and the
  Weibull process, chosen by the same nested selection, on score traces (the WSS runs
  re-stepped with the score sums recorded, :func:`score_trace`; about 2 minutes a seed);
- with ``--full-traces`` only (every run stepped to the end, slow): the score model at
  every step, from the scores the loop had then, and the hypergeometric test with the
  random-sample phase of live screening begun where the Weibull process first fires (a
  second simulation, ``sample_when``).

Without ``--full-traces`` the orders are the WSS benchmark's cached runs: the loop stepped
until 95 % recall, the rest of each order in the last ranking. Whether a stop reaches 95 %
recall is decided within the stepped part; only the cost of late stops rests on the tail.

A stop's cost is every record screened by then (the check sample included); a run whose
criterion never fires screened everything.

The default criterion (``weibull``: a Weibull Poisson process, :mod:`...stopping.rate`,
with an inflation of its expected remaining count and a quiet stretch) has settings; they
are chosen by nested leave-one-review-out like the model: for each review the inner loop
picks, on the other seven, the setting that stops earliest on average among those that
reach the target in >= 95 % of the inner runs *and* in >= 90 % of the runs of every inner
review (:data:`WORST_REVIEW`); the held-out review is judged with it. The second condition
is the margin a rule needs to hold on a review it was not chosen on: without it the inner
loop picks the setting that just passes on the pooled runs, and held out that falls short
(the report prints both rules). Results are cached per run.

The importance-sampled check draws (:mod:`...stopping.importance`) are chosen the same
nested way over :data:`IMPORTANCE_GRID` (rank power and uniform floor of the draw weights,
the trigger's inflation and quiet stretch, the batch size, the imagined relevant draw).
Each setting is replayed on the traced orders (:func:`importance_replay`): ranked until
the trigger fires, then every record a draw, weighted by its rank in the order after the
trigger, with the verdict after every batch in closed form. Live, the ranking is frozen
when the draws begin; in the replay the traced order after that point stands in for it (it
was refitted while the trace was made, so it can be a little better). ``--live-draws
SEED ...`` also runs the shipped setting live on those seeds (``simulate`` with the
criterion as default: the draws screened in the loop), the check on that approximation.
"""

from __future__ import annotations

import itertools
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import expit
from scipy.stats import norm, poisson

import screening as bench
from reviewbench.screening.engine.stopping.importance import draw_probabilities, draw_weights, weighted_order
from reviewbench.screening.engine.stopping.rate import DEFAULT_PARAMS as WEIBULL_DEFAULTS
from reviewbench.screening.engine.stopping.rate import remaining_estimates
from reviewbench.screening.engine.stopping.scores import expected_missed_from_scores, fit_logistic
from reviewbench.screening.metrics import records_for_recall
from reviewbench.screening.simulate import check_sample_stop, choose_priors, first_stop, load_labelled, simulate

TARGET, CONFIDENCE = 0.95, 0.95
WINDOWS = (300, 1000)
#: The candidate of ``screening.CANDIDATES`` that is the shipped default model.
MODEL = "avg svm word, svm char 3-4, nb"
#: Settings of the default criterion the nested selection chooses from.
INFLATIONS = (1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0)
QUIET = (0.0, 0.02, 0.04, 0.06, 0.08, 0.10, 0.12, 0.14, 0.16, 0.18, 0.20)
#: The inner loop's margin: a setting qualifies only if every inner review reaches the target
#: in at least this share of its runs (besides >= 95 % of all inner runs).
WORST_REVIEW = 0.90
PROFILE = (False, True)


#: Settings of the importance-sampled criterion the nested selection chooses from.
IMPORTANCE_GRID = {
    "power": (0.5, 1.0, 1.5, 2.0, 3.0),
    "floor": (0.05, 0.1, 0.3),
    "trigger_inflation": (1.0, 2.0),
    "trigger_quiet": (0.0, 0.02, 0.04, 0.06, 0.08, 0.10, 0.12),
    "batch": (10, 25, 50, 100),
    "pseudo": (False, True),
}


def _folder() -> Path:
    return bench.RESULTS / "stopping" / bench._slug(MODEL)


#: Whether :func:`trace` steps every run to the end (``--full-traces``) or reuses the WSS runs.
FULL = {"traces": False}


def trace(dataset: Path, seed: int) -> dict:
    """One simulation of the default model: its order, and per step the score model's estimate.

    Without ``--full-traces`` the order is the WSS benchmark's cached run (exact, stepping
    the loop, until 95 % recall; the rest in the last ranking), with no score estimates.
    """
    if not FULL["traces"]:
        run = bench.run_ours(MODEL, dataset, seed)
        return {"labels": run["labels"], "ids": None, "score_mu": None, "seconds": run["seconds"]}

    def compute() -> dict:
        records, labels = load_labelled(dataset, bench.LABEL)
        scores = {w: [] for w in WINDOWS}

        def record(ranker, step) -> None:
            history = ranker.history()
            for w in WINDOWS:
                mu = expected_missed_from_scores(history, w)
                scores[w].append(None if mu is None else round(mu, 4))

        res = simulate(records, labels, seed=seed, prior_ids=choose_priors(labels, 1, 1, seed), full=True,
                       on_step=record, stopping="consecutive_irrelevant", other_criteria=(),
                       **bench.CANDIDATES[MODEL])
        return {"labels": "".join(map(str, res.labels)), "ids": res.order["record_id"].tolist(),
                "score_mu": {str(w): v for w, v in scores.items()}, "seconds": res.seconds}

    return bench.cached(_folder() / f"{dataset.stem}-{seed}.json", compute)


#: Windows of the score model recorded by :func:`score_trace` (None: every screened record).
SCORE_WINDOWS = (100, 300, 1000, None)


def score_trace(dataset: Path, seed: int) -> dict:
    """The WSS run re-stepped with the score model recorded: per step, and on the frozen tail.

    The loop is stepped until 95 % recall exactly as :func:`screening.run_ours` does (the
    same order). After every step, for each window of :data:`SCORE_WINDOWS`, the logistic
    curve of the score model (:mod:`...stopping.scores`) is fitted and applied to the
    current scores of every record; recorded are the sums of those probabilities over the
    records screened and over the records left, and of ``p (1 - p)`` over each (the
    score model's expected remaining count is the second sum; Quant and QuantCI of Yang,
    Lewis & Frieder 2021 use all four). At the last step the last model's scores of every
    record (in screening order, the rest in the order of its last ranking) and the score
    every screened record had when shown are kept, so the rules can be judged on every
    prefix of the tail as if the ranking had stayed frozen (:class:`ScoreTail`).
    """

    def compute() -> dict:
        records, labels = load_labelled(dataset, bench.LABEL)
        steps = {str(w): [] for w in SCORE_WINDOWS}
        last: dict = {}

        def record(ranker, step) -> None:
            history = ranker.history()
            shown = history.shown_scores
            known = np.flatnonzero(np.isfinite(shown))
            screened = np.array([ranker.position[r] for r in ranker.labels], dtype=int)
            pool = np.ones(len(step.scores), dtype=bool)
            pool[screened] = False
            for w in SCORE_WINDOWS:
                if len(known) < 10 or history.pool_scores is None:
                    steps[str(w)].append(None)
                    continue
                use = known[-w:] if w else known
                a, b = fit_logistic(shown[use], history.labels[use])
                p = expit(a + b * step.scores)
                v = p * (1 - p)
                steps[str(w)].append([round(float(x), 4) for x in (p[~pool].sum(), p[pool].sum(), v[~pool].sum(),
                                                                    v[pool].sum())])
            last["shown"] = [None if not np.isfinite(v) else round(float(v), 6) for v in shown]
            last["scores"] = [round(float(step.scores[i]), 6) for i in screened] + [
                round(float(step.scores[ranker.position[r]]), 6) for r in step.ranking]

        res = simulate(records, labels, seed=seed, prior_ids=choose_priors(labels, 1, 1, seed), until_recall=0.95,
                       on_step=record, stopping="consecutive_irrelevant", other_criteria=(),
                       **bench.CANDIDATES[MODEL])
        return {"labels": "".join(map(str, res.labels)), "steps": steps, **last, "seconds": res.seconds}

    return bench.cached(_folder() / "scores-until95" / f"{dataset.stem}-{seed}.json", compute)


def rates(dataset: Path, seed: int) -> dict:
    """Per prefix of the traced order: the power and Weibull rates' expected remaining records."""

    def compute() -> dict:
        labels = bench.labels_of(trace(dataset, seed))
        n = len(labels)
        out = {"power": [], "weibull": [], "weibull_high": []}
        for k in range(1, n + 1):
            prefix = labels[:k]
            if prefix.sum() == 0:
                for v in out.values():
                    v.append(None)
                continue
            power, _ = remaining_estimates(prefix, n, "power")
            mu, high = remaining_estimates(prefix, n, "weibull")
            out["power"].append(round(power, 4))
            out["weibull"].append(round(mu, 4))
            out["weibull_high"].append(round(high, 4))
        return out

    return bench.cached(_folder() / ("rates" if FULL["traces"] else "rates-until95") / f"{dataset.stem}-{seed}.json", compute)


def sample_phase_run(dataset: Path, seed: int, trigger: tuple[str, dict]) -> dict:
    """The hypergeometric test with a live random-sample phase begun where ``trigger`` fires."""

    def compute() -> dict:
        records, labels = load_labelled(dataset, bench.LABEL)
        res = simulate(records, labels, seed=seed, prior_ids=choose_priors(labels, 1, 1, seed),
                       sample_when=trigger, stopping="hypergeometric", other_criteria=(),
                       **bench.CANDIDATES[MODEL])
        stop = res.stops["hypergeometric"]
        return {"labels": "".join(map(str, res.labels)), "sample_start": res.sample_start,
                "stopped_at": stop["stopped_at"], "seconds": res.seconds}

    key = bench._slug(f"{dataset.stem}-{seed}-{trigger}") + ".json"
    return bench.cached(_folder() / "sample_phase" / key, compute)


def importance_live_run(dataset: Path, seed: int, setting: dict) -> dict:
    """The importance-sampled criterion run live: ``simulate`` steps the loop, the draws are screened in it."""

    def compute() -> dict:
        records, labels = load_labelled(dataset, bench.LABEL)
        res = simulate(records, labels, seed=seed, prior_ids=choose_priors(labels, 1, 1, seed),
                       stopping="importance", stopping_params=setting, other_criteria=(), **bench.CANDIDATES[MODEL])
        stop = res.stops["importance"]
        return {"labels": "".join(map(str, res.labels)), "sample_start": res.sample_start,
                "stopped_at": stop["stopped_at"], "seconds": res.seconds}

    key = bench._slug(f"{dataset.stem}-{seed}-{sorted(setting.items())}") + ".json"
    return bench.cached(_folder() / "importance_live" / key, compute)


def _array(values: list) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def first_allowed(seen: np.ndarray, mu: np.ndarray, start: int = 3, ok: np.ndarray | None = None) -> int | None:
    """First prefix length >= ``start`` where the Poisson quantile of ``mu`` allows the target."""
    finite = np.isfinite(mu)
    high = np.where(finite, poisson.ppf(CONFIDENCE, np.where(finite, mu, 0)), np.inf)
    allowed = (seen > 0) & (seen / (seen + high) >= TARGET)
    if ok is not None:
        allowed &= ok
    allowed[: start - 1] = False
    hits = np.flatnonzero(allowed)
    return int(hits[0]) + 1 if len(hits) else None


def _quiet(labels: np.ndarray) -> np.ndarray:
    pos = np.arange(1, len(labels) + 1)
    return pos - np.maximum.accumulate(np.where(labels == 1, pos, 0))


def default_stop(labels: np.ndarray, rate: dict, inflation: float, quiet: float, profile: bool,
                 min_relevant: int = WEIBULL_DEFAULTS["min_relevant"]) -> int | None:
    """Where the default criterion with these settings stops on a traced order (post hoc, exact)."""
    mu = _array(rate["weibull_high" if profile else "weibull"]) * inflation
    seen = np.cumsum(labels)
    return first_allowed(seen, mu, ok=(_quiet(labels) >= quiet * len(labels)) & (seen >= min_relevant))


def _outcome(labels: np.ndarray, stopped_at: int | None, screened: int | None = None, found: float | None = None) -> dict:
    n, r = len(labels), labels.sum()
    at = n if stopped_at is None else int(stopped_at)
    screened = at if screened is None else screened
    recall = labels[:at].sum() / r if found is None else found
    return {"reached": bool(recall >= TARGET - 1e-12), "share": screened / n, "fired": stopped_at is not None}


def outcomes(dataset: Path, seed: int, methods: dict) -> list[dict]:
    """Every method's outcome on one run."""
    t = trace(dataset, seed)
    labels = bench.labels_of(t).astype(int)
    n = len(labels)
    seen = np.cumsum(labels)
    order = pd.DataFrame({"rank": np.arange(1, n + 1), "record_id": t["ids"] or range(n), "label": labels})
    rows = []
    for name, (kind, params) in methods.items():
        if kind in NEED_FULL and t["score_mu"] is None:
            continue  # needs the scores of every step or a second live run: --full-traces
        if kind == "importance_live" and seed not in LIVE["seeds"]:
            continue
        if kind == "label":
            at, _ = first_stop(labels, params["criterion"], n, TARGET, CONFIDENCE, start=3,
                               **{k: v for k, v in params.items() if k != "criterion"})
            out = _outcome(labels, at)
        elif kind == "rate":
            out = _outcome(labels, first_allowed(seen, _array(rates(dataset, seed)["power"])))
        elif kind == "default":
            setting = {k: v for k, v in params.items() if k != "rate"}
            out = _outcome(labels, default_stop(labels, rates(dataset, seed), **setting))
        elif kind == "score":
            mu = _array(t["score_mu"][str(params["window"])])
            full = np.full(n, np.nan)  # step k of the loop judged the first k + 2 labels (two priors)
            full[1: 1 + len(mu)] = mu[: n - 1]
            out = _outcome(labels, first_allowed(seen, full))
        elif kind == "check":
            stop = check_sample_stop(order, params["criterion"], seed, TARGET, CONFIDENCE,
                                     **{k: v for k, v in params.items() if k != "criterion"})
            out = _outcome(labels, stop["stopped_at"], stop["screened"], stop["recall"])
        elif kind == "importance_live":
            run = importance_live_run(dataset, seed, params["setting"])
            labels = bench.labels_of(run).astype(int)  # the live order (share95 too)
            out = _outcome(labels, run["stopped_at"])
        elif kind == "sample_phase":
            run = sample_phase_run(dataset, seed, params["trigger"])
            out = _outcome(bench.labels_of(run).astype(int), run["stopped_at"])
        rows.append({"method": name, "review": dataset.stem, "seed": seed,
                     "share95": records_for_recall(labels, TARGET) / n, **out})
    return rows


#: Methods judged only on full traces (``--full-traces``).
NEED_FULL = ("score", "sample_phase")
#: Seeds on which the importance-sampled criterion is also run live (``--live-draws``, slow).
LIVE: dict[str, list[int]] = {"seeds": []}


def _prepare(run: tuple[Path, int]) -> None:
    trace(*run)
    rates(*run)
    print(f"  traced {run[0].stem} seed {run[1]}", file=sys.stderr, flush=True)


def settings_grid() -> list[dict]:
    return [{"inflation": k, "quiet": q, "profile": p} for k, q, p in itertools.product(INFLATIONS, QUIET, PROFILE)]


def nested_stop_selection(sets: list[Path], seeds: list[int], worst: float | None = WORST_REVIEW
                          ) -> tuple[pd.DataFrame, dict, dict]:
    """Held-out outcomes of the default criterion, the setting shipped, and the per-fold picks."""
    grid = settings_grid()
    results = {}  # (review, seed, i) -> outcome
    for d in sets:
        for s in seeds:
            labels = bench.labels_of(trace(d, s)).astype(int)
            rate = rates(d, s)
            share95 = records_for_recall(labels, TARGET) / len(labels)
            for i, g in enumerate(grid):
                results[(d.stem, s, i)] = {**_outcome(labels, default_stop(labels, rate, **g)), "share95": share95}

    frame, shipped, picks, _full = nested_pick(results, grid, [d.stem for d in sets], seeds, worst)
    return frame, grid[shipped], {review: grid[i] for review, i in picks.items()}


def methods(trigger: tuple[str, dict], draws: dict | None = None) -> dict[str, tuple[str, dict]]:
    live = {"importance-sampled draws, shipped setting, run live (simulate: the draws screened in the loop)":
            ("importance_live", {"setting": draws})} if draws is not None else {}
    return {**live,
        "weibull, the library's default criterion as it judges (its shipped settings)": ("label", {"criterion": "weibull"}),
        "hypergeometric, ranked (CMH 2020; the default before)": ("label", {"criterion": "hypergeometric"}),
        "hypergeometric, random sample begun where the Weibull fires (CMH 2020)": ("sample_phase", {"trigger": trigger}),
        "target, T=59 (Cormack & Grossman 2016)": ("check", {"criterion": "target"}),
        "target, T=10 as published for 70% recall": ("check", {"criterion": "target", "target_set": 10, "positives": 10}),
        "quantile QBCB (Lewis, Yang & Frieder 2021)": ("check", {"criterion": "quantile"}),
        "Poisson process, power rate (Sneyd & Stevenson 2021)": ("rate", {}),
        "score model, window 300": ("score", {"window": 300}),
        "score model, window 1000": ("score", {"window": 1000}),
        "knee (Cormack & Grossman 2016)": ("label", {"criterion": "knee"}),
        "consecutive irrelevant (5% of records)": ("label", {"criterion": "consecutive_irrelevant"}),
        "Weibull Poisson process, setting picked on all 8 (in sample)": ("default", trigger[1]),
    }


def summarise(df: pd.DataFrame) -> pd.DataFrame:
    df = df.assign(past95=df["share"] - df["share95"])
    return df.groupby("method", sort=False).agg(
        runs=("reached", "size"), reached=("reached", "mean"), fired=("fired", "mean"),
        screened=("share", "mean"), share95=("share95", "mean"), past95=("past95", "mean"))


def stopping_report(sets: list[Path], seeds: list[int], jobs: int = 1) -> str:
    runs = sorted(((d, s) for d in sets for s in seeds), key=lambda r: -r[0].stat().st_size)
    if jobs > 1:  # the traces first, longest first (cached)
        with ProcessPoolExecutor(jobs) as pool:
            list(pool.map(_prepare, runs))
    for run in runs:
        _prepare(run)
    held, shipped, picks = nested_stop_selection(sets, seeds)
    held_pooled = nested_stop_selection(sets, seeds, worst=None)[0]
    params = {"rate": "weibull", **shipped}
    trigger = ("poisson_process", params)
    rows = []
    for d in sets:
        for s in seeds:
            rows += outcomes(d, s, methods(("poisson_process", params)))
            print(f"  stopping {d.stem} seed {s}", file=sys.stderr, flush=True)
    held = held.assign(method="DEFAULT weibull (Weibull Poisson process + quiet stretch), held out (nested leave-one-review-out)")
    held_pooled = held_pooled.assign(
        method="Weibull Poisson process, held out, inner rule without the per-review margin")
    names = [d.stem for d in sets]
    grid, imp = importance_results(sets, seeds)
    iheld, ishipped, ipicks, ifull = nested_pick(imp, grid, names, seeds)
    iheld_pooled = nested_pick(imp, grid, names, seeds, worst=None)[0]
    draws = grid[ishipped]
    if LIVE["seeds"]:
        for d in sets:
            for s in LIVE["seeds"]:
                rows += outcomes(d, s, {k: v for k, v in methods(trigger, draws).items() if v[0] == "importance_live"})
    iheld = iheld.assign(method="importance-sampled draws (Des Raj), held out (nested leave-one-review-out)")
    iheld_pooled = iheld_pooled.assign(
        method="importance-sampled draws, held out, inner rule without the per-review margin")
    insample = pd.DataFrame([{**imp[(r, s, ifull)], "review": r, "seed": s,
                              "method": "importance-sampled draws, setting picked on all 8 (in sample)"}
                             for r in names for s in seeds])
    table = pd.concat([summarise(held), summarise(iheld), summarise(pd.DataFrame(rows)), summarise(insample),
                       summarise(held_pooled), summarise(iheld_pooled)])
    fmt = lambda v: f"{v:.3f}"  # noqa: E731

    def by_review(frame: pd.DataFrame, picked: dict, settings: list) -> pd.DataFrame:
        out = frame.assign(past95=frame["share"] - frame["share95"]).groupby("review").agg(
            reached=("reached", "mean"), screened=("share", "mean"), share95=("share95", "mean"),
            past95=("past95", "mean"))
        out["picked on the other 7"] = [str(picked[r] if settings is None else settings[picked[r]]) for r in out.index]
        return out

    per_review = by_review(held, picks, None)
    per_review_draws = by_review(iheld, ipicks, grid)
    skipped = [name for name, (kind, _p) in methods(trigger).items()
               if kind in NEED_FULL and name not in set(table.index)]
    source = ("full traces (every run stepped to the end)" if FULL["traces"] else
              "the WSS runs: the loop stepped until 95% recall, the rest of each order in the last ranking")
    lines = [
        f"orders: {source}",
        f"stopping methods, target recall {TARGET:.0%} at {CONFIDENCE:.0%} confidence, {len(sets)} reviews x "
        f"{len(seeds)} seeds, model {MODEL!r}; reached = share of runs whose true recall at the stop >= target; "
        "screened = mean share of records screened at the stop (check samples included; never fired = all); "
        "share95 = mean share at which 95% recall was actually reached; past95 = screened - share95",
        table.to_string(float_format=fmt), "",
        "importance-sampled draws held out, per review:", per_review_draws.to_string(float_format=fmt), "",
        f"importance-sampled draws: setting picked most often by the outer folds: {draws}; on all 8: {grid[ifull]}",
        f"({len(grid)} settings; replayed on the traced orders: ranked until the trigger, then every record a "
        "draw weighted by its rank in the order after it)", "",
        "Weibull Poisson process held out, per review:", per_review.to_string(float_format=fmt), "",
        f"setting picked most often by the outer folds: poisson_process {params}; the library's weibull "
        f"criterion runs with {WEIBULL_DEFAULTS} ({'the same' if all(WEIBULL_DEFAULTS[k] == v for k, v in shipped.items()) else 'DIFFERENT'})",
        f"inner rule: >= 95% of the inner runs and >= {WORST_REVIEW:.0%} of every inner review's runs reach the "
        "target (rows 'without the per-review margin': the first condition alone)",
        f"(trigger of the random-sample row: {trigger[0]} with that setting)",
    ]
    if skipped:
        lines.append("not run on these orders (they need --full-traces): " + "; ".join(skipped))
    if SCORES["seeds"]:
        lines += ["", score_report(sets, SCORES["seeds"])]
    return "\n".join(lines)


# -- importance-sampled check draws ------------------------------------------------------
def importance_replay(labels: np.ndarray, rate: dict, seed: int, power: float, floor: float,
                      trigger_inflation: float, trigger_quiet: float, batches: tuple, pseudo: bool) -> dict:
    """Outcome per batch size of :func:`~reviewbench.screening.engine.stopping.importance` on a traced order.

    Ranked screening follows the order until the trigger (the Weibull process) fires at
    ``T``; from then on every record is a draw from the records left, weighted by their
    rank in the order after ``T`` (the ranking frozen at the trigger, as the live ranker
    freezes it; here the traced order stands in for it), drawn with the run's seed. The
    verdict after every ``batch`` draws is the criterion's, in closed form on cumulative sums.
    """
    n, total = len(labels), labels.sum()
    seen = np.cumsum(labels)
    at = first_allowed(seen, _array(rate["weibull"]) * trigger_inflation,
                       ok=(_quiet(labels) >= trigger_quiet * n) & (seen >= 2))  # the trigger, as live
    if at is None:
        return {b: _outcome(labels, None) for b in batches}
    m = n - at
    before = labels[:at].sum()
    weights = draw_weights(-np.arange(m, dtype=float), power, floor)
    rng = np.random.default_rng([seed, at, 7])
    order = weighted_order(weights, rng)
    y = labels[at:][order].astype(float)
    q = draw_probabilities(weights[order])
    found = np.cumsum(y)
    t = np.concatenate([[0.0], found[:-1]]) + y / q  # Des Raj's t_k
    k = np.arange(1, m + 1)
    s1, s2, cnt = np.cumsum(t), np.cumsum(t * t), k
    if pseudo:  # one more draw, relevant, at the mean probability of the draws so far
        extra = found + k / np.cumsum(q)
        s1, s2, cnt = s1 + extra, s2 + extra * extra, k + 1
    mean = s1 / cnt
    var = np.maximum(s2 - cnt * mean * mean, 0) / np.maximum(cnt - 1, 1) / cnt
    high = mean + norm.ppf(CONFIDENCE) * np.sqrt(var) - found
    seen = before + found
    ok = seen / (seen + np.maximum(high, np.maximum(mean - found, 0))) >= TARGET
    out = {}
    for b in batches:
        checks = np.arange(b, m + 1, b)
        hit = checks[ok[checks - 1]] if len(checks) else checks
        if len(hit) == 0:
            out[b] = {"reached": True, "share": 1.0, "fired": False}
            continue
        d = int(hit[0])
        out[b] = {"reached": bool((before + found[d - 1]) / total >= TARGET - 1e-12), "share": (at + d) / n, "fired": True}
    return out


def importance_grid() -> list[dict]:
    g = IMPORTANCE_GRID
    keys = [k for k in g if k != "batch"]
    return [dict(zip(keys + ["batch"], (*v, b))) for v in itertools.product(*(g[k] for k in keys)) for b in g["batch"]]


def importance_results(sets: list[Path], seeds: list[int]) -> tuple[list[dict], dict]:
    """Every setting of :data:`IMPORTANCE_GRID` on every run: ``(grid, {(review, seed, i): outcome})``."""
    grid = importance_grid()
    index = {tuple(sorted(g.items())): i for i, g in enumerate(grid)}
    results = {}
    for d in sets:
        for s in seeds:
            labels = bench.labels_of(trace(d, s)).astype(int)
            rate = rates(d, s)
            share95 = records_for_recall(labels, TARGET) / len(labels)
            g = IMPORTANCE_GRID
            for power, floor, infl, quiet, pseudo in itertools.product(
                    g["power"], g["floor"], g["trigger_inflation"], g["trigger_quiet"], g["pseudo"]):
                per_batch = importance_replay(labels, rate, s, power, floor, infl, quiet, g["batch"], pseudo)
                for b, o in per_batch.items():
                    key = dict(power=power, floor=floor, trigger_inflation=infl, trigger_quiet=quiet, pseudo=pseudo, batch=b)
                    results[(d.stem, s, index[tuple(sorted(key.items()))])] = {**o, "share95": share95}
    return grid, results


def nested_pick(results: dict, grid: list, names: list[str], seeds: list[int], worst: float | None = WORST_REVIEW
                ) -> tuple[pd.DataFrame, int, dict, int]:
    """Nested leave-one-review-out over ``results``: held-out rows, the shipped setting, per-fold picks, the all-8 pick.

    The inner loop picks, on the other reviews, the setting that stops earliest on average
    among those whose stops reach the target in >= 95 % of the inner runs and, unless
    ``worst`` is None, in >= ``worst`` of the runs of every inner review (else the one
    reaching it most often); the shipped setting is the one the outer folds picked most often.
    """
    def pick(reviews: list[str]) -> int:
        best, best_key = 0, None
        for i in range(len(grid)):
            per_review = [np.mean([results[(r, s, i)]["reached"] for s in seeds]) for r in reviews]
            reached = float(np.mean(per_review))
            share = np.mean([results[(r, s, i)]["share"] for r in reviews for s in seeds])
            ok = reached >= 0.95 and (worst is None or min(per_review) >= worst - 1e-12)
            key = (ok, -share if ok else reached)
            if best_key is None or key > best_key:
                best, best_key = i, key
        return best

    rows, picks = [], {}
    for review in names:
        i = picks[review] = pick([r for r in names if r != review])
        rows += [{"review": review, "seed": s, **results[(review, s, i)], "setting": i} for s in seeds]
    counts = pd.Series(list(picks.values())).value_counts()
    full = pick(names)
    shipped = max(counts.index, key=lambda i: (counts[i], i == full))
    return pd.DataFrame(rows), int(shipped), picks, full


# -- the score model beside the Weibull process -----------------------------------------
#: Seeds on which the score model is judged beside the Weibull process (``--score-seeds``).
SCORES: dict[str, list[int]] = {"seeds": []}

#: Settings of "Weibull process + score model" the nested selection chooses from: the rule
#: (``remaining``: the score model's expected remaining count, its Poisson quantile scaled by
#: ``strength``; ``quant``: Quant's recall estimate, the sum of probabilities over the records
#: screened over the sum over all, less ``strength`` standard errors, i.e. QuantCI for a
#: strength above 0), the window, the quiet stretch, and whether the Weibull process must
#: allow the stop too (False: the score rule and the quiet stretch alone).
SCORE_GRID = {
    "rule": ("remaining", "quant"),
    "window": SCORE_WINDOWS,
    "strength": (0.0, 0.5, 1.0, 2.0, 4.0, 8.0),
    "quiet": (0.0, 0.02, 0.04, 0.06, 0.08, 0.10, 0.12),
    "weibull": (False, True),
}


class ScoreTail:
    """The score sums of :func:`score_trace` on every prefix of its order.

    Within the stepped part they are what the loop recorded (step ``i`` judged the first
    ``i + 2`` labels, the two priors first); on the tail the ranking is frozen: a tail
    record was shown with the last model's score, and every record keeps that score.
    """

    def __init__(self, run: dict) -> None:
        self.labels = bench.labels_of(run).astype(int)
        self.steps = run["steps"]
        self.scores = np.array(run["scores"], dtype=float)
        self.stepped = len(run["shown"])
        self.shown = np.concatenate([_array(run["shown"]), self.scores[self.stepped:]])
        self._cache: dict = {}

    def sums(self, k: int, window: int | None) -> list | None:
        """``[sum p screened, sum p left, sum p(1-p) screened, sum p(1-p) left]`` after ``k`` records."""
        if k <= self.stepped:
            steps = self.steps[str(window)]
            return steps[k - 2] if 0 <= k - 2 < len(steps) else None
        if (k, window) not in self._cache:
            known = np.flatnonzero(np.isfinite(self.shown[:k]))
            known = known[-window:] if window else known
            a, b = fit_logistic(self.shown[known], self.labels[known])
            p = expit(a + b * self.scores)
            v = p * (1 - p)
            self._cache[(k, window)] = [p[:k].sum(), p[k:].sum(), v[:k].sum(), v[k:].sum()]
        return self._cache[(k, window)]


def score_allows(sums: list, seen: int, rule: str, strength: float) -> bool:
    """Whether a score rule of :data:`SCORE_GRID` allows the target with these sums."""
    done, left, var_done, var_left = sums
    if rule == "remaining":
        high = poisson.ppf(CONFIDENCE, strength * left) if strength * left > 0 else 0.0
        return seen / (seen + high) >= TARGET
    total = done + left
    if total <= 0:
        return False
    se = np.sqrt(left ** 2 * var_done + done ** 2 * var_left) / total ** 2  # delta method for done / total
    return done / total - strength * se >= TARGET


def score_rule_stop(tail: ScoreTail, weibull_mu: np.ndarray, rule: str, window: int | None, strength: float,
                    quiet: float, weibull: bool, min_relevant: int = WEIBULL_DEFAULTS["min_relevant"]) -> int | None:
    """First prefix where the score rule allows the target, besides the quiet stretch,
    ``min_relevant`` and (``weibull``) the Weibull process at face value."""
    labels = tail.labels
    n, seen = len(labels), np.cumsum(labels)
    ok = (seen >= min_relevant) & (_quiet(labels) >= quiet * n)
    if weibull:
        finite = np.isfinite(weibull_mu)
        high = np.where(finite, poisson.ppf(CONFIDENCE, np.where(finite, weibull_mu, 0)), np.inf)
        ok &= seen / (seen + high) >= TARGET
    ok[:2] = False
    for k in np.flatnonzero(ok) + 1:
        sums = tail.sums(int(k), window)
        if sums is not None and score_allows(sums, int(seen[k - 1]), rule, strength):
            return int(k)
    return None


def score_grid() -> list[dict]:
    g = SCORE_GRID
    return [dict(zip(g, v)) for v in itertools.product(*g.values())]


def score_results(sets: list[Path], seeds: list[int]) -> tuple[list[dict], dict, dict]:
    """Every setting of :data:`SCORE_GRID` on every score trace, and the Weibull default on the same runs."""
    grid, results, default = score_grid(), {}, {}
    for d in sets:
        for s in seeds:
            run = score_trace(d, s)
            tail = ScoreTail(run)
            labels = tail.labels
            rate = rates(d, s)
            mu = _array(rate["weibull"])
            share95 = records_for_recall(labels, TARGET) / len(labels)
            for i, g in enumerate(grid):
                results[(d.stem, s, i)] = {**_outcome(labels, score_rule_stop(tail, mu, **g)), "share95": share95}
            setting = {k: WEIBULL_DEFAULTS[k] for k in ("inflation", "quiet", "profile")}
            default[(d.stem, s)] = {**_outcome(labels, default_stop(labels, rate, **setting)), "share95": share95}
            print(f"  score model {d.stem} seed {s}", file=sys.stderr, flush=True)
    return grid, results, default


#: Families of :data:`SCORE_GRID` also selected apart (name -> which settings).
SCORE_FAMILIES = {
    "Quant / QuantCI (Yang, Lewis & Frieder 2021) alone": lambda g: g["rule"] == "quant" and not g["weibull"]
    and g["quiet"] == 0,
    "Quant / QuantCI + quiet stretch, with or without the Weibull process": lambda g: g["rule"] == "quant",
    "score model's remaining count + quiet stretch, with or without the Weibull process":
        lambda g: g["rule"] == "remaining",
}


def score_report(sets: list[Path], seeds: list[int]) -> str:
    """Held-out and in-sample rows of the score rules with the Weibull process, beside the default on the same runs."""
    names = [d.stem for d in sets]
    grid, results, default = score_results(sets, seeds)

    def rows(keep, label: str) -> tuple[list[pd.DataFrame], dict, dict]:
        index = [i for i, g in enumerate(grid) if keep(g)]
        sub = {(r, s, j): results[(r, s, i)] for j, i in enumerate(index) for r in names for s in seeds}
        held, shipped, picks, full = nested_pick(sub, [grid[i] for i in index], names, seeds)
        pooled = nested_pick(sub, [grid[i] for i in index], names, seeds, worst=None)[0]
        insample = pd.DataFrame([{**sub[(r, s, full)], "review": r, "seed": s} for r in names for s in seeds])
        frames = [summarise(held.assign(method=f"{label}, held out (nested leave-one-review-out)")),
                  summarise(insample.assign(method=f"{label}, setting picked on all 8 (in sample)")),
                  summarise(pooled.assign(method=f"{label}, held out, inner rule without the margin"))]
        return frames, held, {"picks": {r: grid[index[i]] for r, i in picks.items()}, "shipped": grid[index[shipped]],
                              "full": grid[index[full]]}

    frames, held, chosen = rows(lambda g: True, "any score rule of the grid")
    for label, keep in SCORE_FAMILIES.items():
        frames += rows(keep, label)[0]
    base = pd.DataFrame([{**o, "review": r, "seed": s} for (r, s), o in default.items()])
    table = pd.concat(frames + [summarise(base.assign(method="DEFAULT weibull, shipped setting, on the same runs"))])
    per = held.assign(past95=held["share"] - held["share95"]).groupby("review").agg(
        reached=("reached", "mean"), screened=("share", "mean"), past95=("past95", "mean"))
    per["picked on the other 7"] = [str(chosen["picks"][r]) for r in per.index]
    fmt = lambda v: f"{v:.3f}"  # noqa: E731
    return "\n".join([
        f"score rules beside the Weibull process, seeds {', '.join(map(str, seeds))} (score traces: the WSS runs "
        "re-stepped with the score sums recorded, the ranking frozen after 95% recall)",
        table.to_string(float_format=fmt), "", "any score rule of the grid, held out, per review:",
        per.to_string(float_format=fmt), "",
        f"setting picked most often by the outer folds: {chosen['shipped']}; on all 8: {chosen['full']} "
        f"({len(grid)} settings)"])
