"""The benchmark's listing generator and the batching that keeps memory bounded (no timings here)."""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import pytest

from paperkg.build import batched, grouped_by_key, read_inputs

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location("generate_listings", REPO / "bench" / "generate_listings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def generated_1k(generator, tmp_path_factory):
    out = tmp_path_factory.mktemp("gen") / "1k"
    summary = generator.generate(1000, out, seed=7, jsonl_share=0.1)
    return out, summary


def test_generator_is_deterministic_for_a_seed(generator, generated_1k, tmp_path):
    out, _ = generated_1k
    again = tmp_path / "again"
    generator.generate(1000, again, seed=7, jsonl_share=0.1)
    assert _tree_digest(out) == _tree_digest(again)
    other = tmp_path / "other"
    generator.generate(1000, other, seed=8, jsonl_share=0.1)
    assert _tree_digest(out) != _tree_digest(other)


def test_generated_listings_parse_with_no_failures_in_every_layout(generated_1k):
    out, summary = generated_1k
    listings, reports = read_inputs([out])
    assert sum(len(r.failures) for r in reports) == 0
    assert all(r.error is None for r in reports)
    assert sum(len(listing.records) for listing in listings) == summary["records"] == 1000
    # Each folder holds one layout, and the readers detect it from the text alone.
    for report in reports:
        assert Path(report.path).parent.name == report.format


def test_generated_listings_are_realistic(generated_1k):
    from paperkg.resolve import resolve

    out, summary = generated_1k
    listings, _ = read_inputs([out])
    resolution = resolve(listings)
    assert len(resolution.papers) == summary["distinct_papers"] < 1000  # ~10% repeated across files
    repeated = [p for p in resolution.papers.values() if len({s.listing for s in p.sources}) > 1]
    assert len(repeated) > 50
    prolific = max(sum(1 for p in resolution.papers.values() for a in p.authorships if a.agent == key)
                   for key in resolution.people)
    assert prolific >= 10  # Zipf reuse: some people write many papers, so co-authorship is dense
    truncated = [p for p in resolution.papers.values() if p.authors_complete is False]
    assert truncated  # "et al." in lab lists
    # Some papers introduce a benchmark of their own, so benchmark-introduction queries have work to do.
    introducing = [p for p in resolution.papers.values() if "a new benchmark for" in (p.abstract or "")]
    assert 20 <= len(introducing) <= 120  # ~6% of ~910 papers


def test_batched_yields_bounded_batches_lazily():
    consumed = []

    def source():
        for i in range(10):
            consumed.append(i)
            yield i

    batches = batched(source(), 4)
    assert next(batches) == [0, 1, 2, 3]
    assert consumed == [0, 1, 2, 3]  # nothing read ahead of the batch being handed out
    assert list(batches) == [[4, 5, 6, 7], [8, 9]]


def test_grouped_by_key_streams_runs_of_one_key():
    rows = [("a", 1), ("a", 2), ("b", 3), ("c", 4), ("c", 5)]
    assert list(grouped_by_key(iter(rows))) == [("a", [("a", 1), ("a", 2)]), ("b", [("b", 3)]),
                                               ("c", [("c", 4), ("c", 5)])]


def test_workers_map_keeps_order_and_a_bounded_window():
    from paperkg.build import Workers

    pulled = []

    def tasks():
        for i in range(20):
            pulled.append(i)
            yield i

    with Workers(2) as workers:
        results = workers.map(abs, tasks(), window=3)
        first = next(results)
        assert first == 0
        assert len(pulled) <= 4  # at most the window (plus the one being submitted) is in flight
        assert [first, *results] == list(range(20))


def test_workers_map_hands_out_first_tasks_then_keeps_the_window():
    from paperkg.build import Workers

    pulled = []

    def tasks():
        for i in range(40):
            pulled.append(i)
            yield -i

    with Workers(2) as workers:
        results = workers.map(abs, tasks(), window=3, first=10)
        assert pulled == []  # nothing before the first result is asked for
        assert next(results) == 0
        assert len(pulled) == 10  # the deeper start: ten out before the first result was awaited
        second = next(results)
        assert len(pulled) == 10  # nine still in flight, more than the window: none added
        assert [0, second, *results] == list(range(40))
    with Workers(1) as inline:  # one job: in this process, in order, whatever ``first`` is
        assert list(inline.map(abs, iter([-3, -1, -2]), first=10)) == [3, 1, 2]
