"""Interactive, self-contained HTML views of a paperkg graph (``paperkg viz`` and ``paperkg report``).

Library first; pure/IO pairs::

    from paperkg.viz import render_view, write_view
    html = render_view("output")                                  # the overview
    html = render_view("output", focus="Daiyi Peng", depth=2)     # a focused view
    write_view("output", "peng.html", focus="author:Daiyi Peng", types="-Category")

    from paperkg.viz import view_html, select_view, ViewGraph     # from triples or a networkx graph
    vg = ViewGraph(paperkg.graphs.to_networkx(triples))
    html = view_html(vg, select_view(vg, focus="ImageNet"))

Every page opens from disk with no network: vis-network is inlined, and a Content-Security-Policy
forbids any load. Text from the graph is shown as text, never run (see :mod:`paperkg.viz.page`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from .model import (
    DEFAULT_DEPTH,
    DEFAULT_MAX_NODES,
    VIEW_CLASSES,
    FocusError,
    Match,
    View,
    ViewError,
    ViewGraph,
    parse_types,
    resolve_focus,
    select_view,
)

__all__ = [
    "DEFAULT_DEPTH", "DEFAULT_MAX_NODES", "VIEW_CLASSES", "FocusError", "Match", "View", "ViewError",
    "ViewGraph", "find_nodes", "load_view_graph", "make_view", "parse_types", "render_report", "render_view",
    "resolve_focus", "select_view", "view_html", "write_html", "write_report", "write_view",
]


def load_view_graph(directory: str | os.PathLike = "output") -> ViewGraph:
    """The view graph of a build folder."""
    from ..graphs import load_networkx

    return ViewGraph(load_networkx(directory))


def find_nodes(directory: str | os.PathLike, name: str) -> list[Match]:
    """Nodes of a build folder that ``name`` matches (the best level only; see ``ViewGraph.find``)."""
    return load_view_graph(directory).find(name)


def view_html(vg: ViewGraph, view: View, heading: str | None = None) -> str:
    """One view as a self-contained HTML page (pure)."""
    from .page import Payload, render_page

    payload = Payload(vg)
    subtitle = _subtitle(vg, view)
    # The page heading already names the view; the line under it says what is drawn.
    payload.add_view("main", view, title="", subtitle=subtitle)
    title = f"paperkg · {view.title}" if view.kind == "focus" else "paperkg · overview"
    return render_page(payload.to_dict("main", meta={"kind": "view"}), title=title, heading=heading or title)


def _subtitle(vg: ViewGraph, view: View) -> str:
    real = [n for n in view.nodes if n not in view.summaries]
    parts = []
    if view.kind == "focus":
        classes = sorted({vg.cls[f] for f in view.focus})
        parts.append("focus on " + "/".join(c.lower() for c in classes))
    parts.append(f"{len(real):,} nodes")
    parts.append(f"{len(view.edges):,} links")
    return ", ".join(parts)


def make_view(directory: str | os.PathLike = "output", focus: str | Sequence[str] | None = None,
              depth: int = DEFAULT_DEPTH, types: str | Iterable[str] | None = None,
              max_nodes: int = DEFAULT_MAX_NODES, year: int | None = None) -> tuple[ViewGraph, View]:
    """The view graph of a build folder and the view chosen from it (see :func:`render_view`)."""
    vg = load_view_graph(directory)
    if year is not None:
        vg = vg.restrict_year(year)
    view = select_view(vg, focus=focus, depth=depth, types=types, max_nodes=max_nodes)
    if year is not None:
        view.notes.append(f"papers of {year}")
    return vg, view


def render_view(directory: str | os.PathLike = "output", focus: str | Sequence[str] | None = None,
                depth: int = DEFAULT_DEPTH, types: str | Iterable[str] | None = None,
                max_nodes: int = DEFAULT_MAX_NODES, year: int | None = None) -> str:
    """The HTML of the overview (no ``focus``) or a focused view of a build folder.

    ``focus`` names a paper, author, organization, category, benchmark, method, task or metric (or
    several); matching forgives case, accents, punctuation and word order, and ``FocusError`` lists the
    candidates of an ambiguous name. ``types`` picks classes ("Paper,Author", "-Category", "+Listing");
    ``max_nodes`` bounds the view; ``year`` keeps the papers issued that year.
    """
    return view_html(*make_view(directory, focus=focus, depth=depth, types=types, max_nodes=max_nodes,
                                year=year))


def write_view(directory: str | os.PathLike = "output", output: str | os.PathLike = "view.html",
               **options) -> Path:
    """Write :func:`render_view` to ``output`` (atomically) and return its path."""
    return write_html(Path(output), render_view(directory, **options))


def render_report(directory: str | os.PathLike = "output", **options) -> str:
    """The HTML of the report page (see :mod:`paperkg.viz.report`)."""
    from ..graphs import load_networkx
    from .report import report_html

    return report_html(load_networkx(directory), **options)


def write_report(directory: str | os.PathLike = "output", output: str | os.PathLike | None = None,
                 **options) -> Path:
    """Write the report page to ``output`` (default ``DIR/report.html``) and return its path."""
    output = Path(output) if output is not None else Path(directory) / "report.html"
    return write_html(output, render_report(directory, **options))


def write_html(path: str | os.PathLike, text: str) -> Path:
    """Write a page atomically (a temporary file renamed into place) and return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path
