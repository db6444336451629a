"""Latency of every library query: Oxigraph (the paperkg store) against rdflib's in-memory Graph.

Builds a synthetic graph with the shape :mod:`paperkg.mapping` writes (papers, authors with
authorships, organizations, categories, listings and source records, benchmarks/methods/tasks/metrics
named Zipf-like, results), or reads an existing build with ``--dir``. It loads the same triples into
an Oxigraph store (a build folder, queried exactly as ``paperkg query`` does) and into
``rdflib.Graph()``, then runs each library query on both: the median of at least ``--repeat`` runs on
Oxigraph (more for quick queries: runs go on until they add up to ``--min-seconds`` or reach 200, so
that a sub-millisecond query's median is not one cold run), of up to ``--rdflib-repeat`` runs on rdflib
(quick queries likewise up to 20 runs or ``--min-seconds``; one when a run takes over 5 s on Oxigraph or 2 s on
rdflib). A run on rdflib is stopped (SIGALRM: rdflib evaluates in Python) after
max(``--rdflib-min-timeout``, 25 x the Oxigraph median), capped at ``--rdflib-timeout``; the ratio is
then a lower bound, shown as ``>=``.

Oxigraph runs in a process of its own that holds nothing but the store, as ``paperkg query`` does: in
the process that holds rdflib's graph (5.8 M triples, several GB of Python objects) the same Oxigraph
queries took up to twice as long. Each query is measured on Oxigraph, then at once on rdflib.

    .venv/bin/python bench/bench_queries.py                  # 100,000 papers (about 15 minutes)
    .venv/bin/python bench/bench_queries.py --papers 10000   # quicker
    .venv/bin/python bench/bench_queries.py --dir output     # an existing build

Writes ``bench/results/queries-<date>.json`` and prints a table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import math
import multiprocessing
import os
import platform
import random
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from paperkg.mapping import CollaborationCounter, IriMinter, collaboration_triples, ox_triple
from paperkg.namespaces import DCTERMS, FOAF, PKG, PREFIXES, PROV, RDF, RDFS, SKOS, XSD
from paperkg.sparql import (
    PreparedQuery,
    library,
    lookup_sparql,
    prepare,
    run_prepared,
)

BASE = "https://w3id.org/paperkg/id/"

# Real names first so that the head of each Zipf distribution reads like the real thing.
BENCHMARKS = ["ImageNet", "COCO", "GSM8K", "MMLU", "CIFAR-10", "HumanEval", "SQuAD", "GLUE", "MATH",
              "BIG-Bench Hard", "WMT14", "LibriSpeech", "ADE20K", "Cityscapes", "KITTI", "MS MARCO"]
METHODS = ["Transformer", "ResNet", "GPT-4", "BERT", "ViT", "Adam", "LoRA", "CLIP", "T5", "PaLM",
           "Llama 2", "Diffusion", "Mixture of Experts", "RLHF", "Chain-of-Thought", "U-Net"]
METRICS = ["accuracy", "top-1 accuracy", "F1", "BLEU", "FID", "perplexity", "mIoU", "AP", "WER",
           "exact match", "pass@1", "ROUGE", "error rate", "NDCG", "AUC"]
TASKS = ["image classification", "machine translation", "question answering", "object detection",
         "language modeling", "speech recognition", "code generation", "image generation"]
CATEGORIES = ["cs.LG", "cs.CV", "cs.CL", "cs.AI", "stat.ML", "cs.NE", "cs.RO", "cs.IR", "eess.AS",
              "cs.SD", "cs.CR", "cs.DC", "math.OC", "cs.HC", "cs.MA", "q-bio.NC"]
GIVEN = ["Wei", "Anna", "Daiyi", "Quoc", "Maria", "Jun", "Ahmed", "Sofia", "Hiro", "Lena", "Ravi", "Chen",
         "Olga", "Pedro", "Yuki", "Amir", "Nina", "Tom", "Ines", "Kofi", "Mei", "Jonas", "Priya", "Ali",
         "Sara", "Ivan", "Lucia", "Omar", "Eva", "Ken", "Rosa", "Felix", "Aiko", "Marco", "Zoe", "Raj"]
FAMILY = ["Peng", "Le", "Garcia", "Wang", "Smith", "Kim", "Chen", "Müller", "Rossi", "Tanaka", "Singh",
          "Ivanova", "Silva", "Nguyen", "Khan", "Cohen", "Dubois", "Okafor", "Larsen", "Novak", "Haddad",
          "Lopez", "Yamamoto", "Schmidt", "Kowalski", "Popescu", "Andersen", "Moreau", "Fischer", "Ali",
          "Sato", "Park", "Zhang", "Liu", "Huang", "Patel", "Brown", "Jensen", "Costa", "Ortiz"]
WORDS = ["Efficient", "Scalable", "Robust", "Sparse", "Neural", "Graph", "Attention", "Learning",
         "Diffusion", "Language", "Vision", "Models", "Reasoning", "Optimization", "Retrieval",
         "Contrastive", "Self-Supervised", "Federated", "Adaptive", "Transformers", "Agents", "Benchmark",
         "Distillation", "Quantization", "Alignment", "Multimodal", "Generative", "Causal", "Memory"]


def n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def lit(value, datatype: str | None = None) -> ox.Literal:
    return ox.Literal(str(value), datatype=n(str(XSD) + datatype)) if datatype else ox.Literal(str(value))


def zipf_weights(count: int, shift: float = 0.0, s: float = 1.0) -> list[float]:
    """Zipf-like weights 1 / (rank + shift) ** s; ``shift`` flattens the head."""
    return [1 / ((rank + shift) ** s) for rank in range(1, count + 1)]


def synthetic_triples(papers: int, seed: int = 7):
    """Triples shaped like paperkg's mapping, for ``papers`` papers (deterministic for ``seed``)."""
    rng = random.Random(seed)
    A = n(str(RDF.type))
    P = {name: n(str(getattr(PKG, name))) for name in (
        "Paper", "Author", "Organization", "Authorship", "Benchmark", "Method", "Task", "Metric", "Result",
        "Category", "Listing", "SourceRecord", "dateAsWritten", "authorship", "authorCount",
        "authorListComplete", "affiliation", "category", "hasCode", "codeRepository", "upvotes",
        "mentions", "proposes", "usesMethod", "evaluatesOn", "addressesTask", "usesMetric",
        "reportsResult", "sourceRecord", "author", "position", "nameAsWritten", "onBenchmark", "metric",
        "value", "ofMethod", "unit", "evidence", "relative", "fromListing", "line", "titleAsWritten",
        "readerFormat", "fileName", "sha256", "recordCount", "arxivClass")}
    title_p, issued_p, creator_p = n(str(DCTERMS.title)), n(str(DCTERMS.issued)), n(str(DCTERMS.creator))
    name_p, given_p, family_p = n(str(FOAF.name)), n(str(FOAF.givenName)), n(str(FOAF.familyName))
    label_p, alt_p, notation_p = n(str(RDFS.label)), n(str(SKOS.altLabel)), n(str(SKOS.notation))
    derived_p = n(str(PROV.wasDerivedFrom))
    true, false = lit("true", "boolean"), lit("false", "boolean")

    # People: ~30,000 distinct names, prolific ones drawn more often (Zipf).
    n_authors = max(50, round(papers * 0.3))
    authors, seen = [], set()
    while len(authors) < n_authors:
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        name = f"{given} {family}" if (given, family) not in seen else f"{given} {chr(65 + len(authors) % 26)}. {family}{len(authors)}"
        seen.add((given, family))
        slug = name.lower().replace(" ", "-").replace(".", "")
        iri = n(f"{BASE}author/{slug}-{len(authors)}")
        authors.append((iri, name))
        yield iri, A, P["Author"]
        yield iri, name_p, lit(name)
        yield iri, given_p, lit(name.split(" ")[0])
        yield iri, family_p, lit(name.split(" ")[-1])
        if len(authors) % 3 == 0:
            yield iri, alt_p, lit(f"{name.split(' ')[-1]}, {name.split(' ')[0]}")
    # The busiest person is on ~0.4% of papers (about 400 of 100,000), the average on ~20.
    author_weights = zipf_weights(n_authors, shift=300)

    orgs = []
    for i in range(200):
        iri = n(f"{BASE}org/org-{i}")
        orgs.append(iri)
        yield iri, A, P["Organization"]
        yield iri, name_p, lit(f"Research Lab {i}")

    categories = []
    for code in CATEGORIES:
        iri = n(f"{BASE}category/{code}")
        categories.append(iri)
        yield iri, A, P["Category"]
        yield iri, label_p, lit(code.upper())
        yield iri, notation_p, lit(code)
        yield iri, P["arxivClass"], lit(code)

    listings = []
    for i in range(20):
        iri = n(f"{BASE}listing/listing-{i:03d}-txt")
        listings.append(iri)
        yield iri, A, P["Listing"]
        yield iri, label_p, lit(f"listing-{i:03d}.txt")
        yield iri, P["fileName"], lit(f"listing-{i:03d}.txt")
        yield iri, P["readerFormat"], lit(["lab-list", "profile-export", "daily-papers", "papers-search"][i % 4])
        yield iri, P["sha256"], lit(f"{i:064x}")
        yield iri, P["recordCount"], lit(papers // 20, "integer")

    # Named entities: ~2,000 in all, mentions Zipf-like.
    def entities(kind: str, names: list[str], count: int, stem: str):
        out = []
        for i in range(count):
            label = names[i] if i < len(names) else f"{stem}-{i}"
            iri = n(f"{BASE}{kind.lower()}/{label.lower().replace(' ', '-')}")
            out.append(iri)
            yield_list.append((iri, A, P[kind]))
            yield_list.append((iri, label_p, lit(label)))
            if i % 4 == 0:
                yield_list.append((iri, alt_p, lit(label.upper() + " dataset" if kind == "Benchmark" else label.upper())))
        return out

    yield_list: list = []
    benchmarks = entities("Benchmark", BENCHMARKS, 800, "Bench")
    methods = entities("Method", METHODS, 1000, "Net")
    tasks = entities("Task", TASKS, 150, "task")
    metrics = entities("Metric", METRICS, 50, "score")
    yield from yield_list
    # The most-used benchmark is named by ~9% of papers, as ImageNet is in vision-heavy corpora.
    bench_w, method_w, task_w = zipf_weights(800, 2), zipf_weights(1000, 2), zipf_weights(150, 2)
    lower = {"FID", "perplexity", "WER", "error rate"}

    collaborations = CollaborationCounter()  # pkg:Collaboration nodes, as the build computes them
    for i in range(papers):
        title = " ".join(rng.sample(WORDS, 5)) + f" {i}"
        paper = n(f"{BASE}paper/{title.lower().replace(' ', '-')}")
        yield paper, A, P["Paper"]
        yield paper, title_p, lit(title)
        r = rng.random()
        year = rng.randint(2012, 2025)
        if r < 0.80:
            date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            yield paper, issued_p, lit(date, "date")
            yield paper, P["dateAsWritten"], lit(date)
        elif r < 0.88:
            yield paper, issued_p, lit(f"{year}-{rng.randint(1, 12):02d}", "gYearMonth")
            yield paper, P["dateAsWritten"], lit(str(year))
        elif r < 0.93:
            yield paper, issued_p, lit(str(year), "gYear")
            yield paper, P["dateAsWritten"], lit(str(year))
        elif r < 0.97:
            yield paper, issued_p, lit(f"--{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "gMonthDay")
            yield paper, P["dateAsWritten"], lit("Sep 11")
        # Authors: about 6, a rare large collaboration.
        count = max(1, min(30, round(rng.gauss(6, 2.5))))
        if rng.random() < 0.001:
            count = rng.randint(50, 200)
        team = []
        for author in rng.choices(authors, weights=author_weights, k=count * 2):
            if author not in team:
                team.append(author)
            if len(team) == count:
                break
        for position, (author, name) in enumerate(team, start=1):
            place = n(f"{paper.value.replace('/paper/', '/authorship/')}-{position}")
            yield paper, P["authorship"], place
            yield place, A, P["Authorship"]
            yield place, P["author"], author
            yield place, P["position"], lit(position, "integer")
            yield place, P["nameAsWritten"], lit(name)
            yield paper, creator_p, author
        collaborations.add(author.value for author, _ in team)
        yield paper, P["authorCount"], lit(len(team), "integer")
        yield paper, P["authorListComplete"], true if rng.random() < 0.8 else false
        if rng.random() < 0.5:
            for org in rng.sample(orgs, rng.randint(1, 2)):
                yield paper, P["affiliation"], org
        for category in rng.sample(categories, rng.randint(1, 2)):
            yield paper, P["category"], category
        if rng.random() < 0.4:
            yield paper, P["hasCode"], true if rng.random() < 0.6 else false
        if rng.random() < 0.3:
            yield paper, P["codeRepository"], n(f"https://github.com/lab{i % 500}/repo{i}")
        if rng.random() < 0.2:
            yield paper, P["upvotes"], lit(int(rng.paretovariate(1.2)), "integer")
        for listing in rng.sample(listings, 1 if rng.random() < 0.9 else rng.randint(2, 3)):
            record = n(f"{listing.value.replace('/listing/', '/record/')}-L{i + 1}")
            yield paper, derived_p, listing
            yield paper, P["sourceRecord"], record
            yield record, A, P["SourceRecord"]
            yield record, P["fromListing"], listing
            yield record, P["line"], lit(i * 3 + 1, "integer")
            yield record, P["titleAsWritten"], lit(title)
        # About three benchmark/method mentions, a task and a metric.
        used_b = set(rng.choices(benchmarks, weights=bench_w, k=rng.randint(0, 3)))
        used_m = set(rng.choices(methods, weights=method_w, k=rng.randint(1, 3)))
        for bench in used_b:
            yield paper, P["proposes" if rng.random() < 0.02 else "evaluatesOn"], bench
            yield paper, P["mentions"], bench
        for method in used_m:
            yield paper, P["proposes" if rng.random() < 0.05 else "usesMethod"], method
            yield paper, P["mentions"], method
        task = rng.choices(tasks, weights=task_w)[0]
        yield paper, P["addressesTask"], task
        metric = rng.choice(metrics)
        yield paper, P["usesMetric"], metric
        if used_b and rng.random() < 0.3:
            for k in range(rng.randint(1, 3)):
                result = n(f"{BASE}result/{i:08x}{k}")
                bench = rng.choice(sorted(used_b, key=lambda t: t.value))
                metric_name = METRICS[metrics.index(metric)] if metrics.index(metric) < len(METRICS) else "score"
                value = round(rng.uniform(1, 30) if metric_name in lower else rng.uniform(40, 99), 1)
                yield paper, P["reportsResult"], result
                yield result, A, P["Result"]
                yield result, P["onBenchmark"], bench
                yield result, P["value"], lit(value, "decimal")
                yield result, P["metric"], metric
                if rng.random() < 0.7:
                    yield result, P["ofMethod"], rng.choice(sorted(used_m, key=lambda t: t.value))
                yield result, P["unit"], lit("%")
                yield result, P["evidence"], lit(f"We reach {value}% on the benchmark.")
                yield result, P["relative"], true if rng.random() < 0.15 else false
    minter = IriMinter(BASE)
    for triple in collaboration_triples(collaborations.pairs(), lambda iri: iri.rsplit("/author/", 1)[1], minter):
        yield ox_triple(triple)


def write_build(triples, directory: Path) -> None:
    """A build folder (see paperkg.store) holding ``triples``, as ``paperkg build`` lays it out."""
    from paperkg.store import Generation

    directory.mkdir(parents=True, exist_ok=True)
    generation = Generation(directory)
    store = ox.Store(str(generation.store_dir))
    store.bulk_extend(ox.Quad(s, p, o, ox.DefaultGraph()) for s, p, o in triples)
    store.flush()
    store.optimize()
    del store
    generation.publish()


def to_rdflib_graph(store):
    """rdflib's default in-memory Graph holding every triple of ``store`` (terms shared, not copied)."""
    import rdflib

    cache: dict = {}

    def term(t):
        key = (type(t), t.value, getattr(t, "datatype", None) and t.datatype.value, getattr(t, "language", None))
        found = cache.get(key)
        if found is None:
            if isinstance(t, ox.NamedNode):
                found = rdflib.URIRef(t.value)
            elif isinstance(t, ox.BlankNode):
                found = rdflib.BNode(t.value)
            elif t.language:
                found = rdflib.Literal(t.value, lang=t.language)
            elif t.datatype.value == str(XSD.string):
                found = rdflib.Literal(t.value)
            else:
                found = rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value), normalize=False)
            cache[key] = found
        return found

    graph = rdflib.Graph()
    add = graph.add
    for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        add((term(quad.subject), term(quad.predicate), term(quad.object)))
    return graph


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout


def rdflib_run(graph, prepared: PreparedQuery) -> int:
    """Run ``prepared`` on an rdflib Graph the way run_prepared does on Oxigraph; the answer's size."""
    if prepared.lookups:
        bindings = dict(prepared.bindings)
        for variable, lookup in prepared.lookups.items():
            for exact in (True, False):  # as paperkg.query.lookup_nodes does
                lookup_query = PreparedQuery(lookup_sparql(lookup.kind, exact), {"name": ox.Literal(lookup.name)},
                                             "SELECT")
                nodes = sorted(str(row[0]) for row in graph.query(lookup_query.sparql(), initNs=PREFIXES))
                if nodes:
                    break
            bindings[variable] = tuple(ox.NamedNode(iri) for iri in nodes)
        prepared = PreparedQuery(prepared.text, bindings, prepared.form, prepared.name)
    answer = graph.query(prepared.sparql(), initNs=PREFIXES)
    if answer.type == "ASK":
        return int(bool(answer.askAnswer))
    return len(list(answer))


def oxigraph_size(result) -> int:
    return int(bool(result.boolean)) if result.kind == "boolean" else len(result)


def oxigraph_times(store, name: str, params: dict, repeat: int, min_seconds: float) -> tuple[list[float], int]:
    """Runs of library query ``name`` on ``store`` as ``paperkg query`` runs it: at least ``repeat``, more
    until they add up to ``min_seconds`` (at most 200); one when a run takes over 5 s. (times, answer size)"""
    prepared = prepare(name, params)
    times: list[float] = []
    size = 0
    while len(times) < repeat or (sum(times) < min_seconds and len(times) < 200):
        t = time.perf_counter()
        result = run_prepared(store, prepared)
        times.append(time.perf_counter() - t)
        size = oxigraph_size(result)
        if times[-1] > 5:  # one run of a slow query says enough, and keeps the run short
            break
    return times, size


def _oxigraph_worker(conn, directory: str) -> None:
    """Serve oxigraph_times() requests on ``conn`` from a process that holds only the store."""
    from paperkg.store import open_store

    store = open_store(directory)
    while True:
        request = conn.recv()
        if request is None:
            return
        conn.send(oxigraph_times(store, *request))


class OxigraphProcess:
    """A child process that opens the build's store and times library queries on request."""

    def __init__(self, directory: Path) -> None:
        ctx = multiprocessing.get_context("spawn")  # a fresh interpreter: no rdflib graph, no open store
        self._conn, child_conn = ctx.Pipe()
        self._process = ctx.Process(target=_oxigraph_worker, args=(child_conn, str(directory)), daemon=True)
        self._process.start()
        child_conn.close()

    def times(self, name: str, params: dict, repeat: int, min_seconds: float) -> tuple[list[float], int]:
        self._conn.send((name, params, repeat, min_seconds))
        return self._conn.recv()

    def close(self) -> None:
        self._conn.send(None)
        self._process.join(10)


def bench_params(store, author_rank: int = 100) -> dict[str, dict[str, str]]:
    """Parameter values for the parameterized queries: the most used benchmark, the ``author_rank``-th
    most prolific person, a paper's title."""
    def one(sparql: str) -> str:
        rows = list(store.query(sparql, prefixes=PREFIXES))
        return rows[0][0].value if rows else "nothing"

    bench = one("SELECT ?n WHERE { ?b a pkg:Benchmark ; rdfs:label ?n . ?p pkg:evaluatesOn ?b } "
                "GROUP BY ?n ORDER BY DESC(COUNT(?p)) LIMIT 1")
    author = one("SELECT ?n WHERE { ?a a pkg:Author ; foaf:name ?n . ?p dcterms:creator ?a } "
                 f"GROUP BY ?n ORDER BY DESC(COUNT(?p)) ?n OFFSET {max(0, author_rank - 1)} LIMIT 1")
    title = one("SELECT ?t WHERE { ?p a pkg:Paper ; dcterms:title ?t } ORDER BY ?t LIMIT 1")
    word = (title.split() or ["a"])[0]
    metric = one("SELECT ?n WHERE { ?r pkg:onBenchmark ?b ; pkg:metric ?m . ?b rdfs:label ?bn . "
                 f"FILTER(STR(?bn) = {json.dumps(bench)}) ?m rdfs:label ?n }} "
                 "GROUP BY ?n ORDER BY DESC(COUNT(?r)) LIMIT 1")
    values = {"benchmark": bench, "author": author, "paper": title, "text": word, "metric": metric}
    out = {}
    for name, entry in library().items():
        out[name] = {p.name: values[p.name] for p in entry.params if p.required or p.name == "metric"}
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100_000, help="papers in the synthetic graph")
    parser.add_argument("--dir", type=Path, help="use this existing build instead of a synthetic graph")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5, help="runs per query on Oxigraph (median)")
    parser.add_argument("--rdflib-repeat", type=int, default=3, help="most runs per query on rdflib")
    parser.add_argument("--min-seconds", type=float, default=1.0,
                        help="quick queries are repeated until their runs add up to this (median kept)")
    parser.add_argument("--rdflib-timeout", type=float, default=120.0, help="cap of one rdflib run, s")
    parser.add_argument("--rdflib-min-timeout", type=float, default=5.0)
    parser.add_argument("--skip-rdflib", action="store_true")
    parser.add_argument("--author-rank", type=int, default=100,
                        help="author parameter: the N-th most prolific person (1: the worst case)")
    parser.add_argument("--queries", help="comma-separated library query names (default: all)")
    parser.add_argument("--out", type=Path, help="result file (default bench/results/queries-<date>.json)")
    args = parser.parse_args(argv)

    from paperkg.store import open_store

    info: dict = {"date": dt.date.today().isoformat(), "python": platform.python_version(),
                  "pyoxigraph": ox.__version__, "machine": f"{platform.machine()}, {os.cpu_count()} cpus"}
    workdir = None
    started = time.perf_counter()
    if args.dir:
        directory = args.dir
        info["graph"] = f"build {directory}"
    else:
        workdir = Path(tempfile.mkdtemp(prefix="paperkg-bench-"))
        directory = workdir / "build"
        t = time.perf_counter()
        write_build(synthetic_triples(args.papers, args.seed), directory)
        info["graph"] = f"synthetic, {args.papers} papers, seed {args.seed}"
        info["oxigraph_load_s"] = round(time.perf_counter() - t, 1)
        print(f"synthetic graph of {args.papers:,} papers written to an Oxigraph store in "
              f"{info['oxigraph_load_s']} s", file=sys.stderr)
    oxigraph = None
    try:
        oxigraph = OxigraphProcess(directory)  # started before rdflib's graph fills this process
        store = open_store(directory)
        info["triples"] = len(store)
        graph = None
        if not args.skip_rdflib:
            import rdflib

            info["rdflib"] = rdflib.__version__
            t = time.perf_counter()
            graph = to_rdflib_graph(store)
            gc.collect()
            info["rdflib_load_s"] = round(time.perf_counter() - t, 1)
            print(f"{info['triples']:,} triples loaded into rdflib.Graph() in {info['rdflib_load_s']} s",
                  file=sys.stderr)
        params = bench_params(store, args.author_rank)
        info["params"] = {name: p for name, p in params.items() if p}
        names = args.queries.split(",") if args.queries else list(library())
        rows = []
        for name in names:
            prepared = prepare(name, params[name])
            times, size = oxigraph.times(name, params[name], args.repeat, args.min_seconds)
            ox_median = statistics.median(times)
            row = {"query": name, "params": params[name], "oxigraph_median_s": round(ox_median, 4),
                   "oxigraph_runs_s": [round(x, 4) for x in times], "answer_size": size}
            if graph is not None:
                limit = min(args.rdflib_timeout, max(args.rdflib_min_timeout, 25 * ox_median))
                rtimes, timed_out, rsize, failure = [], False, None, None
                previous = signal.signal(signal.SIGALRM, _alarm)
                try:
                    while len(rtimes) < args.rdflib_repeat or (sum(rtimes) < args.min_seconds and len(rtimes) < 20):
                        t = time.perf_counter()
                        signal.setitimer(signal.ITIMER_REAL, limit)
                        try:
                            rsize = rdflib_run(graph, prepared)
                        except Timeout:
                            timed_out = True
                        except Exception as exc:  # noqa: BLE001 - an rdflib failure is a finding, not a crash
                            failure = f"{type(exc).__name__}: {exc}"
                            break
                        finally:
                            signal.setitimer(signal.ITIMER_REAL, 0)
                        rtimes.append(time.perf_counter() - t)
                        if timed_out or rtimes[-1] > 2:
                            break
                finally:
                    signal.signal(signal.SIGALRM, previous)
                if failure is not None:
                    row.update({"rdflib_error": failure})
                    rows.append(row)
                    print(_line(row), file=sys.stderr)
                    continue
                r_median = statistics.median(rtimes)
                row.update({"rdflib_median_s": round(r_median, 4), "rdflib_runs_s": [round(x, 3) for x in rtimes],
                            "rdflib_timed_out": timed_out, "rdflib_answer_size": rsize,
                            "ratio": round(r_median / ox_median, 1) if ox_median > 0 else math.inf,
                            "ratio_is_lower_bound": timed_out})
            rows.append(row)
            print(_line(row), file=sys.stderr)
        info["seconds"] = round(time.perf_counter() - started, 1)
        report = {"info": info, "queries": rows, "summary": _summary(rows)}
        out = args.out or ROOT / "bench" / "results" / f"queries-{info['date']}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(_table(rows))
        print(json.dumps(report["summary"]))
        print(f"written to {out}")
    finally:
        if oxigraph is not None:
            oxigraph.close()
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


def _line(row: dict) -> str:
    text = f"{row['query']:<28} oxigraph {row['oxigraph_median_s'] * 1000:9.1f} ms"
    if "rdflib_error" in row:
        text += f"   rdflib failed: {row['rdflib_error'][:60]}"
    elif "rdflib_median_s" in row:
        bound = ">=" if row["ratio_is_lower_bound"] else ""
        text += f"   rdflib {row['rdflib_median_s'] * 1000:10.1f} ms   {bound}{row['ratio']}x"
    return text


def _table(rows: list[dict]) -> str:
    head = f"{'query':<28} {'answer':>7} {'oxigraph ms':>12} {'rdflib ms':>12} {'ratio':>9}"
    lines = [head, "-" * len(head)]
    for row in rows:
        rdf = f"{row['rdflib_median_s'] * 1000:12.1f}" if "rdflib_median_s" in row else \
            f"{'error' if 'rdflib_error' in row else '-':>12}"
        ratio = (("≥" if row.get("ratio_is_lower_bound") else "") + f"{row['ratio']}×") if "ratio" in row else "-"
        lines.append(f"{row['query']:<28} {row['answer_size']:>7} {row['oxigraph_median_s'] * 1000:12.1f} "
                     f"{rdf} {ratio:>9}")
    return "\n".join(lines)


def _summary(rows: list[dict]) -> dict:
    out = {"queries": len(rows),
           "oxigraph_median_under_1s": sum(r["oxigraph_median_s"] < 1 for r in rows),
           "slowest_oxigraph_s": max(r["oxigraph_median_s"] for r in rows)}
    with_ratio = [r for r in rows if "ratio" in r]
    failed = [r["query"] for r in rows if "rdflib_error" in r]
    if failed:
        out["rdflib_failed"] = failed
    if with_ratio:
        out["ratio_at_least_20x"] = sum(r["ratio"] >= 20 for r in with_ratio)
        out["smallest_ratio"] = min(r["ratio"] for r in with_ratio)
        out["answers_agree"] = sum(r["answer_size"] == r["rdflib_answer_size"] or r["rdflib_timed_out"]
                                   for r in with_ratio)
    return out


if __name__ == "__main__":
    sys.exit(main())
