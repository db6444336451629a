"""Extraction speed on one core: abstracts per second.

Usage (from the repository root):
    .venv/bin/python bench/bench_extraction.py [--repeat 5] [--seeds ../shared/seeds]
                                               [--json bench/results/extraction-speed-<date>.json]

Corpora: every abstract found in the seed listings by a small format-agnostic scan (long lines), repeated
``--repeat`` times; plus the SciREX abstracts when ``../shared/data/public-gold`` is present. Single process,
single thread; ``cold`` is one pass of a fresh extractor over the seed abstracts (gazetteer load included).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

from paperkg.extract import RuleExtractor

ROOT = Path(__file__).resolve().parent.parent


def seed_abstracts(seeds: Path) -> list[tuple[str, str]]:
    """(title, abstract) pairs: a long line is an abstract, the nearest short non-empty line above is its title."""
    out = []
    for f in sorted(seeds.glob("*.txt")):
        lines = f.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if len(line) >= 300:
                title = next((lines[j] for j in range(i - 1, max(-1, i - 4), -1) if 0 < len(lines[j].strip()) < 300), "")
                out.append((title.strip(), line.strip()))
    return out


def run(name: str, docs: list[tuple[str, str]], repeat: int) -> dict:
    ex = RuleExtractor()
    for t, a in docs[:5]:  # warm-up (gazetteer load, regex compile)
        ex.extract(t, a)
    n = 0
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(repeat):
        for t, a in docs:
            ex.extract(t, a)
            n += 1
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    rate = n / secs if secs else float("inf")
    cpu_rate = n / cpu if cpu else float("inf")
    print(f"{name:<28} {n:>6} abstracts in {secs:6.2f}s  = {rate:8.1f} abstracts/s "
          f"(CPU time {cpu:.2f}s = {cpu_rate:.1f}/s)")
    return {"abstracts": n, "seconds": round(secs, 3), "per_second": round(rate, 1), "cpu_seconds": round(cpu, 3),
            "per_cpu_second": round(cpu_rate, 1)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seeds", default=str(ROOT.parent / "shared" / "seeds"))
    ap.add_argument("--json", default=str(ROOT / "bench" / "results" /
                                          f"extraction-speed-{dt.date.today().isoformat()}.json"))
    a = ap.parse_args()
    res = {}
    seeds = Path(a.seeds)
    if seeds.exists():
        docs = seed_abstracts(seeds)
        t0 = time.perf_counter()
        ex = RuleExtractor()
        for t, ab in docs:
            ex.extract(t, ab)
        cold = time.perf_counter() - t0
        res["seed_abstracts_cold"] = {"abstracts": len(docs), "seconds": round(cold, 3),
                                      "per_second": round(len(docs) / cold, 1)}
        print(f"{'seed abstracts, cold pass':<28} {len(docs):>6} abstracts in {cold:6.2f}s  = "
              f"{len(docs) / cold:8.1f} abstracts/s")
        res["seed_abstracts"] = run("seed abstracts", docs, a.repeat)
    sx = ROOT.parent / "shared" / "data" / "public-gold" / "scirex_abstracts.jsonl"
    if sx.exists():
        docs = [("", json.loads(l)["text"]) for l in sx.read_text(encoding="utf-8").splitlines() if l.strip()]
        res["scirex_abstracts"] = run("SciREX abstracts", docs, a.repeat)
    res["date"] = dt.date.today().isoformat()
    res["python"] = sys.version.split()[0]
    Path(a.json).parent.mkdir(parents=True, exist_ok=True)
    Path(a.json).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {a.json}")


if __name__ == "__main__":
    main()
