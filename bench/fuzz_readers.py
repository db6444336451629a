"""Long fuzzing run of the listing readers (the short one is tests/test_fuzz_readers.py).

    .venv/bin/python bench/fuzz_readers.py --minutes 10                 # structure-aware, seeded random
    python bench/fuzz_readers.py --engine atheris --minutes 10          # coverage-guided (needs atheris)

Inputs are the example and seed listings damaged the ways files get damaged (lines deleted, duplicated,
truncated, joined, swapped, spliced from other files, bytes flipped, NUL and invalid UTF-8 stuffed in,
lines stretched past the line limit, files cut short); with ``--engine atheris`` libFuzzer mutates the
same listings guided by coverage of paperkg's reader code (``pip install atheris hypothesis pytest`` in
any venv, then run it there with ``PYTHONPATH=src``: the readers need nothing but the standard library).

Each input is written to a file and read through ``read_listing`` with detection and with a forced
format; the checks are those of the short test: only ``InputError`` may escape, every item is well
formed and safe to store and print, and (random engine) damage costs at most two records per damaged
line. An input that takes more than ``--slow`` seconds is a finding too. Findings are saved under
``bench/results/fuzz-findings/``. The random engine prints its summary (inputs tried, findings, slowest
input) and writes it to ``bench/results/fuzz-readers-random-<date>.json``; libFuzzer prints its own
("Done N runs in S second(s)", coverage).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import random
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


class Slow(Exception):
    pass


def short_module():
    """The test module that defines the mutations and applies them (one definition for both runs)."""
    import tests.test_fuzz_readers as short

    return short


def _alarm(signum, frame):
    raise Slow()


def random_change(rng: random.Random, junk: list[bytes]) -> tuple:
    """One mutation in the shape ``tests.test_fuzz_readers.apply`` takes."""
    return (
        rng.choice(short_module().MUTATIONS),
        rng.random(),
        rng.random(),
        rng.choice(junk),
        rng.randint(1, 12),
        rng.randint(1, 255),
    )


def save_finding(kind: str, data: bytes, detail: str) -> Path:
    folder = RESULTS / "fuzz-findings"
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(data).hexdigest()[:16]
    path = folder / f"{kind}-{digest}.bin"
    path.write_bytes(data)
    path.with_suffix(".txt").write_text(detail, encoding="utf-8")
    return path


def run_random(minutes: float, seed: int, slow: float) -> dict:
    import tests.test_fuzz_readers as short
    from paperkg.readers import LISTING_READERS

    short.STRETCH = 400_000  # up to 4.8 M characters: past MAX_LINE
    rng = random.Random(seed)
    formats = sorted(LISTING_READERS)
    names = sorted(short.BY_NAME)
    counts: Counter[str] = Counter()
    findings: list[dict] = []
    slowest = (0.0, "")
    deadline = time.monotonic() + minutes * 60
    signal.signal(signal.SIGALRM, _alarm)
    with tempfile.TemporaryDirectory() as folder:
        while time.monotonic() < deadline:
            name = rng.choice(names)
            _, data, fmt, titles = short.BY_NAME[name]
            lines = data.splitlines(keepends=True)
            changes = [random_change(rng, short.JUNK) for _ in range(rng.randint(1, 6))]
            damaged = sum(short.apply(lines, change) for change in changes)
            cut = any(change[0] == "cut" for change in changes)
            content = b"".join(lines)
            path = Path(folder) / name
            path.write_bytes(content)
            count = short.line_count(lines)
            forced = rng.choice(formats)
            started = time.perf_counter()
            signal.setitimer(signal.ITIMER_REAL, slow)
            try:
                short.read_all(path, None, count)
                records = short.read_all(path, fmt, count)
                short.read_all(path, forced, count)
                if records is not None and not cut:
                    lost = titles - {r.title for r in records}
                    assert len(lost) <= 2 * damaged, f"{len(lost)} records lost for {damaged} damaged lines"
            except Slow:
                findings.append({"kind": "slow", "file": str(save_finding("slow", content, repr(changes)))})
            except Exception:  # noqa: BLE001 - every failure is a finding
                detail = f"{name} {changes!r}\n{traceback.format_exc()}"
                findings.append(
                    {
                        "kind": "crash",
                        "file": str(save_finding("crash", content, detail)),
                        "error": traceback.format_exc().splitlines()[-1],
                    }
                )
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            elapsed = time.perf_counter() - started
            if elapsed > slowest[0]:
                slowest = (elapsed, f"{name} {[c[0] for c in changes]} ({len(content):,} bytes)")
            counts["inputs"] += 1
            counts["reads"] += 3
            for change in changes:
                counts[f"mutation:{change[0]}"] += 1
    return {
        "inputs": counts.pop("inputs", 0),
        "reads": counts.pop("reads", 0),
        "mutations": dict(counts),
        "findings": findings,
        "slowest_seconds": round(slowest[0], 3),
        "slowest_input": slowest[1],
    }


def run_atheris(minutes: float, slow: float, extra: list[str]) -> None:
    """libFuzzer over the readers; it prints its own figures ("Done N runs in S second(s)", coverage) and
    writes any crashing or hanging input to bench/results/fuzz-findings/ (crash-*, timeout-*)."""
    import atheris

    with atheris.instrument_imports():
        from paperkg.errors import InputError
        from paperkg.readers import LISTING_READERS, read_listing
    import tests.test_fuzz_readers as short

    formats = sorted(LISTING_READERS)
    corpus = Path(tempfile.mkdtemp(prefix="paperkg-fuzz-corpus-"))
    for name, data, _, _ in short.CORPUS:
        (corpus / name).write_bytes(data[:200_000])
    target = Path(tempfile.mkdtemp(prefix="paperkg-fuzz-")) / "listing"

    def one_input(data: bytes) -> None:
        target.write_bytes(data)
        count = len(data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n"))
        for format in (None, formats[len(data) % len(formats)]):
            try:
                items, _ = read_listing(target, format=format)
                short.check_items(list(items), target, count)
            except InputError as error:
                assert str(error).startswith(f"{target}: "), error

    findings = RESULTS / "fuzz-findings"
    findings.mkdir(parents=True, exist_ok=True)
    args = [
        sys.argv[0],
        str(corpus),
        f"-max_total_time={int(minutes * 60)}",
        f"-timeout={int(slow)}",
        "-max_len=250000",
        "-rss_limit_mb=4096",
        f"-artifact_prefix={findings}/",
        *extra,
    ]
    atheris.Setup(args, one_input)
    atheris.Fuzz()  # runs until the time is up, then exits the process


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("random", "atheris"), default="random")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--slow", type=float, default=20.0, help="seconds after which one input is a finding")
    args, extra = parser.parse_known_args()
    started = time.time()
    if args.engine == "atheris":
        run_atheris(args.minutes, args.slow, extra)
        return 0
    summary = run_random(args.minutes, args.seed, args.slow)
    summary.update(
        {
            "engine": args.engine,
            "seed": args.seed,
            "minutes": args.minutes,
            "seconds": round(time.time() - started, 1),
            "python": sys.version.split()[0],
            "date": datetime.date.today().isoformat(),
            "cpus": os.cpu_count(),
        }
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"fuzz-readers-{args.engine}-{summary['date']}.json"
    out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(summary, indent=2))
    print(f"wrote {out}")
    return 1 if summary["findings"] else 0


if __name__ == "__main__":
    sys.exit(main())
