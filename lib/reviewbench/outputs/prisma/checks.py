"""PRISMA 2020 reconciliation: does the flow add up, box by box?

:func:`reconcile` lists every box whose count differs from what the boxes before it imply,
and :func:`check_prisma` stops with a :class:`PrismaMismatchError` naming each one: the
strict check of a review that says it is complete. A review in progress does not stop:
:func:`prisma_notes` gives what is still open, and where the searches and the exports
disagree, as notes.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import PrismaMismatchError
from .counts import NOT_IN_SEARCHES, PrismaCounts


@dataclass(frozen=True)
class Mismatch:
    """One box whose count differs from what the flow before it implies."""

    box: str
    expected: int
    found: int
    detail: str = ""

    def __str__(self) -> str:
        diff = self.found - self.expected
        msg = f"{self.box}: expected {self.expected}, found {self.found} (off by {diff:+d})"
        return msg + (f"; {self.detail}" if self.detail else "")


def _examples(ids: list[str], n: int = 5) -> str:
    shown = ", ".join(ids[:n])
    return shown + (f" and {len(ids) - n} more" if len(ids) > n else "")


def identification_mismatches(c: PrismaCounts) -> list[Mismatch]:
    """Where ``searches.yml`` and the exports disagree (hits against records read)."""
    out: list[Mismatch] = []
    for label, (hits, n) in c.reported_hits.items():
        if hits != n:
            out.append(Mismatch(f"Records identified from {label}", hits, n,
                                f"searches.yml reports {hits} hits but the export files hold {n} records"))
    total = sum(c.databases.values()) + sum(c.registers.values()) + sum(c.other_sources.values())
    if total != c.records_identified:
        out.append(Mismatch("Records identified", c.records_identified, total, "sources do not add up to the imported records"))
    return out


def prisma_notes(c: PrismaCounts) -> list[str]:
    """What a review in progress still has open, and where searches and exports disagree,
    one line each (the open states name their first records)."""
    notes = [o.detail() for o in c.open_states]
    notes += [str(m) for m in identification_mismatches(c)]
    unlisted = [name for name in c.databases if name.endswith(NOT_IN_SEARCHES)]
    notes += [f"{name.removesuffix(NOT_IN_SEARCHES)} is not described in searches.yml" for name in unlisted]
    return notes


def reconcile(c: PrismaCounts) -> list[Mismatch]:
    """Every place where the flow does not add up (an empty list when it reconciles)."""
    out = identification_mismatches(c)
    after_removal = c.records_identified - c.duplicates_removed - c.automation_removed - c.other_removed
    if c.unknown_screened:
        out.append(Mismatch("Records screened", after_removal, after_removal + len(c.unknown_screened),
                            f"title/abstract decisions name records that are not among the imported records: {_examples(c.unknown_screened)}"))
    if c.unscreened:
        out.append(Mismatch("Records screened", after_removal, c.records_screened + len(c.awaiting_reviewers),
                            f"{len(c.unscreened)} records left after removing duplicates have no title/abstract decision: "
                            f"{_examples(c.unscreened)} (if the team stopped screening on the stopping point, record it with "
                            "the screening view's Stop button so they count as marked ineligible by automation tools)"))
    if c.awaiting_reviewers:
        out.append(Mismatch("Records screened", after_removal, after_removal - len(c.awaiting_reviewers),
                            f"{len(c.awaiting_reviewers)} records have fewer title/abstract reviewers than review.yml asks "
                            f"({c.required.get('title_abstract', 1)}) and no resolution: {_examples(c.awaiting_reviewers)}"))
    if not c.unscreened and not c.awaiting_reviewers and c.records_screened != after_removal:
        out.append(Mismatch("Records screened", after_removal, c.records_screened, "screened records do not add up"))
    expected_sought = c.records_screened - c.records_excluded
    if c.reports_sought != expected_sought:
        out.append(Mismatch("Reports sought for retrieval" if c.stage == "full_text" else "Records included at title/abstract",
                            expected_sought, c.reports_sought,
                            f"{c.screening_pending} screened records are 'maybe' or an unresolved conflict between reviewers"))
    if c.stage == "full_text":
        if c.assessed_not_sought:
            out.append(Mismatch("Reports assessed for eligibility", c.reports_sought - c.reports_not_retrieved,
                                c.reports_assessed + len(c.assessed_not_sought),
                                f"full-text decisions for records not included at title/abstract: {_examples(c.assessed_not_sought)}"))
        expected_assessed = c.reports_sought - c.reports_not_retrieved
        if c.reports_unassessed or (c.reports_assessed != expected_assessed and not c.reports_awaiting_reviewers):
            out.append(Mismatch("Reports assessed for eligibility", expected_assessed, c.reports_assessed + len(c.reports_awaiting_reviewers),
                                f"{len(c.reports_unassessed)} reports sought have no full-text decision: {_examples(c.reports_unassessed)}"))
        if c.reports_awaiting_reviewers:
            out.append(Mismatch("Reports assessed for eligibility", expected_assessed, expected_assessed - len(c.reports_awaiting_reviewers),
                                f"{len(c.reports_awaiting_reviewers)} reports have fewer full-text reviewers than review.yml asks "
                                f"({c.required.get('full_text', 1)}) and no resolution: {_examples(c.reports_awaiting_reviewers)}"))
        n_excluded = sum(c.reports_excluded.values())
        if c.excluded_without_reason:
            out.append(Mismatch("Reports excluded (with reasons)", n_excluded + c.excluded_without_reason, n_excluded,
                                f"{c.excluded_without_reason} full-text exclusions give no reason"))
        expected_included = c.reports_assessed - n_excluded - c.excluded_without_reason
        if c.reports_included != expected_included:
            out.append(Mismatch("Reports of included studies", expected_included, c.reports_included,
                                f"{c.assessment_pending} assessed reports are 'maybe' or an unresolved conflict between reviewers"))
    if c.findings_outside_included:
        out.append(Mismatch("Studies included in review", c.studies_included, c.studies_included + len(c.findings_outside_included),
                            f"findings are coded for records that are not included: {_examples(c.findings_outside_included)}"))
    return out


def check_prisma(counts: PrismaCounts) -> PrismaCounts:
    """Return ``counts`` when the flow reconciles; otherwise raise :class:`PrismaMismatchError`."""
    problems = reconcile(counts)
    if problems:
        raise PrismaMismatchError(problems)
    return counts
