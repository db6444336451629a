"""Knowledge from titles and abstracts: benchmarks, methods, tasks, metrics, results and code links.

Extraction is a stage with a narrow interface: ``(title, abstract)`` in, an :class:`Extraction` out. The
default implementation, :func:`extract`, is pure-Python rules plus a gazetteer of well-known entities
kept as data files (``paperkg/data/gazetteer/*.tsv``); it downloads nothing and needs no model. Any object
with an ``extract(title, abstract)`` method returning an :class:`Extraction` can replace it (see
``docs/extraction.md``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol, runtime_checkable

from .gazetteer import default_gazetteer, norm_key

__all__ = [
    "Mention",
    "ResultMention",
    "Extraction",
    "Extractor",
    "RuleExtractor",
    "extract",
    "entity_key",
    "mention_keys",
]


@dataclass(frozen=True, slots=True)
class Mention:
    """One mention of a named entity in a title or abstract."""

    type: str  # "Benchmark" | "Method" | "Task" | "Metric"
    text: str  # surface text as in the source
    start: int  # char offsets into the field
    end: int
    field: str  # "title" | "abstract"
    canonical: str  # canonical name used for the entity's rdfs:label
    aliases: tuple[str, ...]  # other names (gazetteer aliases, or the other side of a definition)
    introduced: bool  # proposed by this paper (entity-level: same value for all mentions of the entity)
    rule: str  # which rule / gazetteer fired, for extractions.jsonl


@dataclass(frozen=True, slots=True)
class ResultMention:
    """A reported number: value, unit, metric and benchmark (canonical names of mentions in the paper)."""

    value: Decimal
    unit: str | None  # "%", "BLEU", ...
    metric: str | None
    benchmark: str | None
    method: str | None
    relative: bool  # a gain or difference ("2.0% better than X"), not a score
    compared_to: str | None  # canonical name of the baseline method, when the text names it
    evidence: str  # the sentence
    start: int  # offsets of the sentence in the abstract
    end: int


@dataclass(frozen=True, slots=True)
class Extraction:
    mentions: list[Mention] = field(default_factory=list)
    results: list[ResultMention] = field(default_factory=list)
    code_urls: list[str] = field(default_factory=list)


@runtime_checkable
class Extractor(Protocol):
    """What the pipeline needs from an extraction stage."""

    def extract(self, title: str, abstract: str | None) -> Extraction: ...


_BENCH_HEAD = re.compile(
    r"(?:\s+(?:the\s+)?(?:test|dev|validation|val|training|train)?\s*"
    r"(?:dataset|datasets|data set|data sets|benchmark|benchmarks|corpus|corpora|suite|test set|testset|"
    r"split|collection|leaderboard|challenge|environment|environments|tasks?))+$",
    re.I,
)
_PLURAL_ACRONYM = re.compile(r"^(.*[A-Z0-9])s$")


_R_entity_key_1 = re.compile(r"^the\s+", re.I)


def entity_key(type: str, name: str) -> str:  # noqa: A002 - name fixed by the interface
    """Deterministic merge key: the same key within a type means the same graph node.

    Case, spaces, hyphens and punctuation are ignored ("Big-Bench Hard" = "BIG-Bench Hard", "Imagenet" =
    "ImageNet"); digits and letter suffixes are kept (CIFAR-10 ≠ CIFAR-100, GPT-4 ≠ GPT-4o, BIG-Bench ≠
    BIG-Bench Hard). Gazetteer aliases map to the key of their canonical name ("ILSVRC-2012" = "ImageNet").
    For benchmarks a trailing head noun ("the COCO dataset") is dropped; an acronym plural ("GCNs") is
    singular. Aliases a paper defines itself ("Optimization by PROmpting (OPRO)") are carried by the
    mention's ``canonical`` / ``aliases``: merge nodes whose keys of canonical or any alias coincide.
    """
    n = name.strip()
    if type == "Benchmark":
        n = _R_entity_key_1.sub("", n)
        stripped = _BENCH_HEAD.sub("", n)
        if stripped and norm_key(stripped):
            n = stripped
    m = _PLURAL_ACRONYM.match(n)
    if m and " " not in n:
        n = m.group(1)
    k = norm_key(n)
    return default_gazetteer().canon_key.get((type, k), k)


def mention_keys(m: Mention) -> set[str]:
    """All merge keys of a mention: its canonical name and every alias."""
    return {entity_key(m.type, x) for x in (m.canonical, *m.aliases)} - {""}


from .rules import RuleExtractor  # noqa: E402  (needs the dataclasses above)

_DEFAULT: RuleExtractor | None = None


def extract(title: str, abstract: str | None) -> Extraction:
    """Default rule-based extractor (deterministic: same input, same output in the same order)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = RuleExtractor()
    return _DEFAULT.extract(title, abstract)

