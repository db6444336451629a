"""paperkg add: new listings merge into a build without rebuilding it; same listing, no change;
a changed listing replaces its contribution; listings keep their own named graphs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from paperkg import build_graph
from paperkg.api import export_graph, store_triples
from paperkg.build import add_listings
from paperkg.cli import main

BASE = "https://w3id.org/paperkg/id/"


def _triples(directory: Path) -> set:
    return {(s.value, p.value, str(o)) for s, p, o in store_triples(directory)}


def _seed_files(seeds_dir: Path) -> list[Path]:
    return sorted(p for p in seeds_dir.iterdir() if p.is_file() and not p.name.startswith("."))


@pytest.fixture()
def split_seeds(seeds_dir, tmp_path):
    """The seeds as a folder of all but the last listing, and the last listing on its own."""
    files = _seed_files(seeds_dir)
    first = tmp_path / "listings"
    first.mkdir()
    for path in files[:-1]:
        shutil.copy(path, first / path.name)
    last = tmp_path / files[-1].name
    shutil.copy(files[-1], last)
    return first, last


def test_add_of_a_new_listing_gives_the_graph_of_a_full_build(split_seeds, tmp_path):
    first, last = split_seeds
    build_graph([first], tmp_path / "inc", jobs=1)
    summary = add_listings([last], tmp_path / "inc", jobs=1)
    assert summary.statuses == {last.name: "added"} and summary.changed
    build_graph([first, last], tmp_path / "full", jobs=1)
    assert _triples(tmp_path / "inc") == _triples(tmp_path / "full")
    # Same graph, same bytes: the Turtle comes out of the store in an order set by the triples alone.
    assert (tmp_path / "inc" / "paperkg.ttl").read_bytes() == (tmp_path / "full" / "paperkg.ttl").read_bytes()
    assert summary.extracted < summary.papers  # papers already built were not extracted again


def test_adding_the_same_listing_again_changes_nothing(split_seeds, tmp_path):
    first, last = split_seeds
    out = tmp_path / "out"
    build_graph([first], out, jobs=1)
    add_listings([last], out, jobs=1)
    current = (out / "current").resolve()
    before = {name: (out / name).read_bytes() for name in ("paperkg.ttl", "extractions.jsonl")}
    summary = add_listings([last], out, jobs=1)
    assert summary.statuses == {last.name: "unchanged"} and not summary.changed
    assert (out / "current").resolve() == current  # no new generation
    assert {name: (out / name).read_bytes() for name in before} == before
    # A listing that was part of the build (inside the folder) is recognized by its path too.
    again = add_listings([first], out, jobs=1)
    assert set(again.statuses.values()) == {"unchanged"}


def test_a_changed_listing_replaces_its_contribution(tmp_path):
    listing = tmp_path / "mine.jsonl"
    other = tmp_path / "other.jsonl"
    listing.write_text(
        '{"title": "Kept Paper on Sparse Routing", "authors": ["Ada Lovelace", "Alan Turing"]}\n'
        '{"title": "Removed Paper on Dense Routing", "authors": ["Ada Lovelace", "Grace Hopper"]}\n',
        encoding="utf-8")
    other.write_text('{"title": "Another Paper", "authors": ["Alan Turing"]}\n', encoding="utf-8")
    out = tmp_path / "out"
    build_graph([listing, other], out, jobs=1)
    assert (BASE + "paper/removed-paper-on-dense-routing", str(ox.NamedNode(
        "http://purl.org/dc/terms/title").value), '"Removed Paper on Dense Routing"') in _triples(out)
    listing.write_text(
        '{"title": "Kept Paper on Sparse Routing", "authors": ["Ada Lovelace", "Alan Turing"]}\n'
        '{"title": "New Paper on Mixture Routing", "authors": ["Ada Lovelace"]}\n', encoding="utf-8")
    summary = add_listings([listing], out, jobs=1)
    assert summary.statuses == {"mine.jsonl": "replaced"}
    subjects = {s for s, _, _ in _triples(out)}
    assert BASE + "paper/removed-paper-on-dense-routing" not in subjects
    assert BASE + "author/grace-hopper" not in subjects  # only on the removed paper
    assert BASE + "paper/new-paper-on-mixture-routing" in subjects
    full = tmp_path / "full"
    build_graph([listing, other], full, jobs=1)
    assert _triples(out) == _triples(full)


def test_nquads_export_keeps_each_listing_in_its_own_graph(split_seeds, tmp_path):
    first, last = split_seeds
    out = tmp_path / "out"
    build_graph([first], out, jobs=1)
    add_listings([last], out, jobs=1)
    quads = list(ox.parse(export_graph(out, "nquads"), format=ox.RdfFormat.N_QUADS))
    graphs = {q.graph_name.value for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}
    listing_ids = [p.name for p in sorted(first.iterdir())] + [last.name]
    from paperkg.mapping import IriMinter, listing_iri

    assert graphs == {listing_iri(IriMinter(BASE), lid) for lid in listing_ids}
    in_last = [q for q in quads if q.graph_name == ox.NamedNode(listing_iri(IriMinter(BASE), last.name))]
    assert any(q.predicate.value == "http://www.w3.org/ns/prov#wasDerivedFrom" for q in in_last)
    # The default graph is the whole merged graph, so queries need no GRAPH clause.
    default = {(q.subject.value, q.predicate.value, str(q.object)) for q in quads
               if isinstance(q.graph_name, ox.DefaultGraph)}
    assert default == _triples(out)
    trig = ox.Dataset(ox.parse(export_graph(out, "trig"), format=ox.RdfFormat.TRIG))
    assert len(trig) == len(quads)


def test_add_needs_a_build_and_a_failed_add_changes_nothing(split_seeds, tmp_path):
    first, last = split_seeds
    runner = CliRunner()
    result = runner.invoke(main, ["add", str(last), "--dir", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1].startswith("Error: ") and "paperkg build" in result.output
    out = tmp_path / "out"
    build_graph([first], out, jobs=1)
    before = (out / "paperkg.ttl").read_bytes(), (out / "current").resolve()
    bad = tmp_path / "bad.txt"
    bad.write_text("\x00\x01 not a listing", encoding="utf-8")
    result = runner.invoke(main, ["add", str(last), str(bad), "--dir", str(out)])
    assert result.exit_code == 1 and result.output.splitlines()[-1].startswith(f"Error: {bad}:")
    assert ((out / "paperkg.ttl").read_bytes(), (out / "current").resolve()) == before
    assert not [p for p in out.iterdir() if p.name.endswith(".partial")]


def test_add_command_reports_each_listing(split_seeds, tmp_path):
    first, last = split_seeds
    runner = CliRunner()
    out = tmp_path / "out"
    assert runner.invoke(main, ["build", str(first), "--dir", str(out), "-q", "--jobs", "1"]).exit_code == 0
    result = runner.invoke(main, ["add", str(last), "--dir", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert f"  {last.name}  added" in result.output.splitlines()
    result = runner.invoke(main, ["add", str(last), "--dir", str(out), "-q"])
    assert result.exit_code == 0
    assert result.output.strip() == f"unchanged {out}: 1 unchanged; nothing to do"


# --------------------------------------------------------------------------- add patches the build
def _dataset(directory: Path) -> list[str]:
    from paperkg.store import open_store

    return sorted(str(q) for q in open_store(directory).quads_for_pattern(None, None, None, None))


def _assert_same_build(incremental: Path, full: Path) -> None:
    """Same Turtle and extraction bytes, same store (default graph and every listing's graph)."""
    for name in ("paperkg.ttl", "extractions.jsonl"):
        assert (incremental / name).read_bytes() == (full / name).read_bytes(), name
    assert _dataset(incremental) == _dataset(full)


@pytest.mark.parametrize("last", range(5))
def test_adding_any_seed_listing_patches_the_build_into_the_full_one(seeds_dir, tmp_path, last):
    files = _seed_files(seeds_dir)
    first = tmp_path / "listings"
    first.mkdir()
    for path in files[:last] + files[last + 1:]:
        shutil.copy(path, first / path.name)
    added = tmp_path / files[last].name
    shutil.copy(files[last], added)
    build_graph([first], tmp_path / "inc", jobs=1)
    summary = add_listings([added], tmp_path / "inc", jobs=1)
    reference = build_graph([first, added], tmp_path / "full", jobs=1)
    assert summary.remapped is not None  # patched, not recompiled
    assert 0 < summary.remapped < reference.papers
    assert (summary.triples, summary.papers, summary.class_counts) == (
        reference.triples, reference.papers, reference.class_counts)
    _assert_same_build(tmp_path / "inc", tmp_path / "full")


def _jsonl(path: Path, rows: list[dict]) -> Path:
    import json

    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


ABSTRACT = ("We propose {name}, a method for sparse routing, and evaluate it on ImageNet and GSM8K. "
            "{name} reaches 81.5% top-1 accuracy on ImageNet, outperforming ResNet-50.")


def test_add_and_replace_follow_renamed_people_and_removed_papers(tmp_path):
    """The cases a patch must follow: a new person taking an existing person's slug (that person's
    papers get new author IRIs), a new name variant, a paper gaining a record, a replaced listing
    that drops one paper and renames another; each time the result is the full build's."""
    lab = tmp_path / "lab.jsonl"
    rows = [
        {"title": "Sparse Routing for Mixture Models", "authors": ["John Paul Smith", "Ada Lovelace"],
         "abstract": ABSTRACT.format(name="RouteNet"), "affiliations": ["Google Research"], "category": "cs.LG",
         "date": "2021-03"},
        {"title": "Dense Retrieval Revisited", "authors": ["Ada Lovelace", "Grace Hopper"],
         "abstract": "We revisit dense retrieval on MS MARCO and compare it with BM25."},
        {"title": "Graph Networks at Scale", "authors": ["Alan Turing", "John Paul Smith", "Ada Lovelace"],
         "abstract": ABSTRACT.format(name="GraphRoute")},
    ]
    _jsonl(lab, rows)
    other = _jsonl(tmp_path / "other.jsonl", [
        {"title": "Another Study of Routing", "authors": ["Alan Turing", "Ada Lovelace", "John Paul Smith"]}])
    out, full = tmp_path / "out", tmp_path / "full"
    build_graph([lab, other], out, jobs=1)
    assert BASE + "author/john-smith" in {s for s, _, _ in _triples(out)}

    # A new listing: another John Smith (so both become full-name slugs), a fuller name for Alan
    # Turing, and a second record of a paper already built (with an abstract it did not have).
    new = _jsonl(tmp_path / "new.jsonl", [
        {"title": "Convolutions Everywhere", "authors": ["John Peter Smith", "Grace Hopper"],
         "abstract": ABSTRACT.format(name="ConvAll"), "affiliations": ["Google Research", "MIT"]},
        {"title": "Another study of routing", "authors": ["Alan M. Turing", "Ada Lovelace"],
         "abstract": "A routing study evaluated on GSM8K."},
    ])
    summary = add_listings([new], out, jobs=1)
    assert summary.statuses == {"new.jsonl": "added"} and summary.remapped is not None
    build_graph([lab, other, new], full, jobs=1)
    _assert_same_build(out, full)
    subjects = {s for s, _, _ in _triples(out)}
    assert {BASE + "author/john-paul-smith", BASE + "author/john-peter-smith"} <= subjects
    assert BASE + "author/john-smith" not in subjects

    # The lab's listing changes: one paper dropped, one retitled, one new.
    _jsonl(lab, [rows[0], {**rows[2], "title": "Graph Networks at Very Large Scale"},
                 {"title": "Routing Without Experts", "authors": ["Grace Hopper"], "upvotes": 3}])
    summary = add_listings([lab], out, jobs=1)
    assert summary.statuses == {"lab.jsonl": "replaced"} and summary.remapped is not None
    shutil.rmtree(full)
    build_graph([lab, other, new], full, jobs=1)
    _assert_same_build(out, full)
    subjects = {s for s, _, _ in _triples(out)}
    assert BASE + "paper/dense-retrieval-revisited" not in subjects
    assert BASE + "paper/graph-networks-at-very-large-scale" in subjects


def test_add_recompiles_a_build_without_a_snapshot(split_seeds, tmp_path):
    """A build made before snapshots existed is still added to, by recompiling it."""
    import sqlite3

    first, last = split_seeds
    out = tmp_path / "out"
    build_graph([first], out, jobs=1)
    db = sqlite3.connect(out / "current" / "state.sqlite")
    db.execute("DELETE FROM meta WHERE name='snapshot'")
    db.commit()
    db.close()
    summary = add_listings([last], out, jobs=1)
    assert summary.remapped is None
    build_graph([first, last], tmp_path / "full", jobs=1)
    _assert_same_build(out, tmp_path / "full")


def test_add_to_a_build_without_extraction_patches_it_too(split_seeds, tmp_path):
    first, last = split_seeds
    build_graph([first], tmp_path / "inc", jobs=1, extractor=False)
    summary = add_listings([last], tmp_path / "inc", jobs=1)
    assert summary.remapped is not None and summary.extracted == 0
    build_graph([first, last], tmp_path / "full", jobs=1, extractor=False)
    _assert_same_build(tmp_path / "inc", tmp_path / "full")


def test_snapshot_mappings_are_written_in_chunks_and_read_back_whole(tmp_path, monkeypatch):
    import sqlite3

    from paperkg import incremental

    monkeypatch.setattr(incremental, "_CHUNK", 3)
    db = sqlite3.connect(tmp_path / "state.sqlite", isolation_level=None)
    db.execute("CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT)")
    writer = incremental.SnapshotWriter(db)
    people = {f"key{i}": f"slug-{i}" for i in range(8)}
    writer.mapping("people", people.items())
    assert db.execute("SELECT COUNT(*) FROM snap_blobs WHERE name LIKE 'people/%'").fetchone()[0] == 3
    assert incremental._mapping(db, "people") == people
    writer.mapping("people", list(people.items())[:2])  # written again: the old chunks go
    assert incremental._mapping(db, "people") == dict(list(people.items())[:2])
    assert incremental._mapping(db, "nothing") == {}
