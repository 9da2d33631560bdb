"""Candidate pairs: records that share at least one blocking key, never all pairs.

Each key puts records in blocks; a small block yields all its pairs, a large one (a
common surname and year, a DOI shared by a whole supplement) is sorted by title and
yields each record with its next few neighbours only, so the number of pairs grows
linearly with the number of records.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ALL_PAIRS_UP_TO = 40
NEIGHBOURS = 6


def blocking_keys(keys: pd.DataFrame) -> dict[str, pd.Series]:
    """The keys used for blocking, by name; "" means the record has no value for that key."""
    compact = keys["title_key"].str.replace(" ", "", regex=False)
    usable = (~keys["generic"]) & (compact.str.len() >= 12)
    year = keys["year"].map(lambda y: "" if np.isnan(y) else str(int(y)))
    journal2 = keys["journal_key"].str.slice(0, 2)
    has_vp = (keys["volume_key"] != "") & (keys["page_key"] != "")
    return {
        "doi": keys["doi"],
        "pmid": keys["pmid"],
        "title_start": compact.str.slice(0, 32).where(usable, ""),
        "title_end": compact.str.slice(-32).where(usable, ""),
        "author_year": (keys["first_author"] + "|" + year).where((keys["first_author"] != "") & (year != ""), ""),
        "volume_page": (journal2 + "|" + keys["volume_key"] + "|" + keys["page_key"]).where(has_vp, ""),
    }


def candidate_pairs(keys: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Row positions ``(i, j)`` with ``i < j`` of every candidate pair, sorted and unique."""
    n = len(keys)
    if n < 2:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    # Rank of each title in alphabetical order: large blocks are cut into title neighbourhoods.
    title_rank = keys["title_key"].rank(method="dense").to_numpy(dtype=np.int64)
    found = []
    for values in blocking_keys(keys).values():
        found.append(_pairs_in_blocks(values.to_numpy(dtype=object), title_rank))
    codes = np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)
    return codes // n, codes % n


def _pairs_in_blocks(values: np.ndarray, title_rank: np.ndarray) -> np.ndarray:
    """Pair codes ``i * n + j`` (``i < j``) for one blocking key."""
    n = len(values)
    present = np.flatnonzero(values != "")
    if len(present) < 2:
        return np.empty(0, dtype=np.int64)
    block_codes, _ = pd.factorize(pd.Series(values[present]), sort=False)
    # Sort by block, then title, then position: deterministic whatever the input order.
    order = np.lexsort((present, title_rank[present], block_codes))
    rows = present[order]
    blocks = block_codes[order]
    sizes = np.bincount(blocks)
    reach = np.where(sizes > ALL_PAIRS_UP_TO, NEIGHBOURS, sizes - 1)[blocks]
    out = []
    for offset in range(1, int(reach.max(initial=0)) + 1):
        same = (blocks[:-offset] == blocks[offset:]) & (reach[:-offset] >= offset)
        if not same.any():
            break
        a, b = rows[:-offset][same], rows[offset:][same]
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        out.append(lo.astype(np.int64) * n + hi)
    return np.concatenate(out) if out else np.empty(0, dtype=np.int64)
