"""The build's fast paths give exactly what the plain formulations give.

The map stage formats millions of lines, so it uses faster equivalents of simple code: N-Quads lines
formatted in one loop, JSON lines assembled from each value's own encoding, extractions unpacked into
named tuples, identical entity mentions counted before they are indexed. Each is compared here with the
plain formulation it replaces, on values chosen to hit every branch.
"""

from __future__ import annotations

import io
import json
import random
from decimal import Decimal

from paperkg.extract import Extraction, Mention, ResultMention
from paperkg.mapping import XSD_INTEGER, EntityIndex, IriMinter, nquad, nquad_lines
from paperkg.state import mention_names, pack_extraction, unpack_extraction, unpack_extraction_rows

AWKWARD = ['plain', 'a "quoted" word', "back\\slash", "two\nlines", "carriage\rreturn", "tab\there",
           "ünïcødé ✓", "", 'all "of\\ them"\r\n', "\u2028 separator", "emoji 🙂"]


def test_nquad_lines_are_the_lines_of_nquad():
    triples = [("http://s/1", "http://p/a", "http://o/1")]
    triples += [("http://s/2", "http://p/b", (text, None)) for text in AWKWARD]
    triples += [("http://s/3", "http://p/c", (text, XSD_INTEGER)) for text in AWKWARD]
    for graph in (None, "http://g/listing"):
        assert nquad_lines(triples, graph) == [nquad(t, graph) for t in triples]
        assert nquad_lines(iter(triples), graph) == [nquad(t, graph) for t in triples]  # any iterable
    assert nquad_lines([]) == []


def _reference_lines(paper_iri: str, extraction) -> str:
    """What the build wrote before (one ``json.dumps`` of a dict per line)."""
    out = []
    for m in extraction.mentions:
        out.append(json.dumps({
            "paper": paper_iri, "type": m.type, "text": m.text, "field": m.field,
            "start": m.start, "end": m.end, "canonical": m.canonical, "introduced": m.introduced,
            "rule": m.rule}, ensure_ascii=False) + "\n")
    for r in extraction.results:
        out.append(json.dumps({
            "paper": paper_iri, "type": "Result", "value": str(r.value), "unit": r.unit,
            "metric": r.metric, "benchmark": r.benchmark, "method": r.method,
            "relative": r.relative, "compared_to": r.compared_to, "field": "abstract",
            "start": r.start, "end": r.end, "text": r.evidence, "rule": "result"},
            ensure_ascii=False) + "\n")
    return "".join(out)


def _awkward_extraction(seed: int) -> Extraction:
    rng = random.Random(seed)
    text = lambda: rng.choice(AWKWARD)
    mentions = [Mention(rng.choice(["Benchmark", "Method"]), text(), rng.randrange(100), rng.randrange(100),
                        rng.choice(["title", "abstract"]), text(), (text(),), rng.random() < 0.5, text())
                for _ in range(6)]
    # values of other types than the extractor's (a custom extractor may give them): floats, None, a tuple
    mentions.append(Mention("Task", "x", 1.5, float("inf"), "abstract", None, (), 0, ("a", 2)))
    results = [ResultMention(Decimal(v), rng.choice([None, "%", text()]), rng.choice([None, text()]), text(),
                             rng.choice([None, text()]), rng.random() < 0.5, rng.choice([None, text()]), text(),
                             rng.randrange(50), rng.randrange(50, 100))
               for v in ("90.2", "1E+3", "-0.50", "7")]
    return Extraction(mentions=mentions, results=results, code_urls=[])


def test_extraction_lines_are_those_of_json_dumps():
    from paperkg.build import _write_extraction_lines

    for seed in range(20):
        extraction = _awkward_extraction(seed)
        for paper in ("https://w3id.org/paperkg/id/paper/a", 'http://x/"odd"\\iri'):
            out = io.StringIO()
            _write_extraction_lines(out, paper, extraction)
            assert out.getvalue() == _reference_lines(paper, extraction)
            rows = io.StringIO()  # the build writes from the named-tuple form
            _write_extraction_lines(rows, paper, unpack_extraction_rows(pack_extraction(extraction)))
            assert rows.getvalue() == _reference_lines(paper, unpack_extraction(pack_extraction(extraction)))


def test_extraction_lines_of_the_build_s_own_rows_take_the_column_path():
    from paperkg.build import _mention_lines, _write_extraction_lines

    rng = random.Random(5)
    text = lambda: rng.choice(AWKWARD)
    mentions = [Mention(rng.choice(["Benchmark", "Method"]), text(), rng.randrange(100), rng.randrange(100),
                        rng.choice(["title", "abstract"]), text(), (text(),), rng.random() < 0.5, text())
                for _ in range(40)]
    extraction = Extraction(mentions=mentions, results=[], code_urls=[])
    rows = unpack_extraction_rows(pack_extraction(extraction))
    assert _mention_lines("{", rows.mentions) is not None  # the extractor's own types: encoded by column
    out = io.StringIO()
    _write_extraction_lines(out, "https://w3id.org/paperkg/id/paper/a", rows)
    assert out.getvalue() == _reference_lines("https://w3id.org/paperkg/id/paper/a", extraction)


def test_grouped_by_subject_keeps_the_first_of_each_triple_in_subject_and_predicate_groups():
    from paperkg.build import grouped_by_subject

    def reference(triples):
        groups: dict = {}
        for t in dict.fromkeys(triples):
            groups.setdefault(t[0], {}).setdefault(t[1], []).append(t)
        return [t for by_predicate in groups.values() for same in by_predicate.values() for t in same]

    rng = random.Random(11)
    for _ in range(500):
        triples = [(f"s{rng.randrange(4)}", f"p{rng.randrange(3)}", f"o{rng.randrange(30)}")
                   for _ in range(rng.randrange(90))]
        assert grouped_by_subject(triples) == reference(triples)
    many = [("s", "p", f"o{i % 3000}") for i in range(9000)]  # one subject and predicate, long: a set
    assert grouped_by_subject(many) == reference(many) == many[:3000]


def test_extraction_rows_hold_the_values_of_the_extraction():
    extraction = _awkward_extraction(1)
    data = pack_extraction(extraction)
    full, rows = unpack_extraction(data), unpack_extraction_rows(data)
    assert [tuple(getattr(m, f) for f in Mention.__slots__) for m in full.mentions] == [tuple(m) for m in rows.mentions]
    assert [m.canonical for m in full.mentions] == [m.canonical for m in rows.mentions]
    assert rows.results == full.results and rows.code_urls == full.code_urls


def _mentions(seed: int) -> list[tuple]:
    rng = random.Random(seed)
    names = ["ImageNet", "ILSVRC-2012", "imagenet", "CIFAR-10", "CIFAR-100", "GSM8K", "GSM8K+", "the COCO dataset",
             "COCO", "OPRO", "Optimization by PROmpting", "BERT", "BERTs", "Adam", "", "C++", "GPT-4", "GPT-4o"]
    out = []
    for _ in range(400):
        type_ = rng.choice(["Benchmark", "Method"])
        out.append((type_, rng.choice(names), tuple(rng.sample(names, rng.randrange(3))), rng.choice(names)))
    return out


def test_entity_index_counts_mentions_in_any_grouping_and_order():
    from paperkg import mapping

    iri = IriMinter("https://w3id.org/paperkg/id/")
    for seed in range(5):
        mentions = _mentions(seed)
        one = EntityIndex()
        for m in mentions:
            one.add_mention(*m)
        batched = EntityIndex()
        for start in range(0, len(mentions), 37):
            batched.add_mentions(mentions[start:start + 37])
        reversed_ = EntityIndex()
        for m in reversed(mentions):
            reversed_.add_mention(m[0], m[1], list(m[2]), m[3])  # aliases as a list too
        nodes = one.nodes(iri)
        assert batched.nodes(iri) == nodes == reversed_.nodes(iri)
        assert one.counts() == batched.counts() == reversed_.counts()
    # a small pending limit: mentions are indexed in several flushes, with the same result
    saved = mapping._PENDING_MENTIONS
    try:
        mapping._PENDING_MENTIONS = 7
        small = EntityIndex()
        for m in _mentions(0):
            small.add_mention(*m)
        assert small.nodes(iri) == EntityIndex.from_counts(*_counts_of(_mentions(0))).nodes(iri)
    finally:
        mapping._PENDING_MENTIONS = saved


def _counts_of(mentions):
    index = EntityIndex()
    index.add_mentions(mentions)
    return index.counts()


def test_mention_names_of_a_packed_extraction():
    extraction = _awkward_extraction(3)
    assert list(mention_names(pack_extraction(extraction))) == [
        (m.type, m.canonical, tuple(m.aliases), m.text) for m in extraction.mentions]


def test_the_map_stage_thaws_what_it_froze_and_only_that(tmp_path):
    import gc
    from pathlib import Path

    from paperkg.build import build_graph

    examples = Path(__file__).resolve().parents[1] / "examples"
    assert gc.get_freeze_count() == 0
    build_graph([examples], tmp_path / "a", jobs=1, extractor=False)
    assert gc.get_freeze_count() == 0  # nothing left frozen
    gc.freeze()  # a caller's own frozen objects
    try:
        frozen = gc.get_freeze_count()
        build_graph([examples], tmp_path / "b", jobs=1, extractor=False)
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
