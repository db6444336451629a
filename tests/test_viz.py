"""paperkg.viz: choosing what a view shows, the page it becomes, and the viz/report commands."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest
from click.testing import CliRunner

from paperkg import graphs
from paperkg.cli import main
from paperkg.viz import (
    FocusError,
    ViewError,
    ViewGraph,
    make_view,
    parse_types,
    render_report,
    render_view,
    select_view,
    view_html,
)
from paperkg.viz.model import HAIRBALL_AUTHORS, OVERVIEW_SOLO_AUTHORS, SHOWN_AUTHORS, normalize_name
from paperkg.viz.page import json_for_html
from tests.browser_util import BASE, HOSTILE_TITLE, GraphBuilder, sample_graph, write_build

GEMINI = BASE + "paper/gemini-a-family-of-highly-capable-multimodal-models"
PENG = BASE + "author/daiyi-peng"


@pytest.fixture(scope="module")
def vg():
    return ViewGraph(graphs.to_networkx(sample_graph().triples))


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    return write_build(tmp_path_factory.mktemp("viz") / "build", sample_graph().triples)


def payload_of(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="paperkg-data">(.*?)</script>', page, re.DOTALL)
    return json.loads(match.group(1))


# --- focus names -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Daiyi Peng", "daiyi peng", "Peng, Daiyi", "DAIYI  PENG", "D Peng",
                                  "Daiyi Pengg", "author:Daiyi Peng", "author/daiyi-peng", PENG])
def test_focus_names_are_matched_forgivingly(vg, name):
    assert [m.node for m in vg.find(name)] == [PENG]


def test_title_fragments_and_entities_match(vg):
    assert [m.cls for m in vg.find("flan collection")] == ["Benchmark"]  # the exact name beats the title
    found = vg.find("designing data and methods")[0].node
    assert found == BASE + ("paper/the-flan-collection-designing-data-and-methods-for-effective-"
                            "instruction-tuning")
    assert [m.node for m in vg.find("mmlu")] == [BASE + "benchmark/mmlu"]
    assert [m.node for m in vg.find("method:gemini")] == [BASE + "method/gemini"]
    assert [m.node for m in vg.find("Google Deepmind")] == [BASE + "org/google-deepmind"]


def test_accents_are_ignored():
    assert normalize_name("Gödel, Kurt") == normalize_name("Godel Kurt")


def test_an_ambiguous_name_lists_the_candidates(vg):
    with pytest.raises(FocusError) as info:
        select_view(vg, focus="Liu")
    message = str(info.value)
    assert message.startswith("'Liu' matches 3 nodes;")
    for name in ("Ruibo Liu", "Zhihan Liu", "Zichen Liu"):
        assert name in message
    assert "author/ruibo-liu" in message
    assert len(info.value.candidates) == 3


def test_an_unknown_name_suggests_close_ones(vg):
    prefix = "^no paper, author, organization, benchmark or method matches "
    with pytest.raises(FocusError, match=prefix + r"'Dayo Pung'; did you mean: 'Daiyi Peng'\?$"):
        select_view(vg, focus="Dayo Pung")
    with pytest.raises(FocusError, match=prefix + "'Yann LeCun'$"):
        select_view(vg, focus="Yann LeCun")


# --- classes ---------------------------------------------------------------------------------------

def test_parse_types():
    assert parse_types("Paper,Author") == {"Paper", "Author"}
    assert parse_types("-Category,-orgs") == {"Paper", "Author", "Benchmark", "Method", "Task", "Metric"}
    assert "Listing" in parse_types("+Listing")
    assert "Listing" not in parse_types(None)
    with pytest.raises(ViewError, match="unknown class 'Papr' in --types; choose from: Paper, Author"):
        parse_types("Papr")
    with pytest.raises(ViewError, match="leaves no class"):
        parse_types("Paper,-Paper")


# --- overview ----------------------------------------------------------------------------------------

def test_overview_respects_the_budget_and_keeps_every_class(vg):
    view = select_view(vg, max_nodes=20)
    assert len(view.nodes) <= 20
    classes = {vg.cls[n] for n in view.nodes}
    assert {"Paper", "Author", "Benchmark", "Method", "Category"} <= classes
    assert view.notes and "most connected" in view.notes[0]


def test_overview_ranks_authors_by_degree_and_caps_solo_authors(vg):
    view = select_view(vg, max_nodes=300)
    gemini_solo = [n for n in view.nodes if "gemini-author" in n]
    assert len(gemini_solo) == OVERVIEW_SOLO_AUTHORS
    assert PENG in view.nodes and BASE + "author/quoc-v-le" in view.nodes


def test_overview_has_only_edges_between_its_nodes(vg):
    view = select_view(vg)
    nodes = set(view.nodes)
    assert view.edges and all(u in nodes and v in nodes for u, v, _r in view.edges)


def test_overview_of_authors_only_links_coauthors(vg):
    view = select_view(vg, types="Author")
    assert {vg.cls[n] for n in view.nodes} == {"Author"}
    assert (BASE + "author/chengrun-yang", BASE + "author/quoc-v-le", "co-author ×2") in view.edges


# --- focused views -------------------------------------------------------------------------------------

def test_author_focus_depth_one_and_two(vg):
    one = select_view(vg, focus="Daiyi Peng", depth=1)
    assert one.focus == [PENG]
    assert {vg.cls[n] for n in one.nodes} == {"Author", "Paper"}
    assert len(one.nodes) == 1 + 3
    two = select_view(vg, focus="Daiyi Peng", depth=2)
    assert set(one.nodes) < set(two.nodes)
    assert BASE + "author/jerry-wei" in two.nodes and BASE + "benchmark/longfact" in two.nodes


def test_focus_respects_max_nodes(vg):
    view = select_view(vg, focus="Quoc V. Le", depth=3, max_nodes=12)
    real = [n for n in view.nodes if n not in view.summaries]
    assert len(real) == 12
    assert real[0] == BASE + "author/quoc-v-le"
    assert any("most closely linked" in note for note in view.notes)


def test_a_paper_with_hundreds_of_authors_is_summarized(vg):
    view = select_view(vg, focus="Gemini: A Family", depth=1)
    authors = [n for n in view.nodes if vg.cls.get(n) == "Author"]
    first = [BASE + f"author/gemini-author-{i:02d}" for i in range(1, SHOWN_AUTHORS + 1)]
    assert authors[:SHOWN_AUTHORS] == first
    assert BASE + "author/quoc-v-le" in authors  # wrote other papers: kept
    assert len(authors) <= 2 * SHOWN_AUTHORS < HAIRBALL_AUTHORS
    (summary,) = view.summaries.values()
    assert summary.parent == GEMINI
    assert summary.count == 937 - len(authors)
    assert summary.label == f"+{937 - len(authors):,} more authors"
    assert (GEMINI, summary.id, "more") in view.edges


def test_the_focus_node_is_shown_even_when_its_class_is_excluded(vg):
    view = select_view(vg, focus="MMLU", types="Paper")
    assert BASE + "benchmark/mmlu" in view.nodes
    assert {vg.cls[n] for n in view.nodes if n not in view.summaries} == {"Paper", "Benchmark"}


def test_year_restriction(vg):
    vg2024 = vg.restrict_year(2024)
    papers = {n for n, c in vg2024.cls.items() if c == "Paper"}
    assert len(papers) == 4
    assert GEMINI not in vg2024.cls


def test_bad_depth_and_budget():
    vg_ = ViewGraph(graphs.to_networkx(sample_graph().triples))
    with pytest.raises(ViewError, match="--max-nodes must be at least 1"):
        select_view(vg_, max_nodes=0)
    with pytest.raises(ViewError, match="--depth must be 0 or more"):
        select_view(vg_, focus="MMLU", depth=-1)


def test_an_empty_graph_gives_a_clear_error():
    g = GraphBuilder()
    g.category("cs.LG")
    with pytest.raises(ViewError, match="the view is empty"):
        select_view(ViewGraph(graphs.to_networkx(g.triples)), types="Paper")


# --- the page ----------------------------------------------------------------------------------------

def test_json_for_html_cannot_close_its_script():
    text = json_for_html({"t": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"t": "</script><script>alert(1)</script> & <!--"}


def own_markup(page: str) -> str:
    """The page without the vendored vis-network code (whose strings mention tags)."""
    from paperkg.viz.page import VIS_NETWORK, asset

    return page.replace(asset(VIS_NETWORK), "")


def test_page_loads_nothing_from_the_network(build):
    page = own_markup(render_view(build))
    loads = r"""<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*["']?(https?:)?//"""
    assert not re.search(loads, page, re.IGNORECASE)
    assert not re.search(r"""url\(\s*["']?(https?:)?//""", page, re.IGNORECASE)
    assert "@import" not in page
    assert "cdn" not in page.lower()
    assert page.count("<script") == 3  # data, vis-network, the app


def test_hostile_text_is_never_markup(build):
    page = own_markup(render_view(build, focus="Mallory Attacker"))
    assert HOSTILE_TITLE not in page
    assert "<img" not in page and 'onerror="' not in page
    assert "window.__pwned" in page  # present, but only as escaped JSON text
    nodes = {n["i"]: n for n in payload_of(page)["nodes"]}
    hostile = next(n for n in nodes.values() if n["c"] == "Paper" and "pwned" in n["t"])
    assert hostile["t"] == HOSTILE_TITLE


def test_csp_allows_exactly_the_inline_scripts(build):
    page = render_view(build)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp and "unsafe-eval" not in csp
    scripts = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    assert len(scripts) == 2
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_payload_matches_the_view(build):
    vg_, view = make_view(build, focus="Gemini: A Family")
    data = payload_of(view_html(vg_, view))
    (key,) = data["views"]
    ids = data["views"][key]["nodes"]
    table = {n["id"]: n for n in data["nodes"]}
    real = [n for n in view.nodes if n not in view.summaries]
    assert [table[i]["i"] for i in ids if table[i]["c"] != "More"] == real
    more = [table[i] for i in ids if table[i]["c"] == "More"]
    assert [m["l"] for m in more] == [s.label for s in view.summaries.values()]
    paper = next(table[i] for i in ids if table[i]["i"] == GEMINI)
    facts = dict(paper["f"])
    assert facts["Authors"].endswith("(937 authors)")
    assert facts["Date"] == "2023-12-19"
    assert "cs.CL" in facts["Categories"]
    assert paper["x"].startswith("This report introduces")


def test_only_http_links_are_kept(vg):
    from paperkg.viz.page import node_facts

    _facts, _x, links = node_facts(vg, BASE + "paper/the-flan-collection-designing-data-and-methods-for-"
                                        "effective-instruction-tuning")
    assert links == [["paper", "https://arxiv.org/abs/2301.13688"],
                     ["code", "https://github.com/google-research/FLAN"]]


def test_same_graph_same_page(build):
    assert render_view(build, focus="MMLU") == render_view(build, focus="MMLU")


def test_report_has_views_for_its_charts(build):
    page = render_report(build)
    data = payload_of(page)
    assert data["default"] == "overview"
    keys = set(data["views"])
    assert {"year-2023", "year-2024", "benchmark-mmlu", "method-gpt-4", "author-daiyi-peng",
            "community-1"} <= keys
    for key in keys - {"overview"}:
        assert f'href="#view={key}"' in page
    assert "Papers per year" in page and "Top benchmarks" in page and "Co-authorship communities" in page
    assert HOSTILE_TITLE not in page


# --- commands ----------------------------------------------------------------------------------------

def run(*args):
    return CliRunner().invoke(main, list(args))


def test_viz_command_writes_the_overview(build, tmp_path):
    out = tmp_path / "view.html"
    result = run("viz", "--dir", str(build), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {out} (overview; ")
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_viz_command_focus_options(build, tmp_path):
    out = tmp_path / "peng.html"
    result = run("viz", "--dir", str(build), "-o", str(out), "--focus", "Peng, Daiyi", "--depth", "1",
                 "--types", "-Category", "--max-nodes", "50")
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out} (focus: Daiyi Peng; 4 nodes, 3 links)\n"


def test_viz_command_default_output_is_in_the_build_folder(build):
    result = run("viz", "--dir", str(build))
    assert result.exit_code == 0, result.output
    assert (build / "view.html").exists()


def test_viz_command_ambiguous_focus_is_an_error(build):
    result = run("viz", "--dir", str(build), "--focus", "Liu")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "Error: 'Liu' matches 3 nodes; give one of these names or its IRI tail, or prefix a class "
        "(author:NAME, method:NAME):")


def test_viz_command_unknown_type_is_an_error(build):
    result = run("viz", "--dir", str(build), "--types", "Gadget")
    assert result.exit_code == 1
    assert result.output.startswith("Error: unknown class 'Gadget' in --types; choose from: Paper, Author,")


def test_viz_command_without_a_build(tmp_path):
    result = run("viz", "--dir", str(tmp_path / "nothing"))
    assert result.exit_code == 1
    assert result.output == (f"Error: {tmp_path / 'nothing'}: no graph has been built here "
                             "(run `paperkg build` first)\n")


def test_viz_command_usage_error(build):
    result = run("viz", "--dir", str(build), "--depth", "-3")
    assert result.exit_code == 2


def test_report_command(build):
    result = run("report", "--dir", str(build))
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {build / 'report.html'}\n"
    assert "paperkg report" in (build / "report.html").read_text()


@pytest.mark.parametrize("command", ["viz", "stats", "report"])
def test_commands_have_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "--dir" in result.output
