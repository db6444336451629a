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


DATASET_FORMATS = {"nquads": "N_QUADS", "trig": "TRIG"}


def export_graph(directory: str | os.PathLike = "output", format: str = "turtle",
                 output: str | os.PathLike | None = None, base: str | None = None) -> bytes:
    """The graph of a build folder in ``format``; written to ``output`` when given (atomically).

    N-Quads and TriG hold the whole dataset: the merged graph as the default graph and each
    listing's provenance graph (``<base>listing/<slug>``) as a named graph. The other formats hold the
    merged (default) graph.
    """
    from .export import get_writer, serialize, write_graph

    try:
        from . import graphs  # noqa: F401 - registers graphml/gexf when available
    except ImportError:
        pass
    get_writer(format)
    if format in DATASET_FORMATS:
        return _export_dataset(directory, format, output, base)
    triples = store_triples(directory)
    base = base or _detect_base(triples)
    if output is not None:
        write_graph(triples, output, format, base=base)
        return b""
    return serialize(triples, format, base=base)


def _export_dataset(directory, format: str, output, base: str | None) -> bytes:
    import tempfile

    import pyoxigraph as ox

    from .build import dump_store
    from .export import data_prefixes
    from .store import open_store

    store = open_store(directory)
    prefixes = data_prefixes(base or _store_base(store))
    target = Path(output) if output is not None else None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dataset"
        dump_store(store, path, getattr(ox.RdfFormat, DATASET_FORMATS[format]), prefixes=prefixes)
        if target is None:
            return path.read_bytes()
        partial = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        try:
            import shutil

            shutil.copyfile(path, partial)
            os.replace(partial, target)
        finally:
            if partial.exists():
                partial.unlink()
    return b""


def _store_base(store) -> str:
    import pyoxigraph as ox

    from .build import DEFAULT_BASE
    from .namespaces import PKG, RDF

    for quad in store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(PKG.Paper)),
                                        ox.DefaultGraph()):
        value = quad.subject.value
        if "/paper/" in value:
            return value.rsplit("/paper/", 1)[0] + "/"
    return DEFAULT_BASE


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
