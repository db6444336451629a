"""Behaviour of the default extractor on handwritten sentences (not taken from the seed listings)."""

from decimal import Decimal

from paperkg.extract import Extraction, Extractor, Mention, RuleExtractor, entity_key, extract, mention_keys


def _ents(ex: Extraction, typ: str) -> dict[str, Mention]:
    return {m.canonical: m for m in ex.mentions if m.type == typ}


def test_definition_gives_one_entity_with_alias():
    ex = extract("Prompt search", "In this work, we propose Optimization by PROmpting (OPRO), a simple approach. "
                 "OPRO beats hand-written prompts.")
    methods = [m for m in ex.mentions if m.type == "Method"]
    assert {m.canonical for m in methods} == {"OPRO"}
    assert all("Optimization by PROmpting" in m.aliases for m in methods)
    assert all(m.introduced for m in methods)
    m = methods[0]
    assert entity_key("Method", "OPRO") in mention_keys(m)
    assert entity_key("Method", "Optimization by PROmpting") in mention_keys(m)


def test_keys_keep_different_things_apart_and_unify_variants():
    assert entity_key("Benchmark", "CIFAR-10") != entity_key("Benchmark", "CIFAR-100")
    assert entity_key("Method", "GPT-4") != entity_key("Method", "GPT-4o")
    assert entity_key("Benchmark", "BIG-Bench") != entity_key("Benchmark", "BIG-Bench Hard")
    assert entity_key("Benchmark", "Big-Bench Hard") == entity_key("Benchmark", "BIG-Bench Hard")
    assert entity_key("Benchmark", "Imagenet") == entity_key("Benchmark", "ImageNet")
    assert entity_key("Benchmark", "ILSVRC-2012") == entity_key("Benchmark", "ImageNet")
    assert entity_key("Benchmark", "the COCO dataset") == entity_key("Benchmark", "COCO")


def test_distinct_benchmarks_in_one_abstract():
    ex = extract("", "We report results on CIFAR-10 and CIFAR-100, and compare GPT-4 with GPT-4o on BIG-Bench "
                     "and BIG-Bench Hard.")
    b = _ents(ex, "Benchmark")
    assert {"CIFAR-10", "CIFAR-100", "BIG-Bench", "BIG-Bench Hard"} <= set(b)
    assert {"GPT-4", "GPT-4o"} <= set(_ents(ex, "Method"))


def test_absolute_result():
    ex = extract("", "Our network achieves 90.2% top-1 accuracy on ImageNet.")
    assert len(ex.results) == 1
    r = ex.results[0]
    assert (r.value, r.unit, r.metric, r.benchmark, r.relative) == (Decimal("90.2"), "%", "top-1 accuracy", "ImageNet", False)
    assert r.evidence.startswith("Our network achieves")


def test_relative_result_with_baseline():
    ex = extract("", "On COCO, our detector is 1.6% AP better than RetinaNet.")
    assert len(ex.results) == 1
    r = ex.results[0]
    assert r.value == Decimal("1.6") and r.relative and r.metric == "AP" and r.benchmark == "COCO"
    assert r.compared_to == "RetinaNet"


def test_relative_by_margin():
    ex = extract("", "The new model outperforms BERT by 2.5 F1 on SQuAD.")
    assert [(r.value, r.metric, r.benchmark, r.relative, r.compared_to) for r in ex.results] == [
        (Decimal("2.5"), "F1", "SQuAD", True, "BERT")]


def test_code_url():
    ex = extract("X", "We study things. Code at https://github.com/example/repo.")
    assert ex.code_urls == ["https://github.com/example/repo"]


def test_negatives_generic_phrases():
    ex = extract("A study", "We collect a new dataset and train neural networks and large language models (LLMs) "
                            "with a transformer-based architecture.")
    assert [m for m in ex.mentions if m.type in ("Benchmark", "Method")] == []
    assert ex.results == []


def test_unseen_names_and_introduced():
    ex = extract("ZebraNet: Striped Attention for Vision",
                 "We introduce ZebraNet and evaluate it on the PolkaDots benchmark, where it beats ResNet-50.")
    m = _ents(ex, "Method")
    b = _ents(ex, "Benchmark")
    assert m["ZebraNet"].introduced
    assert not m["ResNet"].introduced
    assert "PolkaDots" in b and not b["PolkaDots"].introduced


def test_new_benchmark_apposition_is_introduced():
    ex = extract("", "We present QuuxBench, a new benchmark of 5K questions. GPT-4 scores 41% accuracy on QuuxBench.")
    b = _ents(ex, "Benchmark")
    assert b["QuuxBench"].introduced
    assert not _ents(ex, "Method")["GPT-4"].introduced
    assert [(r.value, r.metric, r.benchmark, r.method) for r in ex.results] == [
        (Decimal("41"), "accuracy", "QuuxBench", "GPT-4")]


def test_deterministic_and_offsets():
    title = "FooNet: fast things"
    abstract = "We propose FooNet. FooNet reaches 80.1% accuracy on CIFAR-10, training with Adam and LoRA."
    a, b = extract(title, abstract), extract(title, abstract)
    assert a == b
    for m in a.mentions:
        src = title if m.field == "title" else abstract
        assert src[m.start:m.end] == m.text
    assert {"Adam", "LoRA"} <= set(_ents(a, "Method"))


def test_no_abstract_and_protocol():
    assert isinstance(RuleExtractor(), Extractor)
    ex = extract("Attention Is All You Need", None)
    assert ex.results == [] and ex.code_urls == []
