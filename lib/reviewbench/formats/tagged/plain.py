"""The fast reader of a tagged file laid out exactly as its format's own writer lays it out
(PubMed's MEDLINE, RIS as databases write it); :mod:`.split` goes on where it stops."""

from __future__ import annotations

import re
from typing import Any, Iterator

from ...errors import Problem
from .syntax import Converter, TaggedRecord, TaggedSyntax


def split_plain_layout(
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
