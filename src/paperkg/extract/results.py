"""Reported results: "achieves 90.2% top-1 accuracy on ImageNet" -> value, unit, metric, benchmark.

Precision over recall: a result is emitted only when one sentence gives the number, a metric bound to
the number (right after it, or "<metric> of <number>") and a benchmark bound by "on"/"On" or "<benchmark>:".
The method is the Method mention that is the sentence's subject (before the number, not inside parentheses,
not the object of "using / with / via / compared to / outperforming ..."); "our model / our approach / we"
stands for the paper's introduced method. A value is relative when it is a gain or a difference ("by 2.0%",
"improvement", "better than", "within 0.3% of", "+1.6"); ``compared_to`` is the Method named after "than /
over / outperform(s|ing) / surpass / improve(s) / compared to / vs / within ... of".

Further bindings, each requiring the same sentence:

* a second number joined to a result by "and" / "compared with" takes its metric ("an accuracy of 82.6% on
  GSM8K and 40.6% on MATH"; "63.4% mAP, compared with 70.0% for Fast R-CNN" also takes the benchmark and
  the method after "for");
* a relative number with a metric but no benchmark, after an absolute result and a comparison verb, takes
  that result's benchmark and method ("87.3% top-1 accuracy on ImageNet, outperforming ViT by 2.0%
  accuracy"), unless it is qualified by another "on/in ..." ("7.8 AP better on large objects");
* "respectively" lists pair numbers with benchmarks (or with methods) by position ("2.4%, 1.4% and 1.3% R@1
  on A, B and C, respectively"); a list that cannot be paired exactly gives no result at all, and its numbers
  are never bound one by one.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from . import ResultMention  # (defined in the package before it imports this module: no import cycle problem)

if TYPE_CHECKING:
    from . import Mention

_NUM = re.compile(r"(?<![\w.\-/])([+\-−]?)(\d{1,5}(?:\.\d+)?)\s*(%|\\%| ?percent(?:age points?)?| ?pp\b| points?\b)?")
_REL_BEFORE = re.compile(
    r"(?:\bby(?: up to| about| around| roughly| nearly| over| more than| an average of| a margin of| large margins of|"
    r" a large margin of)?|improv\w*(?: of| by)?|gains?(?: of)?|increases?(?: of)?|boosts?(?: of)?|"
    r"outperform\w*(?: \w+){0,4} by|\+|reduc\w*(?: \w+){0,2} by|lower\w*(?: \w+){0,2} by|drops?(?: of)?|margin of|"
    r"absolute|relative|within)\s*$",
    re.I,
)
# (a word is written "\w[\w\-]*+": the same words as "\w+[\w\-]*", without the many ways of splitting a word between
# "\w+" and "[\w\-]*" that were all tried before a failure; possessive, as whitespace follows and could never match a
# character given back. Only whether the pattern matches is used.)
_REL_AFTER = re.compile(
    r"^\s*(?:%|\\%|points?|pp)?\s*(?:\w[\w\-]*+\s+){0,3}?(?:better|higher|lower|more|less|improvements?|gains?|"
    r"increases?|boosts?|reductions?|above|over|relative|absolute)\b",
    re.I,
)
_CMP = re.compile(
    r"\b(?:than|over|outperform(?:s|ed|ing)?|surpass(?:es|ed|ing)?|compared (?:to|with)|vs\.?|versus|against|"
    r"beat(?:s|ing)?|improv(?:es|ed|ing)(?:\s+(?:up)?on)?|exceed(?:s|ed|ing)?|within\s+[\d.]+\s*%?\s*(?:[\w@\-]+\s+){0,2}of)"
    r"\s+(?:(?:the|a|an|prior|previous|recent|strong|existing|best|current|popular|state-of-the-art)\s+){0,3}$",
    re.I,
)
# a Method mention after these words is a tool, a component or a baseline, not the sentence's subject
_INSTRUMENT = re.compile(
    r"\b(?:using|use|uses|used|with|by|via|from|on|to|into|for|upon|atop|under|based on|applied to|replacing|"
    r"replace|including|such as|like|in|at)\s+(?:(?:the|a|an|pre-?trained|directly|[a-z][a-z\-]*)\s+){0,3}$",
    re.I,
)

# Cheap conditions implied by a match of _CMP / _INSTRUMENT (re.I, both anchored at the end), tested before the
# patterns (same answers). Both end with a word ending in their keyword, then whitespace, then at most three words,
# each followed by whitespace. For ASCII text the words are the whitespace-separated parts (what str.split() and
# "\s" both call whitespace); other text runs the pattern (re.I lets "ſ", "K", "ı", "İ" match ASCII letters).
_CMP_TAILS = ("than", "over", "outperform", "outperforms", "outperformed", "outperforming", "surpass", "surpasses",
              "surpassed", "surpassing", "to", "with", "vs", "vs.", "versus", "against", "beat", "beats", "beating",
              "improves", "improved", "improving", "on", "exceed", "exceeds", "exceeded", "exceeding", "of")
_CMP_WORDS_AFTER = {"the", "a", "an", "prior", "previous", "recent", "strong", "existing", "best", "current", "popular",
                    "state-of-the-art"}
_INSTRUMENT_TAILS = ("using", "use", "uses", "used", "with", "by", "via", "from", "on", "to", "into", "for", "upon",
                     "atop", "under", "replacing", "replace", "including", "as", "like", "in", "at")


def _cmp_search(pre: str) -> bool:
    """``_CMP.search(pre)``: the words after the keyword are from _CMP_WORDS_AFTER (none of which ends with a
    keyword): skipping up to three of them from the end must reach a word ending with one of _CMP_TAILS."""
    if not pre[-1:].isspace():
        return False
    if pre.isascii():
        ws = pre.rsplit(None, 4)
        k = len(ws) - 1
        while k >= 0 and k >= len(ws) - 3 and ws[k].lower() in _CMP_WORDS_AFTER:
            k -= 1
        if k < 0 or not ws[k].lower().endswith(_CMP_TAILS):
            return False
    return _CMP.search(pre) is not None


def _instrument_search(pre: str) -> bool:
    """``_INSTRUMENT.search(pre)``: the words after the keyword are letters and hyphens, starting with a letter: one
    of the last four words, after only such words, ends with one of _INSTRUMENT_TAILS."""
    if not pre[-1:].isspace():
        return False
    if pre.isascii():
        for w in reversed(pre.rsplit(None, 4)[-4:]):
            low = w.lower()
            if low.endswith(_INSTRUMENT_TAILS):
                return _INSTRUMENT.search(pre) is not None
            if not (low[:1].isalpha() and low.replace("-", "").isalpha()):
                return False
        return False
    return _INSTRUMENT.search(pre) is not None


_RANGE_AFTER = re.compile(r"^\s*(?:%|\\%)?\s*(?:-|–|to|~)\s*\d")
_WE_SUBJ = re.compile(r"^\s*(?:[A-Z][\w\-,]*\s+){0,6}?(?:we|our (?:\w+\s+){0,2}?(?:model|method|approach|system|framework|network|agent|algorithm)s?|the proposed \w+)\b", re.I)
_WE_CLAUSE = re.compile(
    r"\b(?:we|our\s+(?:[\w\-]+\s+){0,2}?(?:model|method|approach|system|framework|network|agent|algorithm|"
    r"detector|architecture|pipeline)s?)\s+(?:\w+\s+){0,3}?(?:achiev|obtain|reach|attain|get|gets|got|report|set|"
    r"establish|run|yield|score)\w*\b[^,;]*$",
    re.I,
)
_SIBLING_GAP = re.compile(r"\s*,?\s*(?:and\s+|as well as\s+|(compared\s+(?:to|with)|vs\.?|versus|against|as opposed to)\s+)"
                          r"(?:an?\s+|only\s+|just\s+)?")
_COMPARISON_VERB = re.compile(r"\b(?:outperform\w*|surpass\w*|better than|improv\w*|exceed\w*|ahead of|beat\w*)\b", re.I)
_OTHER_SUBSET_AFTER = re.compile(r"^\s*(?:%|\\%)?\s*(?:[\w@\-]+\s+){0,4}?(?:on|in|for)\s+(?!the\s+same\b)[a-z]", re.I)
_LIST_SEP = re.compile(r"\s*(?:%|\\%)?\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*/\s*)")
_BENCH_LIST_SEP = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?")
_METHOD_LIST_SEP = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?")


def _sentences(text: str) -> list[tuple[int, int]]:
    from .rules import _sentences as s

    return s(text)


def _in_parens(text: str, start: int, pos: int) -> bool:
    """True when ``pos`` is inside an open parenthesis of ``text[start:pos]``."""
    seg = text[start:pos]
    return seg.count("(") > seg.count(")")


_R_metric_before_1 = re.compile(r"\s*\)?\s*(?:of|:|=|score of|scores of|of up to|of about|reaching|at|\()\s*")
_R_bench_after_1 = re.compile(r"\b(?:on|in|for)\s+(?:the\s+)?(?:challenging\s+|popular\s+|standard\s+|unconditional\s+|"
                              r"test\s+set\s+of\s+|validation\s+set\s+of\s+)?$")
_R_bench_after_2 = re.compile(r"[;]")
_R_bench_opening_1 = re.compile(r"^\s*(?:For example,\s*|In particular,\s*|Moreover,\s*)?(On|For|In)\s+(?:the\s+)?(?:[a-z][\w\-]*\s+){0,2}$")
_R_bench_before_colon_1 = re.compile(r"\s*[:(]\s*(?:\w+\s*){0,2}")
_R_subject_method_1 = re.compile(r"\s*-?(?:based|style|like)\b")


_METRIC_AFTER_GAP_RE = r"\s*(?:\(\s*)?(?:on\s+the\s+)?(?:average\s+|mean\s+|absolute\s+|relative\s+)?"
_METRIC_AFTER_GAP = re.compile(_METRIC_AFTER_GAP_RE)


class _Sentence:
    def __init__(self, masked: str, ss: int, se: int, sent_m: list[Mention], own_method: str | None):
        self.t, self.ss, self.se = masked, ss, se
        self.metrics = [m for m in sent_m if m.type == "Metric"]
        self.benches = [m for m in sent_m if m.type == "Benchmark"]
        self.methods = [m for m in sent_m if m.type == "Method"]
        self.own = own_method

    # -------------------------------------------------------------------------------- bindings
    def metric_after(self, ne: int, extra: str = "") -> Mention | None:
        for m in self.metrics:
            gap = self.t[ne:m.start]
            if m.start >= ne and len(gap) <= 12 + len(extra) and (
                    _METRIC_AFTER_GAP.fullmatch(gap) if not extra else re.fullmatch(_METRIC_AFTER_GAP_RE + extra, gap)):
                return m
        return None

    def metric_before(self, ns: int) -> Mention | None:
        for m in self.metrics:
            gap = self.t[m.end:ns]
            if m.end <= ns and _R_metric_before_1.fullmatch(gap):
                return m
        return None

    def bench_after(self, ne: int) -> Mention | None:
        for b in self.benches:
            if b.start >= ne:
                gap = self.t[ne:b.start]
                # (the cheap tests first: the length, and the whitespace _R_bench_after_1 ends with before "$")
                if len(gap) <= 60 and gap[-1:].isspace() and _R_bench_after_1.search(gap) \
                        and not _R_bench_after_2.search(gap) and not any(ne <= o.start < b.start for o in self.benches if o is not b):
                    return b
        return None

    def bench_opening(self, ns: int) -> Mention | None:
        """"On X, ..." / "For X, ..." / "In X, ..." opening the sentence; "On X we ..." without the comma."""
        for b in self.benches:
            if b.start >= ns:
                continue
            op = _R_bench_opening_1.match(self.t[self.ss:b.start])
            if not op:
                continue
            rest = self.t[b.end:ns]
            if any(b.end <= o.start < ns for o in self.benches if o is not b):
                continue
            if "," in rest or op.group(1) == "On":
                return b
        return None

    def bench_before_colon(self, ns: int) -> Mention | None:
        for b in self.benches:
            if b.end <= ns and _R_bench_before_colon_1.fullmatch(self.t[b.end:ns] or "x"):
                return b
        return None

    def subject_method(self, pos: int) -> str | None:
        for m in self.methods:
            if m.end > pos:
                break
            pre = self.t[max(self.ss, m.start - 60):m.start]
            if _cmp_search(pre) or _instrument_search(pre) or _in_parens(self.t, self.ss, m.start):
                continue
            if _R_subject_method_1.match(self.t[m.end:m.end + 8]):
                continue
            return m.canonical
        lead = self.t[self.ss:pos]
        if self.own and (_WE_SUBJ.match(lead) or _WE_CLAUSE.search(lead)):
            return self.own
        return None

    def compared_method(self, ns: int) -> str | None:
        for m in self.methods:
            if _cmp_search(self.t[max(self.ss, m.start - 60):m.start]):
                return m.canonical
        return None


def _unit(unit_raw: str, metric: Mention, ne: int) -> str | None:
    if unit_raw in ("%", "\\%") or "percent" in unit_raw:
        return "%" if "point" not in unit_raw else "pp"
    if unit_raw in ("pp",) or unit_raw.startswith("point"):
        return "points"
    if metric.start >= ne:
        return metric.canonical
    return None


def _value(nm: re.Match) -> Decimal | None:
    try:
        v = Decimal(nm.group(2))
    except InvalidOperation:
        return None
    return -v if nm.group(1) in ("-", "−") else v


# Cheap conditions implied by a match of _REL_BEFORE / _REL_AFTER (re.I), tested before the patterns (same answers).
# Under re.I only i, k and s also match non-ASCII letters (ı, İ, K, ſ): text that is not ASCII runs the pattern.
_REL_BEFORE_ENDS = ("by", "to", "about", "around", "roughly", "nearly", "over", "than", "of", "gain", "gains",
                    "increase", "increases", "boost", "boosts", "drop", "drops", "absolute", "relative", "within", "+")
_REL_AFTER_WORDS = ("better", "higher", "lower", "more", "less", "improvement", "gain", "increase", "boost",
                    "reduction", "above", "over", "relative", "absolute")


def _rel_before(pre: str) -> bool:
    """``_REL_BEFORE.search(pre)``: the text, without trailing whitespace, ends with one of the pattern's last
    words ("by", "of", "gains", "+", ...) or with a word containing "improv" (``improv\\w*``)."""
    r = pre.rstrip()
    if r.isascii():
        low = r.lower()
        if not low.endswith(_REL_BEFORE_ENDS) and "improv" not in low:
            return False
    return _REL_BEFORE.search(pre) is not None


def _rel_after(after: str) -> bool:
    """``_REL_AFTER.match(after)``: the text contains one of the pattern's comparison words."""
    if after.isascii():
        low = after.lower()
        for w in _REL_AFTER_WORDS:
            if w in low:
                break
        else:
            return False
    return _REL_AFTER.match(after) is not None


def _is_relative(s: _Sentence, nm: re.Match) -> bool:
    pre = s.t[max(s.ss, nm.start() - 40):nm.start()]
    return bool(nm.group(1) == "+" or _rel_before(pre) or _rel_after(s.t[nm.end():nm.end() + 40]))


def _number_lists(nums: list[re.Match], t: str) -> list[list[re.Match]]:
    """Maximal runs of >= 2 numbers joined only by separators ("2.4%, 1.4% and 1.3%")."""
    runs: list[list[re.Match]] = []
    cur: list[re.Match] = []
    for nm in nums:
        if cur and _LIST_SEP.fullmatch(t[cur[-1].end(2):nm.start()]) and bool(cur[-1].group(3)) == bool(nm.group(3)):
            cur.append(nm)
            continue
        if len(cur) >= 2:
            runs.append(cur)
        cur = [nm]
    if len(cur) >= 2:
        runs.append(cur)
    return runs


def _coordinated_run(ms: list[Mention], t: str, sep: re.Pattern) -> list[list[Mention]]:
    runs: list[list[Mention]] = []
    cur: list[Mention] = []
    for m in sorted(ms, key=lambda m: m.start):
        if cur and m.start >= cur[-1].end and sep.fullmatch(t[cur[-1].end:m.start]) and m.canonical != cur[-1].canonical:
            cur.append(m)
            continue
        if cur:
            runs.append(cur)
        cur = [m]
    if cur:
        runs.append(cur)
    return runs


_R_list_results_1 = re.compile(r"\s*(?:rates?|scores?|values?)?\s*(?:of|:|=)\s*"
                               r"(?:only\s+|about\s+|around\s+|up to\s+|nearly\s+|approximately\s+)?")
_R_list_results_2 = re.compile(r"\b(?:on|in|for|across)\s+(?:the\s+)?$")
_R_list_results_3 = re.compile(r"\d")


def _list_results(s: _Sentence, lst: list[re.Match], original: str) -> list[ResultMention]:
    """Results of a "respectively" list, or [] when the pairing is not exact."""
    t = s.t
    first, last = lst[0], lst[-1]
    k = len(lst)
    # metric: after the last number, before the first one, or between the list and "on <benchmarks>"
    metric = s.metric_after(last.end()) or s.metric_before(first.start())
    if metric is None:
        for m in s.metrics:
            if m.end <= first.start() and _R_list_results_1.fullmatch(t[m.end:first.start()]):
                metric = m
    bench_list: list[Mention] | None = None
    for run in _coordinated_run(s.benches, t, _BENCH_LIST_SEP):
        if run[0].start < last.end():
            continue
        gap = t[last.end():run[0].start]
        bare = gap
        for m in s.metrics:  # digits of a metric name ("R@1") are not another number
            if last.end() <= m.start and m.end <= run[0].start:
                bare = bare.replace(m.text, " ")
        if len(run) == k and len(gap) <= 80 and _R_list_results_2.search(gap) \
                and not _R_list_results_3.search(bare):
            if metric is None:
                metric = next((m for m in s.metrics if last.end() <= m.start and m.end <= run[0].start), None)
            bench_list = run
        break
    if metric is None:
        return []
    benches: list[Mention | None]
    methods: list[str | None]
    if bench_list is not None:
        benches = list(bench_list)
        methods = [s.subject_method(first.start())] * k
    else:
        b = s.bench_after(last.end()) or s.bench_opening(first.start()) or s.bench_before_colon(first.start())
        subj = [run for run in _coordinated_run([m for m in s.methods if m.end <= first.start()], t, _METHOD_LIST_SEP)
                if len(run) == k]
        if b is None or not subj:
            return []
        benches = [b] * k
        methods = [m.canonical for m in subj[-1]]
    relative = _is_relative(s, first) or _rel_after(t[last.end():last.end() + 40])
    out = []
    for nm, b, meth in zip(lst, benches, methods):
        v = _value(nm)
        if v is None or b is None:
            return []
        unit = _unit((nm.group(3) or last.group(3) or "").strip(), metric, last.end())
        out.append(ResultMention(value=v, unit=unit, metric=metric.canonical, benchmark=b.canonical, method=meth,
                                 relative=relative, compared_to=s.compared_method(first.start()) if relative else None,
                                 evidence=original[s.ss:s.se], start=s.ss, end=s.se))
    return out


def _own_method(mentions: list[Mention]) -> str | None:
    """The paper's own method for "we / our model": the only introduced Method, or the introduced Method named
    in the title when there are several; None when that is still ambiguous."""
    own = list(dict.fromkeys(m.canonical for m in mentions if m.type == "Method" and m.introduced))
    if len(own) <= 1:
        return own[0] if own else None
    in_title = list(dict.fromkeys(m.canonical for m in mentions if m.type == "Method" and m.introduced and m.field == "title"))
    heads = [m.canonical for m in mentions if m.field == "title" and m.type == "Method" and m.introduced
             and (m.rule == "title-head" or m.start <= 1)]
    if heads:
        return heads[0]
    return in_title[0] if len(in_title) == 1 else None


_R_extract_results_1 = re.compile(r"(?:-|–|to)\s*$")
_R_extract_results_2 = re.compile(r"\s*(?:%|\\%)?\s*(?:for|of|by|from)\s+(?:the\s+)?")
_R_extract_results_3 = re.compile(r"^\s*(?:→|->|rightarrow|to)\s*[A-Z]")


def extract_results(masked: str, original: str, mentions: list[Mention],
                    sents: list[tuple[int, int]] | None = None) -> list[ResultMention]:
    """Results of the abstract (``masked``: URLs and LaTeX blanked; ``sents``: its sentences when already known)."""
    out: list[ResultMention] = []
    abs_m = [m for m in mentions if m.field == "abstract"]
    if not abs_m:
        return out
    # mentions come sorted by (field, start): the mentions of a sentence (those starting in its span) are a slice of
    # abs_m. Only a sentence with a metric and a benchmark can give a result: the sentence of each metric and
    # benchmark mention is found by bisecting the sentence starts (sentences are ordered and do not overlap), and
    # only the sentences found for both are gone through, in order
    if not any(m.type == "Metric" for m in abs_m) or not any(m.type == "Benchmark" for m in abs_m):
        return out
    if sents is None:
        sents = _sentences(masked)
    sent_starts = [ss for ss, _se in sents]
    with_metric = set()
    with_bench = set()
    for m in abs_m:
        if m.type == "Metric" or m.type == "Benchmark":
            i = bisect_right(sent_starts, m.start) - 1
            if i >= 0 and m.start < sents[i][1]:
                (with_metric if m.type == "Metric" else with_bench).add(i)
    starts = [m.start for m in abs_m]
    own_method = _own_method(mentions)
    for i in sorted(with_metric & with_bench):
        ss, se = sents[i]
        lo, hi = bisect_left(starts, ss), bisect_left(starts, se)
        sent_m = abs_m[lo:hi]
        s = _Sentence(masked, ss, se, sent_m, own_method)
        covered = [(m.start, m.end) for m in sent_m]
        nums = []
        for nm in _NUM.finditer(masked, ss, se):
            ns = nm.start(2)
            if any(a <= ns < b for a, b in covered):
                continue  # digits inside a name ("GSM8K", "CIFAR-10")
            if _RANGE_AFTER.match(masked[nm.end(2):nm.end(2) + 6]) or _R_extract_results_1.search(masked[max(ss, nm.start() - 4):nm.start()]):
                continue
            nums.append(nm)
        consumed: set[int] = set()
        for lst in _number_lists(nums, masked):
            if "respectively" in masked[lst[-1].end():se] or "respectively" in masked[ss:lst[0].start()][-40:]:
                out.extend(_list_results(s, lst, original))
                consumed.update(nm.start() for nm in lst)
            elif len(s.benches) >= 2:
                consumed.update(nm.start() for nm in lst)  # "A% and B% on X and Y": pairing not stated
        prev: tuple[re.Match, Mention, Mention, int, ResultMention] | None = None  # number, metric, bench, end, result
        for nm in nums:
            if nm.start() in consumed:
                prev = None
                continue
            ns, ne = nm.start(2), nm.end()
            unit_raw = (nm.group(3) or "").strip()
            metric = s.metric_after(ne) or s.metric_before(nm.start())
            sibling = None
            if metric is None and prev is not None:
                gm = _SIBLING_GAP.fullmatch(masked[prev[3]:nm.start()])
                if gm and (bool(unit_raw) == bool((prev[0].group(3) or "").strip())):
                    metric, sibling = prev[1], gm
            if metric is None:
                prev = None
                continue
            bench = s.bench_after(ne) or s.bench_opening(nm.start()) or s.bench_before_colon(nm.start())
            relative = _is_relative(s, nm)
            method = s.subject_method(nm.start())
            inherited = False
            if sibling is not None and sibling.group(1):
                # "63.4% mAP, compared with 70.0% for Fast R-CNN": the baseline's score on the same benchmark
                bench = bench or prev[2]
                after = [m for m in s.methods if ne <= m.start <= ne + 16 and _R_extract_results_2.fullmatch(masked[ne:m.start])]
                method = after[0].canonical if after else None
            if bench is None and relative and prev is not None and not prev[4].relative:
                between = masked[prev[3]:nm.start()]
                tail = masked[metric.end:metric.end + 50] if metric.start >= ne else masked[ne:ne + 50]
                if _COMPARISON_VERB.search(between) and not any(prev[3] <= b.start < nm.start() for b in s.benches) \
                        and not _OTHER_SUBSET_AFTER.match(tail):
                    bench, method, inherited = prev[2], prev[4].method, True
            if bench is None:
                prev = None
                continue
            if _R_extract_results_3.match(masked[bench.end:bench.end + 14]):
                prev = None
                continue  # "A → B" adaptation pair: which benchmark the number belongs to is unclear
            compared = s.compared_method(nm.start()) if relative else None
            if inherited:
                cm = [m for m in s.methods if prev[3] <= m.start < nm.start() and _cmp_search(masked[max(ss, m.start - 60):m.start])]
                compared = cm[0].canonical if cm else None
            v = _value(nm)
            if v is None:
                prev = None
                continue
            r = ResultMention(value=v, unit=_unit(unit_raw, metric, ne), metric=metric.canonical,
                              benchmark=bench.canonical, method=method, relative=relative,
                              compared_to=compared, evidence=original[ss:se], start=ss, end=se)
            out.append(r)
            end = max(ne, metric.end if metric.start >= ne else ne, bench.end if bench.start >= ne else ne)
            prev = (nm, metric, bench, end, r)
    return out
