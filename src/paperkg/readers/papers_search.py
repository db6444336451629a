"""Papers search results page: title line, abstract line, title line, abstract line, ...

::

    Get trending papers in your email inbox once a day!      <- page chrome
    Get trending papers in your email inbox!
    SubscribeFirst Paper Title                               <- the "Subscribe" button glued to it
    First abstract, one line.
    Second Paper Title
    ...

Lines strictly alternate, but a damaged page can drop a line. Each line's role is therefore read from its
shape (a title is short and is not a sentence; an abstract is prose) and parity only breaks ties: a title
followed by another title, or a title at the end of the file, is a failed record, and the next record
parses normally.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..normalize import clean_text, clean_title
from ..records import FailedRecord, ReadItem, Record
from .base import EMPTY_TITLE, is_abstract_shaped, is_title_shaped, nonblank, raw_excerpt

# Page chrome above the results; only recognized before the first record.
_CHROME = re.compile(r"get trending papers in your email inbox\b.*|subscribe", re.IGNORECASE)
# The subscribe button's label glued to the first title by copy-paste.
_GLUED_SUBSCRIBE = re.compile(r"Subscribe(?=[\"'(\[A-Z0-9])")


class PapersSearchReader:
    """Reader for the papers search results layout (alternating title / abstract lines)."""

    name = "papers-search"
    description = "papers search page: alternating title line / abstract line, no blank lines"

    def sniff(self, head_lines: list[str]) -> float:
        """High when lines alternate title-shaped / prose and no other structure is present."""
        stripped = [line.strip() for line in head_lines]
        lines = [line for line in stripped if line]
        if len(lines) < 2:
            return 0.0
        chrome = 0
        while chrome < len(lines) and chrome < 3 and _CHROME.fullmatch(lines[chrome]):
            chrome += 1
        glued = chrome < len(lines) and bool(_GLUED_SUBSCRIBE.match(lines[chrome]))
        records = failures = 0
        for item in self.parse(lines[chrome:], "<sniff>"):
            if isinstance(item, Record):
                records += 1
            else:
                failures += 1
        body = len(lines) - chrome
        # Failures count against the fit: other layouts "parse" here only at the cost of many of them.
        fit = max(0.0, (2 * records - failures) / body) if body else 0.0
        score = 0.75 * fit
        if chrome or glued:
            score += 0.2
        blank_ratio = (len(stripped) - len(lines)) / len(stripped)
        if blank_ratio > 0.2:
            score *= 0.4  # prose pages separated by blank lines are another layout
        return min(score, 0.95)

    def parse(self, lines: Iterable[str], source: str) -> Iterator[ReadItem]:
        """Stream records; a title without its abstract (or an abstract alone) is a failed record."""
        started = False
        pending: tuple[int, str] | None = None  # a title waiting for its abstract
        for number, text in nonblank(lines):
            if not started:
                if _CHROME.fullmatch(text):
                    continue
                glued = _GLUED_SUBSCRIBE.match(text)
                if glued is not None:
                    text = text[glued.end() :]
                started = True
            if pending is None:
                if is_abstract_shaped(text):
                    yield FailedRecord(source, number, raw_excerpt(text), "abstract without a title")
                else:
                    pending = (number, text)
                continue
            if is_title_shaped(text):
                # Two titles in a row: the first one lost its abstract.
                yield FailedRecord(
                    source,
                    pending[0],
                    raw_excerpt(pending[1]),
                    "title without an abstract (the next line is another title)",
                )
                pending = (number, text)
                continue
            if not clean_title(pending[1]):
                yield FailedRecord(source, pending[0], raw_excerpt(pending[1], text), EMPTY_TITLE)
                pending = None
                continue
            yield Record(
                title=clean_title(pending[1]),
                source=source,
                line=pending[0],
                format=self.name,
                abstract=clean_text(text),
            )
            pending = None
        if pending is not None:
            yield FailedRecord(
                source,
                pending[0],
                raw_excerpt(pending[1]),
                "title at the end of the file without an abstract",
            )


READER = PapersSearchReader()
