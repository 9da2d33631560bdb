"""Properties of the deduplication: input order does not matter, running it again changes nothing, chains stay consistent."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import numpy as np

from reviewbench.dedupe import deduplicate, find_duplicates, link_records
from reviewbench.dedupe.compare import compare_pairs
from reviewbench.dedupe.rules import conflicts

from .helpers import make_records, partition

BASES = [
    {"title": "Violence against sex workers in Leeds: a cohort study", "authors": ["Platt, Lucy", "Grenfell, Pippa"],
     "year": 2018, "journal": "PLoS Medicine", "volume": "15", "pages": "e1002680", "doi": "10.1371/journal.pmed.1002680"},
    {"title": "Sexual health outcomes of male sex workers in England", "authors": ["Mc Grath-Lone, Louise", "Ward, Helen"],
     "year": 2014, "journal": "Sexually Transmitted Infections", "volume": "90", "pages": "128-134"},
    {"title": "Street sex workers have poor drug treatment outcomes", "authors": ["Jeal, Nikki", "Salisbury, Chris"],
     "year": 2017, "journal": "Sex Transm Infect", "volume": "93", "pages": "112-118", "doi": "10.1136/sextrans-2016-052650"},
    {"title": "Editorial", "authors": ["Ward, Helen"], "year": 2014, "journal": "Sexually Transmitted Infections"},
    {"title": "Health needs of migrant sex workers in Yorkshire", "authors": ["Smith, Anna"], "year": 2020,
     "journal": "BMC Public Health", "volume": "20", "pages": "1-9"},
]


@st.composite
def variants(draw):
    """A record derived from one of the bases, formatted as some database might."""
    base = dict(draw(st.sampled_from(BASES)))
    if draw(st.booleans()):
        base["title"] = base["title"].upper() if draw(st.booleans()) else base["title"] + "."
    if draw(st.booleans()):
        base["authors"] = "".join(f"{a.split(',')[0]} {a.split(',')[1].strip()[0]}." for a in base["authors"])
    for field in ("doi", "pages", "volume", "journal"):
        if draw(st.integers(0, 3)) == 0:
            base.pop(field, None)
    if draw(st.integers(0, 5)) == 0:
        base["year"] = base["year"] + 1
    if draw(st.integers(0, 6)) == 0 and "pages" in base:
        # A different page: a different item, so it has no DOI of the first one (a DOI with
        # a contradicting page is a typo of the same item, which merging resolves).
        base["pages"] = "999-1000"
        base.pop("doi", None)
    if draw(st.integers(0, 8)) == 0:
        base["title"] = "Erratum: " + base["title"]
    base["source_db"] = draw(st.sampled_from(["MEDLINE", "Embase", "Scopus"]))
    return base


corpora = st.lists(variants(), min_size=1, max_size=12)
quick = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@quick
@given(corpora, st.randoms(use_true_random=False))
def test_input_order_does_not_change_clusters(rows, rng) -> None:
    records = make_records(rows)
    shuffled = records.sample(frac=1, random_state=rng.randint(0, 10_000)).reset_index(drop=True)
    first, second = find_duplicates(records), find_duplicates(shuffled)
    assert partition(first) == partition(second)
    assert first.set_index("record_id").sort_index().equals(second.set_index("record_id").sort_index())


@quick
@given(corpora)
def test_running_twice_gives_the_same_result(rows) -> None:
    records = make_records(rows)
    assert find_duplicates(records).equals(find_duplicates(records))


@quick
@given(corpora)
def test_merged_records_have_no_duplicates_left(rows) -> None:
    """Idempotent: deduplicating the merged records merges nothing more."""
    records = make_records(rows)
    _, merged = deduplicate(records)
    again, remerged = deduplicate(merged.drop(columns=["cluster_id", "member_ids", "source_dbs"]))
    assert again["cluster_id"].tolist() == again["record_id"].tolist()
    assert len(remerged) == len(merged)


@quick
@given(corpora)
def test_every_record_is_in_exactly_one_cluster_and_provenance_is_kept(rows) -> None:
    records = make_records(rows)
    clusters, merged = deduplicate(records)
    assert sorted(clusters["record_id"]) == sorted(records["record_id"])
    members = [m for ms in merged["member_ids"] for m in ms]
    assert sorted(members) == sorted(records["record_id"])
    for row in merged.itertuples(index=False):
        dbs = set(records.loc[records["record_id"].isin(row.member_ids), "source_db"])
        assert row.source_dbs == sorted(dbs)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(variants(), min_size=3, max_size=14))
def test_chains_never_join_records_a_non_duplicate_rule_keeps_apart(rows) -> None:
    """A=B and B=C never put A and C in one cluster when a non-duplicate rule keeps A and C apart.

    Bare records (no DOI, volume or pages) link to several variants, some of which
    conflict with each other (another first page, an erratum, a year two apart).
    """
    records = make_records(rows)
    result = link_records(records)
    keys = result.keys
    position = {r: k for k, r in enumerate(keys["record_id"])}
    i, j = [], []
    for _, members in result.clusters.groupby("cluster_id")["record_id"]:
        ids = sorted(position[m] for m in members)
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                i.append(ids[a])
                j.append(ids[b])
    if not i:
        return
    blocked, why = conflicts(compare_pairs(keys, np.array(i), np.array(j)))
    assert not blocked.any(), f"a cluster holds records kept apart by {sorted(set(why[blocked]))}"
