"""``paperkg eval``: score the extraction stage against annotated data (thin over ``paperkg.extract.evaluate``)."""

from __future__ import annotations

import json

import click

from ..errors import InputError
from . import handle_errors

_SETS = ("dev", "heldout", "unseen", "tdmsci", "scirex", "all")


class _SetChoice(click.ParamType):
    name = "set"

    def convert(self, value, param, ctx):
        if value not in _SETS:
            self.fail(f"unknown set {value!r}; choose one of: {', '.join(_SETS)}", param, ctx)
        return value


@click.command("eval")
@click.option("--set", "set_name", type=_SetChoice(), default="all", show_default=True,
              help="Annotated set: dev (62 seed abstracts), heldout (20 of them), unseen (15 handwritten), "
                   "tdmsci (sentences, --split), scirex (recall), or all.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Output format.")
@click.option("--errors", is_flag=True, help="Also list the errors (dev sets: misses, false positives, wrong "
                                              "introduced flags and results; TDMSci: lenient misses and false "
                                              "positives of Dataset).")
@click.option("--split", type=click.Choice(["test", "train"]), default="test", show_default=True,
              help="TDMSci split.")
@click.option("--data", "data_root", type=click.Path(file_okay=False), default=None,
              help="Repository checkout holding tests/data/devset (default: found from the working directory).")
@click.option("--public-gold", type=click.Path(file_okay=False), default=None,
              help="Folder with tdmsci_sentences.jsonl and scirex_abstracts.jsonl "
                   "(default: ../shared/data/public-gold next to the checkout).")
@handle_errors
def eval_command(set_name, fmt, errors, split, data_root, public_gold):
    """Score entity and result extraction: precision, recall and F1 per type, with the matching mode stated."""
    from pathlib import Path

    from ..extract import extract
    from ..extract.evaluate import SET_NAMES, default_paths, evaluate_set, format_table

    paths = default_paths(data_root)
    if public_gold:
        paths.public_gold = Path(public_gold)
    names = SET_NAMES if set_name == "all" else (set_name,)
    results = []
    for name in names:
        try:
            results.append(evaluate_set(name, extract, paths, tdmsci_split=split))
        except FileNotFoundError as exc:
            if set_name == "all":
                continue  # a set whose data is not available here
            raise InputError(f"{exc}: annotated data for --set {name} not found "
                             f"(pass --data or --public-gold)") from exc
    if not results:
        raise InputError("no annotated data found (pass --data or --public-gold)")
    if fmt == "json":
        out = []
        for r in results:
            r = dict(r)
            if not errors:
                r.pop("errors", None)
            out.append(r)
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        click.echo(format_table(results, errors=errors), nl=False)
