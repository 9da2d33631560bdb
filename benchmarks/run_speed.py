"""Speed of `reviewbench run`: a generated review of 20,000 records and 500 coded findings.

Builds a temporary project (two database exports with overlapping records, a hand
search, searches.yml whose hits match, title/abstract and full-text decisions that
reconcile, coded findings and study characteristics), then runs the project's notebooks
exactly as `reviewbench run` does and prints the seconds per notebook. The data is
random but seeded, so every run builds the same review. Goal: the whole run in under
three minutes (`reviewbench run` on the example: under one minute).

Usage::

    python benchmarks/run_speed.py                       # 20,000 records, 500 findings, every notebook
    python benchmarks/run_speed.py --records 2000 --findings 100 --only 04 --only 05
    python benchmarks/run_speed.py --keep                # keep the generated project and print its path
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "lib"))

from reviewbench.logs import append_rows  # noqa: E402
from reviewbench.project import open_project  # noqa: E402

WORDS = ("health wellbeing violence access services street indoor migrant trans sexual exploitation housing "
         "policing stigma outreach clinic testing HIV hepatitis mental drugs alcohol peer support women men "
         "workers survey interviews qualitative cohort England London Leeds Bradford Sheffield review needs "
         "barriers care primary secondary tertiary prevention determinants income debt safety online").split()
FAMILIES = ("Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker "
            "White Roberts Green Hall Wood Jackson Clarke Patel Khan Lewis James Phillips Mason Ward Platt "
            "Sanders Jeal Potter Grenfell Mai Elmes Church Cooper").split()
SCREEN = ["record_id", "decision", "reason", "note", "reviewer", "timestamp"]
FULL = SCREEN + ["retrieval", "pdf"]
REASONS = ["not_sex_work_population", "not_health_or_wellbeing", "non_uk_setting", "no_primary_data"]


def _record(rng: random.Random, n: int) -> dict:
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))).capitalize() + f" (study {n})"
    authors = [f"{rng.choice(FAMILIES)}, {rng.choice('ABCDEFGHJKLMNPRS')}." for _ in range(rng.randint(1, 6))]
    return {"title": title, "authors": authors, "year": rng.randint(1990, 2023), "doi": f"10.9999/bench.{n}",
            "journal": f"Journal of {rng.choice(WORDS).capitalize()} Studies", "volume": str(rng.randint(1, 60)),
            "abstract": " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 120)))}


def _ris(records: list[dict]) -> str:
    out = []
    for r in records:
        out += ["TY  - JOUR", *(f"AU  - {a}" for a in r["authors"]), f"TI  - {r['title']}", f"JO  - {r['journal']}",
                f"PY  - {r['year']}", f"VL  - {r['volume']}", f"DO  - {r['doi']}", f"AB  - {r['abstract']}", "ER  - ", ""]
    return "\n".join(out)


def build(root: Path, n_records: int, n_findings: int, seed: int = 7) -> Path:
    """Write the generated project under ``root``; returns it."""
    rng = random.Random(seed)
    fixture = REPO / "tests" / "fixtures" / "outputs" / "project"
    (root / "bibliography").mkdir(parents=True)
    (root / "evidence").mkdir()
    codebook = REPO / "evidence" / "codebook.yml"
    shutil.copy(codebook if codebook.is_file() else fixture / "evidence" / "codebook.yml", root / "evidence" / "codebook.yml")
    review = (REPO / "evidence" / "review.yml")
    shutil.copy(review if review.is_file() else fixture / "evidence" / "review.yml", root / "evidence" / "review.yml")
    n_dup = n_records // 12
    n_hand = max(n_records // 100, 1)
    n_unique_db = n_records - n_dup - n_hand
    pubs = [_record(rng, i) for i in range(n_unique_db + n_hand)]
    split = n_unique_db * 3 // 5
    file_a = pubs[:split]
    file_b = pubs[split:n_unique_db] + rng.sample(file_a, n_dup)
    hand = pubs[n_unique_db:]
    for name, recs in (("database_a.ris", file_a), ("database_b.ris", file_b), ("handsearch.ris", hand)):
        (root / "bibliography" / name).write_text(_ris(recs), encoding="utf-8")
    (root / "bibliography" / "searches.yml").write_text(
        "searches:\n"
        f"  - {{database: Database A, date: 2024-01-01, file: database_a.ris, query: sex work*, hits: {len(file_a)}}}\n"
        f"  - {{database: Database B, date: 2024-01-01, file: database_b.ris, query: sex work*, hits: {len(file_b)}}}\n"
        "other_methods:\n"
        f"  - {{source: Hand search, date: 2024-01-02, file: handsearch.ris, hits: {len(hand)}}}\n", encoding="utf-8")

    project = open_project(root)
    from reviewbench.coding import load_codebook
    from reviewbench.pipeline import deduplicate_project, load_records

    records, _ = load_records(project)
    _, unique = deduplicate_project(project, records)
    ids = sorted(unique["record_id"])
    rng.shuffle(ids)
    n_include_ta = max(len(ids) // 30, 10)
    ta_rows, ft_rows = [], []
    for i, rid in enumerate(ids):
        include = i < n_include_ta
        stamp = f"2024-02-{1 + i * 27 // len(ids):02d}T{(i // 60) % 24:02d}:{i % 60:02d}:00Z"
        ta_rows.append({"record_id": rid, "decision": "include" if include else "exclude",
                        "reason": "" if include else rng.choice(REASONS), "note": "", "reviewer": "alex", "timestamp": stamp})
    included = []
    for i, rid in enumerate(ids[:n_include_ta]):
        roll = rng.random()
        if roll < 0.03:
            ft_rows.append({"record_id": rid, "decision": "exclude", "reason": "not available from library or author",
                            "retrieval": "not_retrieved"})
        elif roll < 0.4:
            ft_rows.append({"record_id": rid, "decision": "exclude", "reason": rng.choice(REASONS), "retrieval": "retrieved"})
        else:
            ft_rows.append({"record_id": rid, "decision": "include", "reason": "", "retrieval": "retrieved"})
            included.append(rid)
    for row in ft_rows:
        row.update({"note": "", "reviewer": "alex", "timestamp": "2024-03-01T10:00:00Z", "pdf": ""})
    append_rows(project.screening_dir("title_abstract") / "alex.csv", ta_rows, SCREEN)
    append_rows(project.screening_dir("full_text") / "alex.csv", ft_rows, FULL)

    codebook = load_codebook(project)
    dims = {name: list(dim.codes) for name, dim in codebook.dimensions.items()}
    finding_dims = [n for n, d in codebook.dimensions.items() if d.level in ("finding", "both")]
    study_dims = [n for n, d in codebook.dimensions.items() if d.level in ("study", "both")]
    cols = ["finding_id", "record_id", "finding", "location", *codebook.dimensions, "confidence", "coder", "timestamp"]
    rows = []
    for n in range(n_findings):
        row = {"finding_id": f"B{n:05d}", "record_id": rng.choice(included), "location": f"p. {rng.randint(1, 30)}",
               "finding": " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 25))).capitalize(),
               "confidence": "high", "coder": "bench", "timestamp": "2024-04-01T10:00:00Z"}
        for name in codebook.dimensions:
            codes = dims[name]
            if name in finding_dims and codes:
                k = 1 if not codebook.dimensions[name].multi else rng.randint(1, 2)
                row[name] = "; ".join(sorted(rng.sample(codes, min(k, len(codes))), key=codes.index))
            else:
                row[name] = ""
        rows.append(row)
    append_rows(project.findings_dir / "bench.csv", rows, cols)
    study_cols = ["record_id", *study_dims, "country", "sample_size", "note", "coder", "timestamp"]
    study_rows = [{"record_id": rid, **{d: rng.choice(dims[d]) for d in study_dims if dims[d]}, "country": "UK",
                   "sample_size": str(rng.randint(10, 500)), "note": "", "coder": "bench",
                   "timestamp": "2024-04-02T10:00:00Z"} for rid in sorted(set(r["record_id"] for r in rows))]
    append_rows(project.findings_dir / "studies.csv", study_rows, study_cols)
    return root


def _children_cpu() -> float:
    """CPU seconds used by finished child processes (the notebook kernels)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--findings", type=int, default=500)
    parser.add_argument("--only", action="append", default=[], help="run only notebooks whose name contains this")
    parser.add_argument("--keep", action="store_true", help="keep the generated project")
    args = parser.parse_args()

    from reviewbench.outputs.notebook_runner import execute_notebook, notebook_html

    tmp = Path(tempfile.mkdtemp(prefix="reviewbench-run-speed-"))
    try:
        start = time.perf_counter()
        root = build(tmp / "review", args.records, args.findings)
        build_s = time.perf_counter() - start
        shutil.copytree(REPO / "notebooks", root / "notebooks")
        notebooks = sorted((root / "notebooks").glob("*.ipynb"))
        if args.only:
            notebooks = [nb for nb in notebooks if any(s in nb.name for s in args.only)]
        print(f"review: {args.records} records, {args.findings} coded findings (generated in {build_s:.1f} s)")
        print(f"{'notebook':<40} {'execute s':>10} {'html s':>8} {'kernel cpu s':>13}")
        total = cpu_total = 0.0
        for nb in notebooks:
            t0 = time.perf_counter()
            c0 = _children_cpu()
            executed = execute_notebook(nb, root / "outputs" / "notebooks" / nb.name,
                                        {"project_dir": "..", "output_dir": "outputs"}, cwd=root / "notebooks")
            t1 = time.perf_counter()
            cpu = _children_cpu() - c0
            cpu_total += cpu
            notebook_html(executed, executed.with_suffix(".html"))
            t2 = time.perf_counter()
            total += t2 - t0
            print(f"{nb.name:<40} {t1 - t0:>10.1f} {t2 - t1:>8.1f} {cpu:>13.1f}")
        print(f"{'total (wall clock)':<40} {total:>10.1f} {'':>8} {cpu_total:>13.1f}   (goal: < 180 s)")
        print(f"load average now: {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
              "(kernel cpu s is what an otherwise idle machine would need)")
        if args.keep:
            print(f"project kept at {root}")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
