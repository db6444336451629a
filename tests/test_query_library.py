"""The query library: headers, the package copy, and the answer of every query.

Each query is checked twice: on a hand-written Turtle graph (``FIXTURE_TTL``) whose answers are worked
out by hand, and on the graph of ``../shared/seeds``, whose expected answers were read from the listing
files themselves (the comments say how), never from running the query.
"""

from __future__ import annotations

import shlex
from decimal import Decimal
from pathlib import Path

import pytest

from paperkg.sparql import IRI, library, parse_library_query, prepare, query, run_prepared
from tests.test_query_support import BASE, ROOT, fixture_dir, need_in_seeds

ONTOLOGY_QUERIES = ROOT / "ontology" / "queries"
PACKAGE_QUERIES = ROOT / "src" / "paperkg" / "data" / "queries"


@pytest.fixture(scope="module")
def seeds(seed_build) -> Path:
    """The build folder of ../shared/seeds (conftest's ``seed_build``: built once per session)."""
    return seed_build[0]


def run(name: str, directory: Path | None = None, **params):
    return query(name, directory or fixture_dir(), params=params)


def col(result, name: str) -> list:
    return result.column(name)


# ---------------------------------------------------------------------------------------------------
# The library as files
# ---------------------------------------------------------------------------------------------------

def test_the_library_has_at_least_fifteen_queries():
    assert len(library()) >= 15


def test_package_copy_matches_the_ontology_folder():
    ontology = {p.name: p.read_bytes() for p in ONTOLOGY_QUERIES.glob("*.rq")}
    package = {p.name: p.read_bytes() for p in PACKAGE_QUERIES.glob("*.rq")}
    assert sorted(ontology) == sorted(package), "ontology/queries and src/paperkg/data/queries differ"
    different = [name for name in ontology if ontology[name] != package[name]]
    assert not different, f"copy ontology/queries/*.rq to src/paperkg/data/queries/: {different}"


@pytest.mark.parametrize("name", sorted(library()))
def test_every_query_has_a_full_header(name):
    entry = library()[name]
    assert entry.title and entry.title[0].isupper()
    assert len(entry.description) > 30
    assert entry.examples, "each query shows at least one example command"
    for example in entry.examples:
        words = shlex.split(example)
        assert words[:3] == ["paperkg", "query", name]
    for param in entry.params:
        assert param.description, f"parameter {param.name} is undocumented"
        assert f"?{param.name}" in entry.text, f"parameter {param.name} binds no variable"


@pytest.mark.parametrize("name", sorted(library()))
def test_every_query_runs_on_the_fixture(name):
    entry = library()[name]
    params = {p.name: {"benchmark": "ImageNet", "author": "Ada Lovelace", "text": "net",
                       "paper": "Sorting Networks"}[p.name] for p in entry.params if p.required}
    result = run(name, **params)
    assert result.kind == {"SELECT": "solutions", "ASK": "boolean", "CONSTRUCT": "graph"}[entry.form]
    assert not result.warnings


def test_docs_describe_every_library_query():
    docs = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    missing = [name for name in library() if f"| `{name}` |" not in docs]
    assert not missing, f"docs/queries.md has no row for {missing}"


def test_header_fields_are_read():
    text = ("# title: Example\n# description: One line\n#   and its continuation.\n"
            "# param: who (label | IRI) required - a person\n#   by name\n"
            "# param: n (integer) default 3 - how many\n# example: paperkg query ex\n"
            "SELECT * WHERE { ?s ?p ?o }\n")
    entry = parse_library_query("ex", text)
    assert entry.description == "One line and its continuation."
    assert [(p.name, p.types, p.required, p.default) for p in entry.params] == [
        ("who", ("label", "IRI"), True, None), ("n", ("integer",), False, "3")]
    assert entry.params[0].description == "a person by name"
    assert entry.form == "SELECT"


# ---------------------------------------------------------------------------------------------------
# Answers on the hand-written fixture
# ---------------------------------------------------------------------------------------------------

def test_top_benchmarks_fixture():
    result = run("top-benchmarks")
    assert list(zip(col(result, "name"), col(result, "papers"), strict=True)) == [
        ("ImageNet", 3), ("COCO", 2), ("GSM8K", 2)]
    assert result.rows[0]["benchmark"] == IRI(BASE + "benchmark/imagenet")


def test_top_methods_fixture():
    result = run("top-methods")
    assert list(zip(col(result, "name"), col(result, "papers"), strict=True)) == [
        ("Adam", 2), ("ResNet", 2), ("ViT", 2), ("Lion", 1)]


def test_tasks_by_papers_fixture():
    assert [(r["name"], r["papers"]) for r in run("tasks-by-papers").rows] == [("image classification", 2)]


@pytest.mark.parametrize("benchmark", ["ImageNet", "imagenet", "ILSVRC-2012", BASE + "benchmark/imagenet",
                                       f"<{BASE}benchmark/imagenet>"])
def test_benchmark_methods_fixture(benchmark):
    result = run("benchmark-methods", benchmark=benchmark)
    assert [(r["name"], r["papers"], r["results"]) for r in result.rows] == [
        ("ResNet", 2, 2), ("ViT", 2, 2), ("Lion", 1, 1), ("Adam", 1, 0)]


def test_benchmark_papers_fixture():
    result = run("benchmark-papers", benchmark="ImageNet")
    assert col(result, "title") == ["Symbolic Discovery of Optimizers", "Vision Transformers at Scale",
                                    "Residual Networks Revisited"]
    gsm = run("benchmark-papers", benchmark="gsm8k")
    # the paper dated "--09-11" has no year, so it comes after the dated one
    assert [(r["title"], r["relation"]) for r in gsm.rows] == [
        ("Symbolic Discovery of Optimizers", "evaluates on"),
        ("A New Benchmark for Grade School Math", "introduces")]


def test_leaderboard_fixture_best_first_per_metric_without_relative_results():
    result = run("leaderboard", benchmark="ImageNet")
    assert [(r["metric_name"], r["method_name"], r["value"], r["better"]) for r in result.rows] == [
        ("error rate", "ViT", Decimal("11.5"), "lower"),
        ("error rate", "ResNet", Decimal("23.5"), "lower"),
        ("top-1 accuracy", "Lion", Decimal("91.1"), "higher"),
        ("top-1 accuracy", "ViT", Decimal("88.5"), "higher"),
        ("top-1 accuracy", "ResNet", Decimal("76.5"), "higher"),
    ]
    assert Decimal("2.1") not in col(result, "value")  # r2 is a gain over ViT, not a score


def test_leaderboard_fixture_one_metric():
    result = run("leaderboard", benchmark="imagenet", metric="TOP-1 ACCURACY")
    assert col(result, "value") == [Decimal("91.1"), Decimal("88.5"), Decimal("76.5")]
    assert col(result, "title")[0] == "Symbolic Discovery of Optimizers"
    coco = run("leaderboard", benchmark="COCO", metric=BASE + "metric/fid")
    assert [(r["method_name"], r["value"], r["better"]) for r in coco.rows] == [("ViT", Decimal("3.2"), "lower")]


def test_benchmark_introductions_fixture():
    result = run("benchmark-introductions")
    assert [(r["name"], r["title"]) for r in result.rows] == [("GSM8K", "A New Benchmark for Grade School Math")]


def test_coauthor_pairs_fixture():
    # Ada-Alan share p1, p2, p4; Ada-Edsger p3, p5; Ada-Grace p2, p3; Edsger-Grace p3, p6; Alan-Grace p2.
    # Gemini Team (an organization) is on p4 but is no person.
    result = run("coauthor-pairs")
    assert [(r["name1"], r["name2"], r["papers"]) for r in result.rows] == [
        ("Ada Lovelace", "Alan Turing", 3), ("Ada Lovelace", "Edsger Dijkstra", 2),
        ("Ada Lovelace", "Grace Hopper", 2), ("Edsger Dijkstra", "Grace Hopper", 2)]
    everyone = run("coauthor-pairs", min_papers=1)
    assert ("Alan Turing", "Grace Hopper", 1) in [(r["name1"], r["name2"], r["papers"]) for r in everyone.rows]
    assert len(everyone) == 5
    assert len(run("coauthor-pairs", min_papers="3")) == 1


@pytest.mark.parametrize("author", ["Ada Lovelace", "lovelace, ada", BASE + "author/ada-lovelace"])
def test_author_papers_fixture_over_time(author):
    result = run("author-papers", author=author)
    assert [(r["year"], r["title"], r["position"]) for r in result.rows] == [
        (2019, "Residual Networks Revisited", 1),          # 2019-05-01
        (2021, "Vision Transformers at Scale", 1),         # 2021 (xsd:gYear)
        (2023, "Symbolic Discovery of Optimizers", 2),     # 2023-02 (xsd:gYearMonth)
        (None, "A New Benchmark for Grade School Math", 3),  # --09-11: no year, after the dated ones
        (None, "Untitled Workshop Note", 2),               # no date at all: last
    ]


def test_author_collaborators_fixture():
    result = run("author-collaborators", author="Ada Lovelace")
    assert [(r["name"], r["papers"]) for r in result.rows] == [
        ("Alan Turing", 3), ("Edsger Dijkstra", 2), ("Grace Hopper", 2)]


def test_collaborator_benchmarks_fixture():
    # Ada's collaborators Edsger and Grace wrote p6 without her; it evaluates on COCO. Every paper of
    # Alan's has Ada on it, so his benchmarks do not count.
    result = run("collaborator-benchmarks", author="Ada Lovelace")
    assert [(r["name"], r["collaborators"], r["papers"]) for r in result.rows] == [("COCO", 2, 1)]


def test_top_authors_fixture():
    result = run("top-authors")
    assert [(r["name"], r["papers"]) for r in result.rows] == [
        ("Ada Lovelace", 5), ("Alan Turing", 3), ("Edsger Dijkstra", 3), ("Grace Hopper", 3)]


def test_organizations_by_papers_fixture():
    result = run("organizations-by-papers")
    assert [(r["name"], r["papers"]) for r in result.rows] == [("DeepMind Lab", 2), ("Gemini Team", 1)]


def test_papers_with_code_fixture():
    result = run("papers-with-code")  # newest first; "--09-11" has no year: after the dated ones
    assert [(r["title"], r["has_code"], r["repositories"]) for r in result.rows] == [
        ("Symbolic Discovery of Optimizers", True, None),  # no repository known
        ("Residual Networks Revisited", True, "https://github.com/example/resnet"),
        ("A New Benchmark for Grade School Math", None, "https://github.com/example/gsm"),
    ]
    assert col(run("papers-with-code", listing="lab.txt"), "title") == [
        "Symbolic Discovery of Optimizers", "Residual Networks Revisited"]


def test_papers_with_code_groups_repositories_and_filters_listings():
    """Several repositories of one paper are joined by spaces; a flag without a repository gives no
    repositories; a listing is matched by file name or by label, and a missing one matches nothing."""
    import pyoxigraph as ox

    pkg, dcterms = "https://w3id.org/paperkg/ontology#", "http://purl.org/dc/terms/"
    store = ox.Store()

    def add(s, p, o):
        store.add(ox.Quad(ox.NamedNode(BASE + s), ox.NamedNode(p), o))

    listing = ox.NamedNode(BASE + "listing/a")
    add("listing/a", pkg + "fileName", ox.Literal("a.txt"))
    add("listing/a", "http://www.w3.org/2000/01/rdf-schema#label", ox.Literal("lists/a.txt"))
    for slug, title in (("two", "Two Repositories"), ("flag", "Flag Only"), ("none", "No Code")):
        add(f"paper/{slug}", dcterms + "title", ox.Literal(title))
    add("paper/two", pkg + "codeRepository", ox.NamedNode("https://github.com/a/one"))
    add("paper/two", pkg + "codeRepository", ox.NamedNode("https://github.com/a/two"))
    add("paper/two", "http://www.w3.org/ns/prov#wasDerivedFrom", listing)
    add("paper/flag", pkg + "hasCode", ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")))

    rows = {r["title"]: r for r in run_prepared(store, prepare("papers-with-code")).rows}
    assert sorted(rows) == ["Flag Only", "Two Repositories"]
    assert sorted(rows["Two Repositories"]["repositories"].split(" ")) == [
        "https://github.com/a/one", "https://github.com/a/two"]
    assert rows["Flag Only"]["repositories"] is None and rows["Flag Only"]["has_code"] is True
    for name in ("a.txt", "lists/a.txt"):
        result = run_prepared(store, prepare("papers-with-code", {"listing": name}))
        assert result.column("title") == ["Two Repositories"]
    assert len(run_prepared(store, prepare("papers-with-code", {"listing": "b.txt"}))) == 0


def test_most_upvoted_fixture():
    result = run("most-upvoted")
    assert [(r["upvotes"], r["title"]) for r in result.rows] == [
        (30, "A New Benchmark for Grade School Math"), (12, "Vision Transformers at Scale"),
        (7, "Residual Networks Revisited")]


def test_papers_in_several_listings_fixture():
    result = run("papers-in-several-listings")
    assert [(r["title"], r["listings"]) for r in result.rows] == [
        ("Symbolic Discovery of Optimizers", 3), ("Vision Transformers at Scale", 2),  # 2021
        ("Residual Networks Revisited", 2)]  # 2019-05-01
    assert set(result.rows[0]["files"].split(", ")) == {"lab.txt", "daily.txt", "profile.txt"}
    assert col(run("papers-in-several-listings", min_listings=3), "title") == ["Symbolic Discovery of Optimizers"]


def test_papers_per_year_fixture():
    result = run("papers-per-year")
    assert [(r["year"], r["papers"]) for r in result.rows] == [
        (2019, 1), (2020, 1), (2021, 1), (2023, 1), (None, 2)]


def test_categories_by_papers_fixture():
    result = run("categories-by-papers")
    assert [(r["code"], r["papers"]) for r in result.rows] == [("cs.CV", 2), ("cs.LG", 2)]


def test_search_titles_fixture():
    assert col(run("search-titles", text="NET"), "title") == ["Sorting Networks", "Residual Networks Revisited"]
    assert len(run("search-titles", text="no such words")) == 0


def test_paper_sources_fixture():
    result = run("paper-sources", paper="residual networks REVISITED")
    assert [(r["file"], r["line"], r["title_as_written"]) for r in result.rows] == [
        ("daily.txt", 5, "Residual networks revisited"), ("lab.txt", 1, "Residual Networks Revisited")]


def test_listings_fixture():
    result = run("listings")
    assert [(r["file"], r["format"], r["records"], r["papers"], r["owner_name"]) for r in result.rows] == [
        ("daily.txt", "daily-papers", 3, 3, None), ("lab.txt", "lab-list", 4, 4, None),
        ("profile.txt", "profile-export", 3, 3, "Ada Lovelace")]


def test_paper_exists_fixture():
    assert run("paper-exists", paper="vision transformers AT SCALE").boolean is True
    assert run("paper-exists", paper="Vision Transformers").boolean is False
    assert run("paper-exists", paper=BASE + "paper/sorting-networks").boolean is True


def test_paper_graph_fixture():
    result = run("paper-graph", paper="Sorting Networks")
    graph = result.to_graph()
    names = {str(o) for s, p, o in graph if str(p) == "http://xmlns.com/foaf/0.1/name"}
    assert names == {"Edsger Dijkstra", "Grace Hopper"}
    subjects_with_title = {str(s) for s, p, o in graph if str(p) == "http://purl.org/dc/terms/title"}
    assert subjects_with_title == {BASE + "paper/sorting-networks"}
    labels = {str(o) for s, p, o in graph if str(p) == "http://www.w3.org/2000/01/rdf-schema#label"}
    assert {"COCO", "lab.txt"} <= labels


# ---------------------------------------------------------------------------------------------------
# Answers on the seed listings (../shared/seeds), derived by reading the files
# ---------------------------------------------------------------------------------------------------

# Titles shown by two or more seed files (found by looking each title of 001-004 up at the start of
# the lines of every file, ignoring case), with how many files show each.
SEED_MULTI_LISTING = {
    "AutoNumerics-Zero: Automated Discovery of State-of-the-Art Mathematical Functions": 4,
    "Unified Functional Hashing in Automatic Machine Learning": 4,
    "Model-agnostic Measure of Generalization Difficulty": 3,
    "Symbolic Discovery of Optimization Algorithms": 3,
    "A Simple and Provable Scaling Law for the Test-Time Compute of Large Language Models": 2,
    "Benchmarking Neural Network Training Algorithms": 2,
    "Calc-X: Enriching Arithmetical Chain-of-Thoughts Datasets by Interaction with Symbolic Systems": 2,
    "Deep Learning Scaling is Predictable, Empirically": 2,
    "Distributed Deep Learning in Open Collaborations": 2,
    "From Decoding to Meta-Generation: Inference-time Algorithms for Large Language Models": 2,
    "Inverse scaling can become U-shaped": 2,
    "Large Language Models as Optimizers": 2,
    "Large Language Monkeys: Scaling Inference Compute with Repeated Sampling": 2,
    "Long-form factuality in large language models": 2,
    "OpenMathInstruct-1: A 1.8 Million Math Instruction Tuning Dataset": 2,
    "Planning In Natural Language Improves LLM Search For Code Generation": 2,
    "Programming Puzzles": 2,
    "PyGlove: Efficiently Exchanging ML Ideas as Code": 2,
    "The Efficiency Spectrum of Large Language Models: An Algorithmic Survey": 2,
    "Unlock Predictable Scaling from Emergent Abilities": 2,
}


def test_papers_in_several_listings_seeds(seeds):
    result = run("papers-in-several-listings", seeds)
    got = {r["title"].casefold(): r["listings"] for r in result.rows}
    assert got == {t.casefold(): n for t, n in SEED_MULTI_LISTING.items()}
    assert col(result, "listings")[:4] == [4, 4, 3, 3]
    symbolic = next(r for r in result.rows if r["title"].startswith("Symbolic Discovery"))
    assert set(symbolic["files"].split(", ")) == {
        "000_2e2fe5c50ee24c11.txt", "002_3dcd3517898918cb.txt", "004_b516c7d33c3a2095.txt"}


def test_author_papers_seeds(seeds):
    # 001 is Daiyi Peng's profile export: 10 papers, no dates. 000 dates two of them: PyGlove
    # "Feb 3, 2023" and Long-form factuality "Mar 27, 2024"; the other eight stay undated, last.
    for name in ("Daiyi Peng", "Peng, Daiyi", "daiyi peng"):
        result = run("author-papers", seeds, author=name)
        assert len(result) == 10
        assert [(r["year"], str(r["issued"])) for r in result.rows[:2]] == [(2023, "2023-02-03"),
                                                                            (2024, "2024-03-27")]
        assert col(result, "title")[:2] == ["PyGlove: Efficiently Exchanging ML Ideas as Code",
                                            "Long-form factuality in large language models"]
        assert all(r["issued"] is None for r in result.rows[2:])
        undated = col(result, "title")[2:]
        assert undated == sorted(undated)
        assert "Gemini: A Family of Highly Capable Multimodal Models" in undated
    pyglove = result.rows[0]
    assert pyglove["position"] == 1  # "Peng, Daiyi, Dong, Xuanyi, ..." in 001


def test_author_collaborators_and_pairs_seeds(seeds):
    # In 001, "Le, Quoc" or "Le, Quoc V." is on 4 of Daiyi Peng's papers, "Liu, Ruibo" on 4; 000 cuts
    # author lists to three names, so no other pair shares more papers.
    result = run("author-collaborators", seeds, author="Daiyi Peng")
    assert [(r["name"], r["papers"]) for r in result.rows[:2]] == [("Quoc V. Le", 4), ("Ruibo Liu", 4)]
    pairs = run("coauthor-pairs", seeds)
    top = [({r["name1"], r["name2"]}, r["papers"]) for r in pairs.rows[:2]]
    assert top == [({"Daiyi Peng", "Quoc V. Le"}, 4), ({"Daiyi Peng", "Ruibo Liu"}, 4)]
    assert pairs.rows[2]["papers"] < 4


def test_top_authors_seeds(seeds):
    result = run("top-authors", seeds)
    assert (result.rows[0]["name"], result.rows[0]["papers"]) == ("Daiyi Peng", 10)
    assert result.rows[1]["papers"] < 10


def test_papers_with_code_seeds(seeds):
    # 23 of the 50 records of the lab list 000 end their date line with "Code".
    result = run("papers-with-code", seeds, listing="000_2e2fe5c50ee24c11.txt")
    assert sum(1 for r in result.rows if r["has_code"] is True) == 23
    assert all(r["has_code"] is True or r["repositories"] for r in result.rows)
    titles = col(result, "title")
    assert "The Flan Collection: Designing Data and Methods for Effective Instruction Tuning" in titles
    assert "Aletheia tackles FirstProof autonomously" in titles


def test_most_upvoted_seeds(seeds):
    # 002, the daily-papers page, shows upvotes after the date of 13 papers; the most is 15.
    result = run("most-upvoted", seeds)
    assert len(result) == 13
    assert [(r["upvotes"], r["title"]) for r in result.rows[:4]] == [
        (15, "Reinforcement Learning for Reasoning in Large Language Models with One Training Example"),
        (6, "TextSquare: Scaling up Text-Centric Visual Instruction Tuning"),
        (4, "The Illusion of Diminishing Returns: Measuring Long Horizon Execution in LLMs"),
        (4, "Treasure Hunt: Real-time Targeting of the Long Tail using Training-Time Markers"),
    ]
    assert str(result.rows[0]["issued"]) == "--04-29"  # "Apr 29": no year


def test_organizations_by_papers_seeds(seeds):
    # 000: "· deepmind" after 6 author lists and "· cmu, deepmind" after 2; 001 lists "Gemini Team"
    # as an author; 002 shows "parameterlab Parameter Lab" once.
    result = run("organizations-by-papers", seeds)
    assert [(r["name"], r["papers"]) for r in result.rows] == [
        ("Google DeepMind", 8), ("Carnegie Mellon University", 2), ("Gemini Team", 1), ("Parameter Lab", 1)]


def test_categories_by_papers_seeds(seeds):
    # the category prefix of the 50 date lines of 000: LG 17, CV 12, CL 11, AI 7, NE, SD, AS 1 each
    result = run("categories-by-papers", seeds)
    assert [(r["code"], r["papers"]) for r in result.rows] == [
        ("cs.LG", 17), ("cs.CV", 12), ("cs.CL", 11), ("cs.AI", 7), ("cs.NE", 1), ("cs.SD", 1), ("eess.AS", 1)]


def test_papers_per_year_seeds(seeds):
    # Only 000 and 002 show dates. Their 113 distinct papers: 93 with a year, as below; 20 dated
    # without a year ("Feb 24"). The seeds hold 576 distinct papers (602 records less 26 repeats), so
    # 576 - 93 = 483 have no year.
    result = run("papers-per-year", seeds)
    assert [(r["year"], r["papers"]) for r in result.rows] == [
        (2014, 1), (2015, 1), (2017, 2), (2018, 2), (2019, 9), (2020, 4), (2021, 7), (2022, 11), (2023, 28),
        (2024, 23), (2025, 5), (None, 483)]


def test_listings_seeds(seeds):
    result = run("listings", seeds)
    assert [(r["file"], r["format"], r["records"], r["papers"]) for r in result.rows] == [
        ("000_2e2fe5c50ee24c11.txt", "lab-list", 50, 50),          # 50 date lines
        ("001_bcc2bbaf11cd85d9.txt", "profile-export", 10, 10),    # 30 lines, 3 per paper
        ("002_3dcd3517898918cb.txt", "daily-papers", 68, 68),
        ("003_a31f46defddd9748.txt", "papers-search", 219, 219),  # title and abstract lines
        ("004_b516c7d33c3a2095.txt", "papers-search", 255, 255),
    ]
    assert result.rows[1]["owner_name"] == "Daiyi Peng"


def test_search_titles_seeds(seeds):
    # 39 distinct titles contain "unified", ignoring case (all in 001-004; 000 adds none new).
    result = run("search-titles", seeds, text="Unified")
    assert len(result) == 39
    assert "USB: A Unified Semi-supervised Learning Benchmark for Classification" in col(result, "title")


def test_paper_sources_seeds(seeds):
    # The title is on line 17 of 000 (its date line is 16), 501 of 002 and 149 of 004.
    result = run("paper-sources", seeds, paper="Symbolic Discovery of Optimization Algorithms")
    lines = {r["file"][:3]: r["line"] for r in result.rows}
    assert set(lines) == {"000", "002", "004"}
    assert 15 <= lines["000"] <= 17 and 495 <= lines["002"] <= 501 and 148 <= lines["004"] <= 149


def test_paper_exists_and_graph_seeds(seeds):
    assert run("paper-exists", seeds, paper="symbolic discovery of optimization algorithms").boolean
    assert not run("paper-exists", seeds, paper="A Paper Nobody Wrote").boolean
    graph = run("paper-graph", seeds, paper="PyGlove: Efficiently Exchanging ML Ideas as Code").to_graph()
    names = {str(o) for s, p, o in graph if str(p) == "http://xmlns.com/foaf/0.1/name"}
    # 001 line 27: "Peng, Daiyi, Dong, Xuanyi, Real, Esteban, Lu, Yifeng, Le, Quoc V."
    assert names == {"Daiyi Peng", "Xuanyi Dong", "Esteban Real", "Yifeng Lu", "Quoc V. Le"}


def test_top_benchmarks_seeds(seeds):
    # "ImageNet" is named by 33 records of the seeds (about 31 distinct papers), far more than any
    # other benchmark; GSM8K is next with 22 lines in 3 files.
    need_in_seeds(seeds, "Benchmark")
    result = run("top-benchmarks", seeds)
    assert result.rows[0]["name"] == "ImageNet"
    assert result.rows[0]["papers"] >= 25
    # by IRI: the label is the extractor's choice among the names it saw ("GSM8K", "GSM8K+")
    assert BASE + "benchmark/gsm8k" in col(result, "benchmark")[:5]


def test_leaderboard_seeds(seeds):
    # 000: Meta Pseudo Labels "top-1 accuracy of 90.2% on ImageNet"; Noisy Student "88.4% top-1
    # accuracy on ImageNet".
    need_in_seeds(seeds, "Result")
    result = run("leaderboard", seeds, benchmark="ImageNet")
    found = {(r["title"], r["value"]) for r in result.rows}
    assert ("Meta Pseudo Labels", Decimal("90.2")) in found
    assert any(title.startswith("Self-training with Noisy Student") and value == Decimal("88.4")
               for title, value in found)
    top1 = [r for r in result.rows if r["metric_name"] == "top-1 accuracy"]
    assert [r["value"] for r in top1] == sorted((r["value"] for r in top1), reverse=True)


def test_benchmark_methods_and_papers_seeds(seeds):
    # The Lion abstract (000, "Symbolic Discovery") compares Lion with Adam and reports ImageNet results.
    need_in_seeds(seeds, "Benchmark")
    papers = run("benchmark-papers", seeds, benchmark="imagenet")
    assert "Symbolic Discovery of Optimization Algorithms" in col(papers, "title")
    assert len(papers) >= 25
    methods = col(run("benchmark-methods", seeds, benchmark="ImageNet"), "name")
    assert "Adam" in methods


def test_benchmark_introductions_seeds(seeds):
    # 004: "we construct a Unified SSL Benchmark (USB) for classification".
    need_in_seeds(seeds, "Benchmark")
    result = run("benchmark-introductions", seeds)
    assert any(r["title"].startswith("USB: A Unified Semi-supervised") for r in result.rows)


def test_collaborator_benchmarks_seeds(seeds):
    # "Large Language Models as Optimizers" (000: Chengrun Yang, Xuezhi Wang, Yifeng Lu et al.) has
    # two of Daiyi Peng's co-authors (001 line 6) and not him; its abstract names GSM8K and Big-Bench Hard.
    need_in_seeds(seeds, "Benchmark")
    result = run("collaborator-benchmarks", seeds, author="Daiyi Peng")
    by_iri = {r["benchmark"]: r["collaborators"] for r in result.rows}
    assert by_iri.get(BASE + "benchmark/gsm8k", 0) >= 2
    assert by_iri.get(BASE + "benchmark/big-bench-hard", 0) >= 2


def test_top_methods_and_tasks_seeds(seeds):
    # "Adam" is named in 8 lines over 4 files (the Lion and AdaBelief abstracts among them).
    need_in_seeds(seeds, "Method")
    methods = {r["name"]: r["papers"] for r in run("top-methods", seeds).rows}
    assert methods.get("Adam", 0) >= 3
    need_in_seeds(seeds, "Task")
    tasks = col(run("tasks-by-papers", seeds), "name")
    assert "image classification" in tasks


def test_leaderboard_sorts_any_error_metric_lowest_first(example_build):
    # examples/: the ResNet abstract reports "3.57% top-5 error on the ImageNet test set".
    directory, _ = example_build
    rows = query("leaderboard", directory, params={"benchmark": "ImageNet"}).rows
    errors = [row for row in rows if row["metric_name"] == "top-5 error"]
    assert [(row["value"], row["better"]) for row in errors] == [(Decimal("3.57"), "lower")]
