"""EndNote XML (EndNote, Mendeley, Bookends, JabRef): ``<xml><records><record>...``.

Text may sit directly in an element or inside ``<style>`` wrappers; both are read by
joining the element's text. Unknown elements are kept in ``extra`` by tag name. A file
cut off in the middle keeps the records before the break and reports where it broke.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from typing import Any

from ..errors import WARNING, InputFileError, Problem

# Schema field -> paths inside <record>, in priority order.
FIELD_MAP: dict[str, tuple[str, ...]] = {
    "title": ("titles/title", "titles/translated-title"),
    "journal": ("periodical/full-title", "titles/secondary-title", "periodical/abbr-1", "titles/alt-title", "titles/tertiary-title"),
    "abstract": ("abstract",),
    "volume": ("volume",),
    "issue": ("number", "issue"),
    "pages": ("pages",),
    "year": ("dates/year", "dates/pub-dates/date"),
    "doi": ("electronic-resource-num",),
    "isbn": ("isbn",),
    "language": ("language",),
    "source_db": ("remote-database-name", "remote-database-provider"),
    "source_id": ("rec-number",),
}
USED_TOP = {"contributors", "titles", "periodical", "dates", "keywords", "urls", "ref-type", "accession-num"}
_SPACE = re.compile(r"\s+")


def looks_like(text: str) -> bool:
    """True when the text is XML holding ``<record>`` elements of EndNote shape."""
    head = text[:5000].lstrip()
    return head.startswith("<") and "<record" in text[:200000] and bool(re.search(r"<(ref-type|titles|contributors)\b", text[:200000]))


def _text(element: ET.Element | None) -> str:
    if element is None:
        return ""
    return _SPACE.sub(" ", "".join(element.itertext())).strip()


def parse(text: str, path: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Raw records and problems from EndNote XML text."""
    records: list[dict[str, Any]] = []
    problems: list[Problem] = []
    # The declared encoding is moot: the text is already decoded.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
    try:
        for _, element in ET.iterparse(io.StringIO(text), events=("end",)):
            if element.tag == "record":
                records.append(to_record(element, len(records) + 1))
                element.clear()
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        if not records:
            raise InputFileError(path, f"not well-formed XML: {exc}", line=line, expected="EndNote XML") from None
        problems.append(Problem(path, line, f"XML broken here ({exc}); {len(records)} record(s) before it were read", kind=WARNING))
    return records, problems


def to_record(element: ET.Element, n: int) -> dict[str, Any]:
    """Map one ``<record>`` to schema fields; other elements go to ``extra``."""
    rec: dict[str, Any] = {"_line": None, "_record": str(n)}
    for field, paths in FIELD_MAP.items():
        for p in paths:
            value = _text(element.find(p))
            if value:
                rec[field] = value
                break
    ref_type = element.find("ref-type")
    if ref_type is not None:
        rec["ref_type"] = ref_type.get("name") or _text(ref_type)
    rec["authors"] = [_text(a) for a in element.findall("contributors/authors/author") if _text(a)]
    if not rec["authors"]:
        rec["authors"] = [_text(a) for a in element.findall("contributors/secondary-authors/author") if _text(a)]
    rec["keywords"] = [_text(k) for k in element.findall("keywords/keyword") if _text(k)]
    urls = [_text(u) for u in element.iter("url") if _text(u)]
    if urls:
        rec["url"] = urls[0]
    accession = _text(element.find("accession-num"))
    db = rec.get("source_db", "") + " " + _text(element.find("database"))
    if accession.isdigit() and (re.search(r"pubmed|medline", db, re.I) or len(accession) <= 8):
        rec["pmid"] = accession
    extra: dict[str, Any] = {}
    if accession and not rec.get("pmid"):
        extra["accession-num"] = accession
    mapped_top = {p.split("/")[0] for paths in FIELD_MAP.values() for p in paths}
    for child in element:
        if child.tag in USED_TOP or child.tag in mapped_top:
            continue
        value = _text(child)
        if value:
            extra[child.tag] = value
    if len(urls) > 1:
        extra["urls"] = urls
    rec["extra"] = extra
    return rec
