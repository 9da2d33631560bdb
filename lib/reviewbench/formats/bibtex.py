"""BibTeX and BibLaTeX through pybtex's scanner, recovering entry by entry.

The file is split where a line starts with ``@type{`` so that one broken entry cannot
take the rest of the file with it. Each block is read by pybtex's
:class:`~pybtex.database.input.bibtex.LowLevelParser` with the file's ``@string``
macros; its errors are collected instead of raised, so a block with an unbalanced brace
or an undefined macro keeps the fields read before the problem. Blocks that pybtex
cannot read as written are retried after small repairs (an empty or missing key,
field names with spaces). Field values are turned from LaTeX into Unicode
(:mod:`.latex`) and mapped by :data:`FIELD_MAP`; other fields go to ``extra``.
"""

from __future__ import annotations

import re
from typing import Any

from pybtex.bibtex.utils import split_name_list
from pybtex.database import Person
from pybtex.database.input.bibtex import LowLevelParser, month_names
from pybtex.scanner import PybtexError
from pybtex.utils import CaseInsensitiveDict

from ..errors import SKIPPED, WARNING, Problem
from .latex import latex_to_text

# Schema field -> BibTeX/BibLaTeX fields in priority order.
FIELD_MAP: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "abstract": ("abstract",),
    "year": ("year", "date", "urldate"),
    "journal": ("journal", "journaltitle", "booktitle", "series", "publisher", "school", "institution"),
    "volume": ("volume",),
    "issue": ("number", "issue"),
    "pages": ("pages", "eid", "art_number"),
    "doi": ("doi",),
    "pmid": ("pmid",),
    "isbn": ("isbn", "issn"),
    "url": ("url",),
    "keywords": ("keywords", "keyword", "mesh", "author_keywords"),
    "language": ("language", "langid"),
    "source_db": ("source",),
}
# Fields whose values are plain identifiers, not LaTeX text.
RAW_FIELDS = {"doi", "url", "pmid", "isbn", "issn", "eid", "art_number"}
_ENTRY_START = re.compile(r"^[ \t]*@[ \t]*([A-Za-z][\w-]*)[ \t]*[{(]", re.M)
_SKIP_TYPES = {"comment", "preamble", "string"}
_KEYLESS = re.compile(r"^[ \t]*@[ \t]*[A-Za-z][\w-]*[ \t]*[{(]\s*(,|(?=[A-Za-z][\w-]*\s*=))")
_HEAD = re.compile(r"[ \t]*@[ \t]*([A-Za-z][\w-]*)[ \t]*([{(])[ \t]*([^,=\n{}()\"]*),")
_SPACED_FIELD = re.compile(r"^([^\S\n]*,?[^\S\n]*)([A-Za-z][\w+.:-]*(?:[^\S\n]+[\w+.:-]+)+)([^\S\n]*=)", re.M)
_IN_LINE = re.compile(r" in line \d+")
_FIELD_START = re.compile(r"^\s*[A-Za-z][\w+.:-]*\s*=\s*[{\"]")
_ESCAPED = re.compile(r"\\([_&%#$~])")
_KEYWORD_SPLIT = re.compile(r"\s*[;,]\s*")
# A brace written as ``\{`` or ``\}`` (an odd number of backslashes before it) is a literal
# brace, not a group: pybtex would count it and read to the end of the file looking for the
# group's end. It is held as a private-use character while the block is read.
_LITERAL_BRACE = re.compile(r"(?<!\\)((?:\\\\)*)\\([{}])")
_HELD = {"{": "\ue000", "}": "\ue001"}
_RELEASED = str.maketrans({v: k for k, v in _HELD.items()})


def hold_literal_braces(text: str) -> str:
    """``text`` with every escaped brace (``\\{``, ``\\}``) replaced by a placeholder
    character, so brace counting sees only real groups (see :func:`release_literal_braces`)."""
    if "\\" not in text:
        return text
    return _LITERAL_BRACE.sub(lambda m: m.group(1) + _HELD[m.group(2)], text)


def release_literal_braces(text: str) -> str:
    """The placeholders of :func:`hold_literal_braces` back as literal braces."""
    return text.translate(_RELEASED)


def looks_like(text: str) -> bool:
    """True when the text has ``@type{`` entries with ``field =`` lines."""
    head = text[:100000]
    return bool(_ENTRY_START.search(head)) and "=" in head


_NEXT_ON_LINE = re.compile(r"[})][ \t]*@[ \t]*([A-Za-z][\w-]*)[ \t]*[{(]")


def split_entries(text: str) -> list[tuple[int, str, str]]:
    """(line number, entry type, block text) for each block starting ``@type{`` on a line,
    or on the line where the entry before it closed (``...}, year = 2020} @article{next,``)."""
    starts = [(m.start(), m.group(1).lower()) for m in _ENTRY_START.finditer(text)]
    out = []
    line, last = 1, 0
    for i, (pos, kind) in enumerate(starts):
        line += text.count("\n", last, pos)
        last = pos
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        block = text[pos:end]
        if _NEXT_ON_LINE.search(block):
            out += [(line + block.count("\n", 0, at), k or kind, part) for at, k, part in _split_closed(block)]
        else:
            out.append((line, kind, block))
    return out


def _split_closed(block: str) -> list[tuple[int, str, str]]:
    """(offset, entry type, text) of each entry in ``block``: a new entry starts where
    ``@type{`` follows the brace or parenthesis that closed the entry before it."""
    held = _LITERAL_BRACE.sub(lambda m: m.group(1) + "  ", block)  # same length, literal braces blanked
    cuts = [(0, "")]
    depth = 0
    closers = {m.start(): m for m in _NEXT_ON_LINE.finditer(held)}
    for i, ch in enumerate(held):
        if ch in "{(":
            depth += 1
        elif ch in "})":
            depth -= 1
            if depth == 0 and i in closers:
                m = closers[i]
                cuts.append((m.start() + m.group(0).index("@"), m.group(1).lower()))
    bounds = [c[0] for c in cuts] + [len(block)]
    return [(start, kind, block[start:end]) for (start, kind), end in zip(cuts, bounds[1:]) if block[start:end].strip()]


class _Block:
    """The result of reading one block: type, key, raw fields and the errors met.

    ``errors`` holds (line within the block, message) pairs.
    """

    def __init__(self, chunk: str, macros: CaseInsensitiveDict, keyless: bool, key: str | None = None) -> None:
        self.errors: list[tuple[int, str]] = []
        self.kind = ""
        self.key = key
        self.fields: list[tuple[str, str]] = []
        parser = LowLevelParser(chunk, keyless_entries=keyless, macros=macros, handle_error=self._error)
        try:
            command, body = next(iter(parser))
        except StopIteration:
            return
        except PybtexError as exc:
            self._error(exc)
            return
        self.kind = command
        if command.lower() in ("string", "preamble"):
            return
        parsed_key, raw_fields = body
        if not keyless:
            self.key = parsed_key
        self.fields = [(name, "".join(parts)) for name, parts in raw_fields or []]

    def _error(self, error: Exception) -> None:
        lineno = getattr(error, "lineno", None) or 1
        text = _IN_LINE.sub("", str(error).strip().splitlines()[0]) if str(error).strip() else type(error).__name__
        self.errors.append((lineno, text))

    @property
    def fatal(self) -> bool:
        """Nothing usable was read."""
        return not self.fields


def _read_block(chunk: str, macros: CaseInsensitiveDict) -> _Block:
    """Read one block, retrying with repairs when pybtex cannot read it as written.

    The citation key is taken from the first line here (pybtex refuses empty keys and
    keys with spaces), and the rest is read by pybtex as a key-less entry.
    """
    chunk = hold_literal_braces(chunk)
    head = _HEAD.match(chunk)
    if head and head.group(1).lower() not in _SKIP_TYPES:
        key = head.group(3).strip()
        text = chunk[: head.start(3)] + chunk[head.end() :]
        keyless = True
    elif _KEYLESS.match(chunk):
        key, text, keyless = "", chunk, True
    else:
        key, text, keyless = None, chunk, False
    block = _Block(text, macros, keyless, key)
    if block.errors and any("end of file" in m or "expected" in m for _, m in block.errors):
        repaired = _close_open_fields(text)
        if repaired != text:
            retry = _Block(repaired, macros, keyless, key)
            if len(retry.fields) > len(block.fields):
                retry.errors.insert(0, (1, "unbalanced braces: a field was closed at its line end"))
                block = retry
                text = repaired
    if block.errors and _SPACED_FIELD.search(text):
        repaired = _SPACED_FIELD.sub(lambda m: m.group(1) + re.sub(r"[^\S\n]+", "_", m.group(2)) + m.group(3), text)
        retry = _Block(repaired, macros, keyless, key)
        if len(retry.fields) > len(block.fields) or (retry.fields and len(retry.errors) < len(block.errors)):
            retry.errors.insert(0, (1, "field names with spaces read with underscores"))
            block = retry
    return block


def _brace_depth(line: str) -> int:
    line = line.replace("\\{", "").replace("\\}", "")
    return line.count("{") - line.count("}")


def _close_open_fields(chunk: str) -> str:
    """Close a ``field = {...`` value left open when the next line starts another field."""
    lines = chunk.split("\n")
    for i, line in enumerate(lines[:-1]):
        if not _FIELD_START.match(line) or i == 0:
            continue
        depth = _brace_depth(line[line.index("=") + 1 :])
        following = next((x for x in lines[i + 1 :] if x.strip()), "")
        if depth > 0 and (_FIELD_START.match(following) or following.strip() in ("}", ")")):
            lines[i] = line.rstrip().rstrip(",") + "}" * depth + ","
    return "\n".join(lines)


def parse(text: str, path: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Raw records and problems from BibTeX text."""
    records: list[dict[str, Any]] = []
    problems: list[Problem] = []
    macros = CaseInsensitiveDict(month_names)
    for line, kind, chunk in split_entries(text):
        if kind == "comment":
            continue
        block = _read_block(chunk, macros)
        messages = "; ".join(
            f"{message} (line {line + rel - 1})" if rel > 1 else message for rel, message in block.errors[:3]
        )
        where = line
        if kind in _SKIP_TYPES:
            if block.errors:
                problems.append(Problem(path, where, f"@{kind} not read: {messages}", kind=WARNING))
            continue
        label = f"@{kind}{{{block.key or ''}"
        if block.fatal:
            problems.append(
                Problem(path, where, f"entry skipped ({label}): {messages or 'no fields'}", record=block.key or None, kind=SKIPPED)
            )
            continue
        if block.errors:
            problems.append(Problem(path, where, f"entry read in part ({label}): {messages}", record=block.key or None, kind=WARNING))
        records.append(to_record(block.kind, block.key or "", block.fields, line))
    _resolve_crossrefs(records)
    return records, problems


def _resolve_crossrefs(records: list[dict[str, Any]]) -> None:
    """Fill empty fields of an entry from the entry its ``crossref`` field names."""
    by_key = {r["source_id"].lower(): r for r in records if r.get("source_id")}
    for rec in records:
        parent = by_key.get(str(rec["extra"].get("crossref", "")).lower())
        if parent is None or parent is rec:
            continue
        for field in ("year", "journal", "volume", "isbn", "url", "doi"):
            if not rec.get(field) and parent.get(field):
                rec[field] = parent[field]
        if not rec.get("authors") and parent.get("authors"):
            rec["authors"] = list(parent["authors"])


def to_record(kind: str, key: str, raw_fields: list[tuple[str, str]], line: int) -> dict[str, Any]:
    """Map one entry's fields to schema fields; other fields go to ``extra``.

    A repeated field keeps its first non-empty value; later values go to ``extra`` as
    ``name_2``, ``name_3``, ...
    """
    fields: dict[str, str] = {}
    extra: dict[str, str] = {}
    for name, value in raw_fields:
        name = name.lower()
        value = re.sub(r"\s+", " ", value).strip()
        if name not in fields or not fields[name]:
            fields[name] = value
        elif value:
            n = 2
            while f"{name}_{n}" in extra:
                n += 1
            extra[f"{name}_{n}"] = value
    rec: dict[str, Any] = {"_line": line, "ref_type": kind.lower(), "source_id": key}
    used: set[str] = set()
    for field, names in FIELD_MAP.items():
        for name in names:
            value = fields.get(name, "")
            if not value.strip():
                continue
            if field == "journal" and name in ("publisher", "school", "institution") and kind.lower() == "article":
                continue
            rec[field] = release_literal_braces(_raw(value) if name in RAW_FIELDS else latex_to_text(value))
            used.add(name)
            break
    if "keywords" in rec:
        rec["keywords"] = [k for k in _KEYWORD_SPLIT.split(rec["keywords"]) if k]
    authors = fields.get("author") or ""
    rec["authors"] = _people(authors) if authors else []
    if not rec["authors"] and fields.get("editor"):
        rec["authors"] = _people(fields["editor"])
        used.add("editor")
    used.add("author")
    rec["_authors_done"] = True  # pybtex has split family and given names; braces mark groups
    rec["_latex_done"] = True
    if rec.get("pages"):
        rec["pages"] = rec["pages"].replace("--", "-")
    rec["authors"] = [release_literal_braces(a) for a in rec["authors"]]
    rec["extra"] = {k: release_literal_braces(v) for k, v in ({k: v for k, v in fields.items() if k not in used and v} | extra).items()}
    if rec.get("source_id"):
        rec["source_id"] = release_literal_braces(rec["source_id"])
    return rec


def _raw(value: str) -> str:
    """An identifier field (DOI, URL): braces dropped and ``\\_`` style escapes undone."""
    return _ESCAPED.sub(r"\1", value.replace("{", "").replace("}", "")).strip()


def _people(value: str) -> list[str]:
    """``"Doe, J. and {World Health Organization} and others"`` -> ``["Doe, J.", "World Health Organization"]``."""
    people = []
    for name in split_name_list(value):
        if name.strip().lower() in ("others", "et al", "et al."):
            continue
        try:
            person = Person(name)
        except PybtexError:
            people.append(latex_to_text(name))
            continue
        family = latex_to_text(" ".join(person.prelast_names + person.last_names))
        given = latex_to_text(" ".join(person.first_names + person.middle_names))
        lineage = latex_to_text(" ".join(person.lineage_names))
        if lineage:
            given = f"{given}, {lineage}" if given else lineage
        people.append(f"{family}, {given}" if given else family)
    return [p for p in people if p]
