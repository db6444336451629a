"""Every writer round-trips: write, read back, compare as graphs (generated from the writer registry)."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.compare import graph_diff, to_isomorphic

from paperkg.api import store_triples
from paperkg.export import GRAPH_WRITERS, serialize
from paperkg.mapping import to_graph

RDF_FORMATS = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig", "jsonld": "json-ld",
               "rdfxml": "xml"}


def test_every_rdf_writer_is_covered():
    assert set(RDF_FORMATS) <= set(GRAPH_WRITERS)


@pytest.fixture(scope="module")
def example_graph(example_build):
    directory, _ = example_build
    triples = store_triples(directory)
    return directory, triples, to_graph(triples)


def _diff(expected: rdflib.Graph, got: rdflib.Graph) -> str:
    _, only_expected, only_got = graph_diff(to_isomorphic(expected), to_isomorphic(got))
    lines = [f"- {t}" for t in sorted(only_expected)[:10]] + [f"+ {t}" for t in sorted(only_got)[:10]]
    return "\n".join(lines)


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_writer_round_trips(example_graph, fmt):
    _, triples, expected = example_graph
    data = serialize(triples, fmt)
    if fmt in ("nquads", "trig"):
        dataset = rdflib.Dataset()
        dataset.parse(data=data, format=RDF_FORMATS[fmt])
        got = rdflib.Graph()
        for s, p, o, _g in dataset.quads((None, None, None, None)):
            got.add((s, p, o))
    else:
        got = rdflib.Graph().parse(data=data, format=RDF_FORMATS[fmt])
    assert len(got) == len(expected)
    assert to_isomorphic(got) == to_isomorphic(expected), _diff(expected, got)


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_writer_output_is_deterministic(example_graph, fmt):
    _, triples, _ = example_graph
    assert serialize(triples, fmt) == serialize(list(reversed(triples)), fmt)


def test_turtle_file_equals_the_store(example_build):
    directory, _ = example_build
    from_file = rdflib.Graph().parse(directory / "paperkg.ttl", format="turtle")
    assert to_isomorphic(from_file) == to_isomorphic(to_graph(store_triples(directory)))


def test_export_to_a_file(example_build, tmp_path):
    from paperkg import export_graph

    directory, _ = example_build
    target = tmp_path / "graph.nt"
    export_graph(directory, "ntriples", target)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(store_triples(directory))
    assert all(line.endswith(" .") for line in lines)
