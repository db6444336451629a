"""Deterministic IRIs for data nodes.

Every IRI is derived from a normalized name or title (never from counters or run order), so the same
input gives the same IRIs on every machine, and an entity keeps its IRI when more listings are added.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Case- and accent-folded text: the basis of every matching key."""
    if text.isascii():  # nothing to decompose (most names and titles): the same result, 10x faster
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


def short_hash(text: str, length: int = 8) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def slugify(text: str, max_len: int = 80) -> str:
    """A readable, IRI-safe slug. Long or non-Latin texts get a hash so distinct texts stay distinct."""
    slug = _NON_ALNUM.sub("-", fold(text)).strip("-")
    if not slug:
        return "h-" + short_hash(text)
    if len(slug) > max_len:
        cut = slug[:max_len].rsplit("-", 1)[0] or slug[:max_len]
        return f"{cut}-{short_hash(slug)}"
    return slug
