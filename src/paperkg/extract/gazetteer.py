"""The gazetteer: well-known benchmarks, methods, tasks and metrics with their aliases, kept as data.

Files live in ``paperkg/data/gazetteer/{benchmarks,methods,tasks,metrics}.tsv``; one entity per line,
``canonical<TAB>alias|alias|...<TAB>flag``. The optional flag ``ctx`` marks an ambiguous name (an English
word such as "RACE" or "Adam"-like tokens) that is only taken with its exact case and in a context that
supports the type. Lines starting with ``#`` are comments.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

TYPES = ("Benchmark", "Method", "Task", "Metric")
_FILES = {"Benchmark": "benchmarks.tsv", "Method": "methods.tsv", "Task": "tasks.tsv", "Metric": "metrics.tsv"}

_NON_ALNUM = re.compile(r"[^0-9a-z+]+")
_CACHE_MAX = 200_000  # surfaces kept by a Gazetteer's lookup cache (cleared when full)


@lru_cache(maxsize=200_000)
def norm_key(text: str) -> str:
    """Case-, space- and punctuation-insensitive form of a name ("Big-Bench Hard" -> "bigbenchhard").

    Digits and letters are kept, so CIFAR-10 / CIFAR-100 and GPT-4 / GPT-4o stay apart. A trailing "+" is
    kept ("HumanEval+" is not "HumanEval").
    """
    t = unicodedata.normalize("NFKC", text).lower().replace("&", "and").replace("’", "'")
    t = _NON_ALNUM.sub("", t)
    return t


@dataclass(frozen=True, slots=True)
class Entry:
    type: str
    canonical: str
    aliases: tuple[str, ...]
    ctx: bool  # ambiguous: exact case + supporting context required


class Gazetteer:
    """Lookup from normalized key to entries, plus the set of exact surface forms."""

    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self.by_key: dict[str, list[Entry]] = {}
        self.exact: dict[str, list[Entry]] = {}
        self.max_tokens = 1
        self.first: dict[str, int] = {}  # key of a form's first word -> most words of a form starting so
        # cache of lookup(), a pure function of the surface (the tables never change after construction)
        self._lookup_cache: dict[str, tuple[Entry, ...]] = {}
        for e in entries:
            for form in (e.canonical, *e.aliases):
                k = norm_key(form)
                if not k:
                    continue
                lst = self.by_key.setdefault(k, [])
                if e not in lst:
                    lst.append(e)
                ex = self.exact.setdefault(form, [])
                if e not in ex:
                    ex.append(e)
                words = re.findall(r"[A-Za-z0-9](?:[A-Za-z0-9_]|[.\-'’@](?=[A-Za-z0-9])|\+(?=[A-Za-z0-9]))*\+*", form)
                n = len(words)
                self.max_tokens = max(self.max_tokens, n)
                if words:
                    fk = norm_key(words[0])
                    self.first[fk] = max(self.first.get(fk, 0), n)
        # canonical key per (type, any form key): used by entity_key
        self.canon_key: dict[tuple[str, str], str] = {}
        for e in entries:
            ck = norm_key(e.canonical)
            for form in (e.canonical, *e.aliases):
                self.canon_key.setdefault((e.type, norm_key(form)), ck)

    def first_len(self, token: str) -> int:
        """Most words of a form whose first word has the key of ``token`` (0 when none)."""
        return self.first.get(norm_key(token), 0)

    def lookup(self, surface: str) -> list[Entry]:
        """Entries matching ``surface`` (see :meth:`_lookup`); cached per surface, a new list every call."""
        return list(self.lookup_tuple(surface))

    def lookup_tuple(self, surface: str) -> tuple[Entry, ...]:
        """:meth:`lookup` as the cached tuple itself (no copy), for callers that only read it."""
        hit = self._lookup_cache.get(surface)
        if hit is None:
            hit = tuple(self._lookup(surface))
            if len(self._lookup_cache) >= _CACHE_MAX:
                self._lookup_cache.clear()
            self._lookup_cache[surface] = hit
        return hit

    def _lookup(self, surface: str) -> list[Entry]:
        """Entries matching ``surface``: exactly, or by key when the surface looks like a name.

        Lowercase running text only matches entries whose own name is lowercase ("k-means", "word2vec"),
        not the lowercase description of a capitalized name ("chain-of-thought" for CoT): descriptions are
        not names (GUIDELINES.md). All-caps word forms ("MATH", "RACE") need their exact case. Ambiguous (``ctx``)
        entries match their exact forms, or a capitalized variant spelling ("Pubmed" for "PubMed"); the extractor
        then asks for a supporting context.
        """
        lower_surface = surface == surface.lower()
        exact = self.exact.get(surface)
        if exact:
            if lower_surface:
                exact = [e for e in exact if not any(c.isupper() for c in e.canonical) or any(c.isdigit() for c in surface)]
            return exact
        cands = self.by_key.get(norm_key(surface))
        if not cands:
            return []
        # a case-insensitive match only counts for name-looking surfaces (a capital or a digit), so
        # "transformer" or "adapters" in running text do not fire; ambiguous entries need the exact case
        if lower_surface and not any(c.isdigit() for c in surface):
            return []
        out = []
        for e in cands:
            if e.ctx and (surface.isupper() or surface[:1].islower()):
                continue  # ambiguous entries: only a capitalized variant spelling ("Pubmed" for "PubMed")
            forms = [f for f in (e.canonical, *e.aliases) if norm_key(f) == norm_key(surface)]
            if forms and all(f.isalpha() and f.isupper() for f in forms):
                continue
            out.append(e)
        return out


def _parse(type_: str, text: str) -> list[Entry]:
    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        canonical = parts[0].strip()
        aliases = tuple(a.strip() for a in parts[1].split("|") if a.strip()) if len(parts) > 1 else ()
        ctx = len(parts) > 2 and parts[2].strip() == "ctx"
        out.append(Entry(type_, canonical, aliases, ctx))
    return out


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    entries: list[Entry] = []
    base = resources.files("paperkg") / "data" / "gazetteer"
    for t in TYPES:
        entries.extend(_parse(t, (base / _FILES[t]).read_text(encoding="utf-8")))
    return Gazetteer(entries)
