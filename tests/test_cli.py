"""The command line: exact exit codes, exact ``Error:`` lines, and nothing lost when a build fails."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperkg.cli import main

from .conftest import EXAMPLES

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture()
def runner():
    return CliRunner()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree_digest(path: Path) -> str:
    h = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        h.update(file.relative_to(path).as_posix().encode())
        h.update(file.read_bytes())
    return h.hexdigest()


def test_build_prints_the_summary(runner, tmp_path):
    result = runner.invoke(main, ["build", str(EXAMPLES), "--dir", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "lab-list" in out and "profile-export" in out and "daily-papers" in out and "jsonl" in out
    assert "papers-search.txt:9: title without an abstract" in out
    assert "Nodes per class:" in out and "Paper" in out and "Triples:" in out
    assert (tmp_path / "out" / "paperkg.ttl").read_text(encoding="utf-8").startswith("@prefix")
    assert (tmp_path / "out" / "extractions.jsonl").exists()


def test_a_file_with_no_records_is_an_error_and_writes_nothing(runner, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("just some notes\nnothing like a listing\n", encoding="utf-8")
    result = runner.invoke(main, ["build", str(bad), "--dir", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"Error: {bad}: not a recognized listing format (tried: lab-list, profile-export, daily-papers, "
        "papers-search, jsonl); use --format to force one")
    assert not (tmp_path / "out").exists()


def test_forced_format_with_no_records_names_the_file(runner, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("just some notes\n", encoding="utf-8")
    result = runner.invoke(main, ["build", str(bad), "--format", "jsonl", "--dir", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1].startswith(f"Error: {bad}: no recognizable records")


def test_a_failed_build_leaves_the_previous_build_exactly_as_it_was(runner, tmp_path):
    out = tmp_path / "out"
    assert runner.invoke(main, ["build", str(EXAMPLES), "--dir", str(out)]).exit_code == 0
    before_ttl = digest(out / "paperkg.ttl")
    before_store = tree_digest(out / "current" / "store")
    bad = tmp_path / "bad.txt"
    bad.write_text("\x00\x01 not a listing", encoding="utf-8")
    result = runner.invoke(main, ["build", str(EXAMPLES), str(bad), "--dir", str(out)])
    assert result.exit_code == 1 and result.output.splitlines()[-1].startswith(f"Error: {bad}:")
    assert digest(out / "paperkg.ttl") == before_ttl
    assert tree_digest(out / "current" / "store") == before_store
    query = runner.invoke(main, ["query", "--dir", str(out), "--format", "csv",
                                 "SELECT (COUNT(?p) AS ?n) WHERE { ?p a pkg:Paper }"])
    assert query.exit_code == 0 and query.output.split() == ["n", "28"]


def test_strict_makes_a_skipped_record_fatal(runner, tmp_path):
    result = runner.invoke(main, ["build", str(EXAMPLES / "papers-search.txt"), "--strict",
                                  "--dir", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"Error: {EXAMPLES / 'papers-search.txt'}:9: title without an abstract (the next line is another "
        "title) (--strict makes skipped records fatal)")
    assert not (tmp_path / "out" / "paperkg.ttl").exists()


def test_a_stray_file_inside_a_folder_is_reported_not_fatal(runner, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(EXAMPLES, folder)
    (folder / "README").write_text("these are my listings\n", encoding="utf-8")
    result = runner.invoke(main, ["build", str(folder), "--dir", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if line.strip().startswith(str(folder / "README")))
    assert line.split()[1:3] == ["skipped:", f"{folder / 'README'}:"]
    assert "not a recognized listing format" in line
    assert "Paper" in result.output


def test_unknown_input_format_is_a_usage_error_listing_the_choices(runner, tmp_path):
    result = runner.invoke(main, ["build", str(EXAMPLES), "--format", "bibtex", "--dir", str(tmp_path)])
    assert result.exit_code == 2
    assert ("unknown input format 'bibtex'; choose one of: daily-papers, jsonl, lab-list, papers-search, "
            "profile-export") in result.output


def test_missing_input_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["build", str(tmp_path / "nope.txt"), "--dir", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_reading_commands_on_an_empty_folder_say_to_build_first(runner, tmp_path):
    for command in (["export"], ["validate"], ["query", "ASK { ?s ?p ?o }"]):
        result = runner.invoke(main, [*command, "--dir", str(tmp_path)])
        assert result.exit_code == 1, command
        assert result.output.splitlines()[-1] == (
            f"Error: {tmp_path}: no graph has been built here (run `paperkg build` first)")


def test_unknown_export_format_lists_the_writers(runner, example_build):
    directory, _ = example_build
    result = runner.invoke(main, ["export", "--dir", str(directory), "--format", "yaml"])
    assert result.exit_code == 2
    assert "unknown output format 'yaml'; choose one of:" in result.output
    assert "jsonld" in result.output and "turtle" in result.output


def test_validate_passes_on_the_examples(runner, example_build):
    directory, _ = example_build
    result = runner.invoke(main, ["validate", "--dir", str(directory)])
    assert result.exit_code == 0
    assert result.output.startswith("Conforms")


def test_build_is_deterministic_byte_for_byte(runner, tmp_path, seeds_dir):
    first, second = tmp_path / "a", tmp_path / "b"
    assert runner.invoke(main, ["build", str(seeds_dir), "--dir", str(first), "-q"]).exit_code == 0
    # A different spelling of the same folder gives the same listing ids, hence the same IRIs.
    copy = tmp_path / "seeds-copy"
    shutil.copytree(seeds_dir, copy)
    assert runner.invoke(main, ["build", str(copy), "--dir", str(second), "-q"]).exit_code == 0
    assert digest(first / "paperkg.ttl") == digest(second / "paperkg.ttl")
    assert (first / "extractions.jsonl").read_bytes() == (second / "extractions.jsonl").read_bytes()


def test_rebuild_replaces_the_generation_and_keeps_the_links(runner, tmp_path):
    out = tmp_path / "out"
    for _ in range(3):
        assert runner.invoke(main, ["build", str(EXAMPLES), "--dir", str(out), "-q"]).exit_code == 0
    generations = sorted(p.name for p in out.iterdir() if p.name.startswith("gen-"))
    assert len(generations) == 2  # the current one and the one before it
    assert (out / "paperkg.ttl").resolve().parent == (out / "current").resolve()
