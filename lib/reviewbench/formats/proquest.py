"""ProQuest plain-text reports ("Report Information from ProQuest", ``Document 1 of N``).

Records are separated by rules of underscores and start with ``Document n of N`` and a
title line; fields are ``Label: value`` paragraphs. A paragraph that does not begin with
a known label continues the field above (abstracts run over several paragraphs).
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import Problem

FIELD_MAP: dict[str, tuple[str, ...]] = {
    "title": ("Title",),
    "abstract": ("Abstract",),
    "authors": ("Author", "Authors"),
    "year": ("Publication year", "Publication date", "Degree date", "Date"),
    "journal": ("Publication title", "Source", "University/institution"),
    "volume": ("Volume",),
    "issue": ("Issue",),
    "pages": ("Pages",),
    "doi": ("DOI",),
    "pmid": ("PubMed ID", "PMID"),
    "isbn": ("ISBN", "ISSN", "e-ISSN"),
    "url": ("Document URL", "URL"),
    "keywords": ("Subject", "Identifier / keyword", "MeSH subject", "Keywords"),
    "language": ("Language", "Language of publication"),
    "ref_type": ("Document type", "Source type"),
    "source_db": ("Database",),
    "source_id": ("ProQuest document ID",),
}
KNOWN_LABELS = {label for labels in FIELD_MAP.values() for label in labels} | {
    "Links", "Advisor", "Classification", "Committee member", "Copyright", "Country of publication", "Degree",
    "Department", "Dissertation/thesis number", "Number of pages", "Place of publication", "School code",
    "University location", "First page", "Last page", "Publisher", "Section", "Publication subject",
    "Accession number", "Update", "Last updated", "Location", "Company / organization", "People",
    "Credit", "Notes", "Conference title", "Editor", "Publication note", "Sponsor", "Supplement",
}
_RULE = re.compile(r"^_{20,}\s*$")
_DOCUMENT = re.compile(r"^Document (\d+) of (\d+)\s*$")
_LABEL = re.compile(r"^([A-Z][A-Za-z /()-]{1,40}?):\s?(.*)$")


def looks_like(text: str) -> bool:
    """True when the text is a ProQuest report with ``Document n of N`` sections."""
    head = text[:200000]
    return bool(re.search(r"^Document 1 of \d+\s*$", head, re.M)) and ("ProQuest" in head)


def parse(text: str, path: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Raw records and problems from a ProQuest report."""
    records: list[dict[str, Any]] = []
    problems: list[Problem] = []
    current: dict[str, list[str]] | None = None
    start = 0
    label = ""
    expect_title = False
    for lineno, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if _DOCUMENT.match(stripped):
            if current is not None:
                records.append(to_record(current, start))
            current, start, label, expect_title = {}, lineno, "", True
            continue
        if current is None or not stripped:
            continue
        if _RULE.match(stripped):
            records.append(to_record(current, start))
            current = None
            continue
        match = _LABEL.match(stripped)
        if match and match.group(1) in KNOWN_LABELS:
            label = match.group(1)
            current.setdefault(label, []).append(match.group(2).strip())
            expect_title = False
        elif expect_title:
            current.setdefault("_heading", []).append(stripped)
            expect_title = False
        elif stripped.startswith(("http://", "https://")):
            current.setdefault("Document URL" if label != "Links" else "Links", []).append(stripped)
        elif label:
            values = current[label]
            values[-1] = f"{values[-1]} {stripped}".strip() if label != "Links" else values[-1]
        else:
            current.setdefault("_heading", []).append(stripped)
    if current is not None:
        records.append(to_record(current, start))
    return records, problems


def to_record(fields: dict[str, list[str]], line: int) -> dict[str, Any]:
    """Map one document's labels to schema fields; other labels go to ``extra``."""
    rec: dict[str, Any] = {"_line": line}
    used: set[str] = set()
    for field, labels in FIELD_MAP.items():
        for label in labels:
            values = [v for v in fields.get(label, []) if v]
            if values:
                if field == "authors":
                    rec[field] = [a.strip() for v in values for a in v.split(";") if a.strip()]
                elif field == "keywords":
                    rec[field] = [k.strip() for v in values for k in re.split(r"[;,]", v) if k.strip()]
                else:
                    rec[field] = values[0]
                used.add(label)
                break
    if not rec.get("title") and fields.get("_heading"):
        rec["title"] = fields["_heading"][0]
    used.add("_heading")
    rec["extra"] = {k: (v if len(v) > 1 else v[0]) for k, v in fields.items() if k not in used and any(v)}
    return rec
