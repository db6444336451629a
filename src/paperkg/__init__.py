"""paperkg: turn raw listings of research papers into a knowledge graph you can query and explore.

The library is the product; the ``paperkg`` command is a thin layer over these functions::

    from paperkg import build_graph, read_listing, open_graph
    summary = build_graph(["listings/"], "output")
    graph = open_graph("output")          # an rdflib Graph over the Oxigraph store
"""

from __future__ import annotations

from importlib import import_module

from .errors import FormatError, InputError, PaperKGError, QueryError, StoreError, StrictModeError

__version__ = "0.1.0"

# Public names → the module that defines them; imported on first use so `import paperkg` stays light.
_EXPORTS = {
    "build_graph": "build", "build_triples": "build", "read_inputs": "build", "BuildSummary": "build",
    "read_listing": "readers", "parse_listing": "readers", "detect_format": "readers",
    "LISTING_READERS": "readers",
    "resolve": "resolve", "to_triples": "mapping", "to_graph": "mapping",
    "serialize": "export", "write_graph": "export", "GRAPH_WRITERS": "export",
    "open_store": "store", "open_graph": "store",
    "export_graph": "api", "validate_store": "api", "store_triples": "api",
    "validate_graph": "validate",
    "Record": "records", "PersonName": "records", "PaperDate": "records", "FailedRecord": "records",
    "query": "sparql", "extract": "extract",
}


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'paperkg' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__all__ = ["FormatError", "InputError", "PaperKGError", "QueryError", "StoreError", "StrictModeError",
           *_EXPORTS]
