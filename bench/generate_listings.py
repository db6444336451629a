"""Synthetic listings for benchmarks: the four seed layouts (and optionally JSON Lines) at any size.

    python bench/generate_listings.py --records 100000 --out bench/scratch/100k --seed 1

What makes the data realistic enough to stress the pipeline the way real listings do:

* an author pool of ~0.3 x N synthetic names drawn with Zipf-like reuse, 2-15 authors per paper, so
  co-authorship is dense and a few people write hundreds of papers; lab lists truncate with "et al.";
* benchmark, method, task and metric names drawn Zipf-like from paperkg's gazetteer and placed in
  template abstracts (~1.2 KB) with result sentences ("On GSM8K, Kolavi reaches 84.3% accuracy, 2.1%
  better than PaLM."), plus one coined method name per paper (introduced by it), and in ~6% of
  papers a coined benchmark that the paper introduces ("We also introduce KorvaBench, a new benchmark
  for ...") and evaluates on;
* ~10% of papers appear again in another file (often another layout), as real listings overlap.

Output is a pure function of ``--records`` and ``--seed``: same arguments, same bytes. Files are
written under ``OUT/<layout>/`` (``lab-list``, ``profile-export``, ``daily-papers``, ``papers-search``,
``jsonl`` with ``--jsonl``); the readers detect each layout from the text alone. Stdlib only.
"""

from __future__ import annotations

import argparse
import bisect
import json
import random
import shutil
import sys
from itertools import accumulate
from pathlib import Path

GENERATOR_VERSION = 2  # bumped whenever the output changes (cached datasets are keyed by it)
GAZETTEER = Path(__file__).resolve().parents[1] / "src" / "paperkg" / "data" / "gazetteer"

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
CATEGORIES = ["LG", "CL", "CV", "AI", "RO", "NE", "IR", "SD", "CR", "DC", "MA", "HC"]
LAB_ORGS = ["deepmind", "cmu", "stanford", "mit", "berkeley", "meta", "openai", "microsoft", "nvidia",
            "mila", "oxford", "eth"]
DAILY_ORGS = ["google Google", "meta-llama Meta Llama", "nvidia NVIDIA", "microsoft Microsoft",
              "allenai Ai2", "Qwen Qwen", "deepseek-ai DeepSeek", "parameterlab Parameter Lab",
              "facebook AI at Meta", "apple Apple"]
# Share of records per layout, and records per file (a lab page, a profile, a daily page, a search).
LAYOUTS = {"lab-list": (0.35, 400), "profile-export": (0.15, 60), "daily-papers": (0.25, 40),
           "papers-search": (0.25, 200)}
REPEAT_SHARE = 0.10

SYLLABLES = ["ka", "lo", "mi", "ra", "ten", "sha", "vi", "no", "da", "rel", "po", "zu", "an", "be", "cor",
             "dy", "el", "fa", "gu", "hal", "in", "jo", "ki", "lun", "mar", "ne", "or", "pel", "qui", "ros",
             "si", "tor", "ul", "ven", "wen", "xi", "ya", "zen", "bri", "cha"]
TITLE_ADJ = ["Efficient", "Scalable", "Robust", "Sparse", "Adaptive", "Hierarchical", "Contrastive",
             "Self-Supervised", "Multimodal", "Federated", "Differentiable", "Causal", "Structured",
             "Continual", "Compositional", "Unified", "Probabilistic", "Lightweight"]
TITLE_NOUN = ["attention", "representation learning", "policy optimization", "retrieval", "distillation",
              "pretraining", "fine-tuning", "reasoning", "planning", "generative modeling", "alignment",
              "memory", "routing", "tokenization", "exploration", "calibration", "quantization"]
FILLER = [
    ("Recent progress in machine learning has made such systems widely used, yet their behaviour under "
     "distribution shift remains poorly understood."),
    "Existing approaches rely on expensive supervision and scale poorly with the size of the input.",
    "We analyse the trade-off between compute and quality and identify the components that matter most.",
    "Our analysis shows that simple design choices, often overlooked, account for most of the gains.",
    "We further study the behaviour of the approach across model sizes and training budgets.",
    "Extensive ablations confirm that each component contributes to the final performance.",
    "The method requires no additional labels and adds little overhead at inference time.",
    "We also discuss limitations and directions for future work in this area.",
    "Compared with prior work, the approach is simpler to implement and easier to tune in practice.",
    "Experiments on a range of settings show consistent improvements over strong baselines.",
    "Finally, we release our models and evaluation protocol to support reproducible research.",
]


def _tsv_names(name: str) -> list[str]:
    names = []
    for line in (GAZETTEER / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith(("#", "canonical\t")):
            continue
        cols = line.split("\t")
        if len(cols) > 2 and cols[2].strip() == "ctx":
            continue  # ambiguous words the extractor only accepts in context
        names.append(cols[0].strip())
    return names


class Zipf:
    """Draw indexes 0..n-1 with weight 1/(i+1)^s (rank 0 most frequent)."""

    def __init__(self, n: int, s: float = 1.0) -> None:
        self.cum = list(accumulate(1.0 / (i + 1) ** s for i in range(n)))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> int:
        return bisect.bisect_left(self.cum, rng.random() * self.total)


def coined(index: int, salt: int = 0) -> str:
    """A unique pronounceable name for ``index`` (base-40 syllables), capitalized."""
    n = index * 7 + salt
    parts = []
    while True:
        n, r = divmod(n, len(SYLLABLES))
        parts.append(SYLLABLES[r])
        if n == 0:
            break
        n -= 1
    if len(parts) < 2:
        parts.append(SYLLABLES[(index + salt) % len(SYLLABLES)])
    return "".join(parts).capitalize()


class Generator:
    def __init__(self, records: int, seed: int) -> None:
        self.records = records
        self.rng = random.Random(seed)
        self.benchmarks = _tsv_names("benchmarks.tsv")
        self.methods = _tsv_names("methods.tsv")
        self.tasks = _tsv_names("tasks.tsv")
        self.metrics = [m for m in _tsv_names("metrics.tsv") if m in ("accuracy", "F1", "BLEU", "exact match",
                                                                       "top-1 accuracy", "mAP", "ROUGE-L",
                                                                       "pass@1", "win rate")] or ["accuracy"]
        self.zb, self.zm, self.zt = Zipf(len(self.benchmarks)), Zipf(len(self.methods)), Zipf(len(self.tasks))
        pool = max(20, int(0.3 * records))
        self.people = [self._person(i) for i in range(pool)]
        self.zp = Zipf(pool, 0.8)
        self.rng_seed = self.rng.randrange(1 << 30)

    def _person(self, i: int) -> tuple[str, str]:
        rng = random.Random(i * 7919 + 17)
        given = coined(rng.randrange(5000), 3)
        if rng.random() < 0.15:
            given += f" {rng.choice('ABCDEFGHJKLMNPRSTVW')}."
        family = coined(i, 11) if i >= 600 else coined(rng.randrange(600), 29)
        return given, family

    # ------------------------------------------------------------------------------ one paper
    def paper(self, index: int) -> dict:
        rng = random.Random(index * 104729 + self.rng_seed)
        name = coined(index, 5) + rng.choice(["Net", "LM", "Former", "GPT", "-7B", "Diff", "RL", "Seg"])
        task = self.tasks[self.zt(rng)]
        title = f"{name}: {rng.choice(TITLE_ADJ)} {rng.choice(TITLE_NOUN)} for {task}"
        benches = list(dict.fromkeys(self.benchmarks[self.zb(rng)] for _ in range(rng.randint(1, 3))))
        baselines = list(dict.fromkeys(self.methods[self.zm(rng)] for _ in range(rng.randint(1, 3))))
        metric = rng.choice(self.metrics)
        introduced = None
        if rng.random() < 0.06:  # a paper that also introduces a benchmark
            introduced = coined(index, 7) + rng.choice(["Bench", "-Eval", "QA", "-Suite"])
        sentences = [f"We propose {name}, a {rng.choice(TITLE_ADJ).lower()} approach to {task}."]
        if introduced:
            sentences.append(f"We also introduce {introduced}, a new benchmark for {task}.")
            benches.append(introduced)
        sentences += [rng.choice(FILLER),
                      f"{name} builds on {' and '.join(baselines)} and is evaluated on {', '.join(benches)}.",
                      rng.choice(FILLER)]
        for bench in benches[:2]:
            value = round(rng.uniform(20, 95), 1)
            gain = round(rng.uniform(0.3, 9.0), 1)
            sentences.append(f"On {bench}, {name} achieves {value}% {metric}, {gain}% better than "
                             f"{baselines[0]}.")
        sentences += rng.sample(FILLER, 5)
        if rng.random() < 0.3:
            sentences.append(f"Code is available at https://github.com/{name.lower()}-lab/{name.lower()}.")
        count = min(15, max(2, int(rng.paretovariate(1.3) * 2)))
        authors = list(dict.fromkeys(self.people[self.zp(rng)] for _ in range(count)))
        year = rng.randint(2015, 2025)
        return {"index": index, "title": title, "abstract": " ".join(sentences), "authors": authors,
                "year": year, "month": rng.randrange(12), "day": rng.randint(1, 28),
                "category": rng.choice(CATEGORIES), "code": rng.random() < 0.4,
                "orgs": rng.sample(LAB_ORGS, rng.choice([0, 1, 1, 2])), "upvotes": rng.choice([0, 0, 1, 3, 12, 40]),
                "daily_org": rng.choice(DAILY_ORGS) if rng.random() < 0.2 else None}

    # ------------------------------------------------------------------------------ layouts
    @staticmethod
    def _date(p: dict, with_year: bool = True) -> str:
        text = f"{MONTHS[p['month']]} {p['day']}"
        return f"{text}, {p['year']}" if with_year else text

    def lab_list(self, papers: list[dict]) -> str:
        out = []
        for p in papers:
            shown = [f"{g} {f}" for g, f in p["authors"][:3]]
            names = ", ".join(shown) + (" et al." if len(p["authors"]) > 3 else "")
            orgs = f" · {', '.join(p['orgs'])}" if p["orgs"] else ""
            out += [f"{p['category']}{self._date(p)}{'Code' if p['code'] else ''}",
                    f"{p['title']}{names}{orgs}", p["abstract"]]
        return "\n".join(out) + "\n"

    def profile(self, owner: tuple[str, str], papers: list[dict]) -> str:
        out = [f"{owner[1]}, {owner[0]}"]
        for p in papers:
            out += [p["title"], ", ".join(f"{f}, {g}" for g, f in p["authors"]), p["abstract"]]
        return "\n".join(out) + "\n"

    def daily(self, day: int, papers: list[dict]) -> str:
        out = ["new", "", "Get trending papers in your email inbox!", "", "Subscribe", "", "Daily Papers", "",
               "byAK and the research community", "", f"{MONTHS[day % 12]} {day % 28 + 1}", ""]
        for p in papers:
            meta = f"{p['daily_org']}" if p["daily_org"] else f"  • {len(p['authors'])} authors"
            date = self._date(p, with_year=p["year"] < 2025) + (f" {p['upvotes']}" if p["upvotes"] else "")
            out += [p["title"], "", p["abstract"], "", meta, "·", date, ""]
        return "\n".join(out)

    def search(self, papers: list[dict]) -> str:
        out = ["Get trending papers in your email inbox once a day!", "Get trending papers in your email inbox!"]
        for i, p in enumerate(papers):
            out += [("Subscribe" if i == 0 else "") + p["title"], p["abstract"]]
        return "\n".join(out) + "\n"

    @staticmethod
    def jsonl(papers: list[dict]) -> str:
        rows = [{"title": p["title"], "abstract": p["abstract"],
                 "authors": [f"{g} {f}" for g, f in p["authors"]],
                 "date": f"{p['year']}-{p['month'] + 1:02d}-{p['day']:02d}", "category": f"cs.{p['category']}",
                 "has_code": p["code"]} for p in papers]
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)

    # ------------------------------------------------------------------------------ the set
    def write(self, out: Path, jsonl_share: float = 0.0) -> dict:
        distinct = max(1, round(self.records / (1 + REPEAT_SHARE)))
        repeats = self.records - distinct
        layouts = dict(LAYOUTS)
        if jsonl_share:
            layouts = {k: (share * (1 - jsonl_share), size) for k, (share, size) in layouts.items()}
            layouts["jsonl"] = (jsonl_share, 1000)
        # Primary placement: consecutive ranges of papers per layout; repeats go to other layouts.
        slots: dict[str, list[int]] = {name: [] for name in layouts}
        names = list(layouts)
        start = 0
        for i, name in enumerate(names):
            share = layouts[name][0]
            end = distinct if i == len(names) - 1 else start + round(distinct * share)
            slots[name].extend(range(start, end))
            start = end
        layout_of = {}
        for name, idx in slots.items():
            for k in idx:
                layout_of[k] = name
        rng = random.Random(self.rng_seed + 1)
        others = [n for n in names if n != "profile-export"]
        for _ in range(repeats):
            k = rng.randrange(distinct)
            target = rng.choice([n for n in others if n != layout_of[k]] or others)
            slots[target].append(k)
        for name in names:
            if name != "profile-export":
                rng.shuffle(slots[name])
        if out.exists():
            shutil.rmtree(out)
        files = 0
        for name in names:
            size = layouts[name][1]
            folder = out / name
            folder.mkdir(parents=True)
            idx = slots[name]
            for f, lo in enumerate(range(0, len(idx), size)):
                papers = [self.paper(k) for k in idx[lo:lo + size]]
                if name == "lab-list":
                    text = self.lab_list(papers)
                elif name == "profile-export":
                    owner = papers[0]["authors"][0]
                    for p in papers:
                        if owner not in p["authors"]:
                            p["authors"] = [owner, *p["authors"][:14]]
                    text = self.profile(owner, papers)
                elif name == "daily-papers":
                    text = self.daily(f, papers)
                elif name == "papers-search":
                    text = self.search(papers)
                else:
                    text = self.jsonl(papers)
                ext = "jsonl" if name == "jsonl" else "txt"
                (folder / f"{name}-{f:05d}.{ext}").write_text(text, encoding="utf-8")
                files += 1
        return {"records": self.records, "distinct_papers": distinct, "files": files,
                "authors_in_pool": len(self.people)}


def generate(records: int, out: str | Path, seed: int = 1, jsonl_share: float = 0.0) -> dict:
    """Write a synthetic listing set of ``records`` records under ``out``; returns a summary."""
    return Generator(records, seed).write(Path(out), jsonl_share)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, required=True, help="records to write (e.g. 10000)")
    parser.add_argument("--out", required=True, help="folder to write (replaced if it exists)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jsonl", type=float, default=0.0, metavar="SHARE",
                        help="share of records written as JSON Lines (default 0)")
    args = parser.parse_args(argv)
    summary = generate(args.records, args.out, args.seed, args.jsonl)
    json.dump(summary, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
