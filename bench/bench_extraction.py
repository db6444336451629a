"""Extraction speed on one core: abstracts per second.

Usage (from the repository root):
    .venv/bin/python bench/bench_extraction.py [--repeat 5] [--seeds ../shared/seeds]

Corpora: the development-set abstracts (sampled from the seed listings) and every abstract found in the
seed listings by a small format-agnostic scan (long lines), each repeated ``--repeat`` times; plus the
SciREX abstracts when ``../shared/data/public-gold`` is present. Single process, single thread.
"""

from __future__ import annotations

import argparse
import json
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
    t0 = time.perf_counter()
    for _ in range(repeat):
        for t, a in docs:
            ex.extract(t, a)
            n += 1
    dt = time.perf_counter() - t0
    rate = n / dt if dt else float("inf")
    print(f"{name:<28} {n:>6} abstracts in {dt:6.2f}s  = {rate:8.1f} abstracts/s")
    return {"abstracts": n, "seconds": round(dt, 3), "per_second": round(rate, 1)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seeds", default=str(ROOT.parent / "shared" / "seeds"))
    ap.add_argument("--json", default=str(ROOT / "bench" / "extraction_speed.json"))
    a = ap.parse_args()
    res = {}
    seeds = Path(a.seeds)
    if seeds.exists():
        res["seed_abstracts"] = run("seed abstracts", seed_abstracts(seeds), a.repeat)
    sx = ROOT.parent / "shared" / "data" / "public-gold" / "scirex_abstracts.jsonl"
    if sx.exists():
        docs = [("", json.loads(l)["text"]) for l in sx.read_text(encoding="utf-8").splitlines() if l.strip()]
        res["scirex_abstracts"] = run("SciREX abstracts", docs, a.repeat)
    Path(a.json).write_text(json.dumps(res, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
