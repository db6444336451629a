"""Concurrency: two builds never write one folder at once, and readers see one whole graph, never a mix.

* A second ``build`` or ``add`` on a folder being built exits 1 with a clear ``Error:`` line and touches
  nothing; the first one finishes normally.
* The lock is the kernel's (``flock``): a holder killed with SIGKILL releases it, so the next build runs.
* A reader process loops over the ways the graph is read (SPARQL through ``paperkg.query``, the rdflib
  view, the networkx view behind ``viz``/``stats``, the published ``paperkg.ttl``) while builds of two
  different inputs alternate; every answer it gets is exactly the old graph's or the new one's.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .test_reliability_crash import (
    build_command,
    BIG_RECORDS,
    EXAMPLES,
    OTHER,
    OTHER_PAPERS,
    paperkg_command,
    papers_in_store,
    partials,
    reap,
    start,
    write_big_input,
)

LOCKED = "another build is writing this folder; try again when it ends"


@pytest.fixture(scope="module")
def big_input(tmp_path_factory) -> Path:
    return write_big_input(tmp_path_factory.mktemp("big") / "big.jsonl")


def wait_for_partial(process: subprocess.Popen, directory: Path, limit: float = 60) -> None:
    """Until the build holds the lock and writes its generation."""
    deadline = time.monotonic() + limit
    while not (directory.exists() and partials(directory)):
        assert process.poll() is None, "the first build ended before the second one could start"
        assert time.monotonic() < deadline, "the first build never started writing"
        time.sleep(0.005)


def test_a_second_build_or_add_on_a_busy_folder_refuses_and_the_first_one_finishes(tmp_path, big_input):
    directory = tmp_path / "out"
    assert (
        subprocess.run(
            [*paperkg_command(), "build", str(OTHER), "--dir", str(directory), "-q", "-j", "1"],
            check=False,
            capture_output=True,
        ).returncode
        == 0
    )
    first = start(
        build_command(big_input, directory, jobs=1)
    )
    try:
        wait_for_partial(first, directory)
        for command in ("build", "add"):
            second = subprocess.run(
                [*paperkg_command(), command, str(EXAMPLES), "--dir", str(directory), "-q"],
                check=False,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert second.returncode == 1, (command, second.stderr)
            assert second.stderr.splitlines()[-1] == f"Error: {directory}: {LOCKED}", command
        _, err = first.communicate(timeout=120)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert first.returncode == 0, err
    assert papers_in_store(directory) == BIG_RECORDS
    assert partials(directory) == []


def test_the_lock_is_released_when_its_holder_is_killed(tmp_path, big_input):
    """SIGKILL the build's main process only (its workers may outlive it) and build again at once."""
    directory = tmp_path / "out"
    holder = start(
        build_command(big_input, directory, jobs=2)
    )
    try:
        wait_for_partial(holder, directory)
        time.sleep(0.3)  # well inside the build: workers started, records being read
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=30)
        after = subprocess.run(
            [*paperkg_command(), "build", str(OTHER), "--dir", str(directory), "-q", "-j", "1"],
            check=False,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        reap(holder)
    assert after.returncode == 0, after.stderr
    assert papers_in_store(directory) == OTHER_PAPERS
    assert partials(directory) == []


def test_a_first_build_refused_by_the_lock_deletes_nothing(tmp_path, monkeypatch):
    """Two first builds on a folder that does not exist yet: the loser must not remove the winner's work.

    The race is made deterministic: another holder takes the lock (and starts its generation) exactly
    between this build's look at the folder and its own attempt to lock it.
    """
    from paperkg import build_graph, store
    from paperkg.errors import StoreError

    directory = tmp_path / "fresh"
    real_lock = store.build_lock
    winner = contextlib.ExitStack()

    @contextlib.contextmanager
    def racing_lock(path):
        winner.enter_context(real_lock(path))
        (path / ".gen-winner.partial").mkdir()
        with real_lock(path):
            yield

    monkeypatch.setattr(store, "build_lock", racing_lock)
    try:
        with pytest.raises(StoreError, match=LOCKED):
            build_graph([OTHER], directory, extractor=False, jobs=1)
        assert (directory / ".gen-winner.partial").is_dir(), (
            "the refused build deleted the winner's generation"
        )
        assert (directory / ".lock").exists(), "the refused build deleted the lock file the winner holds"
    finally:
        winner.close()


# A reader that loops until told to stop, writing one JSON line per observation.
READER = r"""
import hashlib, json, sys, time
from pathlib import Path

directory, out_path, stop_path = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
from paperkg import query
from paperkg.graphs import load_networkx
from paperkg.store import open_graph

COUNTS = ("SELECT (COUNT(DISTINCT ?p) AS ?papers) (COUNT(DISTINCT ?a) AS ?authors) "
          "(COUNT(*) AS ?rows) WHERE { ?p a pkg:Paper ; dcterms:creator ?a }")
with open(out_path, "w") as out:
    n = 0
    while not stop_path.exists():
        kind = ("sparql", "sparql", "turtle", "rdflib", "networkx")[n % 5]
        n += 1
        try:
            if kind == "sparql":
                row = query(COUNTS, directory).rows[0]
                value = [int(row["papers"]), int(row["authors"]), int(row["rows"])]
            elif kind == "turtle":
                value = hashlib.sha256((directory / "paperkg.ttl").read_bytes()).hexdigest()
            elif kind == "rdflib":
                graph = open_graph(directory)
                value = len(graph)
                graph.close()
            else:
                g = load_networkx(directory)
                papers = sum(1 for _, d in g.nodes(data=True) if d.get("class") == "Paper")
                value = [papers, g.number_of_edges()]
        except Exception as exc:
            value = None
            kind = kind + "-error: " + type(exc).__name__ + ": " + str(exc)[:200]
        out.write(json.dumps({"kind": kind, "value": value}) + "\n")
        out.flush()
"""


def observe(directory: Path) -> dict:
    """What each kind of reader sees in the current build (the reference values)."""
    from paperkg import query
    from paperkg.graphs import load_networkx
    from paperkg.store import open_graph

    row = query(
        "SELECT (COUNT(DISTINCT ?p) AS ?papers) (COUNT(DISTINCT ?a) AS ?authors) (COUNT(*) AS ?rows) "
        "WHERE { ?p a pkg:Paper ; dcterms:creator ?a }",
        directory,
    ).rows[0]
    graph = open_graph(directory)
    triples = len(graph)
    graph.close()
    g = load_networkx(directory)
    return {
        "sparql": [int(row["papers"]), int(row["authors"]), int(row["rows"])],
        "turtle": hashlib.sha256((directory / "paperkg.ttl").read_bytes()).hexdigest(),
        "rdflib": triples,
        "networkx": [sum(1 for _, d in g.nodes(data=True) if d.get("class") == "Paper"), g.number_of_edges()],
    }


def test_readers_during_alternating_builds_see_the_old_graph_or_the_new_one(tmp_path):
    directory = tmp_path / "out"
    inputs = {"examples": EXAMPLES, "other": OTHER}

    def build(name: str) -> None:
        done = subprocess.run(
            [*paperkg_command(), "build", str(inputs[name]), "--dir", str(directory), "-q", "-j", "1"],
            check=False,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr

    expected = {}
    for name in ("other", "examples"):
        build(name)
        expected[name] = observe(directory)
    assert expected["other"] != expected["examples"]

    log, stop = tmp_path / "reader.jsonl", tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(directory), str(log), str(stop)])
    try:
        time.sleep(1.0)  # let the reader get going on the settled build
        for name in ("other", "examples", "other", "examples", "other"):
            build(name)
        time.sleep(0.5)
    finally:
        stop.touch()
        reader.wait(timeout=60)
    seen = [json.loads(line) for line in log.read_text().splitlines()]
    errors = [s["kind"] for s in seen if "error" in s["kind"]]
    assert not errors, errors[:5]
    mixes = [
        s for s in seen if s["value"] not in (expected["other"][s["kind"]], expected["examples"][s["kind"]])
    ]
    assert not mixes, mixes[:5]
    kinds = {s["kind"] for s in seen}
    assert kinds == {"sparql", "turtle", "rdflib", "networkx"}
    # The reader ran across the builds and saw both graphs.
    values = {json.dumps(s["value"]) for s in seen if s["kind"] == "sparql"}
    assert len(values) == 2, f"the reader saw only {values} in {len(seen)} reads"
    print(f"{len(seen)} reads during 5 builds, all whole graphs")
