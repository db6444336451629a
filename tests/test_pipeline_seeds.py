"""The whole pipeline on the five real seed listings, checked against facts read off the files by hand.

How the expected numbers were derived (independently of paperkg's code):

* 000 lab list: 150 lines in groups of three (category+date / title+authors / abstract) -> 50 records.
* 001 profile export: an owner line, then 30 lines in groups of three -> 10 records.
* 002 daily papers: 68 titles after the page chrome; two of them (lines 117 and 241) have no
  "• N authors / · / date" block, so they are kept with a warning.
* 003 / 004 papers search: two chrome lines, then alternating title/abstract lines from line 3 to the
  last line (no trailing newline): 438 and 510 lines -> 219 and 255 records, no damaged record.
* 602 records; titles folded (case, accents, punctuation) give 576 distinct papers; 20 papers stand in
  two or more files (AutoNumerics-Zero and Unified Functional Hashing in all four layouts).
* People: the author parts of the 50 lab-list lines plus the Last, First pairs of the profile export
  give 1081 distinct written names (folded); three pairs are one person on evidence: Quoc Le / Quoc V.
  Le and Andrew Dai / Andrew M. Dai (same profile, shared co-authors) and Trieu Trinh / Trieu H. Trinh
  (shared co-authors Tony Feng and Garrett Bingham) -> 1078 authors.
* Organizations: the lab list's tags deepmind and cmu, the corporate author "Gemini Team, null" and the
  daily page's "parameterlab Parameter Lab" -> 4.
* Categories in the lab list: AI, LG, CL, CV, SD, NE, AS -> 7.
"""

from __future__ import annotations

import pytest

from paperkg.namespaces import PREFIXES

PREFIX_TEXT = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def select(directory, sparql: str) -> list[tuple]:
    from paperkg.store import open_store

    store = open_store(directory)
    rows = []
    for solution in store.query(PREFIX_TEXT + sparql):
        rows.append(tuple(None if term is None else term.value for term in solution))
    return rows


def one(directory, sparql: str):
    rows = select(directory, sparql)
    assert len(rows) == 1, rows
    return rows[0][0] if len(rows[0]) == 1 else rows[0]


def test_records_per_file_and_format(seed_build):
    _, summary = seed_build
    got = {f.listing_id.split("_")[0]: (f.format, f.records, len(f.failures)) for f in summary.files}
    assert got == {
        "000": ("lab-list", 50, 0),
        "001": ("profile-export", 10, 0),
        "002": ("daily-papers", 68, 0),
        "003": ("papers-search", 219, 0),
        "004": ("papers-search", 255, 0),
    }
    warnings = [w for f in summary.files for w in f.warnings]
    assert [w.split(":")[1] for w in warnings if "002_" in w] == ["117", "241"]


def test_distinct_nodes_per_class(seed_build):
    _, summary = seed_build
    counts = summary.class_counts
    assert counts["Paper"] == 576
    assert counts["Author"] == 1078
    assert counts["Organization"] == 4
    assert counts["Category"] == 7
    assert counts["Listing"] == 5
    assert counts["SourceRecord"] == 602


def test_each_paper_has_exactly_one_title(seed_build):
    directory, _ = seed_build
    rows = select(directory, "SELECT ?p (COUNT(?t) AS ?n) WHERE { ?p a pkg:Paper ; dcterms:title ?t } "
                             "GROUP BY ?p HAVING (COUNT(?t) != 1)")
    assert rows == []


def test_organizations(seed_build):
    directory, _ = seed_build
    names = sorted(r[0] for r in select(directory, "SELECT ?n WHERE { ?o a pkg:Organization ; foaf:name ?n }"))
    assert names == ["Carnegie Mellon University", "Gemini Team", "Google DeepMind", "Parameter Lab"]


def test_merged_paper_keeps_every_source_and_the_full_author_list(seed_build):
    directory, _ = seed_build
    paper = "?p dcterms:title 'Long-form factuality in large language models' ."
    sources = select(directory, f"SELECT ?file ?line WHERE {{ {paper} ?p pkg:sourceRecord ?r . "
                                "?r pkg:fromListing/pkg:fileName ?file ; pkg:line ?line } ORDER BY ?file")
    assert sources == [("000_2e2fe5c50ee24c11.txt", "49"), ("001_bcc2bbaf11cd85d9.txt", "5")]
    authors = select(directory, f"SELECT ?name WHERE {{ {paper} ?p pkg:authorship ?a . "
                                "?a pkg:position ?pos ; pkg:author/foaf:name ?name } ORDER BY ?pos")
    assert [a[0] for a in authors] == [
        "Jerry Wei", "Chengrun Yang", "Xinying Song", "Yifeng Lu", "Nathan Hu", "Jie Huang",
        "Dustin Tran", "Daiyi Peng", "Ruibo Liu", "Da Huang", "Cosmo Du", "Quoc V. Le"]
    facts = one(directory, f"SELECT ?d ?n ?c ?code ?cat WHERE {{ {paper} ?p dcterms:issued ?d ; "
                           "pkg:authorCount ?n ; pkg:authorListComplete ?c ; pkg:hasCode ?code ; "
                           "pkg:category/skos:notation ?cat }")
    assert facts == ("2024-03-27", "12", "true", "true", "cs.CL")


def test_paper_in_four_layouts_is_one_node(seed_build):
    directory, _ = seed_build
    files = select(directory, "SELECT ?f WHERE { ?p dcterms:title ?t FILTER(STRSTARTS(?t, 'AutoNumerics-Zero')) "
                              "?p prov:wasDerivedFrom/pkg:fileName ?f } ORDER BY ?f")
    assert [f[0][:3] for f in files] == ["000", "002", "003", "004"]
    # The lab list names three authors "et al.", the daily page says 10 authors.
    assert one(directory, "SELECT ?n ?c WHERE { ?p dcterms:title ?t FILTER(STRSTARTS(?t, 'AutoNumerics-Zero')) "
                          "?p pkg:authorCount ?n ; pkg:authorListComplete ?c }") == ("10", "false")


@pytest.mark.parametrize(("title", "lexical", "datatype", "written"), [
    ("Aletheia tackles FirstProof autonomously", "--02-24", "gMonthDay", "Feb 24"),
    ("Towards Autonomous Mathematics Research", "--02-10", "gMonthDay", "Feb 10"),
    ("The Illusion of Diminishing Returns: Measuring Long Horizon Execution in LLMs", "--09-11", "gMonthDay",
     "Sep 11"),
    ("Learnable Commutative Monoids for Graph Neural Networks", "2022-12-16", "date", "Dec 16, 2022"),
])
def test_dates_keep_their_honest_precision(seed_build, title, lexical, datatype, written):
    directory, _ = seed_build
    rows = select(directory, f"SELECT ?d (DATATYPE(?d) AS ?t) ?w WHERE {{ ?p dcterms:title {title!r} ; "
                             "dcterms:issued ?d ; pkg:dateAsWritten ?w }")
    assert rows == [(lexical, f"http://www.w3.org/2001/XMLSchema#{datatype}", written)]


def test_daily_page_counts_upvotes_and_organization_line(seed_build):
    directory, _ = seed_build
    assert one(directory, "SELECT ?u ?n WHERE { ?p dcterms:title 'The Illusion of Diminishing Returns: "
                          "Measuring Long Horizon Execution in LLMs' ; pkg:upvotes ?u ; pkg:authorCount ?n }") == (
        "4", "5")
    assert one(directory, "SELECT ?o WHERE { ?p dcterms:title 'Dr.LLM: Dynamic Layer Routing in LLMs' ; "
                          "pkg:affiliation/foaf:name ?o }") == "Parameter Lab"


@pytest.mark.parametrize(("title", "first_author"), [
    ("Can Deep Reinforcement Learning Solve Erdos-Selfridge-Spencer Games?", "Maithra Raghu"),
    ("Gold-medalist Performance in Solving Olympiad Geometry with AlphaGeometry2", "Yuri Chervonyi"),
    ("BIG-Bench Extra Hard", "Mehran Kazemi"),
    ("G-Augment: Searching for the Meta-Structure of Data Augmentation Policies for ASR", "Gary Wang"),
    ("MnasNet: Platform-Aware Neural Architecture Search for Mobile", "Mingxing Tan"),
    ("Rethinking generative image pretraining: How far are we from scaling up next-pixel prediction?",
     "Xinchen Yan"),
])
def test_glued_titles_split_from_their_authors(seed_build, title, first_author):
    directory, _ = seed_build
    assert one(directory, f"SELECT ?n WHERE {{ ?p dcterms:title {title!r} ; pkg:authorship ?a . "
                          "?a pkg:position 1 ; pkg:author/foaf:name ?n }") == first_author


def test_corporate_author_and_long_author_list(seed_build):
    directory, _ = seed_build
    paper = "?p dcterms:title 'Gemini: A Family of Highly Capable Multimodal Models' ."
    first = one(directory, f"SELECT ?type ?name WHERE {{ {paper} ?p pkg:authorship ?a . ?a pkg:position 1 ; "
                           "pkg:author ?x . ?x a ?type ; foaf:name ?name }")
    assert first == ("https://w3id.org/paperkg/ontology#Organization", "Gemini Team")
    # 1884 comma-separated parts on the author line = 942 Last, First pairs.
    assert one(directory, f"SELECT (COUNT(?a) AS ?n) WHERE {{ {paper} ?p pkg:authorship ?a }}") == "942"
    assert select(directory, "SELECT ?x WHERE { ?x foaf:name ?n FILTER(CONTAINS(LCASE(?n), 'null')) }") == []


def test_name_variants_are_one_author_with_positions_kept(seed_build):
    directory, _ = seed_build
    rows = select(directory, "SELECT ?title ?pos ?written WHERE { ?x foaf:name 'Quoc V. Le' . "
                             "?a pkg:author ?x ; pkg:position ?pos ; pkg:nameAsWritten ?written . "
                             "?p pkg:authorship ?a ; dcterms:title ?title } ORDER BY ?title")
    assert ("Brainformers: Trading Simplicity for Efficiency", "12", "Le, Quoc") in rows
    assert ("EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks", "2", "Quoc V. Le") in rows
    assert ("PyGlove: Efficiently Exchanging ML Ideas as Code", "5", "Le, Quoc V.") in rows
    assert one(directory, "SELECT (COUNT(?x) AS ?n) WHERE { ?x a pkg:Author ; foaf:familyName 'Peng' ; "
                          "foaf:givenName 'Daiyi' }") == "1"
    # Only evidence merges: David So (profile) and David R. So (lab list) share no co-author.
    assert sorted(r[0] for r in select(directory, "SELECT ?n WHERE { ?x a pkg:Author ; foaf:familyName 'So' ; "
                                                  "foaf:name ?n }")) == ["David R. So", "David So"]


def test_profile_owner_is_recorded(seed_build):
    directory, _ = seed_build
    assert one(directory, "SELECT ?n WHERE { ?l pkg:owner/foaf:name ?n }") == "Daiyi Peng"


def test_seed_graph_conforms_to_the_shapes(seed_build):
    from paperkg import validate_store

    directory, _ = seed_build
    report = validate_store(directory)
    assert report.conforms, report.text
