"""Generate a synthetic, labelled deduplication corpus with the variation seen in real exports.

Writes ``records_pre_merged.csv`` (the column names of the ASySD benchmark files: ``ID,
ENTRYTYPE, author, year, title, journal, volume, number, pages, abstract, doi, isbn,
url``) and ``merged_record_ids.csv`` (one row per duplicate group, ids joined by ``;``).

Each publication is exported by one to four "databases" that format it differently:
title case, trailing periods, HTML tags, Greek letters, bracketed translated titles,
typos; authors as ``Family, G.``, ``Family GI``, EndNote-concatenated ``Family G.Other H.``
or ``Given Family``, sometimes truncated; journal names in full or abbreviated; pages as
``221-228``, ``221-8`` or ``221``; DOIs with resolver prefixes or upper case, or missing;
online-first years one off. Hard non-duplicates are mixed in: errata, conference
abstracts of later papers, generic titles ("Editorial") and numbered series ("Part 2").

Usage: ``python benchmarks/generate_dedup_corpus.py N OUT_DIR [--seed S]``
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

COLUMNS = ["ID", "ENTRYTYPE", "author", "year", "title", "journal", "volume", "number", "pages", "abstract", "doi", "isbn", "url"]
SYLLABLES = [
    "ab", "ac", "al", "an", "ar", "ba", "be", "bi", "ca", "ce", "ci", "co", "da", "de", "di", "do", "el", "en",
    "er", "fa", "fe", "fi", "ga", "ge", "gi", "go", "ha", "he", "hi", "in", "is", "ka", "ke", "ki", "ko", "la",
    "le", "li", "lo", "lu", "ma", "me", "mi", "mo", "mu", "na", "ne", "ni", "no", "nu", "or", "pa", "pe", "pi",
    "po", "ra", "re", "ri", "ro", "ru", "sa", "se", "si", "so", "ta", "te", "ti", "to", "tu", "un", "va", "ve",
    "vi", "za", "zo", "tra", "pro", "con", "sta", "ver", "gen", "ter", "lin", "mon", "car", "dia", "neu", "hep",
]
STOP = ["of", "the", "and", "in", "with", "for", "on", "after", "among", "during", "versus", "a"]
GREEK = {"alpha": "\u03b1", "beta": "\u03b2", "gamma": "\u03b3", "kappa": "\u03ba"}
GENERIC = ["Editorial", "Reply", "Untitled", "Letter to the editor", "In this issue", "Commentary"]


def _word(rng: random.Random, lo: int, hi: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(lo, hi)))


class Vocabulary:
    """Words, surnames and journals drawn once per corpus (Zipf-like reuse makes collisions)."""

    def __init__(self, rng: random.Random, size: int) -> None:
        self.words = sorted({_word(rng, 2, 4) for _ in range(max(2000, size // 20))}) + list(GREEK)
        self.surnames = sorted({_word(rng, 2, 3).capitalize() for _ in range(max(500, size // 10))})
        self.journals = []
        for _ in range(max(100, size // 400)):
            words = [_word(rng, 2, 4).capitalize() for _ in range(rng.randint(1, 4))]
            full = " ".join(["Journal", "of"] + words) if rng.random() < 0.5 else " ".join(words)
            short = full.replace("Journal of", "J").split()
            abbrev = " ".join(w[: rng.randint(3, 5)] if len(w) > 5 else w for w in short)
            self.journals.append((full, abbrev, rng.randint(1000, 99999)))

    @staticmethod
    def pick(rng: random.Random, items: list, skew: float = 2.5):
        """A few items are common, most are rare (as words, surnames and journals are)."""
        return items[int(len(items) * rng.random() ** skew)]


def _publication(rng: random.Random, vocab: Vocabulary, n: int) -> dict:
    words = [vocab.pick(rng, vocab.words) for _ in range(rng.randint(5, 16))]
    for k in range(1, len(words) - 1, 3):
        if rng.random() < 0.5:
            words[k] = rng.choice(STOP)
    title = " ".join(words).capitalize()
    authors = [(vocab.pick(rng, vocab.surnames), "".join(rng.choice("ABCDEFGHJKLMNPRSTW") for _ in range(rng.randint(1, 2))))
               for _ in range(rng.randint(1, 10))]
    journal = vocab.pick(rng, vocab.journals)
    year = rng.randint(1985, 2024)
    start = rng.randint(1, 3000)
    return {
        "title": title,
        "authors": authors,
        "journal": journal,
        "year": year,
        "volume": str(max(1, year - 1980 + rng.randint(-3, 3))),
        "number": str(rng.randint(1, 12)),
        "pages": (start, start + rng.randint(3, 20)),
        "doi": f"10.{journal[2]}/{journal[1].split()[0].lower()}.{year}.{n:07d}" if rng.random() < 0.75 else "",
        "abstract": " ".join(vocab.pick(rng, vocab.words) for _ in range(rng.randint(20, 60))).capitalize() + ".",
        "type": "article",
    }


def _authors_text(rng: random.Random, authors: list[tuple[str, str]]) -> str:
    style = rng.random()
    if rng.random() < 0.1 and len(authors) > 3:
        authors = authors[:3]
    if style < 0.3:
        return " and ".join(f"{f}, {' '.join(i + '.' for i in ini)}" for f, ini in authors)
    if style < 0.55:
        return "; ".join(f"{f} {ini}" for f, ini in authors)
    if style < 0.85:  # EndNote/Embase: names run together after the initials
        return "".join(f"{f} {' '.join(i + '.' for i in ini)}" for f, ini in authors)
    return "; ".join(f"{ini[0]}. {f}" for f, ini in authors)


def _title_text(rng: random.Random, title: str) -> str:
    r = rng.random()
    if r < 0.15:
        title = title.title()
    elif r < 0.2:
        title = title.upper()
    if rng.random() < 0.3:
        title += "."
    if rng.random() < 0.05:
        words = title.split()
        k = rng.randrange(len(words))
        words[k] = f"<i>{words[k]}</i>"
        title = " ".join(words)
    if rng.random() < 0.5:
        for name, letter in GREEK.items():
            title = title.replace(f" {name} ", f" {letter} ")
    if rng.random() < 0.03:
        title = f"[{title}]"
    if rng.random() < 0.04 and len(title) > 30:  # a typo
        k = rng.randrange(5, len(title) - 5)
        title = title[:k] + title[k + 1] + title[k] + title[k + 2 :]
    return title


def _short_end(start: int, end: int) -> str:
    """The last page as journals abbreviate it: 221-228 -> "8"."""
    s, e = str(start), str(end)
    if len(s) != len(e):
        return e
    k = 0
    while k < len(e) - 1 and s[k] == e[k]:
        k += 1
    return e[k:]


def _export(rng: random.Random, pub: dict) -> dict:
    """One database's record of a publication."""
    full, abbrev, _ = pub["journal"]
    start, end = pub["pages"]
    pages_style = rng.random()
    pages = f"{start}-{end}" if pages_style < 0.5 else (f"{start}-{_short_end(start, end)}" if pages_style < 0.9 else str(start))
    doi = pub["doi"]
    if doi and rng.random() < 0.3:
        doi = rng.choice(["https://doi.org/", "http://dx.doi.org/", "doi:"]) + (doi.upper() if rng.random() < 0.5 else doi)
    if rng.random() < 0.2:
        doi = ""
    year = pub["year"] + (1 if rng.random() < 0.05 else 0)  # issue year after online-first
    return {
        "ENTRYTYPE": pub["type"],
        "author": _authors_text(rng, pub["authors"]),
        "year": str(year),
        "title": _title_text(rng, pub["title"]),
        "journal": (full if rng.random() < 0.5 else abbrev) if rng.random() < 0.97 else "",
        "volume": pub["volume"] if rng.random() < 0.95 else "",
        "number": pub["number"] if rng.random() < 0.7 else "",
        "pages": pages if rng.random() < 0.92 else "",
        "abstract": pub["abstract"] if rng.random() < 0.85 else "",
        "doi": doi,
        "isbn": "",
        "url": "",
    }


def _hard_negative(rng: random.Random, pub: dict, vocab: Vocabulary, n: int) -> dict:
    """A different publication that looks like ``pub``: erratum, abstract, generic or series part."""
    other = dict(pub)
    kind = rng.random()
    start = rng.randint(1, 3000)
    other["pages"] = (start, start + 1)
    other["doi"] = f"{pub['doi']}.e" if pub["doi"] else ""
    if kind < 0.3:
        other["title"] = f"Erratum: {pub['title']}"
        other["year"] = pub["year"] + rng.randint(0, 1)
    elif kind < 0.55:
        other["title"] = pub["title"]
        other["year"] = pub["year"] - 1
        other["journal"] = vocab.pick(rng, vocab.journals)
        other["volume"] = f"{rng.randint(1, 60)} (Suppl 1)"
        other["pages"] = (rng.randint(1, 900), 0)
        other["doi"] = ""
        other["type"] = "article"
    elif kind < 0.8:
        other["title"] = rng.choice(GENERIC)
        other["authors"] = [(vocab.pick(rng, vocab.surnames), "A")]
    else:
        other["title"] = f"{pub['title']} Part 2"
        other["volume"] = str(int(pub["volume"]) + 1)
    return other


def generate(n_records: int, seed: int = 0) -> tuple[list[dict], list[list[str]]]:
    """``n_records`` records and the duplicate groups (lists of ids)."""
    rng = random.Random(seed)
    vocab = Vocabulary(rng, n_records)
    rows: list[dict] = []
    groups: list[list[str]] = []
    n = 0
    while len(rows) < n_records:
        pub = _publication(rng, vocab, n)
        n += 1
        copies = rng.choices([1, 2, 3, 4], weights=[50, 30, 15, 5])[0]
        ids = []
        for _ in range(min(copies, n_records - len(rows))):
            rec = _export(rng, pub)
            rec["ID"] = f"syn_{len(rows) + 1:07d}"
            rows.append(rec)
            ids.append(rec["ID"])
        if len(ids) > 1:
            groups.append(ids)
        if rng.random() < 0.04 and len(rows) < n_records:
            rec = _export(rng, _hard_negative(rng, pub, vocab, n))
            rec["ID"] = f"syn_{len(rows) + 1:07d}"
            rows.append(rec)
    order = list(range(len(rows)))
    rng.shuffle(order)
    return [rows[k] for k in order], groups


def write_corpus(n_records: int, out_dir: str | Path, seed: int = 0) -> Path:
    """Write the corpus files into ``out_dir`` and return the records file."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows, groups = generate(n_records, seed)
    path = out / "records_pre_merged.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)
    with open(out / "merged_record_ids.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL)
        writer.writerow(["merged_ids"])
        writer.writerows([[";".join(g)] for g in groups])
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of records")
    parser.add_argument("out_dir", help="folder to write the two CSV files into")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    path = write_corpus(args.n, args.out_dir, args.seed)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
