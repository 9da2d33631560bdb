"""Evidence outputs: tables, PRISMA 2020, gap maps, reference lists and executed notebooks.

Modules, in the order a report is built: :mod:`.params` (validated report parameters),
:mod:`.review_data` (the linked inputs), :mod:`.tables` and :mod:`.writers` (evidence
tables in five formats), :mod:`.references` (pybtex reference lists, BibTeX, RIS),
:mod:`.prisma` (counts, reconciliation, diagram), :mod:`.gapmap` (gap maps, screening
progress), :mod:`.figures` (deterministic SVG/PNG), :mod:`.safe` (escaping for sharing),
:mod:`.notebook_runner` (papermill + nbconvert) and :mod:`.report` (what notebooks call).
"""

from .params import ReportParams, validate_params
from .prisma import PrismaCounts, PrismaMismatchError, check_prisma, prisma_counts, reconcile
from .review_data import ReviewData, load_review_data
from .writers import Table, write_tables

__all__ = [
    "PrismaCounts",
    "PrismaMismatchError",
    "ReportParams",
    "ReviewData",
    "Table",
    "check_prisma",
    "load_review_data",
    "prisma_counts",
    "reconcile",
    "validate_params",
    "write_tables",
]
