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
from typing import Any, Callable, Iterator

from ..errors import WARNING, Problem
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
    # The start of a tag line: matches at exactly the line starts where tag_line does, without
    # reading the value (a much cheaper test of "is the next line a new tag?"); None: tag_line.
    tag_start: re.Pattern[str] | None = None
    # The layout the format's own writer uses, read by a faster path when a whole file keeps
    # to it (see :func:`_split_plain_layout`): the continuation indent of records separated
    # by blank lines (MEDLINE's six spaces), or "" for records closed by an end tag with no
    # continuation lines (RIS as databases write it). None: always the general reader.
    plain_layout: str | None = None


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


Converter = Callable[[TaggedRecord], Any]


class _Splitter:
    """The state of one pass over a tagged file (see :func:`split_records`)."""

    def __init__(
        self, text: str, syntax: TaggedSyntax, path: str, convert: Converter | None = None,
        records: list[Any] | None = None, start: tuple[int, int] = (0, 1),
    ) -> None:
        """``records`` already read and ``start`` (position, line number) go on a pass begun elsewhere."""
        self.text, self.syntax, self.path = text, syntax, path
        self.convert = convert
        self.pending: TaggedRecord | None = None
        self.records: list[Any] = records if records is not None else []
        self.problems: list[Problem] = []
        self.current: TaggedRecord | None = None
        self.after_end: TaggedRecord | None = None  # the record just closed, for tags after its end line
        self.last_tag = ""
        self.first_tag = ""
        self.stray = 0
        self.stray_line = 0
        self._pos, self._line = start
        self.marker = syntax.marker_line.match if syntax.marker_line else None
        self.ignore = syntax.ignore_line.match if syntax.ignore_line else None
        self.free_start = bool(syntax.repeat_starts_record or syntax.blank_ends_record or syntax.marker_line)

    def _emit(self, record: TaggedRecord) -> None:
        """Hand over the record before this one (tags after an end line may still join the
        newest), so at most two records are held as tags at any time."""
        if self.pending is not None:
            self._convert(self.pending)
        self.pending = record

    def _convert(self, record: TaggedRecord) -> None:
        if self.convert is None:
            self.records.append(record)
            return
        result = self.convert(record)
        if isinstance(result, Problem):
            self.problems.append(result)
        elif result is not None:
            self.records.append(result)

    def line_at(self, pos: int) -> int:
        """Line number of text position ``pos`` (positions only move forward)."""
        self._line += self.text.count("\n", self._pos, pos)
        self._pos = pos
        return self._line

    def close(self) -> None:
        if self.current is not None:
            self._emit(self.current)
            self.after_end, self.current = self.current, None

    def tag(self, tag: str, value: str, pos: int) -> None:
        syntax = self.syntax
        current = self.current
        if tag in syntax.start_tags:
            if current is not None:
                if syntax.end_tags:
                    self.problems.append(
                        Problem(self.path, current.line, f"record has no {'/'.join(sorted(syntax.end_tags))} line; read up to the next record", kind=WARNING)
                    )
                self._emit(current)
            self.current = TaggedRecord(self.line_at(pos), {tag: [value]})
            self.last_tag, self.after_end = tag, None
            return
        if tag in syntax.end_tags:
            self.close()
            self.last_tag = ""
            return
        if current is None:
            if tag in syntax.file_tags:
                return
            if syntax.start_tags and not self.free_start:
                if self.after_end is not None and syntax.end_tags:
                    # A tag after the end line (Ovid writes NL there): it belongs to that record.
                    self.after_end.add(tag, value)
                    self.last_tag = tag
                    return
                self._stray(pos)
                return
            current = self.current = TaggedRecord(self.line_at(pos))
            self.first_tag = tag
        elif syntax.repeat_starts_record and tag == self.first_tag:
            self._emit(current)
            current = self.current = TaggedRecord(self.line_at(pos))
        elif not self.first_tag:
            self.first_tag = tag
        values = current.tags.get(tag)
        if values is None:
            current.tags[tag] = [value]
        else:
            values.append(value)
        self.last_tag = tag

    def other_line(self, line: str, pos: int) -> None:
        """A line that is not a tag line: blank, record marker, continuation or stray."""
        if not line.strip():
            if self.syntax.blank_ends_record:
                self.close()
            return
        if self.marker is not None and self.marker(line):
            if self.current is not None:
                self._emit(self.current)
            self.current, self.first_tag = TaggedRecord(self.line_at(pos)), ""
            return
        if self.ignore is not None and self.ignore(line):
            return
        owner = self.current if self.current is not None else self.after_end
        if owner is not None and self.last_tag in owner.tags:
            values = owner.tags[self.last_tag]
            part = line.strip()
            if self.last_tag in self.syntax.list_continuation:
                values.append(part)
            else:
                values[-1] = f"{values[-1]} {part}" if values[-1] else part
            return
        self._stray(pos)

    def _stray(self, pos: int) -> None:
        self.stray += 1
        self.stray_line = self.stray_line or self.line_at(pos)

    def gap(self, after: int, before: int) -> None:
        """The lines between the tag line ending at ``after`` (-1: file start) and position ``before``."""
        first = after + 1
        segment = self.text[first:before]
        if not segment:
            return
        if segment.endswith("\n"):
            segment = segment[:-1]
        pos = first
        for line in segment.split("\n"):
            self.other_line(line, pos)
            pos += len(line) + 1

    def finish(self) -> tuple[list[Any], list[Problem]]:
        if self.current is not None:
            if self.syntax.end_tags and self.current.tags:
                self.problems.append(
                    Problem(self.path, self.current.line,
                            f"last record has no {'/'.join(sorted(self.syntax.end_tags))} line (file truncated?); read what was there", kind=WARNING)
                )
            self._emit(self.current)
        if self.pending is not None:
            self._convert(self.pending)
            self.pending = None
        if self.stray:
            self.problems.append(Problem(self.path, self.stray_line, f"{self.stray} line(s) outside any record ignored, first at this line", kind=WARNING))
        self.problems.sort(key=lambda p: (p.line is None, p.line or 0))
        return self.records, self.problems


def split_records(
    text: str, syntax: TaggedSyntax, path: str, convert: Converter | None = None
) -> tuple[list[Any], list[Problem]]:
    """Records and the problems met (stray lines, records left open at the end).

    With ``convert``, each record is handed to it as soon as it is complete and the
    result kept instead (a :class:`Problem` result is reported, ``None`` dropped), so a
    large file is never held twice in memory as tags and as records.

    Tag lines are found by one multi-line regular expression over the whole text; only
    the (rare) lines between them, continuations, blanks and markers, are looked at one
    by one. Line numbers are counted only where a record starts or a problem is met.
    """
    done: list[Any] = []
    stop: tuple[int, int] | None = (0, 1)
    if syntax.plain_layout is not None:
        done, stop = _split_plain_layout(text, syntax, convert)
        if stop is None:
            return done, []
    # The general reader goes on from the record the fast one stopped before.
    resume = stop[0]
    splitter = _Splitter(text, syntax, path, convert, done, stop)
    special = syntax.start_tags | syntax.end_tags | syntax.file_tags
    fast = not syntax.repeat_starts_record
    list_tags = syntax.list_continuation
    pos = resume - 1  # where the previous tag line (with its continuations) ends
    last_tag = ""
    current_tags: dict[str, list[str]] | None = None
    for match in _line_pattern(syntax).finditer(text, resume):
        start, end = match.span()
        if start > pos + 1:
            splitter.last_tag = last_tag
            splitter.gap(pos, start)
            last_tag = splitter.last_tag
            current_tags = splitter.current.tags if fast and splitter.current is not None else None
        tag, value, more = match.group(1, 2, 3)  # 3 is "more" (see _line_pattern)
        pos = end
        value = value.strip() if value else ""
        if current_tags is not None and tag not in special:
            # The common case, kept inline: one more tag inside an open record.
            last_tag = tag
            if more:
                current_tags.setdefault(tag, []).extend(_continued(value, more, tag in list_tags))
                continue
            values = current_tags.get(tag)
            if values is None:
                current_tags[tag] = [value]
            else:
                values.append(value)
            continue
        splitter.last_tag = last_tag
        splitter.tag(tag, value, start)
        owner = splitter.current
        if more and owner is not None and splitter.last_tag == tag and tag in owner.tags:
            # Continuation lines of a tag that opened a record: joined as everywhere else.
            values = owner.tags[tag]
            values[-1:] = _continued(values[-1], more, tag in list_tags)
        elif more:
            line_start = pos - len(more)
            for line in more.split("\n")[1:]:
                line_start += 1
                splitter.other_line(line, line_start)
                line_start += len(line)
        last_tag = splitter.last_tag
        current_tags = splitter.current.tags if fast and splitter.current is not None else None
    splitter.last_tag = last_tag
    if pos + 1 < len(text):
        splitter.gap(pos, len(text))
    return splitter.finish()


def _split_plain_layout(
    text: str, syntax: TaggedSyntax, convert: Converter | None
) -> tuple[list[Any], tuple[int, int] | None]:
    """Records of a file laid out exactly as its format's writer lays it out, and where it
    stopped: ``None`` when it read the whole file, else the position and line number of
    the record before the first thing outside that layout (the general reader goes on
    from there; that record is read again, as a tag after its end line belongs to it).

    PubMed's MEDLINE (blank-line separated records, continuation lines under a fixed
    indent) and RIS as databases write it (``TY`` ... ``ER`` with every line a tag line)
    are read a record at a time: the format's own tag-line pattern lists a record's tags
    and values in one call, so Python touches each field once instead of each line
    several times. The result equals the general reader's; the first thing outside that
    layout (a stray or numbered line, an odd blank, a second start tag, a record the
    converter rejects) stops it, and the general reader reads the rest.
    """
    everything: tuple[list[Any], tuple[int, int] | None] = ([], (0, 1))
    if syntax.file_tags or syntax.marker_line or syntax.repeat_starts_record or not syntax.start_tags:
        return everything
    indent = syntax.plain_layout or ""
    start_tags = syntax.start_tags
    if indent:
        if syntax.end_tags or not syntax.blank_ends_record:
            return everything
        blocks = _blank_separated(text)
    elif len(syntax.end_tags) == 1 and not syntax.blank_ends_record:
        blocks = _end_tag_closed(text, next(iter(syntax.end_tags)))
    else:
        return everything
    continuation = "\n" + indent
    width = len(indent)
    field = _PLAIN_PATTERNS.get(syntax.name)
    if field is None:
        # The format's own tag line, and with an indent the continuation lines under it,
        # whose text starts right after the indent; ``(?<=\S)`` leaves a line's trailing
        # white space unmatched (it is stripped anyway). A line indented further, or of
        # only white space (a blank line to the general reader), is not matched.
        more = f"((?:{re.escape(continuation)}\\S[^\\n]*(?<=\\S))*)" if indent else ""
        field = _PLAIN_PATTERNS[syntax.name] = re.compile(f"^(?:{syntax.tag_line.pattern}){more}", re.M)
    records: list[Any] = []
    previous = (0, 1, 0)  # (start, line, records read before it) of the last record read

    def stop() -> tuple[list[Any], tuple[int, int]]:
        del records[previous[2]:]
        return records, previous[:2]

    for first_line, start, end, breaks in blocks:
        if start < 0:
            return stop()
        # Read in place (no copy of the record's text); every line must be a tag line or,
        # with an indent, a continuation line: the lines matched must be all the lines.
        pairs = field.findall(text, start, end)
        lines = len(pairs)
        tags: dict[str, list[str]] = {}
        for tag, value, more in pairs if indent else ((t, v, "") for t, v in pairs):
            if value:
                value = value.strip()
            if more:
                # Each continuation line is the indent and text that starts and ends with
                # a non-space (the pattern sees to it), so the lines, stripped and joined
                # by single spaces, are one replace; each line break shortens it by `width`.
                joined = more.replace(continuation, " ")
                lines += (len(more) - len(joined)) // width
                value = value + joined if value else joined[1:]
            values = tags.get(tag)
            if values is None:
                tags[tag] = [value]
            else:
                values.append(value)
        if lines != breaks + 1:
            return stop()  # a line outside the layout (a stray line, a blank of spaces)
        # A record opens with its start tag and holds no other (a start tag inside would
        # begin a record of its own), or with no start tag at all where none is required.
        first = pairs[0][0]
        if first in start_tags:
            if len(tags[first]) > 1 or (len(start_tags) > 1 and sum(tag in tags for tag in start_tags) > 1):
                return stop()
        elif syntax.end_tags or not start_tags.isdisjoint(tags):
            return stop()
        record = TaggedRecord(first_line, tags)
        result = record if convert is None else convert(record)
        if isinstance(result, Problem):
            return stop()  # let the general reader report it in its own words
        previous = (start, first_line, len(records))
        if result is not None:
            records.append(result)
    return records, None


_PLAIN_PATTERNS: dict[str, re.Pattern[str]] = {}


def _past_blank_lines(text: str, pos: int, line: int) -> tuple[int, int]:
    """Position and line number after the empty lines starting at ``pos``."""
    start = pos
    while pos < len(text) and text[pos] == "\n":
        pos += 1
    return pos, line + pos - start


def _blank_separated(text: str) -> Iterator[tuple[int, int, int, int]]:
    """``(line number, start, end, line breaks inside)`` of each blank-line separated block
    of ``text``, one at a time (a 200 MB export is not copied into a list of blocks)."""
    pos, line, size = 0, 1, len(text)
    while pos < size:
        pos, line = _past_blank_lines(text, pos, line)
        if pos >= size:
            return
        end = text.find("\n\n", pos)
        if end == -1:
            end = size
            while text[end - 1] == "\n":
                end -= 1
        breaks = text.count("\n", pos, end)
        yield line, pos, end, breaks
        line += breaks
        pos = end


def _end_tag_closed(text: str, end_tag: str) -> Iterator[tuple[int, int, int, int]]:
    """``(line number, start, end, line breaks inside)`` of the lines of each record closed
    by an end-tag line (``ER  -``); a start of -1 where anything but blank lines lies
    outside a record."""
    closing = re.compile(rf"{re.escape(end_tag)} {{1,2}}-")
    marker = "\n" + end_tag
    pos, line, size = 0, 1, len(text)
    while pos < size:
        pos, line = _past_blank_lines(text, pos, line)
        if pos >= size:
            return
        at = text.find(marker, pos)
        if at == -1 or text.startswith(end_tag, pos) or not closing.match(text, at + 1):
            yield line, -1, -1, 0  # text after the last record, an empty record, an odd end line
            return
        breaks = text.count("\n", pos, at)
        yield line, pos, at, breaks
        end = text.find("\n", at + 1)
        line += breaks + 1
        pos = size if end == -1 else end


def _continued(value: str, more: str, as_list: bool) -> list[str]:
    """A tag's value with its continuation lines ``more`` (each starting with its line
    break): each line, stripped, a value of its own for list tags, else the lines joined
    to the value by single spaces (as a stray line is joined to the tag above it)."""
    parts = [part for part in (line.strip() for line in more.split("\n")[1:]) if part]
    if as_list:
        return [value, *parts]
    joined = " ".join(parts)
    return [f"{value} {joined}" if value and joined else value or joined]


_LINE_PATTERNS: dict[str, re.Pattern[str]] = {}


def _line_pattern(syntax: TaggedSyntax) -> re.Pattern[str]:
    """A tag line and the untagged lines that continue it, anchored at a line start.

    Group 1 is the tag, group 2 the value on the tag line, group ``more`` the following
    lines that are neither tag lines, record markers, ignorable lines nor blank.
    """
    compiled = _LINE_PATTERNS.get(syntax.name)
    if compiled is None:
        tag = syntax.tag_line.pattern
        stops = [syntax.tag_start.pattern if syntax.tag_start is not None else tag, r"[ \t]*$"]
        if syntax.marker_line is not None:
            stops.append(f"(?:{syntax.marker_line.pattern})$")
        if syntax.ignore_line is not None:
            stops.append(f"(?:{syntax.ignore_line.pattern})$")
        stop = "|".join(f"(?:{s})" for s in stops)
        compiled = re.compile(f"^(?:{tag})(?P<more>(?:\n(?!{stop})[^\n]*)*)", re.M)
        assert compiled.groupindex["more"] == 3, "tag_line must have exactly two groups: tag, value"
        _LINE_PATTERNS[syntax.name] = compiled
    return compiled


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
