"""The ``paperkg`` command line: a thin layer over the library, one module per command."""

from __future__ import annotations

import functools
import importlib

import click

from ..errors import PaperKGError

# Command modules, imported lazily so `paperkg --help` stays instant.
COMMANDS = {
    "build": "build", "add": "build", "query": "query", "export": "export", "validate": "validate",
    "viz": "viz", "stats": "stats", "report": "report", "serve": "serve", "eval": "eval",
}
HELP = {
    "build": "Build the graph of listing files or folders into a store and Turtle.",
    "add": "Add listings to an existing build without rebuilding it.",
    "query": "Run a SPARQL query (text, .rq file or library query name) on the store.",
    "export": "Write the graph in an RDF or graph format.",
    "validate": "Check the graph against the SHACL shapes (ontology/shapes.ttl).",
    "viz": "Write an interactive, self-contained HTML view of the graph.",
    "stats": "Counts, rankings and co-authorship network analysis of the graph.",
    "report": "Write an offline HTML report: overview view and charts.",
    "serve": "Serve the store as a read-only SPARQL 1.1 endpoint.",
    "eval": "Score entity extraction against annotated data.",
}


def handle_errors(func):
    """Turn PaperKGError into click's ``Error: ...`` with exit code 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except PaperKGError as exc:
            raise click.ClickException(str(exc) or exc.__class__.__name__) from exc

    return wrapper


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return [name for name in COMMANDS if self._load(name) is not None]

    def get_command(self, ctx, name):
        return self._load(name)

    @functools.cache  # noqa: B019 - one group object for the process lifetime
    def _load(self, name):
        module_name = COMMANDS.get(name)
        if module_name is None:
            return None
        try:
            module = importlib.import_module(f"{__name__}.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith(__name__):
                return None  # a command whose module is not part of this install
            raise
        return getattr(module, name.replace("-", "_") + "_command", None)

    def format_commands(self, ctx, formatter):
        rows = [(name, HELP[name]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="paperkg")
def main():
    """paperkg: turn raw listings of research papers into a knowledge graph you can query and explore."""


dir_option = click.option("--dir", "directory", default="output", show_default=True,
                          type=click.Path(file_okay=False), help="Build folder holding the store.")
