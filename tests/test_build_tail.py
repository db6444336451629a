"""The build's tail: the store bulk-loads from a pipe while the papers are mapped, and ``paperkg.ttl`` is
written from the merged graph's N-Triples beside the end of that load.

A failure on either side of the pipe must fail the build promptly (no hang), leave the previous build as
it was and leave no partial generation or running thread behind.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
OTHER = EXAMPLES / "more-papers.jsonl"


def build(inputs, directory: Path, timeout: float = 120, **kwargs):
    """``build_graph`` in a thread, so that a hang fails the test instead of stalling the suite."""
    from paperkg.build import build_graph

    outcome: dict = {}

    def run():
        try:
            outcome["summary"] = build_graph(inputs, directory, jobs=1, extractor=False, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout)
    assert not worker.is_alive(), f"the build did not end in {timeout} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["summary"]


def paperkg_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("paperkg-")]


def published(directory: Path) -> tuple:
    return (directory / "current").resolve(), (directory / "paperkg.ttl").read_bytes()


def assert_left_as_it_was(directory: Path, before: tuple) -> None:
    """A failed build left the previous one published, no partial generation and no thread behind."""
    assert published(directory) == before
    assert not list(directory.glob(".gen-*"))
    assert paperkg_threads() == []


def big_listing(path: Path, papers: int) -> Path:
    """Enough papers that their N-Quads overflow the pipe and its buffer (the writer meets the error)."""
    import json

    with open(path, "w", encoding="utf-8") as out:
        for index in range(papers):
            out.write(json.dumps({"title": f"A study of pipes and loaders number {index}",
                                  "abstract": "We load graphs. " * 20,
                                  "authors": [f"Ada Writer{index % 50}", f"Bo Reader{index % 70}"],
                                  "url": f"https://example.org/paper/{index}"}) + "\n")
    return path


@pytest.fixture()
def previous(tmp_path) -> Path:
    directory = tmp_path / "out"
    build([EXAMPLES], directory)
    return directory


def test_the_turtle_names_each_subject_once(previous):
    """Each unit's triples are grouped by subject and predicate, so each subject is one Turtle block."""
    text = (previous / "paperkg.ttl").read_text(encoding="utf-8")
    heads = [line.split(" ", 1)[0] for line in text.splitlines()
             if line and not line.startswith(("\t", "@prefix", " "))]
    assert len(heads) == len(set(heads))
    assert len(re.findall(r"\sa pkg:Paper [;.]", text)) == 28


def test_the_turtle_and_the_store_hold_the_same_merged_graph(previous):
    import pyoxigraph as ox

    from paperkg.store import open_store

    turtle = {str(t) for t in ox.parse(path=previous / "paperkg.ttl", format=ox.RdfFormat.TURTLE)}
    store = open_store(previous)
    merged = {str(q.triple) for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    assert turtle == merged
    assert len(list(store.named_graphs())) == 5  # one provenance graph per listing


@pytest.mark.parametrize("papers", [10, 3000])
def test_a_failing_store_load_fails_the_build_without_hanging(previous, tmp_path, monkeypatch, papers):
    import paperkg.mapping as mapping

    real = mapping.nquad_lines
    # Not N-Quads at all (a subject must be an IRI or a blank node): the load fails even though it does
    # not check IRIs again (mapping checked them).
    monkeypatch.setattr(mapping, "nquad_lines",
                        lambda triples, graph=None: ["bad " + line for line in real(triples, graph)])
    before = published(previous)
    listing = OTHER if papers == 10 else big_listing(tmp_path / "big.jsonl", papers)
    with pytest.raises(SyntaxError):
        build([listing], previous)
    assert_left_as_it_was(previous, before)


def test_a_failing_mapping_stops_the_store_load(previous, tmp_path, monkeypatch):
    import paperkg.mapping as mapping

    real = mapping.paper_triples
    seen = []

    def fail_later(paper, *args, **kwargs):
        seen.append(paper)
        if len(seen) == 2000:
            raise RuntimeError("mapping broke")
        return real(paper, *args, **kwargs)

    monkeypatch.setattr(mapping, "paper_triples", fail_later)
    before = published(previous)
    with pytest.raises(RuntimeError, match="mapping broke"):
        build([big_listing(tmp_path / "big.jsonl", 3000)], previous)
    assert_left_as_it_was(previous, before)


def test_no_temporary_file_is_left_in_the_generation(previous):
    assert sorted(p.name for p in (previous / "current").iterdir()) == [
        "extractions.jsonl", "paperkg.ttl", "state.sqlite", "store"]


@pytest.mark.parametrize("module, target, error", [
    ("paperkg.build", "write_turtle", OSError("disk full")),  # in a thread beside the load's end
    ("paperkg.resolve", "resolve_people", ValueError("people broke")),
    # written by the main thread while the load ends: its error waits for the load and the Turtle
    ("paperkg.incremental", "SnapshotWriter.entities", RuntimeError("snapshot broke")),
])
def test_a_failing_stage_fails_the_build(previous, monkeypatch, module, target, error):
    """An error in any stage fails the build and leaves the previous one as it was."""
    import importlib

    def broken(*args, **kwargs):
        raise error

    owner = importlib.import_module(module)
    *path, name = target.split(".")
    for part in path:
        owner = getattr(owner, part)
    monkeypatch.setattr(owner, name, broken)
    before = published(previous)
    with pytest.raises(type(error), match=str(error)):
        build([OTHER], previous)
    assert_left_as_it_was(previous, before)


def test_compact_leaves_one_sorted_run_per_index(tmp_path):
    """``compact`` (the default): a build of many chunks ends with far fewer files than without it (each
    chunk's files stay), and the same data."""
    import paperkg.build as paperkg_build
    from paperkg.store import open_store

    def sst_files(directory: Path) -> int:
        return len(list((directory / "current" / "store").glob("*.sst")))

    def quads(directory: Path) -> set[str]:
        return {str(q) for q in open_store(directory).quads_for_pattern(None, None, None, None)}

    listing = big_listing(tmp_path / "big.jsonl", 3000)
    build([listing], tmp_path / "one", compact=True)
    original = paperkg_build.LOAD_CHUNK_QUADS
    try:
        paperkg_build.LOAD_CHUNK_QUADS = 2000  # ~30 chunks
        build([listing], tmp_path / "many", compact=True)
        build([listing], tmp_path / "loose", compact=False)
    finally:
        paperkg_build.LOAD_CHUNK_QUADS = original
    # (not an exact count: files that RocksDB's background work has just made obsolete may still be on
    # disk when the store closes)
    assert 2 * sst_files(tmp_path / "many") < sst_files(tmp_path / "loose")
    assert quads(tmp_path / "many") == quads(tmp_path / "loose") == quads(tmp_path / "one")


def test_add_compact(tmp_path):
    """``add --compact`` compacts the patched store too: fewer files than the same adds without it, and
    the same quads."""
    from paperkg.build import add_listings
    from paperkg.store import open_store

    def sst_files(directory: Path) -> int:
        return len(list((directory / "current" / "store").glob("*.sst")))

    counts, quads = [], []
    for compact in (False, True):
        out = tmp_path / f"out-{compact}"
        build([EXAMPLES / "daily-papers.txt"], out, compact=True)
        add_listings([OTHER], out, jobs=1, extractor=False)
        add_listings([EXAMPLES / "papers-search.txt"], out, jobs=1, extractor=False, compact=compact)
        counts.append(sst_files(out))
        quads.append({str(q) for q in open_store(out).quads_for_pattern(None, None, None, None)})
    assert counts[1] < counts[0], counts
    assert quads[0] == quads[1]
