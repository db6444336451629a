"""Round-trip fidelity: everything built is exported and read back without loss, by independent parsers.

For the examples, the seeds and a listing of awkward text (quotes, backslashes, markup, astral and
right-to-left characters, controls and lone surrogates that cleaning must neutralize), every RDF writer
of ``paperkg.export.GRAPH_WRITERS`` is run through ``paperkg export``, read back with rdflib and
compared with the store as a graph (the default graph; N-Quads and TriG also every named graph). The
graph views (GraphML, GEXF) are compared node by node and edge by edge with the graph they came from.
The Turtle that ``build`` publishes, and the N-Triples, RDF/XML, TriG and N-Quads exports, must also
parse in Raptor's ``rapper`` with the store's triple count (skipped without rapper unless ``CI`` or
``PAPERKG_REQUIRE_BROWSER`` is set: CI installs raptor2-utils).
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperkg.cli import main

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SEEDS = REPO.parent / "shared" / "seeds"

#: rdflib's parser for each RDF writer (a writer missing here fails the registry test below).
RDF_PARSERS = {
    "turtle": "turtle",
    "ntriples": "nt",
    "nquads": "nquads",
    "trig": "trig",
    "jsonld": "json-ld",
    "rdfxml": "xml",
}
DATASETS = {"nquads", "trig"}
GRAPH_VIEWS = {"graphml", "gexf"}
#: rapper's parser names, for the formats Raptor reads.
RAPPER = {"turtle": "turtle", "ntriples": "ntriples", "rdfxml": "rdfxml", "trig": "trig", "nquads": "nquads"}

AWKWARD = [
    'Quotes " and \' and """triple""" and a back\\slash \\n not a newline',
    "<script>alert('x')</script> & ]]> <!-- --> &amp; <![CDATA[ x ]]>",
    "Emoji \U0001f9ea, math \U0001d4d0\U0001d4d1, CJK \u6f22\u5b57, Arabic \u0627\u0644\u0639\u0631\u0628\u064a\u0629",
    "Right-to-left \u202eoverride\u202c and zero\u200bwidth and combining e\u0301",
    "Controls \x00\x01\x07\x1b[31m and a lone surrogate \ud800 and \ufffe",
    "Turtle syntax ; . , @prefix x: <y> . _:b0 a [] ( ) ^^xsd:string @en",
    "Tab\there and non-breaking\u00a0spaces and a line\u2028separator",
]


def _tricky_listing(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "tricky.jsonl"
    with open(path, "w", encoding="utf-8", errors="surrogatepass") as out:
        out.writelines(
            json.dumps(
                {
                    "title": title,
                    "abstract": f"{title} We evaluate on ImageNet and reach 81.2% top-1 accuracy.",
                    "authors": [f"Ann {title[:12]}", "Ünal Ağaoğlu", "O'Brien, Miles"],
                    "date": "2023-02",
                    "category": "cs.LG",
                    "url": f'https://example.org/p/{index}?q=a&b="c"',
                    "upvotes": index,
                    "code_url": "https://github.com/example/repo",
                }
            )
            + "\n"
            for index, title in enumerate(AWKWARD)
        )
    return path


@pytest.fixture(scope="module", params=["examples", "seeds", "tricky"])
def built(request, tmp_path_factory) -> Path:
    if request.param == "seeds":
        if not SEEDS.is_dir():
            pytest.skip(f"seed listings not found at {SEEDS}")
        inputs = [SEEDS]
    elif request.param == "examples":
        inputs = [EXAMPLES]
    else:
        inputs = [_tricky_listing(tmp_path_factory.mktemp("tricky-in"))]
    directory = tmp_path_factory.mktemp(f"roundtrip-{request.param}") / "out"
    result = CliRunner().invoke(main, ["build", *map(str, inputs), "--dir", str(directory), "-q"])
    assert result.exit_code == 0, result.output
    return directory


def _rdflib_term(term):
    import pyoxigraph as ox
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype))


@functools.cache
def store_graphs(directory: Path) -> dict[str, set]:
    """Every graph of the store as sets of rdflib triples: "" is the default graph (read once per build)."""
    import pyoxigraph as ox

    from paperkg.store import open_store

    graphs: dict[str, set] = {"": set()}
    for quad in open_store(directory):
        name = "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        graphs.setdefault(name, set()).add(
            tuple(_rdflib_term(t) for t in (quad.subject, quad.predicate, quad.object))
        )
    return graphs


def read_back(path: Path, parser: str) -> dict[str, set]:
    import rdflib

    if parser in ("nquads", "trig"):
        dataset = rdflib.Dataset()
        dataset.parse(path, format=parser)
        graphs: dict[str, set] = {}
        for s, p, o, g in dataset.quads((None, None, None, None)):
            name = "" if g is None or g == rdflib.term.URIRef("urn:x-rdflib:default") else str(g)
            graphs.setdefault(name, set()).add((s, p, o))
        graphs.setdefault("", set())
        return graphs
    graph = rdflib.Graph()
    graph.parse(path, format=parser)
    return {"": set(graph)}


def same_graph(expected: set, got: set) -> None:
    """Equal as graphs; our graphs have no blank nodes, so isomorphism is set equality (checked)."""
    import rdflib
    from rdflib.compare import isomorphic, to_isomorphic

    has_bnodes = any(isinstance(t, rdflib.BNode) for triple in expected | got for t in triple)
    if has_bnodes:
        a, b = rdflib.Graph(), rdflib.Graph()
        for t in expected:
            a.add(t)
        for t in got:
            b.add(t)
        assert isomorphic(to_isomorphic(a), to_isomorphic(b))
        return
    missing, extra = expected - got, got - expected
    assert not missing and not extra, (
        f"{len(missing)} triples lost, e.g. {sorted(map(str, missing))[:3]}; "
        f"{len(extra)} added, e.g. {sorted(map(str, extra))[:3]}"
    )


def export(directory: Path, format: str, target: Path) -> Path:
    result = CliRunner().invoke(
        main, ["export", "--dir", str(directory), "--format", format, "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    return target


def test_every_writer_is_covered_by_a_round_trip():
    from paperkg import graphs  # noqa: F401 - registers the graph views
    from paperkg.export import GRAPH_WRITERS

    assert set(GRAPH_WRITERS) <= set(RDF_PARSERS) | GRAPH_VIEWS, (
        set(GRAPH_WRITERS) - set(RDF_PARSERS) - GRAPH_VIEWS
    )
    assert set(RDF_PARSERS) <= set(GRAPH_WRITERS)


@pytest.mark.parametrize("format", sorted(RDF_PARSERS))
def test_every_rdf_writer_round_trips_as_a_graph(built, format, tmp_path):
    expected = store_graphs(built)
    got = read_back(export(built, format, tmp_path / f"graph.{format}"), RDF_PARSERS[format])
    if format in DATASETS:
        assert set(got) == set(expected)
        for name in expected:
            same_graph(expected[name], got[name])
    else:
        same_graph(expected[""], got[""])


def test_the_published_turtle_is_the_store(built):
    same_graph(store_graphs(built)[""], read_back(built / "paperkg.ttl", "turtle")[""])


def test_the_awkward_titles_survive_cleaned_not_mangled(tmp_path_factory):
    import rdflib

    from paperkg.normalize import clean_title

    directory = tmp_path_factory.mktemp("awkward") / "out"
    listing = _tricky_listing(tmp_path_factory.mktemp("awkward-in"))
    assert CliRunner().invoke(main, ["build", str(listing), "--dir", str(directory), "-q"]).exit_code == 0
    graph = rdflib.Graph().parse(directory / "paperkg.ttl", format="turtle")
    titles = {str(o) for o in graph.objects(None, rdflib.URIRef("http://purl.org/dc/terms/title"))}
    assert titles == {clean_title(t) for t in AWKWARD}
    assert clean_title(AWKWARD[4]) == "Controls [31m and a lone surrogate \ufffd and \ufffd"


@pytest.mark.parametrize("format", sorted(GRAPH_VIEWS))
def test_the_graph_views_hold_every_node_and_edge(built, format, tmp_path):
    import networkx as nx

    from paperkg.graphs import load_networkx

    expected = load_networkx(built)
    path = export(built, format, tmp_path / f"graph.{format}")
    got = nx.read_graphml(path) if format == "graphml" else nx.read_gexf(path)
    assert set(got.nodes) == set(expected.nodes)
    assert Counter((u, v) for u, v, _ in got.edges(keys=True)) == Counter(
        (u, v) for u, v, _ in expected.edges(keys=True)
    )
    labels = nx.get_node_attributes(got, "label")
    assert all(labels.get(n) == str(d["label"]) for n, d in expected.nodes(data=True))


# ------------------------------------------------------------------------------------- Raptor (rapper)
def rapper_or_skip() -> str:
    path = shutil.which("rapper")
    if path is None:
        if os.environ.get("CI") or os.environ.get("PAPERKG_REQUIRE_BROWSER"):
            pytest.fail("rapper (Debian package raptor2-utils) is required here but not installed")
        pytest.skip("rapper not installed (apt-get install raptor2-utils)")
    return path


def rapper_count(rapper: str, path: Path, parser: str) -> int:
    done = subprocess.run(
        [rapper, "-i", parser, "-c", str(path)], check=False, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Error" not in done.stderr, done.stderr[-2000:]
    found = re.search(r"Parsing returned (\d+) (?:triples|statements)", done.stderr)
    assert found, done.stderr[-2000:]
    return int(found.group(1))


def test_rapper_parses_the_published_turtle(built):
    rapper = rapper_or_skip()
    assert rapper_count(rapper, built / "paperkg.ttl", "turtle") == len(store_graphs(built)[""])


@pytest.mark.parametrize("format", sorted(RAPPER))
def test_rapper_parses_every_export_it_can_read(built, format, tmp_path):
    rapper = rapper_or_skip()
    graphs = store_graphs(built)
    expected = sum(len(g) for g in graphs.values()) if format in DATASETS else len(graphs[""])
    assert (
        rapper_count(rapper, export(built, format, tmp_path / f"graph.{format}"), RAPPER[format]) == expected
    )
