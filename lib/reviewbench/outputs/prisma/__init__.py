"""PRISMA 2020 flow: counts computed from the data (:mod:`.counts`), reconciled
(:mod:`.checks`), and drawn (:mod:`.figure`).

:func:`prisma_counts` counts each box from its own source (imports and ``searches.yml``;
dedup clusters; title/abstract decisions; full-text decisions with retrieval; coded
findings). :func:`reconcile` checks that the flow adds up box by box and
:func:`check_prisma` stops with a :class:`PrismaMismatchError` naming the box and the
difference (a review that says it is complete); :func:`prisma_notes` says what a review
in progress still has open. :func:`prisma_figure` draws the PRISMA 2020 diagram for new reviews
(databases, registers and other sources in one identification box).
"""

from .checks import Mismatch, PrismaMismatchError, check_prisma, prisma_notes, reconcile
from .counts import PrismaCounts, prisma_counts
from .figure import prisma_figure, write_prisma

__all__ = ["Mismatch", "PrismaCounts", "PrismaMismatchError", "check_prisma", "prisma_counts", "prisma_notes", "prisma_figure", "reconcile", "write_prisma"]
