"""Incremental ``paperkg add``: patch the current generation instead of rebuilding it.

A full build leaves a *snapshot* in its ``state.sqlite`` beside the records: what each paper's triples
depended on (its slug, the digest of its extraction, the organizations and categories it named), the
slug of every written person name, the entity index's counts and IRIs, and the organizations' slugs.
``add`` then recomputes the global layers from names only, finds the papers whose triples can have
changed, and replaces just those in a hard-linked copy of the current store (``Store.backup``), in
``paperkg.ttl`` and in ``extractions.jsonl``.

A paper is *dirty*, and is mapped again, when

* one of its records was added or removed (its title key is touched by the new listing), or
* its slug changed (a new title now slugifies like it), or
* one of its written author names now belongs to a person with another slug, or
* an entity or organization it points at changed IRI (found in the old store: who points at it).

Every other paper keeps its triples byte for byte: they are a function of its records, its slug and
the IRIs of the nodes it points at, and none of those moved. Nodes that are not a paper's own are
made again where they can have changed, and replaced where their triples differ from the old store's.

The Turtle and the extraction lines are written in the build's order (papers in key order, then the
other nodes), so ``build(A); add(B)`` gives the same bytes as ``build(A, B)``. Old paper units are
found by bisection on the old files (papers are in key order), so the cost of an ``add`` grows with
the listing added, plus a few linear passes over names.

When the snapshot is missing (a build made by an older paperkg), or the old files do not have the
expected shape, or most papers are dirty anyway, :func:`patch_generation` raises :class:`Fallback`
and ``add`` recompiles the whole graph from ``state.sqlite``, as before.
"""

from __future__ import annotations

import io
import json
import marshal
import mmap
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

SNAPSHOT_VERSION = "3"
DIRTY_LIMIT = 0.5  # above this share of dirty papers (in a large build) recompiling is as cheap
SMALL_BUILD = 5000  # papers: below this, patching is always fine

_SCHEMA = """
DROP TABLE IF EXISTS snap_papers;
DROP TABLE IF EXISTS snap_blobs;
CREATE TABLE snap_papers(key TEXT PRIMARY KEY, slug TEXT, base TEXT, digest BLOB, orgs BLOB, cats BLOB,
                         mentions INTEGER) WITHOUT ROWID;
CREATE TABLE snap_blobs(name TEXT PRIMARY KEY, data BLOB);
"""
_PAPER_ROWS = 2000


class Fallback(Exception):
    """The generation cannot be patched: recompile it (``extracted``: papers already extracted and cached)."""

    extracted = 0


# ------------------------------------------------------------------------------ the snapshot
def _plain(term):
    """A pyoxigraph object as :mod:`paperkg.mapping` writes it: an IRI string or (lexical, datatype)."""
    import pyoxigraph as ox

    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        return term.value, None if datatype == _XSD_STRING else datatype
    return term.value


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class SnapshotWriter:
    """Writes a build's snapshot into its ``state.sqlite`` (``db``) as the build goes."""

    def __init__(self, db) -> None:
        self.db = db
        db.executescript(_SCHEMA)  # commits what was pending
        db.execute("BEGIN")
        self._papers: list[tuple] = []

    def paper(self, key: str, slug: str, base: str, digest: bytes | None, orgs: list[str],
              categories: list[str], mentions: int) -> None:
        self._papers.append((key, slug, base, digest, marshal.dumps(tuple(orgs)) if orgs else None,
                             marshal.dumps(tuple(categories)) if categories else None, mentions))
        if len(self._papers) >= _PAPER_ROWS:
            self._flush()

    def _flush(self) -> None:
        self.db.executemany("INSERT OR REPLACE INTO snap_papers VALUES (?, ?, ?, ?, ?, ?, ?)", self._papers)
        self._papers.clear()

    def blob(self, name: str, value) -> None:
        self.db.execute("INSERT OR REPLACE INTO snap_blobs VALUES (?, ?)", (name, marshal.dumps(value)))

    def mapping(self, name: str, items: Iterable[tuple]) -> None:
        """A large dict, from its ``(key, value)`` items, in chunks (never a whole copy in memory)."""
        self.db.execute("DELETE FROM snap_blobs WHERE name >= ? AND name < ?", (f"{name}/", f"{name}0"))
        from .build import batched

        for number, chunk in enumerate(batched(items, _CHUNK)):
            self.blob(f"{name}/{number:06d}", dict(chunk))

    def people(self, uf, people) -> None:
        """The slug of every written person name (its person's)."""
        find = uf.find
        self.mapping("people", ((key, people[find(key)].slug) for key in list(uf.parent)))

    def entities(self, index, nodes) -> None:
        index._flush()  # mentions still pending (none after nodes())
        self.mapping("entity_labels", ((k, dict(v)) for k, v in index.labels.items()))
        self.mapping("entity_names", ((k, dict(v)) for k, v in index.names.items()))
        self.mapping("entity_edges", index.edges.items())
        self.mapping("entity_iris", ((key, node.iri) for key, node in nodes.items()))

    def organizations(self, organizations) -> None:
        self.blob("organizations", {key: org.slug for key, org in organizations.items()})

    def finish(self, stats) -> None:
        self._flush()
        self.blob("stats", {"triples": stats.triples, "quads": stats.quads, "papers": stats.papers,
                            "mentions": stats.mentions, "class_counts": dict(stats.class_counts)})
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('snapshot', ?)", (SNAPSHOT_VERSION,))


_CHUNK = 50_000


def _records_of(db, columns: str, keys: Iterable[str]) -> Iterator[tuple[str, list[tuple]]]:
    """``(title key, rows of (key, columns...))`` of the given papers, in key and record order."""
    from .build import batched, grouped_by_key

    for chunk in batched(sorted(keys), 500):
        marks = ",".join("?" * len(chunk))
        yield from grouped_by_key(db.execute(
            f"SELECT key, {columns} FROM records WHERE key IN ({marks}) ORDER BY key, prio, listing, line", chunk))


def _mapping(db, name: str) -> dict:
    result: dict = {}
    for (data,) in db.execute("SELECT data FROM snap_blobs WHERE name >= ? AND name < ? ORDER BY name",
                              (f"{name}/", f"{name}0")):
        result.update(marshal.loads(data))
    return result


def _blob(db, name: str):
    row = db.execute("SELECT data FROM snap_blobs WHERE name=?", (name,)).fetchone()
    if row is None:
        raise Fallback(f"no {name} in the snapshot")
    return marshal.loads(row[0])


# ------------------------------------------------------------------------------ sorted files
class _SortedUnits:
    """Units of a file laid out in ascending key order between ``begin`` and ``end`` (paper units in
    the Turtle, extraction lines in the JSON Lines), found by bisection on byte offsets."""

    def __init__(self, data, begin: int, end: int, next_start: Callable[[int], int],
                 key_at: Callable[[int], str], fd: int | None = None) -> None:
        self.data, self.begin, self.end, self.fd = data, begin, end, fd
        self.next_start, self.key_at = next_start, key_at

    def first(self, key: str, after: bool = False) -> int:
        """Offset of the first unit whose key is >= ``key`` (> with ``after``), or ``end``."""
        lo, hi = self.begin, self.end
        while lo < hi:  # the smallest offset whose next unit start has a key past the target
            mid = (lo + hi) // 2
            start = self.next_start(mid)
            if start >= self.end:
                hi = mid
                continue
            found = self.key_at(start)
            if found > key or (not after and found == key):
                hi = mid
            else:
                lo = mid + 1
        return self.next_start(lo) if lo < self.end else self.end

    def splice(self, out, replacements: list[tuple[str, bytes]]) -> None:
        """Write ``begin..end`` with the units of each key in ``replacements`` (sorted) replaced."""
        position = self.begin
        for key, text in replacements:
            start = self.first(key)
            stop = self.first(key, after=True) if start < self.end and self.key_at(start) == key else start
            if start < position:
                raise Fallback("units out of order")
            _copy_range(self.data, self.fd, position, start, out)
            out.write(text)
            position = stop
        _copy_range(self.data, self.fd, position, self.end, out)


def _copy_range(data, source: int | None, start: int, stop: int, out) -> None:
    """``data[start:stop]`` into ``out``; long ranges are copied by the kernel (copy_file_range) from
    ``source``, the descriptor of the file ``data`` maps, rather than through Python bytes."""
    if source is None or stop - start < (1 << 20) or not hasattr(os, "copy_file_range"):
        out.write(data[start:stop])
        return
    out.flush()
    target = out.fileno()
    while start < stop:
        copied = os.copy_file_range(source, target, stop - start, start)
        if copied <= 0:
            out.write(data[start:stop])
            return
        start += copied


def _line_start(data, begin: int, end: int) -> Callable[[int], int]:
    def next_start(offset: int) -> int:
        if offset <= begin:
            return begin
        found = data.find(b"\n", offset - 1, end)
        return end if found < 0 else found + 1
    return next_start


# ------------------------------------------------------------------------------ the patch
@dataclass
class PatchResult:
    dirty: int = 0
    removed_papers: int = 0
    extracted: int = 0
    subjects_replaced: int = 0
    quads_removed: int = 0
    quads_added: int = 0


def patch_generation(state, touched: set[str], current: Path, generation, base: str, extractor, workers,
                     progress=None, timer=None, compact: bool = False):
    """Write ``generation`` as the current one patched with the records now in ``state`` (whose
    title keys ``touched`` were added or removed). Returns the build's CompileStats; raises
    :class:`Fallback` when the generation has to be recompiled instead."""
    import functools

    import pyoxigraph as ox

    from .build import (
        EXTRACT_BATCH,
        CompileStats,
        _extract_packed,
        _ListingMeta,
        _ListingRow,
        _write_extraction_lines,
        batched,
        grouped_by_subject,
    )
    from .export import data_prefixes
    from .ids import short_hash, slugify
    from .mapping import (
        MIN_SHARED_PAPERS,
        A,
        CategoryIndex,
        EntityIndex,
        IriMinter,
        _entity_key,
        _pkg,
        collaboration_triples,
        entity_triples,
        listing_iri,
        listing_triples,
        nquad,
        organization_triples,
        paper_triples,
        person_triples,
        source_triples,
    )
    from .resolve import (
        OrganizationIndex,
        choose_abstract,
        choose_title,
        merge_paper,
        person_key,
        resolve_people,
    )
    from .state import (
        extraction_digest,
        mention_names,
        unmarshal_owner,
        unpack_extraction,
        unpack_names,
        unpack_record,
    )
    from .store import EXTRACTIONS_NAME, STORE_DIRNAME, TURTLE_NAME

    db = state.db
    if state.get_meta("snapshot") != SNAPSHOT_VERSION:
        raise Fallback("no snapshot")
    tick = timer or (lambda stage: None)
    report = progress or (lambda stage, done, total: None)
    iri = IriMinter(base)
    old_stats = _blob(db, "stats")
    old_people: dict[str, str] = _mapping(db, "people")
    old_entity_iris: dict = _mapping(db, "entity_iris")
    labels, names_counts, edges = (_mapping(db, "entity_labels"), _mapping(db, "entity_names"),
                                   _mapping(db, "entity_edges"))
    old_org_slugs: dict[str, str] = _blob(db, "organizations")
    old_papers = {row[0]: row[1:] for row in db.execute("SELECT * FROM snap_papers")}
    old_key_of_slug = {row[0]: key for key, row in old_papers.items()}
    result = PatchResult()

    # 0. The touched papers' merged title and abstract, and their extraction, started at once in the
    # workers (when new), so that it runs beside the people's resolution.
    early_digests: dict[str, bytes] = {}
    todo: list[tuple] = []
    pending: Iterable = ()
    if extractor is not False:
        for key, group in _records_of(db, "title, abstract", touched):
            title = choose_title([r[1] for r in group])
            abstract = choose_abstract([r[2] for r in group])
            early_digests[key] = digest = extraction_digest(title, abstract)
            todo.append((digest, title, abstract))
        known = state.cached_extractions(sorted(set(early_digests.values())))
        todo = list({t[0]: t for t in todo if t[0] not in known}.values())
        if todo:
            run = _extract_packed if extractor is None else functools.partial(_extract_packed, extractor=extractor)
            pending = workers.submit_all(run, batched(todo, EXTRACT_BATCH))

    # 1. People, from every record's names (as in a build).
    names: dict = {}
    author_groups: dict[str, list] = defaultdict(list)
    for key, prio, listing_id, line, blob in state.author_rows():
        author_groups[key].append(((prio, listing_id, line), unpack_names(marshal.loads(blob), names), listing_id))
    listing_rows = state.listings()
    metas = [_ListingMeta(lid, row[2], unmarshal_owner(row[4])) for lid, row in listing_rows.items()]
    tick("names")
    uf, people, owners = resolve_people(author_groups, metas)
    find = uf.find
    new_people = {key: people[find(key)].slug for key in list(uf.parent)}
    moved_people = {key for key, slug in new_people.items() if old_people.get(key) != slug}
    moved_people.update(old_people.keys() - new_people.keys())
    current_keys = author_groups.keys()
    removed = old_papers.keys() - current_keys
    dirty = set(touched) & current_keys
    tick("people")

    # The people whose node can have changed: those of every name on a touched paper or whose slug
    # moved, and whoever holds a slug that such a name had (a person who lost a name keeps their slug).
    changed_names = set(moved_people)
    for key in touched & current_keys:
        changed_names.update(person_key(a) for _, authors, _ in author_groups[key] for a in authors
                             if not a.is_organization)
    root_of_slug = {person.slug: root for root, person in people.items()}
    affected_people = {find(k) for k in changed_names if k in new_people}
    affected_people.update(root_of_slug[old_people[k]] for k in changed_names
                           if old_people.get(k) in root_of_slug)
    affected_names = {k for k in new_people if find(k) in affected_people}
    # One pass over every paper's names: papers naming a moved person are dirty, and the papers of the
    # affected people are kept (as sets of people) to count their collaborations again.
    # (Names are interned objects: compared by id, once per occurrence, with no hashing of names.)
    key_of_name = {id(n): person_key(n) for n in names.values() if not n.is_organization}
    moved_ids = {i for i, k in key_of_name.items() if k in moved_people}
    affected_ids = {i for i, k in key_of_name.items() if k in affected_names}
    papers_of: dict[str, list[set[str]]] = defaultdict(list)
    for key, entries in author_groups.items():
        ids = [id(a) for _, authors, _ in entries for a in authors]
        if not moved_ids.isdisjoint(ids):
            dirty.add(key)
        if not affected_ids.isdisjoint(ids):
            creators = {find(key_of_name[i]) for i in ids if i in key_of_name}
            for person in creators & affected_people:
                papers_of[person].append(creators)
    tick("affected")

    # 2. The touched papers, merged again; their slugs, and every slug that a new title now collides with.
    merged: dict = {}
    org_calls: dict[str, list[str]] = {}

    def merge(keys: Iterable[str]) -> None:
        for key, group in _records_of(db, "prio, listing, line, data", [k for k in keys if k not in merged]):
            calls: list[str] = []
            scratch = OrganizationIndex()

            def add_org(name: str, calls=calls, scratch=scratch) -> str:
                calls.append(name)
                return scratch.add(name)

            entries = [((prio, lid, line), unpack_record(data, names), lid) for _, prio, lid, line, data in group]
            merged[key] = merge_paper(key, entries, uf, add_org)
            org_calls[key] = calls

    merge(touched & current_keys)
    bases = {key: row[1] for key, row in old_papers.items() if key in current_keys and key not in merged}
    bases.update((key, slugify(paper.title)) for key, paper in merged.items())
    taken = Counter(bases.values())
    slug_of = {key: (b if taken[b] == 1 else f"{b}-{short_hash(key)}") for key, b in bases.items()}
    dirty.update(key for key, row in old_papers.items() if key in slug_of and slug_of[key] != row[0])
    tick("slugs")

    # 3. Extraction of the touched papers (content-cached), and the entity index's counts adjusted.
    digests: dict[str, bytes | None] = {}
    extracted = 0
    changed_entity_keys: set = set()
    if extractor is not False:
        for key, paper in merged.items():
            digests[key] = extraction_digest(paper.title, paper.abstract)
        if set(digests.values()) != set(early_digests.values()):
            raise Fallback("the touched papers' texts are not what was extracted")
        report("extract", 0, len(todo))
        for results in pending:  # extracted in the workers while the people were resolved
            state.put_extractions(results)
            extracted += len(results)
            report("extract", extracted, len(todo))

        def apply(sign: int, data: bytes | None) -> None:
            if data is None:
                return
            for type_, canonical, aliases, text in mention_names(data):
                all_names = [n for n in (canonical, *aliases, text) if n]
                keys = [(type_, k) for n in all_names if (k := _entity_key(type_, n))]
                if not keys:
                    continue
                changed_entity_keys.update(keys)
                first = keys[0]
                for k in keys[1:]:
                    if k != first:
                        edges[(first, k)] = edges.get((first, k), 0) + sign
                by_label = labels.setdefault(first, {})
                by_label[canonical] = by_label.get(canonical, 0) + sign
                by_name = names_counts.setdefault(first, {})
                for n in all_names:
                    by_name[n] = by_name.get(n, 0) + sign

        for key in sorted(merged.keys() | removed):
            old_digest = old_papers[key][2] if key in old_papers else None
            new_digest = digests.get(key)
            if old_digest != new_digest:
                apply(-1, state.extraction(old_digest) if old_digest is not None else None)
                apply(+1, state.extraction(new_digest) if new_digest is not None else None)
    for key in changed_entity_keys:  # counts that fell to 0 are absent
        if key in labels:
            labels[key] = {k: c for k, c in labels[key].items() if c > 0}
            if not labels[key]:
                del labels[key]
        if key in names_counts:
            names_counts[key] = {k: c for k, c in names_counts[key].items() if c > 0}
            if not names_counts[key]:
                del names_counts[key]
    for pair in [pair for pair in edges if edges[pair] <= 0]:
        del edges[pair]
    index = EntityIndex.from_counts(labels, names_counts, edges, clean=True)
    entities = index.nodes(iri)
    new_entity_iris = {key: node.iri for key, node in entities.items()}
    moved_entity_keys = {key for key, old in old_entity_iris.items() if new_entity_iris.get(key) != old}
    moved_iris = {old_entity_iris[key] for key in moved_entity_keys}
    tick("entities")

    # 4. Organizations and categories: replayed in key order from what each paper named.
    organizations = OrganizationIndex()
    categories = CategoryIndex()
    for key in sorted(current_keys):
        if key in merged:
            calls, cats = org_calls[key], merged[key].categories
        else:
            row = old_papers[key]
            calls = marshal.loads(row[3]) if row[3] else ()
            cats = marshal.loads(row[4]) if row[4] else ()
        for name in calls:
            organizations.add(name)
        for written in cats:
            categories.add(written)
    new_org_slugs = {key: org.slug for key, org in organizations.organizations.items()}
    moved_iris.update(iri("org", slug) for key, slug in old_org_slugs.items() if new_org_slugs.get(key) != slug)

    # Papers pointing at a node that changed IRI, found in the old store.
    old_store = ox.Store.read_only(str(current / STORE_DIRNAME))
    paper_prefix = iri("paper", "")
    default = ox.DefaultGraph()
    owner_predicates = [ox.NamedNode(_pkg(p)) for p in ("authorship", "reportsResult", "sourceRecord")]

    def owner_of(subject) -> str | None:
        if subject.value.startswith(paper_prefix):
            return subject.value
        for predicate in owner_predicates:
            for quad in old_store.quads_for_pattern(None, predicate, subject, default):
                return quad.subject.value
        return None

    for moved in moved_iris:
        for quad in old_store.quads_for_pattern(None, None, ox.NamedNode(moved), default):
            paper = owner_of(quad.subject)
            if paper is not None:
                key = old_key_of_slug.get(paper[len(paper_prefix):])
                if key is not None and key in current_keys:
                    dirty.add(key)
    if len(current_keys) > SMALL_BUILD and len(dirty) > DIRTY_LIMIT * len(current_keys):
        error = Fallback(f"{len(dirty)} of {len(current_keys)} papers changed")
        error.extracted = extracted
        raise error
    merge(dirty)
    tick("dirty")

    # 5. The dirty papers' units, in key order.
    stats = CompileStats(papers=len(current_keys), extracted=extracted, triples=old_stats["triples"])
    stats.class_counts.update(old_stats["class_counts"])
    stats.mentions = old_stats["mentions"]

    def agent_iri(key: str, is_org: bool) -> str:
        return iri("org", organizations.organizations[key].slug) if is_org else iri("author", people[key].slug)

    def org_iri(key: str) -> str:
        return iri("org", organizations.organizations[key].slug)

    graph_of = {lid: listing_iri(iri, lid) for lid in listing_rows}
    scratch_categories = CategoryIndex()
    units: list[tuple[str, str]] = []  # (key, N-Triples of the unit) in key order
    unit_counts: list[list[tuple]] = []  # the triples added to the default graph, for the counts
    jsonl_units: list[tuple[str, bytes]] = []
    provenance: list[str] = []
    paper_rows: list[tuple] = []
    for done, key in enumerate(sorted(dirty), start=1):
        if done % 500 == 0 or done == len(dirty):
            report("map", done, len(dirty))
        paper = merged[key]
        paper.slug = slug_of[key]
        extraction = None
        digest = digests.get(key)
        if digest is None and extractor is not False:
            digest = digests[key] = extraction_digest(paper.title, paper.abstract)
        if digest is not None:
            data = state.extraction(digest)
            extraction = unpack_extraction(data) if data is not None else None
        sources = list(source_triples(paper, iri))
        unit = dict.fromkeys([*paper_triples(paper, iri, agent_iri, org_iri, scratch_categories, extraction,
                                             entities), *(t for _, t in sources)])
        units.append((key, "".join(map(nquad, grouped_by_subject(unit)))))
        unit_counts.append(list(unit))
        provenance.extend(nquad(t, graph_of[lid]) for lid, t in dict.fromkeys(sources))
        lines = io.StringIO()
        mentions = 0
        if extraction is not None:
            _write_extraction_lines(lines, iri("paper", paper.slug), extraction)
            mentions = len(extraction.mentions)
        jsonl_units.append((key, lines.getvalue().encode("utf-8")))
        old = old_papers.get(key)
        stats.mentions += mentions - (old[5] if old else 0)
        paper_rows.append((key, paper.slug, bases[key], digest,
                           marshal.dumps(tuple(org_calls[key])) if org_calls[key] else None,
                           marshal.dumps(tuple(paper.categories)) if paper.categories else None, mentions))
    for key in removed:
        stats.mentions -= old_papers[key][5]

    # 6. Nodes that are not a paper's own. Listings, organizations and categories (few) are all made
    # again; people, collaborations and entities only where they can have changed. Each is compared
    # with its triples in the old store.
    candidates: dict[str, list[tuple]] = {}  # subject -> its new triples (grouped), for those made again
    listing_units = []
    for lid, row in listing_rows.items():
        owner = owners.get(lid)
        listing_units.append(list(listing_triples(_ListingRow(lid, row), iri("author", people[owner].slug)
                                                  if owner else None, iri)))
    pairs: dict[tuple[str, str], int] = {}
    for person in affected_people:
        counts = Counter()
        for creators in papers_of[person]:
            counts.update(creators)
        for other, shared in counts.items():
            if other != person and shared >= MIN_SHARED_PAPERS:
                pairs[(min(person, other), max(person, other))] = shared
    units_again = [
        *listing_units,
        *(list(person_triples(people[root], iri)) for root in sorted(affected_people, key=lambda r: people[r].slug)),
        *(list(organization_triples(o, iri)) for o in sorted(organizations.organizations.values(),
                                                             key=lambda o: o.slug)),
        list(collaboration_triples(((a, b, n) for (a, b), n in pairs.items()), lambda k: people[k].slug, iri)),
        list(categories.triples(iri)),
        list(entity_triples({k: entities[k] for k in (changed_entity_keys | moved_entity_keys) if k in entities})),
    ]
    by_iri = {node.iri for node in entities.values()}
    for triples in units_again:
        for triple in grouped_by_subject(dict.fromkeys(triples)):
            candidates.setdefault(triple[0], []).append(triple)
    # What may be gone: the old nodes of the affected people, their collaborations, entities whose
    # IRI moved, and any organization, category or listing no longer made.
    maybe_gone = {iri("author", old_people[k]) for k in changed_names if k in old_people}
    maybe_gone.update(old_entity_iris[k] for k in changed_entity_keys | moved_entity_keys if k in old_entity_iris)
    p_collaborator = ox.NamedNode(_pkg("collaborator"))
    for person_iri in [*maybe_gone, *(iri("author", people[r].slug) for r in affected_people)]:
        if "/author/" in person_iri:
            maybe_gone.update(q.subject.value for q in old_store.quads_for_pattern(
                None, p_collaborator, ox.NamedNode(person_iri), default))
    p_type = ox.NamedNode(A)
    for kind in ("Organization", "Category", "Listing"):
        maybe_gone.update(q.subject.value for q in old_store.quads_for_pattern(
            None, p_type, ox.NamedNode(_pkg(kind)), default))

    def old_triples(subject: str) -> set[tuple]:
        return {(subject, q.predicate.value, _plain(q.object))
                for q in old_store.quads_for_pattern(ox.NamedNode(subject), None, None, default)}

    changed_subjects = {subject: triples for subject, triples in candidates.items()
                        if old_triples(subject) != set(triples)}
    gone_subjects = {s for s in maybe_gone if s not in candidates and s not in by_iri and old_triples(s)}
    listing_nodes = set(graph_of.values())
    listing_nt = "".join(nquad(t) for triples in listing_units for t in grouped_by_subject(dict.fromkeys(triples)))
    tick("globals")

    # 7. The store: a hard-linked copy of the current one, patched.
    old_store.backup(str(generation.store_dir))
    old_store = None  # closed
    store = ox.Store(str(generation.store_dir))

    def drop(subject: str) -> None:
        node = ox.NamedNode(subject)
        for quad in list(store.quads_for_pattern(node, None, None, None)):
            store.remove(quad)
            result.quads_removed += 1
            if quad.graph_name == default:
                stats.triples -= 1
                if quad.predicate == p_type:
                    stats.class_counts[quad.object.value.rsplit("#", 1)[-1]] -= 1

    for key in sorted((dirty & old_papers.keys()) | removed):
        paper_node = ox.NamedNode(iri("paper", old_papers[key][0]))
        owned = {paper_node.value}
        for predicate in owner_predicates:
            owned.update(q.object.value for q in store.quads_for_pattern(paper_node, predicate, None, default))
        for subject in owned:
            drop(subject)
    for subject in [*changed_subjects, *gone_subjects]:
        drop(subject)
    result.subjects_replaced = len(changed_subjects) + len(gone_subjects)
    added = [text for _, text in units]
    added_named = list(provenance)
    for subject, triples in changed_subjects.items():
        added.extend(map(nquad, triples))
        if subject in listing_nodes:  # a listing node is in its own provenance graph too
            added_named.extend(nquad(t, subject) for t in triples)
        unit_counts.append(triples)
    for triples in unit_counts:
        stats.triples += len(triples)
        stats.class_counts.update(o.rsplit("#", 1)[-1] for _, p, o in triples if p == A)
    store.flush()  # the removals, before the new quads are loaded in files of their own
    store.bulk_load(input="".join([*added, *added_named]).encode("utf-8", "replace"), format=ox.RdfFormat.N_QUADS)
    result.quads_added = sum(map(len, unit_counts)) + len(added_named)
    store.flush()
    if compact:
        store.optimize()
    store = None  # closed
    stats.quads = old_stats["quads"] - result.quads_removed + result.quads_added
    stats.class_counts = Counter({k: v for k, v in stats.class_counts.items() if v > 0})
    report("store", result.quads_added, result.quads_added)
    tick("store")

    # 8. paperkg.ttl and extractions.jsonl: the old files with the dirty papers' units replaced.
    prefixes = data_prefixes(base)
    _patch_turtle(current / TURTLE_NAME, generation.file(TURTLE_NAME), units, listing_nt,
                  {s: t for s, t in changed_subjects.items() if s not in listing_nodes},
                  {s for s in gone_subjects if s not in listing_nodes}, prefixes,
                  old_key_of_slug, removed | (dirty & old_papers.keys()), iri)
    _patch_jsonl(current / EXTRACTIONS_NAME, generation.file(EXTRACTIONS_NAME), jsonl_units, old_key_of_slug,
                 paper_prefix, removed)
    tick("files")

    # 9. The snapshot, brought up to date, and extractions no longer used dropped.
    db.executemany("DELETE FROM snap_papers WHERE key=?", ((k,) for k in removed))
    db.executemany("INSERT OR REPLACE INTO snap_papers VALUES (?, ?, ?, ?, ?, ?, ?)", paper_rows)
    used = {row[0] for row in db.execute("SELECT digest FROM snap_papers") if row[0] is not None}
    stale = {old_papers[k][2] for k in (merged.keys() | removed) if k in old_papers} - used - {None}
    db.executemany("DELETE FROM extractions WHERE digest=?", ((d,) for d in stale))
    snapshot = SnapshotWriter.__new__(SnapshotWriter)
    snapshot.db, snapshot._papers = db, []
    snapshot.mapping("people", new_people.items())
    snapshot.mapping("entity_labels", labels.items())  # counts of 0 were dropped above
    snapshot.mapping("entity_names", names_counts.items())
    snapshot.mapping("entity_edges", edges.items())
    snapshot.mapping("entity_iris", new_entity_iris.items())
    snapshot.blob("organizations", new_org_slugs)
    snapshot.finish(stats)
    result.dirty, result.removed_papers, result.extracted = len(dirty), len(removed), extracted
    tick("snapshot")
    stats.reused = len(merged) - extracted
    return stats, result


def _serialize_turtle(nt: str, prefixes: dict[str, str]) -> bytes:
    """Turtle blocks (no ``@prefix`` lines) of N-Triples text, as the build writes them."""
    import pyoxigraph as ox

    data = ox.serialize(ox.parse(nt.encode("utf-8", "replace"), format=ox.RdfFormat.N_TRIPLES),
                        format=ox.RdfFormat.TURTLE, prefixes=prefixes) if nt else b""
    lines = data.splitlines(keepends=True)
    return b"".join(line for line in lines if not line.startswith(b"@prefix "))


_SUBJECT_START = re.compile(rb"\n[^\t]")
_GLOBAL_RANK = {"author": 0, "org": 1, "collaboration": 2, "category": 3}  # then the entities (4)


def _patch_turtle(old: Path, new: Path, units: list[tuple[str, str]], listing_nt: str,
                  changed: dict[str, list[tuple]], gone: set[str], prefixes: dict[str, str],
                  key_of_slug: dict[str, str], dropped: set[str], iri) -> None:
    """The build's Turtle with the dirty papers' units replaced (papers are in key order), the listings
    written again, and the other nodes that changed replaced (they are in section, then IRI order)."""
    from .mapping import nquad

    marker = b"\npaper:"
    base_length = len(iri.base)
    expand = {f"{name}:".encode(): namespace for name, namespace in prefixes.items()}

    def rank(subject: str) -> tuple[int, str]:
        kind = subject[base_length:].split("/", 1)[0]
        return _GLOBAL_RANK.get(kind, 4), subject

    def subject_at(data, start: int) -> str:
        token = bytes(data[start:data.find(b" ", start)])
        if token.startswith(b"<"):
            return token[1:-1].decode("utf-8")
        colon = token.index(b":") + 1
        return expand[token[:colon]] + token[colon:].decode("utf-8")

    with open(old, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        size = len(data)
        begin = 0
        while data[begin:begin + 8] == b"@prefix ":
            begin = data.find(b"\n", begin) + 1
        end = data.find(b"\nlisting:", begin)
        if end < 0 or data[begin:begin + 6] != b"paper:":
            raise Fallback(f"{old}: not the layout a build writes")
        end += 1

        def next_block(offset: int, floor: int, ceiling: int) -> int:
            if offset <= floor:
                return floor
            found = _SUBJECT_START.search(data, offset - 1, ceiling)  # a line that is not indented
            return ceiling if found is None else found.start() + 1

        listings_end = end
        while listings_end < size and data[listings_end:listings_end + 8] == b"listing:":
            listings_end = next_block(listings_end + 1, end, size)

        def next_paper(offset: int) -> int:
            if offset <= begin:
                return begin
            found = data.find(marker, offset - 1, end)
            return end if found < 0 else found + 1

        def key_at(start: int) -> str:
            slug = data[start + 6:data.find(b" ", start)].decode("utf-8")
            key = key_of_slug.get(slug)
            if key is None:
                raise Fallback(f"{old}: unknown paper {slug}")
            return key

        blocks = _serialize_turtle("".join(text for _, text in units), prefixes)
        starts = [0] if blocks.startswith(b"paper:") else []
        position = 0
        while (found := blocks.find(marker, position)) >= 0:
            starts.append(found + 1)
            position = found + 1
        if len(starts) != len(units):
            raise Fallback("new paper units do not split into papers")
        starts.append(len(blocks))
        replacements = {key: blocks[starts[i]:starts[i + 1]] for i, (key, _) in enumerate(units)}
        for key in dropped:
            replacements.setdefault(key, b"")

        # The other nodes' new blocks, split by subject.
        ordered = sorted(changed, key=rank)
        text = _serialize_turtle("".join(nquad(t) for s in ordered for t in changed[s]), prefixes)
        node_blocks: dict[tuple[int, str], bytes] = {}
        position = 0
        while position < len(text):
            stop = position
            while True:
                newline = text.find(b"\n", stop)
                if newline < 0 or newline + 1 >= len(text) or text[newline + 1] != 9:
                    stop = len(text) if newline < 0 else newline + 1
                    break
                stop = newline + 1
            node_blocks[rank(subject_at(text, position))] = text[position:stop]
            position = stop
        if set(node_blocks) != {rank(s) for s in changed}:
            raise Fallback("new node blocks do not split into their subjects")
        for subject in gone:
            node_blocks.setdefault(rank(subject), b"")

        papers = _SortedUnits(data, begin, end, next_paper, key_at, handle.fileno())
        nodes = _SortedUnits(data, listings_end, size, lambda offset: next_block(offset, listings_end, size),
                             lambda start: rank(subject_at(data, start)), handle.fileno())
        with open(new, "wb", buffering=1 << 20) as out:
            out.write(data[:begin])
            papers.splice(out, sorted(replacements.items()))
            out.write(_serialize_turtle(listing_nt, prefixes))
            nodes.splice(out, sorted(node_blocks.items()))


def _patch_jsonl(old: Path, new: Path, units: list[tuple[str, bytes]], key_of_slug: dict[str, str],
                 paper_prefix: str, removed: set[str]) -> None:
    head = b'{"paper": ' + json.dumps(paper_prefix).encode("utf-8")[:-1]
    replacements = dict(units)
    for key in removed:
        replacements.setdefault(key, b"")
    with open(old, "rb") as handle:
        size = handle.seek(0, 2)
        if size == 0:
            with open(new, "wb") as out:
                out.writelines(text for _, text in sorted(replacements.items()))
            return
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:

            def key_at(start: int) -> str:
                if data[start:start + len(head)] != head:
                    raise Fallback(f"{old}: not the layout a build writes")
                stop = data.find(b'"', start + len(head))
                key = key_of_slug.get(data[start + len(head):stop].decode("utf-8"))
                if key is None:
                    raise Fallback(f"{old}: unknown paper")
                return key

            units_file = _SortedUnits(data, 0, size, _line_start(data, 0, size), key_at, handle.fileno())
            with open(new, "wb", buffering=1 << 20) as out:
                units_file.splice(out, sorted(replacements.items()))
