"""The text of a PDF, page by page, in reading order (pypdf), cached by the file's SHA-256.

:func:`read_pdf` returns a :class:`PdfText`: the document's metadata and, for each page,
its lines in reading order (two columns read one after the other, see
:mod:`reviewbench.fulltext.layout`). A page with no text (a scanned page: an image of
the page and no characters) is kept, empty, and listed in :attr:`PdfText.scanned_pages`.

A PDF that cannot be read stops with one :class:`~reviewbench.errors.FullTextError`
naming the file and what to do: not a PDF, protected by a password, damaged (cut short,
or its structure unreadable), or larger than :data:`MAX_BYTES` / :data:`MAX_PAGES`.

The text is cached as JSON under ``.cache/fulltext/<sha256>.json``: the same bytes are
read once, whatever the file is called; a changed file has another hash.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import FullTextError
from ..outputs_io import write_text
from .layout import COLUMN_NAMES, Fragment, Line, reading_order, spans

#: The largest PDF read (bytes): a report is rarely above 50 MB; a file much larger is
#: usually a whole book or scanned at a high resolution, and would take minutes.
MAX_BYTES = 200 * 1024 * 1024
#: The most pages read from one PDF.
MAX_PAGES = 2000
#: Bumped when what is cached changes, so an old cache is read again.
CACHE_VERSION = 1


@dataclass(frozen=True)
class PageText:
    """One page: its number (from 1), its lines in reading order and each line's column
    (``""`` full width, ``left column`` or ``right column``)."""

    number: int
    lines: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def has_text(self) -> bool:
        return any(line.strip() for line in self.lines)


@dataclass(frozen=True)
class PdfText:
    """The text of one PDF: its SHA-256, metadata (``title``, ``subject``, ``keywords``...)
    and its pages."""

    sha256: str
    pages: tuple[PageText, ...]
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def scanned_pages(self) -> list[int]:
        """Numbers of the pages without any text (scanned images, or blank)."""
        return [p.number for p in self.pages if not p.has_text]

    @property
    def scanned(self) -> bool:
        """Whether no page has text: the PDF is a scan (it needs text recognition, OCR)."""
        return bool(self.pages) and not any(p.has_text for p in self.pages)

    def text(self, first: int = 1, last: int | None = None) -> str:
        """The text of pages ``first`` to ``last`` (all by default), pages apart by a blank line."""
        chosen = [p for p in self.pages if p.number >= first and (last is None or p.number <= last)]
        return "\n\n".join(p.text for p in chosen)

    def to_json(self) -> dict[str, Any]:
        return {"version": CACHE_VERSION, "sha256": self.sha256, "metadata": self.metadata,
                "pages": [{"lines": list(p.lines), "columns": list(p.columns)} for p in self.pages]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "PdfText":
        pages = tuple(PageText(i, tuple(p["lines"]), tuple(p["columns"])) for i, p in enumerate(data["pages"], start=1))
        return cls(str(data["sha256"]), pages, {str(k): str(v) for k, v in data.get("metadata", {}).items()})


def sha256_of(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _fragments(page: Any) -> list[Fragment]:
    out: list[Fragment] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, size: float) -> None:
        if not text:
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = (abs(tm[3] * cm[3]) or abs(tm[0] * cm[0]) or 1.0)
        out.append(Fragment(text, float(x), float(y), float(size) * scale if size else 10.0))

    page.extract_text(visitor_text=visit)
    return out


def _page_lines(page: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    try:
        width = float(page.mediabox.width)
    except (TypeError, ValueError, AttributeError):
        width = 595.0
    lines: list[Line] = reading_order(spans(_fragments(page)), width)
    return tuple(line.text for line in lines), tuple(COLUMN_NAMES[line.column] for line in lines)


def _damaged(path: Path, detail: str) -> FullTextError:
    return FullTextError(path, "damaged", f"the PDF is damaged and cannot be read ({detail}); "
                         "download it again, or open it in a PDF viewer and save a new copy")


def _metadata(reader: Any) -> dict[str, str]:
    try:
        info = reader.metadata or {}
        return {str(k).lstrip("/").lower(): str(v) for k, v in info.items() if isinstance(v, str) and str(v).strip()}
    except Exception:  # noqa: BLE001 - metadata is a help, never a reason to refuse a PDF
        return {}


def extract(path: str | Path, data: bytes | None = None, sha256: str | None = None) -> PdfText:
    """The text of the PDF at ``path`` (see the module's docstring), not cached."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    path = Path(path)
    if data is None:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise FullTextError(path, "too_large", f"the PDF is {size / 2**20:,.0f} MB; at most {MAX_BYTES // 2**20} MB "
                                "are read (split it, or save a smaller copy, e.g. with images at a lower resolution)")
        data = path.read_bytes()
    if b"%PDF-" not in data[:1024]:
        raise FullTextError(path, "not_pdf", "is not a PDF (a PDF starts with %PDF-; was it saved from a web page?)")
    digest = sha256 or hashlib.sha256(data).hexdigest()
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # pypdf logs each repair it makes; the outcome is what matters here
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                reader = PdfReader(io.BytesIO(data), strict=False)
                if reader.is_encrypted and not reader.decrypt(""):
                    raise FileNotDecryptedError("a password is needed")
                count = len(reader.pages)
            except (FileNotDecryptedError, DependencyError):
                raise FullTextError(path, "encrypted", "the PDF is protected by a password; open it with the password "
                                    "and save (or print to PDF) a copy without one, then link that copy") from None
            except FullTextError:
                raise
            except Exception as exc:  # noqa: BLE001 - pypdf meets damage as many kinds of errors
                raise _damaged(path, type(exc).__name__ if not str(exc) else str(exc)[:120]) from None
            if count == 0:
                raise _damaged(path, "no page could be found")
            if count > MAX_PAGES:
                raise FullTextError(path, "too_large", f"the PDF has {count:,} pages; at most {MAX_PAGES:,} are read "
                                    "(a report longer than that is usually a whole book: link the chapter)")
            pages = []
            for number in range(1, count + 1):
                try:
                    lines, columns = _page_lines(reader.pages[number - 1])
                except Exception as exc:  # noqa: BLE001 - as above
                    raise _damaged(path, f"page {number}: {type(exc).__name__}") from None
                pages.append(PageText(number, lines, columns))
    finally:
        logger.setLevel(level)
    return PdfText(digest, tuple(pages), _metadata(reader))


def read_pdf(path: str | Path, cache_dir: str | Path | None = None) -> PdfText:
    """The text of the PDF at ``path``, from ``cache_dir`` when it was read before (see
    the module's docstring); ``cache_dir`` ``None`` reads it every time."""
    path = Path(path)
    if path.is_file() and path.stat().st_size > MAX_BYTES:
        return extract(path)  # refused with its message
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    cached = Path(cache_dir) / f"{digest}.json" if cache_dir is not None else None
    if cached is not None and cached.is_file():
        try:
            stored = json.loads(cached.read_text(encoding="utf-8"))
            if stored.get("version") == CACHE_VERSION and stored.get("sha256") == digest:
                return PdfText.from_json(stored)
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a damaged cache entry is read again
    text = extract(path, data, digest)
    if cached is not None:
        _write_cache(cached, text)
    return text


def _write_cache(target: Path, text: PdfText) -> None:
    """Write the cache entry atomically; a cache that cannot be written is no error."""
    try:
        write_text(json.dumps(text.to_json(), ensure_ascii=False), target)
    except OSError:
        pass
