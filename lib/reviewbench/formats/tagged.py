"""Line-tagged exports (RIS, PubMed/MEDLINE, Web of Science, Ovid): one reader, four syntaxes.

Each format is a :class:`TaggedSyntax` (what a tag line looks like, which tag starts and
ends a record, how values continue on the next line) plus a field table mapping its
tags to schema fields. :func:`split_records` walks the lines once, so 100,000 records
read in seconds, and returns each record's tags with the line it starts on; lines it
cannot place are reported, never silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from ..errors import Problem
from .normalise import extract_year


@dataclass(frozen=True)
class TaggedSyntax:
    """How one tagged format is laid out."""

    name: str
    tag_line: re.Pattern[str]  # groups: tag, value (value may be None)
    start_tags: frozenset[str] = frozenset()  # a record starts at one of these
    end_tags: frozenset[str] = frozenset()  # ... and ends at one of these
    blank_ends_record: bool = False
    marker_line: re.Pattern[str] | None = None  # a line that starts a record (Ovid "<1. >")
    file_tags: frozenset[str] = frozenset()  # header/trailer tags outside records (FN, VR, EF)
    continuation_indent: str = ""  # prefix of continuation lines ("" = any untagged line)
    list_continuation: frozenset[str] = frozenset()  # continuation lines add a new value
    repeat_starts_record: bool = False  # no separators: the first tag seen again starts a record
    ignore_line: re.Pattern[str] | None = None  # lines outside records that are expected (record numbers)


@dataclass
class TaggedRecord:
    """One record's tags in file order: tag -> values; ``line`` is where it starts."""

    line: int
    tags: dict[str, list[str]] = field(default_factory=dict)

    def add(self, tag: str, value: str) -> None:
        self.tags.setdefault(tag, []).append(value)

    def first(self, *names: str) -> str:
        for name in names:
            for value in self.tags.get(name, ()):
                if value:
                    return value
        return ""


def split_records(text: str, syntax: TaggedSyntax, path: str) -> tuple[list[TaggedRecord], list[Problem]]:
    """Records and the problems met (stray lines, records left open at the end)."""
    records: list[TaggedRecord] = []
    problems: list[Problem] = []
    current: TaggedRecord | None = None
    last_tag = ""
    first_tag = ""
    tag_match = syntax.tag_line.match
    marker = syntax.marker_line.match if syntax.marker_line else None
    start_tags, end_tags, file_tags = syntax.start_tags, syntax.end_tags, syntax.file_tags
    indent = syntax.continuation_indent
    ignore = syntax.ignore_line.match if syntax.ignore_line else None
    stray_outside = 0
    after_end: TaggedRecord | None = None  # the record just closed, for tags after its end line
    stray_line = 0
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            if syntax.blank_ends_record and current is not None:
                records.append(current)
                after_end, current = current, None
            continue
        if marker is not None and marker(line):
            if current is not None:
                records.append(current)
            current, first_tag = TaggedRecord(lineno), ""
            continue
        match = tag_match(line)
        if indent and match and line.startswith(indent):
            match = None
        if match:
            tag, value = match.group(1), (match.group(2) or "").strip()
            if tag in start_tags:
                if current is not None:
                    if end_tags:
                        problems.append(Problem(path, current.line, f"record has no {'/'.join(sorted(end_tags))} line; read up to line {lineno - 1}"))
                    records.append(current)
                current = TaggedRecord(lineno)
                current.add(tag, value)
                last_tag, after_end = tag, None
                continue
            if tag in end_tags:
                if current is not None:
                    records.append(current)
                    after_end, current = current, None
                last_tag = ""
                continue
            if current is None:
                if tag in file_tags:
                    continue
                if start_tags and marker is None and not (syntax.repeat_starts_record or syntax.blank_ends_record):
                    if ignore is not None and ignore(line):
                        continue
                    if end_tags and after_end is not None:
                        # A tag after the end line (Ovid writes NL there): it belongs to that record.
                        after_end.add(tag, value)
                        last_tag = tag
                        continue
                    stray_outside += 1
                    stray_line = stray_line or lineno
                    continue
                current, first_tag = TaggedRecord(lineno), tag
            elif syntax.repeat_starts_record and tag == first_tag:
                records.append(current)
                current = TaggedRecord(lineno)
            elif not first_tag:
                first_tag = tag
            current.add(tag, value)
            last_tag = tag
            continue
        # An untagged line continues the previous field.
        owner = current if current is not None else after_end
        if owner is not None and last_tag in owner.tags and (ignore is None or not ignore(line)):
            values = owner.tags[last_tag]
            text_part = line.strip()
            if last_tag in syntax.list_continuation:
                values.append(text_part)
            else:
                values[-1] = f"{values[-1]} {text_part}" if values[-1] else text_part
        elif ignore is None or not ignore(line):
            stray_outside += 1
            stray_line = stray_line or lineno
    if current is not None:
        if end_tags and current.tags:
            problems.append(Problem(path, current.line, f"last record has no {'/'.join(sorted(end_tags))} line (file truncated?); read what was there"))
        records.append(current)
    if stray_outside:
        problems.append(Problem(path, stray_line, f"{stray_outside} line(s) outside any record ignored, first at this line"))
    return records, problems


FieldRule = Callable[[str], bool]
ACCEPT: dict[str, FieldRule] = {
    "year": lambda v: extract_year(v) is not None,
    "doi": lambda v: "10." in v,
}


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
    for name, candidates in field_map.items():
        rule = accept.get(name)
        if name == "keywords":
            values = [v for tag in candidates for v in tags.get(tag, ()) if v]
            if values:
                rec[name] = values
                used.update(t for t in candidates if t in tags)
            continue
        if name == "authors":
            for tag in candidates:
                values = [v for v in tags.get(tag, ()) if v]
                if values:
                    rec[name] = values
                    used.add(tag)
                    break
            continue
        for tag in candidates:
            value = next((v for v in tags.get(tag, ()) if v and (rule is None or rule(v))), None)
            if value is not None:
                rec[name] = value
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
