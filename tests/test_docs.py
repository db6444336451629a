"""The README is the front door: every command has help and is documented, and every example runs."""

from __future__ import annotations

import re
import shlex

import pytest
from click.testing import CliRunner

from paperkg.cli import main

from .conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
COMMANDS = main.list_commands(None)


def console_examples() -> list[str]:
    blocks = re.findall(r"```console\n(.*?)```", README, flags=re.S)
    return [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ paperkg ")]


def test_every_command_is_available():
    assert set(COMMANDS) >= {"build", "add", "query", "export", "viz", "stats", "report", "validate", "serve",
                             "eval"}


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_is_in_the_readme(command):
    result = CliRunner().invoke(main, [command, "--help"], prog_name="paperkg")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: paperkg {command} ")
    assert f"`paperkg {command}" in README


def test_the_readme_quick_start_uses_the_examples_and_shows_real_output(example_build):
    _, summary = example_build
    assert "paperkg build examples" in README
    assert f"Triples: {summary.triples}" in README
    assert f"  {'Paper':<14} {summary.class_counts['Paper']:>7}" in README


@pytest.mark.parametrize("example", console_examples())
def test_readme_example_runs(example, example_build, tmp_path, monkeypatch):
    directory, _ = example_build
    args = shlex.split(example)[1:]
    assert args[0] in COMMANDS
    if args[0] in ("build", "add"):
        pytest.skip("build examples are run by the quick-start test and test_cli")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "output").symlink_to(directory, target_is_directory=True)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, f"{example}\n{result.output}"
    assert result.output.strip()


def test_readme_author_query_output_is_current(example_build):
    directory, _ = example_build
    block = README.split("The `SELECT` over authors prints:")[1].split("```text\n")[1].split("```")[0]
    query = next(e for e in console_examples() if "COUNT(?p) AS ?papers" in e)
    result = CliRunner().invoke(main, [*shlex.split(query)[1:], "--dir", str(directory)])
    assert result.exit_code == 0
    assert result.output.strip() == block.strip()
