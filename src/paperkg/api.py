"""Library functions behind the commands that read a built graph."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import PaperKGError


def store_triples(directory: str | os.PathLike = "output") -> list:
    """Every triple of the current store, as pyoxigraph terms (default graph)."""
    import pyoxigraph as ox

    from .store import open_store

    store = open_store(directory)
    return [(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())]


def export_graph(directory: str | os.PathLike = "output", format: str = "turtle",
                 output: str | os.PathLike | None = None, base: str | None = None) -> bytes:
    """The graph of a build folder in ``format``; written to ``output`` when given (atomically)."""
    from .export import get_writer, serialize, write_graph

    try:
        from . import graphs  # noqa: F401 - registers graphml/gexf when available
    except ImportError:
        pass
    get_writer(format)
    triples = store_triples(directory)
    base = base or _detect_base(triples)
    if output is not None:
        write_graph(triples, output, format, base=base)
        return b""
    return serialize(triples, format, base=base)


def _detect_base(triples) -> str:
    from .build import DEFAULT_BASE
    from .namespaces import PKG, RDF

    paper_class = str(PKG.Paper)
    for s, p, o in triples:
        if p.value == str(RDF.type) and o.value == paper_class and "/paper/" in s.value:
            return s.value.rsplit("/paper/", 1)[0] + "/"
    return DEFAULT_BASE


def validate_store(directory: str | os.PathLike = "output", shapes: str | os.PathLike | None = None):
    """SHACL validation of the built graph (see :func:`paperkg.validate.validate_graph`)."""
    from .mapping import to_graph
    from .validate import validate_graph

    graph = to_graph(store_triples(directory))
    return validate_graph(graph, Path(shapes) if shapes else None)


__all__ = ["PaperKGError", "export_graph", "store_triples", "validate_store"]
