"""PRISMA 2020 flow: counts computed from the data, reconciled, and drawn.

:func:`prisma_counts` counts each box from its own source (imports and ``searches.yml``;
dedup clusters; title/abstract decisions; full-text decisions with retrieval; coded
findings). :func:`reconcile` checks that the flow adds up box by box and
:func:`check_prisma` stops with a :class:`PrismaMismatchError` naming the box and the
difference. :func:`prisma_figure` draws the PRISMA 2020 diagram for new reviews
(databases, registers and other sources in one identification box).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ReviewbenchError
from .figures import new_figure, save_figure
from .review_data import ReviewData

PENDING = ("maybe", "conflict")


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
    reports_sought: int = 0
    reports_not_retrieved: int = 0
    not_retrieved_reasons: dict[str, int] = field(default_factory=dict)
    reports_assessed: int = 0
    reports_unassessed: list[str] = field(default_factory=list)
    assessed_not_sought: list[str] = field(default_factory=list)
    reports_excluded: dict[str, int] = field(default_factory=dict)
    excluded_without_reason: int = 0
    assessment_pending: int = 0
    reports_included: int = 0
    studies_included: int = 0
    findings_outside_included: list[str] = field(default_factory=list)
    stopped: dict[str, Any] = field(default_factory=dict)  # the stop row in force at title/abstract
    stage: str = "full_text"

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
                ("Reports assessed for eligibility", self.reports_assessed),
                ("Reports excluded", sum(self.reports_excluded.values())),
            ]
            rows += [(f"Reports excluded: {k}", v) for k, v in self.reports_excluded.items()]
            rows += [("Studies included in review", self.studies_included),
                     ("Reports of included studies", self.reports_included)]
        else:
            rows += [("Records included at title/abstract", self.reports_sought)]
        return pd.DataFrame(rows, columns=["box", "n"])


def _search_entries(searches: dict[str, Any]) -> list[tuple[str, str, list[str], int | None]]:
    """(section, label, files, hits) for each search in ``searches.yml``."""
    out = []
    for key, default_section in (("searches", "databases"), ("registers", "registers"), ("other_methods", "other")):
        for entry in searches.get(key) or []:
            if not isinstance(entry, dict):
                continue
            section = default_section
            kind = str(entry.get("type") or entry.get("kind") or "").lower()
            if kind in ("register", "registers", "trial register") or entry.get("register") is True:
                section = "registers"
            elif kind in ("other", "other_methods", "website", "citation searching"):
                section = "other"
            names = [entry.get(k) for k in ("database", "register", "source", "name", "file")]
            label = next((str(v) for v in names if isinstance(v, str) and v.strip()), "unnamed source")
            files = entry.get("file") or entry.get("files") or []
            files = [files] if isinstance(files, str) else [str(f) for f in files]
            hits = entry.get("hits")
            try:
                hits = int(hits) if hits is not None and str(hits).strip() != "" else None
            except ValueError:
                hits = None
            out.append((section, label, files, hits))
    return out


def _file_name(path: Any) -> str:
    return str(path).replace("\\", "/").rsplit("/", 1)[-1]


def prisma_counts(data: ReviewData, stage: str = "full_text", reason_labels: dict[str, str] | None = None) -> PrismaCounts:
    """Count every PRISMA 2020 box from the review's data (see the module docstring)."""
    counts = PrismaCounts(stage=stage)
    if reason_labels is None:
        reasons = (data.review or {}).get("exclusion_reasons") or {}
        reason_labels = {str(k): str(v) for k, v in reasons.items()} if isinstance(reasons, dict) else {}

    # Identification: imported records per search, checked against the hits searches.yml reports.
    per_file = data.records["source_file"].map(_file_name).value_counts().to_dict() if not data.records.empty else {}
    claimed: set[str] = set()
    sections = {"databases": counts.databases, "registers": counts.registers, "other": counts.other_sources}
    for section, label, files, hits in _search_entries(data.searches or {}):
        n = sum(per_file.get(_file_name(f), 0) for f in files)
        claimed.update(_file_name(f) for f in files)
        sections[section][label] = sections[section].get(label, 0) + n
        if hits is not None:
            counts.reported_hits[label] = (hits, n)
    for name, n in sorted(per_file.items()):
        if name not in claimed:
            counts.databases[f"{name} (not in searches.yml)"] = n
    counts.records_identified = int(len(data.records))

    unique_ids = set(data.unique["record_id"])
    counts.unique_records = len(unique_ids)
    counts.duplicates_removed = counts.records_identified - counts.unique_records

    # Screening of titles and abstracts.
    ta = data.decisions.get("title_abstract", pd.DataFrame(columns=["record_id", "decision"]))
    counts.unknown_screened = sorted(set(ta["record_id"]) - unique_ids)
    ta = ta[ta["record_id"].isin(unique_ids)]
    counts.unscreened = sorted(unique_ids - set(ta["record_id"]))
    stop = (data.stops or {}).get("title_abstract")
    if stop:
        # The team stopped screening on the stopping rule: the records no one screened were
        # set aside by the prioritisation, before screening (PRISMA 2020's automation box).
        counts.automation_removed = len(counts.unscreened)
        counts.unscreened = []
        counts.stopped = dict(stop)
    counts.records_screened = int(len(ta))
    counts.records_excluded = int((ta["decision"] == "exclude").sum())
    counts.screening_pending = int(ta["decision"].isin(PENDING).sum())
    sought = set(ta.loc[ta["decision"] == "include", "record_id"])
    counts.reports_sought = len(sought)
    if stage != "full_text":
        counts.studies_included = counts.reports_included = counts.reports_sought
        _findings_check(data, sought, counts)
        return counts

    # Retrieval and full-text assessment.
    ft = data.decisions.get("full_text", pd.DataFrame(columns=["record_id", "decision", "reason", "retrieval"]))
    counts.assessed_not_sought = sorted(set(ft["record_id"]) - sought)
    ft = ft[ft["record_id"].isin(sought)]
    not_retrieved = ft[ft["retrieval"].fillna("").str.strip().str.lower() == "not_retrieved"]
    counts.reports_not_retrieved = int(len(not_retrieved))
    counts.not_retrieved_reasons = {
        str(k or "no reason given"): int(v) for k, v in sorted(not_retrieved["reason"].fillna("").value_counts().items())
    }
    assessed = ft[~ft.index.isin(not_retrieved.index)]
    counts.reports_unassessed = sorted(sought - set(ft["record_id"]))
    counts.reports_assessed = int(len(assessed))
    excluded = assessed[assessed["decision"] == "exclude"]
    reasons = excluded["reason"].fillna("").str.strip()
    counts.excluded_without_reason = int((reasons == "").sum())
    by_reason: dict[str, int] = {}
    for code, n in reasons[reasons != ""].value_counts().items():
        by_reason[reason_labels.get(code, code)] = by_reason.get(reason_labels.get(code, code), 0) + int(n)
    order = list(reason_labels.values())
    counts.reports_excluded = dict(sorted(by_reason.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[0])))
    counts.assessment_pending = int(assessed["decision"].isin(PENDING).sum())
    included = set(assessed.loc[assessed["decision"] == "include", "record_id"])
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


# ---------------------------------------------------------------------------------------------
# Drawing

_WRAP = 46
_LINE = 0.17  # inches per text line
_BOX_FACE = "#ffffff"
_PHASE_FACE = "#cfe2f3"


def _lines(title: str, items: dict[str, int] | None = None, n: int | None = None) -> list[str]:
    head = f"{title} (n = {n})" if n is not None else title
    lines = textwrap.wrap(head, _WRAP)
    for k, v in (items or {}).items():
        lines += textwrap.wrap(f"{k} (n = {v})", _WRAP, initial_indent="   ", subsequent_indent="     ")
    return lines


def prisma_figure(c: PrismaCounts, title: str = ""):
    """The PRISMA 2020 flow diagram as a matplotlib figure."""
    import matplotlib.patches as patches

    ident_left = _lines("Records identified from:")
    if c.databases or not (c.registers or c.other_sources):
        ident_left += _lines("Databases", c.databases, sum(c.databases.values()))
    ident_left += _lines("Registers", c.registers, sum(c.registers.values()))
    if c.other_sources:
        ident_left += _lines("Other sources", c.other_sources, sum(c.other_sources.values()))
    ident_right = _lines("Records removed before screening:") + _lines("", {
        "Duplicate records removed": c.duplicates_removed,
        "Records marked as ineligible by automation tools": c.automation_removed,
        "Records removed for other reasons": c.other_removed,
    })
    rows: list[tuple[str, list[str], list[str] | None]] = [
        ("Identification", ident_left, ident_right),
        ("Screening", _lines("Records screened", n=c.records_screened), _lines("Records excluded", n=c.records_excluded)),
    ]
    if c.stage == "full_text":
        rows += [
            ("Screening", _lines("Reports sought for retrieval", n=c.reports_sought),
             _lines("Reports not retrieved", c.not_retrieved_reasons, c.reports_not_retrieved)),
            ("Screening", _lines("Reports assessed for eligibility", n=c.reports_assessed),
             _lines("Reports excluded:", c.reports_excluded) if c.reports_excluded else _lines("Reports excluded", n=0)),
            ("Included", _lines("Studies included in review", n=c.studies_included)
             + _lines("Reports of included studies", n=c.reports_included), None),
        ]
    else:
        rows += [("Included", _lines("Records included at title/abstract screening", n=c.reports_sought), None)]

    gap = 0.45
    heights = [max(len(l), len(r or [])) * _LINE + 0.3 for _, l, r in rows]
    total_h = sum(heights) + gap * (len(rows) - 1) + (0.5 if title else 0.1) + 0.1
    width = 9.0
    fig = new_figure(width, total_h)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, width)
    ax.set_ylim(0, total_h)
    ax.axis("off")
    if title:
        ax.text(width / 2, total_h - 0.25, title, ha="center", va="center", fontsize=11, fontweight="bold")
    left_x, left_w, right_x, right_w, phase_x, phase_w = 0.75, 3.9, 5.05, 3.8, 0.1, 0.4
    y = total_h - (0.5 if title else 0.1)
    centres = []
    phase_spans: dict[str, list[float]] = {}

    def box(x: float, top: float, w: float, h: float, lines: list[str]) -> None:
        ax.add_patch(patches.Rectangle((x, top - h), w, h, facecolor=_BOX_FACE, edgecolor="black", linewidth=1))
        ax.text(x + 0.12, top - 0.15, "\n".join(lines), ha="left", va="top", fontsize=8.5, linespacing=1.35)

    for (phase, left, right), h in zip(rows, heights):
        box(left_x, y, left_w, h, left)
        if right:
            box(right_x, y, right_w, h, right)
            ax.annotate("", xy=(right_x, y - h / 2), xytext=(left_x + left_w, y - h / 2),
                        arrowprops=dict(arrowstyle="-|>", color="black", linewidth=1))
        centres.append((y, y - h))
        span = phase_spans.setdefault(phase, [y, y - h])
        span[1] = y - h
        y -= h + gap
    for (top1, bottom1), (top2, _) in zip(centres, centres[1:]):
        ax.annotate("", xy=(left_x + left_w / 2, top2), xytext=(left_x + left_w / 2, bottom1),
                    arrowprops=dict(arrowstyle="-|>", color="black", linewidth=1))
    for phase, (top, bottom) in phase_spans.items():
        ax.add_patch(patches.FancyBboxPatch((phase_x, bottom), phase_w, top - bottom, boxstyle="round,pad=0,rounding_size=0.08",
                                            facecolor=_PHASE_FACE, edgecolor="#6a8caf"))
        ax.text(phase_x + phase_w / 2, (top + bottom) / 2, phase, rotation=90, ha="center", va="center",
                fontsize=9, fontweight="bold")
    return fig


def write_prisma(counts: PrismaCounts, folder: str | Path, title: str = "") -> list[Path]:
    """Write ``prisma-2020.svg``, ``prisma-2020.png`` and ``prisma-2020-counts.csv`` under ``folder``."""
    from ..outputs_io import write_csv

    folder = Path(folder)
    paths = save_figure(prisma_figure(counts, title), folder / "prisma-2020")
    paths.append(write_csv(counts.as_table(), folder / "prisma-2020-counts.csv"))
    return paths
