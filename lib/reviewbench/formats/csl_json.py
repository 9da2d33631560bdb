"""CSL-JSON (Zotero, Better BibTeX, Crossref/DataCite content negotiation, Manubot): a list
of items or a single item.

Names are ``{"family", "given"}`` or ``{"literal"}``; dates are ``date-parts``, ``raw``
or ``literal``. Keys without a schema column are kept in ``extra``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..errors import SKIPPED, WARNING, InputFileError, Problem

FIELD_MAP: dict[str, tuple[str, ...]] = {
    "source_id": ("id", "citation-key"),
    "ref_type": ("type",),
    "title": ("title",),
    "abstract": ("abstract",),
    "journal": ("container-title", "collection-title", "publisher"),
    "volume": ("volume",),
    "issue": ("issue", "number"),
    "pages": ("page", "page-first"),
    "doi": ("DOI",),
    "pmid": ("PMID",),
    "isbn": ("ISBN", "ISSN"),
    "url": ("URL",),
    "language": ("language",),
    "source_db": ("source",),
}
DATE_KEYS = ("issued", "published-print", "published-online", "created", "original-date", "event-date")
NAME_KEYS = ("author", "editor", "collection-editor", "container-author")


_EMPTY_ITEMS = re.compile(r"\[\s*(?:\{\s*\}\s*(?:,\s*\{\s*\}\s*)*)?\]|\{\s*\}")


def looks_like(text: str) -> bool:
    """True when the text is a JSON array or object whose items carry CSL keys, or a list
    of items that have no fields at all (each is read as a record with no title)."""
    head = text[:20000].lstrip()
    if not head.startswith(("[", "{")):
        return False
    if re.search(r'"(type|title|author|issued|DOI|container-title)"\s*:', head):
        return True
    return bool(_EMPTY_ITEMS.fullmatch(text.strip()))


def parse(text: str, path: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Raw records and problems from CSL-JSON text."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFileError(path, f"not valid JSON: {exc.msg}", line=exc.lineno, expected="a CSL-JSON list of items") from None
    items = data if isinstance(data, list) else [data]
    records: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(Problem(path, None, f"item skipped: a {type(item).__name__}, not an object", record=str(n), kind=SKIPPED))
            continue
        records.append(to_record(item, n))
        if not _text(item.get("title")).strip():
            what = "has no fields" if not item else "has no title"
            problems.append(Problem(path, None, f"item {what}: read as a record with no title", record=str(n), kind=WARNING))
    return records, problems


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return str(value)


def to_record(item: dict[str, Any], n: int) -> dict[str, Any]:
    """Map one CSL item to schema fields; other keys go to ``extra``."""
    rec: dict[str, Any] = {"_line": None, "_record": str(n)}
    used: set[str] = set()
    for field, keys in FIELD_MAP.items():
        for key in keys:
            value = _text(item.get(key))
            if value.strip():
                rec[field] = value
                used.add(key)
                break
    for key in NAME_KEYS:
        names = item.get(key)
        if isinstance(names, list) and names:
            rec["authors"] = [_name(p) for p in names if isinstance(p, dict) and _name(p)]
            rec["_authors_done"] = True
            used.add(key)
            break
    for key in DATE_KEYS:
        year = _year(item.get(key))
        if year:
            rec["year"] = year
            used.add(key)
            break
    keywords = item.get("keyword")
    if isinstance(keywords, str):
        rec["keywords"] = [k.strip() for k in re.split(r"[;,]", keywords) if k.strip()]
        used.add("keyword")
    elif isinstance(keywords, list):
        rec["keywords"] = [str(k) for k in keywords]
        used.add("keyword")
    rec["extra"] = {k: v for k, v in item.items() if k not in used and v not in (None, "", [], {})}
    return rec


def _name(person: dict[str, Any]) -> str:
    if person.get("literal"):
        return str(person["literal"])
    family = " ".join(str(person.get(k, "")) for k in ("non-dropping-particle", "family") if person.get(k))
    given = " ".join(str(person.get(k, "")) for k in ("given", "dropping-particle") if person.get(k))
    if person.get("suffix"):
        given = f"{given}, {person['suffix']}" if given else str(person["suffix"])
    return f"{family}, {given}" if family and given else (family or given)


def _year(date: Any) -> str:
    """The first year of a CSL date object (``date-parts``, ``raw``, ``literal``, ``season``)."""
    if not isinstance(date, dict):
        return str(date) if isinstance(date, (int, str)) else ""
    parts = date.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0] and parts[0][0] not in (None, ""):
        return str(parts[0][0])
    for key in ("raw", "literal", "season"):
        if date.get(key):
            return str(date[key])
    return ""
