"""Reported results: "achieves 90.2% top-1 accuracy on ImageNet" -> value, unit, metric, benchmark.

Precision over recall: a result is emitted only when one sentence gives the number, a metric bound to
the number (right after it, or "<metric> of <number>") and a benchmark bound by "on"/"On" or "<benchmark>:".
The method is the Method mention that is the sentence's subject (before the number); "our model / our
approach / we" stands for the paper's introduced method. A value is relative when it is a gain or a
difference ("by 2.0%", "improvement", "better than", "+1.6"); ``compared_to`` is the Method named after
"than / over / outperform(s|ing) / surpass / compared to / vs".
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import Mention, ResultMention

_NUM = re.compile(r"(?<![\w.\-/])([+\-−]?)(\d{1,5}(?:\.\d+)?)\s*(%|\\%| ?percent(?:age points?)?| ?pp\b| points?\b)?")
_REL_BEFORE = re.compile(
    r"(?:\bby(?: up to| about| around| roughly| nearly| over| more than| an average of| a margin of)?|"
    r"improv\w*(?: of| by)?|gains?(?: of)?|increases?(?: of)?|boosts?(?: of)?|outperform\w*(?: \w+){0,4} by|"
    r"\+|reduc\w*(?: \w+){0,2} by|lower\w*(?: \w+){0,2} by|drops?(?: of)?|margin of|absolute|relative)\s*$",
    re.I,
)
_REL_AFTER = re.compile(
    r"^\s*(?:%|\\%|points?|pp)?\s*(?:\w+[\w\-]*\s+){0,3}?(?:better|higher|lower|more|less|improvement|gain|"
    r"increase|boost|reduction|above|over|relative|absolute)\b",
    re.I,
)
_CMP = re.compile(r"\b(?:than|over|outperform(?:s|ed|ing)?|surpass(?:es|ed|ing)?|compared (?:to|with)|vs\.?|versus|against|beat(?:s|ing)?)\s+(?:the\s+|a\s+|prior\s+|previous\s+|recent\s+|strong\s+)?$", re.I)
_RANGE_AFTER = re.compile(r"^\s*(?:%|\\%)?\s*(?:-|–|to|~)\s*\d")
_WE_SUBJ = re.compile(r"^\s*(?:[A-Z][\w\-,]*\s+){0,6}?(?:we|our (?:\w+\s+){0,2}?(?:model|method|approach|system|framework|network|agent|algorithm)s?|the proposed \w+)\b", re.I)


def _sentences(text: str) -> list[tuple[int, int]]:
    from .rules import _sentences as s

    return s(text)


def extract_results(masked: str, original: str, mentions: list[Mention]) -> list[ResultMention]:
    from . import ResultMention

    out: list[ResultMention] = []
    abs_m = [m for m in mentions if m.field == "abstract"]
    if not abs_m:
        return out
    own_method = next((m.canonical for m in mentions if m.type == "Method" and m.introduced), None)
    for ss, se in _sentences(masked):
        sent_m = [m for m in abs_m if ss <= m.start < se]
        metrics = [m for m in sent_m if m.type == "Metric"]
        benches = [m for m in sent_m if m.type == "Benchmark"]
        if not metrics or not benches:
            continue
        covered = [(m.start, m.end) for m in sent_m]
        for nm in _NUM.finditer(masked, ss, se):
            ns, ne = nm.start(2), nm.end()
            if any(a <= ns < b for a, b in covered):
                continue  # digits inside a name ("GSM8K", "CIFAR-10")
            if _RANGE_AFTER.match(masked[nm.end(2):nm.end(2) + 6]) or re.search(r"(?:-|–|to)\s*$", masked[max(ss, nm.start() - 4):nm.start()]):
                continue
            unit_raw = (nm.group(3) or "").strip()
            after = masked[ne:ne + 40]
            # metric bound to the number: right after it, or "<metric> (of|:|=) <number>"
            metric = None
            for m in metrics:
                gap = masked[ne:m.start]
                if m.start >= ne and re.fullmatch(r"\s*(?:\(\s*)?(?:on\s+the\s+)?(?:average\s+|mean\s+|absolute\s+|relative\s+)?", gap) is not None and len(gap) <= 12:
                    metric = m
                    break
            if metric is None:
                for m in metrics:
                    gap = masked[m.end:nm.start()]
                    if m.end <= nm.start() and re.fullmatch(r"\s*(?:of|:|=|score of|scores of|of up to|of about|reaching|at|\()\s*", gap):
                        metric = m
                        break
            if metric is None:
                continue
            # benchmark: "on X" after the number, else "On X," opening the sentence, else "X:" before
            bench = None
            for b in benches:
                if b.start >= ne:
                    gap = masked[ne:b.start]
                    if re.search(r"\b(?:on|in|for)\s+(?:the\s+)?(?:challenging\s+|popular\s+|standard\s+|test\s+set\s+of\s+|validation\s+set\s+of\s+)?$", gap) and len(gap) <= 60 and not re.search(r"[;]", gap):
                        bench = b
                        break
            if bench is None:
                lead = masked[ss:nm.start()]
                for b in benches:
                    if b.start < nm.start() and re.match(r"^\s*(?:On|For|In)\s+(?:the\s+)?$", masked[ss:b.start]) and "," in lead[b.end - ss:]:
                        bench = b
                        break
            if bench is None:
                for b in benches:
                    if b.end <= nm.start() and re.fullmatch(r"\s*[:(]\s*(?:\w+\s*){0,2}", masked[b.end:nm.start()] or "x"):
                        bench = b
                        break
            if bench is None:
                continue
            if re.match(r"^\s*(?:→|->|rightarrow|to)\s*[A-Z]", masked[bench.end:bench.end + 14]):
                continue  # "A → B" adaptation pair: which benchmark the number belongs to is unclear
            # relative or absolute
            pre = masked[max(ss, nm.start() - 40):nm.start()]
            relative = bool(nm.group(1) == "+" or _REL_BEFORE.search(pre) or _REL_AFTER.match(after))
            # method: subject Method mention before the number
            method = None
            cands = [m for m in sent_m if m.type == "Method" and m.end <= nm.start()]
            compared = None
            for m in cands:
                if _CMP.search(masked[max(ss, m.start - 40):m.start]):
                    continue
                method = m.canonical
                break
            if method is None and own_method and _WE_SUBJ.match(masked[ss:nm.start()]):
                method = own_method
            if relative:
                for m in sent_m:
                    if m.type == "Method" and _CMP.search(masked[max(ss, m.start - 40):m.start]):
                        compared = m.canonical
                        break
            unit = None
            if unit_raw in ("%", "\\%") or "percent" in unit_raw:
                unit = "%" if "point" not in unit_raw else "pp"
            elif unit_raw in ("pp",) or unit_raw.startswith("point"):
                unit = "points"
            elif metric.start >= ne:
                unit = metric.canonical
            try:
                value = Decimal(nm.group(2))
            except InvalidOperation:
                continue
            if nm.group(1) in ("-", "−"):
                value = -value
            out.append(
                ResultMention(
                    value=value, unit=unit, metric=metric.canonical, benchmark=bench.canonical, method=method,
                    relative=relative, compared_to=compared if relative else None,
                    evidence=original[ss:se], start=ss, end=se,
                )
            )
    return out
