"""``paperkg query`` through click's CliRunner: formats, parameters, exit codes and Error: lines."""

from __future__ import annotations

import csv
import io
import json

import pytest
import rdflib
from click.testing import CliRunner

from paperkg.cli import main
from paperkg.cli.query import FORMAT_NAMES
from paperkg.sparql import RESULT_FORMATS, library
from tests.test_query_support import BASE, fixture_dir

TITLES = "SELECT ?title WHERE { ?p a pkg:Paper ; dcterms:title ?title } ORDER BY ?title"


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, ["query", *args, "--dir", str(fixture_dir())], input=stdin)


def test_format_choices_match_the_writers():
    assert FORMAT_NAMES == tuple(RESULT_FORMATS)


def test_table_by_default():
    result = run(TITLES)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:3] == ["title", "-------------------------------------", "A New Benchmark for Grade School Math"]
    assert lines[-1] == "(6 rows)"


def test_csv_tsv_json_xml():
    rows = list(csv.reader(io.StringIO(run(TITLES, "--format", "csv").output)))
    assert rows[0] == ["title"] and rows[1] == ["A New Benchmark for Grade School Math"] and len(rows) == 7
    tsv = run(TITLES, "-f", "tsv").output.splitlines()
    assert tsv[:2] == ["?title", '"A New Benchmark for Grade School Math"']
    doc = json.loads(run(TITLES, "--format", "json").output)
    assert doc["head"]["vars"] == ["title"] and len(doc["results"]["bindings"]) == 6
    xml = run(TITLES, "--format", "xml").output
    assert xml.startswith("<?xml") and xml.count("<result>") == 6


def test_construct_gives_turtle_or_ntriples():
    query = "CONSTRUCT { ?p dcterms:title ?t } WHERE { ?p dcterms:title ?t }"
    turtle = run(query)
    assert turtle.exit_code == 0
    assert len(rdflib.Graph().parse(data=turtle.output, format="turtle")) == 6
    nt = run(query, "--format", "ntriples").output
    assert len(nt.strip().splitlines()) == 6 and nt.startswith("<https://w3id.org/paperkg/id/paper/")


def test_a_format_that_does_not_fit_the_query_is_an_error():
    result = run("ASK { ?s ?p ?o }", "--format", "turtle")
    assert result.exit_code == 1
    assert result.output == ("Error: format 'turtle' cannot write ASK results; choose one of: "
                             "table, csv, tsv, json, xml\n")


def test_unknown_format_is_a_usage_error_listing_the_choices():
    result = run(TITLES, "--format", "yaml")
    assert result.exit_code == 2
    assert "unknown result format 'yaml'; choose one of: table, csv, tsv, json, xml, turtle" in result.output


def test_ask_prints_true_or_false_and_exit_status_branches():
    yes = run("ASK { ?p pkg:upvotes 30 }")
    assert (yes.exit_code, yes.output) == (0, "true\n")
    no = run("ASK { ?p pkg:upvotes 31 }")
    assert (no.exit_code, no.output) == (0, "false\n")
    assert run("ASK { ?p pkg:upvotes 30 }", "--exit-status").exit_code == 0
    assert run("ASK { ?p pkg:upvotes 31 }", "--exit-status").exit_code == 3
    assert run("paper-exists", "--param", "paper=Sorting Networks", "--exit-status").exit_code == 0
    assert run("paper-exists", "-p", "paper=Unsorted Networks", "--exit-status").exit_code == 3
    assert run("SELECT * WHERE { ?s pkg:upvotes 99 }", "--exit-status").exit_code == 3


def test_library_query_with_params():
    result = run("leaderboard", "--param", "benchmark=ImageNet", "--param", "metric=error rate", "-f", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["method_name"], r["value"]) for r in rows] == [("ViT", "11.5"), ("ResNet", "23.5")]


def test_missing_required_param_and_bad_param_syntax():
    result = run("leaderboard")
    assert result.exit_code == 1
    assert result.output.startswith("Error: library query 'leaderboard' needs --param benchmark=...")
    bad = run("leaderboard", "--param", "benchmark")
    assert bad.exit_code == 2 and "expected NAME=VALUE, got 'benchmark'" in bad.output


def test_a_name_matching_nothing_warns_on_stderr():
    result = run("leaderboard", "-p", "benchmark=Nope")
    assert result.exit_code == 0
    assert result.stderr == "warning: nothing in the graph is named 'Nope' (parameter benchmark)\n"
    assert result.stdout.splitlines()[-1] == "(0 rows)"


def test_query_from_a_file_and_from_stdin(tmp_path):
    path = tmp_path / "titles.rq"
    path.write_text(TITLES, encoding="utf-8")
    assert run(str(path), "-f", "csv").output.splitlines()[1] == "A New Benchmark for Grade School Math"
    assert run("-", "-f", "csv", stdin=TITLES).output.splitlines()[1] == "A New Benchmark for Grade School Math"


def test_adhoc_params_bind_variables():
    result = run("SELECT ?title WHERE { ?p dcterms:title ?title ; pkg:upvotes ?n FILTER(?n > ?min) } ORDER BY ?title",
                 "-p", "min=10", "-f", "csv")
    assert result.output.splitlines()[1:] == ["A New Benchmark for Grade School Math", "Vision Transformers at Scale"]


def test_syntax_error_exit_1_with_line_and_column():
    result = run("SELECT ?x WHERE {\n  ?x a pkg:Paper\n  FILTER(?x = ) }")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "Error: SPARQL syntax error at line 3, column 3: unexpected 'FILTER'"
    assert result.output.splitlines()[1:] == ["    FILTER(?x = ) }", "    ^"]


def test_unknown_prefix_says_which():
    result = run("SELECT ?x WHERE { ?x a foo:Bar }")
    assert result.exit_code == 1
    assert result.output.startswith("Error: unknown prefix 'foo:' at line 1, column 24; predeclared prefixes are "
                                    "pkg, dcterms, foaf, schema, skos, prov, rdfs, owl, xsd, rdf")


def test_timeout_stops_cleanly():
    result = run("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }", "--timeout", "0.5")
    assert result.exit_code == 1
    assert result.output == "Error: query timed out after 0.5 s\n"


def test_max_rows():
    result = run(TITLES, "--max-rows", "2")
    assert result.output.splitlines()[-1] == "(2 rows; truncated at 2, more exist)"
    csv_result = run(TITLES, "--max-rows", "2", "-f", "csv")
    assert len(csv_result.stdout.strip().splitlines()) == 3
    assert csv_result.stderr == "note: output cut at 2 rows; more exist\n"


def test_update_is_refused():
    result = run("DELETE WHERE { ?s ?p ?o }")
    assert result.exit_code == 1
    assert result.output.startswith("Error: this is a SPARQL update; paperkg runs read-only queries")
    assert run("ASK { ?s ?p ?o }").output == "true\n"


def test_list_and_show():
    listing = run("--list")
    assert listing.exit_code == 0
    for name in library():
        assert name in listing.output
    assert "leaderboard                 benchmark [metric]" in listing.output
    as_json = json.loads(run("--list", "-f", "json").output)
    assert {q["name"] for q in as_json} == set(library())
    shown = run("leaderboard", "--show")
    assert shown.output.startswith("# title: Leaderboard of a benchmark")


def test_no_query_is_a_usage_error():
    result = run()
    assert result.exit_code == 2
    assert "give a query" in result.output


def test_missing_build_says_to_build_first(tmp_path):
    result = CliRunner().invoke(main, ["query", TITLES, "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path}: no graph has been built here (run `paperkg build` first)\n"


@pytest.mark.parametrize("name", sorted(library()))
def test_every_library_example_runs(name):
    import shlex

    for example in library()[name].examples:
        args = shlex.split(example)[2:]
        args = [a.replace("ImageNet", "ImageNet").replace("Daiyi Peng", "Ada Lovelace") for a in args]
        if "--param" in args and "listing=000_2e2fe5c50ee24c11.txt" in args:
            args[args.index("listing=000_2e2fe5c50ee24c11.txt")] = "listing=lab.txt"
        result = run(*[a for a in args if a != "--exit-status"])
        assert result.exit_code == 0, (example, result.output)


def test_help_documents_the_command():
    result = CliRunner().invoke(main, ["query", "--help"])
    assert result.exit_code == 0
    for option in ("--format", "--param", "--list", "--timeout", "--exit-status", "--max-rows", "--dir"):
        assert option in result.output
    assert BASE not in result.output
