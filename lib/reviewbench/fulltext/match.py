"""Which record a PDF is the report of: its DOI or PMID, else its title.

For each PDF, in this order:

1. **DOI** of a candidate record found in the PDF's metadata, else on its first page,
   else on its second (a DOI broken at the end of a line is joined; it must not run on
   into more characters of a longer DOI). The first place with any candidate's DOI decides;
   several records' DOIs there (a first page citing other studies) is settled by the
   title, or left to a person.
2. **PMID** (``PMID: 12345678``) the same way.
3. **Title**: each candidate's title is compared with the PDF's metadata title and with
   the start of its text (pages 1-2) in the compact form of :mod:`.text` (ligatures,
   line breaks, hyphenation and running heads do not count) with rapidfuzz's
   ``partial_ratio``. The best score at or above :data:`TITLE_THRESHOLD`, at least
   :data:`TITLE_MARGIN` ahead of the next record, is a match; a best score at or above
   :data:`TITLE_THRESHOLD` without that lead, or between :data:`AMBIGUOUS_FLOOR` and the
   threshold, is ``ambiguous`` (unless the best titles are all part of one of them: a
   paper whose title extends that of its protocol is that paper); below is
   ``unmatched``. A title shorter than
   :data:`MIN_TITLE_CHARS` letters is never matched by title alone (it would be found
   inside many texts).

Then no record keeps two PDFs silently: two PDFs proposed for one record (or a PDF for a
record another PDF is already linked to) are all ``ambiguous``, and so is a second copy
of the same file (same SHA-256) under another name. A PDF whose bytes are
already linked keeps its link (method ``linked``).

The thresholds were chosen out of sample, on generated titles (``benchmarks/fulltext.py
--calibrate``): see the README's section on full texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd
from rapidfuzz import fuzz

from ..errors import FullTextError
from .extract import PdfText, read_pdf, sha256_of
from .text import key

#: Lowest title score (0-100) that links a PDF to a record.
TITLE_THRESHOLD = 97.0
#: How far ahead of the next record the best title must be.
TITLE_MARGIN = 5.0
#: Scores from here up to the threshold are shown to a person as ``ambiguous``.
AMBIGUOUS_FLOOR = 75.0
#: Titles with fewer letters and digits than this are not matched by title alone.
MIN_TITLE_CHARS = 20
#: How much of the start of the text (compact letters) a title is looked for in.
HEAD_CHARS = 4000

DOI, PMID, TITLE, LINKED, AMBIGUOUS, UNMATCHED, UNREADABLE = "doi", "pmid", "title", "linked", "ambiguous", "unmatched", "unreadable"
PROPOSAL_COLUMNS = ["pdf", "record_id", "method", "score"]
_PMID = re.compile(r"\bPMID\s*[:=]?\s*(\d{1,9})\b", re.IGNORECASE)
_DOI_PREFIX = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


@dataclass
class Proposal:
    """What :func:`propose` says of one PDF: its record (``""`` when unmatched), how it was
    found, the score (100 for an identifier), and a note for the person who confirms it."""

    pdf: str
    sha256: str
    record_id: str
    method: str
    score: float
    note: str = ""

    def row(self) -> dict[str, object]:
        return {"pdf": self.pdf, "record_id": self.record_id, "method": self.method, "score": round(self.score, 1)}


def normal_doi(doi: object) -> str:
    """A DOI as compared: lower case, without ``https://doi.org/`` or ``doi:``."""
    return _DOI_PREFIX.sub("", str(doi or "").strip()).strip().lower()


def _places(text: PdfText) -> list[tuple[str, str]]:
    """(where, text) in the order identifiers are looked for."""
    meta = " ".join(text.metadata.values())
    pages = [(f"page {p.number}", p.text) for p in text.pages[:2]]
    return [("metadata", meta), *pages]


def _doi_in(doi: str, squeezed: str) -> bool:
    """Whether ``doi`` is in ``squeezed`` (lower case) and does not run
    on into more of a longer DOI (a letter, digit, ``-``, ``_``, ``/``, or ``.`` before one)."""
    start = squeezed.find(doi)
    while start != -1:
        rest = squeezed[start + len(doi):start + len(doi) + 2]
        if not rest or not (rest[0].isalnum() or rest[0] in "-_/" or (rest[0] == "." and rest[1:2].isalnum())):
            return True
        start = squeezed.find(doi, start + 1)
    return False


def _identifier_hits(text: PdfText, records: pd.DataFrame) -> tuple[str, list[str], str]:
    """(method, record ids, where) for the first place holding any candidate's DOI, else PMID."""
    dois = [(rid, normal_doi(d)) for rid, d in zip(records["record_id"], records["doi"]) if normal_doi(d)]
    pmids: dict[str, list[str]] = {}
    for rid, pmid in zip(records["record_id"], records["pmid"]):
        if str(pmid or "").strip().isdigit():
            pmids.setdefault(str(pmid).strip().lstrip("0"), []).append(rid)
    places = _places(text)
    for where, raw in places:
        plain = raw.lower()
        joined = re.sub(r"[ \t]*\n\s*", "", plain)  # a DOI broken at the end of a line
        hits = [rid for rid, doi in dois if _doi_in(doi, plain) or _doi_in(doi, joined)]
        if hits:
            return DOI, sorted(set(hits)), where
    for where, raw in places:
        found = {m.group(1).lstrip("0") for m in _PMID.finditer(raw)}
        hits = sorted({rid for pmid in found for rid in pmids.get(pmid, [])})
        if hits:
            return PMID, hits, where
    return "", [], ""


def title_scores(text: PdfText, records: pd.DataFrame) -> list[tuple[float, str]]:
    """(score, record id) of every candidate's title against the PDF, best first."""
    head = key(text.text(1, 2))[:HEAD_CHARS]
    meta_title = key(text.metadata.get("title", ""))
    scores = []
    for rid, title in zip(records["record_id"], records["title"]):
        wanted = key(str(title or ""))
        if not wanted:
            continue
        score = fuzz.partial_ratio(wanted, head) if head else 0.0
        if meta_title:
            score = max(score, fuzz.ratio(wanted, meta_title))
        if len(wanted) < MIN_TITLE_CHARS:
            score = min(score, AMBIGUOUS_FLOOR)
        scores.append((float(score), str(rid)))
    scores.sort(key=lambda s: (-s[0], s[1]))
    return scores


def _containing(ids: list[str], records: pd.DataFrame) -> str | None:
    """Among records whose titles are all found in a PDF, the one whose title holds all
    the others' (a paper and the shorter title of its protocol), if there is one."""
    titles = {str(r): key(str(t)) for r, t in zip(records["record_id"], records["title"]) if str(r) in ids}
    longest = max(titles, key=lambda r: len(titles[r]))
    others = [titles[r] for r in titles if r != longest]
    holds = all(t in titles[longest] and len(t) < len(titles[longest]) for t in others)
    return longest if others and holds else None  # two records of one title: a person chooses


def propose_one(pdf: str, text: PdfText, records: pd.DataFrame) -> Proposal:
    """The proposal for one PDF among the candidate ``records`` (``record_id, title, doi,
    pmid``), before the check that no record gets two PDFs."""
    method, hits, where = _identifier_hits(text, records)
    scores = title_scores(text, records)
    if len(hits) == 1:
        return Proposal(pdf, text.sha256, hits[0], method, 100.0, f"{method.upper()} on {where}" if where != "metadata" else f"{method.upper()} in the metadata")
    if hits:
        by_title = [(s, rid) for s, rid in scores if rid in hits]
        if by_title and by_title[0][0] >= TITLE_THRESHOLD and (len(by_title) == 1 or by_title[0][0] - by_title[1][0] >= TITLE_MARGIN):
            return Proposal(pdf, text.sha256, by_title[0][1], method, 100.0, f"{len(hits)} records' {method.upper()}s on {where}; the title chose")
        best = by_title[0][1] if by_title else hits[0]
        return Proposal(pdf, text.sha256, best, AMBIGUOUS, 100.0, f"{method.upper()}s of {', '.join(hits)} on {where}")
    if not text.pages or text.scanned:
        best = scores[0] if scores else (0.0, "")
        return Proposal(pdf, text.sha256, "", UNMATCHED, best[0], "no text in the PDF (a scan: it needs text recognition, OCR)")
    if not scores or scores[0][0] < AMBIGUOUS_FLOOR:
        return Proposal(pdf, text.sha256, "", UNMATCHED, scores[0][0] if scores else 0.0, "no record's identifier or title found")
    best, rid = scores[0]
    second = scores[1][0] if len(scores) > 1 else 0.0
    if best >= TITLE_THRESHOLD and best - second >= TITLE_MARGIN:
        return Proposal(pdf, text.sha256, rid, TITLE, best)
    close = [r for s, r in scores if s >= best - TITLE_MARGIN and s >= AMBIGUOUS_FLOOR]
    longest = _containing(close, records) if best >= TITLE_THRESHOLD else None
    if longest is not None:
        return Proposal(pdf, text.sha256, longest, TITLE, best, f"its title holds the titles of {', '.join(r for r in close if r != longest)}")
    note = f"titles of {', '.join(close)} are as close" if len(close) > 1 else f"best title score {best:.0f} is below {TITLE_THRESHOLD:.0f}"
    return Proposal(pdf, text.sha256, rid, AMBIGUOUS, best, note)


def propose(texts: Iterable[tuple[str, PdfText]], records: pd.DataFrame,
            linked: pd.DataFrame | None = None) -> list[Proposal]:
    """Proposals for every PDF (``(name, text)`` pairs) against the candidate ``records``;
    ``linked`` is the links in force (``record_id, file, sha256``), see the module's docstring."""
    records = records.assign(**{c: records[c] if c in records.columns else "" for c in ("doi", "pmid", "title")})
    records = records.fillna("")
    by_sha = {}
    if linked is not None and not linked.empty:
        by_sha = dict(zip(linked["sha256"], linked["record_id"]))
    out = []
    for pdf, text in texts:
        if text.sha256 in by_sha:
            out.append(Proposal(pdf, text.sha256, by_sha[text.sha256], LINKED, 100.0, "already linked"))
        else:
            out.append(propose_one(pdf, text, records))
    return no_record_twice(out, linked)


def no_record_twice(proposals: list[Proposal], linked: pd.DataFrame | None = None) -> list[Proposal]:
    """Proposals where two different PDFs would have one record made ``ambiguous`` (see the module's docstring)."""
    taken: dict[str, set[str]] = {}
    if linked is not None and not linked.empty:
        for rid, sha in zip(linked["record_id"], linked["sha256"]):
            taken.setdefault(str(rid), set()).add(str(sha))
    claims: dict[str, set[str]] = {}
    for p in proposals:
        if p.record_id and p.method in (DOI, PMID, TITLE, LINKED):
            claims.setdefault(p.record_id, set()).add(p.sha256)
    first_of: dict[str, str] = {}
    for p in proposals:
        if p.sha256 and p.sha256 in first_of and p.method in (DOI, PMID, TITLE, LINKED):
            p.method, p.note = AMBIGUOUS, f"the same file as {first_of[p.sha256]}"
            continue
        first_of.setdefault(p.sha256, p.pdf)
        if not p.record_id or p.method not in (DOI, PMID, TITLE):
            continue
        others = (claims.get(p.record_id, set()) | taken.get(p.record_id, set())) - {p.sha256}
        if others:
            already = taken.get(p.record_id, set()) - {p.sha256}
            p.note = (f"{p.record_id} is already linked to another PDF" if already
                      else f"another PDF is also proposed for {p.record_id}") + (f"; {p.note}" if p.note else "")
            p.method = AMBIGUOUS
    return proposals


def pdf_files(paths: Iterable[str | Path]) -> list[Path]:
    """The PDFs named by ``paths``: files as given, folders searched for ``*.pdf`` (any
    case, sub-folders too, hidden files left out), sorted within each folder."""
    out: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = [p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf"
                     and not any(part.startswith(".") for part in p.relative_to(path).parts)]
            out += sorted(found)
        else:
            out.append(path)
    return list(dict.fromkeys(out))


def propose_files(paths: Iterable[str | Path], records: pd.DataFrame, *, cache_dir: str | Path | None = None,
                  linked: pd.DataFrame | None = None, name: Callable[[Path], str] = str) -> tuple[list[Proposal], dict[str, PdfText]]:
    """Read every PDF of ``paths`` (:func:`pdf_files`, cached in ``cache_dir``) and propose
    its record (:func:`propose`). A PDF that cannot be read is ``unreadable``, its note
    the reason; a missing file stops with the error of the file system. Returns the
    proposals and the texts read (by PDF name, ``name(path)``)."""
    texts: dict[str, PdfText] = {}
    unreadable: list[Proposal] = []
    order: list[str] = []
    for path in pdf_files(paths):
        pdf = name(path)
        order.append(pdf)
        try:
            texts[pdf] = read_pdf(path, cache_dir)
        except FullTextError as exc:
            sha = sha256_of(path) if path.is_file() else ""
            unreadable.append(Proposal(pdf, sha, "", UNREADABLE, 0.0, exc.problem))
    proposals = {p.pdf: p for p in propose(texts.items(), records, linked)}
    proposals.update({p.pdf: p for p in unreadable})
    return [proposals[pdf] for pdf in order], texts
