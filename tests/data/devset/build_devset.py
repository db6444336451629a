"""Join the hand-written gold (gold.txt) with the sampled abstracts (abstracts.jsonl) into devset.jsonl,
and turn unseen_gold.txt (handwritten abstracts with their gold) into unseen.jsonl.

Run from the repository root: ``python tests/data/devset/build_devset.py``. Only abstracts that have a
``## devNN`` block in gold.txt are written (an empty block means "annotated: nothing to extract").
"""

import json
import sys
from pathlib import Path

HERE = Path(__file__).parent


def parse_gold(text: str) -> dict[str, dict]:
    out: dict[str, dict] = {}
    cur = None
    for raw in text.splitlines():
        line = raw.split("  #")[0].rstrip()
        if not line or line.startswith("# "):
            continue
        if line.startswith("## "):
            cur = {"mentions": [], "results": []}
            out[line[3:].split("|")[0].strip()] = cur
            continue
        tag, _, rest = line.partition(" ")
        if tag in ("T", "A"):  # unseen_gold.txt carries the title and abstract in the block
            cur["title" if tag == "T" else "abstract"] = rest.strip()
            continue
        parts = [p.strip() for p in rest.split("|")]
        if tag in ("B+", "B-", "M+", "M-"):
            cur["mentions"].append({"type": "Benchmark" if tag[0] == "B" else "Method", "text": parts[0],
                                    "aliases": parts[1:], "introduced": tag[1] == "+"})
        elif tag in ("R", "R~"):
            res = {"value": parts[0], "metric": parts[1], "benchmark": parts[2],
                   "method": parts[3] if len(parts) > 3 and parts[3] else None, "relative": tag == "R~",
                   "compared_to": parts[4] if len(parts) > 4 else None}
            cur["results"].append(res)
        else:
            sys.exit(f"bad gold line: {raw!r}")
    return out


def main() -> None:
    gold = parse_gold((HERE / "gold.txt").read_text(encoding="utf-8"))
    n = 0
    with open(HERE / "devset.jsonl", "w", encoding="utf-8") as f:
        for line in (HERE / "abstracts.jsonl").read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if rec["id"] not in gold:
                continue
            rec.update(gold[rec["id"]])
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    print(f"wrote {n} records to {HERE / 'devset.jsonl'}")
    unseen = parse_gold((HERE / "unseen_gold.txt").read_text(encoding="utf-8"))
    with open(HERE / "unseen.jsonl", "w", encoding="utf-8") as f:
        for i, (uid, g) in enumerate(unseen.items()):
            rec = {"id": uid, "source": "unseen_gold.txt", "line": i, "title": g["title"], "abstract": g["abstract"],
                   "heldout": True, "mentions": g["mentions"], "results": g["results"]}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"wrote {len(unseen)} records to {HERE / 'unseen.jsonl'}")


if __name__ == "__main__":
    main()
