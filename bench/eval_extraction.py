"""Score paperkg's extraction: dev set (all / develop / held-out), unseen handwritten set, TDMSci, SciREX.

Usage (from the repository root):
    .venv/bin/python bench/eval_extraction.py [--json bench/results/extraction-<date>.json] [--errors]
                                              [--tdmsci-split test|train] [--extractor module:attr]
                                              [--public-gold DIR]

Matching (stated in the output too):
* dev / held-out / unseen: entity level per paper (keys of names/aliases intersect); result triples on value,
  metric key and benchmark key; plus whose result it is (method attribution of matched triples);
* TDMSci / SciREX: mention level, exact span and lenient (overlap or same normalized key), one-to-one.

The same scoring is available as ``paperkg eval`` (see docs/extraction.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import sys
from pathlib import Path

from paperkg.extract import extract
from paperkg.extract.evaluate import (
    EvalPaths,
    default_paths,
    evaluate_set,
    format_table,
    load_devset,
    score_devset,
)

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", default=str(ROOT / "bench" / "results" / f"extraction-{dt.date.today().isoformat()}.json"))
    ap.add_argument("--devset", default=None, help="devset.jsonl (default: tests/data/devset/devset.jsonl)")
    ap.add_argument("--unseen", default=None, help="unseen.jsonl (default: tests/data/devset/unseen.jsonl)")
    ap.add_argument("--public-gold", default=None, help="folder with the TDMSci and SciREX files")
    ap.add_argument("--tdmsci-split", default="test", choices=["test", "train"])
    ap.add_argument("--extractor", help="module:attr of an object with .extract(title, abstract) (default: rules)")
    ap.add_argument("--errors", action="store_true", help="print the errors of every set")
    a = ap.parse_args(argv)

    fn = extract
    if a.extractor:
        mod, _, attr = a.extractor.partition(":")
        obj = getattr(importlib.import_module(mod), attr)
        fn = obj.extract if hasattr(obj, "extract") else obj

    d = default_paths(ROOT)
    paths = EvalPaths(Path(a.devset) if a.devset else d.devset, Path(a.unseen) if a.unseen else d.unseen,
                      Path(a.public_gold) if a.public_gold else d.public_gold)
    results = []
    out: dict = {"date": dt.date.today().isoformat()}
    for name in ("dev", "develop", "heldout", "unseen", "tdmsci", "scirex"):
        try:
            if name == "develop":  # the 42 dev abstracts the rules were written on
                s = score_devset([r for r in load_devset(paths.devset) if not r.heldout], fn)
                s.update(set="develop", kind="entity", matching=results[0]["matching"], types=["Benchmark", "Method"])
            else:
                s = evaluate_set(name, fn, paths, tdmsci_split=a.tdmsci_split)
        except FileNotFoundError as exc:
            print(f"skipped {name}: {exc} not found", file=sys.stderr)
            continue
        results.append(s)
        key = f"{name}_{a.tdmsci_split}" if name == "tdmsci" else name
        out[key] = {k: v for k, v in s.items() if k != "errors"}
    print(format_table(results, errors=a.errors), end="")
    Path(a.json).parent.mkdir(parents=True, exist_ok=True)
    Path(a.json).write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {a.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
