"""Check that `paperkg add` gives what a full build gives: `build(A); add(B)` against `build(A + B)`.

Compares paperkg.ttl and extractions.jsonl byte for byte, the whole store (default graph and every
listing's named graph, as sorted N-Quads) and the summary's counts. Exit status 1 on any difference.

    .venv/bin/python bench/check_add_identical.py --base DIR_OR_FILES... --add FILE... [--work DIR]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from paperkg import build_graph  # noqa: E402
from paperkg.build import add_listings  # noqa: E402


def dataset_lines(directory: Path) -> list[bytes]:
    import pyoxigraph as ox

    from paperkg.store import open_store

    store = open_store(directory)
    return sorted(str(q).encode() for q in store.quads_for_pattern(None, None, None, None))


def compare(incremental: Path, full: Path) -> list[str]:
    problems = []
    for name in ("paperkg.ttl", "extractions.jsonl"):
        a, b = (incremental / name).read_bytes(), (full / name).read_bytes()
        if a != b:
            problems.append(f"{name} differs ({len(a)} vs {len(b)} bytes)")
    a, b = dataset_lines(incremental), dataset_lines(full)
    if a != b:
        only_a, only_b = set(a) - set(b), set(b) - set(a)
        problems.append(f"store differs: {len(only_a)} quads only after add, {len(only_b)} only in the full build; "
                        f"e.g. {sorted(only_a)[:3]} / {sorted(only_b)[:3]}")
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", nargs="+", required=True, help="what the first build reads")
    parser.add_argument("--add", nargs="+", required=True, help="what `add` then adds (or replaces)")
    parser.add_argument("--work", help="folder for the two builds (default: a temporary one)")
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args(argv)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="paperkg-add-check-"))
    inc, full = work / "incremental", work / "full"
    for path in (inc, full):
        shutil.rmtree(path, ignore_errors=True)
    build_graph(args.base, inc, jobs=args.jobs)
    started = time.perf_counter()
    summary = add_listings(args.add, inc, jobs=args.jobs)
    seconds = time.perf_counter() - started
    inputs = list(args.base) + [a for a in args.add
                              if not any(Path(a).resolve().is_relative_to(Path(b).resolve()) for b in args.base)]
    reference = build_graph(inputs, full, jobs=args.jobs)
    problems = compare(inc, full)
    if (summary.triples, summary.papers, summary.class_counts) != (reference.triples, reference.papers,
                                                                    reference.class_counts):
        problems.append(f"summary differs: add {summary.triples} triples, {summary.papers} papers, "
                        f"{summary.class_counts}; build {reference.triples}, {reference.papers}, "
                        f"{reference.class_counts}")
    print(f"add took {seconds:.2f} s ({summary.statuses}); {reference.triples} triples")
    for problem in problems:
        print("DIFFERENT:", problem)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
