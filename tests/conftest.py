"""Shared fixtures: paths (from this file, never the working directory) and one seed build per session."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed listings not found at {SEEDS}")
    return SEEDS


@pytest.fixture(scope="session")
def seed_build(seeds_dir, tmp_path_factory):
    """The seeds built once into a temporary folder: (folder, BuildSummary)."""
    from paperkg import build_graph

    directory = tmp_path_factory.mktemp("seed-build")
    summary = build_graph([seeds_dir], directory)
    return directory, summary


@pytest.fixture(scope="session")
def example_build(tmp_path_factory):
    from paperkg import build_graph

    directory = tmp_path_factory.mktemp("example-build")
    summary = build_graph([EXAMPLES], directory)
    return directory, summary
