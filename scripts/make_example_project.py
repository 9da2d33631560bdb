"""Build the embedded example review's search exports and screening logs.

The example (health and wellbeing needs of sex workers in Yorkshire and the Humber) is
built from the verified reference list in the project's shared domain notes
(``references.csv``: 71 real references, metadata only, no abstracts). Four search
exports are written as their databases would: PubMed (MEDLINE), Scopus (RIS), CINAHL
(BibTeX) and a hand search of grey literature (CSV), overlapping as real searches do and
with the variation seen when the references were verified (author formats, title case,
missing or upper-case DOIs, resolver prefixes, online-first years, a renamed journal,
LaTeX accents). Screening decisions by two reviewers, conflicts and their resolution are
illustrative: they follow the eligibility criteria in ``evidence/review.yml`` but were
written for the example, not made by a real review team.

Run from the repository root::

    python scripts/make_example_project.py ../shared/data/domain/references.csv

It overwrites ``bibliography/`` exports and the example's screening logs, so it is for
rebuilding the example only, never for a real review.
"""

from __future__ import annotations

import argparse
import random
import re
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
SEED = 20220601

HEALTH_JOURNALS = (
    "Sexually Transmitted", "BMJ", "Lancet", "PLOS", "Journal of Public Health", "British Journal of General",
    "BJOG", "BMC", "Eurosurveillance", "Health and Social Care", "Nursing Times", "Public Health",
    "American Journal", "JAIDS", "AIDS", "International Journal of Environmental", "Journal of Sex Research",
    "Social Science & Medicine", "Scandinavian", "Scientific Reports", "Sociology of Health",
    "International Journal of Drug Policy",
)
ABBREVIATIONS = {
    "Sexually Transmitted Infections": "Sex Transm Infect",
    "BMJ Open": "BMJ Open",
    "The Lancet": "Lancet",
    "Journal of Public Health": "J Public Health (Oxf)",
    "British Journal of General Practice": "Br J Gen Pract",
    "PLOS Medicine": "PLoS Med",
    "PLOS ONE": "PLoS One",
    "American Journal of Public Health": "Am J Public Health",
    "The Lancet Infectious Diseases": "Lancet Infect Dis",
    "BMC Health Services Research": "BMC Health Serv Res",
    "Public Health": "Public Health",
}
# Online-first year differs from the issue year (as seen when the references were verified).
SCOPUS_YEAR = {20: 2022, 28: 2012, 33: 2015, 43: 2022, 47: 2014, 49: 2014}
RENAMED_JOURNAL = {13: "BMC Primary Care"}

# Title/abstract truth: index -> exclusion reason (every other reference is included).
TA_EXCLUDE = {
    2: "not_sex_work_population", 5: "no_primary_data", 23: "no_primary_data", 24: "no_primary_data",
    44: "no_primary_data", 45: "no_primary_data", 48: "no_primary_data", 54: "lmic_only",
    55: "non_uk_setting", 63: "non_uk_setting", 64: "non_uk_setting", 65: "non_uk_setting",
    67: "non_uk_setting", 69: "lmic_only",
}
# Where the two title/abstract reviewers first disagreed: index -> (alex, sam) decisions.
TA_CONFLICTS = {
    2: ("include", "exclude"), 14: ("include", "exclude"), 35: ("maybe", "include"),
    44: ("maybe", "exclude"), 59: ("include", "exclude"), 67: ("include", "exclude"),
}
NOT_RETRIEVED = {6: "thesis not available from the awarding university", 41: "thesis under embargo"}
FT_EXCLUDE = {
    14: "no_primary_data", 17: "no_primary_data", 40: "no_primary_data", 47: "lmic_only",
    61: "non_uk_setting", 68: "no_primary_data",
}
FT_CONFLICTS = {40: ("include", "exclude"), 70: ("exclude", "include")}


def _s(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = str(value).strip()
    return text[:-2] if re.fullmatch(r"\d+\.0", text) else text


def load_references(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str).fillna("")
    df["authors_list"] = [
        [a.strip() for a in s.split(";") if a.strip() and a.strip() != "et al."] for s in df["authors"]
    ]
    df["kind"] = [
        "report" if j.startswith("Report") else "thesis" if "thesis" in j.lower()
        else "book" if j.startswith("Book") else "chapter" if j.startswith("In:") else "article"
        for j in df["journal"]
    ]
    return df


def split_initials(name: str) -> tuple[str, str]:
    """``"Mc Grath-Lone L"`` -> (``"Mc Grath-Lone"``, ``"L"``); organisations stay whole."""
    parts = name.rsplit(" ", 1)
    if len(parts) == 2 and re.fullmatch(r"[A-Z][A-Z-]*", parts[1]):
        return parts[0], parts[1]
    return name, ""


def dotted(initials: str) -> str:
    return "".join(f"{c}." if c.isalpha() else c for c in initials)


def pages(row: pd.Series) -> tuple[str, str]:
    p = _s(row["pages"])
    if "-" in p:
        a, b = p.split("-", 1)
        return a, b
    return p, ""


def medline(df: pd.DataFrame) -> str:
    out = []
    for _, r in df.iterrows():
        lines = []
        pmid = re.search(r"(?:PubMed|PMID)[ :]*(\d{7,8})", r["source_seen"])
        if pmid:
            lines.append(f"PMID- {pmid.group(1)}")
        if _s(r["volume"]):
            lines.append(f"VI  - {_s(r['volume'])}")
        if _s(r["issue"]):
            lines.append(f"IP  - {_s(r['issue'])}")
        lines.append(f"DP  - {r['year']}")
        title = r["title"].rstrip(".?") + ("?" if r["title"].endswith("?") else ".")
        lines.append(f"TI  - {title}")
        sp, ep = pages(r)
        if sp:
            short_end = ep[-len(ep) + _common_prefix(sp, ep):] if ep else ""
            lines.append(f"PG  - {sp}-{short_end}" if ep else f"PG  - {sp}")
        if r["doi"]:
            lines.append(f"LID - {r['doi'].lower()} [doi]")
        for a in r["authors_list"]:
            fam, ini = split_initials(a)
            lines.append(f"FAU - {fam}, {ini}" if ini else f"FAU - {fam}")
            lines.append(f"AU  - {a}")
        lines.append("LA  - eng")
        lines.append("PT  - Journal Article")
        lines.append(f"TA  - {ABBREVIATIONS.get(r['journal'], r['journal'])}")
        lines.append(f"JT  - {r['journal']}")
        if r["doi"]:
            lines.append(f"AID - {r['doi'].lower()} [doi]")
        lines.append("SO  - " + f"{ABBREVIATIONS.get(r['journal'], r['journal'])}. {r['year']}")
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def _common_prefix(a: str, b: str) -> int:
    if len(a) != len(b):
        return 0
    n = 0
    while n < len(a) - 1 and a[n] == b[n]:
        n += 1
    return n


RIS_TYPES = {"article": "JOUR", "chapter": "CHAP", "book": "BOOK", "report": "RPRT", "thesis": "THES"}


def ris(df: pd.DataFrame, rng: random.Random) -> str:
    out = []
    for idx, r in df.iterrows():
        lines = [f"TY  - {RIS_TYPES[r['kind']]}"]
        for a in r["authors_list"]:
            fam, ini = split_initials(a)
            lines.append(f"AU  - {fam}, {dotted(ini)}" if ini else f"AU  - {fam}")
        lines.append(f"TI  - {r['title']}")
        journal = RENAMED_JOURNAL.get(idx, r["journal"])
        if r["kind"] == "article":
            lines.append(f"T2  - {journal}")
        elif r["kind"] == "chapter":
            lines.append(f"T2  - {journal.removeprefix('In: ')}")
        lines.append(f"PY  - {SCOPUS_YEAR.get(idx, r['year'])}")
        for tag, col in (("VL", "volume"), ("IS", "issue")):
            if _s(r[col]):
                lines.append(f"{tag}  - {_s(r[col])}")
        sp, ep = pages(r)
        if sp:
            lines.append(f"SP  - {sp}")
        if ep:
            lines.append(f"EP  - {ep}")
        if r["doi"]:
            doi = r["doi"].upper() if rng.random() < 0.3 else r["doi"]
            lines.append(f"DO  - {doi}")
            lines.append(f"UR  - https://www.scopus.com/inward/record.uri?doi={r['doi']}")
        lines.append("DB  - Scopus")
        lines.append("ER  - ")
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


LATEX = {"ö": '{\\"o}', "é": "{\\'e}", "å": "{\\aa}", "Å": "{\\AA}", "á": "{\\'a}", "í": "{\\'i}", "ä": '{\\"a}', "ü": '{\\"u}'}


def latex(text: str) -> str:
    return "".join(LATEX.get(c, c) for c in text).replace("&", "\\&")


def bibtex(df: pd.DataFrame, rng: random.Random) -> str:
    out = []
    for idx, r in df.iterrows():
        names = []
        for a in r["authors_list"]:
            fam, ini = split_initials(a)
            names.append(f"{' '.join(dotted(c) for c in ini)} {{{fam}}}".strip() if ini else f"{{{fam}}}")
        key = f"{split_initials(r['authors_list'][0])[0].split()[-1].replace('-', '')}{r['year']}{idx}"
        title = r["title"]
        if rng.random() < 0.4:
            title = " ".join(w if w.isupper() else w[:1].upper() + w[1:] for w in title.split(" "))
        fields = [
            ("author", " and ".join(latex(n) for n in names)),
            ("title", "{" + latex(title) + "}"),
            ("journal", latex(ABBREVIATIONS.get(r["journal"], r["journal"]) if rng.random() < 0.5 else r["journal"])),
            ("year", r["year"]),
            ("volume", _s(r["volume"])),
            ("number", _s(r["issue"])),
            ("pages", _s(r["pages"]).replace("-", "--")),
        ]
        if r["doi"] and rng.random() < 0.6:
            fields.append(("doi", f"https://doi.org/{r['doi']}" if rng.random() < 0.5 else r["doi"]))
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields if v)
        out.append(f"@article{{{key},\n{body}\n}}")
    return "\n\n".join(out) + "\n"


def handsearch(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ID": [f"HS{i + 1:03d}" for i in range(len(df))],
            "Title": df["title"].tolist(),
            "Authors": ["; ".join(a) for a in df["authors_list"]],
            "Year": df["year"].tolist(),
            "Source": [j.removeprefix("Report, ").removeprefix("In: ") for j in df["journal"]],
            "Type": df["kind"].tolist(),
            "DOI": df["doi"].tolist(),
        }
    )


def build_exports(refs: pd.DataFrame) -> dict[str, str]:
    rng = random.Random(SEED)
    articles = refs[refs["kind"] == "article"]
    health = articles[[any(articles.loc[i, "journal"].startswith(j) or j in articles.loc[i, "journal"] for j in HEALTH_JOURNALS) for i in articles.index]]
    pubmed = health[[rng.random() < 0.9 for _ in health.index]]
    scopus = refs[refs["kind"].isin(["article", "chapter", "book"])]
    scopus = scopus[[rng.random() < 0.85 for _ in scopus.index]]
    cinahl = articles[[rng.random() < (0.55 if i in health.index else 0.8) for i in articles.index]]
    covered = set(pubmed.index) | set(scopus.index) | set(cinahl.index)
    hand = refs[[i not in covered or refs.loc[i, "kind"] != "article" for i in refs.index]]
    return {
        "pubmed.nbib": medline(pubmed),
        "scopus.ris": ris(scopus, rng),
        "cinahl.bib": bibtex(cinahl, rng),
        "handsearch.csv": handsearch(hand).to_csv(index=False, lineterminator="\n"),
    }


TA_COLUMNS = ["record_id", "decision", "reason", "note", "reviewer", "timestamp"]
FT_COLUMNS = TA_COLUMNS + ["retrieval", "pdf"]


def _fold(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def _clock(start: str):
    t = datetime.fromisoformat(start)
    while True:
        yield t.strftime("%Y-%m-%dT%H:%M:%SZ")
        t += timedelta(minutes=1, seconds=17)


def write_decisions(refs: pd.DataFrame) -> None:
    """Screening logs of two reviewers and an arbiter for both stages (illustrative)."""
    from reviewbench.logs import append_rows
    from reviewbench.pipeline import deduplicate_project, load_records
    from reviewbench.project import open_project

    project = open_project(ROOT)
    records, _ = load_records(project)
    clusters, _ = deduplicate_project(project, records)
    by_title = dict(zip(records["title"].map(_fold), records["record_id"]))
    cluster_of = dict(zip(clusters["record_id"], clusters["cluster_id"]))
    ids = {}
    for idx, title in refs["title"].items():
        rid = by_title.get(_fold(title)) or by_title.get(_fold(title + "."))
        if rid is None:
            raise SystemExit(f"reference {idx} ({title[:50]}) was not found in the imported exports")
        ids[idx] = cluster_of[rid]
    order = sorted(ids, key=lambda i: ids[i])
    for stage in ("title_abstract", "full_text"):
        folder = project.screening_dir(stage)
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.csv"):
            old.unlink()
    ta_included = [i for i in order if i not in TA_EXCLUDE]
    for reviewer, which, start in (("alex", 0, "2022-06-13T09:00:00"), ("sam", 1, "2022-06-13T10:30:00")):
        clock = _clock(start)
        rows = []
        for i in order:
            decision = "exclude" if i in TA_EXCLUDE else "include"
            if i in TA_CONFLICTS:
                decision = TA_CONFLICTS[i][which]
            reason = TA_EXCLUDE.get(i, "no_primary_data" if i == 14 else "not_sex_work_population") if decision == "exclude" else ""
            if decision == "exclude" and i == 59:
                reason = "lmic_only"
            if decision == "exclude" and i == 67:
                reason = "non_uk_setting"
            rows.append({"record_id": ids[i], "decision": decision, "reason": reason, "note": "",
                         "reviewer": reviewer, "timestamp": next(clock)})
        append_rows(project.screening_dir("title_abstract") / f"{reviewer}.csv", rows, TA_COLUMNS)
        clock = _clock(start.replace("06-13", "07-04"))
        rows = []
        for i in ta_included:
            retrieval, decision, reason = "retrieved", "include", ""
            if i in NOT_RETRIEVED:
                retrieval, decision, reason = "not_retrieved", "exclude", NOT_RETRIEVED[i]
            elif i in FT_CONFLICTS:
                decision = FT_CONFLICTS[i][which]
                reason = FT_EXCLUDE.get(i, "no_primary_data") if decision == "exclude" else ""
            elif i in FT_EXCLUDE:
                decision, reason = "exclude", FT_EXCLUDE[i]
            pdf = "" if retrieval == "not_retrieved" else (
                f"https://doi.org/{refs.loc[i, 'doi']}" if refs.loc[i, "doi"] else "")
            rows.append({"record_id": ids[i], "decision": decision, "reason": reason, "note": "",
                         "reviewer": reviewer, "timestamp": next(clock), "retrieval": retrieval, "pdf": pdf})
        append_rows(project.screening_dir("full_text") / f"{reviewer}.csv", rows, FT_COLUMNS)
    clock = _clock("2022-06-20T14:00:00")
    append_rows(
        project.screening_dir("title_abstract") / "resolutions.csv",
        [{"record_id": ids[i], "decision": "exclude" if i in TA_EXCLUDE else "include",
          "reason": TA_EXCLUDE.get(i, ""), "note": "resolved by discussion", "reviewer": "jo",
          "timestamp": next(clock)} for i in sorted(TA_CONFLICTS, key=lambda i: ids[i])],
        TA_COLUMNS,
    )
    clock = _clock("2022-07-11T14:00:00")
    append_rows(
        project.screening_dir("full_text") / "resolutions.csv",
        [{"record_id": ids[i], "decision": "exclude" if i in FT_EXCLUDE else "include",
          "reason": FT_EXCLUDE.get(i, ""), "note": "resolved by discussion", "reviewer": "jo",
          "timestamp": next(clock)} for i in sorted(FT_CONFLICTS, key=lambda i: ids[i])],
        TA_COLUMNS,
    )
    example_ids = pd.DataFrame(
        {
            "record_id": [ids[i] for i in order],
            "first_author": [refs.loc[i, "authors_list"][0] for i in order],
            "year": [refs.loc[i, "year"] for i in order],
            "title": [refs.loc[i, "title"] for i in order],
            "title_abstract": ["exclude" if i in TA_EXCLUDE else "include" for i in order],
            "full_text": ["" if i in TA_EXCLUDE else "not_retrieved" if i in NOT_RETRIEVED
                          else "exclude" if i in FT_EXCLUDE else "include" for i in order],
        }
    )
    example_ids.to_csv(ROOT / "evidence" / "_example_record_ids.csv", index=False, lineterminator="\n")
    print("wrote screening logs and evidence/_example_record_ids.csv")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("references", type=Path, help="references.csv from the shared domain notes")
    args = parser.parse_args()
    refs = load_references(args.references)
    for name, text in build_exports(refs).items():
        (ROOT / "bibliography" / name).write_text(text, encoding="utf-8")
        print(f"wrote bibliography/{name}")
    write_decisions(refs)


if __name__ == "__main__":
    main()
