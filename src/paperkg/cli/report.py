"""``paperkg report``."""

from __future__ import annotations

import click

from . import dir_option, handle_errors


@click.command("report")
@dir_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="HTML file to write  [default: DIR/report.html]")
@click.option("--max-nodes", "-n", type=click.IntRange(1, 20000), default=150, show_default=True,
              help="Most nodes in the overview.")
@click.option("--top", type=click.IntRange(1, 50), default=10, show_default=True,
              help="Items per chart (each gets a focused view).")
@handle_errors
def report_command(directory, output, max_nodes, top):
    """Write an offline HTML report of the graph in DIR: the overview and charts (papers per year and
    category, top benchmarks, methods, authors, co-authorship communities), each opening its view."""
    from ..viz import write_report

    path = write_report(directory, output, max_nodes=max_nodes, top=top)
    click.echo(f"wrote {path}")
