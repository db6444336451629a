"""pkg:Collaboration nodes: pairs of people sharing at least two papers, computed at build time."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from paperkg.mapping import CollaborationCounter, IriMinter, collaboration_triples, person_creators
from paperkg.sparql import query

BASE = "https://w3id.org/paperkg/id/"
PKG = "https://w3id.org/paperkg/ontology#"


def counted(papers: list[list[str]], min_shared: int = 2) -> dict[tuple[str, str], int]:
    counter = CollaborationCounter()
    for people in papers:
        counter.add(people)
    return {tuple(sorted((a, b))): n for a, b, n in counter.pairs(min_shared)}


def test_pairs_sharing_two_papers_or_more_with_their_counts():
    papers = [["ada", "alan", "grace"], ["ada", "alan"], ["alan", "ada", "edsger"], ["grace", "edsger"],
              ["grace", "edsger", "ada"], ["solo"]]
    # ada-alan: papers 1, 2, 3; ada-grace: 1, 5; edsger-grace: 4, 5; ada-edsger: 3, 5; alan-grace: 1 only.
    assert counted(papers) == {("ada", "alan"): 3, ("ada", "grace"): 2, ("edsger", "grace"): 2,
                               ("ada", "edsger"): 2}
    everyone = counted(papers, min_shared=1)
    assert everyone[("alan", "grace")] == 1 and everyone[("alan", "edsger")] == 1
    assert len(everyone) == 6


def test_a_person_twice_on_one_paper_counts_once_and_single_author_papers_count_nothing():
    assert counted([["ada", "ada", "alan"], ["ada", "alan", "alan"]]) == {("ada", "alan"): 2}
    assert counted([["ada", "ada"], ["ada"]]) == {}


def test_organizations_are_not_collaborators():
    paper = SimpleNamespace(
        authorships=[SimpleNamespace(agent="ada", is_organization=False),
                     SimpleNamespace(agent="gemini-team", is_organization=True)],
        extra_creators=[("alan", False), ("lab", True)])
    assert list(person_creators(paper)) == ["ada", "alan"]


def test_triples_name_the_pair_by_slugs_in_order():
    iri = IriMinter(BASE)
    slugs = {"k1": "turing", "k2": "lovelace"}
    triples = list(collaboration_triples([("k1", "k2", 3)], slugs.__getitem__, iri))
    node = BASE + "collaboration/lovelace--turing"
    assert {t[0] for t in triples} == {node}
    assert (node, PKG + "collaborator", BASE + "author/lovelace") in triples
    assert (node, PKG + "collaborator", BASE + "author/turing") in triples
    shared = [o for s, p, o in triples if p == PKG + "sharedPapers"]
    assert shared == [("3", "http://www.w3.org/2001/XMLSchema#integer")]


@pytest.fixture(scope="module")
def seeds(seed_build):
    return seed_build[0]


def test_seed_collaborations_agree_with_the_papers_creators(seeds):
    """Every node's count is the number of papers listing both people, and every pair of people who
    share two papers has a node: checked on the graph with SPARQL, not with the counting code."""
    nodes = {(r["a"], r["b"]): r["n"] for r in query(
        "SELECT ?a ?b ?n WHERE { ?c a pkg:Collaboration ; pkg:sharedPapers ?n ; pkg:collaborator ?a, ?b "
        "FILTER(STR(?a) < STR(?b)) }", seeds).rows}
    pairs = {(r["a"], r["b"]): r["n"] for r in query(
        "SELECT ?a ?b (COUNT(?p) AS ?n) WHERE { ?p dcterms:creator ?a, ?b . ?a a pkg:Author . ?b a pkg:Author "
        "FILTER(STR(?a) < STR(?b)) } GROUP BY ?a ?b HAVING(COUNT(?p) >= 2)", seeds).rows}
    assert nodes == pairs
    assert len(nodes) >= 20  # the seed lab list and profile export share many author pairs
    # Read from the files: the profile export 001 lists "Le, Quoc" on four of Daiyi Peng's papers (its lines
    # 6, 15, 18 and 27); the lab list's copy of line 27 (PyGlove) is cut at "et al." and is the same paper.
    assert nodes[(BASE + "author/daiyi-peng", BASE + "author/quoc-le")] == 4
    counts = query("SELECT (COUNT(*) AS ?n) WHERE { ?c a pkg:Collaboration . "
                   f'FILTER(STRSTARTS(STR(?c), "{BASE}collaboration/")) }}', seeds).rows
    assert counts[0]["n"] == len(nodes)
