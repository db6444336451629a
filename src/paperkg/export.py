"""Graph writers, in a registry keyed by format name.

Every writer takes triples in a canonical order (:func:`canonical_order`) so the same graph always
gives byte-identical output, whatever the machine or run. Pure/IO pairs: ``serialize(triples, format)``
returns bytes; ``write_graph(triples, path, format)`` writes a file atomically.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from .errors import FormatError
from .namespaces import PREFIXES, RDF

_RDF_TYPE = str(RDF.type)


@dataclass(frozen=True)
class GraphWriter:
    name: str
    extension: str
    media_type: str
    description: str
    write: Callable[[list, BinaryIO, dict[str, str]], None]


def data_prefixes(base: str) -> dict[str, str]:
    """Prefixes for data IRIs below ``base`` (``paper:``, ``author:``, ...) and the vocabularies."""
    base = base if base.endswith(("/", "#")) else base + "/"
    kinds = ("paper", "author", "org", "authorship", "benchmark", "method", "task", "metric",
             "result", "category", "listing", "record")
    return {**PREFIXES, **{kind: f"{base}{kind}/" for kind in kinds}}


def _sort_key(triple) -> tuple:
    s, p, o = triple
    return (str(s), p.value != _RDF_TYPE, str(p), str(o))


def canonical_order(triples: Iterable) -> list:
    """Triples sorted by subject, with rdf:type first, then predicate and object."""
    return sorted(set(triples), key=_sort_key)


def _oxigraph_writer(fmt: ox.RdfFormat, quads: bool = False):
    def write(triples: list, out: BinaryIO, prefixes: dict[str, str]) -> None:
        items = (ox.Quad(s, p, o, ox.DefaultGraph()) for s, p, o in triples) if quads else (
            ox.Triple(s, p, o) for s, p, o in triples)
        kwargs = {"prefixes": prefixes} if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG,
                                                   ox.RdfFormat.RDF_XML) else {}
        ox.serialize(items, out, format=fmt, **kwargs)
    return write


GRAPH_WRITERS: dict[str, GraphWriter] = {
    w.name: w for w in (
        GraphWriter("turtle", "ttl", "text/turtle", "Turtle, grouped by subject, with prefixes",
                    _oxigraph_writer(ox.RdfFormat.TURTLE)),
        GraphWriter("ntriples", "nt", "application/n-triples", "N-Triples, one triple a line",
                    _oxigraph_writer(ox.RdfFormat.N_TRIPLES)),
        GraphWriter("nquads", "nq", "application/n-quads", "N-Quads (the merged graph, plus one provenance graph per listing)",
                    _oxigraph_writer(ox.RdfFormat.N_QUADS, quads=True)),
        GraphWriter("trig", "trig", "application/trig", "TriG (the merged graph, plus one provenance graph per listing)",
                    _oxigraph_writer(ox.RdfFormat.TRIG, quads=True)),
        GraphWriter("jsonld", "jsonld", "application/ld+json", "JSON-LD (expanded form)",
                    _oxigraph_writer(ox.RdfFormat.JSON_LD)),
        GraphWriter("rdfxml", "rdf", "application/rdf+xml", "RDF/XML",
                    _oxigraph_writer(ox.RdfFormat.RDF_XML)),
    )
}


def register_writer(writer: GraphWriter) -> None:
    """Add a writer (views register graphml/gexf this way); a name can be registered once."""
    GRAPH_WRITERS[writer.name] = writer


def get_writer(name: str) -> GraphWriter:
    writer = GRAPH_WRITERS.get(name)
    if writer is None:
        raise FormatError(f"unknown output format {name!r}; choose one of: {', '.join(sorted(GRAPH_WRITERS))}")
    return writer


def serialize(triples: Iterable, format: str = "turtle", base: str = "https://w3id.org/paperkg/id/") -> bytes:
    """The graph in ``format`` as bytes (pure)."""
    import io

    buffer = io.BytesIO()
    get_writer(format).write(canonical_order(triples), buffer, data_prefixes(base))
    return buffer.getvalue()


def write_graph(triples: Iterable, path: str | os.PathLike, format: str = "turtle",
                base: str = "https://w3id.org/paperkg/id/", presorted: bool = False) -> Path:
    """Write the graph to ``path`` atomically (a temporary file renamed into place)."""
    path = Path(path)
    writer = get_writer(format)
    ordered = triples if presorted else canonical_order(triples)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as out:
            writer.write(ordered, out, data_prefixes(base))
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path
