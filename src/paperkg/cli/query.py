"""``paperkg query``."""

from __future__ import annotations

import sys

import click

from . import dir_option, handle_errors

# Kept here so that `paperkg --help` need not import the query module; a test checks they match.
FORMAT_NAMES = ("table", "csv", "tsv", "json", "xml", "turtle", "ntriples", "jsonld", "rdfxml")


class _FormatChoice(click.ParamType):
    name = "format"

    def convert(self, value, param, ctx):
        if value not in FORMAT_NAMES:
            self.fail(f"unknown result format {value!r}; choose one of: {', '.join(FORMAT_NAMES)}", param, ctx)
        return value


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="'--param'")
        params[name.strip()] = value
    return params


@click.command("query")
@click.argument("sparql", required=False, metavar="QUERY")
@dir_option
@click.option("-f", "--format", "fmt", type=_FormatChoice(), default=None,
              help="table (default for SELECT and ASK), csv, tsv, json, xml; turtle (default for "
                   "CONSTRUCT and DESCRIBE), ntriples, jsonld, rdfxml.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind variable ?NAME to VALUE as a typed value (repeatable).")
@click.option("--list", "list_queries", is_flag=True, help="List the library queries and exit.")
@click.option("--show", is_flag=True, help="Print the query's SPARQL text instead of running it.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS",
              help="Stop the query after SECONDS (exit 1).")
@click.option("--max-rows", type=click.IntRange(min=0), default=None, metavar="N",
              help="Print at most N rows or triples.")
@click.option("--exit-status", is_flag=True,
              help="Exit 3 when the answer is false (ASK) or empty, 0 otherwise.")
@handle_errors
def query_command(sparql, directory, fmt, params, list_queries, show, timeout, max_rows, exit_status):
    """Run a SPARQL query on the graph built in DIR.

    QUERY is SPARQL text, a .rq file, the name of a library query (see --list), or - to read the
    query from standard input. The prefixes pkg, dcterms, foaf, schema, skos, prov, rdfs, owl, xsd
    and rdf are predeclared.

    \b
      paperkg query 'SELECT ?t WHERE { ?p a pkg:Paper ; dcterms:title ?t } LIMIT 5'
      paperkg query leaderboard --param benchmark=ImageNet --format csv
      paperkg query paper-exists --param paper="Attention Is All You Need" --exit-status
    """
    from ..sparql import format_result, library, query

    if list_queries:
        click.echo(_library_listing(library(), fmt))
        return
    if not sparql:
        raise click.UsageError("give a query (SPARQL text, a .rq file, a library name or -), or --list")
    if sparql == "-":
        sparql = sys.stdin.read()
    if show:
        from ..sparql import resolve_query_text

        click.echo(resolve_query_text(sparql)[0].rstrip("\n"))
        return
    result = query(sparql, directory, params=_parse_params(params), timeout=timeout, max_rows=max_rows)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    text = format_result(result, fmt)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    if result.truncated and (fmt or "table") != "table":
        click.echo(f"note: output cut at {max_rows} {'triples' if result.kind == 'graph' else 'rows'}; "
                   "more exist", err=True)
    if exit_status and not result:
        sys.exit(3)


def _library_listing(queries, fmt) -> str:
    if fmt == "json":
        import json

        return json.dumps([{"name": q.name, "title": q.title, "description": q.description, "form": q.form,
                            "params": [{"name": p.name, "type": p.type_text, "required": p.required,
                                        "default": p.default, "description": p.description}
                                       for p in q.params],
                            "examples": list(q.examples)} for q in queries.values()], indent=2)
    rows = [("NAME", "PARAMETERS", "TITLE")]
    for q in queries.values():
        params = " ".join(p.name if p.required else f"[{p.name}]" for p in q.params)
        rows.append((q.name, params or "-", q.title))
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    lines = [f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]}" for r in rows]
    lines.append("")
    lines.append("Run one with `paperkg query NAME --param NAME=VALUE`; `--show NAME` prints its SPARQL.")
    return "\n".join(lines)
