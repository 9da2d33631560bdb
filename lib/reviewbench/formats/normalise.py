"""Small pure normalisation steps applied to every parsed record, in a visible order.

A parser hands over a raw record: schema keys with strings (``authors`` and
``keywords`` as lists) plus ``extra``. :data:`STEPS` then, in order, cleans markup from
text fields, splits and turns round author names, takes the year from any date form,
expands page ranges and normalises DOI and PMID. Each step is a function of one record.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Any, Callable

from ..schema import normalise_doi
from .latex import latex_to_text

TEXT_FIELDS = ("title", "abstract", "journal")
_TAGS = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]{0,300})?/?>")
_LATEX_MARKERS = re.compile(r"\\[A-Za-z&%$#_'\"`^~={}.]|\{\\|\$\\")
_MOJIBAKE = re.compile("[\u00c2\u00c3][\u0080-\u00bf]|\u00e2\u20ac")
_SPACE = re.compile(r"\s+")
_PLAIN_NAME = re.compile(r"[A-Z][\w'-]*(?: [\w'-]+)*, [A-Z][\w'.-]*(?: [A-Z][\w'.-]*)*")
_ODD_SPACE = re.compile(r"[^\S ]")  # any white space other than a plain space
# Lower-case words that start a family name ("van Gogh", "de la Cruz", "Mc Grath-Lone").
PARTICLES = {
    "van", "von", "de", "der", "den", "del", "della", "di", "da", "dos", "das", "du", "la", "le", "ter",
    "ten", "bin", "ibn", "al", "el", "mc", "mac", "st", "st.", "zu", "af", "vd", "vander", "vanden",
}
# Free-text group authors ("World Health Organization" in a CSV or RIS line) are kept
# whole when a word of the name marks a group (GROUP_WORDS); False turns them round like
# personal names. Record ids do not depend on author forms, so this never changes an id.
# Formats that mark group authors (BibTeX braces, CSL literal, MEDLINE CN) keep them whole.
KEEP_GROUP_AUTHORS_WHOLE = True
# Words that mark a group author when KEEP_GROUP_AUTHORS_WHOLE is on.
GROUP_WORDS = {
    "organization", "organisation", "group", "committee", "collaboration", "consortium", "association",
    "society", "university", "department", "ministry", "council", "institute", "agency", "network",
    "centre", "center", "foundation", "office", "commission", "board", "investigators", "trust", "nhs",
    "service", "services", "team", "project", "programme", "program", "of", "for", "and", "the",
}
_INITIALS = re.compile(r"(?:[A-Z]\.?-?){1,4}")
_CONCATENATED = re.compile(r"(?<=[A-Z]\.)(?=[A-Z](?:[a-z\u00c0-\u024f]|['\u2019][A-Z]))")
# "SmithJ.A.": a family name run into its initials, with no space (EndNote/Embase lists
# that lost every separator). The family name ends in a lower-case letter.
_FAMILY_THEN_INITIALS = re.compile(r"([A-Z][\w'\u2019-]*[a-z\u00df-\u024f])((?:[A-Z]\.-?){1,4})")
#: Month names and their three-letter forms -> month numbers: the one month table of the package.
MONTHS = {
    name: number
    for number, month in enumerate(
        "january february march april may june july august september october november december".split(), start=1
    )
    for name in (month, month[:3])
}
_TRAILING_AND = re.compile(r"(?:,?\s+(?:and|&)|,?\s+et al\.?|,)$", re.I)
_GLUED_NAMES = re.compile(r"(?<=[a-z\u00df-\u024f])(?=(?:Prof\.|Dr\.|[A-Z][a-z\u00df-\u024f]*\.? ))")
_HONORIFIC = re.compile(r"^(?:(?:Prof|Dr|Mr|Mrs|Ms|Sir)\.?\s+)+")
MISSING = {"NA", "N/A", "NULL", "None", "nan", "[No title available]"}
MISSING_FIELDS = ("title", "abstract", "journal", "volume", "issue", "pages", "doi", "pmid", "isbn", "url", "language", "year")
_SHORT_FIELDS = tuple(f for f in MISSING_FIELDS if f != "abstract")
_LONGEST_MARKER = max(map(len, MISSING))
_EXCEL_DAY_MONTH = re.compile(r"(\d{1,2})-([A-Za-z]{3})")
_EXCEL_MONTH_DAY = re.compile(r"([A-Za-z]{3})-(\d{1,2})")
_PREFIXED_RANGE = re.compile(r"([A-Za-z]*)(\d+)-([A-Za-z]*)(\d+)")
_HAS_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][a-z\u00df-\u024f]")
_DIGITS = re.compile(r"\d{1,9}")
_SIMPLE_RANGE = re.compile(r"(\d+)-(\d+)")
_DASHES = re.compile(r"\s*[\u2010-\u2015\u2212]\s*|\s*--?\s*")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d|2100)(?!\d)")


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 read as windows-1252 (``KÃ¶nig`` -> ``König``) when that round trip is exact."""
    if not _MOJIBAKE.search(text):
        return text
    try:
        return text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _needs_cleaning(text: str) -> bool:
    """False for plain ASCII text with single spaces and nothing that could be markup."""
    if not text.isascii() or "  " in text or text[:1] == " " or text[-1:] == " ":
        return True
    return "<" in text or "&" in text or "\\" in text or "\n" in text or "\t" in text or "\r" in text


def clean_markup(text: str, latex: bool = True) -> str:
    """Remove HTML tags and entities and (unless ``latex`` is False) LaTeX markup, and
    collapse white space."""
    if not text:
        return ""
    text = str(text)
    if not _needs_cleaning(text):
        return text
    text = fix_mojibake(text)
    if "<" in text:
        text = _TAGS.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    if latex and "\\" in text and _LATEX_MARKERS.search(text):
        text = latex_to_text(text)
    if "  " in text or _ODD_SPACE.search(text):
        text = _SPACE.sub(" ", text)
    return text.strip()


def extract_year(value: object) -> int | None:
    """The year of any date form: ``2019``, ``2019///``, ``2019 Jan-Feb``, ``15/03/2019``, ``2019-03-15``."""
    if value is None:
        return None
    if isinstance(value, int):
        return value if 1500 <= value <= 2100 else None
    return _year_in(value if type(value) is str else str(value))


@lru_cache(maxsize=4096)
def _year_in(text: str) -> int | None:
    """The year in a date string (dates repeat across a file: "2019 Mar" is looked up once)."""
    match = _YEAR.search(text)
    return int(match.group(1)) if match else None


def expand_pages(pages: object) -> str:
    """``"221-8"`` -> ``"221-228"``, ``"79 – 88"`` -> ``"79-88"``; other forms tidied but unchanged.

    Page ranges that a spreadsheet turned into dates (``"06-Oct"`` for 6-10) are turned back.
    """
    text = str(pages or "").strip()
    simple = _SIMPLE_RANGE.fullmatch(text)
    if simple:
        start, end = simple.groups()
        if len(end) < len(start):
            end = start[: len(start) - len(end)] + end
        return f"{start}-{end}"
    if not text or text.isdigit():
        return text
    text = _DASHES.sub("-", text)
    excel = _EXCEL_DAY_MONTH.fullmatch(text) or _EXCEL_MONTH_DAY.fullmatch(text)
    if excel:
        a, b = excel.groups()
        day, month = (a, b) if a.isdigit() else (b, a)
        if month.lower() in MONTHS:
            first, second = (int(day), MONTHS[month.lower()]) if a.isdigit() else (MONTHS[month.lower()], int(day))
            return f"{first}-{second}"
    match = _PREFIXED_RANGE.fullmatch(text)
    if not match:
        return text
    p1, start, p2, end = match.groups()
    if len(end) < len(start) and (not p2 or p2 == p1):
        end = start[: len(start) - len(end)] + end
    return f"{p1}{start}-{p2 or p1}{end}"


def split_authors(authors: list[str]) -> list[str]:
    """Split EndNote-concatenated author strings: ``"Adeli K.Lewis G. F."`` -> two names.

    The one EndNote author splitter of the package: every record is read through it.

    A string is split only where an initial's full stop runs into a capitalised word and
    every piece still holds a family name, so ``"A.B.Smith"`` stays whole.
    """
    out: list[str] = []
    for author in authors:
        pieces = _CONCATENATED.split(author) if "." in author else [author]
        if len(pieces) > 1 and all(_HAS_WORD.search(p) for p in pieces):
            out.extend(p.strip() for p in pieces)
            continue
        # "Araz R. AlievNigar T. Ismayilova" (Springer): given-family names glued together.
        if "," not in author and " " in author:
            glued = [_HONORIFIC.sub("", p).strip() for p in _GLUED_NAMES.split(author)]
            if len(glued) > 1 and all(" " in p for p in glued):
                out.extend(glued)
                continue
        out.append(_HONORIFIC.sub("", author) if "," not in author else author)
    return out


def _is_group(tokens: list[str]) -> bool:
    return len(tokens) > 5 or any(t.lower().strip(".,") in GROUP_WORDS for t in tokens)


@lru_cache(maxsize=100_000)
def normalise_author(name: str) -> str:
    """Any author form to ``"Family, Given"``.

    ``"Smith, John"`` is kept; ``"Smith JA"`` and ``"Lewis G. F."`` (family then
    initials) become ``"Smith, JA"`` and ``"Lewis, G. F."``; ``"John Smith"`` and
    ``"Ludwig van Beethoven"`` are turned round (``"van Beethoven, Ludwig"``), keeping
    particles such as ``Mc`` with the family name (see :data:`KEEP_GROUP_AUTHORS_WHOLE`).
    """
    name = str(name)
    if _PLAIN_NAME.fullmatch(name):
        return name  # "Family, Given" already: the common case
    name = _SPACE.sub(" ", fix_mojibake(name)).strip().strip(";").strip()
    name = _TRAILING_AND.sub("", name)
    if not name or name.lower() in ("others", "et al", "et al.", "and others"):
        return ""
    if "," in name:
        family, _, given = name.partition(",")
        return f"{family.strip()}, {given.strip()}" if given.strip() else family.strip()
    tokens = name.split(" ")
    if len(tokens) == 1:
        glued = _FAMILY_THEN_INITIALS.fullmatch(name)
        return f"{glued.group(1)}, {glued.group(2)}" if glued else name
    n_initials = 0
    for token in reversed(tokens[1:]):
        if _INITIALS.fullmatch(token):
            n_initials += 1
        else:
            break
    if n_initials:
        family = tokens[: len(tokens) - n_initials]
        return f"{' '.join(family)}, {' '.join(tokens[len(family):])}"
    if KEEP_GROUP_AUTHORS_WHOLE and _is_group(tokens):
        return name
    # "Given [particles] Family": the family name starts at the first particle.
    start = len(tokens) - 1
    for i in range(1, len(tokens) - 1):
        if tokens[i].lower() in PARTICLES:
            start = i
            break
    return f"{' '.join(tokens[start:])}, {' '.join(tokens[:start])}"


# ---- steps --------------------------------------------------------------------------


def drop_missing_markers(rec: dict[str, Any]) -> dict[str, Any]:
    """Values that say "missing" (``NA`` from R exports, ``[No title available]``) become empty.

    Identifiers (``source_id``) are left as they are.
    """
    # The common case in one C-level pass. The abstract is measured, not hashed: hashing a
    # long text that is never looked up again was the costliest part of this step.
    abstract = rec.get("abstract")
    if MISSING.isdisjoint(map(rec.get, _SHORT_FIELDS)) and (
        not abstract or len(abstract) > _LONGEST_MARKER or abstract not in MISSING
    ):
        return rec
    for key in MISSING_FIELDS:
        if rec.get(key) in MISSING:  # parsers hand over stripped values
            rec[key] = ""
    return rec


def clean_text_fields(rec: dict[str, Any]) -> dict[str, Any]:
    """Markup out of title, abstract and journal.

    A parser that has already turned LaTeX into text (BibTeX) sets ``_latex_done``, so
    that a literal backslash in the result is not read as markup a second time.
    """
    latex = not rec.pop("_latex_done", False)
    for field in TEXT_FIELDS:
        value = rec.get(field)
        if value:
            rec[field] = _clean_repeated(value) if field == "journal" and latex else clean_markup(value, latex)
    return rec


@lru_cache(maxsize=20_000)
def _clean_repeated(text: str) -> str:
    """:func:`clean_markup` for values that repeat across records (journal names)."""
    return clean_markup(text)


def clean_authors(rec: dict[str, Any]) -> dict[str, Any]:
    """Authors as a list of ``"Family, Given"`` (parsers that already split names set ``_authors_done``)."""
    authors = [a if type(a) is str else str(a) for a in rec.get("authors") or ()]
    if rec.pop("_authors_done", False):
        rec["authors"] = [_SPACE.sub(" ", fix_mojibake(a)).strip() for a in authors if a.strip()]
    else:
        rec["authors"] = [name for a in authors for name in author_names(a)]
    return rec


@lru_cache(maxsize=100_000)
def author_names(author: str) -> tuple[str, ...]:
    """The names in one author string, split and turned round (names repeat across records)."""
    if not author.strip():
        return ()
    return tuple(a for a in (normalise_author(a) for a in split_authors([author])) if a)


def clean_year(rec: dict[str, Any]) -> dict[str, Any]:
    """The year from whatever date the record carries."""
    rec["year"] = extract_year(rec.get("year"))
    return rec


def clean_identifiers(rec: dict[str, Any]) -> dict[str, Any]:
    """Pages expanded, DOI normalised (or found in the URL), PMID digits only, keywords tidied."""
    rec["pages"] = expand_pages(rec.get("pages", ""))
    doi = normalise_doi(rec.get("doi"))
    if not doi and "doi.org/10." in str(rec.get("url") or ""):
        doi = normalise_doi(rec.get("url"))
    rec["doi"] = doi
    pmid = str(rec.get("pmid") or "")
    match = _DIGITS.search(pmid)
    rec["pmid"] = match.group(0) if match else ""
    keywords = rec.get("keywords") or []
    if isinstance(keywords, str):
        keywords = [keywords]
    seen: dict[str, None] = {}
    for keyword in keywords:
        # keywords repeat across records: the cached cleaner saves re-checking each one
        text = _clean_repeated(keyword) if type(keyword) is str else clean_markup(str(keyword))
        if text:
            seen.setdefault(text)
    rec["keywords"] = list(seen)
    return rec


STEPS: tuple[Callable[[dict[str, Any]], dict[str, Any]], ...] = (
    drop_missing_markers,
    clean_text_fields,
    clean_authors,
    clean_year,
    clean_identifiers,
)


def normalise_record(rec: dict[str, Any]) -> dict[str, Any]:
    """Apply every step to one raw record (in place) and return it."""
    for step in STEPS:
        step(rec)
    return rec
