"""The endpoint under load: ``paperkg serve`` keeps answering while clients fire normal and pathological
queries at once, and serves the old graph or the new one while builds replace it.

A short, bounded run of ``bench/load_endpoint.py`` (loopback only, every request with a client
time-out, the server in its own process group and stopped at the end). Pathological queries (cartesian
products, COUNT over them, a regular expression over every triple of literals, an all-pairs property
path) must end in the server's time-out (503) or its row cap (200 with ``X-PaperKG-Truncated``); every
normal query must succeed meanwhile; and afterwards the server answers a health query at once.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from .test_reliability_crash import EXAMPLE_PAPERS, EXAMPLES, OTHER, OTHER_PAPERS, paperkg_command

REPO = Path(__file__).resolve().parents[1]


def _load_bench():
    spec = importlib.util.spec_from_file_location("load_endpoint", REPO / "bench" / "load_endpoint.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


bench = _load_bench()


def build(source: Path, directory: Path) -> None:
    done = subprocess.run(
        [*paperkg_command(), "build", str(source), "--dir", str(directory), "-q", "-j", "1"],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("endpoint") / "out"
    build(EXAMPLES, directory)
    return directory


def test_the_endpoint_stays_healthy_under_concurrent_normal_and_pathological_queries(built):
    server = bench.Server(built, timeout=1.5, max_rows=200, workers=3)
    try:
        load = bench.run_load(server.base, seconds=8, clients=6, pathological=2, timeout=1.5)
        health = bench.request(server.base, bench.HEALTH, 10)
        alive = server.alive()
    finally:
        log = server.stop()
    summary = bench.summarize(load, 8)
    print(
        json.dumps({k: summary[k] for k in ("requests", "normal", "pathological", "error_count")}, indent=1)
    )
    assert summary["error_count"] == 0, summary["errors"]
    normal = [o for o in load.outcomes if o.kind == "normal"]
    bad = [o for o in load.outcomes if o.kind == "pathological"]
    assert len(normal) >= 30 and all(o.status == 200 for o in normal)
    assert any(o.status == 503 for o in bad), "no pathological query reached the time-out"
    assert any(o.status == 200 and o.truncated for o in bad), "no pathological query reached the row cap"
    assert all(o.status == 503 or o.truncated for o in bad)
    assert alive, log
    assert health.status == 200, health
    assert health.seconds < 5  # answered at once: no worker left stuck (a generous bound, not a speed test)


def test_the_endpoint_serves_the_old_graph_or_the_new_one_during_rebuilds(tmp_path):
    directory = tmp_path / "out"
    build(OTHER, directory)
    server = bench.Server(directory, timeout=10, max_rows=1000, workers=2)
    answers: list[tuple[int, str]] = []
    stop = threading.Event()

    def poll() -> None:
        query = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a pkg:Paper }"
        while not stop.is_set():
            outcome = bench.request(server.base, query, 30)
            answers.append((outcome.status, outcome.error))

    counts: list[int] = []

    def count() -> int:
        import urllib.parse
        import urllib.request

        url = f"{server.base}/sparql?" + urllib.parse.urlencode(
            {"query": "SELECT (COUNT(?p) AS ?n) WHERE { ?p a pkg:Paper }", "format": "csv"}
        )
        with urllib.request.urlopen(url, timeout=30) as response:
            return int(response.read().decode().split()[1])

    def poll_counts() -> None:
        while not stop.is_set():
            try:
                counts.append(count())
            except Exception as exc:  # noqa: BLE001 - recorded and asserted on below
                counts.append(-1)
                answers.append((0, repr(exc)))

    threads = [threading.Thread(target=poll, daemon=True), threading.Thread(target=poll_counts, daemon=True)]
    try:
        for thread in threads:
            thread.start()
        for source in (EXAMPLES, OTHER, EXAMPLES, OTHER, EXAMPLES):
            build(source, directory)
        final = count()
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
        server.stop()
    assert all(status == 200 for status, _ in answers), [a for a in answers if a[0] != 200][:5]
    assert set(counts) <= {EXAMPLE_PAPERS, OTHER_PAPERS}, sorted(set(counts))
    assert set(counts) == {EXAMPLE_PAPERS, OTHER_PAPERS}, "the server never saw a rebuild"
    assert final == EXAMPLE_PAPERS  # it follows the latest build
