import pytest

from reviewbench.errors import ProjectError, ValidationError
from reviewbench.project import load_located, load_yaml, open_project


def test_open_project_finds_root_from_subfolder(example_copy, monkeypatch):
    monkeypatch.chdir(example_copy / "notebooks")
    assert open_project().root == example_copy.resolve()


def test_not_a_project(tmp_path):
    with pytest.raises(ProjectError, match="reviewbench init"):
        open_project(tmp_path)


def test_malformed_yaml_names_file_and_line(tmp_path):
    bad = tmp_path / "review.yml"
    bad.write_text("title: ok\nquestion: [unclosed\n")
    with pytest.raises(ValidationError, match=r"review\.yml, line \d+: invalid YAML"):
        load_yaml(bad)


def _alias_bomb(levels: int, width: int = 9) -> str:
    """Nested anchors, each a list of ``width`` aliases to the one before: ~9**levels values."""
    lines = ["searches:", "  - {database: x, date: 2020-01-01, query: q}", "bomb:", "  a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("levels", [6, 7, 30])
def test_an_alias_bomb_is_refused_at_once(tmp_path, levels):
    """Row 5: 700 bytes of nested aliases in searches.yml took 29 s and 2.4 GB at 6 levels."""
    path = tmp_path / "searches.yml"
    path.write_text(_alias_bomb(levels))
    doc, problems = load_located(path)  # refused before expanding: without the limit this took 29 s
    assert doc is None and "aliases (*name) expand to more than 100,000 values" in problems[0].message
    with pytest.raises(ValidationError, match="alias bomb"):
        load_yaml(path)


def test_merge_keys_that_double_at_every_level_are_refused(tmp_path):
    lines, prev = ["a: &a {x: 1, y: 2}"], "a"
    for i in range(40):
        lines.append(f"b{i}: &b{i}\n  <<: [*{prev}, *{prev}]\n  k{i}: 1")
        prev = f"b{i}"
    doc, problems = load_located(tmp_path / "x.yml", "\n".join(lines))
    assert doc is None and "alias" in problems[0].message


def test_a_few_aliases_still_load_with_their_lines(tmp_path):
    doc, problems = load_located(tmp_path / "x.yml", "base: &b {hits: 3}\nsearches:\n  - *b\n  - *b\n")
    assert problems == [] and doc.data["searches"] == [{"hits": 3}, {"hits": 3}]


@pytest.mark.parametrize("text, says", [
    ("a: &a [*a]\n", "refers to a value that contains it"),
    ("a: " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
])
def test_recursive_and_deeply_nested_yaml_is_a_problem_not_a_crash(tmp_path, text, says):
    doc, problems = load_located(tmp_path / "x.yml", text)
    assert doc is None and says in problems[0].message


def test_search_sources_names_each_export_as_searches_yml_does(tmp_path):
    from reviewbench.project import Project

    (tmp_path / "bibliography").mkdir()
    assert Project(tmp_path).search_sources() == {}  # no searches.yml: nothing named
    (tmp_path / "bibliography" / "searches.yml").write_text(
        "searches:\n"
        "  - {database: PubMed, date: 2022-06-01, query: q, file: exports/pubmed.nbib}\n"
        "  - {database: Web of Science, date: 2022-06-01, query: q, files: [wos-1.txt, wos-2.txt]}\n"
        "registers:\n  - {register: ClinicalTrials.gov, date: 2022-06-01, file: ctgov.csv}\n"
        "other_methods:\n  - {source: Websites, date: 2022-06-10, file: handsearch.csv}\n"
        "  - {date: 2022-06-10, file: unnamed.ris}\n",
        encoding="utf-8",
    )
    assert Project(tmp_path).search_sources() == {
        "pubmed.nbib": "PubMed", "wos-1.txt": "Web of Science", "wos-2.txt": "Web of Science",
        "ctgov.csv": "ClinicalTrials.gov", "handsearch.csv": "Websites", "unnamed.ris": "unnamed.ris",
    }


def test_search_entries_are_read_one_way_for_prisma_validate_and_the_tables():
    from reviewbench.project import search_entries

    data = {
        "searches": [
            {"database": "  MEDLINE ", "file": "exports\\medline.txt", "hits": "120"},
            "not a mapping",
            {"database": "ICTRP", "type": "trial register", "file": "ictrp.csv", "hits": True},
            {"name": "Scopus", "files": ["a.ris", "b.ris"], "hits": 7.5},
        ],
        "other_methods": [{"file": "dir/hand.csv", "hits": 3}, {"kind": "website"}],
    }
    entries = search_entries(data)
    assert [(e.section, e.index, e.box, e.label) for e in entries] == [
        ("searches", 0, "databases", "MEDLINE"),
        ("searches", 2, "registers", "ICTRP"),  # a register listed among the searches counts as one
        ("searches", 3, "databases", "Scopus"),
        ("other_methods", 0, "other", "hand.csv"),
        ("other_methods", 1, "other", "unnamed source"),
    ]
    assert entries[0].file_names == ("medline.txt",)
    assert [e.hits for e in entries] == [120, None, None, 3, None]  # a yes/no or a fraction is no count
    assert search_entries(None) == [] and search_entries({"searches": "x"}) == []
