"""``paperkg build``."""

from __future__ import annotations

import click

from . import dir_option, handle_errors


def _format_choices():
    from ..readers import LISTING_READERS

    return sorted(LISTING_READERS)


class _FormatChoice(click.ParamType):
    """Validated against the reader registry when used, so `--help` does not import readers."""

    name = "format"

    def convert(self, value, param, ctx):
        choices = _format_choices()
        if value not in choices:
            self.fail(f"unknown input format {value!r}; choose one of: {', '.join(choices)}", param, ctx)
        return value


@click.command("build")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@dir_option
@click.option("--format", "input_format", type=_FormatChoice(), default=None,
              help="Force one input format for every file (default: detect per file).")
@click.option("--strict", is_flag=True, help="Fail on any skipped record instead of reporting it.")
@click.option("--base", default="https://w3id.org/paperkg/id/", show_default=True,
              help="Base IRI of data nodes.")
@click.option("--no-extract", is_flag=True, help="Skip extraction of benchmarks, methods and results.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for reading and extraction  [default: the machine's cores]")
@click.option("--compact/--no-compact", default=True, show_default=True,
              help="Compact the store once it is loaded: queries run 2-4x faster, the build takes about a tenth "
                   "longer.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the one-line result.")
@handle_errors
def build_command(inputs, directory, input_format, strict, base, no_extract, jobs, compact, quiet):
    """Build the graph of listing files or folders INPUTS into DIR.

    Writes a persistent Oxigraph store, DIR/paperkg.ttl and DIR/extractions.jsonl, then prints a
    summary: records per file and their format, skipped records (file:line: reason), nodes per
    class, triples and time. A failed build leaves the previous build in DIR untouched.
    """
    from ..build import build_graph
    from .progress import ProgressPrinter

    with ProgressPrinter(enabled=not quiet) as progress:
        summary = build_graph(inputs, directory, format=input_format, strict=strict, base=base,
                              extractor=False if no_extract else None, progress=progress, jobs=jobs,
                              compact=compact)
    click.echo(render_summary(summary, quiet=quiet))


@click.command("add")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@dir_option
@click.option("--format", "input_format", type=_FormatChoice(), default=None,
              help="Force one input format for every file (default: detect per file).")
@click.option("--strict", is_flag=True, help="Fail on any skipped record instead of reporting it.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for reading and extraction  [default: the machine's cores]")
@click.option("--compact", is_flag=True,
              help="Compact the store after the patch (as build --compact; costs the time of a whole compaction).")
@click.option("--quiet", "-q", is_flag=True, help="Print only the one-line result.")
@handle_errors
def add_command(inputs, directory, input_format, strict, jobs, compact, quiet):
    """Add listing files or folders INPUTS to the build in DIR without rebuilding it.

    A listing already built with the same content is left alone ("unchanged"); one with the same id
    (the same file, or the same path below a folder) and new content replaces its earlier contribution
    ("replaced"); any other is "added". Papers and authors merge with those already in the graph, and
    only new papers are extracted. Like build, a failed add leaves DIR as it was.
    """
    from ..build import add_listings
    from .progress import ProgressPrinter

    with ProgressPrinter(enabled=not quiet) as progress:
        summary = add_listings(inputs, directory, format=input_format, strict=strict, progress=progress, jobs=jobs,
                               compact=compact)
    click.echo(render_add_summary(summary, quiet=quiet))


def render_add_summary(summary, quiet: bool = False) -> str:
    counts = {status: sum(1 for s in summary.statuses.values() if s == status)
              for status in ("added", "replaced", "unchanged")}
    head = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    if not summary.changed:
        return f"unchanged {summary.directory}: {head}; nothing to do"
    how = ("whole graph recompiled" if summary.remapped is None
           else f"{summary.remapped} papers mapped again, the rest kept")
    line = (f"updated {summary.directory}: {head}; {summary.papers} papers, {summary.triples} triples "
            f"({summary.extracted} papers extracted, {how}) in {summary.seconds:.2f}s")
    if quiet:
        return line
    lines = ["Listings:"]
    lines.extend(f"  {listing_id}  {status}" for listing_id, status in sorted(summary.statuses.items()))
    failures = summary.failures
    if failures:
        lines.append(f"Skipped records ({len(failures)}):")
        lines.extend(f"  {failure}" for failure in failures)
    lines.append(line)
    return "\n".join(lines)


def render_summary(summary, quiet: bool = False) -> str:
    if quiet:
        return (f"built {summary.directory}: {summary.records} records, {summary.papers} papers, "
                f"{summary.triples} triples in {summary.seconds:.2f}s")
    lines = ["Files:"]
    width = max(len(f.path) for f in summary.files)
    for f in summary.files:
        if f.error:
            lines.append(f"  {f.path:<{width}}  skipped: {f.error}")
        else:
            skipped = f", {len(f.failures)} skipped" if f.failures else ""
            lines.append(f"  {f.path:<{width}}  {f.format:<15} {f.records:>6} records{skipped}")
    failures = summary.failures
    if failures:
        lines.append(f"Skipped records ({len(failures)}):")
        lines.extend(f"  {failure}" for failure in failures)
    warnings = [w for f in summary.files for w in f.warnings]
    if warnings:
        lines.append(f"Warnings ({len(warnings)}):")
        lines.extend(f"  {w}" for w in warnings)
    lines.append("Nodes per class:")
    lines.extend(f"  {name:<14} {count:>7}" for name, count in summary.class_counts.items())
    lines.append(f"Triples: {summary.triples}")
    lines.append(f"Built {summary.directory}/paperkg.ttl and the store in {summary.seconds:.2f}s")
    return "\n".join(lines)
