"""The build's store loader: the N-Quads stream cut into chunks, each bulk-loaded on its own by one of two
threads (one load of the whole stream would hold ~2.3 GB of batches whatever the build's size).

Whatever the sizes of the writes, every quad is loaded once; a chunk that does not parse fails the load
promptly, with the parser's error, and no thread is left running.
"""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest

QUADS = [f'<http://e.org/s{i}> <http://e.org/p> "v{i}\\nw" <http://e.org/g{i % 3}> .\n'.encode() for i in range(600)]
BAD = b"not-a-subject <http://e.org/p> <http://e.org/o> .\n"  # no IRI checks, but still no N-Quads


def in_thread(fn, timeout: float = 60):
    """``fn()`` in a thread, so that a hang fails the test instead of stalling the suite."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout)
    assert not worker.is_alive(), f"the load did not end in {timeout} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def feed(loader, lines: list[bytes], seed: int) -> None:
    """Write ``lines`` in writes of random sizes, from one quad to more than a chunk."""
    rng = random.Random(seed)
    index = 0
    while index < len(lines):
        count = rng.choice([1, 2, 3, 20, 150])
        loader.write(b"".join(lines[index:index + count]))
        index += count


def loader_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("paperkg-")]


@pytest.mark.parametrize("chunk_quads", [7, 50, 10_000])
def test_every_quad_is_loaded_once_whatever_the_writes(tmp_path: Path, chunk_quads: int):
    import pyoxigraph as ox

    from paperkg.build import _StoreLoader

    def load():
        loader = _StoreLoader(tmp_path / "store", chunk_quads=chunk_quads)
        feed(loader, QUADS, seed=chunk_quads)
        loader.write(b"".join(QUADS[:40]))  # the same quads again, across chunks: still once each
        loader.finish()

    in_thread(load)
    store = ox.Store.read_only(str(tmp_path / "store"))
    assert sorted(str(q) for q in store) == sorted(str(q) for q in ox.parse(b"".join(QUADS),
                                                                             format=ox.RdfFormat.N_QUADS))
    assert [p.name for p in tmp_path.iterdir()] == ["store"]  # every chunk file deleted once loaded
    assert loader_threads() == []


def test_a_large_write_is_cut_into_chunks_at_line_ends(tmp_path: Path):
    from paperkg.build import _StoreLoader

    loader = _StoreLoader(tmp_path / "store", chunk_quads=100)
    chunks: list[bytes] = []
    close = loader._close_chunk

    def keep():
        loader._writer.flush()
        chunks.append(loader._path.read_bytes())
        close()

    loader._close_chunk = keep
    in_thread(lambda: (loader.write(b"".join(QUADS)), loader.finish()))
    assert b"".join(chunks) == b"".join(QUADS)
    assert all(chunk.endswith(b"\n") for chunk in chunks)
    assert all(abs(chunk.count(b"\n") - 100) <= 5 for chunk in chunks[:-1])  # "about" full: cut by bytes


@pytest.mark.parametrize("where", [0, 5, 299, 599])
def test_a_chunk_that_does_not_parse_fails_the_load(tmp_path: Path, where: int):
    from paperkg.build import _StoreLoader

    def load():
        loader = _StoreLoader(tmp_path / "store", chunk_quads=10)
        try:
            feed(loader, [*QUADS[:where], BAD, *QUADS[where:]], seed=where)
            loader.finish()
        except BaseException:
            loader.abort()
            raise

    with pytest.raises(SyntaxError):
        in_thread(load)
    assert loader_threads() == []


def test_an_aborted_load_ends_its_threads(tmp_path: Path):
    from paperkg.build import _StoreLoader

    def load():
        loader = _StoreLoader(tmp_path / "store", chunk_quads=10)
        feed(loader, QUADS[:300], seed=1)
        loader.abort()

    in_thread(load)
    assert loader_threads() == []
