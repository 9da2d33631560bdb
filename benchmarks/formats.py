"""Import benchmark: the real-export corpus, and parse speed on 100k generated records.

    python benchmarks/formats.py                 # every file of ../shared/data/formats
    python benchmarks/formats.py --speed 100000  # generated RIS and MEDLINE, ours vs rispy
    python benchmarks/formats.py --all

Corpus: one row per file in ``manifest.csv``: status (``ok`` when exactly
``records_expected`` records were read, ``COUNT`` when the count differs, ``ERROR`` when
the file raised), records read vs expected, the share of records with a title, authors,
year and DOI, and seconds; then a summary. Speed: seconds and peak memory (tracemalloc
peak of the Python heap, plus the process's maximum resident size) for our reader and
for rispy on the same generated file.
"""

from __future__ import annotations

import argparse
import csv
import gc
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from reviewbench.errors import InputFileError  # noqa: E402
from reviewbench.formats import read_file  # noqa: E402

CORPUS = ROOT.parent / "shared" / "data" / "formats"


def corpus(folder: Path = CORPUS) -> int:
    """Print one row per corpus file and a summary; return the number of files not ok."""
    manifest = list(csv.DictReader(open(folder / "manifest.csv", encoding="utf-8")))
    header = f"{'file':<48} {'status':<6} {'read':>6} {'expect':>6} {'title':>5} {'auth':>5} {'year':>5} {'doi':>5} {'sec':>6}"
    print(header)
    print("-" * len(header))
    ok = wrong = errors = 0
    read_total = expected_total = 0
    seconds_total = 0.0
    for row in manifest:
        path = folder / row["file"]
        expected = int(row["records_expected"])
        start = time.perf_counter()
        try:
            df, report = read_file(path)
            n = len(df)
            status = "ok" if n == expected else "COUNT"
            shares = [
                (df["title"] != "").mean(),
                df["authors"].map(bool).mean(),
                df["year"].notna().mean(),
                (df["doi"] != "").mean(),
            ]
            detail = " ".join(f"{s:>5.0%}" for s in shares)
        except InputFileError as exc:
            n, status, detail = 0, "ERROR", str(exc)[:80]
            report = None
        seconds = time.perf_counter() - start
        seconds_total += seconds
        read_total += n
        expected_total += expected
        if status == "ok":
            ok += 1
        elif status == "COUNT":
            wrong += 1
        else:
            errors += 1
        name = row["file"][:48]
        if status == "ERROR":
            print(f"{name:<48} {status:<6} {n:>6} {expected:>6} {seconds:>30.2f}  {detail}")
        else:
            skipped = f"  ({len(report.problems)} problem(s))" if report and report.problems else ""
            print(f"{name:<48} {status:<6} {n:>6} {expected:>6} {detail} {seconds:>6.2f}{skipped}")
    print("-" * len(header))
    print(
        f"summary: {ok}/{len(manifest)} files exact, {wrong} with a different count, {errors} errors; "
        f"{read_total}/{expected_total} records; {seconds_total:.1f} s in all"
    )
    return wrong + errors


def _measure(func, *args):
    """(result, seconds, peak traced MB) of one call."""
    gc.collect()
    tracemalloc.start()
    start = time.perf_counter()
    result = func(*args)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return result, seconds, peak


def _timed(func, *args):
    """(result, seconds) without tracing (tracemalloc slows Python code several-fold)."""
    gc.collect()
    start = time.perf_counter()
    result = func(*args)
    return result, time.perf_counter() - start


def speed(n: int, trace_memory: bool = True) -> None:
    """Generate ``n`` RIS and ``n`` MEDLINE records and time our reader beside rispy."""
    import rispy

    from generate_bibliography import write_medline, write_ris

    with tempfile.TemporaryDirectory() as tmp:
        ris_path = Path(tmp) / "generated.ris"
        medline_path = Path(tmp) / "generated.nbib"
        write_ris(ris_path, n)
        write_medline(medline_path, n)
        print(f"{'file':<16} {'parser':<12} {'records':>8} {'seconds':>8} {'peak MB':>8}")
        rows = [
            ("RIS", "reviewbench", read_file, ris_path),
            ("RIS", "rispy", lambda p: rispy.load(p, encoding="utf-8"), ris_path),
            ("MEDLINE", "reviewbench", read_file, medline_path),
            ("MEDLINE", "rispy", lambda p: rispy.load(p, implementation=rispy.PubMedParser, encoding="utf-8"), medline_path),
        ]
        for label, parser, func, path in rows:
            result, seconds = _timed(func, path)
            records = len(result[0]) if isinstance(result, tuple) else len(result)
            del result
            peak = ""
            if trace_memory:
                result, _, traced = _measure(func, path)
                del result
                peak = f"{traced:>8.0f}"
            print(f"{label:<16} {parser:<12} {records:>8} {seconds:>8.2f} {peak:>8}")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"process max resident size: {rss:.0f} MB (includes everything above)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--speed", type=int, metavar="N", help="time N generated RIS and MEDLINE records")
    parser.add_argument("--all", action="store_true", help="corpus and a 100,000-record speed run")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc run (faster)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder holding manifest.csv")
    args = parser.parse_args()
    failures = 0
    if args.speed is None or args.all:
        failures = corpus(args.corpus)
    if args.speed or args.all:
        print()
        speed(args.speed or 100_000, trace_memory=not args.no_memory)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
