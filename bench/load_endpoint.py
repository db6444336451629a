"""Load on ``paperkg serve``: many concurrent clients, normal and pathological queries, on loopback only.

    .venv/bin/python bench/load_endpoint.py                       # seeds (or examples), 25 s, 8 clients
    .venv/bin/python bench/load_endpoint.py --seconds 60 --clients 12 --pathological 3 --workers 4

Starts a real ``paperkg serve`` on a free port of 127.0.0.1 (its own process group), then runs
``--clients`` client threads for ``--seconds`` (or until ``--requests`` in all), every request bounded
by a client time-out. ``--pathological`` of the clients send only queries that cannot finish in time or
whose answer is enormous (cartesian products, COUNT over them, a regular expression over every pair of
literals, an all-pairs property path, CONSTRUCT of everything twice); the others send ordinary queries
(counts, listings with LIMIT, aggregations, ASK, library queries).

What is checked, and reported: ordinary queries answer 200; pathological ones answer 503 (time-out) or
200 cut at ``--max-rows`` (header ``X-PaperKG-Truncated: true``); nothing else (no 500, no refused
connection); and after the load the server still answers a health query at once. Printed and written
to ``bench/results/load-endpoint-<date>.json``: requests served, per status, errors, latency p50/p95/p99
for each kind, and throughput. Stdlib only (plus paperkg to build the graph).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"

NORMAL = [
    ("count-papers", "SELECT (COUNT(?p) AS ?n) WHERE { ?p a pkg:Paper }"),
    ("titles", "SELECT ?p ?t WHERE { ?p a pkg:Paper ; dcterms:title ?t } ORDER BY ?t LIMIT 20"),
    ("ask", "ASK { ?p a pkg:Paper }"),
    (
        "top-authors",
        "SELECT ?a (COUNT(?p) AS ?n) WHERE { ?p dcterms:creator ?a } GROUP BY ?a ORDER BY DESC(?n) LIMIT 10",
    ),
    ("describe-one", "DESCRIBE ?p WHERE { ?p a pkg:Paper } LIMIT 1"),
    ("search", 'SELECT ?p ?t WHERE { ?p dcterms:title ?t FILTER(CONTAINS(LCASE(?t), "learning")) } LIMIT 25'),
    ("library:top-authors", "/queries/top-authors"),
    ("library:papers-per-year", "/queries/papers-per-year"),
]
PATHOLOGICAL = [
    ("cartesian-select", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"),
    ("cartesian-count", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"),
    (
        "regex-every-literal-pair",
        (
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?t ?q ?l . ?u ?r ?m "
            'FILTER(isLiteral(?o) && REGEX(CONCAT(STR(?o), STR(?l), STR(?m)), "(a|aa)*(b|bb)*z", "i")) }'
        ),
    ),
    # Every path pair times every triple twice over: far beyond any time-out even on a small graph (with
    # one factor fewer it counts the examples' 15 M rows in about a second, too close to a 1.5 s limit).
    ("all-pairs-path", "SELECT (COUNT(*) AS ?n) WHERE { ?x (<urn:p>|!<urn:p>)* ?y . ?z ?w ?v . ?a ?b ?c }"),
    ("construct-everything-twice", "CONSTRUCT { ?s ?p ?o . ?o ?p ?s } WHERE { ?s ?p ?o . ?x ?y ?z }"),
    ("order-cartesian", "SELECT ?c ?f WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY DESC(STR(?c)) STR(?f) LIMIT 5"),
]
HEALTH = "ASK { ?s ?p ?o }"


@dataclass
class Outcome:
    kind: str  # "normal" | "pathological" | "health"
    name: str
    status: int  # 0: no HTTP answer (connection error, client time-out)
    seconds: float
    truncated: bool = False
    error: str = ""


@dataclass
class Load:
    outcomes: list[Outcome] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """``paperkg serve`` in its own session on a free loopback port; ``stop`` ends it and its workers."""

    def __init__(self, directory: Path, timeout: float, max_rows: int, workers: int) -> None:
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        script = Path(sys.executable).with_name("paperkg")
        command = (
            [str(script)]
            if script.exists()
            else [sys.executable, "-c", "import sys; from paperkg.cli import main; sys.exit(main())"]
        )
        self.process = subprocess.Popen(
            [
                *command,
                "serve",
                "--dir",
                str(directory),
                "--host",
                HOST,
                "--port",
                str(self.port),
                "--timeout",
                str(timeout),
                "--max-rows",
                str(max_rows),
                "--workers",
                str(workers),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"paperkg serve ended: {self.process.stdout.read().decode()}")
            with contextlib.suppress(OSError), socket.create_connection((HOST, self.port), timeout=0.5):
                break
            time.sleep(0.1)
        else:
            self.stop()
            raise RuntimeError("paperkg serve did not start within 60 s")
        for _ in range(100):  # the workers start with the application: wait for a first answer
            if request(self.base, HEALTH, 30).status == 200:
                return
            time.sleep(0.2)
        raise RuntimeError("paperkg serve never answered")

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # any worker left behind in the session
        return self.process.stdout.read().decode(errors="replace")


def request(base: str, query: str, timeout: float, kind: str = "health", name: str = "health") -> Outcome:
    """One query (SPARQL text, or a library path starting with /queries/), timed, never raising."""
    url = (
        base + query if query.startswith("/") else f"{base}/sparql?{urllib.parse.urlencode({'query': query})}"
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, headers={"Accept": "*/*"}), timeout=timeout
        ) as r:
            r.read()
            truncated = r.headers.get("X-PaperKG-Truncated") == "true"
            return Outcome(kind, name, r.status, time.perf_counter() - started, truncated)
    except urllib.error.HTTPError as exc:
        body = exc.read()[:200].decode(errors="replace").strip()
        return Outcome(kind, name, exc.code, time.perf_counter() - started, error=body)
    except Exception as exc:  # noqa: BLE001 - a failed connection is a result to count
        return Outcome(kind, name, 0, time.perf_counter() - started, error=f"{type(exc).__name__}: {exc}")


def run_load(
    base: str,
    seconds: float,
    clients: int,
    pathological: int,
    timeout: float,
    max_requests: int | None = None,
    seed: int = 1,
) -> Load:
    """``clients`` threads (``pathological`` of them sending only pathological queries) until time is up."""
    load = Load()
    deadline = time.monotonic() + seconds
    sent = [0]
    counter = threading.Lock()

    def client(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        bad = index < pathological
        turn = index
        while time.monotonic() < deadline:
            with counter:
                if max_requests is not None and sent[0] >= max_requests:
                    return
                sent[0] += 1
            if bad:  # in turn, so that a short run still meets both the time-out and the row cap
                name, query = PATHOLOGICAL[turn % len(PATHOLOGICAL)]
                turn += pathological
            else:
                name, query = rng.choice(NORMAL)
            load.add(request(base, query, timeout + 15, "pathological" if bad else "normal", name))

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + timeout + 30)
    return load


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summarize(load: Load, seconds: float) -> dict:
    summary: dict = {
        "requests": len(load.outcomes),
        "seconds": round(seconds, 1),
        "per_second": round(len(load.outcomes) / seconds, 1) if seconds else 0.0,
    }
    for kind in ("normal", "pathological"):
        outcomes = [o for o in load.outcomes if o.kind == kind]
        statuses: dict[str, int] = {}
        for o in outcomes:
            key = f"{o.status}{' truncated' if o.truncated else ''}" if o.status else "no answer"
            statuses[key] = statuses.get(key, 0) + 1
        latencies = [o.seconds for o in outcomes]
        summary[kind] = {
            "requests": len(outcomes),
            "statuses": dict(sorted(statuses.items())),
            "p50_ms": round(1000 * percentile(latencies, 0.50), 1),
            "p95_ms": round(1000 * percentile(latencies, 0.95), 1),
            "p99_ms": round(1000 * percentile(latencies, 0.99), 1),
            "max_ms": round(1000 * max(latencies, default=0.0), 1),
            "by_query": {
                name: sum(1 for o in outcomes if o.name == name)
                for name in sorted({o.name for o in outcomes})
            },
        }
    summary["errors"] = [
        {"kind": o.kind, "query": o.name, "status": o.status, "error": o.error}
        for o in load.outcomes
        if not expected(o)
    ][:20]
    summary["error_count"] = sum(1 for o in load.outcomes if not expected(o))
    return summary


def expected(outcome: Outcome) -> bool:
    """Normal: 200. Pathological: 503 (time-out) or 200 cut at the row cap."""
    if outcome.kind == "normal":
        return outcome.status == 200
    return outcome.status == 503 or (outcome.status == 200 and outcome.truncated)


def build_dir(source: Path, folder: Path) -> Path:
    from paperkg import build_graph

    directory = folder / "build"
    build_graph([source], directory)
    return directory


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dir", type=Path, help="a built folder (default: build the seeds, else the examples)"
    )
    parser.add_argument("--seconds", type=float, default=25.0)
    parser.add_argument("--requests", type=int, default=None, help="stop after this many requests in all")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--pathological", type=int, default=2, help="clients sending only pathological queries"
    )
    parser.add_argument("--workers", type=int, default=3, help="paperkg serve --workers")
    parser.add_argument("--timeout", type=float, default=2.0, help="paperkg serve --timeout")
    parser.add_argument("--max-rows", type=int, default=1000, help="paperkg serve --max-rows")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="where to write the JSON summary")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        directory = args.dir or build_dir(SEEDS if SEEDS.is_dir() else ROOT / "examples", Path(folder))
        server = Server(directory, args.timeout, args.max_rows, args.workers)
        try:
            started = time.monotonic()
            load = run_load(
                server.base,
                args.seconds,
                args.clients,
                args.pathological,
                args.timeout,
                args.requests,
                args.seed,
            )
            elapsed = time.monotonic() - started
            health = request(server.base, HEALTH, 10)
            alive = server.alive()
        finally:
            server.stop()
    summary = summarize(load, elapsed)
    summary.update(
        {
            "health_after": {"status": health.status, "ms": round(1000 * health.seconds, 1)},
            "server_alive_after": alive,
            "config": {
                "clients": args.clients,
                "pathological_clients": args.pathological,
                "workers": args.workers,
                "timeout_s": args.timeout,
                "max_rows": args.max_rows,
                "data": str(args.dir or "seeds/examples"),
            },
            "date": datetime.date.today().isoformat(),
            "cpus": os.cpu_count(),
        }
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = args.out or RESULTS / f"load-endpoint-{summary['date']}.json"
    out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(summary, indent=2))
    print(f"wrote {out}")
    healthy = health.status == 200 and alive and summary["error_count"] == 0
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
