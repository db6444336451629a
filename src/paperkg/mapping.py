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

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
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
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@functools.lru_cache(maxsize=1 << 14)
def web_iri(url: str) -> str | None:
    """``url`` (a web address read from a listing or an abstract) as an IRI the store accepts, or None.

    Only ``http(s)://`` addresses without spaces or the characters IRIs forbid are taken. A listing's
    loose writing is repaired rather than dropped: a ``%`` that starts no escape becomes ``%25``, a
    second ``#`` becomes ``%23`` and a control character its escape. What still fails Oxigraph's own IRI
    parser (a malformed host or port) is dropped. The graph's IRIs are all checked here or built from
    slugs, so the store can load the build's N-Quads without checking them again (``lenient``)."""
    if not _SAFE_IRI.match(url):
        return None
    for candidate in (url, _repaired_iri(url)):
        try:
            NamedNode(candidate)
        except ValueError:
            continue
        return candidate
    return None


def _repaired_iri(url: str) -> str:
    url = _STRAY_PERCENT.sub("%25", url)
    url = _CONTROL.sub(lambda m: f"%{ord(m.group()):02X}", url)
    head, hash_, fragment = url.partition("#")
    return head + hash_ + fragment.replace("#", "%23")
_ENTITY_SEGMENT = {"Benchmark": "benchmark", "Method": "method", "Task": "task", "Metric": "metric"}
_USE_PREDICATE = {"Benchmark": "evaluatesOn", "Method": "usesMethod", "Task": "addressesTask",
                  "Metric": "usesMetric"}


# Triples are built as plain strings first ("s-triples"): an IRI is a ``str``, a literal a ``(lexical,
# datatype IRI or None)`` tuple. Building millions of pyoxigraph terms in Python costs more than the
# whole store load, so the build writes s-triples straight to N-Quads text (:func:`nquad`) and only
# :func:`to_triples` turns them into pyoxigraph terms for library users.
STriple = tuple[str, str, "str | tuple[str, str | None]"]


def _n(term) -> str:
    return str(term)


A = _n(RDF.type)
T_TITLE, T_ABSTRACT, T_ISSUED, T_CREATOR, T_IDENTIFIER = (
    _n(DCTERMS.title), _n(DCTERMS.abstract), _n(DCTERMS.issued), _n(DCTERMS.creator),
    _n(DCTERMS.identifier))
T_NAME, T_GIVEN, T_FAMILY = _n(FOAF.name), _n(FOAF.givenName), _n(FOAF.familyName)
T_LABEL, T_ALT, T_NOTATION = _n(RDFS.label), _n(SKOS.altLabel), _n(SKOS.notation)
T_DERIVED = _n(PROV.wasDerivedFrom)
T_URL = _n(SCHEMA.url)


@functools.cache
def _pkg(name: str) -> str:
    return _n(getattr(PKG, name))  # the closed namespace rejects typos


_USE_IRI = {type_: _pkg(name) for type_, name in _USE_PREDICATE.items()}  # what a paper does with an entity


@functools.cache
def _xsd(name: str) -> str:
    return _n(getattr(XSD, name))


XSD_INTEGER, XSD_BOOLEAN, XSD_DECIMAL, XSD_STRING = _xsd("integer"), _xsd("boolean"), _xsd("decimal"), \
    _xsd("string")
_TRUE, _FALSE = ("true", XSD_BOOLEAN), ("false", XSD_BOOLEAN)


def _int(value: int) -> tuple[str, str]:
    return (str(int(value)), XSD_INTEGER)


def _bool(value: bool) -> tuple[str, str]:
    return _TRUE if value else _FALSE


def _str(value: str) -> tuple[str, None]:
    return (value, None)


# ------------------------------------------------------------------------------ term conversion
_NN_CACHE: dict[str, NamedNode] = {}


def _named(value: str) -> NamedNode:
    node = _NN_CACHE.get(value)
    if node is None:
        node = NamedNode(value)
        if len(_NN_CACHE) < 4096:  # predicates, classes and datatypes: a small, hot set
            _NN_CACHE[value] = node
    return node


def ox_term(term) -> NamedNode | Literal:
    """An s-triple term as a pyoxigraph term."""
    if type(term) is str:
        return NamedNode(term)
    value, datatype = term
    return Literal(value) if datatype is None else Literal(value, datatype=_named(datatype))


def ox_triple(triple: STriple) -> Triple:
    s, p, o = triple
    return NamedNode(s), _named(p), ox_term(o)


_NT_ESCAPE = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _nt_escaped(value: str) -> str:
    # Few literals need escaping: four scans in C cost less than translate's per-character lookups.
    if '"' in value or "\\" in value or "\n" in value or "\r" in value:
        return value.translate(_NT_ESCAPE)
    return value


def nt_term(term) -> str:
    """An s-triple term in N-Triples syntax."""
    if type(term) is str:
        return f"<{term}>"
    value, datatype = term
    if datatype is None:
        return f'"{_nt_escaped(value)}"'
    return f'"{_nt_escaped(value)}"^^<{datatype}>'


def nquad(triple: STriple, graph: str | None = None) -> str:
    """One N-Quads line (with its newline); ``graph`` None is the default graph."""
    s, p, o = triple
    if graph is None:
        return f"<{s}> <{p}> {nt_term(o)} .\n"
    return f"<{s}> <{p}> {nt_term(o)} <{graph}> .\n"


def nquad_lines(triples: Iterable[STriple], graph: str | None = None) -> list[str]:
    """``[nquad(t, graph) for t in triples]``, formatted in one loop: the build writes millions."""
    end = " .\n" if graph is None else f" <{graph}> .\n"
    return [f"<{s}> <{p}> <{o}>{end}" if type(o) is str
            else f'<{s}> <{p}> "{_nt_escaped(o[0])}"{end}' if o[1] is None
            else f'<{s}> <{p}> "{_nt_escaped(o[0])}"^^<{o[1]}>{end}'
            for s, p, o in triples]


@dataclass(frozen=True, slots=True)
class EntityNode:
    """One benchmark/method/task/metric node after merging mentions across papers."""

    type: str
    iri: str
    label: str
    aliases: frozenset[str]  # its other names (never the label)


_NO_ALIASES: frozenset[str] = frozenset()


class IriMinter:
    """Turns node kinds and slugs into IRIs below one base (``str``; :meth:`node` for a NamedNode)."""

    def __init__(self, base: str) -> None:
        if not base.endswith(("/", "#")):
            base += "/"
        try:  # every IRI is this base, a kind and a slug (letters, digits, '-', '.'): check it once
            NamedNode(f"{base}paper/x")
        except ValueError as exc:
            from .errors import InputError

            raise InputError(f"the base IRI {base!r} is not a valid IRI: {exc}") from None
        self.base = base

    def __call__(self, kind: str, slug: str) -> str:
        return f"{self.base}{kind}/{slug}"

    def node(self, kind: str, slug: str) -> NamedNode:
        return NamedNode(self(kind, slug))


@functools.lru_cache(maxsize=1 << 12)
def listing_slug(listing_id: str) -> str:
    return slugify(listing_id, max_len=120)  # cached: asked for by every source record


def listing_iri(iri: IriMinter, listing_id: str) -> str:
    """The IRI of a listing node, which is also the name of the listing's provenance graph."""
    return iri("listing", listing_slug(listing_id))


@functools.lru_cache(maxsize=1 << 16)
def _category_info(written: str):
    from .normalize import category_info

    return category_info(written)


def entity_slug(label: str) -> str:
    """Slug of an entity's label that keeps the symbols slugs usually drop ("C++", "GSM8K+", "C#")."""
    return slugify(label.replace("+", " plus ").replace("#", " sharp "))


@functools.lru_cache(maxsize=1 << 18)
def _entity_key(type_: str, name: str) -> str:
    from .extract import entity_key

    return entity_key(type_, name)


# ------------------------------------------------------------------------------ sections
def listing_triples(listing, owner_iri: str | None, iri: IriMinter) -> Iterator[STriple]:
    """A listing node: label, file name, reader, checksum, record count, page date, owner."""
    node = listing_iri(iri, listing.id)
    yield node, A, _pkg("Listing")
    yield node, T_LABEL, _str(listing.id)
    yield node, _pkg("fileName"), _str(listing.id.rsplit("/", 1)[-1])
    yield node, _pkg("readerFormat"), _str(listing.format)
    yield node, _pkg("sha256"), _str(listing.sha256)
    yield node, _pkg("recordCount"), _int(listing_record_count(listing))
    if listing.page_date:
        yield node, _pkg("pageDate"), _str(listing.page_date)
    if owner_iri is not None:
        yield node, _pkg("owner"), owner_iri


def listing_record_count(listing) -> int:
    count = getattr(listing, "record_count", None)
    return count if count is not None else len(listing.records)


def person_triples(person, iri: IriMinter) -> Iterator[STriple]:
    node = iri("author", person.slug)
    yield node, A, _pkg("Author")
    yield node, T_NAME, _str(person.name)
    if person.given:
        yield node, T_GIVEN, _str(person.given)
    if person.family:
        yield node, T_FAMILY, _str(person.family)
    for variant in sorted(person.variants - {person.name}):
        yield node, T_ALT, _str(variant)


def organization_triples(org, iri: IriMinter) -> Iterator[STriple]:
    node = iri("org", org.slug)
    yield node, A, _pkg("Organization")
    yield node, T_NAME, _str(org.name)
    for alias in sorted(org.aliases - {org.name}):
        yield node, T_ALT, _str(alias)


class CategoryIndex:
    """Categories seen on papers: arXiv id -> label and the forms it was written in."""

    def __init__(self) -> None:
        self.written: dict[str, set[str]] = defaultdict(set)
        self.labels: dict[str, str] = {}

    def add(self, written: str) -> str | None:
        info = _category_info(written)
        if info is None:
            return None
        arxiv_id, label = info
        self.written[arxiv_id].add(written)
        self.labels[arxiv_id] = label
        return arxiv_id

    def triples(self, iri: IriMinter) -> Iterator[STriple]:
        for arxiv_id in sorted(self.written):
            node = iri("category", arxiv_id)
            yield node, A, _pkg("Category")
            yield node, T_LABEL, _str(self.labels[arxiv_id])
            yield node, T_NOTATION, _str(arxiv_id)
            yield node, _pkg("arxivClass"), _str(arxiv_id)
            for written in sorted(self.written[arxiv_id] - {arxiv_id}):
                yield node, T_ALT, _str(written)


def paper_triples(paper, iri: IriMinter, agent_iri: Callable[[str, bool], str], org_iri: Callable[[str], str],
                  categories: CategoryIndex, extraction: Extraction | None = None,
                  entities: Mapping[tuple[str, str], EntityNode] | None = None) -> Iterator[STriple]:
    """A paper's own triples and those of its authorship and result nodes (not its sources)."""
    node = iri("paper", paper.slug)
    yield node, A, _pkg("Paper")
    yield node, T_TITLE, _str(paper.title)
    if paper.abstract:
        yield node, T_ABSTRACT, _str(paper.abstract)
    if paper.date is not None:
        yield node, T_ISSUED, (paper.date.lexical, _xsd(paper.date.datatype))
        yield node, _pkg("dateAsWritten"), _str(paper.date.as_written)
    p_authorship, p_author, p_position, p_written = (
        _pkg("authorship"), _pkg("author"), _pkg("position"), _pkg("nameAsWritten"))
    c_authorship = _pkg("Authorship")
    for authorship in paper.authorships:
        place = iri("authorship", f"{paper.slug}-{authorship.position}")
        agent = agent_iri(authorship.agent, authorship.is_organization)
        yield node, p_authorship, place
        yield place, A, c_authorship
        yield place, p_author, agent
        yield place, p_position, _int(authorship.position)
        yield place, p_written, _str(authorship.name_as_written)
        yield node, T_CREATOR, agent
    for agent_key, is_org in paper.extra_creators:
        yield node, T_CREATOR, agent_iri(agent_key, is_org)
    if paper.author_count is not None:
        yield node, _pkg("authorCount"), _int(paper.author_count)
    if paper.authors_complete is not None:
        yield node, _pkg("authorListComplete"), _bool(paper.authors_complete)
    for org_key in paper.organizations:
        yield node, _pkg("affiliation"), org_iri(org_key)
    for written in paper.categories:
        arxiv_id = categories.add(written)
        if arxiv_id is not None:
            yield node, _pkg("category"), iri("category", arxiv_id)
    if paper.has_code is not None:
        yield node, _pkg("hasCode"), _bool(paper.has_code)
    if paper.upvotes is not None:
        yield node, _pkg("upvotes"), _int(paper.upvotes)
    code_urls = list(paper.code_urls)
    if extraction is not None:
        code_urls += [u for u in extraction.code_urls if u not in code_urls]
    for url in code_urls:
        if (checked := web_iri(url)) is not None:
            yield node, _pkg("codeRepository"), checked
    for url in paper.urls:
        if (checked := web_iri(url)) is not None:
            yield node, T_URL, checked
    for identifier in paper.record_ids:
        yield node, T_IDENTIFIER, _str(identifier)
    if extraction is not None:
        yield from _knowledge_triples(node, paper.key, extraction, entities or {}, iri)


def source_triples(paper, iri: IriMinter) -> Iterator[tuple[str, STriple]]:
    """``(listing id, triple)`` for each source of a paper: which listing and line it was read from.

    These triples belong to the merged graph and also to the listing's own provenance graph.
    """
    node = iri("paper", paper.slug)
    p_source, p_from, p_line, p_title = (
        _pkg("sourceRecord"), _pkg("fromListing"), _pkg("line"), _pkg("titleAsWritten"))
    c_record = _pkg("SourceRecord")
    for source in paper.sources:
        listing_node = listing_iri(iri, source.listing)
        record = iri("record", f"{listing_slug(source.listing)}-L{source.line}")
        lid = source.listing
        yield lid, (node, T_DERIVED, listing_node)
        yield lid, (node, p_source, record)
        yield lid, (record, A, c_record)
        yield lid, (record, p_from, listing_node)
        yield lid, (record, p_line, _int(source.line))
        yield lid, (record, p_title, _str(source.title_as_written))


def to_triples(resolution: Resolution, extractions: Mapping[str, Extraction] | None = None,
               base: str = "https://w3id.org/paperkg/id/") -> Iterator[Triple]:
    """Every triple of the graph as pyoxigraph terms, paper by paper (pure: no I/O)."""
    for triple in to_striples(resolution, extractions, base):
        yield ox_triple(triple)


def to_striples(resolution: Resolution, extractions: Mapping[str, Extraction] | None = None,
                base: str = "https://w3id.org/paperkg/id/") -> Iterator[STriple]:
    """Every triple of the graph as s-triples (see :data:`STriple`)."""
    iri = IriMinter(base)
    people, orgs = resolution.people, resolution.organizations
    extractions = extractions or {}

    def agent_iri(key: str, is_org: bool) -> str:
        return iri("org", orgs[key].slug) if is_org else iri("author", people[key].slug)

    def org_iri(key: str) -> str:
        return iri("org", orgs[key].slug)

    for listing in resolution.listings:
        owner = resolution.owners.get(listing.id)
        yield from listing_triples(listing, iri("author", people[owner].slug) if owner is not None else None, iri)
    for person in sorted(people.values(), key=lambda p: p.slug):
        yield from person_triples(person, iri)
    for org in sorted(orgs.values(), key=lambda o: o.slug):
        yield from organization_triples(org, iri)

    categories = CategoryIndex()
    index = EntityIndex()
    for key in sorted(extractions):
        index.add(extractions[key])
    entities = index.nodes(iri)
    collaborations = CollaborationCounter()
    for paper in sorted(resolution.papers.values(), key=lambda p: p.slug):
        yield from paper_triples(paper, iri, agent_iri, org_iri, categories, extractions.get(paper.key), entities)
        for _, triple in source_triples(paper, iri):
            yield triple
        collaborations.add(person_creators(paper))
    yield from collaboration_triples(collaborations.pairs(), lambda key: people[key].slug, iri)
    yield from categories.triples(iri)
    yield from entity_triples(entities)


MIN_SHARED_PAPERS = 2
"""Two people are a :class:`pkg:Collaboration` when they share at least this many papers."""


class CollaborationCounter:
    """Recurring collaborations: pairs of people who are creators of at least two of the same papers.

    Fed one paper at a time (:meth:`add`, the person keys of its creators), then :meth:`pairs` counts
    them person by person, so the memory is the papers' person lists, never a table of all pairs
    (which grows with the square of the author-list lengths). Pairs sharing a single paper are not
    materialized: they are exactly the creators of that paper.
    """

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.keys: list[str] = []
        self.papers: list[tuple[int, ...]] = []

    def add(self, person_keys: Iterable[str]) -> None:
        members = []
        for key in dict.fromkeys(person_keys):  # one person listed twice on a paper counts once
            index = self.ids.get(key)
            if index is None:
                index = self.ids[key] = len(self.keys)
                self.keys.append(key)
            members.append(index)
        if len(members) > 1:
            self.papers.append(tuple(members))

    def pairs(self, min_shared: int = MIN_SHARED_PAPERS) -> Iterator[tuple[str, str, int]]:
        """``(person key, person key, shared papers)`` for every pair sharing ``min_shared`` papers or more."""
        by_person: dict[int, list[int]] = defaultdict(list)
        for index, members in enumerate(self.papers):
            for member in members:
                by_person[member].append(index)
        for person, papers in by_person.items():
            if len(papers) < min_shared:
                continue
            counts = Counter()
            for index in papers:
                counts.update(self.papers[index])  # Counter.update of a tuple runs in C
            for other, shared in counts.items():
                if other > person and shared >= min_shared:
                    yield self.keys[person], self.keys[other], shared


def collaboration_triples(pairs: Iterable[tuple[str, str, int]], slug_of: Callable[[str], str],
                          iri: IriMinter) -> Iterator[STriple]:
    """A ``pkg:Collaboration`` node per pair, named by the two people's slugs in order (so its IRI is
    as stable as theirs), in IRI order."""
    nodes = []
    for a, b, shared in pairs:
        first, second = sorted((slug_of(a), slug_of(b)))
        nodes.append((iri("collaboration", f"{first}--{second}"), first, second, shared))
    nodes.sort()
    c_collaboration, p_collaborator, p_shared = _pkg("Collaboration"), _pkg("collaborator"), _pkg("sharedPapers")
    for node, first, second, shared in nodes:
        yield node, A, c_collaboration
        yield node, p_collaborator, iri("author", first)
        yield node, p_collaborator, iri("author", second)
        yield node, p_shared, _int(shared)


def person_creators(paper) -> Iterator[str]:
    """Keys of the people (not organizations) among a paper's creators."""
    for authorship in paper.authorships:
        if not authorship.is_organization:
            yield authorship.agent
    for key, is_org in paper.extra_creators:
        if not is_org:
            yield key


def entity_triples(entities: Mapping[tuple[str, str], EntityNode]) -> Iterator[STriple]:
    for entity in sorted({e.iri: e for e in entities.values()}.values(), key=lambda e: e.iri):
        yield entity.iri, A, _pkg(entity.type)
        yield entity.iri, T_LABEL, _str(entity.label)
        for alias in sorted(entity.aliases - {entity.label}):
            yield entity.iri, T_ALT, _str(alias)


_PENDING_MENTIONS = 1 << 16  # distinct mentions counted before they are indexed (bounds the memory)


class EntityIndex:
    """Mentions of all papers merged into entity nodes: within a type, names whose keys coincide.

    Mentions can be added in any order (papers come back from extraction workers as they finish): the
    union-find keeps the smallest key as root and labels are counts, so the nodes are the same.
    """

    def __init__(self) -> None:
        self.parent: dict[tuple[str, str], tuple[str, str]] = {}
        self.labels: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        # Counts, not sets, so that an incremental build can take a paper's mentions back out
        # (paperkg.incremental keeps them between builds): names seen per first key, and the links
        # between a mention's first key and its other keys (what the union-find was built from).
        self.names: dict[tuple[str, str], Counter] = defaultdict(Counter)
        self.edges: Counter = Counter()
        # Most mentions repeat (one gazetteer name in thousands of papers): identical ones are counted
        # here and indexed once, with their count, before anything reads the index (see _flush).
        self._pending: Counter = Counter()

    def _find(self, x):
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def add(self, extraction: Extraction) -> None:
        for m in extraction.mentions:
            self.add_mention(m.type, m.canonical, m.aliases, m.text)

    def add_mention(self, type_: str, canonical: str, aliases, text: str) -> None:
        mention = (type_, canonical, aliases if type(aliases) is tuple else tuple(aliases), text)
        pending = self._pending
        pending[mention] = pending.get(mention, 0) + 1
        if len(pending) >= _PENDING_MENTIONS:
            self._flush()

    def add_mentions(self, mentions: Iterable[tuple[str, str, tuple[str, ...], str]]) -> None:
        """:meth:`add_mention` for each ``(type, canonical, aliases, text)`` (``aliases`` a tuple), counted
        in C: what :func:`paperkg.state.mention_names` gives for a packed extraction."""
        self._pending.update(mentions)
        if len(self._pending) >= _PENDING_MENTIONS:
            self._flush()

    def _flush(self) -> None:
        """Index the pending mentions: ``count`` identical mentions add ``count`` times what one adds, and
        the components do not depend on the order in which mentions come, so this is the index that
        adding them one by one gives."""
        pending, self._pending = self._pending, Counter()
        parent, edges, labels, names_seen, find = self.parent, self.edges, self.labels, self.names, self._find
        for (type_, canonical, aliases, text), count in pending.items():
            names = [n for n in (canonical, *aliases, text) if n]
            keys = [(type_, k) for n in names if (k := _entity_key(type_, n))]
            if not keys:
                continue
            first = keys[0]
            root = find(first)
            for k in keys[1:]:
                if k != first:
                    edges[(first, k)] += count
                other = find(k)
                if other != root:
                    parent[max(root, other)] = min(root, other)
                    root = min(root, other)
            labels[first][canonical] += count
            by_name = names_seen[first]
            for n in names:
                by_name[n] += count

    def counts(self) -> tuple[dict, dict, dict]:
        """``(labels, names, edges)`` as plain dicts: all that :meth:`nodes` is computed from."""
        self._flush()
        return ({k: dict(v) for k, v in self.labels.items()}, {k: dict(v) for k, v in self.names.items()},
                dict(self.edges))

    @classmethod
    def from_counts(cls, labels: Mapping, names: Mapping, edges: Mapping, clean: bool = False) -> EntityIndex:
        """The index that the mentions behind these counts give (counts of 0 or less count as absent;
        with ``clean`` the caller says there are none, and the dicts are used as they are)."""
        index = cls()
        if clean:
            index.labels, index.names, index.edges = labels, names, Counter(edges)
            parent = index.parent = {key: key for key in labels}
        else:
            for key, by_label in labels.items():
                live = {label: c for label, c in by_label.items() if c > 0}
                if live:
                    index.labels[key].update(live)
            for key, by_name in names.items():
                live = {name: c for name, c in by_name.items() if c > 0}
                if live:
                    index.names[key].update(live)
            index.edges.update({pair: c for pair, c in edges.items() if c > 0})
            parent = index.parent
            for key in index.labels:
                parent[key] = key
        find = index._find
        for first, other in index.edges:
            a, b = find(first), find(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
        return index

    def _label(self, members: list[tuple[str, str]], root: tuple[str, str]) -> str:
        counts: dict[str, int] = defaultdict(int)
        for k in members:
            for label, c in self.labels.get(k, {}).items():
                counts[label] += c
        return min(counts, key=lambda name: (-counts[name], name)) if counts else root[1]

    def nodes(self, iri: IriMinter) -> dict[tuple[str, str], EntityNode]:
        self._flush()
        groups: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        for k in list(self.parent):
            groups[self._find(k)].append(k)
        nodes: dict[tuple[str, str], EntityNode] = {}
        # Names that differ only in symbols ("GSM8K" / "GSM8K+") are different entities with the same
        # plain slug; the first root in key order keeps the plain slug, the others add a hash of their key.
        labels = {root: self._label(members, root) for root, members in groups.items()}
        slugs = {root: entity_slug(label) for root, label in labels.items()}
        slug_owner: dict[tuple[str, str], tuple[str, str]] = {}
        for root in sorted(groups):
            slug_owner.setdefault((root[0], slugs[root]), root)
        for root, members in groups.items():
            all_names: set[str] = set()
            for k in members:
                all_names.update(self.names.get(k, ()))
            label = labels[root]
            slug = slugs[root]
            if slug_owner[(root[0], slug)] != root:
                slug = f"{slug}-{short_hash(root[1])}"
            all_names.discard(label)
            # Most entities have no other name: the empty frozenset is one shared object.
            node = EntityNode(type=root[0], iri=iri(_ENTITY_SEGMENT[root[0]], slug), label=label,
                              aliases=frozenset(all_names) if all_names else _NO_ALIASES)
            for k in members:
                nodes[k] = node
        return nodes


def _knowledge_triples(paper: str, paper_key: str, extraction: Extraction,
                       entities: Mapping[tuple[str, str], EntityNode], iri: IriMinter) -> Iterator[STriple]:
    found = [(m, node) for m in extraction.mentions
             if (node := entities.get((m.type, _entity_key(m.type, m.canonical)))) is not None]
    introduced: set[str] = {node.iri for m, node in found if m.introduced}
    seen: set[tuple[str, str]] = set()  # (predicate, entity)
    mentioned: set[str] = set()
    p_proposes, p_mentions = _pkg("proposes"), _pkg("mentions")
    for m, node in found:
        entity = node.iri
        if entity in introduced and m.type in ("Benchmark", "Method"):
            predicate = p_proposes
        else:
            predicate = _USE_IRI[m.type]
        if (predicate, entity) not in seen:
            seen.add((predicate, entity))
            yield paper, predicate, entity
            if entity not in mentioned:
                mentioned.add(entity)
                yield paper, p_mentions, entity

    def lookup(type_: str, name: str | None) -> EntityNode | None:
        if not name:
            return None
        return entities.get((type_, _entity_key(type_, name)))  # (_entity_key is cached)

    for result in extraction.results:
        bench = lookup("Benchmark", result.benchmark)
        if bench is None:
            continue
        node = iri("result", short_hash("|".join(
            [paper_key, str(result.value), result.metric or "", result.benchmark or "", str(result.start)]), 16))
        yield paper, _pkg("reportsResult"), node
        yield node, A, _pkg("Result")
        yield node, _pkg("onBenchmark"), bench.iri
        yield node, _pkg("value"), (format(result.value.normalize(), "f"), XSD_DECIMAL)  # as the store keeps it
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
