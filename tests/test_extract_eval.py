"""The scoring harness's arithmetic on tiny hand-made cases."""

from decimal import Decimal

import pytest

from paperkg.extract import Extraction, Mention
from paperkg.extract.evaluate import (
    PRF, Entity, Span, Triple, entities_from_mentions, is_named, match_entities, match_spans, match_triples, prf,
    score_spans,
)


def test_prf_two_gold_three_pred_one_match():
    p, r, f = prf(1, 3, 2)
    assert p == pytest.approx(1 / 3) and r == pytest.approx(1 / 2) and f == pytest.approx(0.4)


def test_prf_degenerate():
    assert prf(0, 0, 0) == (0.0, 0.0, 0.0)
    assert prf(0, 2, 0) == (0.0, 0.0, 0.0)
    s = PRF(2, 2, 4)
    assert (s.precision, s.recall, s.f1) == (1.0, 0.5, pytest.approx(2 / 3))


def test_exact_vs_lenient_spans():
    gold = [Span("Benchmark", 10, 27, "Penn Treebank WSJ"), Span("Benchmark", 40, 45, "SQuAD")]
    pred = [Span("Benchmark", 10, 23, "Penn Treebank"), Span("Benchmark", 40, 45, "SQuAD"),
            Span("Benchmark", 50, 55, "IMDb")]
    assert match_spans(gold, pred, lenient=False) == 1
    assert match_spans(gold, pred, lenient=True) == 2
    s = score_spans(gold, pred, ["Benchmark"], lenient=True)["Benchmark"]
    assert (s.tp, s.n_pred, s.n_gold) == (2, 3, 2)


def test_lenient_by_normalized_key_and_type_must_agree():
    gold = [Span("Benchmark", 0, 8, "CIFAR-10")]
    assert match_spans(gold, [Span("Benchmark", 30, 37, "CIFAR10")], lenient=True) == 1
    assert match_spans(gold, [Span("Benchmark", 30, 39, "CIFAR-100")], lenient=True) == 0
    assert match_spans(gold, [Span("Method", 0, 8, "CIFAR-10")], lenient=True) == 0


def test_one_to_one_matching():
    gold = [Span("Metric", 0, 8, "accuracy")]
    pred = [Span("Metric", 0, 8, "accuracy"), Span("Metric", 0, 3, "acc")]
    assert match_spans(gold, pred, lenient=True) == 1


def test_entity_matching_by_alias():
    gold = [Entity("Method", ("OPRO", "Optimization by PROmpting"), True), Entity("Benchmark", ("GSM8K",))]
    pred = [Entity("Method", ("Optimization by PROmpting",), True), Entity("Benchmark", ("MATH",))]
    assert match_entities(gold, pred) == [(0, 0)]


def test_entities_from_mentions_groups_aliases():
    ms = [Mention("Method", "Optimization by PROmpting", 0, 25, "abstract", "OPRO", ("Optimization by PROmpting",), True, "definition"),
          Mention("Method", "OPRO", 27, 31, "abstract", "OPRO", ("Optimization by PROmpting",), True, "definition"),
          Mention("Benchmark", "GSM8K", 50, 55, "abstract", "GSM8K", (), False, "gazetteer")]
    ents = entities_from_mentions(ms)
    assert [(e.type, e.names[0], e.introduced) for e in ents] == [("Method", "OPRO", True), ("Benchmark", "GSM8K", False)]


def test_triples():
    gold = [Triple(Decimal("90.2"), "top-1 accuracy", "ImageNet")]
    pred = [Triple(Decimal("90.20"), "Top-1 Accuracy", "ILSVRC-2012"),
            Triple(Decimal("90.2"), "accuracy", "ImageNet")]
    assert match_triples(gold, pred) == 1
    assert match_triples(gold, [Triple(Decimal("90.2"), "top-1 accuracy", "CIFAR-10")]) == 0


def test_named_filter():
    assert is_named("CIFAR-10") and is_named("ImageNet") and is_named("Cityscapes") and is_named("CNN")
    assert not is_named("pretrained networks") and not is_named("Convolutional Neural Networks")


def test_score_devset_counts():
    from paperkg.extract.evaluate import DevRecord, score_devset

    rec = DevRecord("x", "s", 1, "t", "a", False,
                    [Entity("Method", ("FooNet",), True), Entity("Benchmark", ("ImageNet",), False)],
                    [{"value": "80.1", "metric": "accuracy", "benchmark": "ImageNet"}])

    def fake(title, abstract):
        return Extraction(
            mentions=[Mention("Method", "FooNet", 0, 6, "abstract", "FooNet", (), False, "r"),
                      Mention("Method", "BarNet", 7, 13, "abstract", "BarNet", (), False, "r"),
                      Mention("Benchmark", "ImageNet", 20, 28, "abstract", "ImageNet", (), False, "r")],
            results=[],
        )

    s = score_devset([rec], fake)
    assert s["Method"]["tp"] == 1 and s["Method"]["pred"] == 2 and s["Method"]["gold"] == 1
    assert s["Benchmark"]["f1"] == 1.0
    assert s["introduced_accuracy"] == 0.5  # FooNet wrong, ImageNet right
    assert s["results"]["gold"] == 1 and s["results"]["pred"] == 0


def test_result_method_attribution_counts():
    from paperkg.extract import ResultMention
    from paperkg.extract.evaluate import DevRecord, score_devset

    gold = [{"value": "80.1", "metric": "accuracy", "benchmark": "ImageNet", "method": "FooNet"},
            {"value": "70.0", "metric": "accuracy", "benchmark": "ImageNet", "method": "BarNet"},
            {"value": "60.0", "metric": "accuracy", "benchmark": "ImageNet", "method": "BazNet"},
            {"value": "1.0", "metric": "accuracy", "benchmark": "ImageNet", "method": None}]
    rec = DevRecord("x", "s", 1, "t", "a", False, [], gold)

    def res(v, method):
        return ResultMention(Decimal(v), "%", "accuracy", "ImageNet", method, False, None, "e", 0, 1)

    def fake(title, abstract):
        return Extraction(
            mentions=[Mention("Method", "Foo-Net", 0, 7, "abstract", "FooNet", ("Foo-Net",), False, "r"),
                      Mention("Benchmark", "ImageNet", 20, 28, "abstract", "ImageNet", (), False, "r")],
            results=[res("80.1", "FooNet"), res("70.0", "FooNet"), res("60.0", None), res("1.0", "FooNet")])

    s = score_devset([rec], fake)
    assert s["results"]["tp"] == 4
    assert s["result_methods"] == {"matched": 3, "correct": 1, "wrong": 1, "unattributed": 1, "precision": 0.5}
    assert {"id": "x", "kind": "result-method", "value": "70.0", "gold_method": "BarNet", "method": "FooNet"} in s["errors"]


def test_named_sets_and_report_state_the_matching_mode():
    from paperkg.extract import extract
    from paperkg.extract.evaluate import default_paths, evaluate_set, format_table

    paths = default_paths()
    s = evaluate_set("unseen", extract, paths)
    assert s["records"] == 15 and s["kind"] == "entity"
    text = format_table([s])
    assert "matching: entity level" in text
    assert text.splitlines()[2].split()[0] == "Benchmark"
    with pytest.raises(ValueError):
        evaluate_set("nope", extract, paths)


def test_public_errors_lists_misses_and_false_positives():
    from paperkg.extract.evaluate import TDMSCI_TYPES, public_errors

    rows = [{"id": "s1", "text": "We test on the Foo corpus.",
             "entities": [{"type": "Dataset", "text": "Bar", "start": 0, "end": 2}]}]

    def fake(title, abstract):
        return Extraction(mentions=[Mention("Benchmark", "Foo", 15, 18, "abstract", "Foo", (), False, "shape:head")])

    assert public_errors(rows, fake, TDMSCI_TYPES, ["Benchmark"]) == [
        {"id": "s1", "type": "Benchmark", "missed": ["Bar"], "false_positives": ["Foo (shape:head)"],
         "text": "We test on the Foo corpus."}]
