"""The retrieval table: each report sought (included at title/abstract) and whether its
full text is linked, marked not retrieved, assessed without a linked PDF, or still to
retrieve (:func:`reviewbench.pipeline.retrieval`). Written beside the PRISMA counts when
the review links its PDFs (``evidence/fulltext/links.csv``)."""

from __future__ import annotations

import pandas as pd

from ..pipeline import TO_RETRIEVE
from .review_data import ReviewData
from .writers import Table

RETRIEVAL_TABLE = "retrieval"


def retrieval_table(data: ReviewData) -> Table:
    """The reports sought, those to retrieve first, then by record id."""
    rows = data.retrieval()
    details = data.unique[[c for c in ("record_id", "title", "year") if c in data.unique.columns]]
    frame = rows.merge(details, on="record_id", how="left")
    frame = frame.assign(_order=(frame["retrieval"] != TO_RETRIEVE).astype(int))
    frame = frame.sort_values(["_order", "record_id"], kind="stable").drop(columns="_order")
    columns = [c for c in ("record_id", "title", "year", "retrieval", "files", "reason") if c in frame.columns]
    frame = frame[columns].fillna("").reset_index(drop=True)
    missing = int((frame["retrieval"] == TO_RETRIEVE).sum())
    note = f"{missing} of {len(frame)} reports sought have no PDF linked and no full-text decision yet." if len(frame) else ""
    return Table(RETRIEVAL_TABLE, "Full texts: reports sought and their retrieval", pd.DataFrame(frame), note)
