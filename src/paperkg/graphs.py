"""The graph as a networkx graph: conversion, co-authorship analysis, statistics, GraphML and GEXF.

Pure/IO pairs: :func:`to_networkx` turns triples into a ``networkx.MultiDiGraph``;
:func:`load_networkx` does the same for a build folder. :func:`graph_stats` computes the analyses
behind ``paperkg stats`` from a graph; :func:`load_stats` from a build folder.

The networkx graph keeps what a person looks at, not the RDF plumbing:

* one node per paper, author, organization, category, benchmark, method, task, metric, result and
  listing, keyed by IRI, with ``class`` (the pkg class name), ``label`` (title or name) and ``iri``;
  literal properties become node attributes named after the property (``title``, ``issued``,
  ``upvotes``, ...; several values are joined with `` | ``);
* one edge per triple between two such nodes, keyed and labelled by the property (``creator``,
  ``evaluatesOn``, ...). ``pkg:Authorship`` nodes are folded into the ``creator`` edge they describe
  (``position``, ``nameAsWritten``) and ``pkg:SourceRecord`` nodes are left out.

networkx is imported inside functions so that importing this module (done by ``paperkg export`` to
register the writers) costs nothing.
"""

from __future__ import annotations

import io
import math
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, BinaryIO

from .export import GraphWriter, register_writer

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

PKG_NS = "https://w3id.org/paperkg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"

NODE_CLASSES = ("Paper", "Author", "Organization", "Category", "Benchmark", "Method", "Task", "Metric",
                "Result", "Listing")
"""Classes that become networkx nodes, in order of precedence when a node has several."""

FOLDED_CLASSES = ("Authorship", "SourceRecord")
"""Classes folded into edges (Authorship) or left out (SourceRecord) of the networkx graph."""

ENTITY_RELATIONS = ("proposes", "usesMethod", "evaluatesOn", "addressesTask", "usesMetric", "mentions")
"""Paper → named-entity relations: a paper is counted for an entity through any of them."""

DEFAULT_MAX_AUTHORS = 50
"""Papers with more listed authors add no co-authorship edges (a 900-author paper is one collaboration
of a consortium, not 400,000 pairs of colleagues); they are counted in the statistics."""

# Label precedence per class: the property that names a node.
_LABEL_KEYS = ("title", "name", "label", "notation", "fileName")


def local_name(iri: str) -> str:
    """``https://w3id.org/paperkg/ontology#evaluatesOn`` → ``evaluatesOn``."""
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def _literal_value(term) -> Any:
    datatype = term.datatype.value if getattr(term, "datatype", None) is not None else ""
    value = term.value
    if datatype == XSD_NS + "integer":
        try:
            return int(value)
        except ValueError:
            return value
    if datatype == XSD_NS + "boolean":
        return value in ("true", "1")
    if datatype in (XSD_NS + "decimal", XSD_NS + "double", XSD_NS + "float"):
        try:
            return float(value)
        except ValueError:
            return value
    return value


def _is_literal(term) -> bool:
    import pyoxigraph

    return isinstance(term, pyoxigraph.Literal)


def to_networkx(triples: Iterable) -> nx.MultiDiGraph:
    """A ``networkx.MultiDiGraph`` of the triples (pure; see the module docstring for its shape)."""
    import networkx as nx

    triples = list(triples)
    classes: dict[str, set[str]] = defaultdict(set)
    for s, p, o in triples:
        if p.value == RDF_TYPE and o.value.startswith(PKG_NS):
            classes[s.value].add(o.value[len(PKG_NS):])

    node_class: dict[str, str] = {}
    for subject, names in classes.items():
        for name in NODE_CLASSES:
            if name in names:
                node_class[subject] = name
                break

    literals: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    links: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    edges: list[tuple[str, str, str, str]] = []
    authorship: dict[str, dict[str, Any]] = defaultdict(dict)
    for s, p, o in triples:
        subject, predicate = s.value, p.value
        if predicate == RDF_TYPE:
            continue
        name = local_name(predicate)
        if "Authorship" in classes.get(subject, ()):
            if name == "author":
                authorship[subject]["agent"] = o.value
            elif _is_literal(o):
                authorship[subject][name] = _literal_value(o)
            continue
        if subject not in node_class:
            continue
        if _is_literal(o):
            literals[subject][name].append(_literal_value(o))
        elif o.value in node_class:
            edges.append((subject, o.value, name, predicate))
        elif "Authorship" in classes.get(o.value, ()):
            authorship[o.value]["paper"] = subject
        elif not classes.get(o.value):
            links[subject][name].append(o.value)  # an IRI that is not a node: a URL

    graph = nx.MultiDiGraph(name="paperkg")
    for node in sorted(node_class):
        attrs: dict[str, Any] = {"class": node_class[node], "iri": node}
        for name, values in sorted(literals[node].items()):
            values = sorted(set(values), key=str)
            attrs[name] = values[0] if len(values) == 1 else " | ".join(str(v) for v in values)
        for name, values in sorted(links[node].items()):
            attrs[name] = " | ".join(sorted(set(values)))
        attrs["label"] = next((str(attrs[k]) for k in _LABEL_KEYS if k in attrs), local_name(node))
        graph.add_node(node, **attrs)

    places: dict[tuple[str, str], dict[str, Any]] = {}
    for info in authorship.values():
        if "paper" in info and "agent" in info and info["agent"] in node_class:
            key = (info["paper"], info["agent"])
            # An agent written twice on one paper keeps the first place.
            if key not in places or info.get("position", 10**9) < places[key].get("position", 10**9):
                places[key] = info
    creator_iri = "http://purl.org/dc/terms/creator"
    for s, o, name, predicate in sorted(set(edges)):
        attrs = {"relation": name, "label": name, "predicate": predicate}
        if name == "creator" and (s, o) in places:
            info = places.pop((s, o))
            attrs.update({k: info[k] for k in ("position", "nameAsWritten") if k in info})
        graph.add_edge(s, o, key=name, **attrs)
    for (paper, agent), info in sorted(places.items()):  # authorships without a creator triple
        if paper in node_class:
            attrs = {"relation": "creator", "label": "creator", "predicate": creator_iri}
            attrs.update({k: info[k] for k in ("position", "nameAsWritten") if k in info})
            graph.add_edge(paper, agent, key="creator", **attrs)
    return graph


def load_networkx(directory: str | os.PathLike = "output") -> nx.MultiDiGraph:
    """The graph of a build folder as a ``networkx.MultiDiGraph``."""
    from .api import store_triples

    return to_networkx(store_triples(directory))


# ---------------------------------------------------------------------------------------------------
# Co-authorship network and statistics
# ---------------------------------------------------------------------------------------------------

def papers_of(graph: nx.MultiDiGraph, node: str, relations: Iterable[str] | None = None) -> set[str]:
    """Papers linked to ``node`` (in either direction), through ``relations`` when given."""
    wanted = set(relations) if relations is not None else None
    found = set()
    for u, _v, key in graph.in_edges(node, keys=True):
        if graph.nodes[u].get("class") == "Paper" and (wanted is None or key in wanted):
            found.add(u)
    return found


def paper_authors(graph: nx.MultiDiGraph, paper: str) -> list[str]:
    """Authors (people) of ``paper`` in author-list order (unplaced ones last, by name)."""
    authors = []
    for _u, v, key, data in graph.out_edges(paper, keys=True, data=True):
        if key == "creator" and graph.nodes[v].get("class") == "Author":
            authors.append((data.get("position", 10**9), graph.nodes[v].get("label", v), v))
    return [v for _pos, _label, v in sorted(authors)]


def coauthor_graph(graph: nx.MultiDiGraph, max_authors: int = DEFAULT_MAX_AUTHORS) -> nx.Graph:
    """Authors linked when they share a paper; edge ``weight`` = shared papers (pure).

    Every author is a node (``label``, ``papers``). Papers with more than ``max_authors`` authors add
    no edges; the graph attribute ``skipped_papers`` lists them.
    """
    import networkx as nx

    coauthors = nx.Graph(name="co-authorship")
    skipped: list[str] = []
    skipped_set: set[str] = set()
    for node, data in graph.nodes(data=True):
        if data.get("class") == "Author":
            coauthors.add_node(node, label=data.get("label", node), papers=0)
    for paper, data in sorted(graph.nodes(data=True)):
        if data.get("class") != "Paper":
            continue
        authors = paper_authors(graph, paper)
        for author in authors:
            coauthors.nodes[author]["papers"] += 1
        if len(authors) > max_authors:
            skipped.append(paper)
            skipped_set.add(paper)
            continue
        for i, a in enumerate(authors):
            for b in authors[i + 1:]:
                if coauthors.has_edge(a, b):
                    coauthors[a][b]["weight"] += 1
                else:
                    coauthors.add_edge(a, b, weight=1)
    coauthors.graph["skipped_papers"] = skipped
    coauthors.graph["only_on_skipped"] = sum(
        1 for a in coauthors if coauthors.degree(a) == 0 and coauthors.nodes[a]["papers"] > 0
        and all(p in skipped_set for p in papers_of(graph, a, ("creator",))))
    coauthors.graph["max_authors"] = max_authors
    return coauthors


def _ranked(items: dict[str, float], top: int, graph, extra=None) -> list[dict]:
    ordered = sorted(items.items(), key=lambda kv: (-kv[1], graph.nodes[kv[0]].get("label", kv[0]), kv[0]))
    rows = []
    for node, value in ordered[:top]:
        row = {"iri": node, "label": graph.nodes[node].get("label", node),
               "value": round(value, 6) if isinstance(value, float) else value}
        if extra:
            row.update(extra(node))
        rows.append(row)
    return rows


def communities(coauthors: nx.Graph, seed: int = 42, min_size: int = 3) -> list[set[str]]:
    """Louvain communities of the co-authorship graph (deterministic for a seed), largest first."""
    import networkx as nx

    if coauthors.number_of_edges() == 0:
        return []
    found = nx.community.louvain_communities(coauthors, weight="weight", seed=seed)
    found = [c for c in found if len(c) >= min_size]
    return sorted(found, key=lambda c: (-len(c), min(c)))


def graph_stats(graph: nx.MultiDiGraph, top: int = 10, max_authors: int = DEFAULT_MAX_AUTHORS,
                seed: int = 42) -> dict:
    """Counts, rankings and co-authorship analysis of a paperkg networkx graph (pure; JSON-ready)."""

    class_counts = Counter(data.get("class") for _n, data in graph.nodes(data=True))
    counts = {name: class_counts.get(name, 0) for name in NODE_CLASSES}
    counts["edges"] = graph.number_of_edges()

    def by_papers(cls: str, relations) -> dict[str, int]:
        return {n: len(papers_of(graph, n, relations)) for n, d in graph.nodes(data=True)
                if d.get("class") == cls}

    rankings = {
        "authors": _ranked(by_papers("Author", ("creator",)), top, graph),
        "organizations": _ranked(by_papers("Organization", ("affiliation", "creator")), top, graph),
        "benchmarks": _ranked(by_papers("Benchmark", ENTITY_RELATIONS), top, graph),
        "methods": _ranked(by_papers("Method", ENTITY_RELATIONS), top, graph),
        "tasks": _ranked(by_papers("Task", ENTITY_RELATIONS), top, graph),
        "categories": _ranked(by_papers("Category", ("category",)), top, graph),
    }
    for rows in rankings.values():
        for row in rows:
            row["papers"] = row.pop("value")
    rankings = {k: [r for r in rows if r["papers"] > 0] for k, rows in rankings.items()}

    years = Counter()
    for _n, data in graph.nodes(data=True):
        if data.get("class") == "Paper":
            year = paper_year(data)
            years[year if year is not None else "unknown"] += 1
    per_year = [{"year": y, "papers": years[y]}
                for y in sorted(years, key=lambda y: (y == "unknown", str(y)))]

    coauthors = coauthor_graph(graph, max_authors=max_authors)
    return {"counts": counts, "rankings": rankings, "papers_per_year": per_year,
            "coauthorship": coauthorship_stats(coauthors, top=top, seed=seed, graph=graph)}


def paper_year(data: dict) -> int | None:
    """The year a paper was issued, when its date has one (``xsd:gMonthDay`` has none)."""
    issued = str(data.get("issued", ""))
    match = re.match(r"^(\d{4})(?:-|$)", issued)
    return int(match.group(1)) if match else None


def coauthorship_stats(coauthors: nx.Graph, top: int = 10, seed: int = 42, graph=None,
                       exact_limit: int = 4000) -> dict:
    """Components, centralities and communities of a co-authorship graph (pure)."""
    import networkx as nx

    nodes, edges = coauthors.number_of_nodes(), coauthors.number_of_edges()
    result: dict[str, Any] = {
        "authors": nodes, "links": edges,
        "density": round(nx.density(coauthors), 6) if nodes > 1 else 0.0,
        "max_authors": coauthors.graph.get("max_authors"),
        "papers_left_out": len(coauthors.graph.get("skipped_papers", [])),
        "authors_only_on_papers_left_out": coauthors.graph.get("only_on_skipped", 0),
    }
    components = sorted(nx.connected_components(coauthors), key=lambda c: (-len(c), min(c))) if nodes else []
    largest = components[0] if components else set()
    result["components"] = {
        "count": len(components),
        "isolated_authors": sum(1 for c in components if len(c) == 1),
        "largest": {"authors": len(largest),
                    "links": coauthors.subgraph(largest).number_of_edges() if largest else 0,
                    "share_of_authors": round(len(largest) / nodes, 4) if nodes else 0.0},
        "sizes": [len(c) for c in components[:top]],
    }
    if edges == 0:
        result.update(degree_centrality=[], betweenness_centrality=[], communities=[], modularity=None,
                      betweenness_sampled=False)
        return result

    def info(node):
        return {"coauthors": coauthors.degree(node), "papers": coauthors.nodes[node].get("papers", 0)}

    degree = nx.degree_centrality(coauthors)
    result["degree_centrality"] = _ranked(degree, top, coauthors, info)
    # Exact betweenness is O(n·m); past a few thousand authors a seeded sample of sources is used.
    sampled = nodes > exact_limit
    betweenness = nx.betweenness_centrality(coauthors, k=min(nodes, 500) if sampled else None, seed=seed)
    positive = {n: b for n, b in betweenness.items() if b > 0}
    result["betweenness_centrality"] = _ranked(positive, top, coauthors, info)
    result["betweenness_sampled"] = sampled

    found = communities(coauthors, seed=seed)
    all_found = nx.community.louvain_communities(coauthors, weight="weight", seed=seed)
    result["modularity"] = round(nx.community.modularity(coauthors, all_found, weight="weight"), 4)
    rows = []
    for index, members in enumerate(found[:top], 1):
        ranked = sorted(members, key=lambda n: (-coauthors.degree(n), coauthors.nodes[n]["label"], n))
        row = {"id": index, "authors": len(members),
               "top_authors": [{"iri": n, "label": coauthors.nodes[n]["label"]} for n in ranked[:5]]}
        if graph is not None:
            row.update(_community_context(graph, members))
        rows.append(row)
    result["communities"] = rows
    return result


def _community_context(graph: nx.MultiDiGraph, members: set[str]) -> dict:
    """Papers written by a community and the categories and organizations they are most in."""
    papers = set()
    for author in members:
        papers |= papers_of(graph, author, ("creator",))
    categories: Counter = Counter()
    orgs: Counter = Counter()
    for paper in papers:
        for _u, v, key in graph.out_edges(paper, keys=True):
            cls = graph.nodes[v].get("class")
            if cls == "Category":
                categories[graph.nodes[v].get("notation") or graph.nodes[v]["label"]] += 1
            elif cls == "Organization" and key in ("affiliation", "creator"):
                orgs[graph.nodes[v]["label"]] += 1
    return {"papers": len(papers),
            "top_categories": _most_common(categories, 3), "top_organizations": _most_common(orgs, 3)}


def _most_common(counter: Counter, n: int) -> list[str]:
    return [name for name, _c in sorted(counter.items(), key=lambda x: (-x[1], x[0]))[:n]]


def load_stats(directory: str | os.PathLike = "output", **kwargs) -> dict:
    """:func:`graph_stats` of a build folder."""
    return graph_stats(load_networkx(directory), **kwargs)


def stats_table(stats: dict) -> str:
    """``graph_stats`` output as readable plain-text tables."""
    lines: list[str] = []

    def table(title: str, headers: list[str], rows: list[list], note: str = "") -> None:
        lines.append(title + (f"  ({note})" if note else ""))
        if not rows:
            lines.extend(["  (none)", ""])
            return
        cells = [[str(c) for c in row] for row in rows]
        widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
        widths[0] = min(widths[0], 60)

        numeric = [i > 0 and all(re.fullmatch(r"[-+]?[\d.,]+%?|-", r[i]) for r in cells)
                   for i in range(len(headers))]

        def fmt(row):
            out = []
            for i, cell in enumerate(row):
                cell = cell if len(cell) <= widths[i] else cell[: widths[i] - 1] + "…"
                out.append(cell.rjust(widths[i]) if numeric[i] else cell.ljust(widths[i]))
            return "  " + "  ".join(out).rstrip()

        lines.append(fmt(headers))
        lines.append("  " + "  ".join("-" * w for w in widths))
        lines.extend(fmt(row) for row in cells)
        lines.append("")

    counts = stats["counts"]
    table("Nodes per class", ["class", "nodes"], [[k, v] for k, v in counts.items() if k != "edges"],
          f"{counts['edges']} edges")
    titles = {"authors": "Top authors", "organizations": "Top organizations", "benchmarks": "Top benchmarks",
              "methods": "Top methods", "tasks": "Top tasks", "categories": "Top categories"}
    for key, title in titles.items():
        table(f"{title} by papers", ["name", "papers"],
              [[r["label"], r["papers"]] for r in stats["rankings"].get(key, [])])
    table("Papers per year", ["year", "papers"], [[r["year"], r["papers"]] for r in stats["papers_per_year"]])

    co = stats["coauthorship"]
    comp = co["components"]
    note = f"papers with more than {co['max_authors']} authors left out: {co['papers_left_out']}"
    table("Co-authorship network", ["measure", "value"], [
        ["authors", co["authors"]], ["co-author links", co["links"]], ["density", co["density"]],
        ["components", comp["count"]], ["isolated authors", comp["isolated_authors"]],
        ["  of them only on papers left out", co.get("authors_only_on_papers_left_out", 0)],
        ["largest component: authors", comp["largest"]["authors"]],
        ["largest component: links", comp["largest"]["links"]],
        ["largest component: share of authors", f"{comp['largest']['share_of_authors']:.1%}"],
        ["modularity of communities", co.get("modularity") if co.get("modularity") is not None else "-"],
    ], note)
    table("Degree centrality (top)", ["author", "centrality", "co-authors", "papers"],
          [[r["label"], f"{r['value']:.4f}", r["coauthors"], r["papers"]] for r in co["degree_centrality"]])
    table("Betweenness centrality (top)", ["author", "centrality", "co-authors", "papers"],
          [[r["label"], f"{r['value']:.4f}", r["coauthors"], r["papers"]]
           for r in co["betweenness_centrality"]],
          "sampled: 500 sources" if co.get("betweenness_sampled") else "")
    table("Co-authorship communities (Louvain)", ["#", "authors", "papers", "top authors", "categories"],
          [[c["id"], c["authors"], c.get("papers", ""), ", ".join(a["label"] for a in c["top_authors"][:3]),
            ", ".join(c.get("top_categories", []))] for c in co["communities"]])
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------------------------------------------
# GraphML and GEXF writers (registered in paperkg.export at import)
# ---------------------------------------------------------------------------------------------------

def _export_graph(triples: list) -> nx.MultiDiGraph:
    """The networkx graph with attribute values GraphML/GEXF accept (no None, one type per key)."""
    graph = to_networkx(triples)
    types: dict[tuple[str, str], set[type]] = defaultdict(set)
    for _n, data in graph.nodes(data=True):
        for key, value in data.items():
            types[("node", key)].add(type(value))
    for _u, _v, data in graph.edges(data=True):
        for key, value in data.items():
            types[("edge", key)].add(type(value))
    mixed = {k for k, t in types.items() if len(t) > 1}
    if mixed:
        for _n, data in graph.nodes(data=True):
            for key in list(data):
                if ("node", key) in mixed:
                    data[key] = str(data[key])
        for _u, _v, data in graph.edges(data=True):
            for key in list(data):
                if ("edge", key) in mixed:
                    data[key] = str(data[key])
    return graph


def write_graphml(triples: list, out: BinaryIO, prefixes: dict[str, str] | None = None) -> None:
    """GraphML (networkx, Gephi, yEd, Cytoscape): classes and labels as node attributes."""
    import networkx as nx

    nx.write_graphml(_export_graph(triples), out, encoding="utf-8", prettyprint=True)


def write_gexf(triples: list, out: BinaryIO, prefixes: dict[str, str] | None = None) -> None:
    """GEXF 1.2 (Gephi): node labels, classes as attributes, edges labelled by relation."""
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_gexf(_export_graph(triples), buffer, encoding="utf-8", prettyprint=True, version="1.2draft")
    data = buffer.getvalue()
    # The writer stamps today's date and its own version: drop them so the same graph gives the same bytes.
    data = re.sub(rb' lastmodifieddate="[^"]*"', b"", data, count=1)
    data = re.sub(rb"<creator>[^<]*</creator>", b"<creator>paperkg</creator>", data, count=1)
    out.write(data)


register_writer(GraphWriter("graphml", "graphml", "application/graphml+xml",
                            "GraphML for networkx/Gephi (classes, labels as attributes)", write_graphml))
register_writer(GraphWriter("gexf", "gexf", "application/gexf+xml",
                            "GEXF 1.2 for Gephi (classes, labels as attributes)", write_gexf))


def degree_size(degree: int, low: float = 8, high: float = 34) -> float:
    """A node size that grows with the log of its degree (for views)."""
    return round(min(high, low + 3.5 * math.log2(1 + max(0, degree))), 1)
