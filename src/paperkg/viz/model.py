"""What a view shows: which nodes and edges, chosen from the graph (pure; no HTML here).

The *view graph* is the networkx graph reduced to what a person explores — papers, authors,
organizations, categories, benchmarks, methods, tasks, metrics (and listings on request) — with one
undirected link per pair of nodes, labelled by its most telling relation (``proposes`` beats
``mentions``).

Two ways to choose nodes:

* the **overview**: the most connected nodes of every class, within ``max_nodes``; each class gets a
  share of the budget (papers and authors more), a class with fewer nodes than its share gives the rest
  back. Authors are ranked by degree, and a paper adds at most a few authors who wrote nothing else, so
  a 900-author paper cannot fill the view with its consortium.
* a **focused view**: the focus node(s) and their neighbourhood up to ``depth`` hops, nearest first;
  when a layer does not fit, the nodes tied most strongly to the view win (a link through a small
  node counts more than one through a hub such as ``cs.LG``). A paper with more than
  ``HAIRBALL_AUTHORS`` authors shows its first few authors (and those who also wrote other papers in
  reach) plus one summary node "+937 more authors".
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..errors import PaperKGError

VIEW_CLASSES = ("Paper", "Author", "Organization", "Category", "Benchmark", "Method", "Task", "Metric",
                "Listing")
DEFAULT_CLASSES = frozenset(VIEW_CLASSES) - {"Listing"}
SUMMARY_CLASS = "More"

HAIRBALL_AUTHORS = 25
"""A paper with more authors than this is summarized in focused views."""
SHOWN_AUTHORS = 8
"""How many authors (by position) a summarized paper still shows."""
OVERVIEW_SOLO_AUTHORS = 4
"""In the overview, how many authors with no other paper one paper may bring in."""
HUB_FANOUT = 40
"""In focused views, how many new neighbours one non-focus node may bring into the next layer."""
DEFAULT_MAX_NODES = 300
DEFAULT_DEPTH = 2

# The relation shown for a pair of nodes: the lowest rank wins.
_RELATION_RANK = {"proposes": 0, "evaluatesOn": 1, "usesMethod": 1, "addressesTask": 1, "usesMetric": 1,
                  "creator": 2, "affiliation": 3, "category": 4, "wasDerivedFrom": 5, "owner": 5,
                  "mentions": 9}
RELATION_LABELS = {"proposes": "proposes", "evaluatesOn": "evaluates on", "usesMethod": "uses",
                   "addressesTask": "addresses", "usesMetric": "measures", "creator": "author",
                   "affiliation": "affiliation", "category": "category", "wasDerivedFrom": "listed in",
                   "owner": "owner", "mentions": "mentions"}

# Budget shares of the overview: papers and authors are the bulk of a paper graph.
_OVERVIEW_WEIGHT = {"Paper": 3, "Author": 3}

CLASS_ALIASES = {
    "paper": "Paper", "papers": "Paper", "author": "Author", "authors": "Author", "person": "Author",
    "people": "Author", "organization": "Organization", "organizations": "Organization",
    "organisation": "Organization", "organisations": "Organization", "org": "Organization",
    "orgs": "Organization", "category": "Category", "categories": "Category", "benchmark": "Benchmark",
    "benchmarks": "Benchmark", "dataset": "Benchmark", "datasets": "Benchmark", "method": "Method",
    "methods": "Method", "model": "Method", "models": "Method", "task": "Task", "tasks": "Task",
    "metric": "Metric", "metrics": "Metric", "listing": "Listing", "listings": "Listing",
}


class ViewError(PaperKGError):
    """A view cannot be made as asked (unknown class, empty view)."""


class FocusError(ViewError):
    """``--focus`` matched no node, or several (``candidates`` lists them, best first)."""

    def __init__(self, message: str, candidates: Sequence[Match] = ()) -> None:
        super().__init__(message)
        self.candidates = list(candidates)


@dataclass(frozen=True)
class Match:
    """A node a focus name matched, and how well (lower ``level`` is better)."""

    node: str
    cls: str
    label: str
    level: int
    degree: int


@dataclass
class View:
    """The nodes and edges of one view, in drawing order."""

    title: str
    nodes: list[str]
    edges: list[tuple[str, str, str]]
    focus: list[str] = field(default_factory=list)
    summaries: dict[str, Summary] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    kind: str = "overview"


@dataclass(frozen=True)
class Summary:
    """A stand-in node for neighbours a view does not draw ("+937 more authors")."""

    id: str
    parent: str
    count: int
    cls: str

    @property
    def label(self) -> str:
        noun = _plural(self.cls, self.count).lower()
        return f"+{self.count:,} more {noun}"


_PLURALS = {"Paper": "papers", "Author": "authors", "Organization": "organizations",
            "Category": "categories", "Benchmark": "benchmarks", "Method": "methods", "Task": "tasks",
            "Metric": "metrics", "Listing": "listings", SUMMARY_CLASS: "summaries"}


def _plural(cls: str, count: int = 2) -> str:
    if count == 1:
        return {"Category": "category"}.get(cls, cls.lower())
    return _PLURALS.get(cls, cls.lower() + "s")


def normalize_name(text: str) -> str:
    """Lower case, no accents, punctuation as spaces: how focus names are compared."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).replace("_", " ").split())


class ViewGraph:
    """The explorable part of a paperkg networkx graph, with degrees and per-paper author lists."""

    def __init__(self, graph) -> None:
        self.graph = graph
        self.cls: dict[str, str] = {}
        self.adj: dict[str, dict[str, str]] = {}
        self.direction: dict[frozenset, tuple[str, str]] = {}
        for node, data in graph.nodes(data=True):
            if data.get("class") in VIEW_CLASSES:
                self.cls[node] = data["class"]
                self.adj[node] = {}
        for u, v, key in graph.edges(keys=True):
            if u not in self.cls or v not in self.cls or u == v:
                continue
            current = self.adj[u].get(v)
            if current is None or _RELATION_RANK.get(key, 8) < _RELATION_RANK.get(current, 8):
                self.adj[u][v] = self.adj[v][u] = key
                self.direction[frozenset((u, v))] = (u, v)
        self.authors: dict[str, list[str]] = {}
        for node, cls in self.cls.items():
            if cls == "Paper":
                self.authors[node] = self._ordered_authors(node)

    def _ordered_authors(self, paper: str) -> list[str]:
        rows = []
        for _u, v, key, data in self.graph.out_edges(paper, keys=True, data=True):
            if key == "creator" and self.cls.get(v) == "Author":
                rows.append((data.get("position", 10**9), self.label(v), v))
        return [v for *_rest, v in sorted(rows)]

    # Facts -----------------------------------------------------------------------------------------
    def data(self, node: str) -> dict:
        return self.graph.nodes[node]

    def label(self, node: str) -> str:
        return str(self.graph.nodes[node].get("label", node))

    def degree(self, node: str) -> int:
        return len(self.adj[node])

    def author_total(self, paper: str) -> int:
        """Authors the paper has: the listed ones, or the stated count when larger."""
        count = self.graph.nodes[paper].get("authorCount")
        listed = len(self.authors.get(paper, ()))
        return max(listed, count) if isinstance(count, int) else listed

    def nodes_of(self, classes: Iterable[str]) -> list[str]:
        wanted = set(classes)
        return [n for n, c in self.cls.items() if c in wanted]

    def edge(self, u: str, v: str) -> tuple[str, str, str]:
        src, dst = self.direction[frozenset((u, v))]
        return src, dst, self.adj[u][v]

    def restrict_year(self, year: int) -> ViewGraph:
        """A view graph of the papers issued in ``year`` and what they link to."""
        from ..graphs import paper_year

        keep = {n for n, c in self.cls.items() if c == "Paper" and paper_year(self.data(n)) == year}
        for paper in list(keep):
            keep.update(self.adj[paper])
        clone = object.__new__(ViewGraph)
        clone.graph = self.graph
        clone.cls = {n: c for n, c in self.cls.items() if n in keep}
        clone.adj = {n: {m: r for m, r in self.adj[n].items() if m in keep} for n in clone.cls}
        clone.direction = self.direction
        clone.authors = {p: [a for a in a_list if a in keep]
                         for p, a_list in self.authors.items() if p in keep}
        return clone

    # Focus names -----------------------------------------------------------------------------------
    def names(self, node: str) -> list[str]:
        data = self.graph.nodes[node]
        names = [str(data.get(k)) for k in ("label", "title", "name", "notation") if data.get(k)]
        for alt in str(data.get("altLabel", "")).split(" | "):
            if alt:
                names.append(alt)
        return list(dict.fromkeys(names))

    def find(self, query: str) -> list[Match]:
        """Nodes matching ``query``, forgivingly, best level only (several = ambiguous).

        Tried in turn, the first level with any hit wins: the IRI or its tail (``author/daiyi-peng``);
        the same name ignoring case, accents and punctuation; the same words in another order ("Peng,
        Daiyi"); the query as a run of whole words ("flan collection"); every query word as the start
        of a name word ("D Peng"); a close spelling. ``class:name`` (``method:LoRA``) restricts the
        search to one class.
        """
        query = query.strip()
        candidates = list(self.cls)
        prefix = re.match(r"^\s*([A-Za-z]+)\s*:\s*(.+)$", query)
        if prefix and prefix.group(1).lower() in CLASS_ALIASES:
            cls = CLASS_ALIASES[prefix.group(1).lower()]
            restricted = [n for n in candidates if self.cls[n] == cls]
            found = self._find(prefix.group(2), restricted)
            if found:
                return found
        return self._find(query, candidates)

    def normalized_names(self, node: str) -> list[str]:
        cache = self.__dict__.setdefault("_normalized", {})
        if node not in cache:
            cache[node] = [n for n in dict.fromkeys(normalize_name(name) for name in self.names(node)) if n]
        return cache[node]

    def _find(self, query: str, candidates: list[str]) -> list[Match]:
        q = normalize_name(query)
        if not q:
            return []
        q_tokens = q.split()
        q_sorted = sorted(q_tokens)
        hits: dict[str, int] = {}

        def hit(node: str, level: int) -> None:
            if level < hits.get(node, 99):
                hits[node] = level

        for node in candidates:
            if query == node or node.endswith("/" + query.strip("/")):
                hit(node, 0)
                continue
            for n in self.normalized_names(node):
                if n == q:
                    hit(node, 1)
                elif sorted(n.split()) == q_sorted:
                    hit(node, 2)
                elif f" {q} " in f" {n} ":
                    hit(node, 3)
                else:
                    tokens = n.split()
                    if all(any(t.startswith(qt) for t in tokens) for qt in q_tokens):
                        hit(node, 4)
        if not hits and len(q) >= 4:
            # A near spelling, only when nothing matched better (cheap bounds first).
            for node in candidates:
                for n in self.normalized_names(node):
                    matcher = difflib.SequenceMatcher(None, q, n)
                    if matcher.real_quick_ratio() >= 0.85 and matcher.quick_ratio() >= 0.85 \
                            and matcher.ratio() >= 0.85:
                        hit(node, 5)
        if not hits:
            return []
        best = min(hits.values())
        matches = [Match(n, self.cls[n], self.label(n), lvl, self.degree(n))
                   for n, lvl in hits.items() if lvl == best]
        return sorted(matches, key=lambda m: (-m.degree, m.label, m.node))

    def suggestions(self, query: str, limit: int = 5) -> list[str]:
        q = normalize_name(query)
        pool: dict[str, str] = {}
        for node in self.cls:
            for name in self.names(node)[:2]:
                pool.setdefault(normalize_name(name), name)
        close = difflib.get_close_matches(q, list(pool), n=limit, cutoff=0.6)
        return [pool[c] for c in close]


def parse_types(spec: str | Iterable[str] | None) -> set[str]:
    """``"Paper,Author"`` (only these), ``"-Category,-Organization"`` (all but), ``"+Listing"`` (more).

    Names are forgiving (``authors``, ``orgs``); an unknown one is an error listing the valid names.
    """
    if spec is None:
        return set(DEFAULT_CLASSES)
    tokens = [t.strip() for t in (spec.split(",") if isinstance(spec, str) else
                                  [x for item in spec for x in str(item).split(",")]) if t.strip()]
    if not tokens:
        return set(DEFAULT_CLASSES)
    include, add, remove = set(), set(), set()
    for token in tokens:
        sign = token[0] if token[0] in "+-" else ""
        name = token[1:].strip() if sign else token
        cls = CLASS_ALIASES.get(name.lower()) or next(
            (c for c in VIEW_CLASSES if c.lower() == name.lower()), None)
        if cls is None:
            raise ViewError(f"unknown class {name!r} in --types; choose from: {', '.join(VIEW_CLASSES)} "
                            "(prefix - to leave one out, + to add one)")
        {"": include, "+": add, "-": remove}[sign].add(cls)
    chosen = include if include else set(DEFAULT_CLASSES)
    chosen = (chosen | add) - remove
    if not chosen:
        raise ViewError("--types leaves no class to show")
    return chosen


def resolve_focus(vg: ViewGraph, names: str | Sequence[str]) -> list[str]:
    """Focus names → nodes; ``FocusError`` when one matches nothing or several nodes."""
    if isinstance(names, str):
        names = [names]
    nodes: list[str] = []
    for name in names:
        matches = vg.find(name)
        if not matches:
            hint = vg.suggestions(name)
            message = f"no paper, author, organization, benchmark or method matches {name!r}"
            if hint:
                message += "; did you mean: " + "; ".join(repr(h) for h in hint) + "?"
            raise FocusError(message)
        if len(matches) > 1:
            shown = matches[:15]
            width = min(70, max(len(m.label) for m in shown))
            lines = [f"  {m.cls:<12} {_clip(m.label, width):<{width}}  {_tail(m.node)}" for m in shown]
            if len(matches) > len(shown):
                lines.append(f"  ... and {len(matches) - len(shown)} more")
            raise FocusError(
                f"{name!r} matches {len(matches)} nodes; give one of these names or its IRI tail, or "
                "prefix a class (author:NAME, method:NAME):\n" + "\n".join(lines), matches)
        nodes.append(matches[0].node)
    return list(dict.fromkeys(nodes))


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _tail(iri: str) -> str:
    parts = iri.rstrip("/").split("/")
    return "/".join(parts[-2:])


# ---------------------------------------------------------------------------------------------------
# Overview
# ---------------------------------------------------------------------------------------------------

def _quotas(sizes: dict[str, int], budget: int) -> dict[str, int]:
    """Water-filling: each class a weighted share; what a small class cannot use goes to the others."""
    quotas = {c: 0 for c in sizes}
    open_classes = {c for c, n in sizes.items() if n > 0}
    while budget > 0 and open_classes:
        total_weight = sum(_OVERVIEW_WEIGHT.get(c, 1) for c in open_classes)
        spent = 0
        for cls in sorted(open_classes):
            share = max(1, int(budget * _OVERVIEW_WEIGHT.get(cls, 1) / total_weight))
            take = min(share, sizes[cls] - quotas[cls], budget - spent)
            quotas[cls] += take
            spent += take
        budget -= spent
        open_classes = {c for c in open_classes if quotas[c] < sizes[c]}
        if spent == 0:
            break
    return quotas


def _hub_weight(vg: ViewGraph, node: str) -> float:
    """How much a link through ``node`` says: much through a small node, little through a hub."""
    return 1.0 / math.log2(2 + vg.degree(node))


def overview(vg: ViewGraph, classes: set[str], max_nodes: int = DEFAULT_MAX_NODES) -> View:
    shown_classes = [c for c in VIEW_CLASSES if c in classes]
    sizes = {c: len(vg.nodes_of([c])) for c in shown_classes}
    quotas = _quotas(sizes, max_nodes)
    chosen: list[str] = []
    chosen_set: set[str] = set()
    solo_per_paper: Counter = Counter()

    def rank(n: str):
        return (-vg.degree(n), vg.label(n), n)

    for cls in shown_classes:
        if cls == "Paper":
            continue
        picked = 0
        for node in sorted(vg.nodes_of([cls]), key=rank):
            if picked >= quotas[cls]:
                break
            if cls == "Author":
                papers = [p for p in vg.adj[node] if vg.cls[p] == "Paper"]
                if len(papers) <= 1:
                    # An author of one paper only: at most a few per paper.
                    if papers and solo_per_paper[papers[0]] >= OVERVIEW_SOLO_AUTHORS:
                        continue
                    if papers:
                        solo_per_paper[papers[0]] += 1
            chosen.append(node)
            chosen_set.add(node)
            picked += 1

    if "Paper" in classes:
        scores = {}
        for paper in vg.nodes_of(["Paper"]):
            tie = sum(_hub_weight(vg, n) for n in vg.adj[paper] if n in chosen_set)
            scores[paper] = (-tie, -min(vg.degree(paper), HAIRBALL_AUTHORS), vg.label(paper), paper)
        papers = sorted(scores, key=scores.get)[: quotas.get("Paper", 0)]
        chosen = papers + chosen
        chosen_set.update(papers)

    edges = _induced_edges(vg, chosen, chosen_set)
    if "Paper" not in classes:
        edges += _projected_edges(vg, chosen_set, vg.nodes_of(["Paper"]))
    # A node with no link in the view says nothing: drop it (unless that empties the view).
    linked = {u for u, v, _r in edges} | {v for u, v, _r in edges}
    if linked:
        chosen = [n for n in chosen if n in linked]
    total = len(vg.cls) if classes >= set(vg.cls.values()) else len(vg.nodes_of(classes))
    view = View(title="Overview", nodes=chosen, edges=edges, kind="overview")
    if total > len(chosen):
        view.notes.append(f"the {len(chosen):,} most connected of {total:,} nodes")
    return view


def _induced_edges(vg: ViewGraph, nodes: Sequence[str], node_set: set[str]) -> list[tuple[str, str, str]]:
    edges = []
    for u in nodes:
        for v in vg.adj[u]:
            if v in node_set and u < v:
                edges.append(vg.edge(u, v))
    return sorted(edges)


def _projected_edges(vg: ViewGraph, shown: set[str], papers: Iterable[str]) -> list[tuple[str, str, str]]:
    """With papers hidden, link what shares a paper ("co-author" between two authors)."""
    weight: Counter = Counter()
    for paper in papers:
        members = sorted(n for n in vg.adj.get(paper, ()) if n in shown)
        if len(members) > HAIRBALL_AUTHORS:
            continue
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                weight[(a, b)] += 1
    edges = []
    for (a, b), count in sorted(weight.items()):
        both_authors = vg.cls[a] == vg.cls[b] == "Author"
        label = "co-author" if both_authors else "shares a paper"
        edges.append((a, b, label if count == 1 else f"{label} ×{count}"))
    return edges


# ---------------------------------------------------------------------------------------------------
# Focused views
# ---------------------------------------------------------------------------------------------------

def focused(vg: ViewGraph, focus: Sequence[str], depth: int = DEFAULT_DEPTH, classes: set[str] | None = None,
            max_nodes: int = DEFAULT_MAX_NODES) -> View:
    classes = set(classes or DEFAULT_CLASSES)
    focus = list(dict.fromkeys(focus))
    shown = classes | {vg.cls[f] for f in focus}
    # Papers hold the graph together: traversed even when not drawn.
    traversable = shown | {"Paper"}
    hidden_papers = "Paper" not in shown

    def visible(node: str) -> bool:
        return vg.cls[node] in shown and (vg.cls[node] != "Paper" or not hidden_papers or node in focus)

    included: dict[str, int] = {f: 0 for f in focus}
    frontier = list(focus)
    capped: dict[str, int] = {}  # summarized paper → authors it keeps hidden
    in_reach: set[str] = {f for f in focus if visible(f)}
    for layer in range(1, max(0, depth) + 1):
        scores: dict[str, float] = defaultdict(float)
        for u in frontier:
            new = [v for v in vg.adj[u] if v not in included and vg.cls[v] in traversable]
            if vg.cls[u] == "Paper" and vg.author_total(u) > HAIRBALL_AUTHORS:
                new = _trim_authors(vg, u, new, included)
                capped[u] = vg.author_total(u)
            elif u not in focus and len(new) > HUB_FANOUT:
                new = sorted(new, key=lambda v: (-vg.degree(v), vg.label(v), v))[:HUB_FANOUT]
            w = _hub_weight(vg, u)
            for v in new:
                scores[v] += w
        if not scores:
            break
        room = max_nodes - sum(1 for n in included if visible(n))
        ranked = sorted(scores, key=lambda v: (-scores[v], -vg.degree(v), vg.label(v), v))
        in_reach.update(v for v in ranked if visible(v))
        frontier = []
        for v in ranked:
            if visible(v):
                if room <= 0:
                    continue
                room -= 1
            elif layer == depth:
                continue  # a hidden paper at the last layer would link nothing
            included[v] = layer
            frontier.append(v)

    ordered = sorted(included, key=lambda n: (included[n], vg.cls[n], vg.label(n), n))
    nodes = [n for n in ordered if visible(n)]
    node_set = set(nodes)
    edges = _induced_edges(vg, nodes, node_set)
    if hidden_papers:
        edges += _projected_edges(vg, node_set, [n for n in included if vg.cls[n] == "Paper"])

    summaries: dict[str, Summary] = {}
    for paper, total in capped.items():
        if paper not in node_set:
            continue
        hidden = total - sum(1 for a in vg.authors.get(paper, ()) if a in node_set)
        if hidden > 0:
            summary = Summary(id=f"{paper}#more-authors", parent=paper, count=hidden, cls="Author")
            summaries[summary.id] = summary
    for f in focus:
        if vg.cls[f] == "Paper" and f in capped:
            continue
        missing = Counter(vg.cls[v] for v in vg.adj[f] if v not in node_set and vg.cls[v] in shown)
        for cls, count in sorted(missing.items()):
            summary = Summary(id=f"{f}#more-{cls.lower()}", parent=f, count=count, cls=cls)
            summaries[summary.id] = summary
    for summary in summaries.values():
        edges.append((summary.parent, summary.id, "more"))

    names = ", ".join(vg.label(f) for f in focus[:3]) + (" …" if len(focus) > 3 else "")
    view = View(title=names, nodes=nodes + list(summaries), edges=edges, focus=focus, summaries=summaries,
                kind="focus")
    if len(in_reach) > len(nodes):
        view.notes.append(f"the {len(nodes):,} most closely linked of {len(in_reach):,} "
                          f"nodes within {depth} hops")
    return view


def _trim_authors(vg: ViewGraph, paper: str, new: list[str], included: dict[str, int]) -> list[str]:
    """The authors a summarized paper still brings in: its first few, and those with other papers."""
    new_set = set(new)
    authors = vg.authors.get(paper, [])
    keep = [a for a in authors[:SHOWN_AUTHORS] if a in new_set]
    others = sorted((a for a in authors[SHOWN_AUTHORS:] if a in new_set and vg.degree(a) > 1),
                    key=lambda a: (-vg.degree(a), vg.label(a), a))[:SHOWN_AUTHORS]
    non_authors = [v for v in new if vg.cls[v] != "Author"]
    return keep + others + non_authors


def select_view(vg: ViewGraph, focus: str | Sequence[str] | None = None, depth: int = DEFAULT_DEPTH,
                types: str | Iterable[str] | None = None, max_nodes: int = DEFAULT_MAX_NODES) -> View:
    """The overview (no focus) or a focused view of a view graph."""
    if max_nodes < 1:
        raise ViewError("--max-nodes must be at least 1")
    if depth < 0:
        raise ViewError("--depth must be 0 or more")
    classes = parse_types(types)
    if focus:
        nodes = resolve_focus(vg, focus)
        view = focused(vg, nodes, depth=depth, classes=classes, max_nodes=max_nodes)
    else:
        view = overview(vg, classes, max_nodes=max_nodes)
    if not view.nodes:
        raise ViewError("the view is empty: the graph has no " +
                        ", ".join(_plural(c) for c in sorted(classes)) + " to show")
    return view
