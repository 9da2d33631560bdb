"""The review queue of uncertain pairs, and a side-by-side view with differences highlighted.

:func:`review_queue` lists the pairs a person should decide; :func:`pair_html` renders
one pair as an HTML table (``difflib`` marks the words that differ); :func:`review_widget`
wraps both in ipywidgets buttons that append decisions to the log, and :class:`DedupReviewApp`
asks who you are first. :func:`pair_table` lists pairs for a report, each score named for
what it is.
"""

from __future__ import annotations

import difflib
import html
from pathlib import Path
from typing import Any, Callable, Sequence

import pandas as pd

from .clusters import Deduplication
from .decisions import record_decisions

REVIEW_FIELDS = ["title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "pmid", "ref_type", "source_file", "abstract"]
QUEUE_COLUMNS = [
    "record_id", "other_record_id", "rule", "weight", "title", "authors", "abstract", "year_gap", "doi", "pmid", "volume",
    "issue", "pages", "journal",
]


def review_queue(result: Deduplication) -> pd.DataFrame:
    """Uncertain pairs still to decide: not in one cluster already, no human decision yet.

    Sorted likeliest first (match weight, then title score, then ids). ``weight`` is the
    pair's match weight in bits (:mod:`.score`); ``title``, ``authors``, ``abstract`` are
    similarities 0-100, the other columns 1 (same), -1 (different) or 0 (unknown).
    """
    pairs = result.pairs
    cluster = result.clusters.set_index("record_id")["cluster_id"]
    todo = pairs[(pairs["decision"] == "uncertain") & (pairs["human"] == "")]
    apart = cluster.loc[todo["record_id"]].to_numpy() != cluster.loc[todo["other_record_id"]].to_numpy()
    todo = todo[apart]
    todo = todo.sort_values(
        ["weight", "title", "record_id", "other_record_id"], ascending=[False, False, True, True], kind="stable"
    )
    return todo[QUEUE_COLUMNS].reset_index(drop=True)


#: The score columns of :func:`review_queue` and ``Deduplication.pairs`` as a report names them.
SCORE_NAMES = {"title": "title similarity", "authors": "author similarity", "abstract": "abstract similarity",
               "year_gap": "years apart"}


def pair_table(pairs: pd.DataFrame, records: pd.DataFrame, scores: Sequence[str] = ("title", "year_gap")) -> pd.DataFrame:
    """``pairs`` (of ``Deduplication.pairs``, ``.refused`` or :func:`review_queue`) as a table to
    read: ``record_id``, ``other_record_id``, ``rule``, the ``scores`` named for what they hold
    (:data:`SCORE_NAMES`: ``title similarity`` 0-100, ``years apart``; rounded to whole
    numbers, empty when unknown) and the ``title`` of each record (imported text: a report escapes it)."""
    titles = records.set_index("record_id")["title"].map(_text)
    table = pd.DataFrame({"record_id": pairs["record_id"].to_numpy(), "other_record_id": pairs["other_record_id"].to_numpy(),
                          "rule": pairs["rule"].to_numpy()})
    for score in scores:
        values = pd.to_numeric(pairs[score], errors="coerce").to_numpy()
        table[SCORE_NAMES.get(score, score)] = pd.array(values.round(0), dtype="Int64")
    table["title"] = table["record_id"].map(titles).fillna("")
    table["other title"] = table["other_record_id"].map(titles).fillna("")
    return table


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def highlight_differences(a: str, b: str) -> tuple[str, str]:
    """Two HTML strings with the words that differ between ``a`` and ``b`` marked."""
    wa, wb = a.split(), b.split()
    out_a, out_b = [], []
    matcher = difflib.SequenceMatcher(a=wa, b=wb, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        left, right = html.escape(" ".join(wa[a0:a1])), html.escape(" ".join(wb[b0:b1]))
        if op == "equal":
            out_a.append(left)
            out_b.append(right)
        else:
            if left:
                out_a.append(f'<mark class="rb-diff">{left}</mark>')
            if right:
                out_b.append(f'<mark class="rb-diff">{right}</mark>')
    return " ".join(out_a), " ".join(out_b)


def pair_html(a: pd.Series | dict, b: pd.Series | dict, fields: list[str] | None = None, caption: str = "") -> str:
    """An HTML table showing two records side by side, differing words highlighted.

    Identical fields are shown plain, differing ones marked; empty fields show "—".
    """
    fields = fields or REVIEW_FIELDS
    rows = []
    for field in fields:
        va, vb = _text(a.get(field)), _text(b.get(field))
        if not va and not vb:
            continue
        if field == "abstract":
            va, vb = va[:600], vb[:600]
        ha, hb = highlight_differences(va, vb) if va != vb else (html.escape(va), html.escape(vb))
        rows.append(
            f"<tr><th style='text-align:left;vertical-align:top'>{html.escape(field)}</th>"
            f"<td style='vertical-align:top'>{ha or '—'}</td><td style='vertical-align:top'>{hb or '—'}</td></tr>"
        )
    head = (
        f"<tr><th></th><th style='text-align:left'>{html.escape(_text(a.get('record_id')))}</th>"
        f"<th style='text-align:left'>{html.escape(_text(b.get('record_id')))}</th></tr>"
    )
    cap = f"<caption style='text-align:left'>{html.escape(caption)}</caption>" if caption else ""
    style = "<style>mark.rb-diff{background:#ffe08a;padding:0 1px}</style>"
    return f"{style}<table class='rb-pair'>{cap}{head}{''.join(rows)}</table>"


def review_widget(
    queue: pd.DataFrame,
    records: pd.DataFrame,
    decisions_path: str | Path,
    reviewer: str,
    on_decision: Callable[[dict[str, str]], None] | None = None,
):
    """An ipywidgets view of the queue: one pair at a time, buttons Same / Different / Skip.

    Each click appends one row to the decisions log at ``decisions_path`` at once, so
    closing the notebook loses nothing.
    """
    import ipywidgets as widgets

    by_id = records.set_index("record_id")
    state = {"k": 0}
    view = widgets.HTML()
    status = widgets.Label()
    buttons = {name: widgets.Button(description=name) for name in ("Same", "Different", "Skip")}

    def show() -> None:
        if state["k"] >= len(queue):
            view.value = "<p>No pairs left to review.</p>"
            for button in buttons.values():
                button.disabled = True
            return
        row = queue.iloc[state["k"]]
        a = by_id.loc[row["record_id"]].to_dict() | {"record_id": row["record_id"]}
        b = by_id.loc[row["other_record_id"]].to_dict() | {"record_id": row["other_record_id"]}
        caption = f"pair {state['k'] + 1} of {len(queue)} · title similarity {row['title']:.0f}"
        view.value = pair_html(a, b, caption=caption)

    def decide(decision: str | None) -> None:
        row = queue.iloc[state["k"]]
        if decision:
            entry = {"record_id": row["record_id"], "other_record_id": row["other_record_id"], "decision": decision}
            record_decisions(decisions_path, [entry], reviewer=reviewer)
            status.value = f"recorded {decision}: {row['record_id']} / {row['other_record_id']}"
            if on_decision:
                on_decision(entry)
        state["k"] += 1
        show()

    buttons["Same"].on_click(lambda _: decide("same"))
    buttons["Different"].on_click(lambda _: decide("different"))
    buttons["Skip"].on_click(lambda _: decide(None))
    show()
    return widgets.VBox([view, widgets.HBox(list(buttons.values())), status])


def _message(text: str) -> Any:
    import ipywidgets as widgets

    return widgets.HTML(f"<i>{html.escape(text)}</i>")


class DedupReviewApp:
    """What the deduplication notebook opens its review on: pick who you are (``reviewers``:
    ``(label, id)`` pairs, e.g. :func:`reviewbench.screening.criteria.reviewer_choices`),
    then decide the ``queue``'s pairs one at a time with :func:`review_widget`; each
    decision is appended to ``decisions_path`` with that reviewer. Without a reviewer it
    shows what to do, never a decision button. ``reviewer``: preselected (e.g. the
    session's reviewer); pairs decided here are not offered again after a change of reviewer.
    """

    def __init__(self, queue: pd.DataFrame, records: pd.DataFrame, decisions_path: str | Path,
                 reviewers: Sequence[tuple[str, str]], reviewer: str = "") -> None:
        import ipywidgets as widgets

        self.queue, self.records, self.decisions_path = queue, records, Path(decisions_path)
        self.decided: set[tuple[str, str]] = set()
        ids = [rid for _label, rid in reviewers]
        self.who = widgets.Dropdown(options=[("— who are you? —", "")] + list(reviewers), description="Reviewer")
        self.who.add_class("rb-pick-reviewer")
        self.body = widgets.VBox()
        self.widget = widgets.VBox([self.who, self.body])
        self.widget.add_class("rb-dedup-app")
        if reviewer in ids:
            self.who.value = reviewer
        self.who.observe(lambda _change: self.show(), names="value")
        self.show()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def todo(self) -> pd.DataFrame:
        """The queue's pairs not decided in this view yet."""
        done = [(a, b) in self.decided for a, b in zip(self.queue["record_id"], self.queue["other_record_id"])]
        return self.queue[~pd.Series(done, index=self.queue.index, dtype=bool)].reset_index(drop=True)

    def show(self) -> None:
        """The review of the pairs for the reviewer picked, or what to do first."""
        name = self.who.value
        if self.queue.empty:
            self.body.children = [_message("No uncertain pairs: there is nothing to decide.")]
        elif not name:
            self.body.children = [_message("Pick who you are to decide whether the pairs below are the same publication.")]
        else:
            def remember(entry: dict[str, str]) -> None:
                self.decided.add((entry["record_id"], entry["other_record_id"]))

            self.body.children = [review_widget(self.todo(), self.records, self.decisions_path, reviewer=name, on_decision=remember)]
