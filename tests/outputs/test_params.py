"""Report parameters: valid values pass, invalid ones stop with the list of valid values."""

from __future__ import annotations

import pytest

from reviewbench.errors import ParameterError
from reviewbench.outputs.params import TABLE_FORMATS, output_folder, validate_params

CODES = {"subgroup": ["on_street", "indoor", "migrant", "trans"], "prevention_tier": ["primary", "secondary"],
         "determinant_layer": ["individual", "structural"]}


def test_defaults_write_everything_to_outputs():
    params = validate_params({}, CODES)
    assert params.output_dir == "outputs" and params.formats == TABLE_FORMATS and not params.is_filtered


def test_subgroup_gets_its_own_folder():
    params = validate_params({"subgroup": "migrant"}, CODES)
    assert params.selected("subgroup") == ("migrant",)
    assert params.output_dir == "outputs/subgroup-migrant"


def test_lists_are_ordered_as_in_the_codebook():
    params = validate_params({"subgroup": "trans,migrant", "prevention_tier": ["secondary"], "year_from": "2010"}, CODES)
    assert params.selected("subgroup") == ("migrant", "trans") and params.year_from == 2010
    assert output_folder(params) == "outputs/subgroup-migrant+trans_prevention_tier-secondary_years-2010-any"


def test_unknown_code_lists_valid_values():
    with pytest.raises(ParameterError) as err:
        validate_params({"subgroup": "migrants"}, CODES)
    message = str(err.value)
    assert "'migrants'" in message and "subgroup" in message
    for code in CODES["subgroup"]:
        assert code in message


@pytest.mark.parametrize("raw, name", [
    ({"stage": "abstracts"}, "stage"),
    ({"formats": "csv,pdf"}, "formats"),
    ({"year_from": "twenty"}, "year_from"),
    ({"year_from": 2020, "year_to": 2010}, "year_to"),
    ({"colour": "blue"}, "name"),
    ({"output_dir": "/etc"}, "output_dir"),
])
def test_invalid_parameters_stop(raw, name):
    with pytest.raises(ParameterError) as err:
        validate_params(raw, CODES)
    assert err.value.name == name and err.value.valid


@pytest.mark.parametrize("folder", [".", "notebooks", "evidence/screening", "outputs/../notebooks", "<absolute>", "bibliography"])
def test_output_dir_only_below_outputs(folder, tmp_path):
    """Row 9: `-p output_dir .` overwrote the source notebooks; `evidence/screening` broke validate.
    ``<absolute>``: an absolute folder named outputs elsewhere on the machine."""
    if folder == "<absolute>":
        folder = str(tmp_path / "outputs")
    with pytest.raises(ParameterError) as err:
        validate_params({"output_dir": folder}, CODES)
    assert err.value.name == "output_dir" and "a folder inside outputs/" in str(err.value)


@pytest.mark.parametrize("folder, kept", [("", "outputs"), ("outputs", "outputs"), ("outputs/my-report", "outputs/my-report"), ("./outputs/a/b/", "outputs/a/b")])
def test_output_dir_inside_outputs_is_kept(folder, kept):
    assert validate_params({"output_dir": folder}, CODES).output_dir == kept
