"""The resolution inputs of a build, kept on disk: ``DIR/current/state.sqlite``.

A large build cannot hold every record (title, authors, a ~1 KB abstract) as Python objects next to
everything else, so records are *spilled* here as soon as they are read and come back one paper (one
title key) at a time, in key order. The same file makes ``paperkg add`` incremental: it holds every
listing's records (so resolution can merge a new listing's papers and authors with the old ones
without re-reading any file) and every extraction, keyed by a digest of the title and abstract it was
computed from (so only new or changed papers are extracted again).

Tables: ``meta`` (base IRI, extractor fingerprint), ``listings`` (one row per listing: id, path,
format, sha256, owner, page date, record count), ``records`` (one row per record: title key, order,
title, abstract, packed authors, the packed record) and ``extractions`` (digest -> packed extraction).
Values are packed with :mod:`marshal` (plain tuples of str/int/bool/None), which is fast and compact.
The file lives inside a generation (see :mod:`paperkg.store`), so it needs no journal: a build that
dies leaves a partial generation that is thrown away.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import operator
import os
import sqlite3
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

from .records import PaperDate, PersonName, Record

STATE_NAME = "state.sqlite"
SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS listings(
    id TEXT PRIMARY KEY, path TEXT, abspath TEXT, format TEXT, sha256 TEXT, owner BLOB, page_date TEXT,
    records INTEGER);
CREATE TABLE IF NOT EXISTS records(
    key TEXT, prio INTEGER, listing TEXT, line INTEGER, title TEXT, abstract TEXT, authors BLOB, data BLOB);
CREATE TABLE IF NOT EXISTS extractions(digest BLOB PRIMARY KEY, data BLOB);
"""
_INDEXES = """
CREATE INDEX IF NOT EXISTS records_order ON records(key, prio, listing, line);
CREATE INDEX IF NOT EXISTS records_listing ON records(listing);
"""


# ----------------------------------------------------------------------------------- packing
def pack_authors(authors: Iterable[PersonName]) -> bytes:
    return marshal.dumps(tuple((a.as_written, a.given, a.family, a.is_organization) for a in authors))


def pack_record(record: Record) -> bytes:
    date = record.date
    return marshal.dumps((
        record.title, record.source, record.line, record.format,
        tuple((a.as_written, a.given, a.family, a.is_organization) for a in record.authors),
        record.authors_complete, record.author_count, tuple(record.organizations), record.abstract,
        (date.lexical, date.datatype, date.as_written) if date is not None else None,
        record.category, record.has_code, record.upvotes, record.url, record.code_url, record.record_id))


def unpack_record(data: bytes, names: dict | None = None) -> Record:
    (title, source, line, fmt, authors, complete, count, orgs, abstract, date, category, has_code, upvotes,
     url, code_url, record_id) = marshal.loads(data)
    return Record(title=title, source=source, line=line, format=fmt, authors=unpack_names(authors, names),
                  authors_complete=complete, author_count=count, organizations=list(orgs), abstract=abstract,
                  date=PaperDate(*date) if date is not None else None, category=category, has_code=has_code,
                  upvotes=upvotes, url=url, code_url=code_url, record_id=record_id)


def unpack_names(packed: tuple, names: dict | None = None) -> list[PersonName]:
    """PersonName values; with a ``names`` dict, equal names share one object (a large build meets
    the same few hundred thousand names millions of times)."""
    if names is None:
        return [PersonName(*t) for t in packed]
    out = []
    for t in packed:
        name = names.get(t)
        if name is None:
            name = names[t] = PersonName(*t)
        out.append(name)
    return out


def unmarshal_owner(blob: bytes | None) -> PersonName | None:
    return PersonName(*marshal.loads(blob)) if blob else None


def extraction_digest(title: str, abstract: str | None) -> bytes:
    return hashlib.blake2b(f"{title}\x00{abstract or ''}".encode("utf-8", "surrogatepass"),
                           digest_size=16).digest()


def pack_extraction(extraction) -> bytes:
    return marshal.dumps((
        tuple((m.type, m.text, m.start, m.end, m.field, m.canonical, tuple(m.aliases), m.introduced, m.rule)
              for m in extraction.mentions),
        tuple((str(r.value), r.unit, r.metric, r.benchmark, r.method, r.relative, r.compared_to, r.evidence,
               r.start, r.end) for r in extraction.results),
        tuple(extraction.code_urls)))


def unpack_extraction(data: bytes):
    from .extract import Extraction, Mention, ResultMention

    mentions, results, code_urls = marshal.loads(data)
    return Extraction(
        mentions=[Mention(*m) for m in mentions],
        results=[ResultMention(Decimal(r[0]), *r[1:]) for r in results],
        code_urls=list(code_urls))


def unpack_extraction_rows(data: bytes):
    """:func:`unpack_extraction` for reading only, several times faster: the mentions are
    :data:`MentionRow` named tuples (a :class:`~paperkg.extract.Mention`'s fields, in its order)."""
    from .extract import Extraction, ResultMention

    mentions, results, code_urls = marshal.loads(data)
    row = _mention_row()
    return Extraction(
        mentions=[tuple.__new__(row, m) for m in mentions],
        results=[ResultMention(Decimal(r[0]), *r[1:]) for r in results],
        code_urls=list(code_urls))


@functools.cache
def _mention_row():
    from collections import namedtuple

    from .extract import Mention

    return namedtuple("MentionRow", Mention.__slots__)


def mention_names(data: bytes) -> Iterator[tuple[str, str, tuple[str, ...], str]]:
    """(type, canonical, aliases, text) of each mention of a packed extraction, without building it."""
    return map(_MENTION_NAMES, marshal.loads(data)[0])  # the tuples are made in C


_MENTION_NAMES = operator.itemgetter(0, 5, 6, 1)


def extractor_fingerprint() -> str:
    """A digest of the default extractor's code and gazetteer: cached extractions are reused only
    while it is unchanged."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted([*(root / "extract").glob("*.py"), *(root / "data" / "gazetteer").glob("*.tsv")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


# ----------------------------------------------------------------------------------- the file
def path_text(path) -> str:
    """A file path as text any store can hold: bytes that are not UTF-8 become \\xNN escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


class BuildState:
    """One ``state.sqlite`` opened for writing (it always lives in a generation being written)."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.db = sqlite3.connect(self.path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("PRAGMA cache_size=-65536")
        self.db.execute("PRAGMA temp_store=MEMORY")
        self.db.executescript(_SCHEMA)
        self.db.execute("BEGIN")

    # meta
    def get_meta(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE name=?", (name,)).fetchone()
        return row[0] if row else None

    def set_meta(self, name: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    # listings
    def listings(self) -> dict[str, tuple]:
        """id -> (path, abspath, format, sha256, owner, page_date, records)."""
        return {row[0]: row[1:] for row in self.db.execute(
            "SELECT id, path, abspath, format, sha256, owner, page_date, records FROM listings ORDER BY id")}

    def put_listing(self, listing_id: str, path: str, fmt: str, sha256: str, owner: PersonName | None,
                    page_date: str | None, records: int) -> None:
        owner_blob = marshal.dumps((owner.as_written, owner.given, owner.family, owner.is_organization)) \
            if owner is not None else None
        self.db.execute("INSERT OR REPLACE INTO listings VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (path_text(listing_id), path_text(path), path_text(os.path.abspath(path)), fmt, sha256,
                         owner_blob, page_date, records))

    def remove_listing(self, listing_id: str) -> None:
        self.db.execute("DELETE FROM records WHERE listing=?", (listing_id,))
        self.db.execute("DELETE FROM listings WHERE id=?", (listing_id,))

    # records
    def add_records(self, rows: Iterable[tuple]) -> None:
        """Rows of (key, prio, listing, line, title, abstract, packed authors, packed record)."""
        self.db.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def index(self) -> None:
        self.db.executescript(_INDEXES)  # commits what was pending
        self.db.execute("BEGIN")

    def author_rows(self) -> Iterator[tuple]:
        """(key, prio, listing, line, packed authors) of every record."""
        return self.db.execute("SELECT key, prio, listing, line, authors FROM records")

    def title_rows(self) -> Iterator[tuple]:
        """(key, title, abstract) of every record, in paper order."""
        return self.db.execute("SELECT key, title, abstract FROM records ORDER BY key, prio, listing, line")

    def record_rows(self) -> Iterator[tuple]:
        """(key, prio, listing, line, packed record) of every record, in paper order."""
        return self.db.execute("SELECT key, prio, listing, line, data FROM records ORDER BY key, prio, listing, line")

    # extractions
    def cached_extractions(self, digests: list[bytes]) -> dict[bytes, bytes]:
        found: dict[bytes, bytes] = {}
        for start in range(0, len(digests), 500):
            chunk = digests[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(self.db.execute(f"SELECT digest, data FROM extractions WHERE digest IN ({marks})", chunk))
        return found

    def put_extractions(self, rows: Iterable[tuple[bytes, bytes]]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO extractions VALUES (?, ?)", rows)

    def extraction(self, digest: bytes) -> bytes | None:
        row = self.db.execute("SELECT data FROM extractions WHERE digest=?", (digest,)).fetchone()
        return row[0] if row else None

    def clear_extractions(self) -> None:
        self.db.execute("DELETE FROM extractions")

    def prune_extractions(self, keep: set[bytes]) -> None:
        """Drop extractions of papers no longer in the build (after a listing was replaced)."""
        stale = [d for (d,) in self.db.execute("SELECT digest FROM extractions") if d not in keep]
        self.db.executemany("DELETE FROM extractions WHERE digest=?", ((d,) for d in stale))

    def commit(self) -> None:
        if self.db.in_transaction:
            self.db.execute("COMMIT")
        self.db.execute("BEGIN")

    def close(self) -> None:
        if self.db.in_transaction:
            self.db.execute("COMMIT")
        self.db.close()


def open_cache(path: Path) -> sqlite3.Connection | None:
    """A previous build's state, read-only, to reuse its extractions; None when there is none."""
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        db.execute("SELECT 1 FROM extractions LIMIT 1")
        return db
    except sqlite3.Error:
        return None
