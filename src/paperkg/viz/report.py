"""``paperkg report``: one offline page with the overview and charts that lead to focused views.

The page holds one shared table of nodes and edges and many views over it (the overview; one per
year, top category, benchmark, method and author; one per co-authorship community). A chart bar is a
link ``#view=KEY``: the page redraws that view in place, and the browser's Back button returns. So the
report stays a single self-contained file that can be mailed around.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from ..graphs import coauthor_graph, communities, graph_stats
from .model import DEFAULT_CLASSES, ViewGraph, _plural, focused, overview
from .page import CLASS_STYLES, Payload, render_page

REPORT_OVERVIEW_NODES = 150
"""Nodes of the report's overview: the graph panel shares the page with the charts."""
REPORT_VIEW_NODES = 150
"""Nodes per focused view of the report."""
COMMUNITY_FOCUS = 30
"""A community's view is drawn around its most connected members, this many at most."""


def _key(prefix: str, text: str, taken: set[str]) -> str:
    base = f"{prefix}-" + (re.sub(r"[^a-z0-9.]+", "-", str(text).lower()).strip("-")[:50] or "x")
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    taken.add(key)
    return key


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def _short(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def hbar_chart(title: str, hint: str, rows: Sequence[tuple[str, int, str | None]], color: str,
               empty: str = "nothing to show", label_width: int = 230) -> str:
    """A horizontal bar chart as inline SVG; each bar links to ``href`` when given (pure)."""
    head = f'<figure class="chart"><h2>{_esc(title)}</h2><p class="hint">{_esc(hint)}</p>'
    if not rows:
        return head + f'<p class="empty">{_esc(empty)}</p></figure>'
    width, bar_h, gap = 560, 18, 6
    top = max(v for _l, v, _h in rows) or 1
    span = width - label_width - 60
    height = len(rows) * (bar_h + gap)
    parts = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{_esc(title)}">']
    for i, (label, value, href) in enumerate(rows):
        y = i * (bar_h + gap)
        w = max(2.0, span * value / top)
        item = (f'<title>{_esc(label)}: {value:,}</title>'
                f'<text class="bar-label" x="{label_width - 8}" y="{y + 13}" text-anchor="end">'
                f'{_esc(_short(label, 34))}</text>'
                f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_h}" rx="3" fill="{color}"/>'
                f'<text class="value" x="{label_width + w + 6:.1f}" y="{y + 13}">{value:,}</text>')
        parts.append(f'<a href="#view={_esc(href)}">{item}</a>' if href else f"<g>{item}</g>")
    parts.append("</svg>")
    return head + "".join(parts) + "</figure>"


def column_chart(title: str, hint: str, rows: Sequence[tuple[str, int, str | None]], color: str,
                 empty: str = "nothing to show", note: str = "") -> str:
    """A vertical bar chart (years) as inline SVG; bars link to ``href`` when given (pure)."""
    head = f'<figure class="chart"><h2>{_esc(title)}</h2><p class="hint">{_esc(hint)}</p>'
    if not rows:
        return head + f'<p class="empty">{_esc(empty)}</p></figure>'
    width, height, base = 560, 230, 200
    top = max(v for _l, v, _h in rows) or 1
    step = width / len(rows)
    bar_w = min(46.0, step * 0.72)
    parts = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{_esc(title)}">']
    for i, (label, value, href) in enumerate(rows):
        h = max(2.0, 170 * value / top)
        x = i * step + (step - bar_w) / 2
        cx = x + bar_w / 2
        item = (f'<title>{_esc(label)}: {value:,} papers</title>'
                f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" rx="3"'
                f' fill="{color}"/>'
                f'<text class="value" x="{cx:.1f}" y="{base - h - 5:.1f}" text-anchor="middle">'
                f'{value:,}</text>'
                f'<text class="bar-label" x="{cx:.1f}" y="{base + 18}" text-anchor="middle">'
                f'{_esc(label)}</text>')
        parts.append(f'<a href="#view={_esc(href)}">{item}</a>' if href else f"<g>{item}</g>")
    parts.append("</svg>")
    if note:
        parts.append(f'<p class="hint">{_esc(note)}</p>')
    return head + "".join(parts) + "</figure>"


def report_html(graph, top: int = 10, max_nodes: int = REPORT_OVERVIEW_NODES,
                view_nodes: int = REPORT_VIEW_NODES) -> str:
    """The report page of a paperkg networkx graph (pure)."""
    vg = ViewGraph(graph)
    stats = graph_stats(graph, top=top)
    payload = Payload(vg)
    taken: set[str] = {"overview"}
    counts = stats["counts"]

    main = overview(vg, set(DEFAULT_CLASSES), max_nodes=max_nodes)
    if not main.nodes:
        from .model import ViewError

        raise ViewError("the graph has nothing to show: build it from some listings first")
    payload.add_view("overview", main, title="Overview",
                     subtitle=f"{len(main.nodes):,} most connected nodes")

    def focus_view(node: str, prefix: str, depth: int = 2, classes=None, nodes: int = view_nodes) -> str:
        key = _key(prefix, vg.label(node), taken)
        view = focused(vg, [node], depth=depth, classes=set(classes or DEFAULT_CLASSES), max_nodes=nodes)
        payload.add_view(key, view, title=vg.label(node),
                         subtitle=f"{vg.cls[node].lower()}, {len(view.nodes):,} nodes within {depth} hops")
        return key

    # Papers per year.
    year_rows = []
    for row in stats["papers_per_year"]:
        if row["year"] == "unknown":
            continue
        year = int(row["year"])
        key = _key("year", str(year), taken)
        view = overview(vg.restrict_year(year), set(DEFAULT_CLASSES), max_nodes=view_nodes)
        payload.add_view(key, view, title=f"Papers of {year}",
                         subtitle=f"{len(view.nodes):,} most connected nodes")
        year_rows.append((str(year), row["papers"], key))
    unknown = next((r["papers"] for r in stats["papers_per_year"] if r["year"] == "unknown"), 0)

    def ranked_rows(name: str, prefix: str, label=None) -> list[tuple[str, int, str]]:
        rows = []
        for row in stats["rankings"][name]:
            node = row["iri"]
            if node not in vg.cls:
                continue
            text = label(node) if label else row["label"]
            rows.append((text, row["papers"], focus_view(node, prefix)))
        return rows

    def category_label(node: str) -> str:
        data = vg.data(node)
        notation, name = data.get("notation"), vg.label(node)
        return f"{notation} · {name}" if notation and notation != name else name

    category_rows = ranked_rows("categories", "category", category_label)
    benchmark_rows = ranked_rows("benchmarks", "benchmark")
    method_rows = ranked_rows("methods", "method")
    author_rows = ranked_rows("authors", "author")
    org_rows = ranked_rows("organizations", "org")

    # Co-authorship communities.
    co = stats["coauthorship"]
    coauthors = coauthor_graph(graph)
    found = communities(coauthors)
    community_items = []
    for index, (members, row) in enumerate(zip(found, co["communities"], strict=False), 1):
        central = sorted(members, key=lambda n: (-coauthors.degree(n), vg.label(n), n))[:COMMUNITY_FOCUS]
        view = focused(vg, central, depth=1, classes={"Author", "Paper", "Organization"},
                       max_nodes=max(view_nodes, len(central) + 20))
        key = _key("community", str(index), taken)
        payload.add_view(key, view, title=f"Co-authorship community {index}",
                         subtitle=f"{len(members):,} authors; drawn around its {len(central)} most connected")
        community_items.append((index, row, key))

    charts = [
        column_chart("Papers per year", "Click a year for its papers and their links.", year_rows,
                     CLASS_STYLES["Paper"][0], "no paper has a year",
                     note=f"{unknown:,} papers have no known year." if unknown else ""),
        hbar_chart("Papers per category", "Click a category for its focused view.", category_rows,
                   CLASS_STYLES["Category"][0], "no categories in this graph"),
        hbar_chart("Top benchmarks", "By papers that propose, use or mention them.", benchmark_rows,
                   CLASS_STYLES["Benchmark"][0], "no benchmarks in this graph (extraction found none)"),
        hbar_chart("Top methods", "By papers that propose, use or mention them.", method_rows,
                   CLASS_STYLES["Method"][0], "no methods in this graph (extraction found none)"),
        hbar_chart("Top authors", "By papers.", author_rows, CLASS_STYLES["Author"][0], "no authors"),
        hbar_chart("Top organizations", "By papers that list them.", org_rows,
                   CLASS_STYLES["Organization"][0], "no organizations in this graph"),
        _communities_html(vg, co, community_items),
    ]
    shown = ", ".join(f"{counts[c]:,} {_plural(c, counts[c])}"
                      for c in ("Paper", "Author", "Organization", "Category", "Benchmark", "Method")
                      if counts.get(c))
    extra = (f'<main class="report-body"><p class="summary-line">This graph: {_esc(shown)}. '
             f'Co-authorship: {co["authors"]:,} authors, {co["links"]:,} links, '
             f'{co["components"]["count"]:,} components (largest: {co["components"]["largest"]["authors"]:,} '
             f'authors).</p><div class="charts">' + "".join(charts) + "</div>"
             '<footer class="report-foot">Made with paperkg. Every chart item opens its view above; '
             "the browser's Back button returns. The page needs no network.</footer></main>")
    data = payload.to_dict("overview", meta={"kind": "report"})
    return render_page(data, title="paperkg report", heading="paperkg report", body_class="report",
                       extra_html=extra)


def _communities_html(vg: ViewGraph, co: dict, items) -> str:
    head = ('<figure class="chart"><h2>Co-authorship communities</h2><p class="hint">Louvain communities of '
            "authors who share papers; click one to see it.</p>")
    if not items:
        return head + '<p class="empty">no co-authorship communities (too few shared papers)</p></figure>'
    largest = max(row["authors"] for _i, row, _k in items) or 1
    parts = ['<ol class="communities">']
    for index, row, key in items:
        names = ", ".join(a["label"] for a in row["top_authors"][:4])
        context = " · ".join(x for x in (", ".join(row.get("top_categories", [])),
                                         ", ".join(row.get("top_organizations", [])[:2])) if x)
        parts.append(
            f'<li><a href="#view={_esc(key)}">Community {index}</a> '
            f'<span class="meta">{row["authors"]:,} authors · {row.get("papers", 0):,} papers'
            f'{" · " + _esc(context) if context else ""}</span><br>{_esc(names)}'
            f'<div class="bar" style="width:{100 * row["authors"] / largest:.0f}%"></div></li>')
    parts.append("</ol>")
    modularity = co.get("modularity")
    note = f'<p class="hint">Modularity {modularity}.</p>' if modularity is not None else ""
    return head + "".join(parts) + note + "</figure>"
