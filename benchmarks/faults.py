"""The fault table of issue 20, run again: each attack that once failed, and whether it holds.

Every row repeats an attack as a person or a machine would make it (a file-size limit,
a crash, an editor, a hostile export, a parameter), on a throw-away copy of a fixture
project or the example review, mostly through the ``reviewbench`` command line in a
child process with bounded time and memory. A row holds when nothing acknowledged is
lost, nothing torn is read, and every refusal is one message (exit status 2) that says
what to do. A row whose remaining part belongs to another issue is ``open`` until that
issue holds it, and says which.

Usage: ``python benchmarks/faults.py [--skip-run] [--keep DIR]``. ``--skip-run`` leaves
out the rows that need a whole ``reviewbench run`` of the example (half a minute);
``--keep DIR`` works in ``DIR`` and leaves it for inspection. Exit status 1 when a row
failed (an ``open`` row does not count).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "lib"))

import pandas as pd  # noqa: E402

from reviewbench.errors import FieldTooLongError, LogWriteError  # noqa: E402
from reviewbench.formats import read_file, write_bibtex  # noqa: E402
from reviewbench.project import open_project  # noqa: E402
from reviewbench.screening.decisions import read_reviewer_log, record_decision  # noqa: E402

SCREENING = ROOT / "tests" / "fixtures" / "screening" / "project"
MEMORY = 2 * 1024**3  # bytes a child process may take
STAGE, REVIEWER = "title_abstract", "alex"


class Failed(Exception):
    """The attack succeeded: the row does not hold (the message says how)."""


@dataclass(frozen=True)
class Fault:
    """One row: its number in the issue, what failed, the check, and who owns what is left
    (a row left to another issue that does not hold yet is ``open``, not ``failed``)."""

    number: str
    what: str
    check: Callable[[Path], str]
    needs_run: bool = False
    left_to: str = ""


# --------------------------------------------------------------------------- helpers


def _limits(file_size: int | None = None) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
        if file_size is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
    return apply


def _python(code: str, *args: str, file_size: int | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "lib")}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=timeout,
                          env=env, preexec_fn=_limits(file_size))


def reviewbench(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """``reviewbench ARGS`` in a child process with bounded memory and time."""
    return _python("import sys; from reviewbench.cli import main; sys.exit(main(sys.argv[1:]))", *args, timeout=timeout)


def one_message(done: subprocess.CompletedProcess, *says: str) -> str:
    """The error message of a command that must refuse with exit status 2: one message
    (``validate``'s lists each problem on a line of its own), no traceback."""
    err = done.stderr.strip()
    first, _, rest = err.partition("\n")
    command = " ".join(done.args[3:4])
    listed = all(line.startswith("  - ") for line in rest.splitlines())
    if done.returncode != 2 or "Traceback" in err or not first.startswith(f"reviewbench {command}: error: ") or not listed:
        raise Failed(f"exit {done.returncode}: {err[-300:]}")
    missing = [s for s in says if s not in err]
    if missing:
        raise Failed(f"message lacks {missing}: {err[-300:]}")
    return err.split(": error: ", 1)[-1]


def valid(project: Path) -> None:
    done = reviewbench("validate", "--project", str(project))
    if done.returncode != 0:
        raise Failed(f"validate: exit {done.returncode}: {done.stderr.strip()[-300:]}")


def screening_project(work: Path, name: str) -> Path:
    root = work / name
    shutil.copytree(SCREENING, root)
    return root


def reviewer_log(root: Path) -> Path:
    return open_project(root).screening_log_file(STAGE, REVIEWER)


def decide(root: Path, record_id: str, note: str = "") -> None:
    record_decision(open_project(root), STAGE, REVIEWER, record_id, "include", note=note)


def logged(root: Path) -> list[str]:
    return read_reviewer_log(open_project(root), STAGE, REVIEWER)["record_id"].tolist()


def example_project(work: Path, name: str) -> Path:
    root = work / name
    for folder in ("bibliography", "evidence", "notebooks"):
        shutil.copytree(ROOT / folder, root / folder)  # notebooks/ is a link: its files are copied
    (root / "outputs").mkdir()
    return root


def short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


# --------------------------------------------------------------------------- the rows


_DECIDE_UNDER_LIMIT = """
import sys
from reviewbench.project import open_project
from reviewbench.screening.decisions import record_decision
project = open_project(sys.argv[1])
acknowledged = 0
for i in range(1000):
    try:
        record_decision(project, "title_abstract", "alex", f"rec{i:04d}", "include", note="x" * 30)
    except Exception as exc:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        break
    acknowledged += 1
print(acknowledged)
"""


def short_write(work: Path) -> str:
    root = screening_project(work, "row1")
    done = _python(_DECIDE_UNDER_LIMIT, str(root), file_size=4096)
    if done.returncode != 0 or not done.stdout.strip():
        raise Failed(f"the writer died: {done.stderr.strip()[-300:]}")
    acknowledged = int(done.stdout)
    if "LogWriteError" not in done.stderr:
        raise Failed(f"no clear error at the limit: {done.stderr.strip()[-200:]}")
    valid(root)
    read = logged(root)
    if read != [f"rec{i:04d}" for i in range(acknowledged)]:
        raise Failed(f"{acknowledged} acknowledged, {len(read)} read back")
    return f"{acknowledged} decisions acknowledged, {len(read)} read back; then: {short(done.stderr.split(': ', 2)[-1], 50)}"


def torn_last_line(work: Path) -> str:
    root = screening_project(work, "row2")
    decide(root, "r01")
    log = reviewer_log(root)
    with log.open("a") as fh:
        fh.write('rec,include,,"partial note')
    before = log.read_bytes()
    try:
        decide(root, "r02")
        raise Failed("a decision was appended after the torn line")
    except LogWriteError as exc:
        if "line 3" not in str(exc) or "--repair" not in str(exc):
            raise Failed(f"the refusal names no line or repair: {exc}") from None
    if log.read_bytes() != before:
        raise Failed("the refused append changed the log")
    one_message(reviewbench("validate", "--project", str(root)), "line 3", "--repair")
    repaired = reviewbench("validate", "--repair", "--project", str(root))
    if repaired.returncode != 0 or "alex.csv.torn" not in repaired.stderr:
        raise Failed(f"--repair: {repaired.stderr.strip()[-200:]}")
    decide(root, "r02")
    if logged(root) != ["r01", "r02"]:
        raise Failed(f"after repair the log reads {logged(root)}")
    return "append refused naming line 3; validate --repair moved it to alex.csv.torn; screening went on"


def _included_record(root: Path, source: str) -> tuple[str, str]:
    """(record_id, title) of a record of ``source`` that the example includes."""
    ids = pd.read_csv(root / "evidence" / "_example_record_ids.csv", dtype=str)
    row = ids[(ids["full_text"] == "include") & ids["record_id"].str.startswith(source)].iloc[0]
    return row["record_id"], row["title"]


def _give_doi(root: Path, doi: str) -> str:
    """Put ``doi`` on an included record of the example's RIS export, moving its decisions
    to the record's new id (the DOI is part of the id); returns the new id."""
    ris = root / "bibliography" / "scopus.ris"
    old_id, title = _included_record(root, "scopus")
    before, _ = read_file(ris)
    text = ris.read_text(encoding="utf-8")
    blocks = text.split("\nER  - ")
    at = next(i for i, block in enumerate(blocks) if title[:40] in " ".join(block.split()))
    lines = [line for line in blocks[at].split("\n") if not line.startswith("DO  -")]
    blocks[at] = "\n".join(lines) + f"\nDO  - {doi}"
    ris.write_text("\nER  - ".join(blocks), encoding="utf-8")
    after, _ = read_file(ris)
    new_id = (set(after["record_id"]) - set(before["record_id"])).pop()
    for path in (root / "evidence").rglob("*.csv"):
        path.write_text(path.read_text(encoding="utf-8").replace(old_id, new_id), encoding="utf-8")
    return new_id


def doi_brace_in_run(work: Path) -> str:
    root = example_project(work, "row3")
    _give_doi(root, "10.1234/a{b")
    done = reviewbench("run", "--project", str(root), "--no-html", timeout=1800)
    if done.returncode != 0:
        raise Failed(f"run: exit {done.returncode}: {short(done.stderr[-300:], 120)}")
    bib = root / "outputs" / "references" / "included-studies.bib"
    records, report = read_file(bib)
    if report.problems or "10.1234/a%7bb" not in set(records["doi"]):
        raise Failed(f"included-studies.bib reads back with {report.problems[:1]}")
    return "run succeeded; included-studies.bib holds 10.1234/a%7Bb and reads back whole (atomic run: issue 16)"


def oversized_cell(work: Path) -> str:
    export = work / "row4.csv"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(
        [["Title", "Abstract", "Year"], ["a", "x", "2001"], ["b", "y" * 200_000, "2002"], ["c", "z", "2003"], ["d", "w", "2004"]]
    )
    export.write_text(buf.getvalue())
    out = work / "row4-records.csv"
    done = reviewbench("import", str(export), "-o", str(out))
    if done.returncode != 0 or "wrote 4 records" not in done.stderr:
        raise Failed(f"import: {short(done.stderr, 120)}")
    root = screening_project(work, "row4")
    decide(root, "r01")
    try:
        decide(root, "r02", note="n" * 200_000)
        raise Failed("a 200,000-character note was written")
    except FieldTooLongError:
        pass
    valid(root)
    if logged(root) != ["r01"]:
        raise Failed(f"log reads {logged(root)}")
    return "200 kB abstract: 4 of 4 rows read; 200,000-character note refused with a message, log readable"


def alias_bomb(work: Path) -> str:
    root = screening_project(work, "row5")
    lines = ["searches:", "  - {database: x, date: 2020-01-01, query: q}", "bomb:", "  a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 8)]
    (root / "bibliography" / "searches.yml").write_text("\n".join(lines) + "\n")
    started = time.perf_counter()
    one_message(reviewbench("validate", "--project", str(root), timeout=60), "searches.yml", "alias bomb")
    took = time.perf_counter() - started
    if took > 10:
        raise Failed(f"refused, but after {took:.0f} s")
    return f"7 levels (9**7 values) refused by validate in {took:.1f} s, the child limited to 2 GB"


def bom_header(work: Path) -> str:
    root = screening_project(work, "row6")
    decide(root, "r01")
    log = reviewer_log(root)
    log.write_bytes(b"\xef\xbb\xbf" + log.read_bytes())
    valid(root)
    decide(root, "r02")
    valid(root)
    if logged(root) != ["r01", "r02"]:
        raise Failed(f"log reads {logged(root)}")
    return "log saved with a BOM: validate passes, the next decision is appended"


def _broken_workbook(path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Title", "Year"])
    book.active.append(["A study", 2001])
    buf = io.BytesIO()
    book.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, data[: len(data) // 2] if item.filename == "xl/worksheets/sheet1.xml" else data)


def tracebacks(work: Path) -> str:
    ris = work / "ok.ris"
    ris.write_text("TY  - JOUR\nTI  - A study\nER  - \n")
    wide = work / "wide.txt"
    wide.write_text("x" * 200_000 + ",y\n1,2\n")
    book = work / "broken.xlsx"
    _broken_workbook(book)
    folder = work / "some_folder"
    folder.mkdir()
    cases = {
        "first line of 200 kB": ("import", str(wide), "-o", str(work / "o.csv")),
        "broken worksheet XML": ("import", str(book), "-o", str(work / "o.csv")),
        "-o some_folder/": ("import", str(ris), "-o", f"{folder}/"),
        "-o below a file": ("import", str(ris), "-o", str(ris / "o.csv")),
        "-o where nothing may be written": ("import", str(ris), "-o", "/sys/o.csv"),
    }
    said = []
    for name, args in cases.items():
        try:
            said.append(short(one_message(reviewbench(*args)).split(": ", 1)[-1], 28))
        except Failed as exc:
            raise Failed(f"{name}: {exc}") from None
    return f"{len(cases)} cases, each one message and exit 2 (e.g. {said[2]!r})"


def bib_escaping(work: Path) -> str:
    records = pd.DataFrame([
        {"title": "A", "doi": "10.1234/\\input{/etc/passwd}", "url": "https://example.org/}", "year": 2020, "source_id": "a"},
        {"title": "B", "doi": "10.1234/a}b", "year": 2021, "source_id": "b"},
    ])
    bib = write_bibtex(records, work / "row8.bib")
    text = bib.read_text()
    if "\\input" in text:
        raise Failed("\\input reached the .bib file")
    back, report = read_file(bib)
    if report.problems or len(back) != 2:
        raise Failed(f"reviewbench reads its own .bib with {report.problems[:1]}")
    return "\\input and lone braces percent-encoded in doi/url; the file reads back whole"


def output_dir(work: Path) -> str:
    root = example_project(work, "row9")
    sources = {p: p.read_bytes() for p in (root / "notebooks").glob("*.ipynb")}
    for folder in (".", "evidence/screening", "notebooks"):
        one_message(reviewbench("run", "--project", str(root), "-p", "output_dir", folder), "output_dir", "outputs/")
    if {p: p.read_bytes() for p in sources} != sources or not (root / "outputs").is_dir():
        raise Failed("a source notebook changed")
    valid(root)
    return "output_dir ., evidence/screening and notebooks refused before any notebook ran"


def symlinked_log(work: Path) -> str:
    root = screening_project(work, "row10")
    outside = work / "outside.csv"
    outside.write_text("")
    log = reviewer_log(root)
    log.parent.mkdir(parents=True, exist_ok=True)
    log.symlink_to(outside)
    try:
        decide(root, "r01")
        raise Failed("a decision was written through the link")
    except LogWriteError:
        pass
    if outside.read_text():
        raise Failed("the file outside the project was written")
    one_message(reviewbench("validate", "--project", str(root)), "symbolic link")
    return "the writer refuses the link, validate names it, the file outside is untouched"


def truncated_medline(work: Path) -> str:
    text = (ROOT / "bibliography" / "pubmed.nbib").read_text(encoding="utf-8")
    cut = work / "cut.nbib"
    cut.write_text(text[: text.index("\nFAU - ", len(text) // 2) + 9], encoding="utf-8")
    done = reviewbench("import", str(cut), "-o", str(work / "cut.csv"))
    if done.returncode != 0 or "cut off" not in done.stderr:
        raise Failed(f"no warning: {short(done.stderr, 120)}")
    line = next(line for line in done.stderr.splitlines() if "cut off" in line)
    return short(line.strip("! ").replace(str(work) + os.sep, ""), 70)


_KILLED_BEFORE_HEADER = """
import os, signal, sys
from reviewbench.project import open_project
from reviewbench.screening.decisions import record_decision
os.write = lambda fd, data: os.kill(os.getpid(), signal.SIGKILL)  # killed after the file is created
record_decision(open_project(sys.argv[1]), "title_abstract", "alex", "r01", "include")
"""


def killed_before_header(work: Path) -> str:
    root = screening_project(work, "row11b")
    done = _python(_KILLED_BEFORE_HEADER, str(root))
    log = reviewer_log(root)
    if done.returncode != -9 or not log.exists() or log.stat().st_size:
        raise Failed(f"the child was not killed between creating the log and writing it (exit {done.returncode})")
    valid(root)
    decide(root, "r01")
    if logged(root) != ["r01"]:
        raise Failed(f"log reads {logged(root)}")
    return "SIGKILL left a 0-byte log: validate passes, the next decision writes the header"


_FAILING_NOTEBOOK = {
    "cells": [
        {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": "project_dir = '..'", "outputs": [], "execution_count": None},
        {"cell_type": "code", "metadata": {}, "source": "import reviewbench, os\nraise RuntimeError(os.path.abspath(reviewbench.__file__))",
         "outputs": [], "execution_count": None},
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 4,
}


def failed_run_paths(work: Path) -> str:
    import json

    root = example_project(work, "row11c")
    (root / "notebooks" / "99-fails.ipynb").write_text(json.dumps(_FAILING_NOTEBOOK))
    done = reviewbench("run", "--project", str(root), "--no-html", "--notebook", "99-fails", timeout=600)
    if done.returncode != 2:
        raise Failed(f"run: exit {done.returncode}")
    machine = [str(ROOT), str(root), sys.prefix]
    leaking = [p.relative_to(root) for p in (root / "outputs").rglob("*") if p.is_file()
               and any(m in p.read_text(encoding="utf-8", errors="replace") for m in machine)]
    if leaking:
        raise Failed(f"{leaking[0]} holds machine paths")
    return "the failed notebook stays out of outputs/"


FAULTS = (
    Fault("1", "short write (file-size limit) acknowledged, torn row", short_write),
    Fault("2", "appending after a torn last line", torn_last_line),
    Fault("3", "DOI with a lone brace stops `reviewbench run`", doi_brace_in_run, needs_run=True),
    Fault("4", "128 KiB cell limit: rows dropped, notes unreadable", oversized_cell),
    Fault("5", "YAML alias bomb in searches.yml", alias_bomb),
    Fault("6", "log header with a byte-order mark blocks appends", bom_header),
    Fault("7", "tracebacks for OS, XML, CSV errors and -o", tracebacks),
    Fault("8", ".bib doi/url not escaped", bib_escaping),
    Fault("9", "-p output_dir outside outputs/", output_dir),
    Fault("10", "log writer follows a symbolic link", symlinked_log),
    Fault("11a", "truncated MEDLINE keeps a half record silently", truncated_medline),
    Fault("11b", "SIGKILL between creating a log and its header", killed_before_header),
    Fault("11c", "failed run leaves machine paths in outputs/", failed_run_paths, needs_run=True,
          left_to="issue 16: an atomic run keeps a failed notebook out of outputs/"),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-run", action="store_true", help="leave out the rows that need `reviewbench run`")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it")
    args = parser.parse_args(argv)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="reviewbench-faults-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"{'#':<4} {'fault':<54} {'result':<8} {'s':>5}  detail")
    counts = dict.fromkeys(("held", "failed", "open", "skipped"), 0)
    try:
        for fault in FAULTS:
            if fault.needs_run and args.skip_run:
                result, detail, took = "skipped", "needs `reviewbench run` (--skip-run)", 0.0
            else:
                started = time.perf_counter()
                try:
                    result, detail = "held", fault.check(work)
                except Failed as exc:
                    result, detail = ("open", f"{exc} [left to {fault.left_to}]") if fault.left_to else ("failed", str(exc))
                except Exception as exc:  # an attack that crashes the check fails its row
                    result, detail = "failed", f"{type(exc).__name__}: {exc}"
                took = time.perf_counter() - started
            counts[result] += 1
            print(f"{fault.number:<4} {fault.what:<54} {result:<8} {took:5.1f}  {detail}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(", ".join(f"{n} {r}" for r, n in counts.items() if n))
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
