"""Check that the rule extractor's output is unchanged, and measure its speed (abstracts per CPU-second).

Usage (from the repository root):

    .venv/bin/python bench/check_extraction_identical.py --out bench/scratch/extract_ref.txt
        run the extractor on every corpus, write a canonical dump of its output to FILE and print the speed;
    .venv/bin/python bench/check_extraction_identical.py --out bench/scratch/extract_new.txt --compare bench/scratch/extract_ref.txt
        the same, then compare the new dump with a reference dump byte for byte: exit status 1 and the first
        differing lines when they differ.

Other options: ``--repeat N`` times N further passes over each corpus after the dump pass (caches warm) and
prints their best rate too; ``--synthetic N`` (default 6000) records from the synthetic listings;
``--fuzz N`` (default 1500) mutated inputs, ``--fuzz-seed S`` their random seed, ``--no-fuzz`` none.

To compare with another version of the package (say the last commit, unpacked with
``git archive HEAD src/paperkg | tar -x -C bench/scratch/orig``), run the script with ``PYTHONPATH=bench/scratch/orig/src`` to write
the reference dump, then without it to compare.

Corpora (in this order):

* ``seeds``      every record of the listings in ``../shared/seeds`` (``paperkg.readers.read_listing``);
* ``synthetic``  the first N records of ``bench/scratch/listings-10000-s1-v2`` (all ``*.txt``, sorted, recursive;
                 ``run_bench.py --sizes 10000`` writes it);
* ``testdata``   the annotated abstracts of ``tests/data/devset`` (``abstracts.jsonl``, ``devset.jsonl``,
                 ``unseen.jsonl``) and every record of the listings under ``tests/data/unseen`` and
                 ``tests/data/readers``;
* ``public-gold`` TDMSci sentences and SciREX abstracts of ``../shared/data/public-gold`` (title "", as
                 ``paperkg eval`` runs them), when present;
* ``fuzz``       deterministic mutations of the seed abstracts (inserted punctuation, brackets, case changes,
                 splices), to exercise unusual inputs.

The dump holds ``repr`` of every field of every mention and result, and the code URLs, of every input.
A corpus that is missing is reported and skipped (the dump says so, so two dumps stay comparable).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
import time
from pathlib import Path

from paperkg.extract import RuleExtractor
from paperkg.readers import read_listing

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
SYNTH = ROOT / "bench" / "scratch" / "listings-10000-s1-v2"
TESTDATA = ROOT / "tests" / "data"
PUBLIC = ROOT.parent / "shared" / "data" / "public-gold"


def listing_records(path: Path) -> list[tuple[str, str]]:
    out = []
    try:
        items, _fmt = read_listing(path)
        for it in items:
            if hasattr(it, "title") and hasattr(it, "abstract"):
                out.append((it.title or "", it.abstract or ""))
    except Exception as e:  # noqa: BLE001 - a listing the readers reject (test fixtures of invalid files)
        print(f"  (skipped {path}: {type(e).__name__})", file=sys.stderr)
    return out


def listing_files(base: Path, pattern: str = "*") -> list[Path]:
    return sorted(p for p in base.rglob(pattern) if p.is_file() and not p.name.startswith("."))


def corpus_seeds() -> list[tuple[str, str]] | None:
    if not SEEDS.is_dir():
        return None
    return [x for f in listing_files(SEEDS) for x in listing_records(f)]


def corpus_synthetic(n: int) -> list[tuple[str, str]] | None:
    if not SYNTH.is_dir():
        return None
    out: list[tuple[str, str]] = []
    for f in listing_files(SYNTH, "*.txt"):
        out.extend(listing_records(f))
        if len(out) >= n:
            break
    return out[:n]


def corpus_testdata() -> list[tuple[str, str]]:
    out = []
    for name in ("abstracts.jsonl", "devset.jsonl", "unseen.jsonl"):
        p = TESTDATA / "devset" / name
        if p.exists():
            for line in p.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    r = json.loads(line)
                    out.append((r.get("title") or "", r.get("abstract") or ""))
    for sub in ("unseen", "readers"):
        for f in listing_files(TESTDATA / sub):
            out.extend(listing_records(f))
    return out


def corpus_public() -> list[tuple[str, str]] | None:
    if not PUBLIC.is_dir():
        return None
    out = []
    for name in ("tdmsci_sentences.jsonl", "scirex_abstracts.jsonl"):
        p = PUBLIC / name
        if p.exists():
            for line in p.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    out.append(("", json.loads(line)["text"]))
    return out


_INSERTS = ["(", ")", "[", "]", ",", ".", ". ", ":", ";", "-", "/", "'", "’", " (", ") ", "$", "\\", "&", "+", "%",
            " and ", " or ", " the ", " on ", " dataset", " benchmark", " model", " (e.g., ", "1", "2019", "%",
            " respectively", " we propose ", " called ", "\n", "  ", "e.g.", "et al.", "https://github.com/x/y",
            "ſ", "ı", "İ", "\u212a", "\u00a0", "é", " such as ", " On ", " stands for ", " is short for ", "'s",
            " datasets such as ", " models like ", " named ", " our new ", ", a new dataset", "\t", "—"]


def corpus_fuzz(base: list[tuple[str, str]], n: int = 1500, seed: int = 20240611) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    docs = [d for d in base if d[1]]
    out = []
    for i in range(n if docs else 0):
        t, a = docs[rng.randrange(len(docs))]
        kind = i % 5
        if kind == 0:  # punctuation / word insertions
            chars = list(a)
            for _ in range(rng.randint(1, 12)):
                chars.insert(rng.randrange(len(chars) + 1), rng.choice(_INSERTS))
            a = "".join(chars)
        elif kind == 1:  # case changes of random words
            ws = a.split(" ")
            for _ in range(rng.randint(1, 10)):
                k = rng.randrange(len(ws))
                ws[k] = rng.choice([str.upper, str.lower, str.title, str.capitalize])(ws[k])
            a = " ".join(ws)
        elif kind == 2:  # splice two abstracts, title from a third
            _t2, a2 = docs[rng.randrange(len(docs))]
            a = a[: rng.randrange(len(a) + 1)] + a2[rng.randrange(len(a2) + 1):]
            t = docs[rng.randrange(len(docs))][0]
        elif kind == 3:  # truncations and deletions
            s = rng.randrange(len(a) + 1)
            a = a[:s] + a[s + rng.randint(0, 40):]
            a = a[: rng.randint(0, len(a))]
        else:  # title used as abstract and vice versa, odd whitespace
            t, a = a[:200], (t + " : " + a).replace(" ", rng.choice([" ", "  ", "\t", " \n"]), rng.randint(0, 30))
        out.append((t, a))
    return out


def dump(ex, out) -> None:
    for m in ex.mentions:
        out.append("  M " + " ".join(f"{f.name}={getattr(m, f.name)!r}" for f in dataclasses.fields(m)))
    for r in ex.results:
        out.append("  R " + " ".join(f"{f.name}={getattr(r, f.name)!r}" for f in dataclasses.fields(r)))
    out.append(f"  U {ex.code_urls!r}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(ROOT / "bench" / "scratch" / "extract_ref.txt"), help="where to write the dump")
    ap.add_argument("--compare", help="reference dump to compare with (exit 1 when different)")
    ap.add_argument("--repeat", type=int, default=0, help="extra timed passes per corpus (caches warm)")
    ap.add_argument("--synthetic", type=int, default=6000, help="records taken from the synthetic listings")
    ap.add_argument("--fuzz", type=int, default=1500, help="number of mutated inputs")
    ap.add_argument("--fuzz-seed", type=int, default=20240611, help="random seed of the mutations")
    ap.add_argument("--no-fuzz", action="store_true", help="skip the mutated corpus")
    args = ap.parse_args()

    seeds = corpus_seeds()
    corpora: list[tuple[str, list[tuple[str, str]] | None]] = [
        ("seeds", seeds),
        ("synthetic", corpus_synthetic(args.synthetic)),
        ("testdata", corpus_testdata()),
        ("public-gold", corpus_public()),
    ]
    if not args.no_fuzz:
        corpora.append(("fuzz", corpus_fuzz(seeds or [], args.fuzz, args.fuzz_seed)))

    ex = RuleExtractor()
    lines: list[str] = []
    total_n = 0
    total_cpu = 0.0
    for name, docs in corpora:
        if docs is None:
            print(f"{name:<12} missing, skipped")
            lines.append(f"# corpus {name}: missing")
            continue
        lines.append(f"# corpus {name}: {len(docs)} inputs")
        results = []
        c0 = time.process_time()
        for t, a in docs:
            results.append(ex.extract(t, a))
        cpu = time.process_time() - c0
        total_n += len(docs)
        total_cpu += cpu
        for i, ((t, a), r) in enumerate(zip(docs, results)):
            lines.append(f"## {name} {i} title={t[:60]!r}")
            dump(r, lines)
        rate = len(docs) / cpu if cpu else float("inf")
        msg = f"{name:<12} {len(docs):>6} abstracts  CPU {cpu:7.2f}s  = {rate:8.1f} abstracts/CPU-s (first pass)"
        if args.repeat:
            best = float("inf")
            for _ in range(args.repeat):
                c0 = time.process_time()
                for t, a in docs:
                    ex.extract(t, a)
                best = min(best, time.process_time() - c0)
            msg += f"; best of {args.repeat} warm passes {len(docs) / best if best else float('inf'):8.1f}/CPU-s"
        print(msg, flush=True)
    print(f"{'all':<12} {total_n:>6} abstracts  CPU {total_cpu:7.2f}s  = {total_n / total_cpu:8.1f} abstracts/CPU-s")

    text = "\n".join(lines) + "\n"
    Path(args.out).write_text(text, encoding="utf-8")
    print(f"dump: {args.out} ({len(lines)} lines)")
    if args.compare:
        ref = Path(args.compare).read_text(encoding="utf-8")
        if ref == text:
            print(f"IDENTICAL to {args.compare}")
            return 0
        a, b = ref.splitlines(), text.splitlines()
        shown = 0
        for i in range(max(len(a), len(b))):
            x = a[i] if i < len(a) else "<missing>"
            y = b[i] if i < len(b) else "<missing>"
            if x != y:
                print(f"line {i + 1}:\n  ref: {x[:300]}\n  new: {y[:300]}")
                shown += 1
                if shown >= 10:
                    break
        print(f"DIFFERENT from {args.compare}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
