"""Views → one self-contained, offline HTML page (pure: strings in, a string out).

Safety rules, because listing text is hostile:

* every text from the graph reaches the page as JSON inside ``<script type="application/json">``
  with ``<``, ``>`` and ``&`` written as ``\\u003c``, ``\\u003e``, ``\\u0026`` (so no ``</script>`` can
  close it), and the page's script puts it into the DOM with ``textContent`` only — vis-network draws
  labels on a canvas, and tooltips are built element by element;
* server-rendered HTML (title, charts) escapes every text with :func:`html.escape`;
* links are drawn only for ``http(s)`` URLs, as inert anchors the reader clicks;
* a Content-Security-Policy allows exactly the page's own two inline scripts (by hash) and no
  network at all, so even a slip in escaping could neither run a script nor load anything.

vis-network (Apache-2.0/MIT) is vendored in ``paperkg/data/viz`` and inlined; nothing is fetched.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import string
from functools import cache
from importlib import resources

from ..graphs import degree_size
from .model import RELATION_LABELS, SUMMARY_CLASS, View, ViewGraph, normalize_name

VIS_NETWORK = "vis-network-9.1.2.min.js"

# Class → colour (Tableau 10, readable on white), vis-network shape, legend label.
CLASS_STYLES = {
    "Paper": ("#4E79A7", "square", "Papers"),
    "Author": ("#F28E2B", "dot", "Authors"),
    "Organization": ("#E15759", "triangle", "Organizations"),
    "Category": ("#76B7B2", "ellipse", "Categories"),
    "Benchmark": ("#59A14F", "diamond", "Benchmarks"),
    "Method": ("#EDC948", "star", "Methods"),
    "Task": ("#B07AA1", "triangleDown", "Tasks"),
    "Metric": ("#FF9DA7", "hexagon", "Metrics"),
    "Listing": ("#9C755F", "database", "Listings"),
    SUMMARY_CLASS: ("#D7D2CB", "box", "Not drawn"),
}
_LABEL_INSIDE = {"ellipse", "box", "database", "circle", "text"}
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>\\`]+$", re.IGNORECASE)
ABSTRACT_EXCERPT = 320


@cache
def asset(name: str) -> str:
    """A vendored file of ``paperkg/data/viz`` as text (line ends normalized, as the HTML parser does)."""
    text = resources.files("paperkg").joinpath("data", "viz", name).read_text(encoding="utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def json_for_html(obj) -> str:
    """JSON that cannot end its ``<script>`` element nor start markup inside it."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _short(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _split(value) -> list[str]:
    return [v for v in str(value).split(" | ") if v] if value not in (None, "") else []


def _names(vg: ViewGraph, nodes, limit: int) -> str:
    labels = sorted({vg.label(n) for n in nodes})
    text = ", ".join(labels[:limit])
    return text + (f" (+{len(labels) - limit} more)" if len(labels) > limit else "")


def node_facts(vg: ViewGraph, node: str) -> tuple[list[list[str]], str, list[list[str]]]:
    """(facts as [name, value] rows, abstract excerpt, links as [text, url]) of a node."""
    data = vg.data(node)
    cls = vg.cls[node]
    nbrs = vg.adj[node]
    by_rel: dict[tuple[str, str], list[str]] = {}
    for other, rel in nbrs.items():
        by_rel.setdefault((rel, vg.cls[other]), []).append(other)
    facts: list[list[str]] = []
    excerpt = ""
    links: list[list[str]] = []

    def fact(name: str, value) -> None:
        if value not in (None, "", []):
            facts.append([name, str(value)])

    if cls == "Paper":
        authors = vg.authors.get(node, [])
        total = vg.author_total(node)
        text = ", ".join(vg.label(a) for a in authors[:8])
        if total > 8:
            text += f" … ({total:,} authors)"
        elif data.get("authorListComplete") is False:
            text += " et al."
        fact("Authors", text)
        teams = by_rel.get(("creator", "Organization"), []) + by_rel.get(("affiliation", "Organization"), [])
        fact("Organizations", _names(vg, teams, 4))
        fact("Date", data.get("dateAsWritten") or data.get("issued"))
        cats = [vg.data(c).get("notation") or vg.label(c) for c in by_rel.get(("category", "Category"), [])]
        fact("Categories", ", ".join(sorted(cats)))
        fact("Proposes", _names(vg, by_rel.get(("proposes", "Method"), []) +
                                by_rel.get(("proposes", "Benchmark"), []), 5))
        fact("Evaluates on", _names(vg, by_rel.get(("evaluatesOn", "Benchmark"), []), 6))
        fact("Uses", _names(vg, by_rel.get(("usesMethod", "Method"), []), 6))
        fact("Tasks", _names(vg, by_rel.get(("addressesTask", "Task"), []), 4))
        if data.get("upvotes") is not None:
            fact("Upvotes", data.get("upvotes"))
        if data.get("hasCode") is not None:
            fact("Code", "yes" if data.get("hasCode") is True else "no")
        excerpt = _short(data.get("abstract", ""), ABSTRACT_EXCERPT) if data.get("abstract") else ""
        for url in _split(data.get("url")):
            links.append(["paper", url])
        for url in _split(data.get("codeRepository")):
            links.append(["code", url])
    else:
        papers = [n for n in nbrs if vg.cls[n] == "Paper"]
        if cls == "Category":
            fact("Code", data.get("notation"))
        if cls == "Listing":
            fact("File", data.get("fileName"))
            fact("Format", data.get("readerFormat"))
            fact("Records", data.get("recordCount"))
        else:
            fact("Papers", f"{len(papers):,}")
        if cls == "Author":
            coauthors = {a for p in papers for a in vg.authors.get(p, ()) if a != node}
            fact("Co-authors", f"{len(coauthors):,}")
            orgs = [o for p in papers for o, rel in vg.adj[p].items() if vg.cls[o] == "Organization"]
            fact("Organizations", _names(vg, orgs, 3))
        if cls in ("Benchmark", "Method"):
            proposed = [p for p in papers if nbrs[p] == "proposes"]
            fact("Proposed in", "; ".join(_short(vg.label(p), 80) for p in proposed[:2]))
        if papers:
            fact("Latest papers", "; ".join(_short(vg.label(p), 70) for p in _latest(vg, papers, 3)))
        alts = [a for a in _split(data.get("altLabel")) if a != vg.label(node)]
        fact("Also written" if cls == "Author" else "Also known as", ", ".join(alts[:4]))
    links = [[text, url] for text, url in links if _SAFE_URL.match(url)]
    return facts, excerpt, links


def _latest(vg: ViewGraph, papers, limit: int) -> list[str]:
    def newest(p):
        return str(vg.data(p).get("issued", "")), vg.label(p)

    return sorted(papers, key=newest, reverse=True)[:limit]


def display_label(vg: ViewGraph, node: str) -> str:
    cls = vg.cls[node]
    if cls == "Category":
        return str(vg.data(node).get("notation") or vg.label(node))
    return _short(vg.label(node), 42 if cls == "Paper" else 30)


class Payload:
    """The page's data: one table of nodes and edges shared by every view of the page."""

    def __init__(self, vg: ViewGraph) -> None:
        self.vg = vg
        self.ids: dict[str, str] = {}
        self.nodes: list[dict] = []
        self.edge_ids: dict[tuple[str, str, str], int] = {}
        self.edges: list[list] = []
        self.views: dict[str, dict] = {}
        self.node_views: dict[str, str] = {}

    def node_id(self, node: str, summary=None) -> str:
        if node in self.ids:
            return self.ids[node]
        nid = self.ids[node] = f"n{len(self.ids)}"
        vg = self.vg
        if summary is not None:
            parent = vg.label(summary.parent)
            self.nodes.append({
                "id": nid, "i": "", "c": SUMMARY_CLASS, "l": summary.label, "s": 14, "d": summary.count,
                "t": f"{summary.label} of “{_short(parent, 90)}”",
                "f": [["Not drawn", f"{summary.count:,} {summary.label.split(' more ', 1)[1]}"]],
                "x": "", "u": [],
                "q": ""})
            return nid
        facts, excerpt, links = node_facts(vg, node)
        full = vg.label(node)
        alts = _split(vg.data(node).get("altLabel"))
        self.nodes.append({
            "id": nid, "i": node, "c": vg.cls[node], "l": display_label(vg, node), "t": full,
            "s": degree_size(vg.degree(node)), "d": vg.degree(node), "f": facts, "x": excerpt, "u": links,
            "q": normalize_name(" ".join([full, display_label(vg, node), *alts[:6]]))})
        return nid

    def add_view(self, key: str, view: View, title: str | None = None, subtitle: str = "") -> None:
        node_ids = [self.node_id(n, view.summaries.get(n)) for n in view.nodes]
        edge_idx = []
        for src, dst, rel in view.edges:
            edge = (self.ids[src], self.ids[dst], RELATION_LABELS.get(rel, rel))
            if edge not in self.edge_ids:
                self.edge_ids[edge] = len(self.edges)
                self.edges.append(list(edge))
            edge_idx.append(self.edge_ids[edge])
        self.views[key] = {"title": view.title if title is None else title, "subtitle": subtitle,
                           "kind": view.kind,
                           "notes": view.notes, "nodes": node_ids, "edges": edge_idx,
                           "focus": [self.ids[f] for f in view.focus if f in self.ids]}
        if view.kind == "focus" and len(view.focus) == 1:
            self.node_views.setdefault(view.focus[0], key)

    def to_dict(self, default: str, meta: dict | None = None) -> dict:
        classes = []
        for name, (color, shape, label) in CLASS_STYLES.items():
            classes.append({"name": name, "color": color, "border": _darker(color), "shape": shape,
                            "label": label, "inside": shape in _LABEL_INSIDE})
        return {"classes": classes, "nodes": self.nodes, "edges": self.edges, "views": self.views,
                "default": default, "nodeViews": {self.ids[n]: k for n, k in self.node_views.items()
                                                  if n in self.ids},
                "meta": meta or {}}


def _darker(color: str, factor: float = 0.7) -> str:
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02X}{:02X}{:02X}".format(*(int(c * factor) for c in (r, g, b)))


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def render_page(payload: dict, title: str, heading: str = "", body_class: str = "viz", extra_html: str = "",
                ) -> str:
    """The whole page: template + vendored vis-network + the view app + the JSON payload."""
    from .. import __version__

    vis = asset(VIS_NETWORK)
    app = asset("view.js")
    for script in (vis, app):
        if re.search(r"</script|<!--", script, re.IGNORECASE):  # pragma: no cover - vendored files
            raise ValueError("an inline script may not contain '</script' or '<!--'")
    csp = ("default-src 'none'; "
           f"script-src {_csp_hash(vis)} {_csp_hash(app)}; "
           "style-src 'unsafe-inline'; img-src data: blob:; connect-src 'none'; "
           "base-uri 'none'; form-action 'none'")
    template = string.Template(asset("page.html"))
    return template.substitute(
        csp=html.escape(csp, quote=False), version=html.escape(__version__), title=html.escape(title),
        heading=html.escape(heading or title), css=asset("view.css"), body_class=html.escape(body_class),
        extra=extra_html, data=json_for_html(payload), vis=vis, app=app)
