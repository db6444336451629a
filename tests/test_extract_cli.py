"""``paperkg eval``: exit codes, the table's rows and numbers, the ``Error:`` line of a bad ``--set``."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from paperkg.cli import main
from paperkg.extract.evaluate import default_paths

NUM = r"\d\.\d{3}"


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def _row(output: str, label: str) -> list[str]:
    for line in output.splitlines():
        if line.strip().startswith(label):
            return line.split()
    raise AssertionError(f"no row {label!r} in:\n{output}")


def test_eval_dev_table_has_type_rows_with_numbers(runner):
    result = runner.invoke(main, ["eval", "--set", "dev"])
    assert result.exit_code == 0, result.output
    assert "dev (62 abstracts) — matching: entity level" in result.output
    assert result.output.splitlines()[1].split() == ["type", "P", "R", "F1", "tp", "pred", "gold"]
    for label in ("Benchmark", "Method"):
        row = _row(result.output, label)
        assert all(re.fullmatch(NUM, x) for x in row[1:4]) and all(x.isdigit() for x in row[4:7])
    assert re.search(r"introduced-or-used accuracy: " + NUM, result.output)
    assert re.search(r"result method attribution: \d+ correct, \d+ wrong", result.output)


def test_eval_unseen_json_and_errors(runner):
    result = runner.invoke(main, ["eval", "--set", "unseen", "--format", "json", "--errors"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [d["set"] for d in data] == ["unseen"]
    assert data[0]["records"] == 15 and 0.0 <= data[0]["Benchmark"]["f1"] <= 1.0
    assert "errors" in data[0] and "entity level" in data[0]["matching"]
    plain = runner.invoke(main, ["eval", "--set", "unseen", "--format", "json"])
    assert "errors" not in json.loads(plain.output)[0]


def test_eval_tdmsci_states_lenient_and_exact(runner):
    if not (default_paths().public_gold / "tdmsci_sentences.jsonl").exists():
        pytest.skip("public gold not available")
    result = runner.invoke(main, ["eval", "--set", "tdmsci"])
    assert result.exit_code == 0, result.output
    assert "lenient = same type and overlapping spans" in result.output
    for label in ("Benchmark [lenient]", "Benchmark [exact]", "Task [lenient]", "Metric [exact]"):
        row = _row(result.output, label)
        assert all(re.fullmatch(NUM, x) for x in row[2:5])


def test_eval_unknown_set_is_a_usage_error(runner):
    result = runner.invoke(main, ["eval", "--set", "nope"])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: Invalid value for '--set': unknown set 'nope'; choose one of: dev, heldout, unseen, tdmsci, scirex, all")


def test_eval_missing_data_is_an_error(runner, tmp_path):
    result = runner.invoke(main, ["eval", "--set", "unseen", "--data", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"Error: {tmp_path / 'tests' / 'data' / 'devset' / 'unseen.jsonl'}: annotated data for --set unseen not found "
        "(pass --data or --public-gold)")
