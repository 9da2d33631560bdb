"""Shared helpers for the format tests: fixture paths and record look-ups."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


def _by_title(df: pd.DataFrame, start: str) -> dict:
    """The one record whose title starts with ``start``, as a dict."""
    rows = df[df["title"].str.startswith(start)]
    assert len(rows) == 1, f"expected one record titled {start!r}, got {len(rows)}"
    return rows.iloc[0].to_dict()


@pytest.fixture
def by_title():
    """``by_title(df, start)``: the one record whose title starts with ``start``."""
    return _by_title
