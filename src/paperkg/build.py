"""The build pipeline: listing files → records → resolution → extraction → triples → store + Turtle.

``build_graph`` is what ``paperkg build`` runs; every stage is also importable on its own.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import itertools
import json
import operator
import os
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, StrictModeError
from .records import FailedRecord, ListingNote, Record

DEFAULT_BASE = "https://w3id.org/paperkg/id/"
Progress = Callable[[str, int, int], None]


@dataclass(slots=True)
class FileReport:
    """What one input file gave: its format, records, skipped records and warnings."""

    path: str
    listing_id: str
    format: str | None = None
    records: int = 0
    failures: list[FailedRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None  # the file as a whole was unusable


@dataclass(slots=True)
class BuildSummary:
    directory: Path
    files: list[FileReport]
    class_counts: dict[str, int]
    triples: int
    seconds: float
    papers: int = 0
    mentions: int = 0
    extracted: int = 0  # papers extracted in this run (the others came from the extraction cache)
    statuses: dict[str, str] = field(default_factory=dict)  # add: listing id -> added/replaced/unchanged
    changed: bool = True  # add: False when every listing was already in the build unchanged
    jobs: int = 1
    remapped: int | None = None  # add: papers mapped again when the graph was patched; None: recompiled

    @property
    def records(self) -> int:
        return sum(f.records for f in self.files)

    @property
    def failures(self) -> list[FailedRecord]:
        return [failure for f in self.files for failure in f.failures]

    def to_dict(self) -> dict:
        return {
            "directory": str(self.directory),
            "files": [{"path": f.path, "format": f.format, "records": f.records,
                       "skipped": [str(x) for x in f.failures], "warnings": f.warnings, "error": f.error}
                      for f in self.files],
            "class_counts": self.class_counts,
            "triples": self.triples,
            "papers": self.papers,
            "seconds": round(self.seconds, 3),
            **({"listings": self.statuses, "changed": self.changed, "remapped": self.remapped}
               if self.statuses else {}),
        }


def collect_inputs(inputs: Sequence[str | os.PathLike]) -> list[tuple[Path, str, bool]]:
    """Expand files and folders into (path, listing id, named explicitly) in a stable order.

    A listing's id is its path relative to the folder it was found in (its name when given directly):
    stable across machines, so its IRI is too. Hidden files and folders are skipped.
    """
    from .state import path_text

    found: list[tuple[Path, str, bool]] = []
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if child.is_file() and not any(part.startswith(".") for part in rel.parts):
                    found.append((child, path_text(rel.as_posix()), False))
        elif path.is_file():
            found.append((path, path_text(path.name), True))
        else:
            raise InputError(f"{path}: no such file or folder")
    seen: Counter[str] = Counter()
    unique: list[tuple[Path, str, bool]] = []
    for path, listing_id, explicit in found:
        seen[listing_id] += 1
        if seen[listing_id] > 1:
            listing_id = f"{listing_id}~{seen[listing_id]}"
        unique.append((path, listing_id, explicit))
    return unique


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _read_one(path: Path, listing_id: str, explicit: bool, format: str | None, strict: bool):
    """Read one listing file: ``(FileReport, ListingInput or None)``; raises on fatal problems."""
    from .normalize import parse_person_name
    from .readers import read_listing
    from .resolve import ListingInput

    from .readers import display_path

    shown = display_path(path)
    report = FileReport(path=shown, listing_id=listing_id)
    try:
        items, chosen = read_listing(path, format=format)
        report.format = chosen
        records: list[Record] = []
        owner = page_date = None
        for item in items:
            if isinstance(item, Record):
                records.append(item)
                report.warnings.extend(f"{shown}:{item.line}: {w}" for w in item.warnings)
            elif isinstance(item, FailedRecord):
                report.failures.append(item)
                if strict:
                    raise StrictModeError(f"{item} (--strict makes skipped records fatal)")
            elif isinstance(item, ListingNote):
                if item.kind == "owner":
                    owner = parse_person_name(item.value)
                elif item.kind == "page-date":
                    page_date = item.value
                else:
                    report.warnings.append(f"{shown}:{item.line}: {item.value}")
    except InputError as exc:
        if explicit or strict or isinstance(exc, StrictModeError):
            raise
        report.error = str(exc)
        return report, None
    report.records = len(records)
    if not records:
        message = f"{shown}: no recognizable records"
        if report.failures:
            message += f" ({len(report.failures)} damaged, first at line {report.failures[0].line})"
        if explicit or strict:
            raise InputError(message)
        report.error = message
        return report, None
    return report, ListingInput(id=listing_id, path=shown, format=chosen, sha256=_sha256(path),
                                records=records, owner=owner, page_date=page_date)


def read_inputs(inputs: Sequence[str | os.PathLike], format: str | None = None, strict: bool = False,
                progress: Progress | None = None):
    """Read every listing. Returns ``(listings, reports)``.

    A file named on the command line with no usable record is an error (``InputError``); a file found
    inside a folder with none is reported and skipped, so a stray README does not stop a build. With
    ``strict``, any skipped record is an error.
    """
    files = collect_inputs(inputs)
    listings = []
    reports: list[FileReport] = []
    for index, (path, listing_id, explicit) in enumerate(files):
        report, listing = _read_one(path, listing_id, explicit, format, strict)
        reports.append(report)
        if listing is not None:
            listings.append(listing)
            if progress:
                progress("read", index + 1, len(files))
    if not listings:
        raise InputError("no records found in " + ", ".join(str(i) for i in inputs))
    return listings, reports


def extract_knowledge(resolution, extractor=None, progress: Progress | None = None) -> dict:
    """Run the extractor over every resolved paper's title and abstract: {paper key: Extraction}."""
    if extractor is False:
        return {}
    if extractor is None:
        from .extract import extract as default_extract

        run = default_extract
    else:
        run = extractor.extract
    results = {}
    papers = sorted(resolution.papers.values(), key=lambda p: p.key)
    for index, paper in enumerate(papers):
        results[paper.key] = run(paper.title, paper.abstract)
        if progress and (index % 500 == 0 or index + 1 == len(papers)):
            progress("extract", index + 1, len(papers))
    return results


def build_triples(inputs: Sequence[str | os.PathLike], format: str | None = None, strict: bool = False,
                  base: str = DEFAULT_BASE, extractor=None, progress: Progress | None = None):
    """Read, resolve, extract and map in memory: ``(triples, resolution, extractions, reports)``.

    Convenient for small inputs and tests; :func:`build_graph` streams and scales.
    """
    from .mapping import to_triples
    from .resolve import resolve

    listings, reports = read_inputs(inputs, format=format, strict=strict, progress=progress)
    resolution = resolve(listings)
    extractions = extract_knowledge(resolution, extractor, progress)
    triples = list(to_triples(resolution, extractions, base=base))
    return triples, resolution, extractions, reports


# ------------------------------------------------------------------------------------ workers
def default_jobs() -> int:
    """The machine's cores available to this process."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _warm_worker() -> None:
    from .extract import extract

    extract("warm-up", None)  # load the gazetteer once per worker, not in the first task


def _no_op() -> None:
    return None


class Workers:
    """A lazily started process pool with an in-order, bounded ``map`` (``jobs`` 1: no processes).

    At most ``window`` tasks are in flight, so a generator of tasks is consumed only as fast as the
    workers finish them: memory stays bounded whatever the input size. Results come back in task
    order, which keeps every output independent of ``jobs``.
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)
        self._pool = None

    def _executor(self):
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
            if context.get_start_method() == "forkserver":
                context.set_forkserver_preload(["paperkg.readers", "paperkg.extract", "paperkg.state"])
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=context,
                                             initializer=_warm_worker)
        return self._pool

    def start(self) -> None:
        """Start the worker processes now, in the background (they load the extractor while this
        process does other work), instead of at the first task."""
        if self.jobs > 1:
            pool = self._executor()
            for _ in range(self.jobs):
                pool.submit(_no_op)

    def submit_all(self, fn, tasks: Iterable) -> Iterator:
        """Submit every task now (a few, all wanted) and return an iterator of their results in task
        order; with ``jobs`` 1 they run, in this process, as the iterator is consumed."""
        if self.jobs == 1:
            return map(fn, list(tasks))
        pool = self._executor()
        futures = [pool.submit(fn, task) for task in tasks]
        return (future.result() for future in futures)

    def map(self, fn, tasks: Iterable, window: int | None = None, inline: bool = False,
            first: int | None = None) -> Iterator:
        """``fn`` of each task, in task order. ``first``: tasks handed out before the first result
        is awaited (a deeper window at the start, when this process has other work to do first)."""
        if self.jobs == 1 or inline:
            for task in tasks:
                yield fn(task)
            return
        pool = self._executor()
        window = window or self.jobs * 3
        tasks = iter(tasks)
        pending: deque = deque(pool.submit(fn, task) for task in itertools.islice(tasks, max(window, first or 0)))
        while pending:
            result = pending.popleft().result()
            for task in itertools.islice(tasks, max(0, window - len(pending))):
                pending.append(pool.submit(fn, task))
            yield result

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _read_packed(task: tuple) -> tuple:
    """Worker: read one listing and pack its records into state rows (parsing runs in parallel)."""
    from .resolve import FORMAT_PRIORITY, title_key
    from .state import pack_authors, pack_record

    path, listing_id, explicit, format, strict = task
    report, listing = _read_one(path, listing_id, explicit, format, strict)
    if listing is None:
        return report, None, []
    rows = []
    for record in listing.records:
        key = title_key(record.title)
        if key:
            rows.append((key, FORMAT_PRIORITY.get(record.format, 9), listing_id, record.line, record.title,
                         record.abstract, pack_authors(record.authors), pack_record(record)))
    meta = (listing.id, listing.path, listing.format, listing.sha256, listing.owner, listing.page_date,
            len(listing.records))
    return report, meta, rows


def _extract_packed(batch: list[tuple[bytes, str, str | None]], extractor=None) -> list[tuple[bytes, bytes]]:
    """Worker: extract a batch of papers, packed for the state file."""
    from .state import pack_extraction

    if extractor is None:
        from .extract import extract as run
    else:
        run = extractor.extract
    return [(digest, pack_extraction(run(title, abstract))) for digest, title, abstract in batch]


# ------------------------------------------------------------------------------------ batching
def batched(items: Iterable, size: int) -> Iterator[list]:
    """Consecutive lists of at most ``size`` items (the unit in which records flow to workers)."""
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def grouped_by_key(rows: Iterable[tuple]) -> Iterator[tuple[str, list[tuple]]]:
    """``(key, rows)`` for runs of rows sharing their first column (rows sorted by it)."""
    current = None
    group: list[tuple] = []
    for row in rows:
        if row[0] != current:
            if group:
                yield current, group
            current, group = row[0], []
        group.append(row)
    if group:
        yield current, group


MAP_BATCH = 256  # papers whose extractions are fetched in one query


def _records_by_paper(state, names: dict, fetch_extractions: bool) \
        -> Iterator[tuple[str, list, bytes | None, dict]]:
    """``(title key, [(record order, Record, listing id)], digest, extractions)`` for each paper in key
    order. ``digest`` is, when asked for, that of the title and abstract the paper will have once merged
    (as :func:`~paperkg.resolve.merge_paper` chooses them), and ``extractions`` (packed, by digest) those
    of its batch, fetched in one query per batch instead of one per paper (a paper whose digest it misses
    is simply looked up on its own)."""
    from .resolve import chosen_text
    from .state import extraction_digest, unpack_record

    def digest(entries: list) -> bytes:
        return extraction_digest(*chosen_text([record for _, record, _ in entries]))

    for batch in batched(grouped_by_key(state.record_rows()), MAP_BATCH):
        papers = [(key, [((prio, lid, line), unpack_record(data, names), lid) for _, prio, lid, line, data in rows])
                  for key, rows in batch]
        fetched = {}
        digests = [None] * len(papers)
        if fetch_extractions:
            digests = [digest(entries) for _, entries in papers]
            fetched = state.cached_extractions(digests)
        for (key, entries), paper_digest in zip(papers, digests):
            yield key, entries, paper_digest, fetched


def grouped_by_subject(triples: Iterable[tuple]) -> list[tuple]:
    """The distinct triples with each subject's together and, within a subject, each predicate's
    together, all in order of first appearance (stable): a Turtle writer then names each subject once
    (``;``) and each of its predicates once (``,``)."""
    groups: dict = {}
    long_runs: dict[int, set] = {}
    for triple in triples:
        by_predicate = groups.get(triple[0])
        if by_predicate is None:
            groups[triple[0]] = {triple[1]: [triple]}
        else:
            same = by_predicate.get(triple[1])
            if same is None:
                by_predicate[triple[1]] = [triple]
            elif len(same) < _SCAN_MAX:
                # a duplicate is looked for among its subject's and predicate's few only, which spares
                # hashing every literal (abstracts) as one set of the whole unit would
                if triple not in same:
                    same.append(triple)
            else:  # a long run of one subject and predicate (a node with many names): a set, not a scan
                seen = long_runs.get(id(same))
                if seen is None:
                    seen = long_runs[id(same)] = set(same)
                if triple not in seen:
                    seen.add(triple)
                    same.append(triple)
    return [triple for by_predicate in groups.values() for same in by_predicate.values() for triple in same]


_SCAN_MAX = 16  # grouped_by_subject: objects of one subject and predicate compared one by one


class StageTimer:
    """Seconds per pipeline stage; printed to stderr when ``PAPERKG_TIMINGS`` is set (for profiling)."""

    def __init__(self) -> None:
        self.started = self.last = time.perf_counter()
        self.stages: dict[str, float] = {}

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages[stage] = self.stages.get(stage, 0.0) + now - self.last
        self.last = now
        if os.environ.get("PAPERKG_TIMINGS"):
            import sys

            print(f"[timing] {stage:<10} {now - self.started:8.2f}s (+{self.stages[stage]:.2f}) "
                  f"cpu {time.process_time():.2f}s main {time.thread_time():.2f}s",  # CPU so far: the
                  file=sys.stderr)  # whole process (with the store's threads), and this thread alone


GRAPH_NT = ".graph.nt"  # in a generation being written: the merged graph, N-Triples in map order
READ_WINDOW = 8  # listings in flight per reading worker
EXTRACT_BATCH = 64  # papers per extraction task: big enough to amortize the IPC, small for balance
EXTRACT_WINDOW = 8  # extraction tasks in flight per worker
EXTRACT_FIRST = 1000  # and at first, while the people are resolved (~25 s of work for each worker)
STATE_BATCH = 2000  # rows per SQLite write
EMIT_PART = 20_000  # triples per unit when the collaborations and the entities are written


# ------------------------------------------------------------------------------------ the engine
@dataclass(slots=True)
class _ListingMeta:
    id: str
    format: str
    owner: object


@dataclass(slots=True)
class CompileStats:
    triples: int = 0
    quads: int = 0
    papers: int = 0
    mentions: int = 0
    extracted: int = 0
    reused: int = 0
    class_counts: Counter = field(default_factory=Counter)


def _ingest(state, files, format, strict, workers: Workers, progress: Progress | None,
            replace_existing: bool = False, existing: dict | None = None,
            touched: set[str] | None = None) -> tuple[list[FileReport], dict]:
    """Read files in parallel and store their records; returns (reports, {listing id: status}).
    ``touched`` collects the title keys of the records added and of those removed (replaced listings)."""
    reports: list[FileReport] = []
    statuses: dict[str, str] = {}
    tasks = [(path, listing_id, explicit, format, strict) for path, listing_id, explicit in files]
    inline = len(tasks) < 2
    # A deep window: a listing's result is small (~0.2 MB) and the workers must not wait for new tasks
    # while this thread, holding the GIL, stores the rows of the last one.
    window = workers.jobs * READ_WINDOW
    for index, (report, meta, rows) in enumerate(workers.map(_read_packed, tasks, window=window, inline=inline)):
        reports.append(report)
        if meta is not None:
            listing_id, path, fmt, sha256, owner, page_date, count = meta
            if existing is not None and listing_id in existing:
                if existing[listing_id][3] == sha256:
                    statuses[listing_id] = "unchanged"
                    continue
                if touched is not None:
                    touched.update(k for (k,) in state.db.execute(
                        "SELECT DISTINCT key FROM records WHERE listing=?", (listing_id,)))
                state.remove_listing(listing_id)
                statuses[listing_id] = "replaced"
            else:
                statuses[listing_id] = "added"
            state.put_listing(listing_id, path, fmt, sha256, owner, page_date, count)
            for chunk in batched(rows, STATE_BATCH):
                state.add_records(chunk)
                if touched is not None:
                    touched.update(row[0] for row in chunk)
        if progress:
            progress("read", index + 1, len(tasks))
    return reports, statuses


def _compile(state, generation, base: str, extractor, workers: Workers, progress: Progress | None,
             cache=None, prune: bool = False, extracted_before: int = 0, compact: bool = False) -> CompileStats:
    # snapshot: what `paperkg add` needs to patch this generation later (see paperkg.incremental)
    """Everything after reading, from the records in ``state``: resolution, extraction (cached by
    content), mapping, store and outputs, written into ``generation``. Streams: papers flow in key order
    one at a time; only names, slugs and entity names are held for the whole input."""
    import marshal

    from .ids import short_hash, slugify
    from .mapping import (
        A,
        CategoryIndex,
        EntityIndex,
        IriMinter,
        entity_triples,
        CollaborationCounter,
        collaboration_triples,
        listing_iri,
        listing_triples,
        nquad_lines,
        organization_triples,
        paper_triples,
        person_creators,
        person_triples,
        source_triples,
    )
    from .resolve import OrganizationIndex, choose_abstract, choose_title, merge_paper, resolve_people
    from .state import (
        extraction_digest,
        mention_names,
        unmarshal_owner,
        unpack_extraction_rows,
        unpack_names,
    )
    from .store import EXTRACTIONS_NAME

    from .incremental import SnapshotWriter

    stats = CompileStats(extracted=extracted_before)
    timer = StageTimer()
    iri = IriMinter(base)
    listing_rows = state.listings()
    snapshot = SnapshotWriter(state.db)  # snapshot

    # 1. People: only names are needed, for every record.
    names: dict = {}
    author_groups: dict[str, list] = defaultdict(list)
    listing_ids: dict[str, str] = {}  # one string per listing, not one per record
    for key, _, listing_id, _, blob in state.author_rows():
        listing_id = listing_ids.setdefault(listing_id, listing_id)
        # resolve_people does not look at the record order: None spares a tuple per record.
        author_groups[key].append((None, unpack_names(marshal.loads(blob), names), listing_id))
    metas = [_ListingMeta(lid, row[2], unmarshal_owner(row[4])) for lid, row in listing_rows.items()]
    stats.papers = len(author_groups)
    del listing_ids

    # 2. Titles -> slugs (collisions need every slug) and extraction of each distinct paper once. The
    # extraction starts first: its first tasks are handed out, then the people are resolved here while
    # the workers extract them (people need only this thread, which is otherwise idle while they work).
    entities_index = EntityIndex()
    seen_slugs: set[str] = set()
    duplicate_slugs: set[str] = set()
    wanted: set[bytes] = set()  # with prune: the extractions still in use

    def papers_to_extract():
        for key, rows in grouped_by_key(state.title_rows()):
            title = choose_title([r[1] for r in rows])
            slug = slugify(title)
            if slug in seen_slugs:
                duplicate_slugs.add(slug)
            seen_slugs.add(slug)
            if extractor is not False:
                abstract = choose_abstract([r[2] for r in rows])
                yield extraction_digest(title, abstract), title, abstract

    def missing_batches():
        done = 0
        for batch in batched(papers_to_extract(), EXTRACT_BATCH * 8):
            digests = [d for d, _, _ in batch]
            if prune:
                wanted.update(digests)
            known = state.cached_extractions(digests)
            if cache is not None:
                fresh = [d for d in digests if d not in known]
                if fresh:
                    marks = ",".join("?" * len(fresh))
                    reused = dict(cache.execute(f"SELECT digest, data FROM extractions WHERE digest IN ({marks})",
                                                fresh))
                    state.put_extractions(reused.items())
                    known.update(reused)
            for data in known.values():
                entities_index.add_mentions(mention_names(data))
            stats.reused += len(known)
            todo = list({d: (d, t, a) for d, t, a in batch if d not in known}.values())
            yield from batched(todo, EXTRACT_BATCH)
            done += len(batch)
            if progress:
                progress("extract", done, stats.papers)

    run_extract = _extract_packed if extractor is None else functools.partial(_extract_packed, extractor=extractor)
    # A batch takes a worker ~25 ms: a deep window keeps them busy while this thread reads titles and
    # stores results in bursts; a deeper one at first, for the time the people take.
    extracted = workers.map(run_extract, missing_batches(), window=workers.jobs * EXTRACT_WINDOW,
                            first=workers.jobs * EXTRACT_FIRST)
    first_results = next(extracted, None)  # (hands out the first tasks)
    # (Resolving people in a thread beside the extraction was tried: the thread's turns with the GIL
    # slowed down this thread, which then reads titles for the workers, and the 1M build lost more
    # time in the extraction than it gained. Here the first tasks are already out when people start.)
    uf, people, owners = resolve_people(author_groups, metas)
    snapshot.people(uf, people)  # snapshot
    del author_groups
    timer("people")
    for results in itertools.chain([first_results] if first_results is not None else [], extracted):
        state.put_extractions(results)
        stats.extracted += len(results)
        for _, data in results:
            entities_index.add_mentions(mention_names(data))
    workers.close()  # the extraction is over: the worker processes' memory goes back at once
    seen_slugs.clear()
    if prune:
        state.prune_extractions(wanted)
    wanted.clear()
    state.commit()
    entities = entities_index.nodes(iri)
    _release_free_memory()
    timer("extract")

    # 3. Papers in key order -> N-Quads (merged graph + each listing's provenance graph) into the store,
    # the merged graph's N-Triples (for the Turtle) and extractions.jsonl.
    organizations = OrganizationIndex()
    categories = CategoryIndex()
    collaborations = CollaborationCounter()
    org_calls: list[str] = []  # snapshot: the organization names each paper named, in order

    def add_org(name: str) -> str:
        org_calls.append(name)
        return organizations.add(name)

    def agent_iri(key: str, is_org: bool) -> str:
        return iri("org", organizations.organizations[key].slug) if is_org else iri("author", people[key].slug)

    def org_iri(key: str) -> str:
        return iri("org", organizations.organizations[key].slug)

    rdf_type = A
    graph_of = {lid: listing_iri(iri, lid) for lid in listing_rows}
    # The merged (default) graph goes to its own N-Triples file, for paperkg.ttl, and with the provenance
    # quads (named graphs) through a pipe into the store's bulk load, which runs in a thread (in Rust,
    # without the GIL) while the papers are being mapped.
    nt_path = generation.file(GRAPH_NT)
    loader = _StoreLoader(generation.store_dir, optimize=compact)
    # Names, people and entities stay until the end: the collector need not traverse them again each
    # time the mapping's short-lived objects trigger a full collection (~1 s of CPU at 100k papers).
    # (A caller that froze objects of its own keeps them frozen: then nothing is frozen or thawed here.)
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    try:
        with open(nt_path, "wb", buffering=1 << 20) as nt, \
                open(generation.file(EXTRACTIONS_NAME), "w", encoding="utf-8", buffering=1 << 20) as jsonl:

            def emit(triples) -> None:
                unit = grouped_by_subject(triples)  # one unit's subjects are its own: dedupe here is global
                stats.triples += len(unit)
                data = "".join(nquad_lines(unit)).encode("utf-8", "replace")
                nt.write(data)
                loader.write(data)
                for s, p, o in unit:
                    if p == rdf_type:
                        stats.class_counts[o.rsplit("#", 1)[-1]] += 1

            def emit_provenance(quads: Iterable[tuple[str, tuple]]) -> None:
                unit = dict.fromkeys(quads)
                stats.quads += len(unit)
                lines: list[str] = []
                for lid, same in itertools.groupby(unit, key=operator.itemgetter(0)):
                    lines += nquad_lines([t for _, t in same], graph_of[lid])
                loader.write("".join(lines).encode("utf-8", "replace"))

            papers = _records_by_paper(state, names, fetch_extractions=extractor is not False)
            for done, (key, entries, digest, fetched) in enumerate(papers, start=1):
                paper = merge_paper(key, entries, uf, add_org)
                slug = slugify(paper.title)
                paper.slug = f"{slug}-{short_hash(key)}" if slug in duplicate_slugs else slug
                extraction = None
                if digest is not None:  # that of paper.title and paper.abstract
                    data = fetched.get(digest)
                    if data is None:
                        data = state.extraction(digest)
                    extraction = unpack_extraction_rows(data) if data is not None else None
                sources = list(source_triples(paper, iri))
                emit([*paper_triples(paper, iri, agent_iri, org_iri, categories, extraction, entities),
                      *(t for _, t in sources)])
                emit_provenance(sources)
                collaborations.add(person_creators(paper))
                if extraction is not None:
                    stats.mentions += len(extraction.mentions)
                    _write_extraction_lines(jsonl, iri("paper", paper.slug), extraction)
                snapshot.paper(key, paper.slug, slug, digest, org_calls, paper.categories,  # snapshot
                               len(extraction.mentions) if extraction is not None else 0)
                org_calls.clear()
                if progress and (done % 1000 == 0 or done == stats.papers):
                    progress("map", done, stats.papers)

            for lid, row in listing_rows.items():
                listing = _ListingRow(lid, row)
                owner = owners.get(lid)
                triples = list(listing_triples(listing, iri("author", people[owner].slug) if owner else None, iri))
                emit(triples)
                emit_provenance((lid, t) for t in triples)
            for person in sorted(people.values(), key=lambda p: p.slug):
                emit(person_triples(person, iri))
            for org in sorted(organizations.organizations.values(), key=lambda o: o.slug):
                emit(organization_triples(org, iri))
            # Collaborations and entities go out in parts, not as one unit (one unit of all the entities
            # is ~1 GB of Python objects at 1M papers): no two of their nodes share a subject and each
            # node's triples come together, so the output is the same.
            for part in batched(collaboration_triples(collaborations.pairs(), lambda key: people[key].slug, iri),
                                EMIT_PART):
                emit(part)
            del collaborations
            emit(categories.triples(iri))
            for part in batched(entity_triples(entities), EMIT_PART):
                emit(part)
            snapshot.organizations(organizations.organizations)  # snapshot
        stats.quads += stats.triples
        snapshot.finish(stats)  # snapshot
        state.commit()
        timer("map")

        # 4. The rest of the store's load and, at once, paperkg.ttl from the N-Triples (in another thread),
        # while this thread writes the entity index into the snapshot (the mapping only needed the nodes).

        def snapshot_entities() -> None:
            snapshot.entities(entities_index, entities)  # snapshot
            state.commit()

        _finish_outputs(generation, loader, nt_path, base, progress, stats, timer, snapshot_entities)
    except BaseException:
        loader.abort()
        raise
    finally:
        if freeze:
            gc.unfreeze()
    nt_path.unlink()
    return stats


@dataclass(slots=True)
class _ListingRow:
    id: str
    row: tuple

    @property
    def format(self) -> str:
        return self.row[2]

    @property
    def sha256(self) -> str:
        return self.row[3]

    @property
    def page_date(self) -> str | None:
        return self.row[5]

    @property
    def record_count(self) -> int:
        return self.row[6]


LOAD_CHUNK_QUADS = 175_000  # quads per bulk load (see _StoreLoader)
LOAD_THREADS = 2  # chunks loaded at once


class _StoreLoader:
    """A new store at ``store_dir`` that bulk-loads, in threads, the N-Quads written to it with
    :meth:`write` as they come (Oxigraph's bulk load runs in Rust and releases the GIL, so it runs beside
    the Python that writes). :meth:`finish` ends the input and waits for the load.

    The quads go to chunk files of ``chunk_quads`` lines in ``chunk_dir`` (by default the folder that
    holds the store); ``threads`` threads bulk-load them (then delete them) as they are completed. One
    load of the whole stream would hold up to three batches of a million quads at once (one being
    parsed, two being encoded and sorted into the store's files): ~2.3 GB whatever the size of the
    build. Smaller chunks cost less, not more: on the 57.8 M quads of the 1M benchmark build, two
    threads loading (then compacting) chunks of 175k quads took 370 CPU-s and 0.51 GB, chunks of 350k
    425 CPU-s and 0.86 GB, chunks of 1M (one thread) 525 CPU-s and 1.35 GB (each chunk's in-memory
    sort and hash sets stay small; docs/scale.md). The writer never waits for the load: the chunks not
    loaded yet wait on disk."""

    def __init__(self, store_dir: Path, chunk_dir: Path | None = None, chunk_quads: int | None = None,
                 threads: int | None = None, optimize: bool = False) -> None:
        import queue

        import pyoxigraph as ox

        self.store = ox.Store(str(store_dir))
        self.chunk_quads = chunk_quads or LOAD_CHUNK_QUADS
        self.optimize = optimize
        self._chunk_dir = Path(chunk_dir) if chunk_dir is not None else Path(store_dir).parent
        self._chunks: queue.SimpleQueue = queue.SimpleQueue()  # complete chunk files; None: the end
        self._stop = False
        self._count = 0
        self._lines = 0
        self._path = self._writer = None
        self._tasks = [_Background(self._load) for _ in range(threads or LOAD_THREADS)]
        self._open_chunk()

    def _open_chunk(self) -> None:
        self._count += 1
        self._path = self._chunk_dir / f".load-{self._count:06d}.nq"
        self._writer = open(self._path, "wb", buffering=1 << 20)
        self._lines = 0

    def _close_chunk(self) -> None:
        self._writer.close()
        if self._lines:
            self._chunks.put(self._path)
        else:
            self._path.unlink()

    def _load(self) -> None:
        import pyoxigraph as ox

        while (path := self._chunks.get()) is not None and not self._stop:
            # lenient: no IRI checks again; mapping.web_iri checked every IRI taken from an input, and
            # the others are a checked base plus slugs
            self.store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS, lenient=True)
            path.unlink()

    def write(self, data: bytes) -> None:
        start, end = 0, len(data)
        lines = data.count(b"\n")  # one per quad: a newline inside a literal is escaped
        while self._lines + lines > self.chunk_quads:
            # A large write (such as all the entities, at the end) fills this chunk and goes on in the
            # next one: cut at the end of a line, about where this chunk is full.
            guess = start + (end - start) * (self.chunk_quads - self._lines) // lines
            cut = data.find(b"\n", max(start, guess - 1), end) + 1
            self._writer.write(memoryview(data)[start:cut])
            written = data.count(b"\n", start, cut)
            self._lines += written
            lines -= written
            start = cut
            self._next_chunk()
        self._writer.write(memoryview(data)[start:] if start else data)
        self._lines += lines
        if self._lines >= self.chunk_quads:
            self._next_chunk()

    def _next_chunk(self) -> None:
        self._close_chunk()
        for task in self._tasks:
            if not task.running():  # a load stopped: its own error says why
                task.result()
        self._open_chunk()

    def finish(self) -> None:
        self._close_chunk()
        for _ in self._tasks:
            self._chunks.put(None)  # end of input
        for task in self._tasks:
            task.result()
        self.store.flush()
        if self.optimize:
            # Each chunk's load adds its own sorted files to every index, so a lookup searches many
            # files; compacting them into one sorted run makes queries 2-4x faster (docs/scale.md)
            self.store.optimize()
        self.store = None  # closed

    def abort(self) -> None:
        """End the input and wait for the threads (nothing may write into a generation being discarded)."""
        self._stop = True
        with contextlib.suppress(OSError):
            self._writer.close()
        for _ in self._tasks:
            self._chunks.put(None)
        for task in self._tasks:
            task.wait()
        self.store = None


def _release_free_memory() -> None:
    """Give the heap's free pages back to the system. glibc keeps what resolution and extraction
    bookkeeping freed; the store's loader allocates in its own threads' arenas and could not reuse it."""
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def _finish_outputs(generation, loader: _StoreLoader, nt_path: Path, base: str, progress: Progress | None,
                    stats: CompileStats, timer: StageTimer, meanwhile: Callable[[], None] | None = None) -> None:
    """Finish the store's load (and compact it) in one thread while another writes ``paperkg.ttl`` from
    ``nt_path``, and this one runs ``meanwhile``."""
    from .export import data_prefixes
    from .store import TURTLE_NAME

    # Every IRI of the graph was checked when it was made (mapping.web_iri, IriMinter): no need again.
    turtle = _Background(write_turtle, nt_path, generation.file(TURTLE_NAME), data_prefixes(base), False)
    store = _Background(loader.finish)
    try:
        if meanwhile is not None:
            meanwhile()
        store.result()
    except BaseException:
        store.wait()  # nothing may still write into the generation that is about to be discarded
        turtle.wait()
        raise
    timer("store")  # the time the store's load took beyond the mapping
    if progress:
        progress("store", stats.quads, stats.quads)
    turtle.result()
    timer("turtle")  # the time the Turtle took beyond the store


class _Background:
    """``fn(*args)`` in a thread started at once; :meth:`result` waits for it and re-raises its error."""

    def __init__(self, fn, *args) -> None:
        import threading

        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(fn, args), name=f"paperkg-{fn.__name__}",
                                        daemon=True)
        self._thread.start()

    def _run(self, fn, args) -> None:
        try:
            fn(*args)
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread by result()
            self._error = exc

    def running(self) -> bool:
        return self._thread.is_alive()

    def wait(self) -> None:
        self._thread.join()

    def result(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error


def write_turtle(nt_path: Path, path: Path, prefixes: dict[str, str], validate: bool = True) -> None:
    """The N-Triples file ``nt_path`` as Turtle at ``path``: its triples in the file's order (so the same
    file gives the same bytes), consecutive triples of one subject written as one block, ``@prefix``
    lines sorted. Parsing and serializing both run in Oxigraph (Rust). ``validate`` False skips checking
    the IRIs (much faster) for a file whose IRIs were checked when they were made, as the build's are."""
    import pyoxigraph as ox

    def serialize(tmp: Path) -> None:
        triples = ox.parse(path=str(nt_path), format=ox.RdfFormat.N_TRIPLES, lenient=not validate)
        ox.serialize(triples, str(tmp), ox.RdfFormat.TURTLE, prefixes=prefixes)

    _write_with_sorted_prefixes(serialize, Path(path))


def dump_store(store, path: Path, format, prefixes: dict[str, str] | None = None, from_graph=None) -> None:
    """``store.dump`` to ``path`` with its ``@prefix`` lines sorted (Oxigraph writes them in hash order,
    which differs from run to run)."""
    kwargs = {"prefixes": prefixes} if prefixes else {}
    if from_graph is not None:
        kwargs["from_graph"] = from_graph
    _write_with_sorted_prefixes(lambda tmp: store.dump(str(tmp), format, **kwargs), Path(path))


def _write_with_sorted_prefixes(write: Callable[[Path], None], path: Path) -> None:
    """``write(tmp)`` into ``.<name>.unsorted`` beside ``path``, sort its leading ``@prefix`` lines in
    place (they are the same lines in another order: same length, so nothing else moves) and rename it
    to ``path``."""
    tmp = path.with_name(f".{path.name}.unsorted")
    write(tmp)
    with open(tmp, "r+b") as handle:
        header = []
        while True:
            line = handle.readline()
            if not line.startswith(b"@prefix "):
                break
            header.append(line)
        if header:
            handle.seek(0)
            handle.writelines(sorted(header))
    os.replace(tmp, path)


def _write_extraction_lines(out, paper_iri: str, extraction) -> None:
    """One JSON object per line for each mention and result: the text of ``json.dumps({"paper": ...,
    ...}, ensure_ascii=False)``, assembled from each value's own ``json.dumps`` (see :func:`_json`),
    which is several times faster than encoding a dict per line."""
    j = _json
    head = '{"paper": ' + j(paper_iri)
    lines = _mention_lines(head, extraction.mentions)
    if lines is None:
        lines = [f'{head}, "type": {j(m.type)}, "text": {j(m.text)}, "field": {j(m.field)}, '
                 f'"start": {j(m.start)}, "end": {j(m.end)}, "canonical": {j(m.canonical)}, '
                 f'"introduced": {j(m.introduced)}, "rule": {j(m.rule)}}}\n' for m in extraction.mentions]
    if extraction.results:
        lines += [f'{head}, "type": "Result", "value": {j(str(r.value))}, "unit": {j(r.unit)}, '
                  f'"metric": {j(r.metric)}, "benchmark": {j(r.benchmark)}, "method": {j(r.method)}, '
                  f'"relative": {j(r.relative)}, "compared_to": {j(r.compared_to)}, "field": "abstract", '
                  f'"start": {j(r.start)}, "end": {j(r.end)}, "text": {j(r.evidence)}, "rule": "result"}}\n'
                  for r in extraction.results]
    out.write("".join(lines))


def _mention_lines(head: str, mentions) -> list[str] | None:
    """The lines of :func:`_write_extraction_lines` for mentions unpacked as the build does (named
    tuples) whose values have the extractor's types, else None: each field's values are encoded at once,
    column by column, in C. Other types (a custom extractor's) go the general way, through :func:`_json`."""
    if not mentions or mentions[0].__class__ is not _mention_row_type():
        return None
    try:
        types, texts, starts, ends, fields, canonicals, _, introduced, rules = zip(*mentions)
    except (TypeError, ValueError):  # not all of them tuples of a Mention's fields
        return None
    # an int's own text (f-string) and _JSON_BOOL are json.dumps' text only for these exact types
    if set(map(type, starts + ends)) != {int} or set(map(type, introduced)) != {bool}:
        return None
    s = _json_str
    try:
        return [f'{head}, "type": {t}, "text": {x}, "field": {f}, "start": {a}, "end": {b}, "canonical": {c}, '
                f'"introduced": {i}, "rule": {r}}}\n'
                for t, x, f, a, b, c, i, r in zip(map(s, types), map(s, texts), map(s, fields), starts, ends,
                                                  map(s, canonicals), map(_JSON_BOOL.__getitem__, introduced),
                                                  map(s, rules))]
    except TypeError:  # a value that is not a str
        return None


@functools.cache
def _mention_row_type() -> type:
    from .state import _mention_row

    return _mention_row()


_JSON_BOOL = {True: "true", False: "false"}
_json_str = json.encoder.encode_basestring  # the string encoder of json.dumps(..., ensure_ascii=False)


def _json(value) -> str:
    """``json.dumps(value, ensure_ascii=False)``, without its per-call set-up for the common scalars."""
    kind = value.__class__
    if kind is str:
        return _json_str(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False)


def _extractor_mode(extractor) -> str:
    if extractor is False:
        return "none"
    return "default" if extractor is None else "custom"


def _plan_jobs(extractor, jobs: int | None) -> int:
    jobs = default_jobs() if jobs is None else max(1, int(jobs))
    if jobs > 1 and extractor not in (None, False):
        import pickle

        try:
            pickle.dumps(extractor)
        except Exception:  # noqa: BLE001 - any pickling failure means: extract in this process
            return 1
    return jobs


def build_graph(inputs: Sequence[str | os.PathLike], directory: str | os.PathLike = "output",
                format: str | None = None, strict: bool = False, base: str = DEFAULT_BASE,
                extractor=None, progress: Progress | None = None, jobs: int | None = None,
                compact: bool = True) -> BuildSummary:
    """Build the graph of ``inputs`` into ``directory``: store, ``paperkg.ttl``, ``extractions.jsonl``.

    Streams: records are spilled to the build's ``state.sqlite`` as they are read, then flow one paper
    at a time through merging, extraction and mapping into N-Quads that the store bulk-loads as they
    are written (and an N-Triples file of the merged graph, which becomes ``paperkg.ttl``), so memory
    does not grow with the abstracts. ``jobs`` worker processes (default: the machine's
    cores) read listings and extract papers; the output is identical whatever ``jobs`` is. A custom
    ``extractor`` that cannot be pickled runs in this process.

    ``compact`` (the default) compacts the store once it is loaded: queries run 2-4x faster on it, for
    about a tenth more build time (``docs/scale.md``); False for builds that are rebuilt more often than
    they are queried.

    All-or-nothing: the new generation becomes current only when fully written (see :mod:`.store`).
    """
    started = time.perf_counter()
    directory = Path(directory)
    files = collect_inputs(inputs)
    jobs = _plan_jobs(extractor, jobs)
    mode = _extractor_mode(extractor)
    created = not directory.exists()
    return _build(files, inputs, directory, format, strict, base, extractor, progress, jobs, mode, started,
                  created, compact)


def _build(files, inputs, directory: Path, format, strict, base, extractor, progress, jobs, mode,
           started, created=False, compact=True) -> BuildSummary:
    from .store import build_lock

    with build_lock(directory):
        try:
            return _build_locked(files, inputs, directory, format, strict, base, extractor, progress, jobs,
                                 mode, started, compact)
        except BaseException:
            if created:  # a failed first build leaves no folder behind; a refused one never gets here
                import shutil

                shutil.rmtree(directory, ignore_errors=True)
            raise


def _build_locked(files, inputs, directory: Path, format, strict, base, extractor, progress, jobs, mode,
                  started, compact=True) -> BuildSummary:
    from .state import STATE_NAME, BuildState, extractor_fingerprint, open_cache
    from .store import CURRENT, Generation

    with Workers(jobs) as workers:
        generation = Generation(directory)
        state = cache = None
        try:
            state = BuildState(generation.file(STATE_NAME))
            fingerprint = extractor_fingerprint() if mode == "default" else mode
            state.set_meta("base", base)
            state.set_meta("extractor", mode)
            state.set_meta("fingerprint", fingerprint)
            if mode == "default":  # reuse the previous build's extractions of unchanged papers
                previous = directory / CURRENT / STATE_NAME
                cache = open_cache(previous)
                if cache is not None and _cache_fingerprint(cache) != fingerprint:
                    cache.close()
                    cache = None
            timer = StageTimer()
            reports, _ = _ingest(state, files, format, strict, workers, progress)
            if not state.listings():
                raise InputError("no records found in " + ", ".join(str(i) for i in inputs))
            state.index()
            timer("read")
            stats = _compile(state, generation, base, extractor, workers, progress, cache=cache, compact=compact)
            state.close()
            state = None
            timer("compile")
            generation.publish()
            timer("publish")
        except BaseException:
            if state is not None:
                state.close()
            generation.discard()
            raise
        finally:
            if cache is not None:
                cache.close()
    return BuildSummary(directory=directory, files=reports, class_counts=dict(sorted(stats.class_counts.items())),
                        triples=stats.triples, seconds=time.perf_counter() - started, papers=stats.papers,
                        mentions=stats.mentions, extracted=stats.extracted, jobs=jobs)


def _patch(state, touched, current, generation, base, extractor, workers, progress, timer,
           compact: bool = False) -> tuple:
    """The current generation patched into ``generation`` (see :mod:`.incremental`): ``(stats, papers
    mapped again, 0)``, or ``(None, None, papers extracted)`` when it has to be recompiled (the partial
    outputs are then removed; the extractions stay in the state, as a cache)."""
    import shutil

    from .incremental import Fallback, patch_generation
    from .store import PUBLISHED

    try:
        stats, result = patch_generation(state, touched, current, generation, base, extractor, workers, progress,
                                         timer, compact=compact)
        return stats, result.dirty, 0
    except Fallback as reason:
        if os.environ.get("PAPERKG_TIMINGS"):
            import sys

            print(f"add: recompiling the whole graph ({reason})", file=sys.stderr)
        shutil.rmtree(generation.store_dir, ignore_errors=True)
        for name in PUBLISHED:
            generation.file(name).unlink(missing_ok=True)
        return None, None, reason.extracted


def _cache_fingerprint(db) -> str | None:
    try:
        row = db.execute("SELECT value FROM meta WHERE name='fingerprint'").fetchone()
    except Exception:  # noqa: BLE001
        return None
    return row[0] if row else None


def add_listings(inputs: Sequence[str | os.PathLike], directory: str | os.PathLike = "output",
                 format: str | None = None, strict: bool = False, extractor=None,
                 progress: Progress | None = None, jobs: int | None = None, compact: bool = False) -> BuildSummary:
    """Add listings to the build in ``directory`` without re-reading the others.

    A listing already in the build with the same content changes nothing ("unchanged"); one with the
    same id and new content replaces its earlier contribution ("replaced"); a new id is "added".
    Papers and authors are resolved together with those already built, so the result is the graph a
    full build of all listings would give. Only new or changed papers are extracted. Like a build,
    it writes a new generation and switches to it atomically: a failed ``add`` changes nothing.

    A listing's id is the one it had in the build when the same file (same absolute path) is given,
    else its name (or its path below a folder given as input). ``compact``: as for :func:`build_graph`
    (without it, the patch adds a file or two to each of the store's indexes).
    """
    import shutil

    from .errors import StoreError
    from .state import STATE_NAME, BuildState, extractor_fingerprint, path_text
    from .store import Generation, build_lock, current_generation

    started = time.perf_counter()
    directory = Path(directory)
    with build_lock(directory):
        current = current_generation(directory)
        if not (current / STATE_NAME).is_file():
            raise StoreError(f"{directory}: this build has no {STATE_NAME} (made by an older paperkg); "
                             "rebuild it with `paperkg build` once")
        generation = Generation(directory)
        state = None
        try:
            timer = StageTimer()
            shutil.copyfile(current / STATE_NAME, generation.file(STATE_NAME))
            timer("copy")
            state = BuildState(generation.file(STATE_NAME))
            base = state.get_meta("base") or DEFAULT_BASE
            mode = state.get_meta("extractor") or "default"
            if mode == "none":
                extractor = False
            patchable = True
            if extractor not in (None, False) or mode == "custom":
                patchable = False  # a custom extractor's output is not known to be the build's
            elif extractor is None and mode == "default" and state.get_meta("fingerprint") != extractor_fingerprint():
                state.clear_extractions()  # the extractor changed since the build: extract afresh
                patchable = False
            existing = state.listings()
            by_path = {row[1]: lid for lid, row in existing.items()}
            files = []
            for path, listing_id, explicit in collect_inputs(inputs):
                if explicit:
                    listing_id = by_path.get(path_text(os.path.abspath(path)), listing_id)
                files.append((path, listing_id, explicit))
            jobs = _plan_jobs(extractor, jobs)
            touched: set[str] = set()
            with Workers(jobs) as workers:
                reports, statuses = _ingest(state, files, format, strict, workers, progress, existing=existing,
                                            touched=touched)
                timer("read")
                if any(s != "unchanged" for s in statuses.values()) and extractor is not False:
                    workers.start()  # new papers will be extracted: warm the workers meanwhile
                if not statuses:
                    raise InputError("no records found in " + ", ".join(str(i) for i in inputs))
                if all(s == "unchanged" for s in statuses.values()):
                    state.close()
                    state = None
                    generation.discard()
                    return BuildSummary(directory=directory, files=reports, class_counts={}, triples=0,
                                        seconds=time.perf_counter() - started, statuses=statuses,
                                        changed=False, jobs=jobs)
                stats, remapped, extracted = None, None, 0
                if patchable:
                    stats, remapped, extracted = _patch(state, touched, current, generation, base, extractor,
                                                        workers, progress, timer, compact)
                if stats is None:
                    stats = _compile(state, generation, base, extractor, workers, progress, prune=True,
                                     extracted_before=extracted, compact=compact)
            state.close()
            state = None
            generation.publish()
            timer("publish")
        except BaseException:
            if state is not None:
                state.close()
            generation.discard()
            raise
    return BuildSummary(directory=directory, files=reports, class_counts=dict(sorted(stats.class_counts.items())),
                        triples=stats.triples, seconds=time.perf_counter() - started, papers=stats.papers,
                        mentions=stats.mentions, extracted=stats.extracted, statuses=statuses, jobs=jobs,
                        remapped=remapped)
