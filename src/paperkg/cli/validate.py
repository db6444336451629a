"""``paperkg validate``."""

from __future__ import annotations

import click

from . import dir_option, handle_errors


@click.command("validate")
@dir_option
@click.option("--shapes", type=click.Path(exists=True, dir_okay=False), default=None,
              help="SHACL shapes file (default: the shapes shipped with paperkg).")
@handle_errors
def validate_command(directory, shapes):
    """Validate the graph in DIR against SHACL shapes; exit 1 when it does not conform."""
    from ..api import validate_store

    report = validate_store(directory, shapes)
    click.echo(report.text)
    if not report.conforms:
        raise click.ClickException(f"{directory}: the graph does not conform to the shapes "
                                   f"({len(report.results)} results)")
