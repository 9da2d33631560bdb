"""Import benchmark: the real-export corpus, and parse speed on 100k generated records.

    python benchmarks/formats.py                 # every file of ../shared/data/formats
    python benchmarks/formats.py --speed 100000  # generated RIS and MEDLINE, ours vs rispy
    python benchmarks/formats.py --all

Corpus: one row per file in ``manifest.csv``: status (``ok`` when exactly
``records_expected`` records were read, ``COUNT`` when the count differs, ``ERROR`` when
the file raised), records read vs expected, the share of records with a title, authors,
year and DOI, and seconds; then a summary. Speed: wall and CPU seconds and peak memory
(maximum resident set size of a fresh process) for our reader and for rispy on the same
generated file. Ours returns the full normalised record table with ids; rispy returns
raw tag dictionaries.
"""

from __future__ import annotations

import argparse
import csv
import resource
import subprocess
import sys
import tempfile
import time
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


def _rispy(path: Path) -> list:
    import rispy

    return rispy.load(path, encoding="utf-8")


PARSERS = {"reviewbench": lambda path: read_file(path)[0], "rispy": _rispy}
# rispy reads RIS and Web of Science text; it has no PubMed/MEDLINE reader.
BASELINES = {"RIS": ("reviewbench", "rispy"), "MEDLINE": ("reviewbench",)}


def one(parser: str, path: Path) -> None:
    """Parse one file with one parser and print records, wall and CPU seconds, peak memory."""
    start, cpu = time.perf_counter(), time.process_time()
    result = PARSERS[parser](path)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(result)} {seconds:.2f} {cpu_seconds:.2f} {peak:.0f}")


def speed(n: int, repeat: int = 3) -> None:
    """Generate ``n`` RIS and ``n`` MEDLINE records and time our reader beside rispy's.

    Each run is a fresh process, so peak memory (maximum resident set size) belongs to
    that parser alone. Wall time depends on what else the machine runs (on the shared
    2-core machine the same run varies by half), so each parser runs ``repeat`` times,
    interleaved with the others, and the best and the median run are printed; rispy on
    the same file is the yardstick for how fast the machine is at that moment.
    """
    from generate_bibliography import write_medline, write_ris

    with tempfile.TemporaryDirectory() as tmp:
        files = {"RIS": write_ris(Path(tmp) / "generated.ris", n), "MEDLINE": write_medline(Path(tmp) / "generated.nbib", n)}
        runs: dict[tuple[str, str], list[tuple[float, float, float, str]]] = {}
        for _ in range(repeat):
            for label, path in files.items():
                for parser in BASELINES[label]:
                    done = subprocess.run(
                        [sys.executable, __file__, "--one", parser, str(path)], capture_output=True, text=True, check=False
                    )
                    if done.returncode != 0:
                        runs.setdefault((label, parser), []).append((float("nan"), 0.0, 0.0, done.stderr.strip()[-200:]))
                        continue
                    records, wall, cpu, peak = done.stdout.split()
                    runs.setdefault((label, parser), []).append((float(wall), float(cpu), float(peak), records))
        print(f"{'file':<8} {'MB':>5} {'parser':<12} {'records':>8} {'best s':>7} {'median s':>9} {'cpu s':>6} {'peak MB':>8}")
        for label, path in files.items():
            size = path.stat().st_size / 2**20
            for parser in BASELINES[label]:
                results = runs[(label, parser)]
                good = sorted(r for r in results if r[0] == r[0])
                if not good:
                    print(f"{label:<8} {size:>5.0f} {parser:<12} failed: {results[0][3]}")
                    continue
                best, median = good[0], good[len(good) // 2]
                peak = max(r[2] for r in good)
                print(f"{label:<8} {size:>5.0f} {parser:<12} {best[3]:>8} {best[0]:>7.2f} {median[0]:>9.2f} {best[1]:>6.2f} {peak:>8.0f}")
            if "rispy" not in BASELINES[label]:
                print(f"{label:<8} {size:>5.0f} {'rispy':<12} n/a (rispy has no MEDLINE reader)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--speed", type=int, metavar="N", help="time N generated RIS and MEDLINE records")
    parser.add_argument("--repeat", type=int, default=3, help="runs per parser in the speed test (best and median shown)")
    parser.add_argument("--all", action="store_true", help="corpus and a 100,000-record speed run")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder holding manifest.csv")
    parser.add_argument("--one", nargs=2, metavar=("PARSER", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(args.one[0], Path(args.one[1]))
        return 0
    failures = 0
    if args.speed is None or args.all:
        failures = corpus(args.corpus)
    if args.speed or args.all:
        print()
        speed(args.speed or 100_000, args.repeat)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
