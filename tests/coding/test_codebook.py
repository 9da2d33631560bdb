"""The codebook model and its schema check (every problem named with file and line)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviewbench.coding.codebook import codebook_problems, join_codes, load_codebook, parse_codes
from reviewbench.errors import ProjectError, ValidationError

VALID = """\
dimensions:
  tier:
    label: Tier
    multi: false
    codes:
      primary:
        label: Primary
        definition: Prevents harm.
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "codebook.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_example_codebook_has_the_dimensions_others_rely_on(example_codebook_path):
    cb = load_codebook(example_codebook_path)
    assert list(cb.dimensions) == [
        "subgroup", "prevention_tier", "targeting", "determinant_layer", "health_theme",
        "recommendation_area", "study_design", "setting", "region",
    ]
    assert {"trans", "migrant", "indoor", "on_street", "male", "survival_sex", "young_people_cse"} <= set(cb.codes("subgroup"))
    assert cb.codes("prevention_tier") == ["primordial", "primary", "secondary", "tertiary", "quaternary", "not_applicable"]
    assert {"universal", "targeted", "indicated"} <= set(cb.codes("targeting"))
    assert len(cb.codes("recommendation_area")) == 8
    assert {"housing", "education", "work_environment", "health_care", "water_sanitation", "food", "unemployment"} <= set(cb.codes("determinant_layer"))
    assert cb.dimensions["subgroup"].multi and not cb.dimensions["targeting"].multi
    assert cb.dimensions["study_design"].level == "study"
    assert cb.population.any, "the example needs a population filter"
    for dim in cb.dimensions.values():
        for code in dim.codes.values():
            assert code.label and code.definition and code.include and code.exclude, (dim.name, code.id)


def test_valid_minimal_codebook_loads(tmp_path):
    cb = load_codebook(write(tmp_path, VALID))
    assert cb.dimensions["tier"].codes["primary"].label == "Primary"
    assert cb.invalid_codes("tier", ["primary", "primery"]) == ["primery"]


@pytest.mark.parametrize(
    "text, line, fragment",
    [
        (VALID.replace("        label: Primary\n", ""), 6, "needs a 'label'"),
        (VALID.replace("multi: false", "multi: sometimes"), 4, "multi: true"),
        (VALID.replace("primary:", "Primary:"), 6, "lower case"),
        (VALID.replace("    label: Tier\n", "    label: Tier\n    lable: typo\n"), 4, "unknown key 'lable'"),
        (VALID + "      primary:\n        label: Again\n        definition: Twice.\n", 9, "duplicate key 'primary'"),
        (VALID.replace("definition: Prevents harm.", "definition: Prevents harm.\n        keywords:\n          any: [condom*]\n          window: -2"), 11, "window must be"),
        (VALID.replace("definition: Prevents harm.", "definition: Prevents harm.\n        keywords:\n          any: condom"), 10, "must be a list"),
        (VALID.replace("definition: Prevents harm.", "definition: Prevents harm.\n        keywords:\n          any: [condom*, '*']"), 10, "letters or digits"),
        ("dimensions:\n  tier:\n    label: [unclosed\n", 4, "invalid YAML"),
        ("dimensions: {}\n", 1, "non-empty mapping"),
    ],
)
def test_schema_errors_name_file_and_line(tmp_path, text, line, fragment):
    path = write(tmp_path, text)
    problems = codebook_problems(path)
    assert problems, "expected a problem"
    match = [p for p in problems if fragment in p.message]
    assert match, [str(p) for p in problems]
    assert match[0].line == line
    assert match[0].path == str(path)
    with pytest.raises(ValidationError) as err:
        load_codebook(path)
    assert f"{path}, line {line}" in str(err.value)


def test_missing_codebook_is_reported(tmp_path):
    with pytest.raises(ProjectError, match="nope.yml: file not found"):
        load_codebook(tmp_path / "nope.yml")
    assert "file not found" in codebook_problems(tmp_path / "nope.yml")[0].message


codes = st.lists(st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True), max_size=6)


@given(codes)
def test_codes_round_trip_through_the_log_spelling(values):
    assert parse_codes(join_codes(values)) == values


def test_parse_codes_accepts_lists_nan_and_commas():
    assert parse_codes(float("nan")) == []
    assert parse_codes(None) == []
    assert parse_codes(" indoor ;migrant, ") == ["indoor", "migrant"]
    assert parse_codes(["a", " ", "b"]) == ["a", "b"]


def test_the_codebook_is_read_again_when_its_text_changes(tmp_path, example_codebook_path):
    path = tmp_path / "codebook.yml"
    path.write_bytes(Path(example_codebook_path).read_bytes())
    first = load_codebook(path)
    assert load_codebook(path) is first  # parsed once
    label = next(iter(first.dimensions.values())).label
    changed = label[:-1] + "X"  # the same size: a cache keyed on size and time could miss it
    path.write_text(path.read_text(encoding="utf-8").replace(f"label: {label}", f"label: {changed}", 1), encoding="utf-8")
    again = load_codebook(path)
    assert again is not first and next(iter(again.dimensions.values())).label == changed
