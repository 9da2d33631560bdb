"""Make a labelled deduplication set messier, the way real exports are, keeping its gold labels.

``messy_version(records, groups, seed)`` takes a set in the ASySD/bib-dedupe layout (the
columns of ``records_pre_merged.csv``: ``ID, ENTRYTYPE, author, year, title, journal,
volume, number, pages, abstract, doi, isbn, url``; ``groups`` the duplicate groups of
``merged_record_ids.csv``) and returns a copy in which a share of the records is re-written
with each phenomenon of :data:`PHENOMENA`, plus decoy publications that look alike but are
not the same (front matter repeated across the issues of one volume). The labels stay
true: a re-written record is still the same publication, and every decoy is a publication
of its own whose copies are listed as one group.

The phenomena are general kinds of export, not records of any benchmark:

- citation strings in the wrong field (Ovid/Embase: the whole source in the journal field,
  volume, issue and pages empty; a month in the pages field; a spreadsheet's date for an
  issue range);
- DOI fields holding several identifiers with markers, or a resolver URL, or the DOI only
  in the URL;
- author lists with no separators at all, surname-only lists, group authors and lists cut
  to the first names with "et al.";
- titles that differ only in notation (isotopes, Greek letters spelled or not, HTML and
  MathML remnants, a translated title in brackets, upper case, mojibake, LaTeX accents);
- fields missing on one side (volume, issue, pages, DOI, abstract, journal), and the issue
  year one after the online-first year.

Usage: ``python benchmarks/messy_exports.py SET_DIR OUT_DIR [--seed S] [--share P]``
writes ``records_pre_merged.csv`` and ``merged_record_ids.csv`` to ``OUT_DIR``.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path
from typing import Callable

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "lib"))

from reviewbench.formats.normalise import normalise_author, split_authors  # noqa: E402

COLUMNS = ["ID", "ENTRYTYPE", "author", "year", "title", "journal", "volume", "number", "pages", "abstract", "doi", "isbn", "url"]
MONTHS = "January February March April May June July August September October November December".split()
GREEK = {"alpha": "\u03b1", "beta": "\u03b2", "gamma": "\u03b3", "delta": "\u03b4", "kappa": "\u03ba", "mu": "\u03bc"}
MOJIBAKE = {"\u00e9": "\u00c3\u00a9", "\u00e8": "\u00c3\u00a8", "\u00fc": "\u00c3\u00bc", "\u00f6": "\u00c3\u00b6", "-": "\u00e2\u20ac\u201c"}
LATEX = {"\u00e9": "{\\'e}", "\u00e8": "{\\`e}", "\u00fc": '{\\"u}', "\u00f6": '{\\"o}', "\u00e4": '{\\"a}'}
ISOTOPE = re.compile(r"(?<![\w(])(\d{1,3})([A-Z][a-z]?)(?![a-z])")
FRONT_MATTER = [
    "Editorial introduction", "Editor's comments", "Editorial", "From the editor", "A word from the editors",
    "Letter from the editor-in-chief", "Introduction to this issue", "Guest editorial", "Editor's note",
    "Notes from the editors", "In this issue", "Message from the editor",
]


# --- names -------------------------------------------------------------------------------


def _names(author: str) -> list[tuple[str, str]]:
    """(family, initials) of each author in a raw author string, in order."""
    out = []
    for name in split_authors(re.split(r"\s*;\s*|\s+and\s+", str(author or ""))):
        name = normalise_author(name)
        if not name:
            continue
        family, _, given = name.partition(",")
        initials = "".join(w[0] for w in re.split(r"[\s.\-]+", given.strip()) if w and w[0].isalpha())
        out.append((family.strip(), initials.upper()))
    return out


# --- phenomena: each takes one record (a dict of strings) and a random generator ----------


def ovid_citation(rec: dict, rng: random.Random) -> None:
    """The whole source in the journal field, volume, issue and pages left empty (Ovid/Embase)."""
    if not rec["journal"] or not (rec["volume"] or rec["pages"]):
        return
    month = rng.choice(MONTHS)
    if rng.random() < 0.5:
        rec["journal"] = (
            f"{rec['journal']}.{rec['volume']} ({rec['number']}) ()(pp {rec['pages']}) {rec['year']}."
            f"Date of Publication: {month} {rec['year']}."
        )
    else:
        rec["journal"] = f"{rec['journal']}. {rec['year']} {month[:3]};{rec['volume']}({rec['number']}):{rec['pages']}"
    rec["volume"] = rec["number"] = rec["pages"] = ""


def month_in_pages(rec: dict, rng: random.Random) -> None:
    """A month (or a month and year) where the pages should be."""
    month = rng.choice(MONTHS)
    rec["pages"] = rng.choice([month, month[:3], f"{rec['year']} {month[:3]}", f"{month} {rec['year']}"])


def spreadsheet_issue(rec: dict, rng: random.Random) -> None:
    """An issue range a spreadsheet turned into a date ("5-6" -> "05-Jun")."""
    number = re.fullmatch(r"(\d{1,2})", rec["number"] or "")
    if number and 1 <= int(number.group(1)) <= 11:
        n = int(number.group(1))
        rec["number"] = f"{n:02d}-{MONTHS[n][:3]}"


def doi_with_markers(rec: dict, rng: random.Random) -> None:
    """Several identifiers with their markers in the DOI field."""
    if not rec["doi"]:
        return
    pii = f"S{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}({rng.randint(10, 99)}){rng.randint(10000, 99999)}-{rng.randint(0, 9)}"
    doi = _bare_doi(rec["doi"])
    rec["doi"] = rng.choice([f"{pii} [pii];{doi} [doi]", f"{doi} [doi]", f"{doi} [doi]; PMC{rng.randint(100000, 999999)} [pmc]"])


def doi_as_url(rec: dict, rng: random.Random) -> None:
    """A resolver URL in the DOI field, or the DOI only in the URL field."""
    if not rec["doi"]:
        return
    doi = _bare_doi(rec["doi"])
    if rng.random() < 0.5:
        rec["doi"] = rng.choice(["https://doi.org/", "http://dx.doi.org/", "https://doi.org/"]) + doi.upper()
    else:
        rec["url"] = f"https://doi.org/{doi}"
        rec["doi"] = ""


def authors_without_separators(rec: dict, rng: random.Random) -> None:
    """``SmithJ.A.JonesB.C.``: no space, comma or semicolon between names."""
    names = _names(rec["author"])
    if names:
        rec["author"] = "".join(f"{family.replace(' ', '')}{''.join(i + '.' for i in ini)}" for family, ini in names)


def surnames_only(rec: dict, rng: random.Random) -> None:
    names = _names(rec["author"])
    if names:
        rec["author"] = "; ".join(family for family, _ in names)


def authors_et_al(rec: dict, rng: random.Random) -> None:
    """Only the first few names, then "et al."."""
    names = _names(rec["author"])
    if len(names) > 3:
        keep = names[: rng.randint(1, 3)]
        rec["author"] = "; ".join(f"{f} {i}" for f, i in keep) + rng.choice(["; et al.", " et al.", ", et al"])


def group_author(rec: dict, rng: random.Random) -> None:
    """A group author added in front of, or instead of, the names."""
    group = rng.choice(["Study Group", "Collaborative Group", "Investigators", "Consortium", "Writing Committee"])
    word = (re.findall(r"[A-Za-z]{4,}", rec["title"]) or ["Trial"])[0].upper()
    label = f"{word} {group}"
    rec["author"] = label if rng.random() < 0.3 or not rec["author"] else f"{label}; {rec['author']}"


def isotope_notation(rec: dict, rng: random.Random) -> None:
    """``15N`` written ``(15)N`` or ``<sup>15</sup>N``, and back."""
    title = rec["title"]
    if ISOTOPE.search(title):
        form = rng.choice([r"(\1)\2", r"<sup>\1</sup>\2", r"[\1]\2"])
        rec["title"] = ISOTOPE.sub(form, title)
    elif re.search(r"\((\d{1,3})\)([A-Z])", title):
        rec["title"] = re.sub(r"\((\d{1,3})\)([A-Z])", r"\1\2", title)


def greek_letters(rec: dict, rng: random.Random) -> None:
    """Greek letters spelled out, or spelled names written as letters."""
    title = rec["title"]
    for name, letter in GREEK.items():
        if letter in title:
            title = title.replace(letter, name)
        elif re.search(rf"\b{name}\b", title, re.IGNORECASE):
            title = re.sub(rf"\b{name}\b", letter, title, flags=re.IGNORECASE)
    rec["title"] = title


def markup_remnants(rec: dict, rng: random.Random) -> None:
    """HTML tags, MathML and entities left in the title."""
    words = rec["title"].split()
    if len(words) < 3:
        return
    k = rng.randrange(len(words))
    word = words[k]
    words[k] = rng.choice(
        [
            f"<i>{word}</i>",
            f"<em>{word}</em>",
            f'<mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:mi>{word}</mml:mi></mml:math>',
            f"<span class=\"a\">{word}</span>",
        ]
    )
    title = " ".join(words)
    if rng.random() < 0.5:
        title = title.replace("&", "&amp;").replace(" and ", " &amp; ")
    rec["title"] = title


def translated_title(rec: dict, rng: random.Random) -> None:
    """A translated title in square brackets, often with the original language named."""
    title = rec["title"].rstrip(".")
    rec["title"] = rng.choice([f"[{title}]", f"[{title}]. [Article in German]", f"{title} [Article in French]", f"[{title}]."])


def case_and_encoding(rec: dict, rng: random.Random) -> None:
    """Upper case, a trailing period, mojibake or LaTeX accents."""
    choice = rng.random()
    if choice < 0.4:
        rec["title"] = rec["title"].upper()
    elif choice < 0.6:
        rec["title"] = rec["title"].rstrip(".") + "."
    table = MOJIBAKE if choice < 0.8 else LATEX
    for field in ("title", "author"):
        rec[field] = "".join(table.get(c, c) for c in rec[field])


def missing_fields(rec: dict, rng: random.Random) -> None:
    """One database leaves out some of volume, issue, pages, DOI, abstract or journal."""
    for field, p in (("volume", 0.4), ("number", 0.5), ("pages", 0.4), ("doi", 0.5), ("abstract", 0.4), ("journal", 0.1)):
        if rng.random() < p:
            rec[field] = ""


def online_first_year(rec: dict, rng: random.Random) -> None:
    """The issue year one after the online-first year another database gives."""
    if rec["year"].isdigit():
        rec["year"] = str(int(rec["year"]) + 1)


PHENOMENA: list[tuple[str, Callable[[dict, random.Random], None]]] = [
    ("ovid_citation", ovid_citation),
    ("month_in_pages", month_in_pages),
    ("spreadsheet_issue", spreadsheet_issue),
    ("doi_with_markers", doi_with_markers),
    ("doi_as_url", doi_as_url),
    ("authors_without_separators", authors_without_separators),
    ("surnames_only", surnames_only),
    ("authors_et_al", authors_et_al),
    ("group_author", group_author),
    ("isotope_notation", isotope_notation),
    ("greek_letters", greek_letters),
    ("markup_remnants", markup_remnants),
    ("translated_title", translated_title),
    ("case_and_encoding", case_and_encoding),
    ("missing_fields", missing_fields),
    ("online_first_year", online_first_year),
]


def _bare_doi(doi: str) -> str:
    match = re.search(r"10\.\d{4,9}/\S+", doi)
    return match.group(0).rstrip(".;,") if match else doi


# --- decoys: different publications that look alike ---------------------------------------


def front_matter_series(table: pd.DataFrame, rng: random.Random, n_series: int, start_id: int) -> tuple[list[dict], list[list[str]]]:
    """Front matter by one editor in several issues of one volume, each issue's item exported 1-3 times.

    Every item has its own DOI and first page. Its first copy is complete (one database
    gives everything); the others lose fields as exports do, down to a bare record with
    neither DOI, issue nor pages, which no field can place in an issue.
    """
    rows: list[dict] = []
    groups: list[list[str]] = []
    candidates = table[(table["journal"] != "") & table["volume"].str.fullmatch(r"\d+") & table["year"].str.fullmatch(r"\d{4}")]
    if candidates.empty:
        return rows, groups
    next_id = start_id
    for s in range(n_series):
        base = candidates.iloc[rng.randrange(len(candidates))]
        editors = _names(base["author"])[:2] or [("Editor", "A")]
        title = rng.choice(FRONT_MATTER)
        prefix = f"10.{rng.randint(1000, 9999)}/fm{s}"
        first = rng.randint(1, 50)
        for issue in range(1, rng.randint(2, 4) + 1):
            page = first + 100 * issue
            item = {
                "ENTRYTYPE": "article", "year": base["year"], "title": title, "journal": base["journal"],
                "volume": base["volume"], "number": str(issue), "pages": f"{page}-{page + 1}",
                "abstract": "", "doi": f"{prefix}.{base['year']}.{issue:02d}", "isbn": "", "url": "",
                "author": "; ".join(f"{f}, {i}" for f, i in editors),
            }
            members = []
            for n_copy in range(rng.randint(1, 3)):
                copy = dict(item)
                dropped = [] if n_copy == 0 else rng.sample(["doi", "number", "pages"], k=rng.randint(1, 3))
                for field in dropped:
                    copy[field] = ""
                if rng.random() < 0.3:
                    copy["title"] = copy["title"].upper()
                if rng.random() < 0.3:
                    copy["author"] = "".join(f"{f}{''.join(c + '.' for c in i)}" for f, i in editors)
                copy["ID"] = f"decoy_{next_id:06d}"
                next_id += 1
                members.append(copy["ID"])
                rows.append(copy)
            if len(members) > 1:
                groups.append(members)
    return rows, groups


def messy_version(
    records: pd.DataFrame, groups: list[list[str]], seed: int = 0, share: float = 0.08, decoys: int | None = None
) -> tuple[pd.DataFrame, list[list[str]]]:
    """A copy of ``records`` with each phenomenon applied to ``share`` of the records, plus decoys.

    The phenomena are drawn independently per record, so a record may carry several. The
    gold groups are kept and the decoy groups added.
    """
    rng = random.Random(seed)
    table = records.reindex(columns=COLUMNS).fillna("").astype(str)
    rows = table.to_dict("records")
    for rec in rows:
        for _, phenomenon in PHENOMENA:
            if rng.random() < share:
                phenomenon(rec, rng)
    n_series = decoys if decoys is not None else max(3, len(rows) // 500)
    extra, extra_groups = front_matter_series(table, rng, n_series, start_id=1)
    out = pd.DataFrame(rows + extra, columns=COLUMNS)
    return out, [list(g) for g in groups] + extra_groups


def read_set(folder: Path) -> tuple[pd.DataFrame, list[list[str]]]:
    records = pd.read_csv(folder / "records_pre_merged.csv", dtype=str, keep_default_na=False)
    gold = pd.read_csv(folder / "merged_record_ids.csv", dtype=str)
    return records, [s.split(";") for s in gold["merged_ids"].dropna()]


def write_set(records: pd.DataFrame, groups: list[list[str]], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    records.to_csv(folder / "records_pre_merged.csv", index=False)
    pd.DataFrame({"merged_ids": [";".join(g) for g in groups]}).to_csv(folder / "merged_record_ids.csv", index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("set_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--share", type=float, default=0.08, help="share of records each phenomenon re-writes")
    args = parser.parse_args()
    records, groups = read_set(args.set_dir)
    messy, messy_groups = messy_version(records, groups, seed=args.seed, share=args.share)
    write_set(messy, messy_groups, args.out_dir)
    print(f"{len(messy)} records ({len(messy) - len(records)} decoys), {len(messy_groups)} duplicate groups -> {args.out_dir}")


if __name__ == "__main__":
    main()
