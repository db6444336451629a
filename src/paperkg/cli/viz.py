"""``paperkg viz``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import dir_option, handle_errors


@click.command("viz")
@dir_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default=None,
              help="HTML file to write; - for standard output  [default: DIR/view.html]")
@click.option("--focus", "-f", multiple=True, metavar="NAME",
              help="Centre the view on a paper title, author, organization, category, benchmark or method "
                   "(forgiving match; class:NAME to pick a class, e.g. author:Daiyi Peng). Repeatable.")
@click.option("--depth", "-d", type=click.IntRange(0, 6), default=2, show_default=True,
              help="Hops from the focus.")
@click.option("--types", "-t", metavar="CLASSES",
              help="Classes to show: Paper,Author (only these), -Category (all but), +Listing (add).")
@click.option("--max-nodes", "-n", type=click.IntRange(1, 20000), default=300, show_default=True,
              help="Most nodes to draw.")
@click.option("--year", type=int, default=None, help="Only papers issued in this year.")
@handle_errors
def viz_command(directory, output, focus, depth, types, max_nodes, year):
    """Write an interactive, self-contained HTML view of the graph in DIR.

    Without --focus: an overview of the most connected nodes of every class. The page opens from disk
    with no network: search box, class filter, tooltips and details on click.
    """
    from ..viz import make_view, view_html, write_html

    vg, view = make_view(directory, focus=list(focus) or None, depth=depth, types=types,
                         max_nodes=max_nodes, year=year)
    page = view_html(vg, view)
    real = len(view.nodes) - len(view.summaries)
    what = f"focus: {view.title}" if view.kind == "focus" else "overview"
    if output == "-":
        sys.stdout.write(page)
        return
    path = write_html(Path(output) if output else Path(directory) / "view.html", page)
    click.echo(f"wrote {path} ({what}; {real:,} nodes, {len(view.edges):,} links)")
    for note in view.notes:
        click.echo(f"  showing {note}")
