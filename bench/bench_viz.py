"""Benchmark: how long a 2,000-node view takes to open and settle in headless Chromium.

    .venv/bin/python bench/bench_viz.py [--nodes 2000] [--runs 3] [--chromium /usr/bin/chromium]

Makes a synthetic graph of paperkg's shape (papers, authors with skewed productivity, categories,
organizations, benchmarks, methods), stores it as a build folder, renders the overview with
``max_nodes`` = ``--nodes``, opens it from disk with every non-file request blocked, and measures the
time from navigation to ``window.__paperkgReady`` (layout settled, physics off). Writes
``bench/results/viz-<date>.json`` and prints the figure. Target: under 10 s.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from browser_util import chromium_path, launch_browser, open_page, synthetic_graph, write_build

TARGET_SECONDS = 10.0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chromium", default=None)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    args = parser.parse_args(argv)

    from paperkg.viz import make_view, view_html

    executable = args.chromium or chromium_path()
    if executable is None:
        print("chromium not found (apt-get install chromium)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        build = Path(tmp) / "build"
        # Enough papers and authors that the overview can pick args.nodes nodes.
        graph = synthetic_graph(papers=args.nodes, authors=int(args.nodes * 1.2))
        write_build(build, graph.triples)
        started = time.perf_counter()
        vg, view = make_view(build, max_nodes=args.nodes)
        page = view_html(vg, view)
        render_seconds = time.perf_counter() - started
        html_path = Path(tmp) / "view.html"
        html_path.write_text(page, encoding="utf-8")
        nodes, edges = len(view.nodes), len(view.edges)

        timings = []
        with launch_browser(executable) as browser:
            for _ in range(args.runs):
                t0 = time.perf_counter()
                with open_page(browser, html_path, timeout_ms=60_000) as (pg, probe):
                    wall = time.perf_counter() - t0
                    in_page = pg.evaluate("window.__paperkgReadyAt") / 1000
                    drawn = pg.evaluate("window.__paperkg.nodes.length")
                    probe.assert_clean()
                timings.append({"wall_seconds": round(wall, 3), "page_seconds": round(in_page, 3),
                                "nodes_drawn": drawn})

    best = min(t["wall_seconds"] for t in timings)
    median = statistics.median(t["wall_seconds"] for t in timings)
    result = {
        "benchmark": "viz-settle", "date": datetime.date.today().isoformat(),
        "nodes": nodes, "edges": edges, "html_bytes": len(page.encode()),
        "render_seconds": round(render_seconds, 3),
        "runs": timings, "median_seconds": round(median, 3), "best_seconds": round(best, 3),
        "target_seconds": TARGET_SECONDS, "meets_target": median < TARGET_SECONDS,
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count(), "chromium": executable},
    }
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"viz-{result['date']}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"{nodes:,}-node view ({edges:,} links, {len(page.encode()) / 1e6:.1f} MB): opens and settles in "
          f"{median:.2f} s median of {args.runs} (best {best:.2f} s; target < {TARGET_SECONDS:.0f} s)"
          f" -> {out}")
    return 0 if result["meets_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
