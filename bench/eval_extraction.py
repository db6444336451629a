"""Score paperkg's extraction: development set, TDMSci test (datasets), SciREX (recall).

Usage (from the repository root):
    .venv/bin/python bench/eval_extraction.py [--json bench/extraction_scores.json] [--errors]
                                              [--extractor module:attr] [--public-gold DIR]

Matching:
* dev set: entity level per paper (keys of names/aliases intersect), see paperkg.extract.evaluate;
* TDMSci / SciREX: mention level, exact span and lenient (overlap or same normalized key), one-to-one.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

from paperkg.extract import extract
from paperkg.extract.evaluate import SCIREX_TYPES, TDMSCI_TYPES, load_devset, load_public, score_devset, score_public

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = ROOT.parent / "shared" / "data" / "public-gold"


def _row(name: str, d: dict) -> str:
    return f"  {name:<34} P={d['precision']:.3f}  R={d['recall']:.3f}  F1={d['f1']:.3f}   (tp={d['tp']}, pred={d['pred']}, gold={d['gold']})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", default=str(ROOT / "bench" / "extraction_scores.json"))
    ap.add_argument("--devset", default=str(ROOT / "tests" / "data" / "devset" / "devset.jsonl"))
    ap.add_argument("--public-gold", default=str(DEFAULT_GOLD))
    ap.add_argument("--extractor", help="module:attr of an object with .extract(title, abstract) (default: rules)")
    ap.add_argument("--errors", action="store_true", help="print dev-set errors")
    a = ap.parse_args(argv)

    fn = extract
    if a.extractor:
        mod, _, attr = a.extractor.partition(":")
        obj = getattr(importlib.import_module(mod), attr)
        fn = obj.extract if hasattr(obj, "extract") else obj

    out: dict = {}
    dev = load_devset(a.devset)
    for name, recs in (("dev_all", dev), ("dev_develop", [r for r in dev if not r.heldout]),
                       ("dev_heldout", [r for r in dev if r.heldout])):
        s = score_devset(recs, fn)
        errs = s.pop("errors")
        out[name] = s
        print(f"{name} ({s['records']} abstracts, entity level)")
        print(_row("Benchmark", s["Benchmark"]))
        print(_row("Method", s["Method"]))
        print(f"  {'introduced-or-used accuracy':<34} {s['introduced_accuracy']:.3f} of {s['introduced_matched']} matched entities")
        print(_row("result triples (value,metric,bench)", s["results"]))
        if a.errors and name == "dev_all":
            for e in errs:
                print("    ", e)

    gold = Path(a.public_gold)
    tdm = gold / "tdmsci_sentences.jsonl"
    if tdm.exists():
        rows = load_public(tdm, split="test")
        s = score_public(rows, fn, TDMSCI_TYPES, ["Benchmark", "Task", "Metric"])
        out["tdmsci_test"] = s
        print(f"TDMSci test ({len(rows)} sentences, mention level; Dataset = Benchmark)")
        for mode in ("lenient", "exact"):
            for t in ("Benchmark", "Task", "Metric"):
                print(_row(f"{t} [{mode}]", s[mode][t]))
    sx = gold / "scirex_abstracts.jsonl"
    if sx.exists():
        rows = load_public(sx)
        for label, named in (("scirex_named", True), ("scirex_all", False)):
            s = score_public(rows, fn, SCIREX_TYPES, ["Benchmark", "Method"], named_only=named)
            out[label] = s
            what = "named gold mentions only" if named else "all gold mentions"
            print(f"SciREX ({len(rows)} abstracts, {what}; Material/Dataset = Benchmark) — read recall; precision is "
                  "not meaningful (salient entities only)")
            for mode in ("lenient", "exact"):
                for t in ("Benchmark", "Method"):
                    print(_row(f"{t} [{mode}]", s[mode][t]))
    Path(a.json).write_text(json.dumps(out, indent=2), encoding="utf-8")
    print(f"wrote {a.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
