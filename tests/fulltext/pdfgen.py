"""A small PDF writer for tests and benchmarks: pages of text placed where a journal places it.

Text is drawn in Helvetica (one of the 14 standard fonts, so nothing is embedded) with the
``fi`` and ``fl`` ligature glyphs in the font's encoding, as typesetting programs draw
them: a PDF written here shows ``ﬁ`` where the text says ``ﬁ``. A page may instead be one
grey image and no text (a scanned page). :func:`encrypt` and :func:`damage` make the PDFs
a reader must refuse. Nothing here is copied from a real article.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass, field

PAGE_WIDTH, PAGE_HEIGHT = 595.0, 842.0  # A4 in points
#: Codes of the ligature glyphs in the font's encoding (``/Differences``).
_LIGATURES = {"\ufb01": 1, "\ufb02": 2}


@dataclass(frozen=True)
class Text:
    """A run of text whose baseline starts at ``(x, y)`` (points from the bottom left)."""

    x: float
    y: float
    text: str
    size: float = 10.0


@dataclass
class Page:
    """One page: text runs in the order they are drawn, or a scanned image and no text."""

    texts: list[Text] = field(default_factory=list)
    scanned: bool = False


def _escape(text: str) -> bytes:
    out = bytearray()
    for ch in text:
        if ch in _LIGATURES:
            out += b"\\%03o" % _LIGATURES[ch]
        elif ch in "()\\":
            out += b"\\" + ch.encode("latin-1")
        else:
            out += ch.encode("cp1252", errors="replace")
    return bytes(out)


def _content(page: Page) -> bytes:
    if page.scanned:
        return b"q 495 0 0 742 50 50 cm /Im1 Do Q\n"
    parts = [b"BT"]
    for t in page.texts:
        parts.append(b"/F1 %.1f Tf 1 0 0 1 %.2f %.2f Tm (%s) Tj" % (t.size, t.x, t.y, _escape(t.text)))
    parts.append(b"ET")
    return b"\n".join(parts) + b"\n"


def pdf_bytes(pages: list[Page], info: dict[str, str] | None = None) -> bytes:
    """A PDF of ``pages``; ``info`` becomes the document information (``Title``, ``Subject``...)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_obj = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
               b"/BaseEncoding /WinAnsiEncoding /Differences [1 /fi /fl] >> >>")
    pixels = zlib.compress(bytes(range(0, 256, 4)) * 64)
    image = add(b"<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % len(pixels) + pixels + b"\nendstream")
    kids = []
    for page in pages:
        stream = zlib.compress(_content(page))
        content = add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %g %g] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R >> >> >>"
                        % (pages_obj, PAGE_WIDTH, PAGE_HEIGHT, content, font, image)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    info_obj = None
    if info:
        entries = b" ".join(b"/%s (%s)" % (k.encode(), _escape(v)) for k, v in info.items())
        info_obj = add(b"<< " + entries + b" >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    trailer = b"<< /Size %d /Root %d 0 R" % (len(objects) + 1, catalog)
    if info_obj:
        trailer += b" /Info %d 0 R" % info_obj
    out.write(b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken between words."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines


def one_column(lines: list[str], *, top: float = 780.0, size: float = 10.0, x: float = 72.0) -> list[Text]:
    """Lines of one column from ``top`` down."""
    return [Text(x, top - i * size * 1.3, line, size) for i, line in enumerate(lines)]


def two_columns(left: list[str], right: list[str], *, top: float = 700.0, size: float = 9.0) -> list[Text]:
    """Two columns drawn as a typesetter often draws them: line by line across the gutter."""
    texts = []
    for i in range(max(len(left), len(right))):
        y = top - i * size * 1.3
        if i < len(left):
            texts.append(Text(56.0, y, left[i], size))
        if i < len(right):
            texts.append(Text(310.0, y, right[i], size))
    return texts


def encrypt(data: bytes, password: str = "secret") -> bytes:
    """``data`` encrypted with a user password (RC4, which pypdf writes without extra packages)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, owner_password=password, algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def damage(data: bytes) -> bytes:
    """``data`` cut off in the middle of its first page and with garbage in place of the rest."""
    return data[: len(data) // 3] + b"\x00garbage\xff" * 20
