"""CSV, TSV and XLSX exports (Scopus, Web of Science, Embase, Lens, OpenAlex, IEEE, Springer,
Zotero, Rayyan, Covidence, ASReview, reviewbench's own record tables).

Column names are compared after lower-casing and turning punctuation into spaces
(``publication_year`` = ``Publication Year``), then matched against
:data:`COLUMN_SYNONYMS`, whose order is the priority when several columns could fill
one field. Every other column is kept in ``extra`` (label columns included). Fields that
exports spread over other columns are gathered: start and end pages (a page count is never
the pages), an article number where there are no pages, and the parts of a whole citation
in a source or citation column (Embase, PubMed's CSV; :func:`parse_citation`). A row with
more or fewer cells than the header is read and reported. A cell may be of any length
(an abstract of 200 kB too); a quote that is never closed would swallow the rest of the
file into one cell, so its row is read as one line, reported, and reading goes on with
the next line. A worksheet that cannot be read names the sheet and the workbook.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from typing import Any, Iterable

from ..errors import SKIPPED, WARNING, InputFileError, Problem
from ..schema import RECORD_COLUMNS

# Schema field -> normalised column names, best first.
COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "source_id": ("source id", "id", "record id", "recordid", "key", "covidence", "covidence id", "rayyan id", "ref id", "refid", "ut unique wos id", "eid"),
    "title": ("title", "article title", "document title", "item title", "primary title", "ti", "display name", "titles"),
    "abstract": ("abstract", "ab", "abstract note", "summary", "original abstract"),
    "authors": ("authors", "author", "author full names", "author names", "author s", "au", "af", "authorships author display name", "creators", "author list"),
    "year": ("year", "publication year", "py", "pubyear", "pub year", "publication date", "date published", "date", "issue date", "online date", "year published"),
    "journal": ("journal", "source title", "publication title", "secondary title", "journal book", "journal title", "journal name", "primary location source display name", "source display name", "publication name", "container title", "periodical", "so", "t2", "source"),
    "volume": ("volume", "vl", "journal volume"),
    "issue": ("issue", "number", "is", "journal issue"),
    "pages": ("pages", "page", "page range", "pg", "pagination"),
    "doi": ("doi", "di", "item doi", "do", "doi url"),
    "pmid": ("pmid", "pubmed id", "pubmedid", "ids pmid", "pm", "pubmed"),
    "isbn": ("isbn", "isbns", "issn", "sn", "eissn", "e issn"),
    "url": ("url", "link", "urls", "article url", "open url link"),
    "keywords": ("keywords", "author keywords", "kw", "de", "index keywords", "manual tags", "mesh terms", "mesh", "keywords display name"),
    "language": ("language", "language of original document", "la"),
    "ref_type": ("ref type", "type", "document type", "item type", "entrytype", "pt", "content type", "publication type", "dt"),
    "source_db": ("source db", "database", "db", "source database"),
}
PAGE_START = ("start page", "page start", "first page", "beginning page", "bp", "sp", "biblio first page")
PAGE_END = ("end page", "page end", "last page", "ending page", "ep", "biblio last page")
#: An article number (Scopus ``Art. No.``, Web of Science ``AR``) stands for the pages of a
#: journal without page numbers, as citation managers and PubMed write it.
ARTICLE_NUMBER = ("art no", "article number", "article no", "ar", "article id")
#: Columns that count pages (Web of Science ``PG``, Scopus ``Page count``): never the pages
#: themselves when the table has start and end pages beside them.
PAGE_COUNT = ("pg", "page count", "number of pages")
#: Cells of any length are read: exports hold long abstracts, and the csv module's
#: default limit of 128 KiB would stop the whole table at the first longer one.
FIELD_LIMIT = 2**31 - 1
_QUOTED = re.compile(r'"[^"]*(?:""[^"]*)*"')
_LINE_END = re.compile(r"\r\n|\r|\n")
_NORMALISE = re.compile(r"[^0-9a-z]+")
_LIST_SPLIT = re.compile(r"\s*(?:;|\|)\s*")
_FAMILY_INITIALS = re.compile(r"^[^\s,]+(?: [^\s,]+)*? (?:[A-Z]\.?-?){1,4}$")


def column_key(name: str) -> str:
    """``"Publication_Year"`` -> ``"publication year"``."""
    return _NORMALISE.sub(" ", str(name).lower()).strip()


def match_columns(header: list[str]) -> dict[str, int]:
    """Schema field -> index of the column that fills it (best synonym present wins)."""
    keys = [column_key(h) for h in header]
    position = {}
    for i, key in enumerate(keys):
        position.setdefault(key, i)
    chosen: dict[str, int] = {}
    taken: set[int] = set()
    for field, synonyms in COLUMN_SYNONYMS.items():
        for synonym in synonyms:
            i = position.get(synonym)
            if i is not None and i not in taken:
                chosen[field] = i
                taken.add(i)
                break
    return chosen


def is_record_table(header: list[str]) -> bool:
    """True when the header is reviewbench's own record schema (written by ``import``)."""
    return set(RECORD_COLUMNS) <= {h.strip() for h in header}


def _cells(line: str, delimiter: str) -> list[str]:
    """The cells of one line (none when it cannot be read as delimited text)."""
    csv.field_size_limit(FIELD_LIMIT)
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def _delimiter(first_line: str) -> str:
    """The delimiter that splits the header into the most columns with a title among them."""
    best, best_score = ",", -1
    for delimiter in (",", "\t", ";", "|"):
        cells = _cells(first_line, delimiter)
        score = len(cells) + (1000 if "title" in match_columns(cells) else 0)
        if len(cells) > 1 and score > best_score:
            best, best_score = delimiter, score
    return best


def _first_line(text: str) -> str:
    end = text.find("\n")
    return text if end < 0 else text[:end]


def looks_like(text: str) -> bool:
    """True when the first line is a delimited header with a title (or record-id) column."""
    first = _first_line(text)
    cells = _cells(first, _delimiter(first))
    return len(cells) > 1 and ("title" in match_columns(cells) or is_record_table(cells))


def parse(text: str, path: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Raw records and problems from delimited text (CSV, TSV, semicolon-separated)."""
    problems: list[Problem] = []
    records, found = parse_rows(delimited_rows(text, _delimiter(_first_line(text)), path, problems), path)
    return records, sorted(problems + found, key=lambda p: p.line or 0)


def delimited_rows(text: str, delimiter: str, path: str, problems: list[Problem]):
    """``(line, cells)`` of each row of delimited ``text``, ``line`` the one it starts on.

    Never stops early: a row the csv module cannot read is skipped and a row whose quote
    is never closed is read as the one line it starts on, each reported in
    ``problems`` with its line; reading goes on with the next line.
    """
    csv.field_size_limit(FIELD_LIMIT)
    buf = io.StringIO(text, newline="")
    base = 0  # lines read before the current reader started
    size = len(text)
    while True:
        reader = csv.reader(buf, delimiter=delimiter)
        start = base + 1
        try:
            for row in reader:
                end = base + reader.line_num
                if end > start and buf.tell() == size:
                    offset = _line_offset(text, start)
                    if _open_quote(text, offset, delimiter):
                        break
                yield start, row
                start = end + 1
            else:
                return
        except csv.Error as exc:
            base += reader.line_num
            problems.append(Problem(path, start, f"row skipped, it cannot be read ({exc}); read on from line {base + 1}", kind=SKIPPED))
            continue
        # The row from ``start`` runs to the end of the file inside one quoted cell: read
        # its first line alone (a line ends where the csv module's reader ends one).
        line_end = _LINE_END.search(text, offset)
        problems.append(Problem(path, start, "a quote opened on this line is never closed; the row is read as this one line "
                                "and the lines after it as rows of their own", kind=WARNING))
        yield start, _cells(text[offset:line_end.start()], delimiter)
        buf.seek(line_end.end())
        base = start


def _line_offset(text: str, line: int) -> int:
    """Where line ``line`` (from 1) of ``text`` starts, lines ending as the csv module ends them."""
    if line == 1:
        return 0
    return next(itertools.islice(_LINE_END.finditer(text), line - 2, None)).end()


def _open_quote(text: str, offset: int, delimiter: str) -> bool:
    """Whether the row at ``offset`` ends inside a quoted cell (a quote never closed),
    read as the csv module does: a quote opens a cell only at the cell's start."""
    pos, end = offset, len(text)
    while pos < end:
        if text[pos] == '"':
            closed = _QUOTED.match(text, pos)
            if closed is None:
                return True
            pos = closed.end()
        next_cell = text.find(delimiter, pos)
        if next_cell < 0:
            return False
        pos = next_cell + 1
    return False


def parse_rows(rows: Iterable[tuple[int, list[str]]], path: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Raw records from (line number, cells) rows whose first row is the header."""
    rows = iter(rows)
    try:
        _, header = next(rows)
    except StopIteration:
        raise InputFileError(path, "the table has no header row", line=1, expected="column names such as title, authors, year") from None
    except csv.Error as exc:
        raise InputFileError(path, f"the header row cannot be read: {exc}", line=1) from None
    header = [str(h).strip().lstrip("\ufeff") for h in header]
    own = is_record_table(header)
    chosen = {f: header.index(f) for f in RECORD_COLUMNS if f in header} if own else match_columns(header)
    if "title" not in chosen:
        raise InputFileError(
            path, "no title column", line=1, expected="a column named Title, Article Title, Document Title or similar"
        )
    keys = [column_key(h) for h in header]
    start_col = next((keys.index(k) for k in PAGE_START if k in keys), None)
    end_col = next((keys.index(k) for k in PAGE_END if k in keys), None)
    number_col = next((keys.index(k) for k in ARTICLE_NUMBER if k in keys), None)
    if not own and start_col is not None and "pages" in chosen and keys[chosen["pages"]] in PAGE_COUNT:
        del chosen["pages"]  # Web of Science: PG is the page count, BP-EP the pages
    index_field = {i: f for f, i in chosen.items()}
    records: list[dict[str, Any]] = []
    problems: list[Problem] = []
    width = len(header)
    while True:
        try:
            line, row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(path, None, f"table could not be read further: {exc}", kind=WARNING))
            break
        if not any(cell and not str(cell).isspace() for cell in row):
            continue
        if len(row) == width + 1 and not str(row[-1]).strip():
            row = row[:-1]  # a delimiter after the last cell (Web of Science tab-delimited rows)
        if len(row) != width:
            problems.append(Problem(path, line, f"row has {len(row)} cells, header has {width}; read what matched", kind=WARNING))
        rec: dict[str, Any] = {"_line": line}
        extra: dict[str, Any] = {}
        for i, cell in enumerate(row):
            value = str(cell).strip()
            if not value:
                continue
            field = index_field.get(i)
            if field:
                rec[field] = value
            elif i < width:
                extra[header[i] or f"column {i + 1}"] = value
            else:
                extra[f"column {i + 1}"] = value
        if own:
            rec = _own_record(rec)
        else:
            _fill_pages(rec, extra, row, start_col, end_col, header)
            _pages_from_article_number(rec, row, number_col)
            _split_lists(rec)
            _parts_from_source(rec, extra)
        rec["extra"] = extra | rec.get("extra", {}) if isinstance(rec.get("extra"), dict) else extra
        records.append(rec)
    return records, problems


def _own_record(rec: dict[str, Any]) -> dict[str, Any]:
    """A row of reviewbench's record table: lists split on ``"; "``, extra parsed from JSON."""
    for field in ("authors", "keywords"):
        if field in rec:
            rec[field] = [p.strip() for p in rec[field].split(";") if p.strip()]
    rec["_authors_done"] = True
    extra = rec.pop("extra", "")
    try:
        rec["extra"] = json.loads(extra) if extra.startswith("{") else {}
    except ValueError:
        rec["extra"] = {"extra": extra}
    return rec


def _fill_pages(rec: dict[str, Any], extra: dict[str, Any], row: list[str], start: int | None, end: int | None, header: list[str]) -> None:
    if rec.get("pages") or start is None or start >= len(row):
        return
    first = str(row[start]).strip()
    last = str(row[end]).strip() if end is not None and end < len(row) else ""
    if first:
        rec["pages"] = f"{first}-{last}" if last and last != first else first
        extra.pop(header[start], None)
        if end is not None:
            extra.pop(header[end], None)


def split_author_list(value: str) -> list[str]:
    """One cell of authors to a list: ``;`` or ``|`` separated, or ``"Liu R., Adler D.G."``."""
    if _LIST_SPLIT.search(value):
        return [p for p in _LIST_SPLIT.split(value) if p]
    if "," in value:
        parts = [p.strip() for p in value.split(",") if p.strip()]
        if len(parts) > 1 and all(_FAMILY_INITIALS.match(p) for p in parts):
            return parts
        if len(parts) > 2 and all(" " in p for p in parts):
            return parts  # "John Smith, Mary Jones, ..."
    if " and " in value and "," not in value:
        return [p.strip() for p in value.split(" and ") if p.strip()]
    return [value]


def _split_lists(rec: dict[str, Any]) -> None:
    if "authors" in rec:
        rec["authors"] = split_author_list(rec["authors"])
    if "keywords" in rec:
        rec["keywords"] = [p for p in _LIST_SPLIT.split(rec["keywords"]) if p]


def _pages_from_article_number(rec: dict[str, Any], row: list[str], column: int | None) -> None:
    """The article number as the pages of a record without page numbers (kept in ``extra`` too)."""
    if rec.get("pages") or column is None or column >= len(row):
        return
    number = str(row[column]).strip()
    if number:
        rec["pages"] = number


# A whole citation in a source or citation column:
# Embase "Endoscopic Ultrasound (2014) 3:3 (152-160). Date of Publication: 2014" and
# PubMed's CSV "Int J Drug Policy. 2022 Mar;101(2):103567. doi: 10.1016/... Epub 2021 Dec 20.".
# A year in brackets followed by neither a volume nor the citation's full stop is part of a
# journal's name: NLM abbreviations tell apart journals of one title by the year they began
# ("J Appl Physiol (1985)").
_EMBASE_SOURCE = re.compile(
    r"^(?P<journal>.+?) \((?P<year>1[5-9]\d\d|20\d\d)\)"
    r"(?:\s+(?P<volume>[^\s:(.]+)(?::(?P<issue>[^\s(]+))?(?:\s+\((?P<pages>[^()]+)\))?|(?=\.(?:\s|$)))"
)
# Ovid's Embase source: "Circulation.92 (9 SUPPL.) ()(pp II447-II451) 1995.Date of Publication: ...".
# The journal ends at the full stop before the volume (a digit) or a parenthesis.
_OVID_SOURCE = re.compile(r"^(?P<journal>.+?)\.\s*(?=[\d(])(?P<blob>.*?)\(pp\.?\s*(?P<pages>[^()]*)\)\s*,?\s*(?P<year>\d{4})?")
# MEDLINE's source line (PubMed's CSV citation, or a whole source in the journal field):
# "Bull Math Biol. 1995 Dec;57(1):137-156", also without pages ("Addiction. 2016 Jun;40(Suppl 2):"),
# with two parentheses ("40 (2 Suppl 1)(Suppl 1):S12") or an empty one ("12():201-211").
_MEDLINE_SOURCE = re.compile(
    r"^(?P<journal>.+?)\.\s*(?P<year>(?:1[5-9]|20)\d\d)\b[^;]{0,30};(?P<blob>[^:]*)(?::\s*(?P<pages>[^\s.;,]+))?"
)
_LEADING_VOLUME = re.compile(r"^\s*(\d[\w\-]*)")
_FIRST_PARENTHESES = re.compile(r"\(([^()]*[^()\s][^()]*)\)")
CITATION_COLUMNS = ("citation", "source")
CITATION_PARTS = ("journal", "year", "volume", "issue", "pages")


def parse_citation(text: str) -> dict[str, str]:
    """The parts of a whole citation: ``journal``, ``year``, ``volume``, ``issue``, ``pages``
    (each possibly ""), or ``{}`` when ``text`` is not a citation in Embase's, Ovid's or MEDLINE's form.

    Ovid's source line and a MEDLINE line with parts missing are read by their marks (the
    ``(pp`` of the pages, the ``;`` before the volume): the volume is the number that follows
    the journal, the issue what the first parentheses after it hold.
    """
    text = str(text or "").strip()
    parts = _parts(_EMBASE_SOURCE.match(text))
    if parts:
        return parts
    if "(pp" in text:
        match = _OVID_SOURCE.match(text)
        if match:
            return _parts_of_blob(match)
    match = _MEDLINE_SOURCE.match(text) if ";" in text else None
    return _parts_of_blob(match) if match else {}


def _parts_of_blob(match: re.Match) -> dict[str, str]:
    parts = match.groupdict()
    blob = parts.pop("blob") or ""
    volume = _LEADING_VOLUME.match(blob)
    issue = _FIRST_PARENTHESES.search(blob)
    parts["volume"] = volume.group(1) if volume else ""
    parts["issue"] = issue.group(1) if issue else ""
    return {k: (parts.get(k) or "").strip() for k in CITATION_PARTS}


def _parts(match: re.Match | None) -> dict[str, str]:
    return {k: (v or "").strip() for k, v in match.groupdict().items()} if match else {}


_NAME_YEAR = re.compile(r"^(?P<journal>.+?) \((?:1[5-9]\d\d|20\d\d)\)$")


def _parts_from_source(rec: dict[str, Any], extra: dict[str, Any]) -> None:
    """A journal cell holding Embase's whole source is cut into journal, year, volume, issue and
    pages, the cell kept whole in ``extra``; a journal name ending in the year the journal
    began ("J Appl Physiol (1985)") is compared without it, and that year is never taken for
    the record's. A separate citation column (PubMed's ``Citation``) fills the volume, issue
    and pages a row lacks. A field the row has is never replaced. (A MEDLINE source line in
    the journal cell is read by deduplication, which knows the pages it may replace.)"""
    journal = rec.get("journal", "")
    embase = _EMBASE_SOURCE.match(journal)
    named = None if embase else _NAME_YEAR.match(journal)
    if embase or named:
        extra.setdefault("source as exported", journal)
        rec["journal"] = (embase or named).group("journal").strip()
    if named:
        return
    parts = _parts(embase) if embase else parse_citation(
        next((value for key, value in extra.items() if column_key(key) in CITATION_COLUMNS), ""))
    for field in ("year", "volume", "issue", "pages"):
        if parts.get(field) and not rec.get(field):
            rec[field] = parts[field]


def parse_xlsx(data: bytes, path: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Raw records from the first worksheet with a title column of an XLSX workbook."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on damaged workbooks
        raise InputFileError(path, f"the workbook cannot be opened: {exc}", expected="an .xlsx export") from None
    try:
        for sheet in book.worksheets:
            try:
                rows = [
                    (n, ["" if c is None else str(c) for c in row])
                    for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)
                ]
            except Exception as exc:  # a damaged sheet: XML, zip or value errors of many types
                raise InputFileError(path, f"the worksheet {sheet.title!r} cannot be read: {exc}", expected="an .xlsx export") from None
            if rows and "title" in match_columns(rows[0][1]) or (rows and is_record_table(rows[0][1])):
                return parse_rows(rows, path)
    finally:
        book.close()
    raise InputFileError(path, "no worksheet has a title column", line=1, expected="a sheet whose first row names a Title column")
