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
    assert not m["ResNet-50"].introduced  # a one-token variant is its own entity (GUIDELINES.md)
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


# ------------------------------------------------------------------ general rules for data names (TDMSci conventions)

def _bench_texts(ex: Extraction) -> list[str]:
    return [m.text for m in ex.mentions if m.type == "Benchmark"]


def test_lexical_resources_and_knowledge_bases_are_data():
    ex = extract("", "We map verbs to WordNet senses, align frames with FrameNet, and parse the CCGbank test data.")
    assert {"WordNet", "FrameNet", "CCGbank"} <= set(_ents(ex, "Benchmark"))
    ex = extract("", "Lexical resources such as VerbNet and PropBank are widely used.")
    assert {"VerbNet", "PropBank"} <= set(_ents(ex, "Benchmark"))


def test_name_with_lowercase_modifiers_before_a_data_head():
    ex = extract("", "Results on the Reddit humor dataset and on the Lang-8 learner corpus are reported.")
    assert {"Reddit humor dataset", "Lang-8 learner corpus"} <= set(_bench_texts(ex))
    lang8 = next(m for m in ex.mentions if m.text == "Lang-8 learner corpus")
    assert "Lang-8" in lang8.aliases  # the name-shaped word is the resource's name too


def test_coordinated_names_share_a_plural_data_head():
    ex = extract("", "We test the segmenter on the Kestrel and Heron-2 benchmark datasets.")
    assert any(t.startswith("Kestrel") for t in _bench_texts(ex))
    assert any(t.startswith("Heron-2") for t in _bench_texts(ex))


def test_languages_descriptions_and_headings_are_not_data_names():
    ex = extract("", "We train on the Swahili corpus and a Hebrew dataset. Leveraging Unlabeled Parallel Corpora for "
                     "Cross-Lingual Tagging.")
    assert _bench_texts(ex) == []


def test_evaluation_campaigns_and_event_tasks_are_not_data():
    ex = extract("", "Systems submitted to SemEval-2014 were ranked in the CLEF2013 evaluation campaign.")
    assert _bench_texts(ex) == []
    ex = extract("", "We use the English test data of the CoNLL-2012 shared task.")
    assert "CoNLL-2012" in _ents(ex, "Benchmark")


def test_split_roles_type_unknown_names():
    ex = extract("", "We use NEWS07 as the development set and TST08 and TST09 as test sets.")
    assert {"NEWS07", "TST08", "TST09"} <= set(_ents(ex, "Benchmark"))
    assert not _ents(ex, "Method")


def test_venue_defined_in_the_text_is_not_a_benchmark():
    ex = extract("", "The Workshop on Machine Translation (WMT) organizes yearly evaluation campaigns.")
    assert "WMT" not in _ents(ex, "Benchmark")


def test_stands_for_is_a_definition():
    ex = extract("", "We present ZORRO, which stands for Zero-Order Robust Rank Optimization, and apply it to ranking.")
    m = _ents(ex, "Method")["ZORRO"]
    assert "Zero-Order Robust Rank Optimization" in m.aliases and m.introduced


def test_gazetteer_name_inside_an_adjective_compound():
    ex = extract("", "We compare CLIP-based retrievers with BERT-style encoders.")
    assert {"CLIP", "BERT"} <= set(_ents(ex, "Method"))


def test_plain_capitalized_names_in_an_explicit_list():
    ex = extract("", "Our model beats methods such as label propagation, Kestrel and Osprey by a wide margin.")
    assert {"Kestrel", "Osprey"} <= set(_ents(ex, "Method"))


def test_numbers_sizes_and_latex_remnants_are_not_names():
    ex = extract("", "At 512x512 resolution on COCO 2014-30k the sampler is fast (sim5.0 GFLOPs).")
    names = {m.text for m in ex.mentions if m.type in ("Method", "Benchmark")}
    assert names == {"COCO"}


def test_one_token_variants_are_separate_entities():
    ex = extract("", "We compare ResNet-50, ResNet-101 and VGG-16 with DeepSeek-R1 and DeepSeek-V3.")
    assert {"ResNet-50", "ResNet-101", "VGG-16", "DeepSeek-R1", "DeepSeek-V3"} <= set(_ents(ex, "Method"))
    assert entity_key("Method", "ResNet50") == entity_key("Method", "ResNet-50") != entity_key("Method", "ResNet")


def test_ambiguous_name_accepted_once_is_accepted_in_the_whole_paper():
    ex = extract("", "Experiments on the citation graphs Citeseer, Cora and Pubmed show gains. On Cora our model "
                     "is best.")
    cora = [m for m in ex.mentions if m.text == "Cora"]
    assert len(cora) == 2 and all(m.type == "Benchmark" for m in cora)
    assert "PubMed" in _ents(ex, "Benchmark")


def test_variant_of_a_named_method():
    ex = extract("", "We design a model named KiteSeg. In real-time settings, KiteSeg-Lite-S runs at 90 FPS.")
    assert {"KiteSeg", "KiteSeg-Lite-S"} <= set(_ents(ex, "Method"))


# ------------------------------------------------------------------ results: attribution of method, metric, benchmark

def _res(ex: Extraction) -> list[tuple]:
    return [(r.value, r.metric, r.benchmark, r.method, r.relative, r.compared_to) for r in ex.results]


def test_error_metric_is_not_accuracy():
    ex = extract("", "An ensemble of our networks reaches 3.1% top-5 error on ImageNet.")
    assert [r.metric for r in ex.results] == ["top-5 error"]


def test_result_method_is_not_a_benchmark_variant():
    ex = extract("", "On LSUN 2019-10k, PixelForge reaches an FID of 7.4 in one step.")
    assert _res(ex) == [(Decimal("7.4"), "FID", "LSUN", "PixelForge", False, None)]


def test_result_method_skips_tools_parentheses_and_uses_our_model():
    ex = extract("TileNet: tiles for detection",
                 "Using a frozen ResNet-50 backbone (and Adam), our TileNet detector achieves 47.2 AP on COCO.")
    assert [r.method for r in ex.results] == ["TileNet"]
    ex = extract("FastBox: boxes", "We propose FastBox. With the very deep VGG-16 model, our system runs at 5 fps "
                                   "while achieving a mAP of 71.0% on PASCAL VOC.")
    assert _res(ex) == [(Decimal("71.0"), "mAP", "PASCAL VOC", "FastBox", False, None)]


def test_within_is_a_relative_difference_with_its_baseline():
    ex = extract("", "Our policy, GridAug, is within 0.4% mAP of AutoAugment on COCO.")
    assert _res(ex) == [(Decimal("0.4"), "mAP", "COCO", "GridAug", True, "AutoAugment")]


def test_improves_names_the_baseline():
    ex = extract("", "Our GridNet-S improves DeiT by 1.2% accuracy on ImageNet.")
    assert _res(ex) == [(Decimal("1.2"), "accuracy", "ImageNet", "GridNet-S", True, "DeiT")]


def test_respectively_pairs_numbers_with_benchmarks():
    ex = extract("", "KestrelNet obtains 81.2%, 77.5% and 64.0% accuracy on CIFAR-10, SVHN and STL-10, respectively.")
    assert [(r.value, r.benchmark, r.method) for r in ex.results] == [
        (Decimal("81.2"), "CIFAR-10", "KestrelNet"), (Decimal("77.5"), "SVHN", "KestrelNet"),
        (Decimal("64.0"), "STL-10", "KestrelNet")]
    ex = extract("", "KestrelNet wins, achieving 3.1%, 2.2% and 1.4% improvements in text-to-video R@1 on MSR-VTT, "
                     "DiDeMo and ActivityNet, respectively.")
    assert [(r.value, r.metric, r.benchmark, r.relative) for r in ex.results] == [
        (Decimal("3.1"), "R@1", "MSR-VTT", True), (Decimal("2.2"), "R@1", "DiDeMo", True),
        (Decimal("1.4"), "R@1", "ActivityNet", True)]


def test_respectively_pairs_numbers_with_methods_on_one_benchmark():
    ex = extract("", "On the GSM8K benchmark, GPT-4 and Claude reach accuracies of 92.0% and 88.5%, respectively.")
    assert [(r.value, r.metric, r.benchmark, r.method) for r in ex.results] == [
        (Decimal("92.0"), "accuracy", "GSM8K", "GPT-4"), (Decimal("88.5"), "accuracy", "GSM8K", "Claude")]


def test_number_lists_that_cannot_be_paired_give_no_result():
    assert extract("", "KestrelNet reaches 80.1% and 75.2% accuracy on CIFAR-10, CIFAR-100 and SVHN, "
                       "respectively.").results == []
    assert extract("", "KestrelNet reaches 80.1% and 75.2% accuracy on CIFAR-10 and CIFAR-100.").results == []


def test_second_number_takes_the_metric_and_a_compared_baseline():
    ex = extract("", "KestrelNet achieves an accuracy of 71.3% on GSM8K and 30.2% on MATH.")
    assert [(r.value, r.metric, r.benchmark) for r in ex.results] == [
        (Decimal("71.3"), "accuracy", "GSM8K"), (Decimal("30.2"), "accuracy", "MATH")]
    ex = extract("", "On SQuAD, KestrelNet-S reaches 80.1 F1, compared with 88.5 for DistilBERT.")
    assert [(r.value, r.metric, r.benchmark, r.method) for r in ex.results] == [
        (Decimal("80.1"), "F1", "SQuAD", "KestrelNet-S"), (Decimal("88.5"), "F1", "SQuAD", "DistilBERT")]


def test_relative_gain_takes_the_benchmark_of_the_absolute_result():
    ex = extract("", "KestrelNet achieves 84.0% top-1 accuracy on ImageNet, outperforming ViT by 1.5% accuracy.")
    assert _res(ex)[1] == (Decimal("1.5"), "accuracy", "ImageNet", "KestrelNet", True, "ViT")
    # a gain on another subset ("on small objects") is not a result on the benchmark
    ex = extract("", "KestrelNet reaches 44.0 AP on COCO and is 6.1 AP better than DETR on small objects.")
    assert [r.value for r in ex.results] == [Decimal("44.0")]


def test_on_opening_without_comma():
    ex = extract("", "On the CIFAR-10 dataset we obtain 97.1% accuracy.")
    assert [(r.value, r.benchmark) for r in ex.results] == [(Decimal("97.1"), "CIFAR-10")]


def test_generic_class_definitions_give_no_method_for_either_form():
    ex = extract("Message passing study", "Graph neural networks (GNNs) are widely used for molecules. "
                 "We study how multi-robot learning (MRL) and cross-lingual text processing (CTP) scale, "
                 "and we fine-tune FlowNet-Q on the Zephyrine-7 benchmark.")
    names = {m.text for m in ex.mentions if m.type in ("Method", "Benchmark")}
    for generic in ("Graph neural networks", "GNNs", "multi-robot learning", "MRL",
                    "cross-lingual text processing", "CTP"):
        assert generic not in names
    assert "FlowNet-Q" in _ents(ex, "Method")


def test_lowercase_definition_introduced_or_name_shaped_is_still_a_method():
    ex = extract("Depth from blur", "We propose a layered blur estimation network (LBEN) for depth. "
                 "We also describe twin-view contrastive learning (TwiCL), which LBEN uses.")
    methods = _ents(ex, "Method")
    assert "LBEN" in methods  # singular head after "a": the paper's own model
    assert "TwiCL" in methods  # a name-shaped short form is a name


def test_generic_class_definition_listed_in_gazetteer_is_kept():
    ex = extract("Sequence study", "Our tagger is compared with hidden markov models (HMMs) on noisy speech.")
    assert "HMM" in _ents(ex, "Method")
