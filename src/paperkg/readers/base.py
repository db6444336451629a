"""What every listing reader provides, and the small line-handling helpers they share.

A reader is a plain object registered by name in :data:`paperkg.readers.LISTING_READERS`. It never
opens files: ``parse`` takes any iterable of lines, which keeps readers pure, lets tests feed them
strings, and lets :func:`paperkg.readers.read_listing` stream a file of any size through them.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Protocol, runtime_checkable

from ..records import ReadItem

# Zero-width characters and BOMs that make a line look non-blank to ``str.strip`` but show nothing.
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060\u00ad"
#: How much of a damaged record is kept in ``FailedRecord.raw``: enough to recognize it in a report,
#: not a 15,000-character author line.
RAW_LIMIT = 2000


@runtime_checkable
class ListingReader(Protocol):
    """One input layout: recognizes it (``sniff``) and turns its lines into read items (``parse``)."""

    name: str
    description: str

    def sniff(self, head_lines: list[str]) -> float:
        """Confidence 0..1 that ``head_lines`` (the first ~200 lines of a file) are in this layout."""
        ...

    def parse(self, lines: Iterable[str], source: str) -> Iterator[ReadItem]:
        """Stream :class:`Record`, :class:`FailedRecord` and :class:`ListingNote` values."""
        ...


def numbered(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(1-based line number, text without line ending) for each line; a leading BOM is dropped.

    Lines may come from ``open()`` (with ``\\n``), from ``str.splitlines()`` (without) or from a test
    literal with ``\\r\\n``; all give the same text.
    """
    for number, line in enumerate(lines, start=1):
        text = line.rstrip("\r\n")
        if number == 1 and text.startswith("\ufeff"):
            text = text[1:]
        yield number, text


def nonblank(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """Numbered, stripped, non-blank lines: layouts that separate blocks by blank lines ignore them."""
    for number, text in numbered(lines):
        stripped = text.strip().strip(_INVISIBLE).strip()
        if stripped:
            yield number, stripped


class Lookahead:
    """An iterator of (line number, text) that can peek a few items ahead without consuming them.

    Readers decide what a line is partly by what follows it (an organization line is followed by "·",
    a title by its abstract); a bounded buffer keeps that streaming.
    """

    def __init__(self, items: Iterator[tuple[int, str]]) -> None:
        self._items = items
        self._buffer: deque[tuple[int, str]] = deque()

    def peek(self, offset: int = 0) -> tuple[int, str] | None:
        while len(self._buffer) <= offset:
            item = next(self._items, None)
            if item is None:
                return None
            self._buffer.append(item)
        return self._buffer[offset]

    def peek_text(self, offset: int = 0) -> str | None:
        item = self.peek(offset)
        return None if item is None else item[1]

    def next(self) -> tuple[int, str] | None:
        if self._buffer:
            return self._buffer.popleft()
        return next(self._items, None)


EMPTY_TITLE = "the title is empty once layout characters are removed"


def raw_excerpt(*texts: str) -> str:
    """The raw text of a failed record, joined by newlines and capped at :data:`RAW_LIMIT`."""
    raw = "\n".join(texts)
    return raw if len(raw) <= RAW_LIMIT else raw[:RAW_LIMIT] + "…"


# ------------------------------------------------------------------------ title / abstract shapes

_SENTENCE_BREAK = re.compile(r"([A-Za-z]+)\.\s+[A-Z]")
# Abbreviations whose period does not end a sentence ("vs. Transformers", "Smith et al. Show").
_NON_FINAL = frozenset({"vs", "al", "cf", "eg", "ie", "etc", "fig", "eq", "approx", "resp", "no", "st", "dr"})


def has_sentence_break(text: str) -> bool:
    """True when a period ends a sentence inside ``text`` ("...tasks. We show") — titles never do."""
    for match in _SENTENCE_BREAK.finditer(text):
        word = match.group(1)
        if len(word) > 1 and word.casefold() not in _NON_FINAL:
            return True
    return False


def is_title_shaped(text: str) -> bool:
    """Could ``text`` be a paper title? Short, no sentence inside it, no final period.

    Titles may end in "?" or "!" and contain colons and commas, but they are not sentences: a line
    that ends with a period or holds a sentence break is prose (an abstract).
    """
    if len(text) > 250 or len(text.split()) > 40:
        return False
    if text.endswith(".") and not text.endswith("..."):
        return False
    return not has_sentence_break(text)


def is_abstract_shaped(text: str) -> bool:
    """Is ``text`` clearly prose rather than a title? Long, or several words ending in a period.

    Used where a title is expected: a line that passes this test cannot be taken as a title.
    """
    if len(text) > 300:
        return True
    if not text.endswith("."):
        return False
    return len(text.split()) >= 20 or has_sentence_break(text)
