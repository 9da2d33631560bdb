"""Records that are the same publication: links, consistent clusters and merged records.

:func:`link_records` runs the whole comparison (keys, blocking, scores, rules, human
decisions) and returns a :class:`Deduplication` with the clusters and every compared
pair; :func:`find_duplicates` and :func:`merge_clusters` are the public shortcuts and
:func:`deduplicate` does both, reading the human decisions log.

Clusters are checked for consistency: a chain of links (A=B, B=C) never joins two
records that a non-duplicate rule or a human "different" keeps apart (A, C). Such a
component is rebuilt link by link, strongest first, refusing any link that would put
two such records in one cluster.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .blocking import candidate_pairs
from .compare import compare_pairs, shared_dois
from .decisions import read_decisions
from .normalise import prepare_records
from .rules import MatchSettings, classify, conflicts
from .score import Weights

CLUSTER_COLUMNS = ["record_id", "cluster_id", "source_file", "rule", "score", "matched_record_id", "evidence", "linked_ids"]
RULE_PRIORITY = {"human": 0, "doi": 1, "pmid": 2}  # then every other link, strongest match weight first


@dataclass
class Deduplication:
    """The result of one deduplication run.

    ``clusters``: one row per record (:data:`CLUSTER_COLUMNS`), in input order.
    ``pairs``: every compared pair with ``record_id``, ``other_record_id``, the scores of
    :mod:`.compare`, ``decision``, ``rule`` and ``human`` (the human decision or "").
    ``keys``: the comparison keys of each record (:func:`.normalise.prepare_records`).
    ``refused``: links a consistency check refused (same columns as ``pairs``).
    ``weights``: the match weights as re-estimated on this corpus (:mod:`.score`).
    """

    clusters: pd.DataFrame
    pairs: pd.DataFrame
    keys: pd.DataFrame
    refused: pd.DataFrame
    weights: Weights


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _human_pairs(decisions: pd.DataFrame | None, position: dict[str, int]) -> pd.DataFrame:
    """Human decisions whose two records are both present, as row positions ``i < j``."""
    if decisions is None or decisions.empty:
        return pd.DataFrame({"i": [], "j": [], "human": []})
    rows = []
    for a, b, decision in zip(decisions["record_id"], decisions["other_record_id"], decisions["decision"]):
        if a in position and b in position:
            pa, pb = position[a], position[b]
            rows.append((min(pa, pb), max(pa, pb), decision))
    return pd.DataFrame(rows, columns=["i", "j", "human"])


def title_groups(keys: pd.DataFrame) -> np.ndarray:
    """One integer per record, the same for records whose titles are the same once spaces are ignored."""
    compact = [t.replace(" ", "") for t in keys["title_key"].tolist()]
    codes, _ = pd.factorize(pd.Series(compact, dtype=object), sort=True)
    return codes.astype(np.int64)


@dataclass
class Comparison:
    """Every candidate pair of a corpus compared: the slow half of :func:`link_records`.

    ``records`` sorted by id, their ``ids`` and comparison ``keys``, the pair ``features``
    (:mod:`.compare`), the human decisions as row pairs (``human``), the DOIs shared by a
    supplement (``shared``), the title group of each record, and the input order of ids.
    """

    records: pd.DataFrame
    ids: np.ndarray
    keys: pd.DataFrame
    features: pd.DataFrame
    human: pd.DataFrame
    shared: set[str]
    title_groups: np.ndarray
    input_ids: list[str]


def compare_records(records: pd.DataFrame, decisions: pd.DataFrame | None = None) -> Comparison:
    """Keys, candidate pairs (plus every pair a person decided) and their features."""
    if records["record_id"].duplicated().any():
        dup = records.loc[records["record_id"].duplicated(), "record_id"].iloc[0]
        raise ValueError(f"record_id {dup!r} occurs more than once; deduplication needs unique record ids")
    ordered = records.sort_values("record_id", kind="stable").reset_index(drop=True)
    ids = ordered["record_id"].astype(str).to_numpy(dtype=object)
    keys = prepare_records(ordered)
    i, j = candidate_pairs(keys)
    human = _human_pairs(decisions, {r: k for k, r in enumerate(ids)})
    if len(human):
        codes = np.union1d(i * len(ids) + j, human["i"].to_numpy(np.int64) * len(ids) + human["j"].to_numpy(np.int64))
        i, j = codes // len(ids), codes % len(ids)
    features = compare_pairs(keys, i, j)
    shared = shared_dois(keys, i, j, features["title"].to_numpy())
    return Comparison(
        records=ordered, ids=ids, keys=keys, features=features, human=human, shared=shared,
        title_groups=title_groups(keys), input_ids=records["record_id"].astype(str).tolist(),
    )


def decide(comparison: Comparison, settings: MatchSettings | None = None, prior: Weights | None = None) -> Deduplication:
    """Classify the compared pairs, apply the human decisions and build consistent clusters."""
    c = comparison
    ids = c.ids
    classified = classify(c.features, c.title_groups, settings, prior)
    pairs = classified.pairs
    pairs["human"] = ""
    if len(c.human):
        pairs = pairs.drop(columns="human").merge(c.human, on=["i", "j"], how="left")
        pairs["human"] = pairs["human"].fillna("")

    automatic = pairs[(pairs["decision"] == "duplicate") & (pairs["human"] == "")]
    labels, refused = _consistent_clusters(len(ids), automatic, pairs, c.keys, c.shared, settings)
    labels, refused_human = _apply_human_same(labels, pairs)
    refused = pd.concat([refused, refused_human], ignore_index=True) if len(refused_human) else refused
    edges = pd.concat([automatic, pairs[pairs["human"] == "same"]], ignore_index=True)

    clusters = _cluster_table(c.records, ids, labels, edges, pairs)
    clusters = clusters.set_index("record_id").loc[c.input_ids].reset_index()
    pairs.insert(0, "record_id", ids[pairs["i"].to_numpy()])
    pairs.insert(1, "other_record_id", ids[pairs["j"].to_numpy()])
    refused = refused.assign(record_id=ids[refused["i"].to_numpy()], other_record_id=ids[refused["j"].to_numpy()])
    keys = c.keys.set_index("record_id").loc[c.input_ids].reset_index()
    return Deduplication(
        clusters=clusters[CLUSTER_COLUMNS], pairs=pairs, keys=keys, refused=refused, weights=classified.weights
    )


def link_records(
    records: pd.DataFrame, decisions: pd.DataFrame | None = None, settings: MatchSettings | None = None
) -> Deduplication:
    """Compare, classify and cluster ``records`` (record schema; needs ``record_id``).

    ``decisions`` is the human decision log as read by :func:`.decisions.read_decisions`;
    ``same`` links two records whatever the rules say, ``different`` keeps them apart.
    ``settings``: the thresholds of :class:`.rules.MatchSettings` (defaults when ``None``).
    The result does not depend on the order of ``records``.
    """
    return decide(compare_records(records, decisions), settings)


def _apply_human_same(labels: np.ndarray, pairs: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Join the clusters of every pair a person called "same" (in log order, latest decision per pair).

    A person judging two records the same judges their clusters the same publication, so
    the rule conflicts between the other members are waived; a join that would put a pair
    a person called "different" into one cluster is refused.
    """
    same = pairs[pairs["human"] == "same"]
    if same.empty:
        return labels, pairs.iloc[0:0]
    different = pairs[pairs["human"] == "different"]
    uf = _UnionFind(len(labels))
    refused = []
    for edge in same.sort_values(["i", "j"]).itertuples(index=False):
        ra, rb = uf.find(int(labels[edge.i])), uf.find(int(labels[edge.j]))
        if ra == rb:
            continue
        apart = any(
            {uf.find(int(labels[d.i])), uf.find(int(labels[d.j]))} == {ra, rb} for d in different.itertuples(index=False)
        )
        if apart:
            refused.append(edge)
            continue
        uf.union(ra, rb)
    roots = np.array([uf.find(int(x)) for x in labels], dtype=np.int64)
    return _smallest_member(roots), pd.DataFrame(refused, columns=pairs.columns)


def _edge_order(edges: pd.DataFrame) -> pd.DataFrame:
    """Strongest links first: human, then identifiers, then by match weight and title score, then position."""
    priority = np.where(edges["human"] == "same", 0, edges["rule"].map(RULE_PRIORITY).fillna(3).to_numpy())
    return edges.assign(_p=priority, _q=-edges["weight"].to_numpy(), _t=-edges["title"].to_numpy()).sort_values(
        ["_p", "_q", "_t", "i", "j"], kind="stable"
    )


def _consistent_clusters(
    n: int, edges: pd.DataFrame, pairs: pd.DataFrame, keys: pd.DataFrame, shared: set[str], settings: MatchSettings | None
) -> tuple[np.ndarray, pd.DataFrame]:
    """Component labels (the smallest row position of each cluster) and the refused links."""
    if n == 0:
        return np.empty(0, dtype=np.int64), edges.iloc[0:0]
    graph = coo_matrix((np.ones(len(edges)), (edges["i"].to_numpy(), edges["j"].to_numpy())), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    sizes = np.bincount(comp)
    big = np.flatnonzero(sizes >= 3)
    labels = _smallest_member(comp)
    if len(big) == 0:
        return labels, edges.iloc[0:0]

    # Every pair inside a component of three or more records must pass the non-duplicate rules.
    members = {c: np.flatnonzero(comp == c) for c in big} if len(big) < 50 else _members(comp, big)
    ii, jj = [], []
    for rows in members.values():
        a, b = _upper_triangle(len(rows))
        ii.append(rows[a])
        jj.append(rows[b])
    ii, jj = np.concatenate(ii), np.concatenate(jj)
    inner = compare_pairs(keys, ii, jj)
    inner = _apply_shared(inner, keys, shared)
    blocked, _ = conflicts(inner, settings)
    human = pairs[pairs["human"] != ""].set_index(["i", "j"])["human"].to_dict()
    flags = [
        (h == "different") or (b and h != "same")
        for b, h in zip(blocked, (human.get((x, y), "") for x, y in zip(ii.tolist(), jj.tolist())))
    ]
    cannot = {(x, y) for x, y, f in zip(ii.tolist(), jj.tolist(), flags) if f}
    if not cannot:
        return labels, edges.iloc[0:0]

    bad = {comp[x] for x, _ in cannot}
    refused_rows = []
    uf = _UnionFind(n)
    cluster_members: dict[int, list[int]] = {}
    in_bad = np.isin(comp[edges["i"].to_numpy()], list(bad))
    for edge in _edge_order(edges[in_bad]).itertuples(index=False):
        ra, rb = uf.find(edge.i), uf.find(edge.j)
        if ra == rb:
            continue
        ma, mb = cluster_members.get(ra, [ra]), cluster_members.get(rb, [rb])
        if any((min(x, y), max(x, y)) in cannot for x in ma for y in mb):
            refused_rows.append(edge)
            continue
        uf.union(ra, rb)
        root = uf.find(ra)
        cluster_members[root] = ma + mb
        cluster_members.pop(ra if root != ra else rb, None)
    for c in bad:
        for row in members[c]:
            labels[row] = uf.find(int(row))
    refused = pd.DataFrame(refused_rows, columns=list(edges.columns) + ["_p", "_q", "_t"]).drop(columns=["_p", "_q", "_t"])
    return labels, refused


@lru_cache(maxsize=256)
def _upper_triangle(size: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(size, k=1)


def _members(comp: np.ndarray, big: np.ndarray) -> dict[int, np.ndarray]:
    order = np.argsort(comp, kind="stable")
    sorted_comp = comp[order]
    starts = np.searchsorted(sorted_comp, big)
    ends = np.searchsorted(sorted_comp, big, side="right")
    return {int(c): order[s:e] for c, s, e in zip(big, starts, ends)}


def _apply_shared(features: pd.DataFrame, keys: pd.DataFrame, shared: set[str]) -> pd.DataFrame:
    """Treat DOIs known to be shared by a supplement as unknown, as during pair comparison."""
    if not shared:
        return features
    doi = keys["doi"].to_numpy(dtype=object)
    hit = np.fromiter((d in shared for d in doi[features["i"].to_numpy()]), dtype=bool, count=len(features))
    features = features.copy()
    features.loc[hit & (features["doi"] == 1), "doi"] = 0
    return features


def _smallest_member(comp: np.ndarray) -> np.ndarray:
    """For each row, the smallest row position in its component."""
    first = np.full(comp.max() + 1 if len(comp) else 0, len(comp), dtype=np.int64)
    np.minimum.at(first, comp, np.arange(len(comp)))
    return first[comp]


def evidence_texts(edges: pd.DataFrame) -> list[str]:
    """The scores of each link as text: ``"title=100 authors=95 year_gap=0 doi=same pages=different"``."""
    if edges.empty:
        return []
    parts = ["title=" + edges["title"].round().astype(int).astype(str)]
    for name in ("authors", "first_author", "year_gap"):
        values = edges[name]
        text = f"{name}=" + values.round().fillna(-1).astype(int).astype(str)
        parts.append(text.where(values.notna(), ""))
    words = {1: "same", -1: "different"}
    for name in ("doi", "pmid", "volume", "pages", "journal"):
        parts.append(edges[name].map(lambda v, n=name: f"{n}={words[int(v)]}" if v else ""))
    joined = pd.concat(parts, axis=1).to_numpy(dtype=object)
    return [" ".join(p for p in row if p) for row in joined]


def _cluster_table(ordered: pd.DataFrame, ids: np.ndarray, labels: np.ndarray, edges: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """One row per record (sorted by id) with the evidence of its strongest accepted link."""
    n = len(ids)
    rule = np.full(n, "unique", dtype=object)
    score = np.ones(n)
    matched = np.full(n, "", dtype=object)
    evidence = np.full(n, "", dtype=object)
    accepted = edges[labels[edges["i"].to_numpy()] == labels[edges["j"].to_numpy()]]
    ordered_edges = _edge_order(accepted)
    texts = evidence_texts(ordered_edges)
    # Each record's evidence is its strongest accepted link (edges come strongest first).
    ends = np.concatenate([ordered_edges["i"].to_numpy(), ordered_edges["j"].to_numpy()])
    others = np.concatenate([ordered_edges["j"].to_numpy(), ordered_edges["i"].to_numpy()])
    rank = np.concatenate([np.arange(len(ordered_edges))] * 2)
    order = np.lexsort((rank, ends))
    first = order[np.r_[True, ends[order][1:] != ends[order][:-1]]] if len(order) else order
    names = np.where(ordered_edges["human"].to_numpy() == "same", "human", ordered_edges["rule"].to_numpy()).astype(object)
    titles = ordered_edges["title"].to_numpy()
    texts_arr = np.array(texts, dtype=object)
    for k in first:
        me, e = ends[k], rank[k]
        rule[me], score[me], matched[me], evidence[me] = names[e], round(titles[e] / 100, 3), ids[others[k]], texts_arr[e]
    linked: dict[int, set[str]] = {}
    for p in pairs[pairs["decision"] == "linked"].itertuples(index=False):
        if labels[p.i] != labels[p.j]:
            linked.setdefault(p.i, set()).add(ids[labels[p.j]])
            linked.setdefault(p.j, set()).add(ids[labels[p.i]])
    return pd.DataFrame(
        {
            "record_id": ids,
            "cluster_id": ids[labels],
            "source_file": ordered["source_file"].astype(str).tolist() if "source_file" in ordered else [""] * n,
            "rule": rule,
            "score": score,
            "matched_record_id": matched,
            "evidence": evidence,
            "linked_ids": ["; ".join(sorted(linked.get(k, ()))) for k in range(n)],
        }
    )


def find_duplicates(records: pd.DataFrame, decisions: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per record: ``record_id, cluster_id, source_file, rule, score, matched_record_id, evidence, linked_ids``.

    ``cluster_id`` is the smallest record id in the cluster; ``rule`` says how the record
    joined it (``doi``, ``pmid``, ``title_authors``, ``title_bibliographic``,
    ``same_citation``, ``match_score``, ``human``: see :mod:`.rules`) or ``unique``; ``score`` is the title similarity
    of that link (0-1) and ``evidence`` all its scores. ``linked_ids`` lists clusters that
    are related but not the same publication (preprint, conference abstract, correction).
    """
    return link_records(records, decisions).clusters


def merge_clusters(records: pd.DataFrame, clusters: pd.DataFrame) -> pd.DataFrame:
    """One record per cluster: the most complete value of each field, plus provenance.

    For each column the longest filled value among the members wins (ties: the member
    with the smallest record id). Adds ``cluster_id``, ``member_ids`` (sorted list) and
    ``source_dbs`` (sorted list of ``source_db`` labels, or the file name where a record
    has none), so PRISMA can count records per database. Rows are sorted by ``cluster_id``.
    """
    joined = records.merge(clusters[["record_id", "cluster_id"]], on="record_id")
    joined = joined.sort_values(["cluster_id", "record_id"], kind="stable").reset_index(drop=True)
    if joined.empty:
        return joined.assign(member_ids=[], source_dbs=[])
    cluster_codes, cluster_ids = pd.factorize(joined["cluster_id"], sort=True)
    positions = np.arange(len(joined))
    out: dict[str, Any] = {}
    for col in records.columns:
        values = joined[col].to_numpy(dtype=object)
        size = _sizes(joined[col])
        # Rows are sorted by cluster then record id: lexsort keeps that order among equal sizes.
        order = np.lexsort((positions, -size, cluster_codes))
        first = order[np.r_[True, cluster_codes[order][1:] != cluster_codes[order][:-1]]] if len(order) else order
        out[col] = values[first]
    merged = pd.DataFrame(out, columns=list(records.columns))
    merged["record_id"] = list(cluster_ids)
    merged["cluster_id"] = list(cluster_ids)
    # Rows are sorted by cluster: split the id and database columns at cluster boundaries.
    bounds = np.flatnonzero(np.diff(cluster_codes)) + 1
    merged["member_ids"] = [part.tolist() for part in np.split(joined["record_id"].to_numpy(dtype=object), bounds)]
    dbs = np.array([_db(db, f) for db, f in zip(_col(joined, "source_db"), _col(joined, "source_file"))], dtype=object)
    merged["source_dbs"] = [sorted(set(part.tolist())) for part in np.split(dbs, bounds)]
    if "year" in records.columns and str(records["year"].dtype) == "Int64":
        merged["year"] = pd.array(merged["year"].tolist(), dtype="Int64")
    return merged.reset_index(drop=True)


def _sizes(column: pd.Series) -> np.ndarray:
    """How complete each value is: the length of a string, list or dict; 1 for other filled values; 0 when empty."""
    if column.dtype == object:
        lengths = column.str.len()
        unknown = lengths.isna()
        lengths[unknown] = column[unknown].map(lambda v: 1 if _filled(v) else 0)
        return lengths.to_numpy(dtype=np.int64)
    return column.notna().to_numpy().astype(np.int64)


def _col(df: pd.DataFrame, name: str) -> list[Any]:
    return df[name].tolist() if name in df.columns else [""] * len(df)


def _db(db: Any, source_file: Any) -> str:
    return str(db) if _filled(db) else str(source_file if _filled(source_file) else "")


def _filled(value: object) -> bool:
    if value is None or value is pd.NA:
        return False
    if isinstance(value, float) and np.isnan(value):
        return False
    if isinstance(value, (list, dict, str)):
        return len(value) > 0
    return True


def deduplicate(records: pd.DataFrame, decisions_path: str | Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cluster ``records`` (re-applying the human decisions logged at ``decisions_path``) and merge each cluster.

    Returns ``(clusters, merged)``: see :func:`find_duplicates` and :func:`merge_clusters`.
    """
    decisions = read_decisions(decisions_path) if decisions_path is not None else None
    clusters = find_duplicates(records, decisions)
    return clusters, merge_clusters(records, clusters)
