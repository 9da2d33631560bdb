"""The library names no dimension of the example's codebook: every table, gap map and
filter a report has is declared by the review's own codebook."""

from __future__ import annotations

import re
from pathlib import Path

LIB = Path(__file__).resolve().parents[1] / "lib" / "reviewbench"
EXAMPLE_DIMENSIONS = re.compile(r"\b(subgroup|prevention_tier|determinant_layer|recommendation_area)\b")


def test_no_module_or_template_names_a_dimension_of_the_example():
    files = [*LIB.rglob("*.py"), *(LIB / "templates").glob("*.yml"), *(LIB / "templates" / "notebooks").glob("*.ipynb")]
    files = [p for p in files if not p.is_symlink() or "workflow" in p.name]
    named = [f"{p.relative_to(LIB)}:{n}" for p in files for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if EXAMPLE_DIMENSIONS.search(line)]
    assert named == []
