"""``paperkg stats``: readable tables and JSON."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from paperkg.cli import main
from tests.browser_util import BASE, sample_graph, write_build


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    return write_build(tmp_path_factory.mktemp("stats") / "build", sample_graph().triples)


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_stats_table(build):
    result = run("stats", "--dir", str(build))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Nodes per class  (136 edges)"
    assert "  Paper             8" in lines
    top_authors = lines.index("Top authors by papers")
    assert lines[top_authors + 3].split() == ["Quoc", "V.", "Le", "4"]
    assert "Co-authorship network  (papers with more than 50 authors left out: 1)" in lines
    rows = {line[:39].strip(): line[39:].strip() for line in lines if line.startswith("  ")}
    assert rows["largest component: authors"] == "11"
    assert rows["of them only on papers left out"] == "60"


def test_stats_json(build):
    result = run("stats", "--dir", str(build), "--format", "json", "--top", "2")
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    assert set(stats) == {"counts", "rankings", "papers_per_year", "coauthorship"}
    assert stats["counts"]["Paper"] == 8
    top = [r["iri"] for r in stats["rankings"]["authors"]]
    assert top == [BASE + "author/quoc-v-le", BASE + "author/daiyi-peng"]
    assert len(stats["coauthorship"]["degree_centrality"]) == 2
    assert set(stats["coauthorship"]["components"]) == {"count", "isolated_authors", "largest", "sizes"}


def test_stats_max_authors_lets_consortium_papers_in(build):
    stats = json.loads(run("stats", "--dir", str(build), "--format", "json", "--max-authors", "100").output)
    assert stats["coauthorship"]["papers_left_out"] == 0
    assert stats["coauthorship"]["components"]["largest"]["authors"] > 60


def test_stats_without_a_build(tmp_path):
    result = run("stats", "--dir", str(tmp_path / "none"))
    assert result.exit_code == 1
    assert result.output == (f"Error: {tmp_path / 'none'}: no graph has been built here "
                             "(run `paperkg build` first)\n")


def test_stats_bad_format(build):
    result = run("stats", "--dir", str(build), "--format", "yaml")
    assert result.exit_code == 2
    assert "'yaml' is not one of 'table', 'json'" in result.output
