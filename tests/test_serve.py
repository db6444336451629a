"""``paperkg serve`` as its users meet it: a real server on a free loopback port, real SPARQL clients.

The server runs as a subprocess (``paperkg serve``) on 127.0.0.1; every request goes to that address
only, and every wait is bounded.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import rdflib

from tests.test_query_support import BASE, ROOT, fixture_dir, make_build

# The server's stack (runtime dependencies) and the client the tests use (a test dependency).
pytest.importorskip("starlette", reason="paperkg serve needs starlette (a runtime dependency)")
pytest.importorskip("uvicorn", reason="paperkg serve needs uvicorn (a runtime dependency)")
pytest.importorskip("SPARQLWrapper", reason="the serve tests talk to the server with SPARQLWrapper")

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, directory: Path, *args: str) -> None:
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        paperkg = Path(sys.executable).with_name("paperkg")
        command = [str(paperkg)] if paperkg.exists() else [sys.executable, "-m", "paperkg.cli"]
        self.process = subprocess.Popen(
            [*command, "serve", "--dir", str(directory), "--host", HOST, "--port", str(self.port), *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"paperkg serve ended: {self.process.stdout.read().decode()}")
            with contextlib.suppress(OSError), socket.create_connection((HOST, self.port), timeout=0.5):
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("paperkg serve did not start within 30 s")

    @property
    def endpoint(self) -> str:
        return self.base + "/sparql"

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # the session holds the server and its workers
                self.process.wait(5)
        return self.process.stdout.read().decode()

    def request(self, path: str, *, data: bytes | None = None, headers: dict | None = None,
                method: str | None = None, timeout: float = 30):
        """(status, headers, body) of one request to this server."""
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {}, method=method)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read()

    def get(self, query: str, accept: str | None = None, **extra):
        params = urllib.parse.urlencode({"query": query, **extra})
        return self.request(f"/sparql?{params}", headers={"Accept": accept} if accept else {})


@pytest.fixture(scope="module")
def server():
    srv = Server(fixture_dir(), "--timeout", "2", "--max-rows", "50", "--workers", "2")
    yield srv
    srv.stop()


TITLES = "SELECT ?title WHERE { ?p a pkg:Paper ; dcterms:title ?title } ORDER BY ?title"
GRAPH = "CONSTRUCT { ?p dcterms:title ?t } WHERE { ?p dcterms:title ?t }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


# ---------------------------------------------------------------------------------------------------
# Real clients
# ---------------------------------------------------------------------------------------------------

def test_sparqlwrapper_select_json_get_and_post(server):
    from SPARQLWrapper import GET, JSON, POST, POSTDIRECTLY, SPARQLWrapper

    for method, request_method in ((GET, None), (POST, None), (POST, POSTDIRECTLY)):
        client = SPARQLWrapper(server.endpoint)
        client.setQuery(TITLES)
        client.setReturnFormat(JSON)
        client.setMethod(method)
        if request_method:
            client.setRequestMethod(request_method)
        data = client.queryAndConvert()
        titles = [b["title"]["value"] for b in data["results"]["bindings"]]
        assert titles[:2] == ["A New Benchmark for Grade School Math", "Residual Networks Revisited"]
        assert len(titles) == 6


def test_sparqlwrapper_xml_csv_tsv_and_ask(server):
    from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper

    client = SPARQLWrapper(server.endpoint)
    client.setQuery(TITLES)
    client.setReturnFormat(XML)
    xml = client.queryAndConvert()  # an xml.dom Document
    assert len(xml.getElementsByTagName("result")) == 6
    client.setReturnFormat(CSV)
    rows = list(csv.reader(io.StringIO(client.queryAndConvert().decode())))
    assert rows[0] == ["title"] and len(rows) == 7
    client.setReturnFormat(TSV)
    assert client.queryAndConvert().decode().splitlines()[1] == '"A New Benchmark for Grade School Math"'
    client.setQuery("ASK { ?p pkg:upvotes 30 }")
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is True


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # inside SPARQLWrapper
def test_sparqlwrapper_construct_as_turtle_and_jsonld(server):
    from SPARQLWrapper import JSONLD, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(server.endpoint)
    client.setQuery(GRAPH)
    client.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=client.queryAndConvert().decode(), format="turtle")
    assert len(graph) == 6
    client.setReturnFormat(JSONLD)
    assert len(client.queryAndConvert()) == 6  # SPARQLWrapper parses JSON-LD into an rdflib Graph


def test_rdflib_sparqlstore(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = rdflib.Graph(store=SPARQLStore(server.endpoint))
    rows = list(graph.query("PREFIX pkg: <https://w3id.org/paperkg/ontology#> "
                            "SELECT ?name WHERE { ?b a pkg:Benchmark ; <http://www.w3.org/2000/01/rdf-schema#label> ?name }"
                            " ORDER BY ?name"))
    assert [str(r.name) for r in rows] == ["COCO", "GSM8K", "ImageNet"]
    assert graph.query("ASK { ?s ?p ?o }").askAnswer is True
    coco = rdflib.URIRef(BASE + "benchmark/coco")
    assert str(graph.value(coco, rdflib.RDFS.label)) == "COCO"


# ---------------------------------------------------------------------------------------------------
# Content negotiation
# ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("accept,media", [
    (None, "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/sparql-results+xml"),
])
def test_select_content_negotiation(server, accept, media):
    status, headers, body = server.get(TITLES, accept)
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == media
    assert b"Sorting Networks" in body


@pytest.mark.parametrize("accept,media,rdflib_format", [
    (None, "text/turtle", "turtle"),
    ("text/turtle", "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("application/sparql-results+json, text/turtle;q=0.9", "text/turtle", "turtle"),
])
def test_graph_content_negotiation(server, accept, media, rdflib_format):
    status, headers, body = server.get(GRAPH, accept)
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == media
    assert len(rdflib.Graph().parse(data=body.decode(), format=rdflib_format)) == 6


def test_format_parameter_overrides_accept(server):
    status, headers, _ = server.get(TITLES, "application/sparql-results+xml", format="csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")


def test_not_acceptable(server):
    status, _, body = server.get(TITLES, "image/png")
    assert status == 406
    assert b"application/sparql-results+json" in body


# ---------------------------------------------------------------------------------------------------
# Read-only, errors, limits
# ---------------------------------------------------------------------------------------------------

def test_updates_are_refused_and_change_nothing(server):
    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    before = server.get(COUNT)[2]
    insert = "INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }"
    client = SPARQLWrapper(server.endpoint)
    client.setMethod(POST)
    client.setQuery(insert)
    with pytest.raises((SPARQLWrapperException, urllib.error.HTTPError)):
        client.query()
    form = urllib.parse.urlencode({"update": insert}).encode()
    status, _, body = server.request("/sparql", data=form,
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403 and body.startswith(b"Error: this endpoint is read-only")
    status, _, _ = server.request("/sparql", data=insert.encode(),
                                  headers={"Content-Type": "application/sparql-update"})
    assert status == 403
    assert server.request("/sparql?" + urllib.parse.urlencode({"update": insert}))[0] == 403
    # An update sent as a query is no query at all.
    assert server.get("DELETE WHERE { ?s ?p ?o }")[0] == 400
    assert server.get(COUNT)[2] == before
    assert json.loads(server.get("ASK { <urn:x:s> ?p ?o }")[2])["boolean"] is False


def test_syntax_error_is_400_with_line_and_column(server):
    status, headers, body = server.get("SELECT ?x WHERE { ?x a ex:Thing }")
    assert status == 400
    assert headers["Content-Type"].startswith("text/plain")
    assert body.decode().startswith("Error: unknown prefix 'ex:' at line 1, column 24")


def test_runaway_query_is_stopped_and_the_server_lives_on(server):
    started = time.monotonic()
    status, _, body = server.get("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    assert status == 503 and b"timed out after 2 s" in body
    assert time.monotonic() - started < 15
    # the killed worker was replaced: both workers answer again
    for _ in range(4):
        assert server.get(COUNT)[0] == 200


def test_result_size_cap_truncates_and_says_so(server):
    status, headers, body = server.get("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "application/sparql-results+json")
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == 50
    assert headers["X-PaperKG-Truncated"] == "true" and headers["X-PaperKG-Max-Rows"] == "50"
    status, headers, _ = server.get(TITLES)
    assert "X-PaperKG-Truncated" not in headers


def test_dataset_parameters_are_refused(server):
    status, _, body = server.get(TITLES, None, **{"default-graph-uri": "urn:g"})
    assert status == 400 and b"default-graph-uri" in body


def test_unsupported_post_body(server):
    status, _, _ = server.request("/sparql", data=b"{}", headers={"Content-Type": "application/json"})
    assert status == 415


# ---------------------------------------------------------------------------------------------------
# CORS, the library, the page, the service description
# ---------------------------------------------------------------------------------------------------

def test_cors_for_browser_clients(server):
    _, headers, _ = server.request("/sparql?" + urllib.parse.urlencode({"query": TITLES}),
                                   headers={"Origin": "http://localhost:3000"})
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "X-PaperKG-Truncated" in headers["Access-Control-Expose-Headers"]
    status, headers, _ = server.request("/sparql", method="OPTIONS", headers={
        "Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert status == 200
    assert "POST" in headers["Access-Control-Allow-Methods"]


def test_library_over_http(server):
    status, headers, body = server.request("/queries")
    assert status == 200
    queries = {q["name"]: q for q in json.loads(body)}
    assert len(queries) >= 15 and queries["leaderboard"]["params"][0]["name"] == "benchmark"
    status, headers, body = server.request("/queries/leaderboard?benchmark=imagenet&metric=error+rate",
                                           headers={"Accept": "text/csv"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert [(r["method_name"], r["value"]) for r in rows] == [("ViT", "11.5"), ("ResNet", "23.5")]
    assert server.request("/queries/leaderboard")[0] == 400  # benchmark is required
    assert server.request("/queries/no-such-query")[0] == 404
    status, headers, _ = server.request("/queries/leaderboard?benchmark=Nothing")
    assert status == 200 and "Nothing" in headers["X-PaperKG-Warning"]


def test_the_page_works_offline(server):
    status, headers, body = server.request("/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    page = body.decode()
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", page, re.IGNORECASE), \
        "the page must not load or link anything from the network"
    assert "<script src" not in page and "<link" not in page
    assert 'fetch("queries")' in page and 'fetch("prefixes")' in page
    assert json.loads(server.request("/prefixes")[2])["pkg"] == "https://w3id.org/paperkg/ontology#"


def test_service_description(server):
    status, headers, body = server.request("/sparql", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=body.decode(), format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (rdflib.URIRef(server.endpoint), rdflib.RDF.type, sd.Service) in graph


# ---------------------------------------------------------------------------------------------------
# A rebuild while serving; a missing build
# ---------------------------------------------------------------------------------------------------

def test_a_rebuild_is_seen_without_restart(tmp_path):
    directory = make_build(tmp_path / "build", "<urn:a> <urn:b> 'one' .")
    srv = Server(directory, "--workers", "1")
    try:
        assert json.loads(srv.get(COUNT)[2])["results"]["bindings"][0]["n"]["value"] == "1"
        make_build(directory, "<urn:a> <urn:b> 'one' . <urn:a> <urn:b> 'two' .")
        assert json.loads(srv.get(COUNT)[2])["results"]["bindings"][0]["n"]["value"] == "2"
    finally:
        srv.stop()


def test_serve_without_a_build_fails_cleanly(tmp_path):
    from click.testing import CliRunner

    from paperkg.cli import main

    result = CliRunner().invoke(main, ["serve", "--dir", str(tmp_path), "--port", str(free_port())])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "no graph has been built here" in result.output


def test_ctrl_c_stops_the_server_and_its_workers():
    srv = Server(fixture_dir(), "--workers", "2")
    assert srv.get(COUNT)[0] == 200
    output = srv.stop()
    assert srv.process.returncode == 0, output
    assert "serving" in output and "stopped" in output
    time.sleep(0.5)
    with pytest.raises(OSError):
        socket.create_connection((HOST, srv.port), timeout=1).close()
    # no worker of that server survives it (zombies waiting to be reaped by init do not count)
    deadline = time.monotonic() + 10
    while True:
        states = subprocess.run(["ps", "-o", "stat=", "-s", str(srv.process.pid)], capture_output=True,
                                text=True, check=False).stdout.split()
        alive = [state for state in states if not state.startswith("Z")]
        if not alive or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert alive == []


def test_negotiate_unit():
    from paperkg.server import negotiate

    assert negotiate("solutions", None) == "json"
    assert negotiate("graph", "") == "turtle"
    assert negotiate("graph", "application/turtle,text/turtle") == "turtle"
    assert negotiate("graph", "application/ld+json,application/x-json+ld") == "jsonld"
    assert negotiate("graph", None, "json-ld") == "jsonld"
    assert negotiate("graph", None, "xml") == "rdfxml"
    assert negotiate("solutions", "text/*") == "csv"
    assert negotiate("solutions", "text/csv;q=0, application/*") == "json"
    assert negotiate("solutions", "image/png") is None
    assert negotiate("solutions", "text/csv", "nonsense") == "csv"  # an unknown format= defers to Accept
