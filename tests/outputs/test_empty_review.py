"""A review that has just started (records imported, nothing screened or coded) still builds."""

from __future__ import annotations

import pytest

from reviewbench.outputs.params import validate_params
from reviewbench.outputs.prisma import PrismaMismatchError, check_prisma, prisma_counts
from reviewbench.outputs.review_data import load_review_data
from reviewbench.outputs.tables import evidence_tables
from reviewbench.outputs.writers import write_tables

from .conftest import build_project


@pytest.fixture
def fresh(tmp_path):
    from reviewbench.project import open_project

    return load_review_data(open_project(build_project(tmp_path / "review", plan={}, findings=[])), cache=False)


def test_tables_have_headers_and_no_rows(fresh, tmp_path):
    tables = evidence_tables(fresh, validate_params({}, {}))
    assert tables[0].name == "characteristics-of-included-studies" and tables[0].frame.empty
    counts = {t.name: t for t in tables}["findings-by-subgroup-and-prevention-tier-counts"].frame
    assert counts.drop(columns="Subgroup").to_numpy().sum() == 0  # every cell a gap
    paths = write_tables(tables, tmp_path, ["csv", "md", "html", "xlsx", "docx"])
    assert all(p.stat().st_size > 0 for p in paths)


def test_prisma_says_nothing_is_screened(fresh):
    with pytest.raises(PrismaMismatchError) as err:
        check_prisma(prisma_counts(fresh))
    assert "Records screened: expected 10, found 0 (off by -10)" in str(err.value)
