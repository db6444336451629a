"""--jobs changes speed, never output: byte-identical Turtle and extractions whatever N is."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from paperkg import build_graph

REPO = Path(__file__).resolve().parents[1]


def _outputs(directory: Path) -> tuple[bytes, bytes]:
    return (directory / "paperkg.ttl").read_bytes(), (directory / "extractions.jsonl").read_bytes()


def test_seeds_build_identically_with_one_and_two_jobs(seeds_dir, tmp_path):
    one = build_graph([seeds_dir], tmp_path / "one", jobs=1)
    two = build_graph([seeds_dir], tmp_path / "two", jobs=2)
    assert one.triples == two.triples and one.class_counts == two.class_counts
    assert _outputs(tmp_path / "one") == _outputs(tmp_path / "two")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("generate_listings", REPO / "bench" / "generate_listings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path_factory.mktemp("gen") / "1k"
    module.generate(1000, out, seed=3)
    return out


def test_generated_set_builds_identically_with_one_and_two_jobs(generated, tmp_path):
    build_graph([generated], tmp_path / "one", jobs=1)
    build_graph([generated], tmp_path / "two", jobs=2)
    assert _outputs(tmp_path / "one") == _outputs(tmp_path / "two")


def test_rebuild_reuses_extractions_and_gives_the_same_bytes(generated, tmp_path):
    first = build_graph([generated], tmp_path / "out", jobs=1)
    before = _outputs(tmp_path / "out")
    second = build_graph([generated], tmp_path / "out", jobs=2)
    assert first.extracted == first.papers and second.extracted == 0
    assert _outputs(tmp_path / "out") == before


class _Shouting:
    """A user extractor defined in a test module (picklable): runs in the workers."""

    def extract(self, title, abstract):
        from paperkg.extract import extract

        return extract(title.upper(), abstract)


def test_a_custom_extractor_gives_the_same_output_with_any_jobs(seeds_dir, tmp_path):
    build_graph([seeds_dir], tmp_path / "one", jobs=1, extractor=_Shouting())
    build_graph([seeds_dir], tmp_path / "two", jobs=2, extractor=_Shouting())
    assert _outputs(tmp_path / "one") == _outputs(tmp_path / "two")


def test_an_unpicklable_extractor_runs_in_process(seeds_dir, tmp_path):
    from paperkg.extract import extract

    class Local:  # defined in a function: cannot be pickled
        def __init__(self):
            self.run = lambda title, abstract: extract(title, abstract)

        def extract(self, title, abstract):
            return self.run(title, abstract)

    summary = build_graph([seeds_dir], tmp_path / "out", jobs=2, extractor=Local())
    assert summary.jobs == 1
