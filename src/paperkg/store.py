"""The persistent embedded store (Oxigraph) and the layout of a build folder.

A build folder ``DIR`` holds *generations*: each build writes a complete new generation
(``DIR/gen-<stamp>/`` with ``store/``, ``paperkg.ttl`` and ``extractions.jsonl``) beside the current
one, and only when everything is written does one atomic ``rename`` of the symlink ``DIR/current``
make it current. ``DIR/paperkg.ttl`` and ``DIR/extractions.jsonl`` are symlinks through ``current``.
So a build that fails or is killed leaves the previous store and outputs exactly as they were, and a
reader always sees one whole generation, never a mix. The previous generation is kept until the next
build so that readers who opened it just before the switch can finish.

``DIR/.lock`` (an ``flock``) keeps two builds from writing one folder at once; the kernel releases it
when its holder dies.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import StoreError

CURRENT = "current"
STORE_DIRNAME = "store"
TURTLE_NAME = "paperkg.ttl"
EXTRACTIONS_NAME = "extractions.jsonl"
PUBLISHED = (TURTLE_NAME, EXTRACTIONS_NAME)


def current_generation(directory: str | os.PathLike) -> Path:
    """The folder of the current generation of ``directory``; StoreError when nothing was built."""
    directory = Path(directory)
    link = directory / CURRENT
    if not link.exists():
        raise StoreError(f"{directory}: no graph has been built here (run `paperkg build` first)")
    return link.resolve()


def store_path(directory: str | os.PathLike) -> Path:
    return current_generation(directory) / STORE_DIRNAME


def open_store(directory: str | os.PathLike = "output", read_only: bool = True):
    """Open the current store of a build folder (read-only by default: many readers may share it)."""
    import pyoxigraph

    path = store_path(directory)
    try:
        return pyoxigraph.Store.read_only(str(path)) if read_only else pyoxigraph.Store(str(path))
    except OSError as exc:  # pragma: no cover - depends on the file system
        raise StoreError(f"{path}: cannot open the store: {exc}") from exc


def open_graph(directory: str | os.PathLike = "output"):
    """The current graph as a read-only rdflib ``Graph`` over the Oxigraph store (via oxrdflib).

    It is the store's default graph (the merged graph that ``paperkg.ttl`` holds); many readers may have
    it open at once, and a build running meanwhile does not change what it sees.
    """
    import rdflib
    from oxrdflib import OxigraphStore
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    from .namespaces import PREFIXES

    graph = rdflib.Graph(store=OxigraphStore(store=open_store(directory, read_only=True)),
                         identifier=DATASET_DEFAULT_GRAPH_ID)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


@contextlib.contextmanager
def build_lock(directory: Path) -> Iterator[None]:
    directory.mkdir(parents=True, exist_ok=True)
    handle = open(directory / ".lock", "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(f"{directory}: another build is writing this folder; try again when it ends") from None
        yield
    finally:
        handle.close()


class Generation:
    """A new generation being written; :meth:`publish` makes it current atomically."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        stamp = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
        self.path = directory / f".gen-{stamp}.partial"
        self.path.mkdir(parents=True)
        self.final = directory / f"gen-{stamp}"

    @property
    def store_dir(self) -> Path:
        return self.path / STORE_DIRNAME

    def file(self, name: str) -> Path:
        return self.path / name

    def publish(self) -> None:
        _fsync_tree(self.path)
        os.rename(self.path, self.final)
        previous = (self.directory / CURRENT).resolve() if (self.directory / CURRENT).exists() else None
        tmp_link = self.directory / f".current-{os.getpid()}"
        with contextlib.suppress(FileNotFoundError):
            tmp_link.unlink()
        for name in PUBLISHED:  # through `current`: they dangle until the switch, then appear with it
            link = self.directory / name
            if not link.is_symlink():
                with contextlib.suppress(FileNotFoundError):
                    link.unlink()
                os.symlink(f"{CURRENT}/{name}", link)
        os.symlink(self.final.name, tmp_link)
        os.replace(tmp_link, self.directory / CURRENT)  # the one atomic switch
        _fsync_dir(self.directory)
        _prune(self.directory, keep={self.final.name, previous.name if previous else ""})

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _prune(directory: Path, keep: set[str]) -> None:
    for child in directory.iterdir():
        name = child.name
        # Under the build lock no other build is writing: every partial generation and temporary link is
        # a dead build's leftover (its pid may belong to another process by now).
        stale = (name.startswith(".gen-") and name.endswith(".partial")) or name.startswith(".current-")
        if (name.startswith("gen-") and name not in keep) or stale:
            if child.is_symlink():
                child.unlink()
            else:
                shutil.rmtree(child, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(path: Path) -> None:
    for root, _dirs, files in os.walk(path):
        for name in files:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(root))
