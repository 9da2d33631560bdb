"""The traps met in real reviews (DOMAIN.md section 8): each one merged or kept apart as it should be."""

from __future__ import annotations

from reviewbench.dedupe import find_duplicates, link_records, review_queue

from .helpers import cluster_of, make_records

GUMCAD = {
    "title": "Sexual health outcomes of male sex workers attending sexual health clinics in England",
    "authors": ["Mc Grath-Lone, Louise", "Marsh, Katy", "Hughes, Gwenda", "Ward, Helen"],
    "year": 2014,
    "journal": "Sexually Transmitted Infections",
    "volume": "90",
    "issue": "2",
    "pages": "128-134",
    "doi": "10.1136/sextrans-2013-051150",
}


def variant(base: dict, **changes) -> dict:
    row = dict(base)
    row.update(changes)
    return {k: v for k, v in row.items() if v is not None}


def same(records, a: str, b: str) -> bool:
    clusters = cluster_of(find_duplicates(records))
    return clusters[a] == clusters[b]


def test_surname_particles_and_database_formats_merge() -> None:
    records = make_records(
        [
            GUMCAD,
            variant(GUMCAD, authors=["Grath-Lone, Louise Mc", "Marsh, K", "Hughes, G", "Ward, H"], doi=None,
                    journal="Sex Transm Infect", pages="128-34", title=GUMCAD["title"] + "."),
            variant(GUMCAD, authors="McGrath-Lone L.Marsh K.Hughes G.Ward H.", doi="https://doi.org/10.1136/SEXTRANS-2013-051150"),
        ]
    )
    clusters = find_duplicates(records)
    assert clusters["cluster_id"].nunique() == 1
    assert set(clusters["rule"]) <= {"doi", "title_authors", "title_volume_pages", "title_bibliographic"}


def test_online_first_year_one_apart_merges_but_two_apart_does_not() -> None:
    base = variant(GUMCAD, doi=None, volume=None, pages=None, issue=None)
    records = make_records([base, variant(base, year=2015), variant(base, year=2016)])
    assert same(records, "r1", "r2")
    assert not same(records, "r1", "r3")


def test_doi_case_and_resolver_prefixes() -> None:
    base = variant(GUMCAD, title="Sex work and health: a review", doi="10.1371/JOURNAL.PMED.1002680", volume=None, pages=None)
    records = make_records([base, variant(base, doi="http://dx.doi.org/10.1371/journal.pmed.1002680", authors=None)])
    clusters = find_duplicates(records)
    assert clusters["cluster_id"].nunique() == 1
    assert clusters["rule"].tolist() == ["doi", "doi"]


def test_renamed_journal_merges() -> None:
    base = variant(GUMCAD, title="Consultation patterns in general practice among migrants", journal="BMC Family Practice",
                   doi=None, volume="16", pages="55")
    records = make_records([base, variant(base, journal="BMC Primary Care")])
    assert same(records, "r1", "r2")


def test_conference_abstract_is_linked_not_merged_with_the_later_article() -> None:
    article = variant(GUMCAD, title="Drug treatment outcomes of street sex workers", year=2017, volume="93",
                      pages="112-118", doi="10.1136/sextrans-2016-052650")
    abstract = variant(article, year=2015, volume="91 (Suppl 2)", pages="A107.1", doi=None)
    records = make_records([article, abstract])
    result = link_records(records)
    clusters = cluster_of(result.clusters)
    assert clusters["r1"] != clusters["r2"]
    pair = result.pairs.iloc[0]
    assert pair["decision"] in ("linked", "distinct")
    linked = dict(zip(result.clusters["record_id"], result.clusters["linked_ids"]))
    assert pair["decision"] == "distinct" or linked["r1"] == clusters["r2"]


def test_conference_abstract_against_article_of_the_same_year_is_linked() -> None:
    article = variant(GUMCAD, title="Drug treatment outcomes of street sex workers", doi=None)
    abstract = variant(article, ref_type="Conference Abstract", volume=None, pages=None, issue=None)
    result = link_records(make_records([article, abstract]))
    assert result.pairs["decision"].tolist() == ["linked"]
    assert result.pairs["rule"].tolist() == ["abstract_of"]
    assert result.clusters["cluster_id"].nunique() == 2


def test_abstract_exported_once_with_and_once_without_its_supplement_marker_merges() -> None:
    # Embase gives "63 (Suppl 1)", another database drops volume and pages: one abstract.
    abstract = variant(GUMCAD, title="Drug treatment outcomes of street sex workers", doi=None, volume="90 (Suppl 1)",
                       pages="A12", issue=None)
    bare = variant(abstract, volume=None, pages=None)
    result = link_records(make_records([abstract, bare]))
    assert result.clusters["cluster_id"].nunique() == 1


def test_correction_notice_is_not_merged_with_the_article() -> None:
    correction = variant(GUMCAD, title="Correction: " + GUMCAD["title"], pages="e1", doi="10.1136/sextrans-2013-051150corr1", year=2015)
    result = link_records(make_records([GUMCAD, correction]))
    assert result.clusters["cluster_id"].nunique() == 2
    assert result.pairs["rule"].tolist() == ["correction_of"]


def test_preprint_is_linked_not_merged_with_the_published_version() -> None:
    preprint = variant(GUMCAD, journal="medRxiv", doi="10.1101/2020.06.01.20119198", volume=None, pages=None, issue=None, year=2020)
    published = variant(GUMCAD, year=2021, volume="97", pages="300-306", doi="10.1136/sextrans-2020-054700")
    result = link_records(make_records([preprint, published]))
    assert result.clusters["cluster_id"].nunique() == 2
    assert result.pairs["decision"].tolist() == ["linked"]
    assert result.pairs["rule"].tolist() == ["preprint_of"]


def test_generic_titles_never_merge_on_title() -> None:
    editorial = {"title": "Editorial", "journal": "Sexually Transmitted Infections", "year": 2014, "volume": "90",
                 "authors": ["Ward, Helen"]}
    records = make_records([editorial, variant(editorial, pages="1"), variant(editorial, authors=["Ward, H"], issue="3")])
    assert find_duplicates(records)["cluster_id"].nunique() == 3


def test_supplement_doi_shared_by_many_abstracts_is_not_evidence() -> None:
    doi = "10.2337/db14-1-3"
    titles = ["Linagliptin improves prognosis of cardiomyopathy in mice", "GLP-1 reduces lipoprotein production in hamsters",
              "Vildagliptin and endothelial relaxation in rabbit vein grafts"]
    rows = [{"title": t, "doi": doi, "journal": "Diabetes", "year": 2014, "volume": "63", "authors": [f"Author{k}, A"]}
            for k, t in enumerate(titles)]
    records = make_records(rows)
    assert find_duplicates(records)["cluster_id"].nunique() == 3


def test_different_pages_or_volume_keep_a_series_apart() -> None:
    part = variant(GUMCAD, doi=None, title="Health of sex workers in Yorkshire: a survey")
    records = make_records([part, variant(part, pages="135-140"), variant(part, volume="91")])
    assert find_duplicates(records)["cluster_id"].nunique() == 3


def test_same_doi_with_a_different_title_is_not_merged_silently() -> None:
    real = variant(GUMCAD, title="Street sex workers have poor drug treatment outcomes", doi="10.1136/sextrans-2016-052650")
    remembered = variant(real, title="Sex workers have difficulty in accessing substance misuse treatment services",
                         volume=None, pages=None)
    records = make_records([real, remembered])
    result = link_records(records)
    assert result.clusters["cluster_id"].nunique() == 2
    assert result.pairs["decision"].iloc[0] in ("uncertain", "distinct")


def test_author_spelling_variants_go_to_review_or_merge_never_wrongly_apart_silently() -> None:
    base = variant(GUMCAD, authors=["Sorhaindo, Annik", "Platt, Lucy"], doi=None)
    records = make_records([base, variant(base, authors=["Sorhaindo, Annok", "Platt, L"])])
    assert same(records, "r1", "r2")


def test_chain_never_joins_records_a_rule_keeps_apart() -> None:
    # r1 and r2 share a DOI; r2 and r3 match on title, authors and journal;
    # r1 and r3 differ in first page: the chain r1 = r2 = r3 must be cut.
    a = variant(GUMCAD, pages="128-134")
    b = variant(GUMCAD, pages=None, volume=None)
    c = variant(GUMCAD, pages="135-140", doi=None)
    result = link_records(make_records([a, b, c]))
    clusters = cluster_of(result.clusters)
    assert clusters["r1"] != clusters["r3"]
    assert clusters["r1"] == clusters["r2"]  # the DOI link is the stronger one and wins
    assert len(result.refused) == 1


def test_near_identical_pair_with_a_page_typo_goes_to_the_review_queue() -> None:
    records = make_records([GUMCAD, variant(GUMCAD, pages="129-134", doi=None)])
    result = link_records(records)
    queue = review_queue(result)
    assert result.clusters["cluster_id"].nunique() == 2
    assert queue[["record_id", "other_record_id"]].values.tolist() == [["r1", "r2"]]
    assert queue["rule"].tolist() == ["review_different_pages"]


def test_every_link_carries_rule_score_and_evidence() -> None:
    records = make_records([GUMCAD, variant(GUMCAD, doi=None), {"title": "Unrelated paper on housing"}])
    clusters = find_duplicates(records).set_index("record_id")
    assert clusters.loc["r2", "rule"] in ("title_authors", "title_volume_pages", "title_bibliographic")
    assert clusters.loc["r2", "matched_record_id"] == "r1"
    assert 0.95 <= clusters.loc["r2", "score"] <= 1
    assert "title=100" in clusters.loc["r2", "evidence"] and "pages=same" in clusters.loc["r2", "evidence"]
    assert clusters.loc["r3", ["rule", "matched_record_id", "evidence"]].tolist() == ["unique", "", ""]


def test_empty_and_single_record_inputs() -> None:
    from reviewbench.dedupe import deduplicate
    from reviewbench.schema import empty_records

    clusters, merged = deduplicate(empty_records())
    assert clusters.empty and merged.empty
    clusters, merged = deduplicate(make_records([{"title": "Only one"}]))
    assert clusters[["record_id", "cluster_id", "rule"]].values.tolist() == [["r1", "r1", "unique"]]
    assert merged["member_ids"].tolist() == [["r1"]]


def test_parts_of_a_series_are_kept_apart_even_without_pages() -> None:
    part1 = variant(GUMCAD, title="Health of sex workers in Yorkshire: part 1", doi=None, volume=None, pages=None)
    part2 = variant(part1, title="Health of sex workers in Yorkshire: part 2")
    part_ii = variant(part1, title="Health of sex workers in Yorkshire: Part II.")
    result = link_records(make_records([part1, part2, part_ii]))
    clusters = cluster_of(result.clusters)
    assert clusters["r1"] != clusters["r2"] and clusters["r1"] != clusters["r3"]
    assert clusters["r2"] == clusters["r3"]  # "Part II" is "part 2"
    assert "different_numbers" in set(result.pairs["rule"])


def test_one_editorial_exported_twice_merges_on_its_full_citation() -> None:
    editorial = {"title": "Editorial", "journal": "Sexually Transmitted Infections", "year": 2014, "volume": "90",
                 "pages": "255", "authors": ["Ward, Helen"]}
    records = make_records([editorial, variant(editorial, journal="Sex Transm Infect", authors=["Ward H"]),
                            variant(editorial, pages="256")])
    c = cluster_of(find_duplicates(records))
    assert c["r1"] == c["r2"] != c["r3"]


# --- the misses found on the ASySD sets, as general rules ------------------------------


def test_translated_title_with_the_same_authors_and_citation_merges() -> None:
    original = variant(GUMCAD, title="Ischemic preconditioning. Does this animal experiment phenomenon have clinical relevance?",
                       doi=None, journal="Med Klin (Munich)", volume="95", issue=None, pages="559-567", year=2000)
    translated = variant(original, title="Ischemic preconditioning - a phenomenon from animal studies or clinical reality",
                         journal="Medizinische Klinik")
    records = make_records([original, translated])
    clusters = find_duplicates(records)
    assert clusters["cluster_id"].nunique() == 1
    assert set(clusters["rule"]) == {"same_citation"}


def test_same_place_but_different_issue_or_authors_or_abstracts_is_not_enough() -> None:
    first = variant(GUMCAD, title="Welcome to the spring issue of the journal", doi=None, pages="1", issue="1")
    records = make_records(
        [
            first,
            variant(first, title="New editors join the board of the journal", issue="3"),  # pages restart each issue
            variant(first, title="Mortality among women in sex work", authors=["Potterat, J"], issue=None),
            variant(first, title="Abstract one on HIV testing uptake", volume="90 (Suppl 1)", pages="S12", issue=None),
            variant(first, title="Abstract two on hepatitis B vaccination", volume="90 (Suppl 1)", pages="S12", issue=None),
        ]
    )
    assert find_duplicates(records)["cluster_id"].nunique() == 5


def test_a_garbled_doi_on_an_otherwise_identical_record_merges() -> None:
    base = variant(GUMCAD, authors=["Perricone, A. J.", "Bivona, B. J.", "Jackson, F. R.", "Vander Heide, R. S."],
                   title="Conditional knockout of myocyte focal adhesion kinase abrogates ischemic preconditioning",
                   doi="10.1161/jaha.113.000457", volume="2", pages="e000457")
    garbled = variant(base, doi="10.1161/jaha.e000457",
                      authors=["Perricone, A. J.", "Bivona, B. J.", "Jackson, F. R.", "Heide, R. S. V."])
    unsigned = variant(base, title="A brief summary of the articles appearing in this issue", authors=None,
                       doi="10.1016/j.biopsych.2012.09.008", volume="72", pages="795-796")
    unsigned_twin = variant(unsigned, authors=["Anonymous"], doi="10.1016/j.biopsych.2012.07.016")
    records = make_records([base, garbled, unsigned, unsigned_twin])
    assert same(records, "r1", "r2")
    assert same(records, "r3", "r4")
    # A different DOI with a different volume stays apart.
    assert not same(make_records([base, variant(garbled, volume="3")]), "r1", "r2")


def test_same_doi_title_and_authors_outweigh_a_wrong_journal_when_the_first_page_agrees() -> None:
    article = variant(GUMCAD, journal="J Cardiovasc Pharmacol", volume="60", pages="276-282",
                      title="An apoptosis signal-regulating kinase 1 inhibitor reduces cardiomyocyte apoptosis",
                      doi="10.1097/fjc.0b013e31825ea0fa")
    mislabelled = variant(article, journal="FASEB Journal", volume="26")
    elsewhere = variant(mislabelled, pages="S7")
    assert same(make_records([article, mislabelled]), "r1", "r2")
    # Different journal, volume and first page: a person decides.
    result = link_records(make_records([article, elsewhere]))
    assert result.clusters["cluster_id"].nunique() == 2
    assert len(review_queue(result)) == 1


def test_prefaces_numbered_in_roman_pages_merge_with_their_twin_only() -> None:
    preface = variant(GUMCAD, title="Preface", authors=["du Plessis, A. J."], journal="Clinics in Perinatology",
                      volume="36", pages="xiii-xv", doi="10.1016/j.clp.2009.07.006", year=2009)
    records = make_records(
        [preface, variant(preface, doi=None), variant(preface, doi=None, pages="ix-xi"), variant(preface, doi=None, pages="13-15")]
    )
    clusters = cluster_of(find_duplicates(records))
    assert clusters["r1"] == clusters["r2"]
    assert len({clusters["r1"], clusters["r3"], clusters["r4"]}) == 3


def test_a_title_lost_to_a_spreadsheet_formula_is_never_evidence() -> None:
    base = variant(GUMCAD, doi=None)
    records = make_records([base, variant(base, title="#NAME?"), variant(base, title="#VALUE!")])
    clusters = cluster_of(find_duplicates(records))
    assert len(set(clusters.values())) == 3


def test_title_authors_and_year_alone_go_to_a_person_unless_a_record_has_nothing_more() -> None:
    article = variant(GUMCAD, pages=None, issue="6")
    stripped = variant(GUMCAD, journal=None, volume=None, doi=None, pages="227-230", issue="6")
    result = link_records(make_records([article, stripped]))
    assert result.clusters["cluster_id"].nunique() == 2
    assert len(review_queue(result)) == 1
    # One more agreement (the journal) is enough.
    assert same(make_records([article, variant(stripped, journal="Sex Transm Infect")]), "r1", "r2")
    # A book, report or bare hand-searched entry has nothing more to agree on.
    book = variant(GUMCAD, journal=None, volume=None, pages=None, issue=None, doi=None)
    assert same(make_records([book, variant(book, journal="Book")]), "r1", "r2")
    assert same(make_records([article, book]), "r1", "r2")
