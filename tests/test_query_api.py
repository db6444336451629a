"""paperkg.query as a library: results, typed parameters, formats, errors, time-outs, rdflib."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pyoxigraph as ox
import pytest
import rdflib

import paperkg
from paperkg.errors import FormatError, QueryError, StoreError
from paperkg.namespaces import PREFIXES
from paperkg.sparql import (
    IRI,
    RESULT_FORMATS,
    PreparedQuery,
    format_result,
    guess_term,
    prepare,
    query,
    query_form,
    typed_term,
)
from tests.test_query_support import BASE, fixture_dir

TITLES = 'SELECT ?title WHERE { ?p a pkg:Paper ; dcterms:title ?title } ORDER BY ?title'


def test_rows_are_python_values():
    result = query("""SELECT ?paper ?title ?issued ?upvotes ?code ?value WHERE {
        ?paper dcterms:title "Residual Networks Revisited" ; dcterms:title ?title ; dcterms:issued ?issued ;
               pkg:upvotes ?upvotes ; pkg:hasCode ?code ; pkg:reportsResult ?r .
        ?r pkg:value ?value ; pkg:relative false ; pkg:metric/rdfs:label "top-1 accuracy" }""", fixture_dir())
    assert result.kind == "solutions"
    assert result.variables == ["paper", "title", "issued", "upvotes", "code", "value"]
    assert result.rows == [{"paper": IRI(BASE + "paper/residual-networks-revisited"),
                            "title": "Residual Networks Revisited", "issued": dt.date(2019, 5, 1),
                            "upvotes": 7, "code": True, "value": Decimal("76.5")}]
    row = result.rows[0]
    assert isinstance(row["paper"], str) and isinstance(row["paper"], IRI)
    assert isinstance(result.terms[0]["paper"], ox.NamedNode)
    assert list(result) == result.rows and len(result) == 1


def test_unbound_values_are_none_and_partial_dates_stay_text():
    result = query("SELECT ?title ?issued WHERE { ?p dcterms:title ?title OPTIONAL { ?p dcterms:issued ?issued } }"
                   " ORDER BY ?title", fixture_dir())
    issued = dict(zip(result.column("title"), result.column("issued"), strict=True))
    assert issued["Untitled Workshop Note"] is None
    assert issued["A New Benchmark for Grade School Math"] == "--09-11"
    assert issued["Vision Transformers at Scale"] == "2021"


def test_package_level_function():
    assert paperkg.query(TITLES, fixture_dir()).column("title")[0] == "A New Benchmark for Grade School Math"
    from paperkg.sparql import query

    assert paperkg.query is query


def test_ask_and_construct():
    assert query("ASK { ?p pkg:upvotes 30 }", fixture_dir()).boolean is True
    assert not query("ASK { ?p pkg:upvotes 31 }", fixture_dir())
    graph = query("CONSTRUCT { ?p dcterms:title ?t } WHERE { ?p dcterms:title ?t }", fixture_dir())
    assert graph.kind == "graph" and len(graph) == 6
    assert len(graph.to_graph()) == 6
    described = query(f"DESCRIBE <{BASE}benchmark/coco>", fixture_dir())
    assert {t.predicate.value for t in described.triples} >= {PREFIXES["rdfs"] + "label"}


def test_library_query_from_a_file_and_by_path(tmp_path):
    path = tmp_path / "mine.rq"
    path.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?p a pkg:Paper }", encoding="utf-8")
    assert query(str(path), fixture_dir()).rows == [{"n": 6}]
    assert query(path, fixture_dir()).rows == [{"n": 6}]
    with pytest.raises(QueryError, match="no such query file"):
        query(str(tmp_path / "missing.rq"), fixture_dir())


def test_unknown_library_name_suggests():
    with pytest.raises(QueryError, match="did you mean leaderboard"):
        query("leaderbord", fixture_dir())


# ---------------------------------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------------------------------

def test_adhoc_parameters_are_typed_by_look():
    q = "SELECT ?title WHERE { ?p dcterms:title ?title ; pkg:upvotes ?n FILTER(?n >= ?min) } ORDER BY ?title"
    assert query(q, fixture_dir(), params={"min": "12"}).column("title") == [
        "A New Benchmark for Grade School Math", "Vision Transformers at Scale"]
    assert query(q, fixture_dir(), params={"min": 12}).column("title") == [
        "A New Benchmark for Grade School Math", "Vision Transformers at Scale"]
    assert guess_term("12") == ox.Literal("12", datatype=ox.NamedNode(PREFIXES["xsd"] + "integer"))
    assert guess_term("1.5") == ox.Literal("1.5", datatype=ox.NamedNode(PREFIXES["xsd"] + "decimal"))
    assert guess_term("2023-02-03").datatype.value == PREFIXES["xsd"] + "date"
    assert guess_term("true").datatype.value == PREFIXES["xsd"] + "boolean"
    assert guess_term("<https://example.org/x>") == ox.NamedNode("https://example.org/x")
    assert guess_term('"12"') == ox.Literal("12")
    assert guess_term("ImageNet") == ox.Literal("ImageNet")


def test_parameters_are_never_pasted_into_the_query():
    # A value that would break out of a string literal stays one string value.
    hostile = 'x" } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o . FILTER("'
    q = "SELECT ?title WHERE { ?p dcterms:title ?title FILTER(?title = ?wanted) }"
    assert len(query(q, fixture_dir(), params={"wanted": hostile})) == 0
    prepared = prepare(q, {"wanted": hostile})
    assert str(ox.Literal(hostile)) in prepared.sparql()
    assert query("search-titles", fixture_dir(), params={"text": hostile}).rows == []
    assert query("paper-exists", fixture_dir(), params={"paper": "Sorting Networks\" || true || \""}).boolean is False


def test_label_parameters_resolve_to_nodes_ignoring_case():
    by_label = query("benchmark-papers", fixture_dir(), params={"benchmark": "iMaGeNeT"})
    by_alt = query("benchmark-papers", fixture_dir(), params={"benchmark": "ilsvrc-2012"})
    by_iri = query("benchmark-papers", fixture_dir(), params={"benchmark": f"<{BASE}benchmark/imagenet>"})
    assert by_label.rows == by_alt.rows == by_iri.rows and len(by_label) == 3


def test_a_name_that_matches_nothing_gives_an_empty_answer_and_a_warning():
    result = query("leaderboard", fixture_dir(), params={"benchmark": "No Such Benchmark"})
    assert len(result) == 0
    assert result.warnings == ["nothing in the graph is named 'No Such Benchmark' (parameter benchmark)"]


def test_parameter_errors():
    with pytest.raises(QueryError, match="needs --param benchmark="):
        query("leaderboard", fixture_dir())
    with pytest.raises(QueryError, match="has no parameter 'bench'.*benchmark, metric"):
        query("leaderboard", fixture_dir(), params={"bench": "x"})
    with pytest.raises(QueryError, match="parameter min_papers: expected an integer, got 'two'"):
        query("coauthor-pairs", fixture_dir(), params={"min_papers": "two"})
    with pytest.raises(QueryError, match=r"the query has no variable \?nope"):
        query(TITLES, fixture_dir(), params={"nope": "1"})
    with pytest.raises(QueryError, match="expected a date"):
        typed_term("03/02/2023", ["date"], "since")


def test_values_go_into_the_where_group_even_after_a_construct_template():
    prepared = PreparedQuery("CONSTRUCT { ?p dcterms:title ?t } WHERE { ?p dcterms:title ?t }",
                             {"t": ox.Literal("Sorting Networks")}, "CONSTRUCT")
    text = prepared.sparql()
    assert text.index("VALUES") > text.index("WHERE")
    result = query("CONSTRUCT { ?p dcterms:title ?t } WHERE { ?p dcterms:title ?t }", fixture_dir(),
                   params={"t": "Sorting Networks"})
    assert len(result) == 1


def test_query_form():
    assert query_form("PREFIX x: <http://x/#> # SELECT in a comment\nASK { ?s ?p ?o }") == "ASK"
    assert query_form("construct where { ?s ?p ?o }") == "CONSTRUCT"
    assert query_form("INSERT DATA { <a:b> <a:b> <a:b> }") == "UPDATE"


# ---------------------------------------------------------------------------------------------------
# Errors and limits
# ---------------------------------------------------------------------------------------------------

def test_syntax_error_says_line_and_column():
    with pytest.raises(QueryError) as info:
        query("SELECT ?x WHERE {\n  ?x a pkg:Paper\n  FILTER(?x = ) }", fixture_dir())
    first = str(info.value).splitlines()[0]
    assert first.startswith("SPARQL syntax error at line 3, column 3")


def test_unknown_prefix_is_named():
    with pytest.raises(QueryError) as info:
        query("SELECT ?x WHERE { ?x a ex:Thing }", fixture_dir())
    assert str(info.value).startswith("unknown prefix 'ex:' at line 1, column 24")


def test_updates_are_refused():
    with pytest.raises(QueryError, match="SPARQL update"):
        query("INSERT DATA { <urn:a> <urn:b> <urn:c> }", fixture_dir())
    assert query("ASK { <urn:a> <urn:b> <urn:c> }", fixture_dir()).boolean is False


def test_missing_build_is_a_store_error(tmp_path):
    with pytest.raises(StoreError, match="no graph has been built here"):
        query(TITLES, tmp_path)
    with pytest.raises(StoreError):
        query(TITLES, tmp_path, timeout=5)


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_timeout_stops_a_runaway_query():
    import time

    started = time.monotonic()
    with pytest.raises(QueryError, match="query timed out after 0.5 s"):
        query(RUNAWAY, fixture_dir(), timeout=0.5)
    assert time.monotonic() - started < 10


def test_timeout_gives_the_same_answer_when_in_time():
    assert query(TITLES, fixture_dir(), timeout=30).rows == query(TITLES, fixture_dir()).rows
    with pytest.raises(QueryError, match="unknown prefix"):
        query("SELECT * WHERE { ?s ex:p ?o }", fixture_dir(), timeout=30)


def test_max_rows_cuts_and_says_so():
    result = query(TITLES, fixture_dir(), max_rows=2)
    assert len(result) == 2 and result.truncated
    assert format_result(result).splitlines()[-1] == "(2 rows; truncated at 2, more exist)"
    assert not query(TITLES, fixture_dir(), max_rows=6).truncated


# ---------------------------------------------------------------------------------------------------
# Formats
# ---------------------------------------------------------------------------------------------------

SELECT_ALL_KINDS = """SELECT ?paper ?title ?upvotes ?issued WHERE {
  ?paper dcterms:title ?title OPTIONAL { ?paper pkg:upvotes ?upvotes } OPTIONAL { ?paper dcterms:issued ?issued }
} ORDER BY ?title"""


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_solution_formats_are_w3c(fmt):
    # Oxigraph's own parsers read them back term for term (CSV is lossy by the standard: see below).
    result = query(SELECT_ALL_KINDS, fixture_dir())
    text = format_result(result, fmt)
    parsed = ox.parse_query_results(text.encode(), format={
        "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
        "tsv": ox.QueryResultsFormat.TSV}[fmt])
    assert [tuple(solution) for solution in parsed] == result.bindings


def test_json_format_is_the_w3c_document():
    doc = json.loads(format_result(query(SELECT_ALL_KINDS, fixture_dir()), "json"))
    assert doc["head"]["vars"] == ["paper", "title", "upvotes", "issued"]
    first = doc["results"]["bindings"][0]
    assert first["paper"] == {"type": "uri", "value": BASE + "paper/a-new-benchmark-for-grade-school-math"}
    assert first["upvotes"] == {"type": "literal", "value": "30", "datatype": PREFIXES["xsd"] + "integer"}
    assert first["title"] == {"type": "literal", "value": "A New Benchmark for Grade School Math"}
    untitled = doc["results"]["bindings"][4]
    assert "upvotes" not in untitled and "issued" not in untitled
    assert json.loads(format_result(query("ASK { ?s ?p ?o }", fixture_dir()), "json")) == {
        "head": {}, "boolean": True}


def test_csv_has_the_header_and_plain_values():
    text = format_result(query(SELECT_ALL_KINDS, fixture_dir()), "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 7 and text.endswith("\r\n")
    assert rows[0] == ["paper", "title", "upvotes", "issued"]
    assert rows[1] == [BASE + "paper/a-new-benchmark-for-grade-school-math",
                       "A New Benchmark for Grade School Math", "30", "--09-11"]


@pytest.mark.parametrize("fmt,rdflib_format", [("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld"),
                                               ("rdfxml", "xml")])
def test_graph_formats_round_trip(fmt, rdflib_format):
    result = query("paper-graph", fixture_dir(), params={"paper": "Sorting Networks"})
    text = format_result(result, fmt)
    graph = rdflib.Graph().parse(data=text, format=rdflib_format)
    assert len(graph) == len(result) > 10
    if fmt == "turtle":
        assert "@prefix dcterms: <http://purl.org/dc/terms/> ." in text
        assert "@prefix schema:" not in text  # only the prefixes the graph uses


def test_table_is_aligned_and_trims_long_cells():
    result = query("SELECT ?upvotes ?title ?paper WHERE { ?paper pkg:upvotes ?upvotes ; dcterms:title ?title }"
                   " ORDER BY DESC(?upvotes)", fixture_dir())
    lines = format_result(result, "table", cell_width=24).splitlines()
    assert lines[0].split() == ["upvotes", "title", "paper"]
    assert lines[2].startswith("     30  A New Benchmark for Gra… ")  # numbers right-aligned, text trimmed
    assert "<https://w3id.org/paper…" in lines[2]
    assert lines[-1] == "(3 rows)"
    assert len({line.index("  ", 9) for line in lines[2:5]}) == 1  # columns line up
    assert format_result(query("ASK { ?s ?p ?o }", fixture_dir())) == "true"


def test_table_compacts_known_namespaces():
    text = format_result(query("SELECT DISTINCT ?class WHERE { ?s a ?class } ORDER BY ?class", fixture_dir()))
    assert "pkg:Author" in text and "pkg:SourceRecord" in text


def test_format_errors_list_the_choices():
    result = query("ASK { ?s ?p ?o }", fixture_dir())
    with pytest.raises(FormatError, match="choose one of: table, csv, tsv, json, xml"):
        format_result(result, "turtle")
    with pytest.raises(FormatError, match="choose one of: " + ", ".join(RESULT_FORMATS)):
        format_result(result, "yaml")


# ---------------------------------------------------------------------------------------------------
# rdflib users
# ---------------------------------------------------------------------------------------------------

def test_open_graph_answers_rdflib_queries():
    graph = paperkg.open_graph(fixture_dir())
    rows = list(graph.query("SELECT ?title WHERE { ?p a pkg:Paper ; dcterms:title ?title } ORDER BY ?title"))
    assert [str(r.title) for r in rows][:2] == ["A New Benchmark for Grade School Math",
                                               "Residual Networks Revisited"]
    labels = [str(o) for o in graph.objects(rdflib.URIRef(BASE + "benchmark/coco"), rdflib.RDFS.label)]
    assert labels == ["COCO"]
    assert (rdflib.URIRef(BASE + "benchmark/coco"), rdflib.RDFS.label, rdflib.Literal("COCO")) in graph
    assert dict(graph.namespaces())["pkg"] == rdflib.URIRef(PREFIXES["pkg"])
    second = paperkg.open_graph(fixture_dir())  # many readers at once
    assert len(second) == len(graph)


def test_params_marker_puts_values_inside_subqueries():
    text = ("SELECT ?n WHERE {\n  { SELECT (COUNT(*) AS ?n) WHERE {\n      # @params\n"
            "      ?p pkg:upvotes ?u FILTER(?u >= ?min) } }\n}")
    prepared = PreparedQuery(text, {"min": ox.Literal("12", datatype=ox.NamedNode(PREFIXES["xsd"] + "integer"))},
                             "SELECT")
    sparql = prepared.sparql()
    assert sparql.count("VALUES ?min") == 1 and sparql.index("VALUES") > sparql.index("SELECT (COUNT")
    assert len(sparql.splitlines()) == len(text.splitlines())  # error positions stay right
    assert query(text, fixture_dir(), params={"min": 12}).rows == [{"n": 2}]
