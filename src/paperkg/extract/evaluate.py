"""Scoring extraction against annotated data: pure functions plus loaders for the corpora we use.

Two matching regimes, both one-to-one (a gold item is matched at most once, greedily in order):

* **mention level** (TDMSci, SciREX): a prediction matches a gold mention of the same type
  - *exact*: same character span;
  - *lenient*: the spans overlap, or the two surfaces have the same :func:`entity_key`.
* **entity level** (the development set): per paper, the set of distinct entities of each type. A gold
  entity (its text and any aliases) matches a predicted entity (its canonical name, aliases and surface
  forms) when their :func:`entity_key` sets intersect. "Introduced-or-used" accuracy is measured over
  matched pairs. Result triples match on value (numerically), metric key and benchmark key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from . import Extraction, Mention, entity_key

# ------------------------------------------------------------------------------------------ arithmetic


@dataclass
class PRF:
    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: PRF) -> None:
        self.tp += other.tp
        self.n_pred += other.n_pred
        self.n_gold += other.n_gold

    def as_dict(self) -> dict:
        return {"tp": self.tp, "pred": self.n_pred, "gold": self.n_gold, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall, F1 from counts (0.0 where undefined)."""
    s = PRF(tp, n_pred, n_gold)
    return s.precision, s.recall, s.f1


@dataclass(frozen=True)
class Span:
    type: str
    start: int
    end: int
    text: str


def spans_match(g: Span, p: Span, lenient: bool) -> bool:
    if g.type != p.type:
        return False
    if g.start == p.start and g.end == p.end:
        return True
    if not lenient:
        return False
    if p.start < g.end and g.start < p.end:
        return True
    return entity_key(g.type, g.text) == entity_key(p.type, p.text)


def match_spans(gold: Sequence[Span], pred: Sequence[Span], lenient: bool) -> int:
    """Number of one-to-one matches (exact spans first, then lenient)."""
    used_g: set[int] = set()
    used_p: set[int] = set()
    tp = 0
    for lenient_pass in ([False, True] if lenient else [False]):
        for pi, p in enumerate(pred):
            if pi in used_p:
                continue
            for gi, g in enumerate(gold):
                if gi in used_g:
                    continue
                if spans_match(g, p, lenient_pass):
                    used_g.add(gi)
                    used_p.add(pi)
                    tp += 1
                    break
    return tp


def score_spans(gold: Sequence[Span], pred: Sequence[Span], types: Iterable[str], lenient: bool) -> dict[str, PRF]:
    out = {}
    for t in types:
        g = [x for x in gold if x.type == t]
        p = [x for x in pred if x.type == t]
        out[t] = PRF(match_spans(g, p, lenient), len(p), len(g))
    return out


@dataclass
class Entity:
    type: str
    names: tuple[str, ...]  # first = display name
    introduced: bool = False

    def keys(self) -> set[str]:
        return {entity_key(self.type, n) for n in self.names} - {""}


def match_entities(gold: Sequence[Entity], pred: Sequence[Entity]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index) of same-type entities whose key sets intersect."""
    pairs = []
    used: set[int] = set()
    pkeys = [p.keys() for p in pred]
    for gi, g in enumerate(gold):
        gk = g.keys()
        for pi, p in enumerate(pred):
            if pi in used or p.type != g.type:
                continue
            if gk & pkeys[pi]:
                pairs.append((gi, pi))
                used.add(pi)
                break
    return pairs


def entities_from_mentions(mentions: Iterable[Mention], types: Iterable[str] = ("Benchmark", "Method")) -> list[Entity]:
    """Group mentions into entities (same type and intersecting keys), in first-mention order."""
    types = set(types)
    ents: list[Entity] = []
    ekeys: list[set[str]] = []
    for m in mentions:
        if m.type not in types:
            continue
        names = (m.canonical, *m.aliases, m.text)
        ks = {entity_key(m.type, n) for n in names} - {""}
        for i, e in enumerate(ents):
            if e.type == m.type and ks & ekeys[i]:
                e.names = tuple(dict.fromkeys((*e.names, *names)))
                e.introduced = e.introduced or m.introduced
                ekeys[i] |= ks
                break
        else:
            ents.append(Entity(m.type, tuple(dict.fromkeys(names)), m.introduced))
            ekeys.append(ks)
    return ents


@dataclass(frozen=True)
class Triple:
    value: Decimal
    metric: str | None
    benchmark: str | None
    bench_names: tuple[str, ...] = ()  # predicted benchmark's aliases (to match gold written another way)


def triple_match(g: Triple, p: Triple) -> bool:
    if Decimal(g.value) != Decimal(p.value):
        return False
    if (g.metric is None) != (p.metric is None) or (g.benchmark is None) != (p.benchmark is None):
        return False
    if g.metric is not None and entity_key("Metric", g.metric) != entity_key("Metric", p.metric or ""):
        return False
    if g.benchmark is not None:
        pk = {entity_key("Benchmark", n) for n in (p.benchmark or "", *p.bench_names)}
        if entity_key("Benchmark", g.benchmark) not in pk:
            return False
    return True


def match_triple_pairs(gold: Sequence[Triple], pred: Sequence[Triple]) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs of matching triples, predictions in order."""
    used: set[int] = set()
    pairs = []
    for pi, p in enumerate(pred):
        for gi, g in enumerate(gold):
            if gi not in used and triple_match(g, p):
                used.add(gi)
                pairs.append((gi, pi))
                break
    return pairs


def match_triples(gold: Sequence[Triple], pred: Sequence[Triple]) -> int:
    return len(match_triple_pairs(gold, pred))


# ------------------------------------------------------------------------------------------ dev set


@dataclass
class DevRecord:
    id: str
    source: str
    line: int
    title: str
    abstract: str
    heldout: bool
    entities: list[Entity] = field(default_factory=list)
    results: list[dict] = field(default_factory=list)


def load_devset(path: str | Path) -> list[DevRecord]:
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        ents = [Entity(m["type"], (m["text"], *m.get("aliases", [])), bool(m["introduced"])) for m in r["mentions"]]
        out.append(DevRecord(r["id"], r["source"], r["line"], r["title"], r["abstract"], bool(r["heldout"]), ents,
                             r.get("results", [])))
    return out


def score_devset(records: Sequence[DevRecord], extractor: Callable[[str, str | None], Extraction]) -> dict:
    per_type = {"Benchmark": PRF(), "Method": PRF()}
    intro_ok = intro_n = 0
    res = PRF()
    meth = {"matched": 0, "correct": 0, "wrong": 0, "unattributed": 0}
    errors = []
    for r in records:
        ex = extractor(r.title, r.abstract)
        pred = entities_from_mentions(ex.mentions)
        for t in per_type:
            g = [e for e in r.entities if e.type == t]
            p = [e for e in pred if e.type == t]
            pairs = match_entities(g, p)
            per_type[t].add(PRF(len(pairs), len(p), len(g)))
            for gi, pi in pairs:
                intro_n += 1
                if g[gi].introduced == p[pi].introduced:
                    intro_ok += 1
                else:
                    errors.append({"id": r.id, "kind": "introduced", "type": t, "gold": g[gi].names[0],
                                   "gold_introduced": g[gi].introduced})
            mg = {gi for gi, _ in pairs}
            mp = {pi for _, pi in pairs}
            errors += [{"id": r.id, "kind": "fn", "type": t, "text": e.names[0]} for i, e in enumerate(g) if i not in mg]
            errors += [{"id": r.id, "kind": "fp", "type": t, "text": e.names[0]} for i, e in enumerate(p) if i not in mp]
        gold_t = [Triple(Decimal(str(x["value"])), x.get("metric"), x.get("benchmark")) for x in r.results]
        bench_alias = {}
        for m in ex.mentions:
            if m.type == "Benchmark":
                bench_alias.setdefault(m.canonical, set()).update((*m.aliases, m.text))
        pred_t = [Triple(x.value, x.metric, x.benchmark, tuple(sorted(bench_alias.get(x.benchmark or "", ()))))
                  for x in ex.results]
        pairs = match_triple_pairs(gold_t, pred_t)
        res.add(PRF(len(pairs), len(pred_t), len(gold_t)))
        # whose result it is: the predicted method of a matched triple against the gold method (when annotated)
        meth_alias: dict[str, set[str]] = {}
        for m in ex.mentions:
            if m.type == "Method":
                meth_alias.setdefault(m.canonical, set()).update((m.canonical, *m.aliases, m.text))
        for gi, pi in pairs:
            gm = r.results[gi].get("method")
            if not gm:
                continue
            meth["matched"] += 1
            pm = ex.results[pi].method
            if pm is None:
                meth["unattributed"] += 1
            elif entity_key("Method", gm) in {entity_key("Method", n) for n in meth_alias.get(pm, {pm})}:
                meth["correct"] += 1
            else:
                meth["wrong"] += 1
                errors.append({"id": r.id, "kind": "result-method", "value": str(ex.results[pi].value),
                               "gold_method": gm, "method": pm})
        for x in ex.results:
            t = Triple(x.value, x.metric, x.benchmark, tuple(sorted(bench_alias.get(x.benchmark or "", ()))))
            if not any(triple_match(g, t) for g in gold_t):
                errors.append({"id": r.id, "kind": "result-fp", "value": str(x.value), "metric": x.metric,
                               "benchmark": x.benchmark})
    return {
        "records": len(records),
        "Benchmark": per_type["Benchmark"].as_dict(),
        "Method": per_type["Method"].as_dict(),
        "introduced_accuracy": round(intro_ok / intro_n, 4) if intro_n else 0.0,
        "introduced_matched": intro_n,
        "results": res.as_dict(),
        "result_methods": {**meth, "precision": round(meth["correct"] / (meth["correct"] + meth["wrong"]), 4)
                           if meth["correct"] + meth["wrong"] else 0.0},
        "errors": errors,
    }


# ------------------------------------------------------------------------------------------ public gold

TDMSCI_TYPES = {"Dataset": "Benchmark", "Task": "Task", "Metric": "Metric"}
SCIREX_TYPES = {"Dataset": "Benchmark", "Method": "Method", "Task": "Task", "Metric": "Metric"}


def load_public(path: str | Path, split: str | None = None) -> list[dict]:
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            if split is None or r.get("split") == split:
                rows.append(r)
    return rows


_NAMED = re.compile(r"[0-9]|[A-Za-z][A-Z]|^[A-Z][a-z]+(?:[-'’][A-Za-z]+)?$")


def is_named(text: str) -> bool:
    """A gold mention that looks like a name: has a digit, an inner capital ("ImageNet", "CNN"), or is one
    capitalized word ("Cityscapes", "Transformer"). Title-cased descriptions ("Convolutional Neural
    Networks") and lowercase phrases ("pretrained networks") are not names."""
    t = text.strip()
    if " " in t and not re.search(r"[0-9]|[a-z][A-Z]|[A-Z]{2}", t):
        return False
    return bool(_NAMED.search(t))


def score_public(rows: Sequence[dict], extractor: Callable[[str, str | None], Extraction], type_map: dict[str, str],
                 types: Iterable[str], named_only: bool = False) -> dict:
    """Mention-level scores, exact and lenient, per type."""
    types = list(types)
    exact = {t: PRF() for t in types}
    lenient = {t: PRF() for t in types}
    for r in rows:
        text = r["text"]
        gold = [Span(type_map[e["type"]], e["start"], e["end"], e["text"]) for e in r["entities"]
                if e["type"] in type_map and (not named_only or is_named(e["text"]))]
        ex = extractor("", text)
        pred = [Span(m.type, m.start, m.end, m.text) for m in ex.mentions if m.field == "abstract"]
        for t, s in score_spans(gold, pred, types, lenient=False).items():
            exact[t].add(s)
        for t, s in score_spans(gold, pred, types, lenient=True).items():
            lenient[t].add(s)
    return {"exact": {t: v.as_dict() for t, v in exact.items()}, "lenient": {t: v.as_dict() for t, v in lenient.items()}}


def public_errors(rows: Sequence[dict], extractor: Callable[[str, str | None], Extraction], type_map: dict[str, str],
                  types: Iterable[str]) -> list[dict]:
    """Per-sentence lenient misses (gold not matched) and false positives (prediction not matched)."""
    types = list(types)
    out = []
    for r in rows:
        text = r["text"]
        gold = [Span(type_map[e["type"]], e["start"], e["end"], e["text"]) for e in r["entities"] if e["type"] in type_map]
        ex = extractor("", text)
        pred = [(Span(m.type, m.start, m.end, m.text), m.rule) for m in ex.mentions if m.field == "abstract"]
        for t in types:
            g = [x for x in gold if x.type == t]
            p = [x for x in pred if x[0].type == t]
            fn = [x.text for x in g if not any(spans_match(x, y[0], True) for y in p)]
            fp = [f"{y[0].text} ({y[1]})" for y in p if not any(spans_match(x, y[0], True) for x in g)]
            if fn or fp:
                out.append({"id": r["id"], "type": t, "missed": fn, "false_positives": fp, "text": text})
    return out


# ------------------------------------------------------------------------------------------ named sets

SET_NAMES = ("dev", "heldout", "unseen", "tdmsci", "scirex")
ENTITY_MATCHING = ("entity level per paper: a gold entity matches a predicted entity of the same type when their "
                   "name/alias keys (entity_key) intersect; result triples match on value, metric key and benchmark key")
LENIENT_MATCHING = "mention level, one-to-one; lenient = same type and overlapping spans or equal entity_key; exact = same span"


@dataclass
class EvalPaths:
    devset: Path
    unseen: Path
    public_gold: Path


def default_paths(root: str | Path | None = None) -> EvalPaths:
    """Where the annotated data lives: the repository's ``tests/data/devset`` (found from ``root``, the working
    directory or this package's checkout) and the shared ``public-gold`` folder next to the repository."""
    starts = [Path(root)] if root else [Path.cwd(), Path(__file__).resolve().parents[3]]
    for start in starts:
        for d in (start, *start.parents):
            if (d / "tests" / "data" / "devset" / "devset.jsonl").exists():
                dev = d / "tests" / "data" / "devset"
                return EvalPaths(dev / "devset.jsonl", dev / "unseen.jsonl", d.parent / "shared" / "data" / "public-gold")
    base = starts[0]
    dev = base / "tests" / "data" / "devset"
    return EvalPaths(dev / "devset.jsonl", dev / "unseen.jsonl", base.parent / "shared" / "data" / "public-gold")


def evaluate_set(name: str, extractor: Callable[[str, str | None], Extraction], paths: EvalPaths,
                 tdmsci_split: str = "test") -> dict:
    """Scores of one named set (``dev``, ``heldout``, ``unseen``, ``tdmsci``, ``scirex``) with its matching mode.

    Raises FileNotFoundError when the set's data is missing."""
    if name in ("dev", "heldout", "unseen"):
        path = paths.unseen if name == "unseen" else paths.devset
        if not Path(path).exists():
            raise FileNotFoundError(str(path))
        recs = load_devset(path)
        if name == "heldout":
            recs = [r for r in recs if r.heldout]
        s = score_devset(recs, extractor)
        s.update(set=name, kind="entity", matching=ENTITY_MATCHING, types=["Benchmark", "Method"])
        return s
    if name == "tdmsci":
        path = Path(paths.public_gold) / "tdmsci_sentences.jsonl"
        if not path.exists():
            raise FileNotFoundError(str(path))
        rows = load_public(path, split=tdmsci_split)
        s = score_public(rows, extractor, TDMSCI_TYPES, ["Benchmark", "Task", "Metric"])
        s.update(set=name, kind="mention", split=tdmsci_split, records=len(rows), matching=LENIENT_MATCHING,
                 types=["Benchmark", "Task", "Metric"], note="Dataset = Benchmark; exhaustively annotated")
        s["errors"] = public_errors(rows, extractor, TDMSCI_TYPES, ["Benchmark"])
        return s
    if name == "scirex":
        path = Path(paths.public_gold) / "scirex_abstracts.jsonl"
        if not path.exists():
            raise FileNotFoundError(str(path))
        rows = load_public(path)
        named = score_public(rows, extractor, SCIREX_TYPES, ["Benchmark", "Method"], named_only=True)
        full = score_public(rows, extractor, SCIREX_TYPES, ["Benchmark", "Method"])
        return {"set": name, "kind": "recall", "records": len(rows), "matching": LENIENT_MATCHING,
                "types": ["Benchmark", "Method"], "named": named, "all": full,
                "note": "Material/Dataset = Benchmark; salient entities only, so read recall (precision is not meaningful)"}
    raise ValueError(f"unknown set {name!r}")


def _row(label: str, d: dict) -> str:
    return (f"  {label:<30} {d['precision']:>6.3f} {d['recall']:>6.3f} {d['f1']:>6.3f} "
            f"{d['tp']:>6} {d['pred']:>6} {d['gold']:>6}")


def format_table(results: Sequence[dict], errors: bool = False) -> str:
    """A plain-text report of :func:`evaluate_set` results: P/R/F1 per type, the matching mode stated."""
    head = f"  {'type':<30} {'P':>6} {'R':>6} {'F1':>6} {'tp':>6} {'pred':>6} {'gold':>6}"
    lines: list[str] = []
    for s in results:
        if s["kind"] == "entity":
            lines.append(f"{s['set']} ({s['records']} abstracts) — matching: {s['matching']}")
            lines.append(head)
            for t in s["types"]:
                lines.append(_row(t, s[t]))
            lines.append(_row("result triples", s["results"]))
            lines.append(f"  introduced-or-used accuracy: {s['introduced_accuracy']:.3f} of {s['introduced_matched']} "
                         f"matched entities")
            rm = s["result_methods"]
            lines.append(f"  result method attribution: {rm['correct']} correct, {rm['wrong']} wrong, "
                         f"{rm['unattributed']} unattributed of {rm['matched']} matched triples "
                         f"(precision {rm['precision']:.3f})")
            if errors:
                lines.extend(f"    {e}" for e in s["errors"])
        elif s["kind"] == "mention":
            lines.append(f"{s['set']} {s['split']} ({s['records']} sentences; {s['note']}) — matching: {s['matching']}")
            lines.append(head)
            for mode in ("lenient", "exact"):
                for t in s["types"]:
                    lines.append(_row(f"{t} [{mode}]", s[mode][t]))
            if errors:
                for e in s["errors"]:
                    lines.append(f"    {e['id']} missed={e['missed']} false_positives={e['false_positives']} | "
                                 f"{e['text'][:160]}")
        else:
            lines.append(f"{s['set']} ({s['records']} abstracts; {s['note']}) — matching: {s['matching']}")
            lines.append(head)
            for label in ("named", "all"):
                for mode in ("lenient", "exact"):
                    for t in s["types"]:
                        lines.append(_row(f"{t} [{mode}, {label}]", s[label][mode][t]))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
