"""``paperkg serve``."""

from __future__ import annotations

import click

from . import dir_option, handle_errors


@click.command("serve")
@dir_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 makes the endpoint reachable from other machines).")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
              metavar="SECONDS", help="Stop a query that runs longer (HTTP 503).")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True, metavar="N",
              help="Cut answers after N rows or triples (header X-PaperKG-Truncated: true).")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Queries answered at the same time (one process each).")
@click.option("--log-level", type=click.Choice(["critical", "error", "warning", "info", "debug"]),
              default="warning", show_default=True, help="Server log detail (info logs every request).")
@handle_errors
def serve_command(directory, host, port, timeout, max_rows, workers, log_level):
    """Serve the graph built in DIR as a read-only SPARQL 1.1 endpoint.

    \b
    http://HOST:PORT/         a page to type queries and run the library's examples
    http://HOST:PORT/sparql   the SPARQL 1.1 Protocol endpoint (GET and POST)
    http://HOST:PORT/queries  the query library as JSON; /queries/NAME?PARAM=VALUE runs one
    """
    from ..server import serve

    def ready():
        click.echo(f"paperkg: serving {directory} read-only at http://{_url_host(host)}:{port}/sparql "
                   f"(page at http://{_url_host(host)}:{port}/); Ctrl-C stops", err=True)

    try:
        serve(directory, host=host, port=port, timeout=timeout, max_rows=max_rows, workers=workers,
              log_level=log_level, on_ready=ready)
    except KeyboardInterrupt:  # uvicorn re-raises the Ctrl-C it handled; stopping is the normal end
        pass
    click.echo("paperkg: stopped", err=True)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
