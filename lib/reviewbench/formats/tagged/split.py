"""The general reader of line-tagged text: every layout a database or a person writes.

:func:`split_records` reads a file a record at a time by the fast reader of
:mod:`.plain` for as long as the file keeps to its format's own layout, and goes on with
the general reader here from the first thing outside it: continuation lines, record
markers, stray lines, records left open. Lines it cannot place are reported.
"""

from __future__ import annotations

import re
from typing import Any

from ...errors import WARNING, Problem
from .plain import split_plain_layout
from .syntax import Converter, TaggedRecord, TaggedSyntax


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
        self.stray = 0  # untagged lines outside any record, and the first one's line
        self.stray_line = 0
        self.loose = 0  # untagged lines in a record before its first tag (nothing to continue)
        self.loose_line = 0
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
        if self.current is not None:
            self.loose += 1
            self.loose_line = self.loose_line or self.line_at(pos)
            return
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
        if self.loose:
            self.problems.append(Problem(self.path, self.loose_line, f"{self.loose} line(s) inside a record before its first tag ignored "
                                         "(neither a tag line nor the continuation of one), first at this line", kind=WARNING))
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
        done, stop = split_plain_layout(text, syntax, convert)
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
