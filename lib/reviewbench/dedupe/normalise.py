"""Comparison keys for deduplication: each record field reduced to the form two records share.

Every function here is a small pure function over one value; :func:`prepare_records`
applies them column by column and returns a frame of keys (one row per record, same
order). Mappings (generic titles, record kinds, preprint servers, journal aliases) are
data files in ``dedupe/data``.
"""

from __future__ import annotations

import csv
import html
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import unquote

import numpy as np
import pandas as pd

from ..formats.normalise import MONTHS, author_names
from ..formats.table import parse_citation, split_author_list
from ..schema import normalise_doi

_TAGS = re.compile(r"<[^>]{0,200}>")
_NON_WORD = re.compile(r"[^0-9a-z]+")
# MEDLINE's notes on linked items, appended to the title by Ovid: "[Erratum appears in J. 2013;44(4):237]".
_LINKED_NOTE = re.compile(
    r"\s*\[(?:erratum|comment|retraction|retracted|update|expression of concern|corrected and republished|republished"
    r"|summary for patients)s? (?:appears |published |of |for |to )?in\b[^\[\]]{0,200}\]\s*\.?",
    re.IGNORECASE,
)
_TRAILING_BRACKET = re.compile(r"\s*[\[(][^\[\]()]{2,60}[\])]\s*\.?\s*$")
_FIRST_NUMBER = re.compile(r"\d+")
_VENUE_SUFFIX = re.compile(r"(?:\s+(?:supplements?|suppl|supp|conference|meeting abstracts|abstracts))+$")

_DROP_ASCII_PUNCTUATION = str.maketrans("", "", "".join(chr(c) for c in range(128) if not chr(c).isalnum()))
_SPREADSHEET_ERROR = re.compile(r"#(?:NAME\?|VALUE!|REF!|N/A|DIV/0!|NUM!|NULL!|SPILL!|CALC!|FIELD!|BLOCKED!)", re.IGNORECASE)
_STOP_WORDS = frozenset("of the and for in on a an de la le der die das und et y i fur".split())


def _data_lines(name: str) -> list[str]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _data_csv(name: str) -> list[dict[str, str]]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@lru_cache(maxsize=None)
def generic_titles() -> frozenset[str]:
    """Normalised titles that name a kind of item ("editorial", "reply") rather than a work."""
    return frozenset(_data_lines("generic_titles.txt"))


@lru_cache(maxsize=None)
def _language_note() -> re.Pattern[str]:
    """``". Russian\nOriginal title"``, ``" [Chinese]"``, ``"(article in German)"`` at a title's end."""
    names = "|".join(sorted(_data_lines("languages.txt"), key=len, reverse=True))
    language = rf"(?i:(?:article in |text in |in )?(?:{names})(?:\s+(?:abstract|text|article))?)"
    return re.compile(
        rf"(?:[.:]\s*|\s*(?=[\[(]))(?:\[\s*{language}\s*\]|\(\s*{language}\s*\)|(?<=[.:] ){language}|(?<=[.:]){language})"
        rf"\s*(?:$|[.\n].*$|\s+[A-Z\u00C0-\u024F].*$)",
        re.DOTALL,
    )


@lru_cache(maxsize=None)
def _kind_patterns() -> list[tuple[str, str, re.Pattern[str]]]:
    return [(r["kind"], r["field"], re.compile(r["pattern"], re.IGNORECASE)) for r in _data_csv("record_kinds.csv")]


@lru_cache(maxsize=None)
def _preprint_rules() -> tuple[tuple[str, ...], frozenset[str]]:
    rows = _data_csv("preprint_servers.csv")
    prefixes = tuple(r["pattern"] for r in rows if r["kind"] == "doi_prefix")
    journals = frozenset(r["pattern"] for r in rows if r["kind"] == "journal")
    return prefixes, journals


@lru_cache(maxsize=None)
def journal_aliases() -> dict[str, str]:
    """Normalised journal name -> canonical name, for renamed journals (data/journal_aliases.csv)."""
    groups: dict[str, str] = {}
    for row in _data_csv("journal_aliases.csv"):
        a, b = journal_key(row["name"], aliases=False), journal_key(row["same_as"], aliases=False)
        root = groups.get(b, groups.get(a, min(a, b)))
        for key in (a, b):
            old = groups.get(key)
            groups[key] = root
            if old and old != root:
                for k, v in list(groups.items()):
                    if v == old:
                        groups[k] = root
    return groups


# --- text -------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _char_fold(ch: str) -> str:
    """One non-ASCII character as ASCII: Greek letters by name (beta), accents dropped."""
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return " "
    if name.startswith("GREEK ") and " LETTER " in name:
        word = name.split(" LETTER ", 1)[1].split(" ")[0].lower()
        return f" {word} "
    if name in ("MICRO SIGN",):
        return " mu "
    decomposed = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base if base.isascii() else " "


def fold_text(text: Any) -> str:
    """Lower-case ASCII words separated by single spaces (HTML, accents and Greek letters resolved)."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return ""
    text = str(text)
    if "<" in text or "&" in text:
        text = html.unescape(_TAGS.sub(" ", text))
    if not text.isascii():
        text = "".join(c if c.isascii() else _char_fold(c) for c in text)
    text = text.lower().replace("'", "").replace("\u2019", "").replace("&", " and ")
    return _NON_WORD.sub(" ", text).strip()


def title_key(title: Any) -> str:
    """The title as comparable words.

    A spreadsheet's error value ("#NAME?": a title that began with "=" or "-", lost to a
    formula) is no title, also in a translated title's brackets ("[#NAME?]."). MEDLINE's notes on a linked erratum, comment or retraction
    ("[Erratum appears in ...]") are removed. A title wholly in square brackets (MEDLINE's translated titles) loses its brackets; a
    trailing bracketed or parenthesised note ("[Chinese]", "(author's transl)") is removed;
    case, punctuation, trailing periods, HTML and accents are folded away.
    """
    if title is None or (isinstance(title, float) and np.isnan(title)):
        return ""
    text = str(title).strip()
    if text.startswith("#") and _SPREADSHEET_ERROR.fullmatch(text):
        return ""
    if "<" in text or "&" in text:
        text = html.unescape(_TAGS.sub(" ", text))
    if "[" in text:
        cut = _LINKED_NOTE.sub(" ", text).strip()
        text = cut if cut else text
    text = text.strip().rstrip(".").strip()
    note = _language_note().search(text, 12) if ("." in text or "[" in text or "(" in text or ":" in text) else None
    if note:
        text = text[: note.start()].strip()
    if text.startswith("[") and text.endswith("]") and text.count("[") == 1:
        text = text[1:-1]
    else:
        stripped = _TRAILING_BRACKET.sub("", text)
        if len(stripped) >= 20:
            text = stripped
    if "#" in text and _SPREADSHEET_ERROR.fullmatch(_TRAILING_BRACKET.sub("", text).strip().strip("[].").strip()):
        return ""  # the error value as a translated title ("[#NAME?].", "[#NAME?]. [Article in German]")
    return fold_text(text)


GREEK_NAMES = frozenset(
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi "
    "psi omega".split()
)


def dropped_greek(a: str, b: str) -> tuple[str, str] | None:
    """Two title keys without their Greek letter names, where one export dropped letters the other gives.

    A database that cannot store a Greek letter may drop it ("role of opioid receptors" for
    "role of kappa opioid receptors"). Where the letters of one title are the other's with
    some left out (never another letter: "alpha agonist" and "gamma agonist" are two
    things), the titles are returned without them; otherwise ``None``.
    """
    words_a, words_b = a.split(), b.split()
    greek_a = [w for w in words_a if w in GREEK_NAMES]
    greek_b = [w for w in words_b if w in GREEK_NAMES]
    if len(greek_a) == len(greek_b):
        return None
    short, long = (greek_a, greek_b) if len(greek_a) < len(greek_b) else (greek_b, greek_a)
    rest = iter(long)
    if not all(any(w == x for x in rest) for w in short):
        return None
    return " ".join(w for w in words_a if w not in GREEK_NAMES), " ".join(w for w in words_b if w not in GREEK_NAMES)


_ROMAN = {"ii": "2", "iii": "3", "vii": "7", "viii": "8"}  # not "iv" (intravenous), "vi", "ix"


def title_numbers(key: str) -> str:
    """The numbers in a title key, sorted ("part ii" and "part 2" both give "2").

    Two parts of a series, or reports of two years, differ only here.
    """
    numbers = [n.lstrip("0") or "0" for n in _FIRST_NUMBER.findall(key)]  # "a1" and "a 1" alike
    numbers += [_ROMAN[w] for w in key.split() if w in _ROMAN]
    return " ".join(sorted(numbers))


def is_generic_title(key: str) -> bool:
    """True for titles such as "Editorial" or "Reply" that identify no particular work."""
    return len(key) < 4 or key in generic_titles()


# --- authors ----------------------------------------------------------------------------

# Words that mark a group author ("ACTIVATION Study Group", "Writing Committee"): one
# database lists the group, another the people, so a group never counts as a surname.
GROUP_WORDS = frozenset(
    "group groups committee collaboration collaborative collaborators consortium association society investigators "
    "network team trialists writing working party organization organisation council institute agency foundation "
    "commission board programme program project service services centre center department ministry".split()
)
_ET_AL = re.compile(r"[,;]?\s*\bet\.?\s*al\b\.?|[,;]?\s*\band others\b", re.IGNORECASE)


def author_list(value: Any) -> list[str]:
    """Author names from the record schema's list, or from a string in any common form.

    Strings are split and turned round by the importer's own rules
    (:func:`reviewbench.formats.table.split_author_list`, then
    :func:`reviewbench.formats.normalise.author_names`: ``;``/``and`` lists, EndNote strings
    with the names run together, ``SmithJ.A.JonesB.C.`` with no separators at all); "et al."
    is dropped.
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    if isinstance(value, (list, tuple, np.ndarray)):
        # A list item may still hold several names run together ("Platt L.Grenfell P.").
        return [name for v in value for name in author_names(str(v))]
    text = _ET_AL.sub("", str(value)).strip(" ,;")
    return [name for part in split_author_list(text) for name in author_names(part.strip(" ,"))]


_GROUP_WORD = re.compile(r"\b(?:" + "|".join(sorted(GROUP_WORDS)) + r")\b", re.IGNORECASE)


def is_group_author(name: str) -> bool:
    """True for a group or corporate author ("The EPIC Study Group", "Writing Committee")."""
    return " " in name.strip() and _GROUP_WORD.search(name) is not None


def _is_initials(token: str) -> bool:
    """"J", "JA", "J.A.", "M-C": initials rather than a family name."""
    letters = token.replace(".", "").replace("-", "")
    return 0 < len(letters) <= 4 and letters.isalpha() and letters.isupper()


@lru_cache(maxsize=1 << 17)
def author_surname(name: str) -> str:
    """Folded family name of one author ("Mc Grath-Lone, Louise" -> "mcgrathlone"); "" for a group."""
    if is_group_author(name):
        return ""
    comma = name.find(",")
    if comma >= 0:
        family = name[:comma]
    else:
        tokens = name.split()
        if len(tokens) <= 1:
            family = name
        else:
            # "Smith JA", "Smith J. A.", "La Morgia C": trailing initials; else "Given Family".
            k = len(tokens)
            while k > 1 and _is_initials(tokens[k - 1]):
                k -= 1
            family = " ".join(tokens[:k]) if k < len(tokens) else tokens[-1]
    if family.isascii():
        return family.translate(_DROP_ASCII_PUNCTUATION).lower()
    return fold_text(family).replace(" ", "")


_RUN_TOGETHER = re.compile(r"\.\s?[A-Z][a-z]|[a-z][A-Z]\.")


@lru_cache(maxsize=1 << 18)
def _surnames(item: str) -> tuple[str, ...]:
    """The usable surnames in one author-list item (one name, or several run together)."""
    comma = item.find(",")
    if comma > 0 and item.find(",", comma + 1) < 0 and not _RUN_TOGETHER.search(item):
        names: tuple[str, ...] = (item,)  # "Family, Given": the importer's own form
    else:
        names = author_names(item)
    return tuple(s for s in map(author_surname, names) if len(s) > 1)


def authors_key(value: Any, limit: int = 8) -> str:
    """Surnames of the first ``limit`` personal authors, folded, space separated.

    Group authors are left out, and so are one-letter "surnames" (a list of initials only,
    "M; K; F"): they identify nobody, so such a list counts as no authors at all.
    """
    if isinstance(value, (list, tuple, np.ndarray)):
        surnames: list[str] = []
        for item in value:
            surnames.extend(_surnames(item if type(item) is str else str(item)))
            if len(surnames) >= limit:
                break
    else:
        surnames = [s for s in (author_surname(n) for n in author_list(value)) if len(s) > 1]
    return " ".join(surnames[:limit])


# --- journal, volume, pages -------------------------------------------------------------


def journal_key(journal: Any, aliases: bool = True) -> str:
    """Folded journal name without "the", qualifiers or ampersands (``"J Public Health (Oxf)"`` -> ``"j public health"``)."""
    text = str(journal or "")
    if not text or text == "nan":
        return ""
    # Embase names meeting supplements "Circulation. Conference: American Heart Association ...".
    text = re.split(r"\.?\s*\bconference\s*:", text, maxsplit=1, flags=re.IGNORECASE)[0]
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text).replace("&", " and ")
    key = " ".join(w for w in fold_text(text).split() if w != "the")
    # A journal's supplement or conference issue is the same venue ("Atherosclerosis Supplements").
    venue = _VENUE_SUFFIX.sub("", key)
    if venue and venue.split()[-1] not in _STOP_WORDS:
        key = venue
    if aliases:
        key = journal_aliases().get(key, key)
    return key


def journals_compatible(a: str, b: str) -> bool:
    """True when two journal keys can name the same journal.

    Equal keys, renamed journals (data table), or one name an abbreviation of the other:
    each word of the shorter form is a prefix of the next significant word of the longer
    (``"am j physiol heart circ physiol"`` vs ``"american journal of physiology heart and
    circulatory physiology"``), also when the shorter omits a trailing subtitle. A word of
    the longer name left out in the middle makes another journal.
    """
    if not a or not b:
        return True
    if a == b:
        return True
    wa = [w for w in a.split() if w not in _STOP_WORDS]
    wb = [w for w in b.split() if w not in _STOP_WORDS]
    if "".join(wa) == "".join(wb):
        return True
    if len(wa) > len(wb):
        wa, wb = wb, wa
    if not wa:
        return True
    if len(wa) == 1 and len(wb) > 1:  # "lancet" is not "lancet infectious diseases"
        return False
    return _abbreviates(wa, wb) or _abbreviates(wb, wa)


def _abbreviates(short: list[str], long: list[str]) -> bool:
    """Each word of ``short`` matches (as a prefix, either way) the next word of ``long``.

    No significant word of the longer name may be skipped ("european psychiatry" is not
    "european child and adolescent psychiatry"); the longer may go on after the shorter ends.
    """
    return all(w.startswith(v) or v.startswith(w) for v, w in zip(short, long))


def volume_key(volume: Any) -> str:
    """The volume number as digits; "" when it holds none.

    A leading number wins ("38 (Supplement 1)" -> "38"), else the last one
    ("Korsakova. Part 2. 117" -> "117"); a bare fragment such as "1)" holds none, and
    nor does a date where the volume should be ("2015 Mar", "Spring 2011"): its year
    is no volume number.
    """
    text = str(volume or "").strip()
    if not text or text == "nan" or re.fullmatch(r"\d+\)", text) or is_date_text(text):
        return ""
    numbers = _FIRST_NUMBER.findall(text)
    if not numbers:
        return ""
    number = numbers[0] if text[0].isdigit() else numbers[-1]
    return number.lstrip("0") or "0"


def volume_numbers(volume: Any, issue: Any) -> str:
    """Every number in the volume and issue fields, space separated.

    Databases move supplement and issue numbers into the volume field ("1" for
    "61 (10 Suppl 1)"); a volume found among the other record's numbers is no conflict.
    """
    text = f"{volume or ''} {issue or ''}".replace("nan", "")
    return " ".join(sorted({n.lstrip("0") or "0" for n in _FIRST_NUMBER.findall(text)}))


_ROMAN_PAGE = re.compile(r"([ivxlcdm]+)\.?\s*(?:[-\u2013\u2014]|$)", re.IGNORECASE)
_WORDS = re.compile(r"[A-Za-z]+")
_SEASONS = frozenset("spring summer autumn fall winter".split())


def is_date_text(text: str) -> bool:
    """True when a page or issue field holds a date ("2004 Mar", "March", "Spring 2011"), not numbers."""
    words = [w.lower() for w in _WORDS.findall(text)]
    return bool(words) and all(w in MONTHS or w in _SEASONS for w in words)


# Pages numbered as a supplement's or an abstract book's: "S72", "A12", "i428", "P-102", "OP12".
_SUPPLEMENT_PAGE = re.compile(r"\s*(?:S|A|i{1,3}|P|O|OP|PO)-?\d")


def start_page(pages: Any) -> str:
    """The first page as digits ("e47-54" -> "47", "H2070-7" -> "2070", "Jan-13" -> "1").

    Front matter numbered in roman numerals keeps its numeral ("xiii-xv" -> "xiii"), so
    it agrees with itself and differs from any arabic page. A date where the pages should
    be ("2004 Mar", "March") gives no page: it says nothing about where the item starts.
    """
    text = str(pages or "").strip()
    if not text or text == "nan":
        return ""
    roman = _ROMAN_PAGE.match(text)
    if roman:
        return roman.group(1).lower()
    month = re.match(r"([A-Za-z]{3})-(\d+)$", text)
    if month and month.group(1).lower() in MONTHS:
        return str(MONTHS[month.group(1).lower()])
    if is_date_text(text):
        return ""
    match = _FIRST_NUMBER.search(text)
    return (match.group(0).lstrip("0") or "0") if match else ""


_PAGE_RANGE = re.compile(r"\s*([A-Za-z]{0,3})(\d{1,6})\s*[-\u2013\u2014]\s*([A-Za-z]{0,3})(\d{1,6})\s*$")
MAX_PAGE_COUNT = 500


def page_count(pages: Any) -> int:
    """How many pages a range spans ("1091-1097" and "1091-7" -> 7, "H384-H391" -> 8), 0 when unknown.

    An end page written short takes its leading digits from the first page; a spreadsheet's
    date for a range ("Jan-42": 1-42) is read as the range. A single page, a date, a range
    that ends before it starts or spans more than :data:`MAX_PAGE_COUNT` pages (a slip of the
    keyboard, "849-853854") gives 0: nothing to compare.
    """
    text = str(pages or "").strip()
    if not text or text == "nan":
        return 0
    month = re.match(r"([A-Za-z]{3})-(\d+)$", text)
    if month and month.group(1).lower() in MONTHS:
        first, last = str(MONTHS[month.group(1).lower()]), month.group(2)
    else:
        match = _PAGE_RANGE.match(text)
        if not match or (match.group(3) and match.group(3).lower() != match.group(1).lower()):
            return 0
        first, last = match.group(2), match.group(4)
    if len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    count = int(last) - int(first) + 1
    return count if 1 < count <= MAX_PAGE_COUNT else 0


_IN_PARENTHESES = re.compile(r"\(([^()]*)\)")


def issue_numbers(issue: Any, volume: Any = "", pages: Any = "") -> str:
    """The numbers of an issue, space separated ("5-6" -> "5 6", "3 Pt 2" -> "2 3").

    Embase writes the issue in parentheses in the volume field ("11 (3) (no pagination)")
    and an article number in the issue field: the numbers in the volume's parentheses
    count, and a number that is the record's own first page does not. A date ("Mar",
    "Spring") or a year gives none: two issues conflict only when both give numbers and
    they share none.
    """
    text = str(issue or "").strip()
    numbers: set[str] = set()
    if text and text != "nan" and not is_date_text(text):
        numbers = {n.lstrip("0") or "0" for n in _FIRST_NUMBER.findall(text) if len(n) < 4}
    for inside in _IN_PARENTHESES.findall(str(volume or "")):
        inside = inside.strip()
        if inside.isdigit() and len(inside) < 4:  # "(3)", not "(Suppl 1)" or "(no pagination)"
            numbers.add(inside.lstrip("0") or "0")
    page = start_page(pages)
    if page and len(numbers) > 1:
        numbers.discard(page)
    return " ".join(sorted(numbers, key=lambda n: (len(n), n)))


def pmid_key(value: Any) -> str:
    text = re.sub(r"\D", "", str(value or "")) if value is not None and str(value) != "nan" else ""
    return text.lstrip("0")


_PUBMED_URL = re.compile(r"ncbi\.nlm\.nih\.gov/(?:pubmed|entrez/query\.fcgi\?.*?list_uids=)/?(\d{1,9})\b|pubmed\.ncbi\.nlm\.nih\.gov/(\d{1,9})\b")
_DOI_IN_URL = re.compile(r"(?:doi\.org/|\bdoi[:=]|/doi/(?:abs/|full/|pdf/|epdf/)?)(10\.\d{4,9}/[^\s&?#\"<>]+)", re.IGNORECASE)


def pmid_from_url(url: Any) -> str:
    """A PubMed id found in a PubMed link (``https://www.ncbi.nlm.nih.gov/pubmed/18460911``)."""
    if not isinstance(url, str) or "ncbi" not in url:
        return ""
    match = _PUBMED_URL.search(url)
    return (match.group(1) or match.group(2)).lstrip("0") if match else ""


_URL_VIEW = re.compile(r"(?:/(?:pdf|epdf|pdfdirect|abstract|abs|full|fulltext|html|references|summary|suppinfo|meta))+/?$")


def percent_decoded(text: str) -> str:
    """``text`` with its percent-encoding undone, however many times a link encoded it.

    A link resolver's query (OpenURL ``rft_id=info:doi/10.1016%2FS0003-4975%252898...``)
    encodes a DOI once more than the link that holds it, so ``(`` arrives as ``%2528``.
    """
    for _ in range(3):
        if "%" not in text:
            break
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    return text


def doi_from_url(url: Any) -> str:
    """A DOI found in a link: a resolver, a publisher's ``/doi/`` path or a link resolver's ``id=doi:``.

    A publisher's view name after the DOI (``.../doi/10.1002/x.2604/pdf``) is not part of it,
    and a DOI encoded twice (a link resolver's query) is decoded twice.
    """
    if not isinstance(url, str) or "10." not in url:
        return ""
    match = _DOI_IN_URL.search(percent_decoded(url))
    return _URL_VIEW.sub("", normalise_doi(match.group(1))) if match else ""


def abstract_key(abstract: Any, words: int = 60) -> str:
    """The first ``words`` folded words of an abstract; "" when it is too short to compare (under 20 words)."""
    if not isinstance(abstract, str) or len(abstract) < 100:
        return ""
    folded = fold_text(abstract[: words * 12]).split()
    return " ".join(folded[:words]) if len(folded) >= 20 else ""


# --- record kind ------------------------------------------------------------------------


def record_kinds(fields: pd.DataFrame) -> list[str]:
    """The kind of each row of ``fields`` (columns title [a title key], ref_type, journal, volume, issue, pages, doi).

    The first matching rule wins: a preprint server (DOI prefix or name), then the
    patterns of ``data/record_kinds.csv`` in order, then abstract numbering ("A107.1").
    """
    if fields.empty:
        return []
    prefixes, journals = _preprint_rules()
    kind = pd.Series("article", index=fields.index, dtype=object)
    preprint = fields["doi"].str.startswith(prefixes) | fields["journal"].map(fold_text).isin(journals)
    kind[preprint] = "preprint"
    for name, field, pattern in _kind_patterns():
        open_rows = kind == "article"
        if not open_rows.any():
            break
        values = fields.loc[open_rows, field]
        values = values[values != ""]
        # Journal, volume and type strings repeat: test each distinct value once.
        codes, uniques = pd.factorize(values)
        if len(uniques) == 0:
            continue
        hit = pd.Series(uniques).str.contains(pattern, regex=True).to_numpy(dtype=bool)[codes]
        kind[values.index[hit]] = name
    numbered = (kind == "article") & fields["pages"].str.fullmatch(r"\s*[A-Za-z]?\d+\.\d+\s*")
    kind[numbered] = "conference"
    return kind.tolist()


# --- all keys ---------------------------------------------------------------------------

KEY_COLUMNS = [
    "record_id", "title_key", "title_numbers", "generic", "authors_key", "first_author", "year",
    "journal_key", "volume_key", "issue_key", "issue_numbers", "volume_numbers", "page_key", "page_count", "supplement_page", "doi",
    "pmid", "kind",
    "abstract_key",
]


def _texts(records: pd.DataFrame, name: str) -> list[str]:
    return [str(v) if v is not None and str(v) != "nan" and v is not pd.NA else "" for v in _column(records, name)]


def _column(records: pd.DataFrame, name: str) -> list[Any]:
    if name in records.columns:
        return records[name].tolist()
    return [""] * len(records)


def _ref_types(records: pd.DataFrame) -> list[str]:
    types = [str(t or "") if str(t) != "nan" else "" for t in _column(records, "ref_type")]
    if "extra" in records.columns:
        for i, extra in enumerate(records["extra"].tolist()):
            if not types[i] and isinstance(extra, dict):
                types[i] = str(extra.get("ENTRYTYPE") or extra.get("type") or extra.get("Type") or "")
    return types


def prepare_records(records: pd.DataFrame) -> pd.DataFrame:
    """One row of comparison keys per record, in the order of ``records``.

    Columns: :data:`KEY_COLUMNS`. ``year`` is a float (NaN when missing); every other key
    is a string ("" when missing); ``generic`` and ``supplement_page`` (pages numbered as a
    supplement's, "S72") are bools. A whole citation written into
    the journal field (:func:`reviewbench.formats.table.parse_citation`) fills the volume, issue, pages and year the
    record leaves empty, and its journal name is compared; a DOI given only in a link
    (:func:`doi_from_url`) counts as the record's DOI.
    """
    titles = [title_key(t) for t in _column(records, "title")]
    authors = [authors_key(a) for a in _column(records, "authors")]
    journals_raw = _texts(records, "journal")
    volumes_raw = _texts(records, "volume")
    issues_raw = _texts(records, "issue")
    pages_raw = _texts(records, "pages")
    years_raw = _column(records, "year")
    citations: dict[str, dict[str, str]] = {}
    for k, journal in enumerate(journals_raw):
        if not journal:
            continue
        parts = citations.get(journal)
        if parts is None:
            parts = citations[journal] = parse_citation(journal)
        if parts:
            journals_raw[k] = parts["journal"]
            volumes_raw[k] = volumes_raw[k] or parts["volume"]
            issues_raw[k] = issues_raw[k] or parts["issue"]
            pages_raw[k] = pages_raw[k] if start_page(pages_raw[k]) else parts["pages"]
            if parts["year"] and pd.isna(pd.to_numeric(years_raw[k], errors="coerce")):
                years_raw[k] = parts["year"]
    urls = _column(records, "url")
    dois = [normalise_doi(percent_decoded(d) if isinstance(d, str) else d) for d in _column(records, "doi")]
    dois = [d or doi_from_url(u) for d, u in zip(dois, urls)]
    ref_types = _ref_types(records)
    journal_cache: dict[str, str] = {}
    journal_keys = []
    for j in journals_raw:
        key = journal_cache.get(j)
        if key is None:
            key = journal_cache[j] = journal_key(j)
        journal_keys.append(key)
    years = pd.to_numeric(pd.Series(years_raw, dtype="object"), errors="coerce").to_numpy(dtype=float)
    out = pd.DataFrame(
        {
            "record_id": records["record_id"].astype(str).tolist(),
            "title_key": titles,
            "title_numbers": [title_numbers(t) for t in titles],
            "generic": [is_generic_title(t) for t in titles],
            "authors_key": authors,
            "first_author": [a.split(" ", 1)[0] if a else "" for a in authors],
            "year": years,
            "journal_key": journal_keys,
            "volume_key": [volume_key(v) for v in volumes_raw],
            "issue_key": [volume_key(v) for v in issues_raw],
            "issue_numbers": [issue_numbers(i, v, p) for i, v, p in zip(issues_raw, volumes_raw, pages_raw)],
            "volume_numbers": [volume_numbers(v, i) for v, i in zip(volumes_raw, issues_raw)],
            "page_key": [start_page(p) for p in pages_raw],
            "page_count": [page_count(p) for p in pages_raw],
            "supplement_page": [_SUPPLEMENT_PAGE.match(p) is not None for p in pages_raw],
            "doi": dois,
            "pmid": [pmid_key(p) or pmid_from_url(u) for p, u in zip(_column(records, "pmid"), urls)],
            "kind": record_kinds(
                pd.DataFrame(
                    {"title": titles, "ref_type": ref_types, "journal": journals_raw, "volume": volumes_raw,
                     "issue": issues_raw, "pages": pages_raw, "doi": dois}
                )
            ),
            "abstract_key": [abstract_key(a) for a in _column(records, "abstract")],
        }
    )
    out["generic"] = out["generic"].astype(bool)
    out["year"] = out["year"].astype(float)
    return out[KEY_COLUMNS]
