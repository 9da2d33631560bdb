"""Small pure normalisation steps applied to every parsed record, in a visible order."""

from __future__ import annotations

import html
import re
from typing import Any, Callable

from ..schema import normalise_doi

_TAGS = re.compile(r"<[^>]{1,200}>")


def clean_markup(text: str) -> str:
    """Remove HTML tags and entities and collapse white space."""
    if not text:
        return ""
    text = html.unescape(_TAGS.sub("", str(text)))
    return re.sub(r"\s+", " ", text).strip()


def expand_pages(pages: str) -> str:
    """``"221-8"`` -> ``"221-228"``; other forms are returned tidied but unchanged."""
    text = str(pages or "").strip().replace("\u2013", "-").replace("\u2014", "-").replace("--", "-")
    match = re.fullmatch(r"\s*([A-Za-z]*)(\d+)\s*-\s*([A-Za-z]*)(\d+)\s*", text)
    if not match:
        return text
    p1, start, p2, end = match.groups()
    if len(end) < len(start) and not p2:
        end = start[: len(start) - len(end)] + end
    return f"{p1}{start}-{p2 or p1}{end}" if p1 or p2 else f"{start}-{end}"


def normalise_author(name: str) -> str:
    """Any author form to ``"Family, Given"`` (``"Given Family"`` is turned round)."""
    name = re.sub(r"\s+", " ", str(name)).strip().strip(";")
    if not name or "," in name:
        return name
    parts = name.split(" ")
    if len(parts) == 1:
        return name
    # "Mc Grath-Lone L" / "Smith JA": trailing initials.
    if re.fullmatch(r"[A-Z]{1,4}|([A-Z]\.){1,4}", parts[-1]):
        return f"{' '.join(parts[:-1])}, {parts[-1]}"
    return f"{parts[-1]}, {' '.join(parts[:-1])}"


def normalise_record(rec: dict[str, Any]) -> dict[str, Any]:
    """Apply every step to one raw record (in place) and return it."""
    for field in ("title", "abstract", "journal"):
        if rec.get(field):
            rec[field] = clean_markup(rec[field]).rstrip() if field != "title" else clean_markup(rec[field])
    rec["authors"] = [normalise_author(a) for a in rec.get("authors") or [] if str(a).strip()]
    rec["doi"] = normalise_doi(rec.get("doi"))
    rec["pages"] = expand_pages(rec.get("pages", ""))
    pmid = re.sub(r"\D", "", str(rec.get("pmid") or ""))
    rec["pmid"] = pmid
    return rec


STEPS: tuple[Callable[[dict[str, Any]], dict[str, Any]], ...] = (normalise_record,)
