"""The record schema shared by every step, and stable record ids.

One row per imported record. Column meanings are documented in DESIGN.md:
``authors`` and ``keywords`` are Python lists in memory and ``"; "``-joined in CSV;
``extra`` is a dict of fields that have no column of their own.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from typing import Any, Iterable

import pandas as pd

RECORD_COLUMNS: list[str] = [
    "record_id",
    "source_id",
    "source_file",
    "source_db",
    "ref_type",
    "title",
    "abstract",
    "authors",
    "year",
    "journal",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "isbn",
    "url",
    "keywords",
    "language",
    "extra",
]
LIST_COLUMNS = ("authors", "keywords")
LIST_SEPARATOR = "; "

_DOI_PREFIX = re.compile(
    r"^\s*(?:doi:\s*|https?://(?:dx\.)?doi\.org/|https?://doi\.[a-z]+/|(?:dx\.)?doi\.org/)",
    re.IGNORECASE,
)
_DOI_SHAPE = re.compile(r"10\.\d{4,9}/\S+")


def normalise_doi(value: object) -> str:
    """Lower-case a DOI and strip resolver prefixes, ``doi:`` and trailing punctuation.

    Returns ``""`` when the value holds no DOI.
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = str(value).strip()
    if not text:
        return ""
    if not text.startswith("10."):
        text = _DOI_PREFIX.sub("", text)
    match = _DOI_SHAPE.search(text)
    if not match:
        return ""
    doi = match.group(0).rstrip(".,;)]}>").lower()
    return "" if doi.endswith("/") else doi  # "10.1234/)": no suffix left, no DOI


_DIGITS = re.compile(r"\d+")


_NOT_ALNUM_BYTES = bytes(b for b in range(256) if not (48 <= b <= 57 or 97 <= b <= 122))


def _fold(text: str) -> str:
    """Letters and digits only, accents taken off (combining marks go with the rest).

    The same as keeping ``[0-9a-z]`` of ``NFKD(text).lower()``, done on bytes: dropping
    every non-ASCII character and then every byte outside ``[0-9a-z]`` keeps exactly those.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
    return text.lower().encode("ascii", "ignore").translate(None, _NOT_ALNUM_BYTES).decode("ascii")


def _first_page(pages: object) -> str:
    match = _DIGITS.search(str(pages or ""))
    return match.group(0).lstrip("0") if match else ""


def record_fingerprint(record: dict[str, Any], normalised: bool = False) -> str:
    """A content key for a record that ignores formatting (case, accents, punctuation).

    It uses only fields whose reading does not change as parsers improve: the export's own
    id, the title's letters and digits, year, DOI, PMID, volume and first page. Author and
    journal forms (group authors, abbreviations, particles) are deliberately left out, so
    a better author parser never changes an id, and decision logs keep pointing at their
    records. ``normalised``: the DOI and PMID are already in normal form (an imported
    record), so they are taken as they are.
    """
    get = record.get
    doi, pmid = get("doi"), get("pmid")
    if normalised:
        doi, pmid = doi or "", pmid or ""
    else:
        doi, pmid = normalise_doi(doi), str(pmid or "").strip()
    volume = str(get("volume") or "")
    return "\x1f".join((
        str(get("source_id") or ""),
        _fold(str(get("title") or "")),
        str(get("year") or ""),
        doi,
        pmid,
        volume if volume.isdigit() and volume.isascii() else _fold(volume),
        _first_page(get("pages")),
    ))


def file_slug(source_file: str) -> str:
    """A short, readable prefix for record ids from a file name (``pubmed_2022.nbib`` -> ``pubmed_2022``)."""
    name = str(source_file).replace("\\", "/").rsplit("/", 1)[-1]
    stem = name.split(".", 1)[0] if not name.startswith(".") else name
    slug = re.sub(r"[^0-9A-Za-z_-]+", "_", stem).strip("_").lower()
    return slug[:40] or "file"


def assign_record_ids(records: Iterable[dict[str, Any]], source_file: str, normalised: bool = False) -> list[str]:
    """Stable ids for the records of one file: ``<file-slug>-<10 hex digits>``.

    The id hashes the file name and the record's fingerprint; the n-th exact repeat of
    the same record in the same file gets ``#n`` mixed in. An id therefore never depends
    on the order or content of *other* records. ``normalised``: see :func:`record_fingerprint`.
    """
    slug = file_slug(source_file)
    prefix = f"{slug}\x1e"
    seen: dict[str, int] = {}
    ids = []
    sha1 = hashlib.sha1
    for record in records:
        fp = record_fingerprint(record, normalised)
        n = seen.get(fp, 0)
        seen[fp] = n + 1
        key = prefix + fp + (f"\x1e#{n}" if n else "")
        ids.append(f"{slug}-{sha1(key.encode('utf-8')).hexdigest()[:10]}")
    return ids


def empty_records() -> pd.DataFrame:
    """An empty DataFrame with the record schema's columns."""
    return pd.DataFrame({col: pd.Series(dtype="object") for col in RECORD_COLUMNS})


def conform(df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with exactly the schema columns, in order, with schema types.

    Missing columns are added empty; list columns hold lists; ``year`` is a nullable
    integer; ``extra`` holds dicts. Columns not in the schema are folded into ``extra``.
    """
    df = df.copy()
    unknown = [c for c in df.columns if c not in RECORD_COLUMNS]
    if "extra" not in df.columns:
        df["extra"] = [{} for _ in range(len(df))]
    df["extra"] = [dict(e) if isinstance(e, dict) else {} for e in df["extra"]]
    if unknown:
        for i, row in enumerate(df[unknown].itertuples(index=False)):
            for col, val in zip(unknown, row):
                if val is not None and not (isinstance(val, float) and pd.isna(val)) and val != "":
                    df["extra"].iat[i][col] = val
        df = df.drop(columns=unknown)
    for col in RECORD_COLUMNS:
        if col not in df.columns:
            df[col] = [[] for _ in range(len(df))] if col in LIST_COLUMNS else ""
    for col in LIST_COLUMNS:
        df[col] = [_as_list(v) for v in df[col]]
    df["year"] = pd.array([_as_year(v) for v in df["year"]], dtype="Int64")
    for col in RECORD_COLUMNS:
        if col in LIST_COLUMNS or col in ("year", "extra"):
            continue
        df[col] = ["" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v) for v in df[col]]
    return df[RECORD_COLUMNS].reset_index(drop=True)


def _as_list(value: object) -> list[str]:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if str(v).strip()]
    text = str(value).strip()
    return [p.strip() for p in text.split(";") if p.strip()] if text else []


def _as_year(value: object) -> int | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    match = re.search(r"(1[5-9]\d\d|20\d\d|2100)", str(value))
    return int(match.group(1)) if match else None


def to_csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The record table as written to CSV: lists joined with ``"; "``, ``extra`` as JSON."""
    out = df.copy()
    for col in LIST_COLUMNS:
        if col in out.columns:
            out[col] = [LIST_SEPARATOR.join(v) if isinstance(v, list) else ("" if v is None else str(v)) for v in out[col]]
    if "extra" in out.columns:
        out["extra"] = [
            json.dumps(e, ensure_ascii=False, sort_keys=True, default=str) if e else "" for e in out["extra"]
        ]
    return out

