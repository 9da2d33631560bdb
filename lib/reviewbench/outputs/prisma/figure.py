"""The PRISMA 2020 flow diagram for new reviews, drawn from :class:`PrismaCounts`
(databases, registers and other sources in one identification box).

While a review is in progress, what is still open is drawn in plain dashed boxes to the
right of the box it belongs to ("Awaiting title/abstract screening (n = 184)"), and open
states outside the flow (decisions or findings not counted) as notes under it; a
complete review's diagram has neither.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from ...outputs_io import write_csv
from ...figures import new_figure, save_figure
from .counts import PrismaCounts

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
    excluded = dict(c.reports_excluded)
    if c.excluded_without_reason:
        excluded["reason not given"] = c.excluded_without_reason
    rows: list[tuple[str, list[str], list[str] | None, list[str]]] = [
        ("Identification", ident_left, ident_right, []),
        ("Screening", _lines("Records screened", n=c.records_screened), _lines("Records excluded", n=c.records_excluded),
         _open_lines(c, "screened")),
    ]
    if c.stage == "full_text":
        rows += [
            ("Screening", _lines("Reports sought for retrieval", n=c.reports_sought),
             _lines("Reports not retrieved", c.not_retrieved_reasons, c.reports_not_retrieved), _open_lines(c, "sought")),
            ("Screening", _lines("Reports assessed for eligibility", n=c.reports_assessed),
             _lines("Reports excluded:", excluded) if excluded else _lines("Reports excluded", n=0), _open_lines(c, "assessed")),
            ("Included", _lines("Studies included in review", n=c.studies_included)
             + _lines("Reports of included studies", n=c.reports_included), None, []),
        ]
    else:
        rows += [("Included", _lines("Records included at title/abstract screening", n=c.reports_sought), None, [])]
    notes = [line for o in c.open_notes() for line in textwrap.wrap(f"Not counted: {o.label.removesuffix(' (not counted)').removesuffix(' (not shown)')} (n = {len(o.records)})", 90)]

    gap = 0.45
    heights = [max(len(l), len(r or []), len(o)) * _LINE + 0.3 for _, l, r, o in rows]
    total_h = sum(heights) + gap * (len(rows) - 1) + (0.5 if title else 0.1) + 0.1 + (len(notes) * _LINE + 0.2 if notes else 0)
    in_progress = any(o for *_, o in rows)
    width = 13.1 if in_progress else 9.0
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

    def box(x: float, top: float, w: float, h: float, lines: list[str], plain: bool = False) -> None:
        style = dict(edgecolor="#777777", linestyle="--") if plain else dict(edgecolor="black")
        ax.add_patch(patches.Rectangle((x, top - h), w, h, facecolor=_BOX_FACE, linewidth=1, **style))
        ax.text(x + 0.12, top - 0.15, "\n".join(lines), ha="left", va="top", fontsize=8.5, linespacing=1.35,
                color="#444444" if plain else "black")

    for (phase, left, right, still_open), h in zip(rows, heights):
        box(left_x, y, left_w, h, left)
        if right:
            box(right_x, y, right_w, h, right)
            ax.annotate("", xy=(right_x, y - h / 2), xytext=(left_x + left_w, y - h / 2),
                        arrowprops=dict(arrowstyle="-|>", color="black", linewidth=1))
        if still_open:
            box(right_x + right_w + 0.3, y, 3.7, h, still_open, plain=True)
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
    if notes:
        ax.text(left_x, y + gap - 0.15, "\n".join(notes), ha="left", va="top", fontsize=8, color="#444444", linespacing=1.35)
    return fig


def _open_lines(c: PrismaCounts, box: str) -> list[str]:
    """The lines of the plain box of what is still open beside ``box`` (none: empty)."""
    states = c.open_beside(box)
    if not states:
        return []
    lines = _lines("In progress:")
    for o in states:
        count = f"(n\u00a0=\u00a0{len(o.records)})"  # no-break spaces: the count stays on one line
        lines += textwrap.wrap(f"{o.label[0].upper()}{o.label[1:]} {count}", _WRAP,
                               initial_indent="   ", subsequent_indent="     ")
    return lines


def write_prisma(counts: PrismaCounts, folder: str | Path, title: str = "") -> list[Path]:
    """Write ``prisma-2020.svg``, ``prisma-2020.png`` and ``prisma-2020-counts.csv`` under ``folder``."""
    folder = Path(folder)
    paths = save_figure(prisma_figure(counts, title), folder / "prisma-2020")
    paths.append(write_csv(counts.as_table(), folder / "prisma-2020-counts.csv"))
    return paths
