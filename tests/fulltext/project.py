"""A small review with records included at title/abstract (invented titles and DOIs), for
the tests of full texts: :func:`make_project` lays it out."""

from __future__ import annotations

import shutil
from pathlib import Path

from reviewbench.cli.init_cmd import TEMPLATES
from reviewbench.project import Project, open_project
from reviewbench.screening.decisions import record_decision

#: (id, title, doi, pmid, title/abstract decision)
RECORDS = [
    ("R1", "Health needs of street-based sex workers in a northern city", "10.5555/rb.2019.001", "", "include"),
    ("R2", "Barriers to sexual health care among migrant women who sell sex", "", "31234567", "include"),
    ("R3", "Outreach services and the wellbeing of indoor sex workers: a qualitative study", "", "", "include"),
    ("R4", "Violence, housing and drug use among women selling sex on the street", "10.5555/rb.2021.004", "", "maybe"),
    ("R5", "Membrane trafficking of receptor proteins in yeast", "10.5555/rb.2018.005", "", "exclude"),
]

REVIEW = """title: Full-text test review
question: What are the health needs of people who sell sex?
exclusion_reasons:
  wrong_population: Population is not people who sell or exchange sex
stages:
  title_abstract: {reviewers_per_record: 1}
  full_text: {reviewers_per_record: 1, reason_required: true}
not_retrieved_reasons:
  - not available from library or author
reviewers:
  alex: {name: Reviewer A, role: screener}
screening_terms:
  include: [sex work*, selling sex, health]
  exclude: [yeast]
"""


def ris(records=RECORDS) -> str:
    out = []
    for rid, title, doi, pmid, _decision in records:
        out += ["TY  - JOUR", f"ID  - {rid}", f"TI  - {title}", "AU  - Author, Ann", "PY  - 2020", "JO  - Journal of Tests"]
        out += [f"DO  - {doi}"] if doi else []
        out += [f"AN  - PMID: {pmid}"] if pmid else []
        out += ["ER  - ", ""]
    return "\n".join(out)


def make_project(tmp_path: Path) -> Project:
    """The review in ``tmp_path/review``, each record decided at title/abstract by alex."""
    root = tmp_path / "review"
    for folder in ("bibliography", "evidence", "notebooks", "outputs", "fulltext"):
        (root / folder).mkdir(parents=True)
    (root / "evidence" / "review.yml").write_text(REVIEW, encoding="utf-8")
    (root / "bibliography" / "tests.ris").write_text(ris(), encoding="utf-8")
    shutil.copyfile(TEMPLATES / "codebook.yml", root / "evidence" / "codebook.yml")
    project = open_project(root)
    cluster_of = cluster_ids(project)
    for rid, _title, _doi, _pmid, decision in RECORDS:
        record_decision(project, "title_abstract", "alex", cluster_of[rid], decision)
    return project


def cluster_ids(project: Project) -> dict[str, str]:
    """Test id (R1...) -> the record id the project gives it."""
    from reviewbench.pipeline import deduplicate_project

    _clusters, unique = deduplicate_project(project)
    return dict(zip(unique["source_id"].astype(str), unique["record_id"].astype(str)))
