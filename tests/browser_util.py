"""Helpers for the view, graph and browser tests (and bench/bench_viz.py).

* :class:`GraphBuilder` writes small graphs in paperkg's shape (papers, authorships, categories,
  benchmarks, methods ...) as pyoxigraph triples, so the tests do not depend on the readers;
* :func:`write_build` stores triples as a build folder that ``paperkg viz/stats/report`` can read;
* :func:`chromium_path` / :func:`open_page` drive headless Chromium through Playwright with every
  request that is not ``file:`` or ``data:`` blocked and recorded.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

BASE = "https://w3id.org/paperkg/id/"
PKG = "https://w3id.org/paperkg/ontology#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

HOSTILE_TITLE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "x"


def iri(kind: str, key: str) -> ox.NamedNode:
    return ox.NamedNode(f"{BASE}{kind}/{slug(key)}")


def lit(value, datatype: str | None = None) -> ox.Literal:
    if datatype:
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype))
    return ox.Literal(str(value))


@dataclass
class GraphBuilder:
    """Accumulates triples of a paperkg-shaped graph."""

    triples: list = field(default_factory=list)
    _seen: set = field(default_factory=set)

    def add(self, s, p, o) -> None:
        self.triples.append((s, ox.NamedNode(p) if isinstance(p, str) else p, o))

    def _entity(self, kind: str, cls: str, name: str, label_prop: str) -> ox.NamedNode:
        node = iri(kind, name)
        if node.value not in self._seen:
            self._seen.add(node.value)
            self.add(node, RDF_TYPE, ox.NamedNode(PKG + cls))
            self.add(node, label_prop, lit(name))
        return node

    def author(self, name: str) -> ox.NamedNode:
        return self._entity("author", "Author", name, FOAF + "name")

    def org(self, name: str) -> ox.NamedNode:
        return self._entity("org", "Organization", name, FOAF + "name")

    def category(self, code: str) -> ox.NamedNode:
        node = iri("category", code)
        if node.value not in self._seen:
            self._entity("category", "Category", code, RDFS + "label")
            self.add(node, SKOS + "notation", lit(code))
        return node

    def entity(self, cls: str, name: str) -> ox.NamedNode:
        return self._entity(cls.lower(), cls, name, RDFS + "label")

    def paper(self, title: str, authors=(), date: str | None = None, abstract: str | None = None,
              categories=(), orgs=(), evaluates=(), uses=(), proposes=(), tasks=(), url: str | None = None,
              code: str | None = None, author_count: int | None = None, complete: bool | None = None,
              key: str | None = None) -> ox.NamedNode:
        node = iri("paper", key or title)
        self.add(node, RDF_TYPE, ox.NamedNode(PKG + "Paper"))
        self.add(node, DCT + "title", lit(title))
        if abstract:
            self.add(node, DCT + "abstract", lit(abstract))
        if date:
            datatype = {4: "gYear", 7: "gYearMonth", 10: "date"}[len(date)]
            self.add(node, DCT + "issued", lit(date, datatype))
            self.add(node, PKG + "dateAsWritten", lit(date))
        for position, name in enumerate(authors, 1):
            agent = self.author(name)
            place = ox.NamedNode(f"{BASE}authorship/{slug(key or title)}-{position}")
            self.add(node, PKG + "authorship", place)
            self.add(place, RDF_TYPE, ox.NamedNode(PKG + "Authorship"))
            self.add(place, PKG + "author", agent)
            self.add(place, PKG + "position", lit(position, "integer"))
            self.add(place, PKG + "nameAsWritten", lit(name))
            self.add(node, DCT + "creator", agent)
        if author_count is not None:
            self.add(node, PKG + "authorCount", lit(author_count, "integer"))
        if complete is not None:
            self.add(node, PKG + "authorListComplete", lit("true" if complete else "false", "boolean"))
        for code_ in categories:
            self.add(node, PKG + "category", self.category(code_))
        for name in orgs:
            self.add(node, PKG + "affiliation", self.org(name))
        for name in evaluates:
            target = self.entity("Benchmark", name)
            self.add(node, PKG + "evaluatesOn", target)
            self.add(node, PKG + "mentions", target)
        for name in uses:
            target = self.entity("Method", name)
            self.add(node, PKG + "usesMethod", target)
            self.add(node, PKG + "mentions", target)
        for cls, name in proposes:
            target = self.entity(cls, name)
            self.add(node, PKG + "proposes", target)
            self.add(node, PKG + "mentions", target)
        for name in tasks:
            target = self.entity("Task", name)
            self.add(node, PKG + "addressesTask", target)
            self.add(node, PKG + "mentions", target)
        if url:
            self.add(node, "https://schema.org/url", ox.NamedNode(url))
        if code:
            self.add(node, PKG + "codeRepository", ox.NamedNode(code))
        return node


def sample_graph() -> GraphBuilder:
    """A small graph with every view-worthy class, a hostile title and a 60-author paper."""
    g = GraphBuilder()
    g.paper("The Flan Collection: Designing Data and Methods for Effective Instruction Tuning",
            ["Shayne Longpre", "Le Hou", "Tu Vu", "Quoc V. Le"], "2023-01-31",
            "We study the design decisions of publicly available instruction tuning methods.",
            ["cs.CL", "cs.LG"], ["Google DeepMind"], evaluates=["MMLU", "BIG-Bench Hard"],
            uses=["T5"], proposes=[("Method", "Flan-T5"), ("Benchmark", "Flan Collection")],
            tasks=["instruction tuning"], url="https://arxiv.org/abs/2301.13688",
            code="https://github.com/google-research/FLAN")
    g.paper("Large Language Models as Optimizers",
            ["Chengrun Yang", "Xuezhi Wang", "Quoc V. Le", "Denny Zhou"], "2023-09-07",
            "Optimization is ubiquitous.", ["cs.LG"], ["Google DeepMind"],
            evaluates=["GSM8K", "BIG-Bench Hard"], uses=["PaLM 2"], proposes=[("Method", "OPRO")])
    g.paper("Long-form factuality in large language models",
            ["Jerry Wei", "Chengrun Yang", "Daiyi Peng", "Quoc V. Le"], "2024-03",
            "Large language models often generate content that contains factual errors.", ["cs.CL"],
            evaluates=["LongFact"], uses=["GPT-4"], proposes=[("Benchmark", "LongFact"), ("Method", "SAFE")])
    g.paper("Best Practices and Lessons Learned on Synthetic Data for Language Models",
            ["Ruibo Liu", "Jerry Wei", "Daiyi Peng", "Denny Zhou"], "2024", "Synthetic data overview.",
            ["cs.CL"], uses=["GPT-4"])
    g.paper(HOSTILE_TITLE, ["Mallory Attacker", "Daiyi Peng"], "2024-05-01",
            'Abstract with <b>bold</b> & "quotes" and </script> inside.', ["cs.CR"],
            evaluates=["MMLU"], url="https://example.org/paper")
    g.paper("Gemini: A Family of Highly Capable Multimodal Models",
            [f"Gemini Author {i:02d}" for i in range(1, 61)] + ["Quoc V. Le"], "2023-12-19",
            "This report introduces a new family of multimodal models.", ["cs.CL", "cs.CV"],
            ["Google DeepMind"], evaluates=["MMLU", "GSM8K"], proposes=[("Method", "Gemini")],
            author_count=937, complete=False)
    g.paper("Sample-Efficient Multi-Agent RL: An Optimization Perspective", ["Nuoya Xiong", "Zhihan Liu"],
            "2023-10", "We study multi-agent reinforcement learning.", ["cs.LG"])
    g.paper("Sample-Efficient Alignment for LLMs", ["Zichen Liu", "Changyu Chen"], "2024-11",
            "We study methods for efficiently aligning large language models.", ["cs.LG", "cs.CL"],
            uses=["DPO"])
    return g


def synthetic_graph(papers: int, authors: int, seed: int = 7) -> GraphBuilder:
    """A random graph of roughly realistic shape: skewed author productivity, categories, entities."""
    import random

    rng = random.Random(seed)
    g = GraphBuilder()
    people = [f"Author {i:05d}" for i in range(authors)]
    weights = [1 / (i + 1) ** 0.8 for i in range(authors)]
    cats = ["cs.LG", "cs.CL", "cs.CV", "cs.AI", "stat.ML", "cs.RO", "cs.IR", "cs.CR", "cs.NE", "cs.SE"]
    benches = [f"Bench {i:03d}" for i in range(80)]
    methods = [f"Method {i:03d}" for i in range(80)]
    orgs = [f"Lab {i:02d}" for i in range(25)]
    for i in range(papers):
        n_auth = min(authors, max(1, int(rng.expovariate(1 / 4)) + 1))
        chosen = list(dict.fromkeys(rng.choices(people, weights, k=n_auth)))
        g.paper(f"Synthetic paper {i:05d} on topic {rng.randint(0, 99)}", chosen,
                f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}", "An abstract. " * 5,
                rng.sample(cats, rng.randint(1, 2)), rng.sample(orgs, rng.randint(0, 1)),
                evaluates=rng.sample(benches, rng.randint(0, 2)), uses=rng.sample(methods, rng.randint(0, 2)))
    return g


def write_build(directory: str | os.PathLike, triples) -> Path:
    """Store ``triples`` as the current generation of build folder ``directory``."""
    from paperkg.export import canonical_order, write_graph
    from paperkg.store import TURTLE_NAME, Generation

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    generation = Generation(directory)
    ordered = canonical_order(triples)
    store = ox.Store(str(generation.store_dir))
    store.bulk_extend(ox.Quad(s, p, o, ox.DefaultGraph()) for s, p, o in ordered)
    store.flush()
    del store
    write_graph(ordered, generation.file(TURTLE_NAME), "turtle", presorted=True)
    generation.file("extractions.jsonl").write_text("")
    generation.publish()
    return directory


# ---------------------------------------------------------------------------------------------------
# Headless Chromium
# ---------------------------------------------------------------------------------------------------

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def chromium_path() -> str | None:
    """Debian's Chromium, or ``PAPERKG_CHROMIUM``; None when neither is installed."""
    for candidate in (os.environ.get("PAPERKG_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@dataclass
class PageProbe:
    """What a page did: errors, console errors and requests that tried to leave the machine."""

    page_errors: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)
    blocked: list = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.blocked == [], f"requests tried to leave the machine: {self.blocked}"
        assert self.page_errors == [], f"page errors: {self.page_errors}"
        assert self.console_errors == [], f"console errors: {self.console_errors}"


@contextlib.contextmanager
def launch_browser(executable: str | None = None):
    """A headless Chromium (Playwright) browser; no download, Debian's binary."""
    from playwright.sync_api import sync_playwright

    executable = executable or chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def wait_until(page, expression: str, timeout_ms: int = 30_000, interval_ms: int = 25):
    """Poll ``expression`` until it is truthy; returns its value.

    Playwright's own ``wait_for_function`` polls with ``eval`` inside the page, which the pages'
    Content-Security-Policy forbids (as it should); ``page.evaluate`` goes through the DevTools
    protocol instead.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout_ms} ms waiting for {expression}")
        page.wait_for_timeout(interval_ms)


@contextlib.contextmanager
def open_page(browser, path: str | os.PathLike, width: int = 1400, height: int = 900, wait_ready: bool = True,
              timeout_ms: int = 30_000, bypass_csp: bool = False):
    """Open a local HTML file with every non-``file:``/``data:`` request aborted and recorded.

    ``bypass_csp`` switches the page's Content-Security-Policy off, to show that escaping alone keeps
    hostile text inert.
    """
    context = browser.new_context(viewport={"width": width, "height": height}, offline=True,
                                  service_workers="block", bypass_csp=bypass_csp)
    probe = PageProbe()

    def route(route_):
        url = route_.request.url
        if url.startswith(("file:", "data:", "blob:")):
            route_.continue_()
        else:
            probe.blocked.append(url)
            route_.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda exc: probe.page_errors.append(str(exc)))
    page.on("console", lambda msg: probe.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("request", lambda req: None if req.url.startswith(("file:", "data:", "blob:"))
            or req.url in probe.blocked else probe.blocked.append(req.url))
    try:
        page.goto(Path(path).resolve().as_uri())
        if wait_ready:
            wait_until(page, "window.__paperkgReady === true", timeout_ms)
        yield page, probe
    finally:
        context.close()


def take_screenshots(build: str | os.PathLike, out_dir: str | os.PathLike, author: str | None = None,
                     overview_nodes: int = 150) -> list[Path]:
    """The README's screenshots of a build: overview, a focused author view and the report."""
    import tempfile

    from paperkg.graphs import graph_stats, load_networkx
    from paperkg.viz import make_view, view_html, write_report

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if author is None:
        author = graph_stats(load_networkx(build), top=1)["rankings"]["authors"][0]["iri"]
    shots = []
    with tempfile.TemporaryDirectory() as tmp, launch_browser() as browser:
        pages = {
            "overview": view_html(*make_view(build, max_nodes=overview_nodes)),
            "focus-author": view_html(*make_view(build, focus=author, depth=2, max_nodes=120)),
        }
        for name, text in pages.items():
            path = Path(tmp) / f"{name}.html"
            path.write_text(text, encoding="utf-8")
            with open_page(browser, path, width=1600, height=1000) as (page, probe):
                probe.assert_clean()
                shots.append(out_dir / f"{name}.png")
                page.screenshot(path=str(shots[-1]))
        report = write_report(build, Path(tmp) / "report.html")
        with open_page(browser, report, width=1400, height=1000) as (page, probe):
            probe.assert_clean()
            # A full-page shot resizes the viewport and clears the canvas: resize first, redraw, then shoot.
            height = page.evaluate("document.documentElement.scrollHeight")
            page.set_viewport_size({"width": 1400, "height": height})
            page.evaluate("window.__paperkg.network.setSize('100%', '100%'); window.__paperkg.network.fit();"
                          " window.__paperkg.network.redraw()")
            page.wait_for_timeout(300)
            shots.append(out_dir / "report.png")
            page.screenshot(path=str(shots[-1]))
    return shots


if __name__ == "__main__":  # python -m tests.browser_util BUILD_DIR OUT_DIR
    import sys

    for shot in take_screenshots(sys.argv[1], sys.argv[2]):
        print(shot)
