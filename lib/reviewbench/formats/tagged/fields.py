"""From a record's tags to schema fields, by a format's priority table."""

from __future__ import annotations

import re
from typing import Any, Callable

from ..normalise import extract_year
from .syntax import TaggedRecord


FieldRule = Callable[[str], bool]
ACCEPT: dict[str, FieldRule] = {
    "year": lambda v: extract_year(v) is not None,
    "doi": lambda v: "10." in v,
}


_KEYWORDS, _AUTHORS, _SINGLE = 0, 1, 2
Plan = list[tuple[str, tuple[str, ...], int, FieldRule | None]]
_PLANS: dict[tuple[int, int], tuple[dict, dict, Plan, dict[tuple[str, ...], Plan]]] = {}


def _plan(field_map: dict[str, tuple[str, ...]], accept: dict[str, FieldRule], tags: dict[str, list[str]]) -> Plan:
    """``field_map`` as (field, tags, kind, rule) rows for a record with these ``tags``:
    only the fields and candidate tags it has. Worked out once per table and tag set (the
    records of one export share a few tag sets), so absent tags are never looked up."""
    key = (id(field_map), id(accept))
    cached = _PLANS.get(key)
    if cached is None or cached[0] is not field_map or cached[1] is not accept:
        rows = [
            (name, candidates, _KEYWORDS if name == "keywords" else _AUTHORS if name == "authors" else _SINGLE, accept.get(name))
            for name, candidates in field_map.items()
        ]
        cached = _PLANS[key] = (field_map, accept, rows, {})  # the tables are kept, so ids stay theirs
    by_tags = cached[3]
    signature = tuple(tags)
    plan = by_tags.get(signature)
    if plan is None:
        plan = [
            (name, present, kind, rule)
            for name, candidates, kind, rule in cached[2]
            if (present := tuple(tag for tag in candidates if tag in tags))
        ]
        if len(by_tags) >= 10_000:
            by_tags.clear()
        by_tags[signature] = plan
    return plan


def map_fields(
    record: TaggedRecord,
    field_map: dict[str, tuple[str, ...]],
    accept: dict[str, FieldRule] = ACCEPT,
) -> tuple[dict[str, Any], set[str]]:
    """Schema fields from tags by a priority table, and the tags used.

    For a single-valued field the first non-empty value that ``accept`` allows wins (a
    ``PY`` without a year falls through to ``Y1``, a ``UR`` without a DOI is not a DOI).
    ``authors`` takes every value of the first tag that has any (full names before
    short ones); ``keywords`` collects every value of every tag named.
    """
    rec: dict[str, Any] = {}
    used: set[str] = set()
    tags = record.tags
    for name, present, kind, rule in _plan(field_map, accept, tags):
        if kind == _SINGLE:
            for tag in present:
                for value in tags[tag]:
                    if value and (rule is None or rule(value)):
                        rec[name] = value
                        used.add(tag)
                        break
                else:
                    continue
                break
        elif kind == _KEYWORDS:
            values = []
            for tag in present:
                values.extend(v for v in tags[tag] if v)
                used.add(tag)
            if values:
                rec[name] = values
        else:
            for tag in present:
                values = [v for v in tags[tag] if v]
                if values:
                    rec[name] = values
                    used.add(tag)
                    break
    return rec, used


def extra_tags(record: TaggedRecord, used: set[str]) -> dict[str, Any]:
    """Tags not mapped to a schema field, single values unwrapped."""
    return {
        tag: (values if len(values) > 1 else values[0])
        for tag, values in record.tags.items()
        if tag not in used and any(values)
    }


def spare_values(
    record: TaggedRecord, rec: dict[str, Any], field_map: dict[str, tuple[str, ...]],
    single: tuple[str, ...], used: set[str],
) -> dict[str, Any]:
    """The values of used tags that no single-valued field took (a second URL, a second
    title line written as its own tag), by tag, so that ``extra`` keeps them. Call it on
    the fields as :func:`map_fields` gave them, before a parser rewrites any."""
    spare: dict[str, Any] = {}
    for name in single:
        value = rec.get(name)
        if not value:
            continue
        for tag in field_map[name]:
            values = record.tags.get(tag)
            if tag not in used or not values or value not in values:
                continue
            rest = [v for v in values if v and v != value]
            if rest:
                spare[tag] = rest if len(rest) > 1 else rest[0]
            break
    return spare


_DOI_INSIDE = re.compile(r"10\.\d{4,9}/\S+")
PMID_NOTE = re.compile(r"^\s*(?:PMID|PubMed ID)\s*:?\s*(\d{1,9})\s*$", re.I)
MEDLINE_DB = re.compile(r"medline|pubmed", re.I)


def doi_only(value: str) -> str:
    """A DOI field as a DOI: a value that is a DOI, a ``doi:`` or a link stays as it is for
    normalising; a DOI found inside a longer note is cut out of it; anything else is ""."""
    if not value or value.lstrip().lower().startswith(("10.", "doi", "http")) or "doi.org" in value:
        return value
    match = _DOI_INSIDE.search(value)
    return match.group(0) if match else ""


def pmid_in_tags(record: TaggedRecord, note_tags: tuple[str, ...], accession_tag: str, source_db: str) -> tuple[str, str] | None:
    """A PubMed id and the tag it came from: ``PMID: n`` in one of ``note_tags``, else a bare
    accession number (``accession_tag``) of a record from a MEDLINE/PubMed database."""
    for tag in note_tags:
        for value in record.tags.get(tag, ()):
            match = PMID_NOTE.match(value)
            if match:
                return match.group(1), tag
    accession = record.first(accession_tag).strip()
    if accession.isdigit() and len(accession) <= 9 and MEDLINE_DB.search(source_db):
        return accession, accession_tag
    return None


def split_keywords(values: list[str]) -> list[str]:
    """Keyword values, each split on ``;`` and stripped, empty ones dropped."""
    return [k.strip() for v in values for k in v.split(";") if k.strip()]
