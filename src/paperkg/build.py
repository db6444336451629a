"""The build pipeline: listing files → records → resolution → extraction → triples → store + Turtle.

``build_graph`` is what ``paperkg build`` runs; every stage is also importable on its own.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Sequence
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
            "seconds": round(self.seconds, 3),
        }


def collect_inputs(inputs: Sequence[str | os.PathLike]) -> list[tuple[Path, str, bool]]:
    """Expand files and folders into (path, listing id, named explicitly) in a stable order.

    A listing's id is its path relative to the folder it was found in (its name when given directly):
    stable across machines, so its IRI is too. Hidden files and folders are skipped.
    """
    found: list[tuple[Path, str, bool]] = []
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if child.is_file() and not any(part.startswith(".") for part in rel.parts):
                    found.append((child, rel.as_posix(), False))
        elif path.is_file():
            found.append((path, path.name, True))
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


def read_inputs(inputs: Sequence[str | os.PathLike], format: str | None = None, strict: bool = False,
                progress: Progress | None = None):
    """Read every listing. Returns ``(listings, reports)``.

    A file named on the command line with no usable record is an error (``InputError``); a file found
    inside a folder with none is reported and skipped, so a stray README does not stop a build. With
    ``strict``, any skipped record is an error.
    """
    from .normalize import parse_person_name
    from .readers import read_listing
    from .resolve import ListingInput

    files = collect_inputs(inputs)
    listings: list[ListingInput] = []
    reports: list[FileReport] = []
    for index, (path, listing_id, explicit) in enumerate(files):
        report = FileReport(path=str(path), listing_id=listing_id)
        reports.append(report)
        try:
            items, chosen = read_listing(path, format=format)
            report.format = chosen
            records: list[Record] = []
            owner = page_date = None
            for item in items:
                if isinstance(item, Record):
                    records.append(item)
                    report.warnings.extend(f"{path}:{item.line}: {w}" for w in item.warnings)
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
                        report.warnings.append(f"{path}:{item.line}: {item.value}")
        except InputError as exc:
            if explicit or strict or isinstance(exc, StrictModeError):
                raise
            report.error = str(exc)
            continue
        report.records = len(records)
        if not records:
            message = f"{path}: no recognizable records"
            if report.failures:
                message += f" ({len(report.failures)} damaged, first at line {report.failures[0].line})"
            if explicit or strict:
                raise InputError(message)
            report.error = message
            continue
        listings.append(ListingInput(id=listing_id, path=str(path), format=chosen, sha256=_sha256(path),
                                     records=records, owner=owner, page_date=page_date))
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
    """Read, resolve, extract and map: ``(triples, resolution, extractions, reports)`` (no store I/O)."""
    from .mapping import to_triples
    from .resolve import resolve

    listings, reports = read_inputs(inputs, format=format, strict=strict, progress=progress)
    resolution = resolve(listings)
    extractions = extract_knowledge(resolution, extractor, progress)
    triples = list(to_triples(resolution, extractions, base=base))
    return triples, resolution, extractions, reports


def build_graph(inputs: Sequence[str | os.PathLike], directory: str | os.PathLike = "output",
                format: str | None = None, strict: bool = False, base: str = DEFAULT_BASE,
                extractor=None, progress: Progress | None = None) -> BuildSummary:
    """Build the graph of ``inputs`` into ``directory``: store, ``paperkg.ttl``, ``extractions.jsonl``.

    All-or-nothing: the new generation becomes current only when fully written (see :mod:`.store`).
    """
    import pyoxigraph as ox

    from .export import canonical_order, write_graph
    from .namespaces import RDF
    from .store import EXTRACTIONS_NAME, TURTLE_NAME, Generation, build_lock

    started = time.perf_counter()
    directory = Path(directory)
    triples, resolution, extractions, reports = build_triples(
        inputs, format=format, strict=strict, base=base, extractor=extractor, progress=progress)
    ordered = canonical_order(triples)

    with build_lock(directory):
        generation = Generation(directory)
        try:
            store = ox.Store(str(generation.store_dir))
            store.bulk_extend(ox.Quad(s, p, o, ox.DefaultGraph()) for s, p, o in ordered)
            store.flush()
            del store
            if progress:
                progress("store", len(ordered), len(ordered))
            write_graph(ordered, generation.file(TURTLE_NAME), "turtle", base=base, presorted=True)
            _write_extractions(generation.file(EXTRACTIONS_NAME), resolution, extractions, base)
            generation.publish()
        except BaseException:
            generation.discard()
            raise

    rdf_type = str(RDF.type)
    class_counts = Counter(o.value.rsplit("#", 1)[-1] for s, p, o in ordered if p.value == rdf_type)
    return BuildSummary(directory=directory, files=reports, class_counts=dict(sorted(class_counts.items())),
                        triples=len(ordered), seconds=time.perf_counter() - started,
                        papers=len(resolution.papers),
                        mentions=sum(len(e.mentions) for e in extractions.values()))


def _write_extractions(path: Path, resolution, extractions: dict, base: str) -> None:
    """One JSON line per mention: why each entity fact is in the graph."""
    from .mapping import IriMinter

    iri = IriMinter(base)
    with open(path, "w", encoding="utf-8") as out:
        for key in sorted(extractions):
            paper_iri = iri("paper", resolution.papers[key].slug).value
            extraction = extractions[key]
            for m in extraction.mentions:
                out.write(json.dumps({
                    "paper": paper_iri, "type": m.type, "text": m.text, "field": m.field,
                    "start": m.start, "end": m.end, "canonical": m.canonical, "introduced": m.introduced,
                    "rule": m.rule}, ensure_ascii=False) + "\n")
            for r in extraction.results:
                out.write(json.dumps({
                    "paper": paper_iri, "type": "Result", "value": str(r.value), "unit": r.unit,
                    "metric": r.metric, "benchmark": r.benchmark, "method": r.method,
                    "relative": r.relative, "compared_to": r.compared_to, "field": "abstract",
                    "start": r.start, "end": r.end, "text": r.evidence, "rule": "result"},
                    ensure_ascii=False) + "\n")
