"""Every IRI of the graph is valid when it is made, so a loose web address in a listing never fails a build.

The store loads the build's N-Quads without checking IRIs again (``lenient``), which is only right if
mapping never writes an invalid one: addresses read from listings and abstracts go through
:func:`paperkg.mapping.web_iri`, and the base of all minted IRIs is checked once.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from paperkg import build_graph, query
from paperkg.errors import InputError
from paperkg.mapping import IriMinter, web_iri


@pytest.mark.parametrize("url, expected", [
    ("https://github.com/google/automl", "https://github.com/google/automl"),
    ("https://github.com/a/b?x=1#readme", "https://github.com/a/b?x=1#readme"),
    ("https://gitlab.com/a%20b", "https://gitlab.com/a%20b"),            # a real escape stays
    ("https://github.com/a%zz/b", "https://github.com/a%25zz/b"),        # a stray '%' is escaped
    ("https://github.com/x?q=100%", "https://github.com/x?q=100%25"),
    ("https://github.com/x#a#b", "https://github.com/x#a%23b"),          # one fragment only
    ("https://github.com/a\x01b", "https://github.com/a%01b"),           # control characters
    ("https://github.com/a\x7f", "https://github.com/a%7F"),
    ("https://héllo.example/ü", "https://héllo.example/ü"),              # IRIs allow Unicode
])
def test_web_iri_keeps_or_repairs(url, expected):
    assert web_iri(url) == expected
    ox.NamedNode(expected)  # and the store accepts it


@pytest.mark.parametrize("url", [
    "https://host:port/x",        # a port must be digits
    "http://[::1/x",              # an unclosed IP literal
    "https://github.com/a b",     # a space: two words, not one address
    "ftp://example.org/file",     # not a web address
    "github.com/google/automl",   # no scheme
    "https://exa<mple>.org",
])
def test_web_iri_drops_what_cannot_be_an_iri(url):
    assert web_iri(url) is None


def test_a_listing_with_loose_addresses_builds(tmp_path):
    listing = tmp_path / "loose.jsonl"
    rows = [
        {"title": "A Study of Loose Links", "authors": ["Ann Lee", "Bo Chen"], "year": 2023,
         "code_url": "https://github.com/x/y#a#b", "url": "https://example.org/p%zz"},
        {"title": "Ports Are Numbers", "authors": ["Ann Lee"], "year": 2024, "code_url": "https://host:port/x",
         "abstract": "Our code is at https://github.com/ann/z%zz and we test on ImageNet."},
    ]
    listing.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    build_graph([listing], tmp_path / "out", jobs=1)
    found = query("SELECT ?title ?p ?o WHERE { ?paper dcterms:title ?title ; ?p ?o . "
                  "FILTER(?p IN (pkg:codeRepository, schema:url)) } ORDER BY ?title ?p ?o",
                  tmp_path / "out").rows
    assert sorted((row["title"], row["p"].rsplit("#", 1)[-1].rsplit("/", 1)[-1], row["o"]) for row in found) == [
        ("A Study of Loose Links", "codeRepository", "https://github.com/x/y#a%23b"),
        ("A Study of Loose Links", "url", "https://example.org/p%25zz"),
        ("Ports Are Numbers", "codeRepository", "https://github.com/ann/z%25zz"),
    ]


def test_an_invalid_base_is_refused_before_anything_is_built(tmp_path):
    with pytest.raises(InputError, match="base IRI"):
        IriMinter("http://ex ample/")
    listing = tmp_path / "one.jsonl"
    listing.write_text(json.dumps({"title": "One Paper", "authors": ["Ann Lee"]}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="base IRI"):
        build_graph([listing], tmp_path / "out", base="http://ex ample/", jobs=1)
    assert not (tmp_path / "out" / "current").exists()
