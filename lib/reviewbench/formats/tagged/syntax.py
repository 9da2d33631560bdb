"""How a line-tagged format is laid out, and what one record of it holds."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable


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
    # to it (see :func:`.plain.split_plain_layout`): the continuation indent of records separated
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
