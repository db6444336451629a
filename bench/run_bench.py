"""Measure paperkg at scale, against two baselines, in one run.

    python bench/run_bench.py --sizes 10000,100000 --jobs 2          # add --with-1m for 1M records
    python bench/run_bench.py --sizes 1000000 --build-only           # time the 1M build alone

Per size (synthetic listings from ``generate_listings.py``, cached under ``bench/scratch/``):

* ``paperkg build`` as a subprocess: wall time, records/s, peak RSS of the main process and of the
  whole process tree (workers included), and the pipeline's own stage timings;
* the **bulk-load floor**: a fresh ``pyoxigraph.Store(path).bulk_load()`` of the N-Triples of the
  graph that build produced (the least it costs to get these triples into a store);
* the library queries (``ontology/queries``: co-authors, benchmarks, ...) on the store, median of 3;
* **rdflib in memory**: ``Graph().parse()`` of the Turtle, then the same queries (what a user would
  write by hand) -- skipped above ``--rdflib-max`` records, where it takes too long to be useful;
* ``paperkg viz --focus`` of the most prolific author;
* ``paperkg add`` of a new 1k-record listing to the built store (on the largest size).

Prints a table with ratios and writes ``bench/results/<YYYY-MM-DD>.json`` with the machine it ran on
(cores, RAM, CPU, Python, pyoxigraph, load average: other work on the machine skews timings).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def _relative(text: str) -> str:
    """Results are committed: paths below the repository are written relative to it."""
    return text.replace(str(REPO) + "/", "")
sys.path.insert(0, str(HERE))

import generate_listings

BENCH_QUERIES = [  # (library name, params); "{author}" / "{benchmark}" filled from the graph
    ("coauthor-pairs", {"min_papers": "2"}),
    ("author-collaborators", {"author": "{author}"}),
    ("top-benchmarks", {}),
    ("benchmark-papers", {"benchmark": "{benchmark}"}),
    ("top-authors", {}),
    ("papers-per-year", {}),
]
PREFIXES = {
    "pkg": "https://w3id.org/paperkg/ontology#", "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#", "prov": "http://www.w3.org/ns/prov#",
    "xsd": "http://www.w3.org/2001/XMLSchema#", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "schema": "https://schema.org/",
}


# ---------------------------------------------------------------------------------------- machine
def machine() -> dict:
    import pyoxigraph
    import rdflib

    info = {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "pyoxigraph": pyoxigraph.__version__, "rdflib": rdflib.__version__,
            "load_average_at_start": os.getloadavg()}
    try:
        meminfo = Path("/proc/meminfo").read_text()
        info["ram_gb"] = round(int(meminfo.split("MemTotal:")[1].split()[0]) / 1024 / 1024, 1)
        cpuinfo = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next(line.split(":", 1)[1].strip() for line in cpuinfo.splitlines()
                           if line.startswith("model name"))
    except (OSError, StopIteration, IndexError):
        pass
    return info


# ---------------------------------------------------------------------------------------- processes
class TreeMemory:
    """Samples the summed RSS of a process and its descendants (psutil) until stopped."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            import psutil
        except ImportError:
            return
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop.is_set():
            try:
                total = root.memory_info().rss + sum(c.memory_info().rss for c in root.children(recursive=True))
                self.peak = max(self.peak, total)
            except psutil.Error:
                pass
            self._stop.wait(self.interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


_WRAPPER = (
    "import resource, subprocess, sys, json\n"
    "rc = subprocess.run(sys.argv[1:]).returncode\n"
    "print(json.dumps({'rc': rc, 'maxrss_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}),"
    " file=sys.stderr)\n"
)


def run_measured(cmd: list[str], env: dict | None = None) -> dict:
    """Run ``cmd``; wall time, peak RSS of its largest process (getrusage), summed tree peak, stderr."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", _WRAPPER, *cmd], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})
    memory = TreeMemory(proc.pid)
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    tree_peak = memory.stop()
    lines = err.strip().splitlines()
    usage = json.loads(lines[-1]) if lines else {"rc": proc.returncode, "maxrss_kb": 0}
    if usage["rc"] != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({usage['rc']}):\n{out}\n{err}")
    return {"seconds": round(wall, 2), "peak_rss_mb": round(usage["maxrss_kb"] / 1024),
            "peak_tree_rss_mb": round(tree_peak / 1024 / 1024), "stdout": out, "stderr": "\n".join(lines[:-1])}


def stage_timings(stderr: str) -> dict[str, float]:
    stages = {}
    for line in stderr.splitlines():
        if line.startswith("[timing]"):
            parts = line.split()
            stages[parts[1]] = float(parts[3].strip("(+s)"))
    return stages


# ---------------------------------------------------------------------------------------- steps
def dataset(size: int, seed: int, work: Path) -> tuple[Path, dict]:
    folder = work / f"listings-{size}-s{seed}-v{generate_listings.GENERATOR_VERSION}"
    marker = folder / ".summary.json"
    if marker.is_file():
        return folder, json.loads(marker.read_text())
    print(f"  generating {size} records ...", flush=True)
    summary = generate_listings.generate(size, folder, seed=seed)
    marker.write_text(json.dumps(summary))
    return folder, summary


def bulk_load_floor(build_dir: Path, work: Path) -> dict:
    import pyoxigraph as ox

    nt = work / "floor.nt"
    store = ox.Store.read_only(str(build_dir / "current" / "store"))
    store.dump(str(nt), ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    del store
    target = Path(tempfile.mkdtemp(dir=work, prefix="floor-store-"))
    try:
        started = time.perf_counter()
        fresh = ox.Store(str(target))
        fresh.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
        fresh.flush()
        seconds = time.perf_counter() - started
        triples = len(fresh)
        del fresh
    finally:
        shutil.rmtree(target, ignore_errors=True)
        nt.unlink()
    return {"seconds": round(seconds, 2), "triples": triples}


def pick_focus(store) -> tuple[str, str]:
    """The most prolific author's name and the most used benchmark's label (query parameters)."""
    author = next(iter(store.query(
        "SELECT ?name (COUNT(?p) AS ?n) WHERE { ?p dcterms:creator ?a . ?a a pkg:Author ; foaf:name ?name }"
        " GROUP BY ?a ?name ORDER BY DESC(?n) ?name LIMIT 1", prefixes=PREFIXES)))
    bench = list(store.query(
        "SELECT ?name (COUNT(?p) AS ?n) WHERE { ?p pkg:evaluatesOn ?b . ?b rdfs:label ?name }"
        " GROUP BY ?b ?name ORDER BY DESC(?n) ?name LIMIT 1", prefixes=PREFIXES))
    return author["name"].value, bench[0]["name"].value if bench else "ImageNet"


def prepared_queries(store, author: str, benchmark: str) -> dict[str, str]:
    """SPARQL text of each benchmark query, parameters bound (the query library's own preparation)."""
    from paperkg.sparql import prepare

    texts = {}
    for name, params in BENCH_QUERIES:
        bound = {k: v.format(author=author, benchmark=benchmark) for k, v in params.items()}
        try:
            texts[name] = prepare(name, bound).resolve(store).sparql()
        except Exception as exc:  # noqa: BLE001 - a query missing from the library is reported, not fatal
            print(f"  skipping query {name}: {exc}", flush=True)
    return texts


def time_query(run, repeat: int) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        rows = sum(1 for _ in run())
        times.append(time.perf_counter() - started)
    return statistics.median(times), rows


def oxigraph_queries(store, texts: dict[str, str], repeat: int) -> dict:
    results = {}
    for name, text in texts.items():
        seconds, rows = time_query(lambda text=text: store.query(text, prefixes=PREFIXES), repeat)
        results[name] = {"seconds": round(seconds, 4), "rows": rows}
    return results


_RDFLIB_CHILD = r"""
import json, statistics, sys, time, rdflib
ttl, texts, repeat, budget = sys.argv[1], json.loads(open(sys.argv[2]).read()), int(sys.argv[3]), float(sys.argv[4])
started = time.perf_counter(); graph = rdflib.Graph(); graph.parse(ttl, format="turtle")
out = {"parse_seconds": round(time.perf_counter() - started, 2), "triples": len(graph), "queries": {}}
print(json.dumps(out), flush=True)
for name, text in texts.items():
    out["running"] = {"query": name, "since": time.time()}
    print(json.dumps(out), flush=True)
    times = []
    try:
        for _ in range(repeat):
            t = time.perf_counter(); rows = sum(1 for _ in graph.query(text)); times.append(time.perf_counter() - t)
            if sum(times) > budget: break
    except Exception as exc:
        out["queries"][name] = {"error": f"{type(exc).__name__}: {exc}"[:200]}
        continue
    out["queries"][name] = {"seconds": round(statistics.median(times), 4), "rows": rows, "runs": len(times)}
    out.pop("running", None)
    print(json.dumps(out), flush=True)
"""


def rdflib_baseline(ttl: Path, texts: dict[str, str], repeat: int, timeout: float, work: Path) -> dict:
    """rdflib's default in-memory store in a child process (its memory is freed afterwards); the last
    complete report is kept if it runs out of time."""
    spec = work / "queries.json"
    spec.write_text(json.dumps(texts))
    proc = subprocess.Popen([sys.executable, "-c", _RDFLIB_CHILD, str(ttl), str(spec), str(repeat), str(timeout / 4)],
                            stdout=subprocess.PIPE, text=True)
    last: dict = {}
    deadline = time.monotonic() + timeout

    def reader():
        nonlocal last
        for line in proc.stdout:
            last = json.loads(line)

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    thread.join(max(0.0, deadline - time.monotonic()))
    if proc.poll() is None:
        proc.kill()
        last["timed_out_after_s"] = timeout
        running = last.pop("running", None)
        if running:  # a lower bound: the query had run this long without finishing
            last.setdefault("queries", {})[running["query"]] = {
                "seconds_at_least": round(time.time() - running["since"], 1), "timed_out": True}
    thread.join(5)
    return last


def viz_focus(build_dir: Path, author: str, work: Path) -> dict | None:
    cli = [str(Path(sys.executable).with_name("paperkg"))]
    probe = subprocess.run([*cli, "viz", "--help"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        return None
    out = work / "focus.html"
    result = run_measured([*cli, "viz", "--dir", str(build_dir), "--focus", author, "-o", str(out)])
    return {"seconds": result["seconds"], "focus": author, "bytes": out.stat().st_size if out.exists() else 0}


def add_listing(build_dir: Path, size: int, seed: int, jobs: int, work: Path) -> dict:
    """Add a new 1k-record lab-list listing (authors from the same pool, so they merge) to the build."""
    gen = generate_listings.Generator(1000, seed + 1000)
    papers = [gen.paper(size + k) for k in range(1000)]  # indexes past the build's: new papers
    listing = work / f"new-lab-{size}.txt"
    listing.write_text(gen.lab_list(papers), encoding="utf-8")
    cli = [str(Path(sys.executable).with_name("paperkg"))]
    result = run_measured([*cli, "add", str(listing), "--dir", str(build_dir), "--jobs", str(jobs), "-q"],
                          env={"PAPERKG_TIMINGS": "1"})
    again = run_measured([*cli, "add", str(listing), "--dir", str(build_dir), "-q"])
    return {"records": 1000, "seconds": result["seconds"], "peak_rss_mb": result["peak_rss_mb"],
            "stages": stage_timings(result["stderr"]), "summary": _relative(result["stdout"].strip()),
            "same_listing_again_seconds": again["seconds"], "same_listing_again": _relative(again["stdout"].strip())}


def bench_size(size: int, args, work: Path) -> dict:
    import pyoxigraph as ox

    print(f"== {size} records", flush=True)
    data, summary = dataset(size, args.seed, work)
    build_dir = work / f"build-{size}"
    shutil.rmtree(build_dir, ignore_errors=True)
    cli = [str(Path(sys.executable).with_name("paperkg"))]
    print("  build ...", flush=True)
    build = run_measured([*cli, "build", str(data), "--dir", str(build_dir), "--jobs", str(args.jobs), "-q"],
                         env={"PAPERKG_TIMINGS": "1"})
    row = {"records": size, "distinct_papers": summary["distinct_papers"], "files": summary["files"],
           "build": {k: v for k, v in build.items() if k not in ("stdout", "stderr")}}
    row["build"]["records_per_s"] = round(size / build["seconds"])
    row["build"]["stages"] = stage_timings(build["stderr"])
    row["build"]["summary"] = _relative(build["stdout"].strip())
    if args.build_only:
        if not args.keep:
            shutil.rmtree(build_dir, ignore_errors=True)
        return row
    print("  bulk-load floor ...", flush=True)
    row["floor"] = bulk_load_floor(build_dir, work)
    row["build"]["x_floor"] = round(build["seconds"] / row["floor"]["seconds"], 2)

    store = ox.Store.read_only(str(build_dir / "current" / "store"))
    author, benchmark = pick_focus(store)
    texts = prepared_queries(store, author, benchmark)
    print("  queries (oxigraph) ...", flush=True)
    row["queries"] = {"oxigraph": oxigraph_queries(store, texts, args.repeat), "focus_author": author,
                      "focus_benchmark": benchmark}
    del store
    if size <= args.rdflib_max:
        print("  rdflib baseline ...", flush=True)
        rdf = rdflib_baseline(build_dir / "paperkg.ttl", texts, args.repeat, args.rdflib_timeout, work)
        row["rdflib"] = rdf
        speedups = {}
        for name, ox_result in row["queries"]["oxigraph"].items():
            slow = rdf.get("queries", {}).get(name)
            if slow and "seconds" in slow:
                speedups[name] = round(slow["seconds"] / max(ox_result["seconds"], 1e-4), 1)
            elif slow and "seconds_at_least" in slow:
                speedups[name] = f">{slow['seconds_at_least'] / max(ox_result['seconds'], 1e-4):.0f}"
        row["query_speedup_vs_rdflib"] = speedups
    print("  viz ...", flush=True)
    row["viz"] = viz_focus(build_dir, author, work)
    if size == args.add_size:
        print("  add ...", flush=True)
        row["add"] = add_listing(build_dir, size, args.seed, args.jobs, work)
    if not args.keep:
        shutil.rmtree(build_dir, ignore_errors=True)
    return row


def table(rows: list[dict]) -> str:
    head = ["records", "build s", "rec/s", "peak MB (main/tree)", "floor s", "x floor", "rdflib parse s",
            "co-author q ms (ox / rdflib / x)", "benchmark q ms (ox / rdflib / x)", "viz s", "add 1k s"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]

    def q(row, name):
        ox_q = row.get("queries", {}).get("oxigraph", {}).get(name)
        rd = row.get("rdflib", {}).get("queries", {}).get(name)
        if not ox_q:
            return "-"
        text = f"{ox_q['seconds'] * 1000:.0f}"
        if rd and "seconds" in rd:
            text += f" / {rd['seconds'] * 1000:.0f} / {rd['seconds'] / max(ox_q['seconds'], 1e-4):.0f}x"
        elif rd and "seconds_at_least" in rd:
            text += f" / >{rd['seconds_at_least'] * 1000:.0f} / >{rd['seconds_at_least'] / max(ox_q['seconds'], 1e-4):.0f}x"
        return text

    for r in rows:
        b = r["build"]
        lines.append("| " + " | ".join([
            f"{r['records']:,}", f"{b['seconds']:.1f}", f"{b['records_per_s']:,}",
            f"{b['peak_rss_mb']:,} / {b['peak_tree_rss_mb']:,}",
            f"{r['floor']['seconds']:.1f}" if r.get("floor") else "-", f"{b['x_floor']:.1f}" if "x_floor" in b else "-",
            f"{r['rdflib']['parse_seconds']:.1f}" if r.get("rdflib", {}).get("parse_seconds") else "-",
            q(r, "coauthor-pairs"), q(r, "top-benchmarks"),
            f"{r['viz']['seconds']:.1f}" if r.get("viz") else "-",
            f"{r['add']['seconds']:.1f}" if r.get("add") else "-"]) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated record counts")
    parser.add_argument("--with-1m", action="store_true", help="also 1,000,000 records (slow)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="runs per query (the median is kept)")
    parser.add_argument("--rdflib-max", type=int, default=100000, help="largest size for the rdflib baseline")
    parser.add_argument("--rdflib-timeout", type=float, default=1200, help="seconds for the whole rdflib baseline")
    parser.add_argument("--add-size", type=int, default=None, help="size to time `add` on (default: largest)")
    parser.add_argument("--work", default=str(HERE / "scratch"))
    parser.add_argument("--out", default=str(HERE / "results"))
    parser.add_argument("--keep", action="store_true", help="keep the build folders under --work")
    parser.add_argument("--build-only", action="store_true",
                        help="time the builds only (no floor, queries, viz or add): for the 1M run")
    parser.add_argument("--name", default=None, help="results file name (default: the date)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.with_1m:
        sizes.append(1_000_000)
    args.add_size = args.add_size or max(s for s in sizes if s <= 100_000) if any(s <= 100_000 for s in sizes) \
        else args.add_size
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    (work / ".gitignore").write_text("*\n")  # generated data and builds stay out of git
    report = {"date": dt.date.today().isoformat(), "machine": machine(), "jobs": args.jobs, "seed": args.seed,
              "sizes": []}
    for size in sizes:
        report["sizes"].append(bench_size(size, args, work))
        print(table(report["sizes"]), flush=True)
    report["machine"]["load_average_at_end"] = os.getloadavg()
    report["table"] = table(report["sizes"])
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{args.name or report['date']}.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
