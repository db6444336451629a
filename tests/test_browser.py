"""Generated pages in headless Chromium, offline: drawn, searchable, filterable, and safe.

Every request that is not ``file:``/``data:`` is aborted and recorded; each page must make none, and
raise no page or console error. Skipped when Chromium or Playwright is missing, unless
``PAPERKG_REQUIRE_BROWSER=1`` (CI), which makes that a failure.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from paperkg.viz import make_view, view_html, write_report
from tests.browser_util import (
    BASE,
    HOSTILE_TITLE,
    chromium_path,
    launch_browser,
    open_page,
    sample_graph,
    wait_until,
    write_build,
)

pytestmark = pytest.mark.browser

PENG = BASE + "author/daiyi-peng"
HOSTILE_PAPER = BASE + "paper/script-window-pwned-1-script-img-src-x-onerror-window-pwned-2"


def _missing_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install playwright)"
    if chromium_path() is None:
        return "chromium is not installed (apt-get install chromium)"
    return None


@pytest.fixture(scope="module")
def browser():
    reason = _missing_browser()
    if reason:
        if os.environ.get("PAPERKG_REQUIRE_BROWSER") == "1":
            pytest.fail(f"PAPERKG_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    with launch_browser() as b:
        yield b


class Pages:
    """Writes views of one build folder as files and remembers what each should show."""

    def __init__(self, build: Path, out: Path) -> None:
        self.build, self.out = build, out
        self.expected: dict[str, tuple[list[str], list[str]]] = {}

    def view(self, name: str, **options) -> Path:
        vg, view = make_view(self.build, **options)
        path = self.out / f"{name}.html"
        path.write_text(view_html(vg, view), encoding="utf-8")
        real = [n for n in view.nodes if n not in view.summaries]
        self.expected[str(path)] = (real, [s.label for s in view.summaries.values()])
        return path


@pytest.fixture(scope="module")
def sample_pages(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    return Pages(write_build(root / "build", sample_graph().triples), root)


# --- what every page must do -------------------------------------------------------------------------

DRAWN_PIXELS = """() => {
  const canvas = document.querySelector('#network canvas');
  if (!canvas || !canvas.width || !canvas.height) return 0;
  const ctx = canvas.getContext('2d');
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 0; i < data.length; i += 16) {
    if (data[i + 3] > 0 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) inked++;
  }
  return inked;
}"""

NETWORK_NODES = """() => {
  const data = JSON.parse(document.getElementById('paperkg-data').textContent);
  const table = Object.fromEntries(data.nodes.map(n => [n.id, n]));
  const ids = window.__paperkg.network.body.data.nodes.getIds();
  return ids.map(id => ({id: id, iri: table[id].i, cls: table[id].c, label: table[id].l}));
}"""

POSITIONS = """() => {
  const pos = Object.values(window.__paperkg.network.getPositions());
  const xs = pos.map(p => p.x), ys = pos.map(p => p.y);
  return {finite: pos.every(p => Number.isFinite(p.x) && Number.isFinite(p.y)),
          width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys), n: pos.length};
}"""


def showing(key: str) -> str:
    """A JS expression: the page shows view ``key``, settled."""
    return f"window.__paperkgReady === true && window.__paperkg.viewId === {json.dumps(key)}"


def assert_page_is_good(page, probe, expected_nodes=None, expected_summaries=None):
    probe.assert_clean()
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('#network canvas').length") == 1
    assert page.evaluate(DRAWN_PIXELS) > 200, "the canvas is blank"
    drawn = page.evaluate(NETWORK_NODES)
    if expected_nodes is not None:
        assert sorted(d["iri"] for d in drawn if d["cls"] != "More") == sorted(expected_nodes)
    if expected_summaries is not None:
        assert sorted(d["label"] for d in drawn if d["cls"] == "More") == sorted(expected_summaries)
    positions = page.evaluate(POSITIONS)
    assert positions["finite"]
    if positions["n"] > 1:
        assert positions["width"] > 50 or positions["height"] > 50
    assert page.evaluate("window.__paperkg.network.physics.physicsEnabled") is False, "physics still running"
    assert page.evaluate("document.getElementById('status').textContent").endswith(" links")


# --- views of the sample graph ------------------------------------------------------------------------

SAMPLE_VIEWS = {
    "overview": {},
    "focus-author": {"focus": "Daiyi Peng"},
    "focus-hairball-paper": {"focus": "Gemini: A Family of Highly Capable Multimodal Models"},
    "focus-benchmark": {"focus": "MMLU", "depth": 1},
    "focus-method": {"focus": "method:Gemini"},
    "authors-only": {"types": "Author"},
    "no-categories": {"types": "-Category", "max_nodes": 25},
}


@pytest.mark.parametrize("name", list(SAMPLE_VIEWS))
def test_sample_views_draw_exactly_their_nodes_offline(browser, sample_pages, name):
    path = sample_pages.view(name, **SAMPLE_VIEWS[name])
    nodes, summaries = sample_pages.expected[str(path)]
    with open_page(browser, path) as (page, probe):
        assert_page_is_good(page, probe, nodes, summaries)
        legend = page.evaluate("[...document.querySelectorAll('#legend input')].map(b => b.dataset.class)")
        assert legend and all(c in {"Paper", "Author", "Organization", "Category", "Benchmark", "Method",
                                     "Task", "Metric", "More"} for c in legend)


def test_hairball_paper_shows_a_summary_node(browser, sample_pages):
    path = sample_pages.view("gemini", focus="Gemini: A Family of Highly Capable Multimodal Models", depth=1)
    with open_page(browser, path) as (page, probe):
        drawn = page.evaluate(NETWORK_NODES)
        more = [d["label"] for d in drawn if d["cls"] == "More"]
        assert len(more) == 1 and re.fullmatch(r"\+9\d\d more authors", more[0])
        assert sum(1 for d in drawn if d["cls"] == "Author") <= 16
        probe.assert_clean()


def test_search_selects_what_it_says(browser, sample_pages):
    path = sample_pages.view("search", focus="Daiyi Peng")
    with open_page(browser, path) as (page, probe):
        page.fill("#search", "peng")
        wait_until(page, "document.getElementById('search-status').textContent === '1 match'")
        nodes = {d["id"]: d for d in page.evaluate(NETWORK_NODES)}
        selected = page.evaluate("window.__paperkg.network.getSelectedNodes()")
        assert [nodes[i]["iri"] for i in selected] == [PENG]
        dimmed = page.evaluate("window.__paperkg.nodes.get({filter: n => n.opacity < 1}).length")
        assert dimmed == len(nodes) - 1
        page.press("#search", "Enter")
        wait_until(page, "!document.getElementById('details').hidden")
        assert page.inner_text("#details h2") == "Daiyi Peng"
        page.fill("#search", "long form factuality")
        wait_until(page, "document.getElementById('search-status').textContent === '1 match'")
        page.fill("#search", "zzzz-nothing")
        wait_until(page, "document.getElementById('search-status').textContent === 'no match'")
        assert page.evaluate("window.__paperkg.network.getSelectedNodes().length") == 0
        page.fill("#search", "")
        wait_until(page, "document.getElementById('search-status').textContent === ''")
        assert page.evaluate("window.__paperkg.nodes.get({filter: n => n.opacity < 1}).length") == 0
        probe.assert_clean()


def test_class_filter_hides_and_shows_a_class(browser, sample_pages):
    path = sample_pages.view("filter")
    with open_page(browser, path) as (page, probe):
        nodes = page.evaluate(NETWORK_NODES)
        authors = {d["id"] for d in nodes if d["cls"] == "Author"}
        assert authors
        page.uncheck("#legend input[data-class=Author]")
        hidden = page.evaluate("window.__paperkg.nodes.get({filter: n => n.hidden}).map(n => n.id)")
        assert set(hidden) == authors
        page.fill("#search", "peng")  # a hidden class is not searched
        wait_until(page, "document.getElementById('search-status').textContent === 'no match'")
        page.fill("#search", "")
        page.check("#legend input[data-class=Author]")
        assert page.evaluate("window.__paperkg.nodes.get({filter: n => n.hidden}).length") == 0
        assert page.evaluate("window.__paperkg.nodes.length") == len(nodes)
        probe.assert_clean()


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "escaping-alone"])
def test_hostile_title_is_shown_as_text_and_never_runs(browser, sample_pages, bypass_csp):
    path = sample_pages.view(f"hostile-{bypass_csp}", focus=HOSTILE_PAPER, depth=1)
    with open_page(browser, path, bypass_csp=bypass_csp) as (page, probe):
        assert page.evaluate("window.__pwned") is None
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        assert page.evaluate("document.scripts.length") == 3
        assert page.title() == f"paperkg · {HOSTILE_TITLE}"
        assert page.inner_text("#page-title") == f"paperkg · {HOSTILE_TITLE}"
        # Hover the node for its tooltip, click it for the details: both show the title as text.
        point = page.evaluate("""() => {
            const data = JSON.parse(document.getElementById('paperkg-data').textContent);
            const id = data.views.main.focus[0];
            const net = window.__paperkg.network;
            net.moveTo({position: net.getPositions([id])[id], scale: 1.0, animation: false});
            const p = net.canvasToDOM(net.getPositions([id])[id]);
            const box = document.getElementById('network').getBoundingClientRect();
            return {x: box.left + p.x, y: box.top + p.y};
        }""")
        page.mouse.move(point["x"], point["y"])
        wait_until(page, "!document.getElementById('tooltip').hidden")
        assert page.inner_text("#tooltip .tt-title") == HOSTILE_TITLE
        page.mouse.click(point["x"], point["y"])
        wait_until(page, "!document.getElementById('details').hidden")
        assert page.inner_text("#details h2") == HOSTILE_TITLE
        assert "<b>bold</b>" in page.inner_text("#details p.excerpt")
        page.fill("#search", "onerror")
        wait_until(page, "document.getElementById('search-status').textContent === '1 match'")
        assert page.evaluate("window.__pwned") is None
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        probe.assert_clean()


def test_report_charts_open_focused_views(browser, sample_pages):
    path = write_report(sample_pages.build, sample_pages.out / "report.html")
    with open_page(browser, path) as (page, probe):
        assert_page_is_good(page, probe)
        data = json.loads(page.evaluate("document.getElementById('paperkg-data').textContent"))
        links = page.evaluate(
            "[...document.querySelectorAll('a[href^=\"#view=\"]')].map(a => a.getAttribute('href'))")
        keys = {link.split("=", 1)[1] for link in links}
        assert {"benchmark-mmlu", "year-2023", "community-1", "author-daiyi-peng"} <= keys
        for key in ("benchmark-mmlu", "year-2023", "community-1"):
            page.click(f'a[href="#view={key}"]')
            wait_until(page, showing(key))
            ids = page.evaluate("window.__paperkg.network.body.data.nodes.getIds()")
            assert sorted(ids) == sorted(data["views"][key]["nodes"])
            assert page.evaluate(DRAWN_PIXELS) > 200
        page.go_back()
        wait_until(page, "window.__paperkgReady === true && window.__paperkg.viewId === 'year-2023'")
        page.click("#view-home")
        wait_until(page, "window.__paperkgReady === true && window.__paperkg.viewId === 'overview'")
        probe.assert_clean()


# --- every kind of view of the seed listings ----------------------------------------------------------

@pytest.fixture(scope="module")
def seed_pages(seed_build, tmp_path_factory):
    from paperkg.graphs import graph_stats, load_networkx

    build, _summary = seed_build
    pages = Pages(build, tmp_path_factory.mktemp("seed-views"))
    stats = graph_stats(load_networkx(build), top=1)
    pages.top = {kind: rows[0]["iri"] for kind, rows in stats["rankings"].items() if rows}
    return pages


SEED_VIEWS = ["overview", "authors", "benchmarks", "methods", "organizations", "categories", "paper",
              "authors-only"]


@pytest.mark.parametrize("kind", SEED_VIEWS)
def test_seed_views_pass_in_the_browser(browser, seed_pages, kind):
    if kind == "overview":
        path = seed_pages.view(kind)
    elif kind == "authors-only":
        path = seed_pages.view(kind, types="Author,Organization")
    elif kind == "paper":
        # The seed paper with the most authors: the hairball case.
        from paperkg.viz import load_view_graph

        vg = load_view_graph(seed_pages.build)
        paper = max((n for n, c in vg.cls.items() if c == "Paper"), key=lambda p: (vg.author_total(p), p))
        path = seed_pages.view(kind, focus=paper)
    else:
        if kind not in seed_pages.top:
            pytest.skip(f"the seed graph has no {kind}")
        path = seed_pages.view(kind, focus=seed_pages.top[kind])
    nodes, summaries = seed_pages.expected[str(path)]
    with open_page(browser, path) as (page, probe):
        assert_page_is_good(page, probe, nodes, summaries)


def test_seed_report_passes_in_the_browser(browser, seed_pages):
    path = write_report(seed_pages.build, seed_pages.out / "report.html")
    with open_page(browser, path) as (page, probe):
        assert_page_is_good(page, probe)
        data = json.loads(page.evaluate("document.getElementById('paperkg-data').textContent"))
        # One view of each kind the charts link to.
        firsts = {}
        for key in data["views"]:
            firsts.setdefault(key.split("-", 1)[0], key)
        firsts.pop("overview", None)
        assert {"year", "category", "author"} <= set(firsts)
        for key in firsts.values():
            page.click(f'a[href="#view={key}"]')
            wait_until(page, showing(key))
            ids = page.evaluate("window.__paperkg.network.body.data.nodes.getIds()")
            assert sorted(ids) == sorted(data["views"][key]["nodes"])
            assert page.evaluate(DRAWN_PIXELS) > 200
        probe.assert_clean()
