"""Highlight the eligibility terms of ``review.yml`` in a record's text, safely.

A term matches at the start of a word and may run on to the end of it (``prostitut``
matches *prostitution*, ``sex work`` matches *sex workers*); ``*`` is a wildcard inside
or at the end of a term. Matching ignores case. All record text is HTML-escaped; only
the ``<mark>`` tags added here are markup.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Sequence

import pandas as pd

INCLUDE_STYLE = "background:#c6efce;color:#0b5d1e;padding:0 2px;border-radius:2px"
EXCLUDE_STYLE = "background:#ffc7ce;color:#8b0a14;padding:0 2px;border-radius:2px"


def _term_pattern(term: str) -> str:
    parts = [re.escape(p) for p in term.strip().split("*")]
    body = r"\w*".join(parts)
    body = re.sub(r"(\\ )+", r"[\\s\\-]+", body)  # a space matches spaces or a hyphen
    return rf"(?<!\w){body}\w*"


@lru_cache(maxsize=32)
def term_regex(include: tuple[str, ...], exclude: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for all terms, longest first; group names ``i<n>`` / ``e<n>``."""
    terms = [(t, f"i{n}") for n, t in enumerate(include) if t.strip("* ")]
    terms += [(t, f"e{n}") for n, t in enumerate(exclude) if t.strip("* ")]
    if not terms:
        return None
    terms.sort(key=lambda item: -len(item[0]))
    return re.compile("|".join(f"(?P<{name}>{_term_pattern(t)})" for t, name in terms), re.IGNORECASE)


def highlight(text: object, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> str:
    """``text`` as HTML with include terms marked green and exclude terms red."""
    if not isinstance(text, str):
        text = "" if text is None or pd.isna(text) else str(text)  # NaN / <NA>: no text
    regex = term_regex(tuple(include), tuple(exclude))
    if regex is None:
        return html.escape(text)
    out: list[str] = []
    pos = 0
    for m in regex.finditer(text):
        out.append(html.escape(text[pos : m.start()]))
        kind = "include" if (m.lastgroup or "").startswith("i") else "exclude"
        style = INCLUDE_STYLE if kind == "include" else EXCLUDE_STYLE
        out.append(f'<mark class="rb-term rb-{kind}" style="{style}">{html.escape(m.group(0))}</mark>')
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)
