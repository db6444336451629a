"""Resolution: one node per real-world thing across all listings.

Rules (conservative on purpose: a wrong merge is worse than a missed one):

* **Papers** are the same when their titles have the same key (case, accents, punctuation and spacing
  folded). Fields merge: the most complete author list wins, the most precise date wins (earliest on a
  tie), the longest abstract wins, code flags OR together, upvotes take the maximum.
* **People** are the same when their names have the same key ("Peng, Daiyi" = "Daiyi Peng").
  Two *different* written forms whose given names are compatible ("Quoc" / "Quoc V.", "D." / "David")
  merge only on evidence:

  1. they stand on the same paper in two listings and no other name on that paper fits; or
  2. the less specific form has exactly one compatible fuller form among all people with that family
     name, the two never stand on one paper together, and they share a co-author or appear in the same
     profile export (a profile lists one person's papers, so its names share one network).

  Two people with the same initials on unrelated papers therefore stay apart.
* **Organizations** are the same when their names (after the gazetteer of well-known short tags) have
  the same key.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .ids import fold, short_hash, slugify
from .records import PaperDate, PersonName, Record

FORMAT_PRIORITY = {"jsonl": 0, "profile-export": 1, "lab-list": 2, "papers-search": 3, "daily-papers": 4}
_DATE_PRECISION = {"date": 3, "gYearMonth": 2, "gYear": 1, "gMonthDay": 0}
_KEY_JUNK = re.compile(r"[^0-9a-z]+")


# --------------------------------------------------------------------------------------------- keys
def title_key(title: str) -> str:
    """Key under which two titles are the same paper: folded, only letters and digits."""
    # ASCII needs no accent folding (NFKD changes nothing), and most titles are ASCII.
    return _KEY_JUNK.sub("", title.casefold() if title.isascii() else fold(title))


@functools.lru_cache(maxsize=1 << 20)
def given_tokens(given: str) -> tuple[str, ...]:
    """Folded given-name tokens; initials become single letters ("Quoc V." -> ("quoc", "v"))."""
    tokens: list[str] = []
    for raw in re.split(r"[\s.]+", given.strip()):
        if not raw:
            continue
        # "VS" or "JR" written without dots are initials; "Le" or "Bo" are names.
        if raw.isupper() and 1 < len(raw) <= 3 and raw.isalpha():
            tokens.extend(ch.casefold() for ch in raw)
            continue
        token = _KEY_JUNK.sub("", fold(raw))
        if token:
            tokens.append(token)
    return tuple(tokens)


@functools.lru_cache(maxsize=1 << 20)
def family_key(family: str) -> str:
    return _KEY_JUNK.sub("", fold(family))


@functools.lru_cache(maxsize=1 << 20)
def person_key(name: PersonName) -> str:
    return " ".join(given_tokens(name.given)) + "|" + family_key(name.family)


@functools.lru_cache(maxsize=1 << 16)
def org_key(name: str) -> str:
    return _KEY_JUNK.sub("", fold(name))


def _token_compatible(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) == 1 and b.startswith(a):
        return True
    return len(b) == 1 and a.startswith(b)


def given_compatible(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """True when ``short`` can be an abbreviated form of ``long`` (first names agree, the rest in order)."""
    if not short or not long or len(short) > len(long):
        return False
    if not _token_compatible(short[0], long[0]):
        return False
    rest = iter(long[1:])
    return all(any(_token_compatible(tok, other) for other in rest) for tok in short[1:])


def _specificity(tokens: tuple[str, ...]) -> tuple[int, int]:
    return (sum(len(t) > 1 for t in tokens), len(tokens))


# ------------------------------------------------------------------------------------ structures
@dataclass(slots=True)
class ListingInput:
    """One listing as read: identity, provenance facts and its records."""

    id: str  # stable name used for the listing's IRI (path relative to the input folder)
    path: str
    format: str
    sha256: str
    records: list[Record]
    owner: PersonName | None = None
    page_date: str | None = None


@dataclass(slots=True)
class SourceRef:
    listing: str
    line: int
    title_as_written: str


@dataclass(slots=True)
class Authorship:
    position: int
    agent: str  # a person key or an organization key (see ``is_organization``)
    name_as_written: str
    is_organization: bool = False


@dataclass(slots=True)
class Person:
    key: str
    name: str
    given: str
    family: str
    variants: set[str] = field(default_factory=set)
    slug: str = ""


@dataclass(slots=True)
class Organization:
    key: str
    name: str
    aliases: set[str] = field(default_factory=set)
    slug: str = ""


@dataclass(slots=True)
class Paper:
    key: str
    title: str
    slug: str = ""
    abstract: str | None = None
    date: PaperDate | None = None
    authorships: list[Authorship] = field(default_factory=list)
    extra_creators: list[tuple[str, bool]] = field(default_factory=list)  # (agent key, is_org)
    author_count: int | None = None
    authors_complete: bool | None = None
    organizations: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # as written
    has_code: bool | None = None
    upvotes: int | None = None
    urls: list[str] = field(default_factory=list)
    code_urls: list[str] = field(default_factory=list)
    record_ids: list[str] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)


@dataclass(slots=True)
class Resolution:
    papers: dict[str, Paper]
    people: dict[str, Person]
    organizations: dict[str, Organization]
    listings: list[ListingInput]
    owners: dict[str, str]  # listing id -> person key


# ------------------------------------------------------------------------------------ union-find
class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def add(self, item: str) -> None:
        self.parent.setdefault(item, item)

    def find(self, item: str) -> str:
        parent = self.parent
        root = item
        while parent[root] != root:
            root = parent[root]
        while parent[item] != root:
            parent[item], item = root, parent[item]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # Deterministic: the lexically smaller root wins, whatever the order of calls.
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


# ------------------------------------------------------------------------------------ resolution
def _organization_display(name: str) -> tuple[str, tuple[str, ...]]:
    try:
        from .normalize import organization_name
    except ImportError:  # pragma: no cover - normalize ships with the package
        return name, ()
    display, aliases = organization_name(name)
    return display, tuple(aliases)


def _record_order(record: Record, listing_id: str) -> tuple:
    return (FORMAT_PRIORITY.get(record.format, 9), listing_id, record.line)


def resolve(listings: Iterable[ListingInput]) -> Resolution:
    """Merge the records of all listings into papers, people and organizations (pure function)."""
    listings = sorted(listings, key=lambda item: item.id)
    grouped: dict[str, list[tuple[tuple, Record, str]]] = defaultdict(list)
    for listing in listings:
        for record in listing.records:
            key = title_key(record.title)
            if not key:
                continue
            grouped[key].append((_record_order(record, listing.id), record, listing.id))

    author_groups = {key: [(order, rec.authors, lid) for order, rec, lid in entries]
                     for key, entries in grouped.items()}
    uf, people, owners = resolve_people(author_groups, listings)
    organizations = OrganizationIndex()
    papers: dict[str, Paper] = {}
    for key in sorted(grouped):
        entries = sorted(grouped[key], key=lambda item: item[0])
        papers[key] = merge_paper(key, entries, uf, organizations.add)

    assign_paper_slugs(papers.values())
    return Resolution(papers=papers, people=people, organizations=organizations.organizations,
                      listings=listings, owners=owners)


class OrganizationIndex:
    """Organizations met while merging papers, one per key (``add`` returns the key)."""

    def __init__(self) -> None:
        self.organizations: dict[str, Organization] = {}

    def add(self, name: str) -> str:
        display, aliases = _organization_display(name)
        key = org_key(display)
        org = self.organizations.get(key)
        if org is None:
            org = self.organizations[key] = Organization(key=key, name=display, slug=slugify(display))
        if name != display:
            org.aliases.add(name)
        org.aliases.update(a for a in aliases if a != display)
        return key


def resolve_people(author_groups: dict[str, list[tuple[tuple, list[PersonName], str]]], listings
                   ) -> tuple[_UnionFind, dict[str, Person], dict[str, str]]:
    """People of all papers: ``(union-find of person keys, people by root key, listing id -> owner)``.

    ``author_groups`` maps a paper's title key to ``(record order, authors, listing id)`` entries (the
    order value is not read: it may be None); ``listings`` need ``id``, ``format`` and ``owner``. Needs
    only names, so a large build can keep it in memory while the records themselves wait on disk.
    """
    written: dict[str, list[PersonName]] = defaultdict(list)
    for key in sorted(author_groups):
        for _, authors, _ in author_groups[key]:
            for author in authors:
                if not author.is_organization:
                    written[person_key(author)].append(author)
    owners: dict[str, str] = {}
    for listing in listings:
        if listing.owner is not None and not listing.owner.is_organization:
            owner_key = person_key(listing.owner)
            written[owner_key].append(listing.owner)
            owners[listing.id] = owner_key

    uf = _UnionFind()
    for key in sorted(written):
        uf.add(key)
    _align_same_paper(author_groups, uf)
    _merge_variants_on_evidence(author_groups, listings, owners, uf)
    people = _build_people(written, uf)
    assign_person_slugs(people)
    owners = {listing_id: uf.find(k) for listing_id, k in owners.items()}
    return uf, people, owners


def _align_same_paper(grouped: dict[str, list], uf: _UnionFind) -> None:
    """Names on the same paper in two listings that fit only each other are one person."""
    for key in sorted(grouped):
        lists = [[a for a in authors if not a.is_organization] for _, authors, _ in grouped[key]]
        lists = [lst for lst in lists if lst]
        if len(lists) < 2:
            continue
        for i, first in enumerate(lists):
            for second in lists[i + 1:]:
                for name in first:
                    fam, toks = family_key(name.family), given_tokens(name.given)
                    candidates = {
                        person_key(other) for other in second
                        if family_key(other.family) == fam and (
                            given_compatible(toks, given_tokens(other.given))
                            or given_compatible(given_tokens(other.given), toks))
                    }
                    if len(candidates) == 1:
                        uf.union(person_key(name), candidates.pop())


def _merge_variants_on_evidence(grouped: dict[str, list], listings,
                                owners: dict[str, str], uf: _UnionFind) -> None:
    # Who stands on which paper, with whom, and in which profile export.
    papers_of: dict[str, set[str]] = defaultdict(set)
    profile_of: dict[str, set[str]] = defaultdict(set)
    profile_listings = {lst.id for lst in listings if lst.format == "profile-export" or lst.id in owners}
    for key, entries in grouped.items():
        for _, authors, listing_id in entries:
            for author in authors:
                if author.is_organization:
                    continue
                pk = uf.find(person_key(author))
                papers_of[pk].add(key)
                if listing_id in profile_listings:
                    profile_of[pk].add(listing_id)
    for listing_id, owner in owners.items():
        profile_of[uf.find(owner)].add(listing_id)

    def coauthors(pk: str) -> set[str]:
        result: set[str] = set()
        for key in papers_of.get(pk, ()):
            for _, authors, _ in grouped[key]:
                result.update(uf.find(person_key(a)) for a in authors if not a.is_organization)
        result.discard(pk)
        return result

    by_family: dict[str, list[str]] = defaultdict(list)
    for key in sorted(uf.parent):
        if uf.find(key) == key:
            by_family[key.split("|", 1)[1]].append(key)

    for family in sorted(by_family):
        roots = by_family[family]
        if len(roots) < 2:
            continue
        tokens = {r: tuple(r.split("|", 1)[0].split()) for r in roots}
        for short in sorted(roots, key=lambda r: (_specificity(tokens[r]), r)):
            fuller = [r for r in roots if r != short and tokens[r] != tokens[short]
                      and _specificity(tokens[r]) >= _specificity(tokens[short])
                      and given_compatible(tokens[short], tokens[r])]
            if len(fuller) != 1:
                continue
            long = fuller[0]
            s_root, l_root = uf.find(short), uf.find(long)
            if s_root == l_root:
                continue
            if papers_of.get(s_root, set()) & papers_of.get(l_root, set()):
                continue  # both on one paper: two different people
            shared_profile = profile_of.get(s_root, set()) & profile_of.get(l_root, set())
            if shared_profile or coauthors(s_root) & coauthors(l_root):
                uf.union(s_root, l_root)
                merged = uf.find(s_root)
                papers_of[merged] = papers_of.get(s_root, set()) | papers_of.get(l_root, set())
                profile_of[merged] = profile_of.get(s_root, set()) | profile_of.get(l_root, set())


def _build_people(written: dict[str, list[PersonName]], uf: _UnionFind) -> dict[str, Person]:
    members: dict[str, list[PersonName]] = defaultdict(list)
    for key, names in written.items():
        members[uf.find(key)].extend(names)
    people: dict[str, Person] = {}
    for root, names in members.items():
        # Each written form once (names are mostly interned objects, so by identity; first occurrences
        # keep their order, so max() picks the same name among equals).
        names = list({id(n): n for n in names}.values())
        # The fullest written form is the display name: most full given names, then longest.
        best = max(names, key=lambda n: (_specificity(given_tokens(n.given)), len(n.given),
                                         n.display))
        people[root] = Person(key=root, name=best.display, given=best.given, family=best.family,
                              variants={n.as_written for n in names} | {n.display for n in names})
    return people


def choose_title(titles: list[str]) -> str:
    """The most common written form of a paper's title; the most authoritative listing's on a tie
    (``titles`` in record order)."""
    counts: dict[str, int] = defaultdict(int)
    for title in titles:
        counts[title] += 1
    best = max(counts.values())
    return next(title for title in titles if counts[title] == best)


def choose_abstract(abstracts: list[str | None]) -> str | None:
    """The longest abstract (the first of the longest on a tie)."""
    present = [a for a in abstracts if a]
    return max(present, key=len) if present else None


def chosen_text(records: list[Record]) -> tuple[str, str | None]:
    """The title and abstract of a paper with these records (in record order): :func:`choose_title`
    and :func:`choose_abstract`, taken directly for the usual single record."""
    if len(records) == 1:
        return records[0].title, records[0].abstract or None
    return choose_title([rec.title for rec in records]), choose_abstract([rec.abstract for rec in records])


def merge_paper(key: str, entries: list[tuple[tuple, Record, str]], uf: _UnionFind, add_org) -> Paper:
    """One paper from its records (``entries`` sorted by record order): see the module's rules."""
    records = [rec for _, rec, _ in entries]
    title, abstract = chosen_text(records)
    paper = Paper(key=key, title=title, records=records)
    paper.abstract = abstract
    paper.sources = [SourceRef(listing=lid, line=rec.line, title_as_written=rec.title)
                     for _, rec, lid in entries]

    dates = [rec.date for rec in records if rec.date is not None]
    if dates:
        top = max(_DATE_PRECISION[d.datatype] for d in dates)
        paper.date = min((d for d in dates if _DATE_PRECISION[d.datatype] == top), key=lambda d: d.lexical)

    # Author list: a complete list beats a truncated one, a longer beats a shorter.
    with_authors = [rec for rec in records if rec.authors]
    stated_counts = [rec.author_count for rec in records if rec.author_count is not None]
    if with_authors:
        best = max(with_authors, key=lambda r: (r.authors_complete is not False, len(r.authors),
                                                -records.index(r)))
        for position, name in enumerate(best.authors, start=1):
            if name.is_organization:
                agent = add_org(name.display)
            else:
                agent = uf.find(person_key(name))
            paper.authorships.append(Authorship(position, agent, name.as_written, name.is_organization))
        known = {(a.agent, a.is_organization) for a in paper.authorships}
        for rec in with_authors:
            for name in rec.authors:
                if name.is_organization:
                    agent = add_org(name.display)  # called again all the same: a caller may record the calls
                elif rec is best:
                    continue  # the authorships above hold each of its people
                else:
                    agent = uf.find(person_key(name))
                if (agent, name.is_organization) not in known:
                    known.add((agent, name.is_organization))
                    paper.extra_creators.append((agent, name.is_organization))
        complete = best.authors_complete is not False
        if complete:
            stated_counts.append(len(best.authors))
        paper.author_count = max(stated_counts) if stated_counts else None
        paper.authors_complete = complete and (paper.author_count in (None, len(best.authors)))
    elif stated_counts:
        paper.author_count = max(stated_counts)

    for rec in records:
        for org in rec.organizations:
            org_id = add_org(org)
            if org_id not in paper.organizations:
                paper.organizations.append(org_id)
        if rec.category and rec.category not in paper.categories:
            paper.categories.append(rec.category)
        if rec.has_code is not None:
            paper.has_code = bool(paper.has_code) or rec.has_code
        if rec.upvotes is not None:
            paper.upvotes = max(paper.upvotes or 0, rec.upvotes)
        for value, target in ((rec.url, paper.urls), (rec.code_url, paper.code_urls),
                              (rec.record_id, paper.record_ids)):
            if value and value not in target:
                target.append(value)
    return paper


def assign_paper_slugs(papers: Iterable[Paper]) -> None:
    taken: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        taken[slugify(paper.title)].append(paper)
    for slug, group in taken.items():
        for paper in group:
            # Two distinct titles that slugify alike keep apart through a hash of their key.
            paper.slug = slug if len(group) == 1 else f"{slug}-{short_hash(paper.key)}"


def assign_person_slugs(people: dict[str, Person]) -> None:
    # "first-given family" is stable when a fuller variant arrives later ("Quoc Le" and "Quoc V. Le"
    # both give quoc-le); only when two people share it does the full name decide.
    base: dict[str, list[Person]] = defaultdict(list)
    for person in people.values():
        tokens = person.given.split()
        base[slugify(" ".join(tokens[:1] + [person.family]))].append(person)
    for slug, group in base.items():
        for person in group:
            person.slug = slug if len(group) == 1 else slugify(person.name) + (
                "" if sum(slugify(p.name) == slugify(person.name) for p in group) == 1
                else "-" + short_hash(person.key))
