"""Decode the bytes of an export: BOMs, UTF-16, legacy code pages, mixed line endings."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from charset_normalizer import from_bytes

from ..errors import InputFileError

_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\u2010-\u2027]")
_RUNS = re.compile(r"[^\x00-\x7f]{3,}")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(data: bytes, path: str | Path) -> str:
    """Text of an export with ``\\n`` line endings and no BOM.

    UTF-8 is tried first (the common case); BOMs choose their codec; anything else goes
    to charset-normalizer. Binary content raises :class:`InputFileError`.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = data.decode(codec, errors="replace")
            return _newlines(text.lstrip("\ufeff") if text.startswith("\ufeff") else text)
    if b"\x00" in data[:4096]:
        # UTF-16 without BOM: every other byte is NUL in mostly-ASCII text.
        sample = data[:4096]
        if sample[1::2].count(0) > len(sample) // 4:
            return _newlines(data.decode("utf-16-le", errors="replace"))
        if sample[0::2].count(0) > len(sample) // 4:
            return _newlines(data.decode("utf-16-be", errors="replace"))
        raise InputFileError(path, "this is a binary file, not a text export", expected="a bibliographic text export (RIS, BibTeX, MEDLINE, CSV, ...)")
    try:
        return _newlines(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    return _newlines(_legacy(data, path))


def _legacy(data: bytes, path: str | Path) -> str:
    """Text of a file in a legacy code page.

    Western exports (windows-1252, Latin-1) are by far the most common, and their
    accented letters stand alone between ASCII letters; double-byte encodings (GBK,
    Big5, Shift-JIS) read as windows-1252 give runs of accented gibberish instead. So
    windows-1252 is taken when it decodes and looks Western; then GBK/GB18030 when it
    decodes to Chinese characters only (short files defeat statistical detection);
    charset-normalizer decides the rest.
    """
    try:
        western: str | None = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and _looks_western(western):
        return western
    try:
        chinese = data.decode("gb18030")
        if all(_CJK.match(c) for c in chinese if ord(c) > 127):
            return chinese
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is not None:
        return str(best)
    if western is not None:
        return western
    raise InputFileError(path, "could not determine the text encoding", expected="a text file (UTF-8 or a common code page)")


def _looks_western(text: str) -> bool:
    non_ascii = sum(1 for c in text if ord(c) > 127)
    if not non_ascii:
        return True
    in_runs = sum(len(run) for run in _RUNS.findall(text))
    return in_runs <= non_ascii / 2


def _newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` to ``\\n`` (copies a large text only when it has to)."""
    if "\r" not in text:
        return text
    text = text.replace("\r\n", "\n")
    return text.replace("\r", "\n") if "\r" in text else text
