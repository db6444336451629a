"""``paperkg stats``."""

from __future__ import annotations

import json

import click

from . import dir_option, handle_errors


@click.command("stats")
@dir_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Readable tables, or JSON for scripts.")
@click.option("--top", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="Rows per ranking.")
@click.option("--max-authors", type=click.IntRange(2, 100000), default=50, show_default=True,
              help="Papers with more authors add no co-authorship links (consortium papers).")
@handle_errors
def stats_command(directory, fmt, top, max_authors):
    """Counts per class, top authors, organizations, benchmarks and methods by papers, and the
    co-authorship network: components, degree and betweenness centrality, communities."""
    from ..graphs import load_stats, stats_table

    stats = load_stats(directory, top=top, max_authors=max_authors)
    if fmt == "json":
        click.echo(json.dumps(stats, indent=2, ensure_ascii=False))
    else:
        click.echo(stats_table(stats), nl=False)
