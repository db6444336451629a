"""RDF mapping: resolved papers, people, organizations and extracted knowledge → triples.

Triples are plain tuples of pyoxigraph terms, so they can stream into the store without an rdflib
graph in between; :func:`to_graph` gives an rdflib ``Graph`` for library users who want one.

Data IRIs (all below ``base``, deterministic, see :mod:`paperkg.ids`):

=====================  =====================================================================
``paper/<slug>``       a paper, slug of its title
``authorship/<slug>-N`` the N-th author place on that paper
``author/<slug>``      a person ("first-given family"; the full name only when two people share it)
``org/<slug>``         an organization
``category/<id>``      an arXiv class such as ``cs.LG``
``listing/<slug>``     an input file, slug of its path relative to the folder given to ``build``
``record/<listing>-L<line>``  one record of a listing: which listing, which line (``pkg:line``)
``benchmark/…``, ``method/…``, ``task/…``, ``metric/…``  named entities from titles and abstracts
``result/<hash>``      one reported result
=====================  =====================================================================
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pyoxigraph import Literal, NamedNode

from .ids import short_hash, slugify
from .namespaces import DCTERMS, FOAF, PKG, PROV, RDF, RDFS, SCHEMA, SKOS, XSD
from .resolve import Resolution

if TYPE_CHECKING:  # pragma: no cover
    import rdflib

    from .extract import Extraction

Triple = tuple[NamedNode, NamedNode, NamedNode | Literal]

_SAFE_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_ENTITY_SEGMENT = {"Benchmark": "benchmark", "Method": "method", "Task": "task", "Metric": "metric"}
_USE_PREDICATE = {"Benchmark": "evaluatesOn", "Method": "usesMethod", "Task": "addressesTask",
                  "Metric": "usesMetric"}


def _n(term) -> NamedNode:
    return NamedNode(str(term))


# Predicates and classes used below, resolved once (the closed namespace rejects typos at import).
A = _n(RDF.type)
T_TITLE, T_ABSTRACT, T_ISSUED, T_CREATOR, T_IDENTIFIER = (
    _n(DCTERMS.title), _n(DCTERMS.abstract), _n(DCTERMS.issued), _n(DCTERMS.creator),
    _n(DCTERMS.identifier))
T_NAME, T_GIVEN, T_FAMILY = _n(FOAF.name), _n(FOAF.givenName), _n(FOAF.familyName)
T_LABEL, T_ALT, T_NOTATION = _n(RDFS.label), _n(SKOS.altLabel), _n(SKOS.notation)
T_DERIVED = _n(PROV.wasDerivedFrom)
T_URL = _n(SCHEMA.url)


def _pkg(name: str) -> NamedNode:
    return _n(getattr(PKG, name))


def _xsd(name: str) -> NamedNode:
    return _n(getattr(XSD, name))


XSD_INTEGER, XSD_BOOLEAN, XSD_DECIMAL = _xsd("integer"), _xsd("boolean"), _xsd("decimal")


def _int(value: int) -> Literal:
    return Literal(str(int(value)), datatype=XSD_INTEGER)


def _bool(value: bool) -> Literal:
    return Literal("true" if value else "false", datatype=XSD_BOOLEAN)


def _str(value: str) -> Literal:
    return Literal(value)


@dataclass(frozen=True, slots=True)
class EntityNode:
    """One benchmark/method/task/metric node after merging mentions across papers."""

    type: str
    iri: NamedNode
    label: str
    aliases: frozenset[str]


class IriMinter:
    """Turns node kinds and slugs into IRIs below one base."""

    def __init__(self, base: str) -> None:
        if not base.endswith(("/", "#")):
            base += "/"
        self.base = base

    def __call__(self, kind: str, slug: str) -> NamedNode:
        return NamedNode(f"{self.base}{kind}/{slug}")


def listing_slug(listing_id: str) -> str:
    return slugify(listing_id, max_len=120)


def to_triples(resolution: Resolution, extractions: Mapping[str, Extraction] | None = None,
               base: str = "https://w3id.org/paperkg/id/") -> Iterator[Triple]:
    """Every triple of the graph, paper by paper (pure: no I/O)."""
    iri = IriMinter(base)
    people, orgs = resolution.people, resolution.organizations
    from .normalize import category_info

    def agent_iri(key: str, is_org: bool) -> NamedNode:
        return iri("org", orgs[key].slug) if is_org else iri("author", people[key].slug)

    # Listings and their owners.
    listing_iris: dict[str, NamedNode] = {}
    for listing in resolution.listings:
        node = listing_iris[listing.id] = iri("listing", listing_slug(listing.id))
        yield node, A, _pkg("Listing")
        yield node, T_LABEL, _str(listing.id)
        yield node, _pkg("fileName"), _str(listing.id.rsplit("/", 1)[-1])
        yield node, _pkg("readerFormat"), _str(listing.format)
        yield node, _pkg("sha256"), _str(listing.sha256)
        yield node, _pkg("recordCount"), _int(len(listing.records))
        if listing.page_date:
            yield node, _pkg("pageDate"), _str(listing.page_date)
        owner = resolution.owners.get(listing.id)
        if owner is not None:
            yield node, _pkg("owner"), iri("author", people[owner].slug)

    for person in sorted(people.values(), key=lambda p: p.slug):
        node = iri("author", person.slug)
        yield node, A, _pkg("Author")
        yield node, T_NAME, _str(person.name)
        if person.given:
            yield node, T_GIVEN, _str(person.given)
        if person.family:
            yield node, T_FAMILY, _str(person.family)
        for variant in sorted(person.variants - {person.name}):
            yield node, T_ALT, _str(variant)

    for org in sorted(orgs.values(), key=lambda o: o.slug):
        node = iri("org", org.slug)
        yield node, A, _pkg("Organization")
        yield node, T_NAME, _str(org.name)
        for alias in sorted(org.aliases - {org.name}):
            yield node, T_ALT, _str(alias)

    categories: dict[str, set[str]] = defaultdict(set)
    category_labels: dict[str, str] = {}
    entities = _entity_nodes(resolution, extractions or {}, iri)

    for paper in sorted(resolution.papers.values(), key=lambda p: p.slug):
        node = iri("paper", paper.slug)
        yield node, A, _pkg("Paper")
        yield node, T_TITLE, _str(paper.title)
        if paper.abstract:
            yield node, T_ABSTRACT, _str(paper.abstract)
        if paper.date is not None:
            yield node, T_ISSUED, Literal(paper.date.lexical, datatype=_xsd(paper.date.datatype))
            yield node, _pkg("dateAsWritten"), _str(paper.date.as_written)
        for authorship in paper.authorships:
            place = iri("authorship", f"{paper.slug}-{authorship.position}")
            agent = agent_iri(authorship.agent, authorship.is_organization)
            yield node, _pkg("authorship"), place
            yield place, A, _pkg("Authorship")
            yield place, _pkg("author"), agent
            yield place, _pkg("position"), _int(authorship.position)
            yield place, _pkg("nameAsWritten"), _str(authorship.name_as_written)
            yield node, T_CREATOR, agent
        for agent_key, is_org in paper.extra_creators:
            yield node, T_CREATOR, agent_iri(agent_key, is_org)
        if paper.author_count is not None:
            yield node, _pkg("authorCount"), _int(paper.author_count)
        if paper.authors_complete is not None:
            yield node, _pkg("authorListComplete"), _bool(paper.authors_complete)
        for org_key in paper.organizations:
            yield node, _pkg("affiliation"), iri("org", orgs[org_key].slug)
        for written in paper.categories:
            info = category_info(written)
            if info is None:
                continue
            arxiv_id, label = info
            categories[arxiv_id].add(written)
            category_labels[arxiv_id] = label
            yield node, _pkg("category"), iri("category", arxiv_id)
        if paper.has_code is not None:
            yield node, _pkg("hasCode"), _bool(paper.has_code)
        if paper.upvotes is not None:
            yield node, _pkg("upvotes"), _int(paper.upvotes)
        code_urls = list(paper.code_urls)
        extraction = (extractions or {}).get(paper.key)
        if extraction is not None:
            code_urls += [u for u in extraction.code_urls if u not in code_urls]
        for url in code_urls:
            if _SAFE_IRI.match(url):
                yield node, _pkg("codeRepository"), NamedNode(url)
        for url in paper.urls:
            if _SAFE_IRI.match(url):
                yield node, T_URL, NamedNode(url)
        for identifier in paper.record_ids:
            yield node, T_IDENTIFIER, _str(identifier)
        for source in paper.sources:
            listing_node = listing_iris[source.listing]
            record = iri("record", f"{listing_slug(source.listing)}-L{source.line}")
            yield node, T_DERIVED, listing_node
            yield node, _pkg("sourceRecord"), record
            yield record, A, _pkg("SourceRecord")
            yield record, _pkg("fromListing"), listing_node
            yield record, _pkg("line"), _int(source.line)
            yield record, _pkg("titleAsWritten"), _str(source.title_as_written)
        if extraction is not None:
            yield from _knowledge_triples(node, paper.key, extraction, entities, iri)

    for arxiv_id in sorted(categories):
        node = iri("category", arxiv_id)
        yield node, A, _pkg("Category")
        yield node, T_LABEL, _str(category_labels[arxiv_id])
        yield node, T_NOTATION, _str(arxiv_id)
        yield node, _pkg("arxivClass"), _str(arxiv_id)
        for written in sorted(categories[arxiv_id] - {arxiv_id}):
            yield node, T_ALT, _str(written)

    for entity in sorted({e.iri.value: e for e in entities.values()}.values(), key=lambda e: e.iri.value):
        yield entity.iri, A, _pkg(entity.type)
        yield entity.iri, T_LABEL, _str(entity.label)
        for alias in sorted(entity.aliases - {entity.label}):
            yield entity.iri, T_ALT, _str(alias)


def _entity_nodes(resolution: Resolution, extractions: Mapping[str, Extraction],
                  iri: IriMinter) -> dict[tuple[str, str], EntityNode]:
    """Merge mentions into entity nodes: within a type, names whose keys coincide are one node."""
    if not extractions:
        return {}
    from .extract import entity_key

    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    labels: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    names: dict[tuple[str, str], set[str]] = defaultdict(set)
    for paper_key in sorted(extractions):
        extraction = extractions[paper_key]
        for m in extraction.mentions:
            keys = [(m.type, entity_key(m.type, n)) for n in (m.canonical, *m.aliases, m.text) if n]
            keys = [k for k in keys if k[1]]
            if not keys:
                continue
            root = find(keys[0])
            for k in keys[1:]:
                other = find(k)
                if other != root:
                    parent[max(root, other)] = min(root, other)
                    root = min(root, other)
            labels[keys[0]][m.canonical] += 1
            names[keys[0]].update(n for n in (m.canonical, *m.aliases, m.text) if n)

    groups: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for k in list(parent):
        groups[find(k)].append(k)
    nodes: dict[tuple[str, str], EntityNode] = {}
    for root, members in groups.items():
        counts: dict[str, int] = defaultdict(int)
        all_names: set[str] = set()
        for k in members:
            for label, c in labels.get(k, {}).items():
                counts[label] += c
            all_names |= names.get(k, set())
        label = min(counts, key=lambda name: (-counts[name], name)) if counts else root[1]
        node = EntityNode(type=root[0], iri=iri(_ENTITY_SEGMENT[root[0]], slugify(label)), label=label,
                          aliases=frozenset(all_names))
        for k in members:
            nodes[k] = node
    return nodes


def _knowledge_triples(paper: NamedNode, paper_key: str, extraction: Extraction,
                       entities: dict[tuple[str, str], EntityNode], iri: IriMinter) -> Iterator[Triple]:
    from .extract import entity_key

    by_name: dict[tuple[str, str], EntityNode] = {}
    seen: set[tuple[str, str]] = set()
    introduced: set[str] = {e.iri.value for m in extraction.mentions if m.introduced
                            for e in [entities.get((m.type, entity_key(m.type, m.canonical)))] if e}
    for m in extraction.mentions:
        node = entities.get((m.type, entity_key(m.type, m.canonical)))
        if node is None:
            continue
        by_name[(m.type, m.canonical)] = node
        if node.iri.value in introduced and m.type in ("Benchmark", "Method"):
            predicate = "proposes"
        else:
            predicate = _USE_PREDICATE[m.type]
        if (predicate, node.iri.value) not in seen:
            seen.add((predicate, node.iri.value))
            yield paper, _pkg(predicate), node.iri
            if ("mentions", node.iri.value) not in seen:
                seen.add(("mentions", node.iri.value))
                yield paper, _pkg("mentions"), node.iri

    def lookup(type_: str, name: str | None) -> EntityNode | None:
        if not name:
            return None
        return by_name.get((type_, name)) or entities.get((type_, entity_key(type_, name)))

    for result in extraction.results:
        bench = lookup("Benchmark", result.benchmark)
        if bench is None:
            continue
        node = iri("result", short_hash("|".join(
            [paper_key, str(result.value), result.metric or "", result.benchmark or "", str(result.start)]), 16))
        yield paper, _pkg("reportsResult"), node
        yield node, A, _pkg("Result")
        yield node, _pkg("onBenchmark"), bench.iri
        yield node, _pkg("value"), Literal(format(result.value, "f"), datatype=XSD_DECIMAL)
        metric = lookup("Metric", result.metric)
        if metric is not None:
            yield node, _pkg("metric"), metric.iri
        method = lookup("Method", result.method)
        if method is not None:
            yield node, _pkg("ofMethod"), method.iri
        if result.unit:
            yield node, _pkg("unit"), _str(result.unit)
        yield node, _pkg("evidence"), _str(result.evidence)
        yield node, _pkg("relative"), _bool(result.relative)
        baseline = lookup("Method", result.compared_to)
        if baseline is not None:
            yield node, _pkg("comparedTo"), baseline.iri


def to_graph(triples: Iterable[Triple]) -> rdflib.Graph:
    """An rdflib ``Graph`` holding the given triples (for library users with rdflib code)."""
    import rdflib

    from .namespaces import PREFIXES

    graph = rdflib.Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for s, p, o in triples:
        graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    return graph


def to_rdflib(term):
    import rdflib

    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == str(XSD.string):
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype), normalize=False)
    return rdflib.BNode(term.value)
