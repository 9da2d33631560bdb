"""PRISMA 2020 counts: each box counted from its own source.

:func:`prisma_counts` counts identification from the imports and ``searches.yml``,
removal from the dedup clusters (and the team's decision to stop screening early),
screening from the title/abstract decisions, retrieval and eligibility from the full-text
decisions and, when the review links its PDFs, the links (where each publication stands is :func:`reviewbench.pipeline.review_status`,
the one definition of "included"), and checks that coded findings come from included
studies. While a review is in progress, what is still open (records awaiting screening,
conflicts, ``maybe``) is kept in ``open_states``, drawn as plain boxes beside the flow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ...pipeline import INCLUDED, OpenState
from ...project import file_name, search_entries
from ...screening.decisions import FINAL_COLUMNS
from ..review_data import ReviewData

PENDING = ("maybe", "conflict")
#: How an export that no search of ``searches.yml`` names is labelled among the databases.
NOT_IN_SEARCHES = " (not in searches.yml)"
SCREENED = ("include", "exclude", *PENDING)
#: Which box of the flow each open state sits beside (the rest are notes under it).
OPEN_BESIDE = {
    "screened": ("unscreened", "ta_awaiting", "ta_conflict", "ta_maybe"),
    "sought": ("awaiting_full_text",),
    "assessed": ("ft_awaiting", "ft_conflict", "ft_maybe", "ft_no_reason"),
}


@dataclass
class PrismaCounts:
    """The numbers in the boxes of a PRISMA 2020 flow diagram (and what each was computed from)."""

    databases: dict[str, int] = field(default_factory=dict)
    registers: dict[str, int] = field(default_factory=dict)
    other_sources: dict[str, int] = field(default_factory=dict)
    reported_hits: dict[str, tuple[int, int]] = field(default_factory=dict)  # source -> (hits, imported)
    records_identified: int = 0
    duplicates_removed: int = 0
    automation_removed: int = 0
    other_removed: int = 0
    unique_records: int = 0
    records_screened: int = 0
    records_excluded: int = 0
    screening_pending: int = 0
    unknown_screened: list[str] = field(default_factory=list)
    unscreened: list[str] = field(default_factory=list)
    awaiting_reviewers: list[str] = field(default_factory=list)  # title/abstract: fewer reviewers than required
    reports_sought: int = 0
    reports_not_retrieved: int = 0
    not_retrieved_reasons: dict[str, int] = field(default_factory=dict)
    reports_linked: int = 0  # reports sought with a PDF linked (evidence/fulltext/links.csv)
    reports_to_retrieve: list[str] = field(default_factory=list)  # sought, no PDF linked, no decision yet
    linked_but_not_retrieved: list[str] = field(default_factory=list)  # marked not retrieved, yet a PDF is linked
    uses_links: bool = False  # the review links its full texts: the retrieval rows are shown
    reports_assessed: int = 0
    reports_unassessed: list[str] = field(default_factory=list)
    reports_awaiting_reviewers: list[str] = field(default_factory=list)
    assessed_not_sought: list[str] = field(default_factory=list)
    reports_excluded: dict[str, int] = field(default_factory=dict)
    excluded_without_reason: int = 0
    assessment_pending: int = 0
    reports_included: int = 0
    studies_included: int = 0
    findings_outside_included: list[str] = field(default_factory=list)
    stopped: dict[str, Any] = field(default_factory=dict)  # the stop row in force at title/abstract
    stage: str = "full_text"
    open_states: list[OpenState] = field(default_factory=list)
    required: dict[str, int] = field(default_factory=dict)

    def open_beside(self, box: str) -> list[OpenState]:
        """The open states drawn beside ``box`` (``screened``, ``sought`` or ``assessed``)."""
        return [o for o in self.open_states if o.kind in OPEN_BESIDE.get(box, ())]

    def open_notes(self) -> list[OpenState]:
        """Open states that are not beside a box of the flow (decisions or findings not counted)."""
        beside = {k for kinds in OPEN_BESIDE.values() for k in kinds}
        return [o for o in self.open_states if o.kind not in beside]

    def note(self) -> str:
        """What a reader needs to know to read the boxes: how screening stopped, if early."""
        if not self.stopped:
            return ""
        stop = self.stopped
        said = []
        if stop.get("criterion"):
            said.append(f"stopping rule {stop['criterion']}")
        if str(stop.get("estimated_recall") or "").strip():
            said.append(f"estimated recall {float(stop['estimated_recall']):.0%}")
        if str(stop.get("screened") or "").strip():
            said.append(f"{stop['screened']} records screened")
        when = f" ({', '.join(said)})" if said else ""
        return (f"Title/abstract screening was stopped early on the active-learning stopping point{when}; "
                f"the {self.automation_removed} records no one screened are counted as marked ineligible "
                "by automation tools.")

    def as_table(self) -> pd.DataFrame:
        """Every box as ``box, n`` rows (for a CSV next to the figure)."""
        rows = [("Records identified", self.records_identified)]
        rows += [(f"Records identified: database: {k}", v) for k, v in self.databases.items()]
        rows += [(f"Records identified: register: {k}", v) for k, v in self.registers.items()]
        rows += [(f"Records identified: other source: {k}", v) for k, v in self.other_sources.items()]
        rows += [
            ("Duplicate records removed", self.duplicates_removed),
            ("Records marked as ineligible by automation tools", self.automation_removed),
            ("Records removed for other reasons", self.other_removed),
            ("Records screened", self.records_screened),
            ("Records excluded", self.records_excluded),
        ]
        if self.stage == "full_text":
            rows += [
                ("Reports sought for retrieval", self.reports_sought),
                ("Reports not retrieved", self.reports_not_retrieved),
            ]
            if self.uses_links:
                rows += [("Reports sought: PDF linked", self.reports_linked),
                         ("Reports sought: to retrieve", len(self.reports_to_retrieve))]
            rows += [
                ("Reports assessed for eligibility", self.reports_assessed),
                ("Reports excluded", sum(self.reports_excluded.values())),
            ]
            rows += [(f"Reports excluded: {k}", v) for k, v in self.reports_excluded.items()]
            rows += [("Studies included in review", self.studies_included),
                     ("Reports of included studies", self.reports_included)]
        else:
            rows += [("Records included at title/abstract", self.reports_sought)]
        rows += [(f"Open: {o.label}", len(o.records)) for o in self.open_states]
        return pd.DataFrame(rows, columns=["box", "n"])


def prisma_counts(data: ReviewData, stage: str = "full_text", reason_labels: dict[str, str] | None = None) -> PrismaCounts:
    """Count every PRISMA 2020 box from the review's data (see the module docstring)."""
    counts = PrismaCounts(stage=stage)
    if reason_labels is None:
        reasons = (data.review or {}).get("exclusion_reasons") or {}
        reason_labels = {str(k): str(v) for k, v in reasons.items()} if isinstance(reasons, dict) else {}

    # Identification: imported records per search, checked against the hits searches.yml reports.
    per_file = data.records["source_file"].map(file_name).value_counts().to_dict() if not data.records.empty else {}
    claimed: set[str] = set()
    sections = {"databases": counts.databases, "registers": counts.registers, "other": counts.other_sources}
    for entry in search_entries(data.searches or {}):
        n = sum(per_file.get(name, 0) for name in entry.file_names)
        claimed.update(entry.file_names)
        sections[entry.box][entry.label] = sections[entry.box].get(entry.label, 0) + n
        if entry.hits is not None:
            counts.reported_hits[entry.label] = (entry.hits, n)
    for name, n in sorted(per_file.items()):
        if name not in claimed:
            counts.databases[f"{name}{NOT_IN_SEARCHES}"] = n
    counts.records_identified = int(len(data.records))

    unique_ids = set(data.unique["record_id"])
    counts.unique_records = len(unique_ids)
    counts.duplicates_removed = counts.records_identified - counts.unique_records
    counts.required = dict(data.required or {})
    status = data.status(stage)
    counts.open_states = data.open_states(stage)
    ta, ids = status["ta"], status["record_id"]

    # Screening of titles and abstracts.
    ta_decisions = data.decisions.get("title_abstract", pd.DataFrame(columns=FINAL_COLUMNS))
    counts.unknown_screened = sorted(set(ta_decisions["record_id"]) - unique_ids)
    counts.unscreened = sorted(ids[ta == ""])
    counts.awaiting_reviewers = sorted(ids[ta == "awaiting"])
    stop = (data.stops or {}).get("title_abstract")
    if stop:
        # The team stopped screening on the stopping rule: the records no one screened were
        # set aside by the prioritisation, before screening (PRISMA 2020's automation box).
        counts.automation_removed = len(counts.unscreened)
        counts.unscreened = []
        counts.stopped = dict(stop)
    counts.records_screened = int(ta.isin(SCREENED).sum())
    counts.records_excluded = int((ta == "exclude").sum())
    counts.screening_pending = int(ta.isin(PENDING).sum())
    sought_rows = status[ta == "include"]
    sought = set(sought_rows["record_id"])
    counts.reports_sought = len(sought)
    if stage != "full_text":
        counts.studies_included = counts.reports_included = counts.reports_sought
        _findings_check(data, sought, counts)
        return counts

    # Retrieval and full-text assessment.
    ft_decisions = data.decisions.get("full_text", pd.DataFrame(columns=FINAL_COLUMNS))
    counts.assessed_not_sought = sorted(set(ft_decisions["record_id"]) - sought)
    ft = sought_rows["ft"]
    not_retrieved = sought_rows[(ft == "exclude") & (sought_rows["retrieval"] == "not_retrieved")]
    counts.reports_not_retrieved = int(len(not_retrieved))
    counts.not_retrieved_reasons = {
        str(k or "no reason given"): int(v) for k, v in sorted(not_retrieved["ft_reason"].value_counts().items())
    }
    counts.reports_unassessed = sorted(sought_rows.loc[ft == "", "record_id"])
    links = getattr(data, "links", None)
    if links is not None and not links.empty:
        counts.uses_links = True
        linked = set(links["record_id"].astype(str)) & sought
        counts.reports_linked = len(linked)
        counts.reports_to_retrieve = sorted(set(counts.reports_unassessed) - linked)
        counts.linked_but_not_retrieved = sorted(set(not_retrieved["record_id"]) & linked)
    counts.reports_awaiting_reviewers = sorted(sought_rows.loc[ft == "awaiting", "record_id"])
    assessed = sought_rows[ft.isin(SCREENED) & ~sought_rows.index.isin(not_retrieved.index)]
    counts.reports_assessed = int(len(assessed))
    excluded = assessed[assessed["ft"] == "exclude"]
    reasons = excluded["ft_reason"].fillna("").str.strip()
    counts.excluded_without_reason = int((reasons == "").sum())
    by_reason: dict[str, int] = {}
    for code, n in reasons[reasons != ""].value_counts().items():
        by_reason[reason_labels.get(code, code)] = by_reason.get(reason_labels.get(code, code), 0) + int(n)
    order = list(reason_labels.values())
    counts.reports_excluded = dict(sorted(by_reason.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[0])))
    counts.assessment_pending = int(assessed["ft"].isin(PENDING).sum())
    included = set(status.loc[status["status"] == INCLUDED, "record_id"])
    counts.reports_included = len(included)
    counts.studies_included = _study_count(data, included)
    _findings_check(data, included, counts)
    return counts


def _study_count(data: ReviewData, included: set[str]) -> int:
    """Studies, not reports: reports sharing a ``study_id`` in the study characteristics count once."""
    chars = data.characteristics
    if chars is None or chars.empty or "study_id" not in chars.columns or "record_id" not in chars.columns:
        return len(included)
    ids = chars.assign(record_id=data.cluster_of(chars["record_id"]))
    ids = ids[ids["record_id"].isin(included)]
    mapped = dict(zip(ids["record_id"], ids["study_id"].astype(str)))
    return len({mapped.get(r) or r for r in included})


def _findings_check(data: ReviewData, included: set[str], counts: PrismaCounts) -> None:
    if data.findings is not None and not data.findings.empty and "record_id" in data.findings.columns:
        counts.findings_outside_included = sorted(set(data.findings["record_id"]) - included)
