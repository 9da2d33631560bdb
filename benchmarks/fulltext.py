"""Full texts: PDFs generated for the example's included studies, linked by ``reviewbench fulltext link``.

For every record the example review includes at title/abstract, a PDF is generated (the
test suite's small PDF writer, ``tests/fulltext/pdfgen.py``): a first page with a
running head, the journal line, the title as typesetting leaves it (broken into lines,
words hyphenated at line ends, ``fi``/``fl`` ligatures, sometimes in capitals), authors
and a two-column body, then two more pages of two-column text. A share of the PDFs has
the record's DOI on the first page; the rest can be matched by title only. PDFs of
records *excluded* at title/abstract are added as distractors: they must be flagged
(unmatched), never linked. ``reviewbench fulltext link`` is run on the folder (a child
process, as a user runs it) and its rows are scored against the truth.

Then extraction speed: a 500-page two-column PDF read with the cache off (target <= 30 s).

``--calibrate`` chooses the title threshold out of sample, on generated titles only (no
record of the example): four sets of noise (line breaks and hyphenation; ligatures and
capitals; a running head and journal line; dropped and doubled letters, as from a poor
text layer), each PDF's true record among 60 candidates of similar titles, and as many
PDFs whose record is not a candidate (none holding a candidate's whole title). Leaving
one set out, the threshold is the lowest (in whole points) with no wrong link on the
other three sets; the table shows, for each held-out set, recall and wrong links at
that threshold beside the in-sample figures at the threshold chosen on all four.

Usage: ``python benchmarks/fulltext.py [--seed N] [--doi-share 0.5] [--calibrate] [--keep DIR]``.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "lib"))
sys.path.insert(0, str(ROOT / "tests" / "fulltext"))

import pandas as pd  # noqa: E402
from pdfgen import Page, Text, one_column, pdf_bytes, two_columns, wrap  # noqa: E402

from reviewbench.fulltext import match as match_module  # noqa: E402
from reviewbench.fulltext.extract import PageText, PdfText, read_pdf  # noqa: E402
from reviewbench.fulltext.text import key  # noqa: E402

FILLER = ("Participants were recruited through outreach services and community organisations. Interviews "
          "were recorded, transcribed and coded by two researchers; disagreements were discussed until "
          "agreement was reached. Access to services depended on opening hours, trust in staff and the "
          "fear of being identified. ")


def typeset_title(title: str, rng: random.Random) -> list[str]:
    """``title`` as a typesetter leaves it: lines of a random width, some words hyphenated
    at line ends, ligature glyphs, now and then in capitals."""
    width = rng.randint(28, 60)
    lines = wrap(title, width)
    out = []
    for i, line in enumerate(lines):
        if i + 1 < len(lines) and rng.random() < 0.5:
            nxt = lines[i + 1].split(" ", 1)
            word = nxt[0]
            if len(word) > 5:
                cut = rng.randint(2, len(word) - 3)
                line = f"{line} {word[:cut]}-"
                lines[i + 1] = word[cut:] + (" " + nxt[1] if len(nxt) > 1 else "")
        out.append(line)
    out = [line.replace("fi", "\ufb01").replace("fl", "\ufb02") for line in out]
    if rng.random() < 0.15:
        out = [line.upper() for line in out]
    return out


def first_page(title: str, doi: str, rng: random.Random, journal: str) -> Page:
    head = rng.choice(["ORIGINAL ARTICLE", "Research", f"{journal} {rng.randint(1995, 2023)}; {rng.randint(1, 60)}: "
                       f"{rng.randint(1, 900)}-{rng.randint(901, 999)}", "Open Access"])
    texts = [Text(56, 800, head, 8), Text(400, 800, "Page 1 of 12", 8)]
    texts += one_column(typeset_title(title, rng), top=760, size=15, x=56)
    y = 760 - 15 * 1.3 * len(texts) - 10
    texts.append(Text(56, y, "Ann Author, Ben Writer and Cas Third", 10))
    if doi:
        texts.append(Text(56, y - 14, rng.choice(["DOI: ", "doi:", "https://doi.org/"]) + doi, 8))
    body = wrap(FILLER * 4, 48)
    texts += two_columns(body[:30], body[30:60], top=y - 40, size=9)
    return Page(texts)


def body_page(rng: random.Random) -> Page:
    body = wrap(FILLER * 12, 48)
    return Page(two_columns(body[:55], body[55:110], top=780, size=9))


def make_pdfs(project_root: Path, folder: Path, doi_share: float, seed: int) -> dict[str, tuple[str, str]]:
    """Write the PDFs; return PDF name -> (true record id or "" for a distractor, "doi"/"title"/"distractor")."""
    from reviewbench.pipeline import deduplicate_project, screening_records
    from reviewbench.project import open_project

    rng = random.Random(seed)
    project = open_project(project_root)
    included, _clusters = screening_records(project, "full_text")
    _c, unique = deduplicate_project(project)
    excluded = unique[~unique["record_id"].isin(set(included["record_id"]))]
    truth = {}
    folder.mkdir(parents=True, exist_ok=True)
    rows = included.fillna("").to_dict("records")
    with_doi = [r for r in rows if r["doi"]]
    rng.shuffle(with_doi)
    doi_ids = {r["record_id"] for r in with_doi[: round(doi_share * len(rows))]}
    for i, rec in enumerate(rows):
        by_doi = rec["record_id"] in doi_ids
        name = f"study-{i:03d}.pdf"
        pages = [first_page(rec["title"], rec["doi"] if by_doi else "", rng, rec.get("journal") or "J Health"), body_page(rng), body_page(rng)]
        (folder / name).write_bytes(pdf_bytes(pages))
        truth[name] = (rec["record_id"], "doi" if by_doi else "title")
    for i, rec in enumerate(excluded.fillna("").head(10).to_dict("records")):
        name = f"other-{i:03d}.pdf"
        (folder / name).write_bytes(pdf_bytes([first_page(rec["title"], rec["doi"], rng, "J Other"), body_page(rng)]))
        truth[name] = ("", "distractor")
    return truth


def run_link(project_root: Path, folder: Path) -> tuple[list[dict[str, str]], float]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "reviewbench", "fulltext", "link", str(folder), "--project", str(project_root)],
                          capture_output=True, text=True, cwd=project_root, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"fulltext link failed ({done.returncode}): {done.stderr}")
    return list(csv.DictReader(io.StringIO(done.stdout))), elapsed


def score(rows: list[dict[str, str]], truth: dict[str, tuple[str, str]]) -> pd.DataFrame:
    tally = {k: {"PDFs": 0, "correct": 0, "flagged": 0, "wrong": 0} for k in ("doi", "title", "distractor")}
    for row in rows:
        want, kind = truth[Path(row["pdf"]).name]
        t = tally[kind]
        t["PDFs"] += 1
        if row["method"] in ("ambiguous", "unmatched", "unreadable"):
            t["flagged"] += 1 if want else 0
            t["correct"] += 0 if want else 1
        elif row["record_id"] == want:
            t["correct"] += 1
        else:
            t["wrong"] += 1
    out = pd.DataFrame(tally).T
    out["correct %"] = (100 * out["correct"] / out["PDFs"]).round(1)
    target = {"doi": "all correct", "title": ">= 95% correct", "distractor": "all flagged, 0 wrong"}
    out["target"] = [target[k] for k in out.index]
    out.index = ["DOI in the text", "title only", "not included (distractor)"]
    return out


def extraction_speed(tmp: Path, pages: int = 500) -> float:
    rng = random.Random(1)
    path = tmp / "long.pdf"
    path.write_bytes(pdf_bytes([body_page(rng) for _ in range(pages)]))
    start = time.perf_counter()
    text = read_pdf(path, cache_dir=None)
    elapsed = time.perf_counter() - start
    assert len(text.pages) == pages and all(p.has_text for p in text.pages)
    return elapsed


# --------------------------------------------------------------------------- calibration

WORDS = {
    "outcome": ["Health needs", "Access to services", "Mental health", "Sexual health", "Drug use", "Violence",
                "Barriers to care", "Wellbeing", "Service use", "HIV testing", "Housing", "Stigma"],
    "population": ["street-based sex workers", "indoor sex workers", "migrant women", "people who sell sex",
                   "young people", "older adults", "homeless men", "women who use drugs", "transgender people"],
    "setting": ["a northern city", "London", "rural areas", "three English cities", "outreach clinics",
                "general practice", "emergency departments", "the community"],
    "design": ["a qualitative study", "a cross-sectional survey", "a cohort study", "a systematic review",
               "a mixed-methods evaluation", "an interview study", "a pilot trial"],
}


def synthetic_titles(rng: random.Random, n: int) -> list[str]:
    titles: set[str] = set()
    while len(titles) < n:
        t = f"{rng.choice(WORDS['outcome'])} among {rng.choice(WORDS['population'])} in {rng.choice(WORDS['setting'])}"
        titles.add(t + (f": {rng.choice(WORDS['design'])}" if rng.random() < 0.7 else ""))
    return sorted(titles)


def _typos(line: str, rng: random.Random) -> str:
    chars = list(line)
    for _ in range(max(1, len(chars) // 40)):
        i = rng.randrange(len(chars))
        chars[i] = "" if rng.random() < 0.5 else chars[i] * 2
    return "".join(chars)


def _hyphenated(title: str, rng: random.Random) -> list[str]:
    lines = wrap(title, rng.randint(20, 35))
    return [line + ("-" if i + 1 < len(lines) and rng.random() < 0.5 else "") for i, line in enumerate(lines)]


NOISE = {
    "line breaks + hyphenation": lambda t, rng: _hyphenated(t, rng),
    "ligatures + capitals": lambda t, rng: [t.replace("fi", "\ufb01").replace("fl", "\ufb02").upper()],
    "running head + journal line": lambda t, rng: ["J Health Res (2020) 7:1-12  ORIGINAL RESEARCH", t, "Open access"],
    "dropped/doubled letters": lambda t, rng: [_typos(t, rng)],
}


def _calibration_texts(seed: int) -> dict[str, tuple[pd.DataFrame, list[tuple[str, PdfText]]]]:
    """Per noise set: the 60 candidates and the PDFs' texts with their true record ("" when not a candidate)."""
    rng = random.Random(seed)
    titles = synthetic_titles(rng, 240)
    out = {}
    for name, noise in NOISE.items():
        rng.shuffle(titles)
        chosen = titles[:60]
        keys = [key(t) for t in chosen]
        # a PDF whose record is not a candidate, and whose title holds no candidate's whole
        # title (that case, a protocol's title inside its paper's, is a match by design)
        others = [t for t in titles[60:] if not any(k in key(t) or key(t) in k for k in keys)][:60]
        candidates = pd.DataFrame({"record_id": [f"c{i}" for i in range(60)], "title": chosen, "doi": "", "pmid": ""})
        pdfs = []
        for truth, title in [*((f"c{i}", t) for i, t in enumerate(chosen)), *(("", t) for t in others)]:
            lines = [*noise(title, rng), "Ann Author, Ben Writer", *wrap(FILLER, 90)]
            pdfs.append((truth, PdfText("0" * 64, (PageText(1, tuple(lines), ("",) * len(lines)),))))
        out[name] = (candidates, pdfs)
    return out


def _evaluate(data: tuple[pd.DataFrame, list[tuple[str, PdfText]]], threshold: float) -> tuple[float, int]:
    """(recall % of PDFs whose record is a candidate, wrong links) at ``threshold``."""
    candidates, pdfs = data
    saved = match_module.TITLE_THRESHOLD
    match_module.TITLE_THRESHOLD = threshold
    try:
        got = [(truth, match_module.propose_one("x.pdf", text, candidates)) for truth, text in pdfs]
    finally:
        match_module.TITLE_THRESHOLD = saved
    linked = [(truth, p.record_id) for truth, p in got if p.method == "title"]
    found = sum(1 for truth, rid in linked if truth and rid == truth)
    wrong = sum(1 for truth, rid in linked if rid != truth)
    return 100 * found / sum(1 for truth, _ in pdfs if truth), wrong


def _choose(sets: list[tuple[pd.DataFrame, list[tuple[str, PdfText]]]]) -> float:
    """The lowest threshold (in steps of one point, from the ambiguous floor) with no wrong link on ``sets``."""
    for threshold in range(int(match_module.AMBIGUOUS_FLOOR), 101):
        if all(_evaluate(data, float(threshold))[1] == 0 for data in sets):
            return float(threshold)
    return 100.0


def calibrate(seed: int) -> None:
    sets = _calibration_texts(seed)
    in_sample = _choose(list(sets.values()))
    table = []
    for name, data in sets.items():
        held = _choose([d for other, d in sets.items() if other != name])
        recall, wrong = _evaluate(data, held)
        recall_in, wrong_in = _evaluate(data, in_sample)
        table.append({"held-out set": name, "threshold chosen without it": held, "held-out recall %": round(recall, 1),
                      "held-out wrong": wrong, "in-sample recall %": round(recall_in, 1), "in-sample wrong": wrong_in})
    print(f"Title threshold, leave one noise set out (seed {seed}; 60 candidates and 60 non-candidate PDFs per set; "
          f"margin {match_module.TITLE_MARGIN}). Chosen on all four sets (in-sample): {in_sample}; "
          f"in use: {match_module.TITLE_THRESHOLD}")
    print(pd.DataFrame(table).to_string(index=False))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--doi-share", type=float, default=0.5, help="share of the PDFs with the DOI in the text")
    parser.add_argument("--calibrate", action="store_true", help="choose the title threshold out of sample")
    parser.add_argument("--keep", type=Path, help="work in this folder and leave it")
    args = parser.parse_args()
    if args.calibrate:
        calibrate(args.seed)
        return 0
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="rb-fulltext-"))
    try:
        project = tmp / "example"
        if not project.exists():
            subprocess.run([sys.executable, "-m", "reviewbench", "init", str(project), "--example"], check=True,
                           capture_output=True)
        folder = project / "fulltext"
        shutil.rmtree(folder, ignore_errors=True)
        truth = make_pdfs(project, folder, args.doi_share, args.seed)
        rows, elapsed = run_link(project, folder)
        table = score(rows, truth)
        seconds = extraction_speed(tmp)
        print(f"reviewbench fulltext link on {len(rows)} generated PDFs of the example review (seed {args.seed}, "
              f"DOI share {args.doi_share}): {elapsed:.1f} s")
        print(table.to_string())
        print(f"\nExtraction of 500 pages (two columns, cache off): {seconds:.1f} s (target <= 30 s)")
        ok = table.loc["DOI in the text", "correct"] == table.loc["DOI in the text", "PDFs"] \
            and table.loc["title only", "correct %"] >= 95 and table["wrong"].sum() == 0 and seconds <= 30
        print("all targets met" if ok else "a target is missed")
        return 0 if ok else 1
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
