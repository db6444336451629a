"""SPARQL over the store: ad-hoc queries, the query library, typed parameters and result formats.

::

    from paperkg import query
    result = query("leaderboard", "output", params={"benchmark": "ImageNet"})
    for row in result.rows:              # dicts of Python values (int, Decimal, date, str, IRI)
        print(row["method_name"], row["value"])

A query is SPARQL text, a ``.rq`` file, or the name of a library query (``ontology/queries/*.rq``,
shipped as package data). The prefixes of :data:`paperkg.namespaces.PREFIXES` are predeclared.

Parameters never become query text: each value is turned into a typed RDF term (a literal of the
declared datatype, or an IRI; a ``label`` or ``title`` parameter into the nodes with that name, found
by a look-up query that binds the name the same way) and the terms enter the query as a ``VALUES``
block that Oxigraph serializes itself, placed at the start of the ``WHERE`` group (or at each
``# @params`` line) so that filters see the bindings. (Oxigraph's own ``substitutions`` bind after
filters have run, so ``FILTER(?x = ?param)`` would not see the value; and matching names inside the
main query with ``FILTER(LCASE(...) = ...)`` made Oxigraph plan joins before the filter, seconds
instead of milliseconds.)

With ``timeout`` the query runs in a child process that is killed when time is up: Oxigraph runs a
query in Rust without a way to interrupt it from Python.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import json
import multiprocessing
import os
import re
import sys
import threading
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import Any

from .errors import FormatError, PaperKGError, QueryError, StoreError
from .namespaces import PREFIXES

__all__ = [
    "IRI", "LIBRARY_PARAM_TYPES", "RESULT_FORMATS", "LibraryQuery", "PreparedQuery", "QueryParam",
    "QueryResult", "format_result", "library", "prepare", "query", "run_prepared",
]

XSD = "http://www.w3.org/2001/XMLSchema#"
LIBRARY_PACKAGE_DIR = ("data", "queries")


# ---------------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------------

class IRI(str):
    """An IRI in a result row: a ``str`` that says it is an IRI rather than a string literal."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"IRI({str.__repr__(self)})"


@dataclass
class QueryResult:
    """The answer to one query.

    ``kind`` is ``"solutions"`` (SELECT), ``"boolean"`` (ASK) or ``"graph"`` (CONSTRUCT, DESCRIBE).
    ``variables`` and ``bindings`` (one tuple of pyoxigraph terms or ``None`` per row) hold SELECT
    answers; :attr:`rows` gives them as dicts of Python values. ``truncated`` says that ``max_rows``
    cut the answer short.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    bindings: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    triples: list = field(default_factory=list)
    truncated: bool = False
    max_rows: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def rows(self) -> list[dict[str, Any]]:
        """Each solution as ``{variable: Python value}`` (``None`` when unbound); see :func:`to_python`."""
        names = self.variables
        return [{name: to_python(term) for name, term in zip(names, row, strict=True)}
                for row in self.bindings]

    @property
    def terms(self) -> list[dict[str, Any]]:
        """Each solution as ``{variable: pyoxigraph term}``, unbound variables left out."""
        names = self.variables
        return [{name: term for name, term in zip(names, row, strict=True) if term is not None}
                for row in self.bindings]

    def column(self, name: str) -> list[Any]:
        """The Python values of one variable, row by row."""
        index = self.variables.index(name)
        return [to_python(row[index]) for row in self.bindings]

    def __iter__(self) -> Iterator:
        return iter(self.triples if self.kind == "graph" else self.rows)

    def __len__(self) -> int:
        if self.kind == "boolean":
            return 0
        return len(self.triples) if self.kind == "graph" else len(self.bindings)

    def __bool__(self) -> bool:
        return bool(self.boolean) if self.kind == "boolean" else len(self) > 0

    def to_graph(self):
        """The triples of a CONSTRUCT or DESCRIBE answer as an rdflib ``Graph``."""
        from .mapping import to_graph

        return to_graph((t.subject, t.predicate, t.object) for t in self.triples)


_INTEGER_TYPES = {XSD + name for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte")}


def to_python(term) -> Any:
    """A pyoxigraph term as a Python value.

    IRIs become :class:`IRI` (a ``str``); ``xsd:integer`` and its kin ``int``; ``xsd:decimal``
    ``Decimal``; ``xsd:double``/``xsd:float`` ``float``; ``xsd:boolean`` ``bool``; ``xsd:date``
    ``datetime.date``; ``xsd:dateTime`` ``datetime.datetime``; every other literal (strings, and the
    partial dates ``xsd:gYear``, ``xsd:gYearMonth``, ``xsd:gMonthDay``) its lexical form; a blank node
    ``"_:id"``.
    """
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return IRI(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        datatype, value = term.datatype.value, term.value
        try:
            if datatype in _INTEGER_TYPES:
                return int(value)
            if datatype == XSD + "decimal":
                return Decimal(value)
            if datatype in (XSD + "double", XSD + "float"):
                return float(value)
            if datatype == XSD + "boolean":
                return value in ("true", "1")
            if datatype == XSD + "date":
                return _dt.date.fromisoformat(value)
            if datatype == XSD + "dateTime":
                return _dt.datetime.fromisoformat(value)
        except (ValueError, InvalidOperation):
            pass
        return value
    if isinstance(term, ox.Triple):
        return (to_python(term.subject), to_python(term.predicate), to_python(term.object))
    return str(term)  # pragma: no cover - no other term kinds exist


# ---------------------------------------------------------------------------------------------------
# Result formats
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ResultFormat:
    name: str
    media_type: str
    kinds: frozenset[str]
    description: str


RESULT_FORMATS: dict[str, ResultFormat] = {f.name: f for f in (
    ResultFormat("table", "text/plain; charset=utf-8", frozenset({"solutions", "boolean", "graph"}),
                 "aligned columns for people (long cells trimmed)"),
    ResultFormat("csv", "text/csv; charset=utf-8", frozenset({"solutions", "boolean"}),
                 "SPARQL 1.1 Query Results CSV"),
    ResultFormat("tsv", "text/tab-separated-values; charset=utf-8", frozenset({"solutions", "boolean"}),
                 "SPARQL 1.1 Query Results TSV (terms in Turtle syntax)"),
    ResultFormat("json", "application/sparql-results+json", frozenset({"solutions", "boolean"}),
                 "SPARQL 1.1 Query Results JSON"),
    ResultFormat("xml", "application/sparql-results+xml", frozenset({"solutions", "boolean"}),
                 "SPARQL Query Results XML"),
    ResultFormat("turtle", "text/turtle; charset=utf-8", frozenset({"graph"}), "Turtle"),
    ResultFormat("ntriples", "application/n-triples", frozenset({"graph"}), "N-Triples"),
    ResultFormat("jsonld", "application/ld+json", frozenset({"graph"}), "JSON-LD"),
    ResultFormat("rdfxml", "application/rdf+xml", frozenset({"graph"}), "RDF/XML"),
)}
"""Output formats by name; ``kinds`` says which answers (solutions, boolean, graph) each can write."""

DEFAULT_FORMAT = {"solutions": "table", "boolean": "table", "graph": "turtle"}
_FORM_KIND = {"SELECT": "solutions", "ASK": "boolean", "CONSTRUCT": "graph", "DESCRIBE": "graph"}


def get_format(name: str) -> ResultFormat:
    try:
        return RESULT_FORMATS[name]
    except KeyError:
        raise FormatError(f"unknown result format {name!r}; choose one of: {', '.join(RESULT_FORMATS)}") \
            from None


def check_format(name: str, kind: str) -> ResultFormat:
    """The format ``name``, or FormatError when it cannot write answers of ``kind``."""
    fmt = get_format(name)
    if kind not in fmt.kinds:
        fitting = [f.name for f in RESULT_FORMATS.values() if kind in f.kinds]
        what = {"solutions": "SELECT", "boolean": "ASK", "graph": "CONSTRUCT/DESCRIBE"}[kind]
        raise FormatError(f"format {name!r} cannot write {what} results; choose one of: {', '.join(fitting)}")
    return fmt


def format_result(result: QueryResult, fmt: str | None = None, *, cell_width: int = 60) -> str:
    """``result`` written in the format named ``fmt`` (default: table, or Turtle for graphs)."""
    fmt = fmt or DEFAULT_FORMAT[result.kind]
    check_format(fmt, result.kind)
    if fmt == "table":
        return _table(result, cell_width)
    if result.kind == "graph":
        return _graph_text(result.triples, fmt)
    if fmt == "json":
        return json.dumps(_results_json(result), ensure_ascii=False)
    import pyoxigraph as ox

    parsed = ox.parse_query_results(json.dumps(_results_json(result)).encode(),
                                    format=ox.QueryResultsFormat.JSON)
    target = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
              "xml": ox.QueryResultsFormat.XML}[fmt]
    return parsed.serialize(format=target).decode("utf-8")


def _term_json(term) -> dict:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD + "string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {"subject": _term_json(term.subject),
                                        "predicate": _term_json(term.predicate),
                                        "object": _term_json(term.object)}}


def _results_json(result: QueryResult) -> dict:
    """The W3C SPARQL 1.1 Query Results JSON document of ``result``."""
    if result.kind == "boolean":
        return {"head": {}, "boolean": bool(result.boolean)}
    names = result.variables
    return {"head": {"vars": list(names)},
            "results": {"bindings": [{n: _term_json(t) for n, t in zip(names, row, strict=True)
                                      if t is not None} for row in result.bindings]}}


def _graph_text(triples: Sequence, fmt: str) -> str:
    import pyoxigraph as ox

    rdf_format = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                  "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}[fmt]
    if fmt in ("turtle", "rdfxml"):
        used = {t.value for triple in triples for t in (triple.subject, triple.predicate, triple.object)
                if isinstance(t, ox.NamedNode)} | {triple.object.datatype.value for triple in triples
                                                   if isinstance(triple.object, ox.Literal)}
        prefixes = {p: ns for p, ns in PREFIXES.items() if any(iri.startswith(ns) for iri in used)}
        data = ox.serialize(triples, format=rdf_format, prefixes=prefixes)
    else:
        data = ox.serialize(triples, format=rdf_format)
    return data.decode("utf-8")


def _compact(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and re.fullmatch(r"[\w.-]*", iri[len(namespace):]):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


def _cell(term) -> str:
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return _compact(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return " ".join(term.value.split())  # one line per row, whatever the literal holds
    return str(term)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1
               for c in text)


def _trim(text: str, limit: int) -> str:
    if _width(text) <= limit:
        return text
    out, used = [], 0
    for c in text:
        w = _width(c)
        if used + w > limit - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…"


def _is_number(term) -> bool:
    import pyoxigraph as ox

    return isinstance(term, ox.Literal) and (
        term.datatype.value in _INTEGER_TYPES
        or term.datatype.value in (XSD + "decimal", XSD + "double", XSD + "float"))


def _table(result: QueryResult, cell_width: int) -> str:
    if result.kind == "boolean":
        return "true" if result.boolean else "false"
    if result.kind == "graph":
        header = ["subject", "predicate", "object"]
        rows = [(t.subject, t.predicate, t.object) for t in result.triples]
    else:
        header, rows = list(result.variables), result.bindings
    cells = [[_trim(_cell(term), cell_width) for term in row] for row in rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(header)]
    numeric = [bool(rows) and all(row[i] is None or _is_number(row[i]) for row in rows)
               for i in range(len(header))]

    def line(values: Sequence[str]) -> str:
        parts = []
        for i, value in enumerate(values):
            pad = " " * (widths[i] - _width(value))
            parts.append(pad + value if numeric[i] else value + pad)
        return "  ".join(parts).rstrip()

    lines = [line(header), "  ".join("-" * w for w in widths)] if header else []
    lines += [line(r) for r in cells]
    n = len(rows)
    noun = "triple" if result.kind == "graph" else "row"
    footer = f"({n} {noun}{'' if n == 1 else 's'}"
    if result.truncated:
        footer += f"; truncated at {result.max_rows}, more exist"
    lines.append(footer + ")")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------
# The query library
# ---------------------------------------------------------------------------------------------------

LIBRARY_PARAM_TYPES = ("label", "title", "string", "IRI", "integer", "decimal", "year", "date", "boolean")
"""Types a library query may declare for a parameter (alternatives joined with ``|``).

``label`` and ``title`` bind the variable to the *nodes* with that name (``rdfs:label``,
``skos:altLabel`` or ``foaf:name``) or that title (``dcterms:title``), ignoring case; the others bind
a literal of that type (``year``: an ``xsd:integer``), or an IRI.
"""


@dataclass(frozen=True)
class QueryParam:
    """A parameter a library query declares: ``# param: NAME (TYPE) required|optional|default V - text``."""

    name: str
    types: tuple[str, ...]
    required: bool = False
    default: str | None = None
    description: str = ""

    @property
    def type_text(self) -> str:
        return " | ".join(self.types)


@dataclass(frozen=True)
class LibraryQuery:
    """One query of the library: its name (the file stem), header fields and SPARQL text."""

    name: str
    title: str
    description: str
    params: tuple[QueryParam, ...]
    examples: tuple[str, ...]
    text: str
    path: Path | None = None

    @property
    def form(self) -> str:
        return query_form(self.text)

    def param(self, name: str) -> QueryParam | None:
        return next((p for p in self.params if p.name == name), None)


_HEADER_FIELD = re.compile(r"^#\s*(title|description|param|example):\s*(.*)$")
_PARAM_SPEC = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s*\((?P<types>[^)]*)\)\s*"
    r"(?:(?P<req>required|optional)|default\s+(?P<default>\S+))?\s*(?:-\s+(?P<desc>.*))?$")


def parse_library_query(name: str, text: str, path: Path | None = None) -> LibraryQuery:
    """Read the header comment of a library query (see ``docs/queries.md`` for its fields)."""
    fields: dict[str, list[str]] = {"title": [], "description": [], "param": [], "example": []}
    last: str | None = None
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped:
            last = None
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER_FIELD.match(stripped)
        if match:
            last = match.group(1)
            fields[last].append(match.group(2).strip())
        elif last and re.match(r"^#\s{2,}\S", raw.strip()):  # an indented continuation line
            fields[last][-1] += " " + stripped.lstrip("#").strip()
        else:
            last = None
    if not fields["title"]:
        raise QueryError(f"library query {name!r}: the header has no '# title:' line")
    params = []
    for spec in fields["param"]:
        match = _PARAM_SPEC.match(spec)
        if not match:
            raise QueryError(f"library query {name!r}: cannot read '# param: {spec}'")
        types = tuple(t.strip() for t in match["types"].split("|"))
        unknown = [t for t in types if t.lower() not in {x.lower() for x in LIBRARY_PARAM_TYPES}]
        if unknown:
            raise QueryError(f"library query {name!r}: parameter {match['name']!r} has unknown type "
                             f"{unknown[0]!r}; types are {', '.join(LIBRARY_PARAM_TYPES)}")
        params.append(QueryParam(match["name"], types, required=match["req"] == "required",
                                 default=match["default"], description=(match["desc"] or "").strip()))
    return LibraryQuery(name=name, title=fields["title"][0], description=" ".join(fields["description"]),
                        params=tuple(params), examples=tuple(fields["example"]), text=text, path=path)


@cache
def library() -> dict[str, LibraryQuery]:
    """The query library by name, read from the package data (a copy of ``ontology/queries``)."""
    folder = resources.files("paperkg").joinpath(*LIBRARY_PACKAGE_DIR)
    out = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            out[name] = parse_library_query(name, entry.read_text(encoding="utf-8"), Path(str(entry)))
    return out


def library_query(name: str) -> LibraryQuery:
    queries = library()
    if name in queries:
        return queries[name]
    close = difflib.get_close_matches(name, list(queries), n=3)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    raise QueryError(f"no library query named {name!r}{hint} (`paperkg query --list` shows them)")


# ---------------------------------------------------------------------------------------------------
# Reading SPARQL text: query form, variables, where to put VALUES
# ---------------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
  | (?P<word>[A-Za-z_][\w.:-]*|:[\w.-]*)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<other>\S)
""", re.VERBOSE | re.DOTALL)


def _tokens(text: str) -> Iterator[re.Match]:
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return
        match = _TOKEN.match(text, pos)
        if match is None:  # pragma: no cover - the last alternative matches any non-space character
            return
        yield match
        pos = match.end()


def query_form(text: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE`` (``UPDATE`` for an update; ``""`` if unknown)."""
    for tok in _tokens(text):
        if tok.lastgroup == "word":
            word = tok.group().upper()
            if word in _FORM_KIND:
                return word
            if word in _UPDATE_WORDS:
                return "UPDATE"
    return ""


_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


def query_variables(text: str) -> set[str]:
    """Names of the variables the query mentions (outside comments, strings and IRIs)."""
    return {tok.group()[1:] for tok in _tokens(text) if tok.lastgroup == "var"}


def _where_start(text: str) -> int | None:
    """The offset just after the ``{`` that opens the query's WHERE group."""
    form = None
    brace_depth = paren_depth = 0
    skip_template = False
    after_construct = False
    for tok in _tokens(text):
        kind, value = tok.lastgroup, tok.group()
        if form is None:
            if kind == "word" and value.upper() in _FORM_KIND:
                form = value.upper()
                after_construct = form == "CONSTRUCT"
            continue
        if after_construct:
            after_construct = False
            if value == "{":  # CONSTRUCT { template } WHERE { ... }
                skip_template = True
                brace_depth = 1
                continue
        if skip_template:
            if value == "{":
                brace_depth += 1
            elif value == "}":
                brace_depth -= 1
                if brace_depth == 0:
                    skip_template = False
            continue
        if value == "(":
            paren_depth += 1
        elif value == ")":
            paren_depth -= 1
        elif value == "{" and paren_depth == 0:
            return tok.end()
    return None


# ---------------------------------------------------------------------------------------------------
# Parameters → typed terms
# ---------------------------------------------------------------------------------------------------

_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+\.\d*|\.\d+)$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iri_term(value: str):
    """An IRI from ``<iri>``, an absolute IRI, or a prefixed name with a predeclared prefix; else None."""
    import pyoxigraph as ox

    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    elif ":" in text and text.split(":", 1)[0] in PREFIXES and re.fullmatch(r"[\w.-]*", text.split(":", 1)[1]):
        prefix, local = text.split(":", 1)
        text = PREFIXES[prefix] + local
    elif not (re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text) or text.startswith("urn:")):
        return None
    if not _ABSOLUTE_IRI.match(text):
        return None
    try:
        return ox.NamedNode(text)
    except ValueError:
        return None


def typed_term(value: str, types: Sequence[str], name: str = "value"):
    """``value`` as a pyoxigraph term of the first of ``types`` it fits; QueryError when none fits.

    A ``label`` becomes a :class:`NameLookup`, resolved against the store when the query runs.
    """
    import pyoxigraph as ox

    def literal(lexical: str, datatype: str):
        return ox.Literal(lexical, datatype=ox.NamedNode(XSD + datatype))

    lowered = [t.lower() for t in types]
    if "iri" in lowered:
        term = _iri_term(value)
        if term is not None:
            return term
    for kind in lowered:
        text = value.strip()
        if kind in ("label", "title"):
            return NameLookup(value, kind)
        if kind == "string":
            return ox.Literal(value)
        if kind == "integer" and _INTEGER.match(text):
            return literal(str(int(text)), "integer")
        if kind == "decimal" and (_INTEGER.match(text) or _DECIMAL.match(text)):
            return literal(format(Decimal(text), "f"), "decimal")
        if kind == "year" and re.fullmatch(r"\d{4}", text):
            return literal(text, "integer")
        if kind == "date":
            try:
                return literal(_dt.date.fromisoformat(text).isoformat(), "date")
            except ValueError:
                pass
        if kind == "boolean" and text.lower() in ("true", "false", "yes", "no", "1", "0"):
            return literal("true" if text.lower() in ("true", "yes", "1") else "false", "boolean")
    wanted = " or ".join({"iri": "an IRI", "integer": "an integer", "decimal": "a number",
                          "year": "a 4-digit year", "date": "a date (YYYY-MM-DD)",
                          "boolean": "true or false"}.get(k, k) for k in lowered)
    raise QueryError(f"parameter {name}: expected {wanted}, got {value!r}")


def guess_term(value: str):
    """A term for a parameter of an ad-hoc query, typed by its look.

    ``<...>`` or an absolute IRI → IRI; ``42`` → xsd:integer; ``4.2`` → xsd:decimal; ``true``/``false``
    → xsd:boolean; ``2023-02-03`` → xsd:date; ``"..."`` → the string inside the quotes; anything else
    → a plain string.
    """
    import pyoxigraph as ox

    text = value.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return ox.Literal(text[1:-1])
    if (text.startswith("<") and text.endswith(">")) or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$", text):
        return typed_term(text, ["IRI"])
    if _INTEGER.match(text):
        return typed_term(text, ["integer"])
    if _DECIMAL.match(text):
        return typed_term(text, ["decimal"])
    if text in ("true", "false"):
        return typed_term(text, ["boolean"])
    if _ISO_DATE.match(text):
        try:
            return typed_term(text, ["date"])
        except QueryError:
            pass
    return ox.Literal(value)


# ---------------------------------------------------------------------------------------------------
# Preparing and running
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NameLookup:
    """A ``label`` or ``title`` parameter value, still to be turned into the nodes it names."""

    name: str
    kind: str = "label"


LOOKUP_PREDICATES = {"label": "rdfs:label|skos:altLabel|foaf:name", "title": "dcterms:title"}
"""What a ``label`` and a ``title`` parameter are matched against."""


def lookup_sparql(kind: str = "label", exact: bool = False) -> str:
    """The lookup that turns a name into nodes; ``?name`` is bound to the name as an ``xsd:string``.

    ``exact`` matches the name as written (an index look-up); otherwise case is ignored, which has to
    read every name of the graph.
    """
    if exact:
        return f"SELECT DISTINCT ?node WHERE {{ ?node {LOOKUP_PREDICATES[kind]} ?name }}"
    return f"""SELECT DISTINCT ?node WHERE {{
  ?node {LOOKUP_PREDICATES[kind]} ?node_name .
  FILTER(LCASE(STR(?node_name)) = LCASE(STR(?name)))
}}"""


PARAMS_MARKER = re.compile(r"^[ \t]*(#[ \t]*@params\b)", re.MULTILINE)
"""A comment line ``# @params`` marks where the parameters' VALUES go (each such line gets them), such
as inside a subquery that must see them: SPARQL evaluates a subquery on its own, so VALUES outside it
would not restrict it. Without a marker they open the WHERE group."""


@dataclass
class PreparedQuery:
    """SPARQL text ready to run: ``text`` as written, ``bindings`` from variable to value(s).

    A binding is a pyoxigraph term, a tuple of terms (the variable takes each in turn), or a
    :class:`NameLookup` that :meth:`resolve` turns into the tuple of nodes with that name.
    """

    text: str
    bindings: dict[str, Any] = field(default_factory=dict)
    form: str = ""
    name: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return _FORM_KIND.get(self.form, "solutions")

    @property
    def lookups(self) -> dict[str, NameLookup]:
        return {n: v for n, v in self.bindings.items() if isinstance(v, NameLookup)}

    def resolve(self, store) -> PreparedQuery:
        """A copy whose name lookups are replaced by the nodes of ``store`` with those names."""
        if not self.lookups:
            return self
        bindings, warnings = dict(self.bindings), list(self.warnings)
        for variable, lookup in self.lookups.items():
            nodes = lookup_nodes(store, lookup.name, lookup.kind)
            if not nodes:
                what = "has the title" if lookup.kind == "title" else "is named"
                warnings.append(f"nothing in the graph {what} {lookup.name!r} (parameter {variable})")
            bindings[variable] = nodes
        return PreparedQuery(self.text, bindings, self.form, self.name, warnings)

    def sparql(self) -> str:
        """The text to execute: ``text`` with VALUES blocks of the bindings opening its WHERE group."""
        if not self.bindings:
            return self.text
        if self.lookups:
            raise QueryError("name parameters must be resolved (PreparedQuery.resolve) before running")
        blocks = []
        for variable, value in self.bindings.items():
            values = value if isinstance(value, tuple) else (value,)
            # str() of a pyoxigraph term is its N-Triples form, escaped by Oxigraph: never raw user text.
            blocks.append(f"VALUES ?{variable} {{ {' '.join(str(term) for term in values)} }}")
        values = " ".join(blocks)
        offsets = _values_offsets(self.text)
        if not offsets:
            raise QueryError("cannot bind parameters: the query has no WHERE group")
        text = self.text
        for at in reversed(offsets):  # same line: error positions in the text stay right
            text = f"{text[:at]} {values} {text[at:]}"
        return text


@lru_cache(maxsize=256)
def _values_offsets(text: str) -> tuple[int, ...]:
    """Where the parameters' VALUES blocks go in ``text``: at each ``# @params`` line, else just inside
    the WHERE group; empty when there is neither. Cached by text: finding the WHERE group tokenizes
    the whole query, and a library query (or a name lookup) is bound again at every run."""
    markers = tuple(m.start(1) for m in PARAMS_MARKER.finditer(text))
    if markers:
        return markers
    at = _where_start(text)
    return () if at is None else (at,)


def lookup_nodes(store, name: str, kind: str = "label") -> tuple:
    """The nodes of ``store`` whose label, alternative label or name (``kind`` ``label``) or whose title
    (``kind`` ``title``) is ``name``: as written when some node has it so, else ignoring case."""
    import pyoxigraph as ox

    for exact in (True, False):
        lookup = PreparedQuery(lookup_sparql(kind, exact), {"name": ox.Literal(name)}, "SELECT")
        nodes = [solution["node"] for solution in store.query(lookup.sparql(), prefixes=PREFIXES)]
        if nodes:
            break
    return tuple(sorted(nodes, key=lambda n: n.value))


def resolve_query_text(query: str | os.PathLike) -> tuple[str, LibraryQuery | None]:
    """The SPARQL text of ``query`` (text, path of a file, or library name) and its library entry."""
    if isinstance(query, os.PathLike):
        return _read_query_file(Path(query)), None
    text = str(query)
    stripped = text.strip()
    if re.fullmatch(r"[A-Za-z0-9_-]+", stripped):
        if stripped in library():
            return library()[stripped].text, library()[stripped]
        if not Path(stripped).is_file():
            library_query(stripped)  # raises with suggestions
    if "\n" not in stripped and len(stripped) < 1024 and "{" not in stripped:
        path = Path(stripped).expanduser()
        try:
            is_file = path.is_file()
        except OSError:
            is_file = False
        if is_file:
            return _read_query_file(path), None
        if stripped.endswith((".rq", ".sparql")):
            raise QueryError(f"{stripped}: no such query file")
    return text, None


def _read_query_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"{path}: cannot read the query: {exc}") from exc


def prepare(query: str | os.PathLike, params: Mapping[str, Any] | None = None, *,
            text_only: bool = False) -> PreparedQuery:
    """Resolve ``query`` and turn ``params`` into typed bindings (QueryError on any misfit).

    With ``text_only`` the query is SPARQL text, never a file name or a library name (the server
    uses this: a client must not make it read files).
    """
    text, entry = (str(query), None) if text_only else resolve_query_text(query)
    form = query_form(text)
    if form == "UPDATE":
        raise QueryError("this is a SPARQL update; paperkg runs read-only queries (SELECT, ASK, "
                         "CONSTRUCT, DESCRIBE)")
    params = dict(params or {})
    bindings: dict[str, Any] = {}
    if entry is not None:
        declared = {p.name: p for p in entry.params}
        unknown = [n for n in params if n not in declared]
        if unknown:
            names = ", ".join(declared) or "none"
            raise QueryError(f"library query {entry.name!r} has no parameter {unknown[0]!r} "
                             f"(its parameters: {names})")
        for p in entry.params:
            raw = params.get(p.name, p.default)
            if raw is None:
                if p.required:
                    raise QueryError(f"library query {entry.name!r} needs --param {p.name}=... "
                                     f"({p.type_text}: {p.description})")
                continue
            bindings[p.name] = raw if not isinstance(raw, str) and _is_term(raw) else \
                typed_term(str(raw), p.types, p.name)
    else:
        variables = query_variables(text)
        for name, raw in params.items():
            if not re.fullmatch(r"[A-Za-z_]\w*", name):
                raise QueryError(f"parameter name {name!r} is not a SPARQL variable name")
            if name not in variables:
                raise QueryError(f"the query has no variable ?{name} for parameter {name!r}")
            bindings[name] = raw if _is_term(raw) else _python_term(raw)
    return PreparedQuery(text=text, bindings=bindings, form=form, name=entry.name if entry else None)


def _is_term(value) -> bool:
    import pyoxigraph as ox

    return isinstance(value, ox.NamedNode | ox.Literal | ox.BlankNode)


def _python_term(value):
    """A term for a Python parameter value of an ad-hoc query."""
    import pyoxigraph as ox

    if isinstance(value, IRI):
        return ox.NamedNode(value)
    if isinstance(value, str):
        return guess_term(value)
    if isinstance(value, bool):
        return typed_term(str(value).lower(), ["boolean"])
    if isinstance(value, int):
        return typed_term(str(value), ["integer"])
    if isinstance(value, Decimal | float):
        return typed_term(format(Decimal(str(value)), "f"), ["decimal"])
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return typed_term(value.isoformat(), ["date"])
    raise QueryError(f"cannot use a {type(value).__name__} as a query parameter")


def syntax_message(text: str, exc: SyntaxError) -> str:
    """A readable message for a SPARQL syntax error: what, at which line and column, the line, a caret.

    Oxigraph's parser often places an error at the end of the query (its furthest attempt), which
    helps nobody; then rdflib's parser, which stops where the faulty construct starts, gives the place.
    """
    message = str(exc.args[0] if exc.args else exc)
    match = re.match(r"error at (\d+):(\d+): (.*)", message, re.DOTALL)
    if not match:
        return f"SPARQL syntax error: {message}"
    line_no, col, detail = int(match[1]), int(match[2]), " ".join(match[3].split())
    lines = text.splitlines() or [""]
    unknown = _unknown_prefix(text)
    if unknown is not None:
        prefix, line_no, col = unknown
        head = (f"unknown prefix '{prefix}:' at line {line_no}, column {col}; predeclared prefixes are "
                f"{', '.join(PREFIXES)} (declare others with PREFIX {prefix}: <...>)")
        return head + _point_at(lines, line_no, col)
    at_end = line_no > len(lines) or (line_no == len(lines) and col > len(lines[-1].rstrip()))
    if at_end or line_no > len(text.rstrip().splitlines()):
        better = _rdflib_syntax_error(text)
        if better is not None:
            line_no, col, found = better
            return f"SPARQL syntax error at line {line_no}, column {col}: unexpected {found}" + \
                _point_at(lines, line_no, col)
        detail = "the query ends too early; " + detail
    if len(detail) > 160:
        detail = detail[:157] + "..."
    return f"SPARQL syntax error at line {line_no}, column {col}: {detail}" + _point_at(lines, line_no, col)


def _unknown_prefix(text: str) -> tuple[str, int, int] | None:
    """The first prefixed name whose prefix is neither declared nor predeclared: (prefix, line, column)."""
    declared = set(PREFIXES)
    previous = ""
    for tok in _tokens(text):
        value = tok.group()
        if tok.lastgroup == "word" and ":" in value:
            prefix = value.split(":", 1)[0]
            if previous.upper() == "PREFIX":
                declared.add(prefix)
            elif prefix not in declared and prefix != "_":
                line_no = text.count("\n", 0, tok.start()) + 1
                col = tok.start() - (text.rfind("\n", 0, tok.start()) + 1) + 1
                return prefix, line_no, col
        previous = value if tok.lastgroup != "comment" else previous
    return None


def _point_at(lines: list[str], line_no: int, col: int) -> str:
    if not 0 < line_no <= len(lines):
        return ""
    line = lines[line_no - 1].expandtabs(1)
    return f"\n  {line}\n  {' ' * _width(line[:col - 1])}^"


def _rdflib_syntax_error(text: str) -> tuple[int, int, str] | None:
    """(line, column, what was found) where rdflib's SPARQL parser fails, or None if it does not."""
    try:
        from pyparsing import ParseException
        from rdflib.plugins.sparql.parser import parseQuery
    except ImportError:  # pragma: no cover - rdflib is a dependency
        return None
    try:
        parseQuery(text)
    except ParseException as exc:
        found = re.search(r"found (.+?)\s+\(at char", str(exc))
        return exc.lineno, exc.col, found.group(1) if found else "text"
    except Exception:  # noqa: BLE001 - any other failure of the second opinion is no answer
        return None
    return None


def run_prepared(store, prepared: PreparedQuery, max_rows: int | None = None) -> QueryResult:
    """Run ``prepared`` on an open pyoxigraph ``store``; at most ``max_rows`` solutions or triples."""
    import pyoxigraph as ox

    try:
        prepared = prepared.resolve(store)
        answer = store.query(prepared.sparql(), prefixes=PREFIXES)
    except SyntaxError as exc:
        original = exc
        if prepared.bindings:  # report positions in the text the user wrote, not the bound one
            try:
                ox.Store().query(prepared.text, prefixes=PREFIXES)
            except SyntaxError as plain:
                original = plain
        raise QueryError(syntax_message(prepared.text, original)) from None
    except (OSError, RuntimeError, ValueError) as exc:
        raise QueryError(f"the query failed: {exc}") from exc
    try:
        result = _collect(answer, max_rows)
    except (OSError, RuntimeError, ValueError) as exc:
        raise QueryError(f"the query failed: {exc}") from exc
    result.warnings = prepared.warnings
    return result


def _collect(answer, max_rows: int | None) -> QueryResult:
    """Read a pyoxigraph answer into a QueryResult, stopping after ``max_rows`` rows or triples."""
    import pyoxigraph as ox

    if isinstance(answer, ox.QueryBoolean):
        return QueryResult(kind="boolean", boolean=bool(answer))
    limited = max_rows is not None and max_rows >= 0
    wanted = islice(answer, max_rows) if limited else answer
    if isinstance(answer, ox.QueryTriples):
        triples = list(wanted)
        truncated = limited and next(answer, None) is not None
        return QueryResult(kind="graph", triples=triples, truncated=truncated, max_rows=max_rows)
    variables = [v.value for v in answer.variables]
    bindings = list(map(tuple, wanted))
    truncated = limited and next(answer, None) is not None
    return QueryResult(kind="solutions", variables=variables, bindings=bindings, truncated=truncated,
                       max_rows=max_rows)


def query(query: str | os.PathLike, directory: str | os.PathLike = "output",
          params: Mapping[str, Any] | None = None, timeout: float | None = None,
          max_rows: int | None = None) -> QueryResult:
    """Run a SPARQL query (text, ``.rq`` path, or library query name) on the graph of ``directory``.

    ``params`` bind variables to typed values: for a library query by its declared parameter types,
    for an ad-hoc query by the value's Python type (or, for a string, its look; see
    :func:`guess_term`). ``timeout`` (seconds) stops a runaway query with QueryError; ``max_rows``
    caps the number of solutions or triples (``result.truncated`` then says so).
    """
    prepared = prepare(query, params)
    if timeout is None:
        from .store import open_store

        return run_prepared(open_store(directory), prepared, max_rows)
    return run_with_timeout(directory, prepared, timeout, max_rows)


# ---------------------------------------------------------------------------------------------------
# Timeouts: the query runs in a child process that is killed when time is up
# ---------------------------------------------------------------------------------------------------

def process_context():
    """``fork`` when this process has a single thread (fast); else ``forkserver`` (safe with threads)."""
    if threading.active_count() == 1 and sys.platform != "darwin":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver")


def _child_run(conn, directory: str, prepared: PreparedQuery, max_rows: int | None) -> None:
    try:
        from .store import open_store

        conn.send(("ok", run_prepared(open_store(directory), prepared, max_rows)))
    except PaperKGError as exc:
        conn.send(("error", type(exc).__name__, str(exc)))
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
        conn.send(("error", "QueryError", f"the query failed: {type(exc).__name__}: {exc}"))
    finally:
        conn.close()


_ERRORS = {"QueryError": QueryError, "StoreError": StoreError, "FormatError": FormatError}


def run_with_timeout(directory: str | os.PathLike, prepared: PreparedQuery, timeout: float,
                     max_rows: int | None = None) -> QueryResult:
    """Run ``prepared`` in a child process; kill it and raise QueryError after ``timeout`` seconds."""
    from .store import current_generation

    current_generation(directory)  # a missing build is a StoreError here, not a child's failure
    ctx = process_context()
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child_run, args=(sender, str(directory), prepared, max_rows), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise QueryError(f"query timed out after {timeout:g} s")
        try:
            message = receiver.recv()
        except EOFError:
            child.join(1)
            raise QueryError(f"the query process ended unexpectedly (exit code {child.exitcode})") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if message[0] == "ok":
        return message[1]
    raise _ERRORS.get(message[1], QueryError)(message[2])
