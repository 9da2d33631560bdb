"""Generate large, realistic RIS and PubMed/MEDLINE files for the speed benchmark.

    python benchmarks/generate_bibliography.py 100000 out_dir/

Records look like database exports: 1-12 authors, a ~250-word abstract wrapped over
continuation lines (MEDLINE), keywords, DOIs, page ranges, and the odd quirks real
files have (CRLF in some records, missing fields). A fixed seed makes the same file
every time.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

WORDS = (
    "sex workers health outreach clinic street based indoor migrant women men trans services "
    "violence police law criminalisation harm reduction sexual reproductive mental hiv sti "
    "testing prevention access barriers stigma housing drug use community peer support nhs "
    "yorkshire humber leeds sheffield bradford hull study qualitative survey cohort review "
    "interviews participants findings results methods background conclusions public policy"
).split()
FAMILIES = "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Wright Mc Grath-Lone O'Neil van der Berg García Müller Nowak Khan Ali Chen".split()
GIVEN = "Anna Ben Chloe David Emma Farah Grace Hannah Imran Jack Katie Liam Maya Nadia Omar Priya Rosa Sam Tom Zara".split()
JOURNALS = ("BMC Public Health", "Sexually Transmitted Infections", "Social Science & Medicine", "The Lancet", "Culture, Health & Sexuality")


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def _record(rng: random.Random, i: int) -> dict:
    n_authors = rng.randint(1, 12)
    authors = [(rng.choice(FAMILIES), rng.choice(GIVEN)) for _ in range(n_authors)]
    start = rng.randint(1, 2000)
    return {
        "title": _sentence(rng, rng.randint(6, 18)) + f" ({i})",
        "authors": authors,
        "year": rng.randint(1990, 2025),
        "journal": rng.choice(JOURNALS),
        "volume": str(rng.randint(1, 120)),
        "issue": str(rng.randint(1, 12)),
        "pages": (start, start + rng.randint(1, 30)),
        "doi": f"10.{rng.randint(1000, 9999)}/gen.{i}",
        "pmid": str(10_000_000 + i),
        "abstract": ". ".join(_sentence(rng, rng.randint(10, 25)) for _ in range(rng.randint(8, 14))) + ".",
        "keywords": [rng.choice(WORDS) for _ in range(rng.randint(0, 6))],
    }


def _wrap(text: str, width: int = 82) -> list[str]:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + ([line] if line else [])


def write_ris(path: str | Path, n: int, seed: int = 1) -> Path:
    """``n`` RIS records (Scopus-like tags, one record in 50 with CRLF endings)."""
    rng = random.Random(seed)
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="") as fh:
        for i in range(n):
            r = _record(rng, i)
            end = "\r\n" if i % 50 == 0 else "\n"
            lines = ["TY  - JOUR", f"TI  - {r['title']}"]
            lines += [f"AU  - {family}, {given}" for family, given in r["authors"]]
            lines += [f"PY  - {r['year']}", f"T2  - {r['journal']}", f"VL  - {r['volume']}", f"IS  - {r['issue']}"]
            lines += [f"SP  - {r['pages'][0]}", f"EP  - {r['pages'][1]}", f"DO  - {r['doi']}", f"AB  - {r['abstract']}"]
            lines += [f"KW  - {k}" for k in r["keywords"]]
            lines += ["DB  - Scopus", f"UR  - https://www.scopus.com/inward/record.uri?eid=2-s2.0-{i}", "ER  - ", ""]
            fh.write(end.join(lines) + end)
    return path


def write_medline(path: str | Path, n: int, seed: int = 2) -> Path:
    """``n`` PubMed/MEDLINE records with wrapped abstracts and FAU/AU pairs."""
    rng = random.Random(seed)
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for i in range(n):
            r = _record(rng, i)
            lines = [f"PMID- {r['pmid']}", "OWN - NLM", "STAT- MEDLINE"]
            title = _wrap(r["title"])
            lines.append(f"TI  - {title[0]}")
            lines += [f"      {x}" for x in title[1:]]
            pages = f"{r['pages'][0]}-{str(r['pages'][1])[-2:]}"
            lines += [f"DP  - {r['year']} Mar", f"VI  - {r['volume']}", f"IP  - {r['issue']}", f"PG  - {pages}"]
            abstract = _wrap(r["abstract"])
            lines.append(f"AB  - {abstract[0]}")
            lines += [f"      {x}" for x in abstract[1:]]
            for family, given in r["authors"]:
                lines += [f"FAU - {family}, {given}", f"AU  - {family} {given[0]}"]
            lines += ["LA  - eng", "PT  - Journal Article", f"JT  - {r['journal']}", "TA  - J Gen"]
            lines += [f"OT  - {k}" for k in r["keywords"]]
            lines += [f"AID - {r['doi']} [doi]", f"SO  - {r['journal']}. {r['year']};{r['volume']}({r['issue']}):{pages}.", ""]
            fh.write("\n".join(lines) + "\n")
    return path


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(".")
    out.mkdir(parents=True, exist_ok=True)
    print(write_ris(out / f"generated_{n}.ris", n))
    print(write_medline(out / f"generated_{n}.nbib", n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
