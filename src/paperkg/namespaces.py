"""The RDF vocabulary as Python names.

``PKG`` is a closed namespace: ``PKG.Paper`` is a term, ``PKG.Papr`` raises ``AttributeError``. It names
exactly the terms declared in ``ontology/paperkg.ttl`` (a test keeps the two in step), so a new term is
added in both places. The reused vocabularies are re-exported from rdflib so the rest of paperkg imports
every namespace from here.
"""

# No ``from __future__ import annotations`` here: DefinedNamespace reads the annotations below as
# classes (rdflib's ``as_jsonld_context`` checks ``issubclass(term, URIRef)``).

from rdflib import Graph
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace, Namespace
from rdflib.term import URIRef

__all__ = [
    "DCTERMS",
    "DEFAULT_BASE",
    "FOAF",
    "OWL",
    "PKG",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SKOS",
    "XSD",
    "bind_prefixes",
]

DEFAULT_BASE = "https://w3id.org/paperkg/id/"
"""Default prefix of data IRIs (``paper/…``, ``author/…``, …); ``--base`` overrides it."""

# rdflib's own SDO is also https://schema.org/, but as an open Namespace any schema.org term works.
SCHEMA = Namespace("https://schema.org/")


class PKG(DefinedNamespace):
    """paperkg ontology: https://w3id.org/paperkg/ontology#"""

    _fail = True
    _NS = Namespace("https://w3id.org/paperkg/ontology#")

    # Classes
    Paper: URIRef  # A research paper.
    Author: URIRef  # A person who wrote papers.
    Organization: URIRef  # A lab, company, university, or a team listed as author.
    Authorship: URIRef  # One author's place on one paper (position, name as written).
    Benchmark: URIRef  # A named dataset, benchmark, evaluation suite or environment.
    Method: URIRef  # A named method, model, algorithm, architecture, optimizer or system.
    Task: URIRef  # A research problem or task.
    Metric: URIRef  # An evaluation metric.
    Result: URIRef  # A reported result: value of a metric on a benchmark (optionally by a method).
    Category: URIRef  # A subject category such as an arXiv class (cs.LG).
    Listing: URIRef  # One input file that records were read from.
    SourceRecord: URIRef  # One record as read from one listing (which listing, which line).
    Collaboration: URIRef  # Two people who share at least two papers.

    # Properties of papers
    dateAsWritten: URIRef  # The date text as the listing showed it.
    authorship: URIRef  # Paper -> Authorship.
    authorCount: URIRef  # How many authors the paper has, when known.
    authorListComplete: URIRef  # False when the listing truncated the author list ("et al.").
    affiliation: URIRef  # Paper -> Organization the listing attaches to it.
    category: URIRef  # Paper -> Category (subproperty of dcterms:subject).
    hasCode: URIRef  # Whether code is available, when the listing says so.
    codeRepository: URIRef  # Paper -> code URL as an IRI (subproperty of schema:codeRepository).
    upvotes: URIRef  # Upvotes the listing shows.
    mentions: URIRef  # Paper -> any named Benchmark, Method, Task or Metric.
    proposes: URIRef  # Paper -> Method or Benchmark it introduces.
    usesMethod: URIRef  # Paper -> Method it uses or compares against.
    evaluatesOn: URIRef  # Paper -> Benchmark it evaluates on.
    addressesTask: URIRef  # Paper -> Task.
    usesMetric: URIRef  # Paper -> Metric.
    reportsResult: URIRef  # Paper -> Result.
    sourceRecord: URIRef  # Paper -> SourceRecord it was read from.

    # Properties of authorships
    author: URIRef  # Authorship -> Author or Organization.
    position: URIRef  # 1-based place in the author list.
    nameAsWritten: URIRef  # The name exactly as the listing wrote it.

    # Properties of results
    onBenchmark: URIRef  # Result -> Benchmark.
    metric: URIRef  # Result -> Metric.
    value: URIRef  # Result -> xsd:decimal.
    ofMethod: URIRef  # Result -> Method that obtained it.
    unit: URIRef  # Unit of the value as written ("%").
    evidence: URIRef  # The sentence the result was read from.
    relative: URIRef  # True when the value is a gain or difference, not a score.
    comparedTo: URIRef  # Result -> baseline Method of a relative result.

    # Properties of source records
    fromListing: URIRef  # SourceRecord -> Listing.
    line: URIRef  # 1-based line where the record starts.
    titleAsWritten: URIRef  # The title exactly as this record wrote it.

    # Properties of collaborations
    collaborator: URIRef  # Collaboration -> one of its two Authors.
    sharedPapers: URIRef  # How many papers the two share.

    # Properties of listings
    readerFormat: URIRef  # Name of the reader that parsed the listing ("lab-list").
    fileName: URIRef  # The listing's file name.
    sha256: URIRef  # SHA-256 of the listing's bytes (64 lowercase hex digits).
    recordCount: URIRef  # Records read from the listing.
    owner: URIRef  # Listing -> Author whose profile export it is.
    pageDate: URIRef  # Date a dated page was published, as written.

    # Properties of categories
    arxivClass: URIRef  # arXiv class code ("cs.LG"; subproperty of skos:notation).


PREFIXES: dict[str, str] = {
    "pkg": str(PKG),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "prov": str(PROV),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "rdf": str(RDF),
}
"""Prefix -> namespace IRI: bound for Turtle output and predeclared in SPARQL queries."""


def bind_prefixes(graph: Graph) -> Graph:
    """Bind every prefix of ``PREFIXES`` on ``graph`` (replacing rdflib's defaults) and return it."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph
