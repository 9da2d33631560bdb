"""PRISMA 2020 reconciliation: does the flow add up, box by box?

:func:`reconcile` lists every box whose count differs from what the boxes before it imply,
and :func:`check_prisma` stops with a :class:`PrismaMismatchError` naming each one.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import ReviewbenchError
from .counts import PrismaCounts


class PrismaMismatchError(ReviewbenchError):
    """The PRISMA numbers do not add up; the message names each box that is off."""

    def __init__(self, mismatches: list["Mismatch"]) -> None:
        self.mismatches = list(mismatches)
        message = "the PRISMA 2020 numbers do not reconcile:\n" + "\n".join(f"  - {m}" for m in self.mismatches)
        if any(m.box.startswith(("Reports", "Studies")) for m in self.mismatches):
            message += ("\n  (while full-text assessment is still in progress, "
                        "`reviewbench run -p stage title_abstract` reports up to title/abstract screening)")
        super().__init__(message)


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


def reconcile(c: PrismaCounts) -> list[Mismatch]:
    """Every place where the flow does not add up (an empty list when it reconciles)."""
    out: list[Mismatch] = []
    for label, (hits, n) in c.reported_hits.items():
        if hits != n:
            out.append(Mismatch(f"Records identified from {label}", hits, n,
                                f"searches.yml reports {hits} hits but the export files hold {n} records"))
    total = sum(c.databases.values()) + sum(c.registers.values()) + sum(c.other_sources.values())
    if total != c.records_identified:
        out.append(Mismatch("Records identified", c.records_identified, total, "sources do not add up to the imported records"))
    after_removal = c.records_identified - c.duplicates_removed - c.automation_removed - c.other_removed
    if c.unknown_screened:
        out.append(Mismatch("Records screened", after_removal, after_removal + len(c.unknown_screened),
                            f"title/abstract decisions name records that are not among the imported records: {_examples(c.unknown_screened)}"))
    if c.records_screened != after_removal:
        out.append(Mismatch("Records screened", after_removal, c.records_screened,
                            f"{len(c.unscreened)} records left after removing duplicates have no title/abstract decision: "
                            f"{_examples(c.unscreened)} (if the team stopped screening on the stopping point, record it with "
                            "the screening view's Stop button so they count as marked ineligible by automation tools)"))
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
        if c.reports_assessed != expected_assessed:
            out.append(Mismatch("Reports assessed for eligibility", expected_assessed, c.reports_assessed,
                                f"{len(c.reports_unassessed)} reports sought have no full-text decision: {_examples(c.reports_unassessed)}"))
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
