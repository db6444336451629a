"""How the store's load costs with chunk size: the measurement behind ``build.LOAD_CHUNK_QUADS``.

A build hands its N-Quads to the store in chunk files that threads bulk-load as they are completed
(``paperkg.build._StoreLoader``). This script keeps those chunks and loads them again on their own,
cut into chunks of other sizes, so the load's CPU, bytes written and memory can be compared on the
real stream of a build (same quads, same order) without the rest of the build beside it.

    # 1. build once, keeping a hard link to every chunk the store loads (no extra copy on disk)
    python bench/store_load.py keep bench/scratch/listings-1000000-s1-v2 --dir bench/scratch/b1m --chunks bench/scratch/chunks
    # 2. load them again, re-cut into chunks of N quads, with T threads, then compact (one process each)
    python bench/store_load.py load bench/scratch/chunks --chunk-quads 175000 --threads 2 --store bench/scratch/s175

``load`` prints one line: load wall/CPU seconds, GB written (``/proc/self/io``), the compaction's
wall/CPU seconds and GB written, and the process's peak RSS. Measured on the 1M benchmark build
(57.8 M quads, results in ``docs/scale.md``).
"""
from __future__ import annotations

import argparse
import os
import queue
import resource
import shutil
import sys
import threading
import time
from pathlib import Path


def _written_gb() -> float:
    fields = dict(line.split(": ") for line in Path("/proc/self/io").read_text().splitlines())
    return int(fields["write_bytes"]) / 1e9


def keep(listings: str, directory: str, chunks: Path, jobs: int) -> None:
    """A normal build, except that each chunk file gets a hard link in ``chunks`` before its load."""
    import pyoxigraph as ox

    import paperkg.build as build

    chunks.mkdir(parents=True, exist_ok=True)

    def load_and_keep(self) -> None:  # _StoreLoader._load, plus the link
        while (path := self._chunks.get()) is not None and not self._stop:
            os.link(path, chunks / path.name.lstrip("."))
            self.store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS, lenient=True)
            path.unlink()

    build._StoreLoader._load = load_and_keep
    summary = build.build_graph([listings], directory, jobs=jobs)
    print(f"{summary.records} records; {len(list(chunks.glob('load-*.nq')))} chunk files in {chunks}")


def recut(chunks: Path, size: int, into: Path) -> list[Path]:
    """The kept chunks' lines, in order, in files of ``size`` lines."""
    into.mkdir(parents=True)
    files: list[Path] = []
    out = None
    lines = 0
    for path in sorted(chunks.glob("load-*.nq")):
        with open(path, "rb") as handle:
            for line in handle:
                if out is None:
                    files.append(into / f"c{len(files):06d}.nq")
                    out = open(files[-1], "wb", buffering=1 << 20)
                    lines = 0
                out.write(line)
                lines += 1
                if lines >= size:
                    out.close()
                    out = None
    if out is not None:
        out.close()
    return files


def load(chunks: Path, size: int, threads: int, store_dir: Path) -> None:
    import pyoxigraph as ox

    if store_dir.exists():
        sys.exit(f"{store_dir} exists: give a new folder")
    files = recut(chunks, size, store_dir.with_name(store_dir.name + "-chunks"))
    store = ox.Store(str(store_dir))
    todo: queue.SimpleQueue = queue.SimpleQueue()
    for path in files:
        todo.put(path)

    def work() -> None:
        while (path := todo.get()) is not None:
            store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS, lenient=True)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    written0, cpu0, wall0 = _written_gb(), time.process_time(), time.perf_counter()
    for worker in workers:
        worker.start()
        todo.put(None)
    for worker in workers:
        worker.join()
    store.flush()
    written1, cpu1, wall1 = _written_gb(), time.process_time(), time.perf_counter()
    store.optimize()
    written2, cpu2, wall2 = _written_gb(), time.process_time(), time.perf_counter()
    shutil.rmtree(files[0].parent)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    print(f"chunk {size} quads x {threads} threads ({len(files)} chunks): load {wall1 - wall0:.1f} s wall "
          f"{cpu1 - cpu0:.1f} CPU-s {written1 - written0:.1f} GB written; compaction {wall2 - wall1:.1f} s "
          f"{cpu2 - cpu1:.1f} CPU-s {written2 - written1:.1f} GB; total {cpu2 - cpu0:.1f} CPU-s; "
          f"peak RSS {peak:.2f} GB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    k = commands.add_parser("keep", help="build, keeping the chunks the store loads")
    k.add_argument("listings")
    k.add_argument("--dir", required=True, help="the build's output folder")
    k.add_argument("--chunks", required=True, type=Path, help="where to keep the chunks")
    k.add_argument("--jobs", type=int, default=2)
    ld = commands.add_parser("load", help="load kept chunks into a new store, re-cut")
    ld.add_argument("chunks", type=Path)
    ld.add_argument("--chunk-quads", type=int, required=True)
    ld.add_argument("--threads", type=int, default=2)
    ld.add_argument("--store", type=Path, required=True, help="a new folder for the store")
    args = parser.parse_args()
    if args.command == "keep":
        keep(args.listings, args.dir, args.chunks, args.jobs)
    else:
        load(args.chunks, args.chunk_quads, args.threads, args.store)


if __name__ == "__main__":
    main()
