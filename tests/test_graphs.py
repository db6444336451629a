"""paperkg.graphs: triples → networkx, co-authorship analysis, GraphML/GEXF writers."""

from __future__ import annotations

import io

import networkx as nx
import pytest

from paperkg import graphs
from paperkg.export import GRAPH_WRITERS, serialize
from tests.browser_util import BASE, HOSTILE_TITLE, GraphBuilder, sample_graph, write_build


@pytest.fixture(scope="module")
def sample():
    return sample_graph()


@pytest.fixture(scope="module")
def graph(sample):
    return graphs.to_networkx(sample.triples)


def test_nodes_have_class_label_and_iri(graph):
    peng = graph.nodes[BASE + "author/daiyi-peng"]
    assert peng["class"] == "Author"
    assert peng["label"] == "Daiyi Peng"
    assert peng["iri"] == BASE + "author/daiyi-peng"
    flan = graph.nodes[BASE + "paper/the-flan-collection-designing-data-and-methods-for-effective-"
                              "instruction-tuning"]
    assert flan["class"] == "Paper"
    assert flan["label"].startswith("The Flan Collection")
    assert flan["issued"] == "2023-01-31"
    assert flan["codeRepository"] == "https://github.com/google-research/FLAN"
    assert graph.nodes[BASE + "category/cs-lg"]["class"] == "Category"
    assert graph.nodes[BASE + "benchmark/mmlu"]["class"] == "Benchmark"


def test_authorships_fold_into_creator_edges_with_positions(graph):
    classes = {d["class"] for _n, d in graph.nodes(data=True)}
    assert "Authorship" not in classes
    paper = BASE + "paper/long-form-factuality-in-large-language-models"
    edge = graph.get_edge_data(paper, BASE + "author/daiyi-peng", key="creator")
    assert edge["relation"] == "creator" and edge["label"] == "creator"
    assert edge["position"] == 3 and edge["nameAsWritten"] == "Daiyi Peng"
    assert graphs.paper_authors(graph, paper)[:3] == [
        BASE + "author/jerry-wei", BASE + "author/chengrun-yang", BASE + "author/daiyi-peng"]


def test_typed_literals_become_python_values(graph):
    gemini = graph.nodes[BASE + "paper/gemini-a-family-of-highly-capable-multimodal-models"]
    assert gemini["authorCount"] == 937
    assert gemini["authorListComplete"] is False


def test_edges_between_papers_and_entities_keep_their_relation(graph):
    paper = BASE + "paper/large-language-models-as-optimizers"
    relations = {key for _u, _v, key in graph.out_edges(paper, keys=True)}
    assert {"creator", "evaluatesOn", "usesMethod", "proposes", "category", "affiliation",
            "mentions"} <= relations


def test_coauthor_graph_skips_consortium_papers(graph):
    co = graphs.coauthor_graph(graph, max_authors=50)
    assert co.graph["skipped_papers"] == [BASE + "paper/gemini-a-family-of-highly-capable-multimodal-models"]
    assert not co.has_edge(BASE + "author/gemini-author-01", BASE + "author/gemini-author-02")
    # Quoc V. Le and Chengrun Yang share two papers.
    assert co[BASE + "author/quoc-v-le"][BASE + "author/chengrun-yang"]["weight"] == 2
    assert co.nodes[BASE + "author/quoc-v-le"]["papers"] == 4
    loose = graphs.coauthor_graph(graph, max_authors=100)
    assert loose.has_edge(BASE + "author/gemini-author-01", BASE + "author/gemini-author-02")


def test_graph_stats(graph):
    stats = graphs.graph_stats(graph, top=3)
    assert stats["counts"]["Paper"] == 8
    assert stats["counts"]["Author"] == 75
    assert stats["counts"]["Benchmark"] == 5
    assert [r["label"] for r in stats["rankings"]["authors"]] == ["Quoc V. Le", "Daiyi Peng", "Chengrun Yang"]
    assert [r["papers"] for r in stats["rankings"]["authors"]] == [4, 3, 2]
    mmlu = {"iri": BASE + "benchmark/mmlu", "label": "MMLU", "papers": 3}
    assert stats["rankings"]["benchmarks"][0] == mmlu
    assert stats["rankings"]["organizations"][0]["label"] == "Google DeepMind"
    assert {r["year"]: r["papers"] for r in stats["papers_per_year"]} == {2023: 4, 2024: 4}
    co = stats["coauthorship"]
    assert co["papers_left_out"] == 1
    assert co["authors_only_on_papers_left_out"] == 60  # Gemini Author 01-60 (Quoc V. Le has other papers)
    assert co["components"]["largest"]["authors"] == 11
    assert co["degree_centrality"][0]["label"] == "Quoc V. Le"
    assert co["betweenness_centrality"][0]["label"] == "Quoc V. Le"
    assert all(r["value"] > 0 for r in co["betweenness_centrality"])
    assert co["communities"] and co["communities"][0]["authors"] >= 3
    assert 0 < co["modularity"] < 1


def test_graph_stats_of_a_graph_without_coauthors():
    g = GraphBuilder()
    g.paper("Solo work", ["Ada Lovelace"], "2020")
    stats = graphs.graph_stats(graphs.to_networkx(g.triples))
    assert stats["coauthorship"]["links"] == 0
    assert stats["coauthorship"]["communities"] == []
    assert "Co-authorship communities" in graphs.stats_table(stats)


def test_stats_table_is_readable(graph):
    text = graphs.stats_table(graphs.graph_stats(graph))
    assert text.startswith("Nodes per class")
    for heading in ("Top authors by papers", "Top benchmarks by papers", "Top methods by papers",
                    "Co-authorship network", "Degree centrality (top)", "Betweenness centrality (top)",
                    "Co-authorship communities (Louvain)"):
        assert heading in text
    assert "\x1b" not in text


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_writers_are_registered(fmt):
    writer = GRAPH_WRITERS[fmt]
    assert writer.extension == fmt


def test_graphml_opens_in_networkx_with_classes_and_labels(sample):
    data = serialize(sample.triples, "graphml")
    back = nx.read_graphml(io.BytesIO(data))
    node = back.nodes[BASE + "author/daiyi-peng"]
    assert node["class"] == "Author" and node["label"] == "Daiyi Peng"
    assert back.number_of_nodes() == graphs.to_networkx(sample.triples).number_of_nodes()
    hostile = [d for _n, d in back.nodes(data=True) if d.get("label") == HOSTILE_TITLE]
    assert len(hostile) == 1  # escaped as XML text, read back intact
    relations = {d["relation"] for _u, _v, d in back.edges(data=True)}
    assert {"creator", "evaluatesOn", "proposes", "category"} <= relations


def test_gexf_opens_in_networkx_with_labels(sample):
    data = serialize(sample.triples, "gexf")
    back = nx.read_gexf(io.BytesIO(data))
    node = back.nodes[BASE + "benchmark/mmlu"]
    assert node["label"] == "MMLU" and node["class"] == "Benchmark"
    assert b"lastmodifieddate" not in data


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_writers_are_deterministic(sample, fmt):
    assert serialize(sample.triples, fmt) == serialize(list(reversed(sample.triples)), fmt)


def test_load_networkx_and_export_from_a_build(tmp_path, sample):
    from paperkg.api import export_graph

    write_build(tmp_path / "build", sample.triples)
    graph = graphs.load_networkx(tmp_path / "build")
    assert graph.number_of_nodes() == graphs.to_networkx(sample.triples).number_of_nodes()
    out = tmp_path / "graph.graphml"
    export_graph(tmp_path / "build", "graphml", out)
    assert nx.read_graphml(out).number_of_nodes() == graph.number_of_nodes()


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_command_writes_graph_formats(tmp_path, sample, fmt):
    from click.testing import CliRunner

    from paperkg.cli import main

    write_build(tmp_path / "build", sample.triples)
    out = tmp_path / f"graph.{fmt}"
    args = ["export", "--dir", str(tmp_path / "build"), "--format", fmt, "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    assert reader(out).nodes[BASE + "author/daiyi-peng"]["label"] == "Daiyi Peng"
