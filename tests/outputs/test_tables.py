"""Evidence tables from the fixture review: rows, counts, citations and filters."""

from __future__ import annotations

from reviewbench.outputs.params import validate_params
from reviewbench.outputs.tables import evidence_tables, select_findings, select_studies

CODES = {"subgroup": ["on_street", "indoor", "migrant", "trans"], "prevention_tier": ["primary", "secondary", "tertiary"],
         "determinant_layer": ["individual", "community", "living_working", "structural"]}


def _tables(data, **raw):
    return {t.name: t for t in evidence_tables(data, validate_params(raw, CODES))}


def test_characteristics_one_row_per_included_study(review_data):
    table = _tables(review_data)["characteristics-of-included-studies"].frame
    assert len(table) == 6
    assert list(table.columns[:4]) == ["Study", "Title", "Year", "Source"]
    # Reference-list order: first author, year, title. (How the importer splits the group
    # author "Yorkshire Sex Work Project" is not this module's business: only its year is checked.)
    assert table["Study"].tolist()[:5] == [
        "\\input{/etc/passwd} and Mai 2009", "Cooper 2020", "Jeal and Salisbury 2004", "Platt et al. 2018",
        "Potter et al. 2022"]
    assert table["Study"].iloc[5].endswith(" 2021")
    jeal = table[table["Study"] == "Jeal and Salisbury 2004"].iloc[0]
    assert jeal["Findings"] == 2 and jeal["Study design"] == "Cross-sectional"


def test_subgroup_by_tier_counts_keep_empty_cells(review_data):
    counts = _tables(review_data)["findings-by-subgroup-and-prevention-tier-counts"].frame.set_index("Subgroup")
    assert counts.loc["On-street", "Tertiary"] == 2
    assert counts.loc["Indoor", "Primary"] == 2
    assert counts.loc["Migrant", "Secondary"] == 0  # a gap is a row with a zero, not a missing row
    assert list(counts.index) == ["On-street", "Indoor", "Migrant", "Trans"]
    assert counts.loc["On-street", "Total findings"] == 4


def test_citation_cells_name_the_studies(review_data):
    cited = _tables(review_data)["findings-by-subgroup-and-prevention-tier"].frame.set_index("Subgroup")
    assert cited.loc["On-street", "Tertiary"] == "2: Jeal and Salisbury 2004; Potter et al. 2022"
    assert cited.loc["Migrant", "Tertiary"] == ""


def test_determinant_layer_and_recommendation_tables(review_data):
    tables = _tables(review_data)
    layers = tables["findings-by-determinant-layer"].frame.set_index("Determinant layer")
    assert layers.loc["Living and working conditions", "Findings"] == 3
    assert layers.loc["Living and working conditions", "Studies"] == 3
    assert len(tables["findings-recommendation-wider-determinants"].frame) == 3
    assert set(tables) >= {f"findings-subgroup-{c.replace('_', '-')}" for c in CODES["subgroup"]}


def test_subgroup_filter_keeps_matching_findings_and_studies(review_data):
    params = validate_params({"subgroup": "migrant"}, CODES)
    findings = select_findings(review_data, params)
    assert findings["finding_id"].tolist() == ["F004"]
    assert len(select_studies(review_data, params)) == 1
    tables = _tables(review_data, subgroup="migrant")
    assert "findings-subgroup-on-street" not in tables
    assert tables["findings-by-subgroup-and-prevention-tier-counts"].frame["Subgroup"].tolist() == ["Migrant"]


def test_year_filter(review_data):
    params = validate_params({"year_from": 2018}, CODES)
    assert sorted(select_studies(review_data, params)["year"].tolist()) == [2018, 2020, 2021, 2022]


def test_tables_are_deterministic(review_data):
    first = [t.frame.to_csv() for t in evidence_tables(review_data, validate_params({}, CODES))]
    second = [t.frame.to_csv() for t in evidence_tables(review_data, validate_params({}, CODES))]
    assert first == second
