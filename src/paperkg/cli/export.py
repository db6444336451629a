"""``paperkg export``."""

from __future__ import annotations

import sys

import click

from . import dir_option, handle_errors


class _WriterChoice(click.ParamType):
    name = "format"

    def convert(self, value, param, ctx):
        from ..export import GRAPH_WRITERS

        _load_optional_writers()
        if value not in GRAPH_WRITERS:
            self.fail(f"unknown output format {value!r}; choose one of: {', '.join(sorted(GRAPH_WRITERS))}",
                      param, ctx)
        return value


def _load_optional_writers() -> None:
    """Writers that live beside the views (graphml, gexf) register themselves on import."""
    try:
        from .. import graphs  # noqa: F401
    except ImportError:
        pass


@click.command("export")
@dir_option
@click.option("--format", "fmt", type=_WriterChoice(), default="turtle", show_default=True,
              help="turtle, ntriples, nquads, trig, jsonld, rdfxml, graphml, gexf.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="File to write (default: standard output).")
@handle_errors
def export_command(directory, fmt, output):
    """Write the graph built in DIR in another format."""
    from ..api import export_graph

    data = export_graph(directory, fmt, output)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        click.echo(f"wrote {output}", err=True)
