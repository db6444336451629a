"""SHACL validation of a paperkg graph against the shipped shapes.

The shapes (and the ontology) ship inside the package at ``paperkg/data/ontology/`` as copies of the
repository's ``ontology/*.ttl``, so validation works from an installed wheel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import ConjunctiveGraph
from rdflib.namespace import SH
from rdflib.plugins.stores.memory import Memory
from rdflib.term import Node

from paperkg.errors import PaperKGError
from paperkg.namespaces import PREFIXES

__all__ = [
    "ONTOLOGY_RESOURCE",
    "SHAPES_RESOURCE",
    "ValidationReport",
    "ValidationResult",
    "load_ontology",
    "load_shapes",
    "validate_graph",
]

_DATA = resources.files("paperkg").joinpath("data").joinpath("ontology")
ONTOLOGY_RESOURCE = _DATA.joinpath("paperkg.ttl")
"""The packaged copy of ``ontology/paperkg.ttl``."""
SHAPES_RESOURCE = _DATA.joinpath("shapes.ttl")
"""The packaged copy of ``ontology/shapes.ttl``."""

_SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """One SHACL result: which node broke which constraint, and why."""

    focus_node: Node
    path: Node | None
    message: str
    severity: str  # "Violation", "Warning" or "Info"
    value: Node | None = None
    source_shape: Node | None = None

    def __str__(self) -> str:
        where = _short(self.focus_node)
        if self.path is not None:
            where += f" {_short(self.path)}"
        if self.value is not None:
            where += f" = {_short(self.value)}"
        return f"{self.severity}: {where}: {self.message}"


@dataclass(slots=True)
class ValidationReport:
    """The outcome of :func:`validate_graph`. ``results`` is sorted, so reports are reproducible."""

    conforms: bool
    results: list[ValidationResult] = field(default_factory=list)

    @property
    def text(self) -> str:
        """A human-readable summary: one line of verdict, then one line per result."""
        if self.conforms and not self.results:
            return "Conforms: the graph satisfies every shape."
        counts: dict[str, int] = {}
        for result in self.results:
            counts[result.severity] = counts.get(result.severity, 0) + 1
        tally = ", ".join(f"{n} {severity.lower()}{'s' if n != 1 else ''}" for severity, n in counts.items())
        verdict = "Conforms" if self.conforms else "Does not conform"
        return "\n".join([f"{verdict}: {tally}.", *(f"  {result}" for result in self.results)])


def load_shapes(shapes_path: str | Path | None = None) -> Graph:
    """Parse the SHACL shapes: ``shapes_path`` if given, else the packaged ``shapes.ttl``."""
    if shapes_path is None:
        return _parse_text(_packaged_text("shapes.ttl"), "paperkg/data/ontology/shapes.ttl")
    return _parse_file(Path(shapes_path))


def load_ontology() -> Graph:
    """Parse the packaged copy of ``ontology/paperkg.ttl``."""
    return _parse_text(_packaged_text("paperkg.ttl"), "paperkg/data/ontology/paperkg.ttl")


def validate_graph(data_graph: Graph, shapes_path: str | Path | None = None) -> ValidationReport:
    """Check ``data_graph`` against the paperkg SHACL shapes (or those in ``shapes_path``).

    No inference is run: the graph paperkg builds types every node explicitly, and skipping RDFS
    expansion keeps validation to about a second on tens of thousands of triples. A Dataset or
    ConjunctiveGraph is validated as the union of its graphs. ``data_graph`` is not modified.
    """
    import pyshacl  # heavy import, only needed here

    shapes = load_shapes(shapes_path)
    data_graph = _in_memory(data_graph)
    try:
        conforms, results_graph, _ = pyshacl.validate(
            data_graph,
            shacl_graph=shapes,
            inference="none",
            abort_on_first=False,
            allow_infos=True,
            allow_warnings=True,
            advanced=False,
            meta_shacl=False,
        )
    except Exception as exc:  # pyshacl raises its own types for broken shapes
        raise PaperKGError(f"SHACL validation failed to run: {exc}") from exc
    return ValidationReport(conforms=bool(conforms), results=_read_results(results_graph))


def _read_results(results_graph: Graph) -> list[ValidationResult]:
    results = []
    # Only the report's own sh:result values: results nested under sh:detail (why an sh:node check
    # failed) restate the outer result, whose message already says what is wrong.
    for node in results_graph.objects(None, SH.result):
        messages = sorted(str(m) for m in results_graph.objects(node, SH.resultMessage))
        severity = results_graph.value(node, SH.resultSeverity)
        results.append(
            ValidationResult(
                focus_node=results_graph.value(node, SH.focusNode),
                path=results_graph.value(node, SH.resultPath),
                message=" ".join(messages) or "(no message)",
                severity=_SEVERITIES.get(severity, str(severity)),
                value=results_graph.value(node, SH.value),
                source_shape=results_graph.value(node, SH.sourceShape),
            )
        )
    results.sort(key=lambda r: (str(r.focus_node), str(r.path), r.message, str(r.value)))
    return results


@cache
def _packaged_text(name: str) -> str:
    # The text is cached rather than the parsed graph: pyshacl adds triples to the shapes graph it is
    # given, so every validation gets a freshly parsed one.
    try:
        return _DATA.joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise PaperKGError(f"packaged file missing: paperkg/data/ontology/{name}") from exc


def _parse_file(path: Path) -> Graph:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PaperKGError(f"cannot read shapes file {path}: {exc.strerror or exc}") from exc
    return _parse_text(text, str(path))


def _parse_text(text: str, origin: str) -> Graph:
    try:
        return Graph().parse(data=text, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types for bad Turtle
        raise PaperKGError(f"cannot parse {origin} as Turtle: {exc}") from exc


def _in_memory(data_graph: Graph) -> Graph:
    """``data_graph`` itself if pyshacl can walk it quickly, else a plain in-memory copy.

    pyshacl makes hundreds of thousands of small lookups; through a persistent store (such as the
    Oxigraph store ``paperkg build`` writes) they take minutes instead of a second, so one bulk copy
    is far cheaper. Datasets are flattened into the union of their graphs.
    """
    if isinstance(data_graph, ConjunctiveGraph):
        union = Graph()
        for s, p, o, _ in data_graph.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    if isinstance(data_graph.store, Memory):
        return data_graph
    copy = Graph()
    for triple in data_graph:
        copy.add(triple)
    return copy


def _short(node: Node) -> str:
    """``pkg:Paper`` for IRIs in a known namespace, ``<iri>`` otherwise, N3 for literals."""
    if isinstance(node, URIRef):
        for prefix, iri in PREFIXES.items():
            if node.startswith(iri) and len(node) > len(iri):
                return f"{prefix}:{node[len(iri) :]}"
        return f"<{node}>"
    if isinstance(node, (Literal, BNode)):
        return node.n3()
    return str(node)
