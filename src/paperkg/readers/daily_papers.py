"""Daily papers page: a day's list of papers with author counts, organizations, dates and upvotes.

::

    Daily Papers                                       <- page chrome, then the page's own date
    Oct 29

    Title

    Abstract

      • 5 authors                                      <- or an organization line: "handle Display Name"
    ·
    Sep 11 4                                           <- date (year optional) and optional upvotes

Blocks are separated by blank lines, which are ignored: each line's role is read from its shape and
from what follows it (an organization line is the text line directly before "·"). A paper whose page
entry lacks the author/date block is kept, with a warning naming what is missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..normalize import clean_text, clean_title, parse_date, title_key
from ..records import FailedRecord, ListingNote, ReadItem, Record
from .base import EMPTY_TITLE, Lookahead, is_abstract_shaped, is_title_shaped, nonblank, raw_excerpt

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]{0,6}\.?"
_DATE_LINE = re.compile(rf"(?P<date>{_MONTH} [0-9]{{1,2}}(?:, [0-9]{{4}})?)(?:\s+(?P<upvotes>[0-9]{{1,7}}))?")
_COUNT_LINE = re.compile(r"[•·*\-]?\s*(?P<count>[0-9]{1,6})\s+authors?", re.IGNORECASE)
_DOT = frozenset({"·", "•", "-", "|"})
# Navigation text the page shows above the list; recognized only before the first paper.
_CHROME = re.compile(r"new|subscribe|daily papers|get trending papers.*|by\s*ak\b.*", re.IGNORECASE)
_HANDLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")


def _is_dot(text: str | None) -> bool:
    return text is not None and text in _DOT


def organization_from_line(text: str) -> str:
    """The display name of an organization line ("parameterlab Parameter Lab" -> "Parameter Lab").

    The page prints the organization's handle and then its display name. The first word is taken as a
    handle only when it looks like one: lower-case, or the display name squeezed together
    ("OpenAI OpenAI", "parameterlab Parameter Lab"); otherwise the whole line is the name.
    """
    text = clean_text(text)
    head, _, rest = text.partition(" ")
    if rest and _HANDLE.fullmatch(head) and (head == head.lower() or title_key(head) == title_key(rest)):
        return rest
    return text


class DailyPapersReader:
    """Reader for the daily papers page layout."""

    name = "daily-papers"
    description = "daily papers page: title / abstract / '• N authors' or organization / '·' / date"

    def sniff(self, head_lines: list[str]) -> float:
        """High when "·" separator lines and "N authors" lines recur between prose blocks."""
        lines = [line.strip() for line in head_lines if line.strip()]
        if not lines:
            return 0.0
        dots = sum(1 for line in lines if line in _DOT)
        counts = sum(1 for line in lines if _COUNT_LINE.fullmatch(line))
        dates = sum(1 for line in lines if _DATE_LINE.fullmatch(line))
        chrome = any(line.casefold() == "daily papers" for line in lines[:20])
        if dots == 0:
            return 0.2 if chrome else 0.0
        density = min(1.0, 5 * min(dots, dates) / len(lines))
        score = 0.55 + 0.3 * density + (0.05 if counts else 0.0) + (0.05 if chrome else 0.0)
        return min(score, 0.95)

    def parse(self, lines: Iterable[str], source: str) -> Iterator[ReadItem]:
        """Stream the page-date note and records; orphan metadata becomes a failed record."""
        items = Lookahead(nonblank(lines))
        in_header = True
        while (item := items.peek()) is not None:
            number, text = item
            if in_header:
                if _CHROME.fullmatch(text):
                    items.next()
                    continue
                if _DATE_LINE.fullmatch(text) and not _DATE_LINE.fullmatch(text).group("upvotes"):
                    items.next()
                    yield ListingNote("page-date", source, number, text)
                    continue
                in_header = False
            if self._meta_starts(items):
                yield self._orphan_meta(items, source)
                continue
            yield from self._record(items, source)

    def _meta_starts(self, items: Lookahead) -> bool:
        """Does the next line begin an author/date block (count line, organization line, "·")?"""
        text = items.peek_text()
        if text is None:
            return False
        return bool(_COUNT_LINE.fullmatch(text)) or _is_dot(text) or self._is_org_line(items, 0)

    @staticmethod
    def _is_org_line(items: Lookahead, offset: int) -> bool:
        text = items.peek_text(offset)
        return (
            text is not None
            and len(text) <= 120
            and is_title_shaped(text)
            and not _COUNT_LINE.fullmatch(text)
            and _is_dot(items.peek_text(offset + 1))
        )

    def _orphan_meta(self, items: Lookahead, source: str) -> FailedRecord:
        number, text = items.next()
        raw = [text]
        while (nxt := items.peek_text()) is not None and (
            _COUNT_LINE.fullmatch(nxt)
            or _is_dot(nxt)
            or _DATE_LINE.fullmatch(nxt)
            or self._is_org_line(items, 0)
        ):
            raw.append(items.next()[1])
            if _DATE_LINE.fullmatch(nxt):
                break
        return FailedRecord(source, number, raw_excerpt(*raw), "author/date block without a title")

    def _record(self, items: Lookahead, source: str) -> Iterator[ReadItem]:
        number, title = items.next()
        warnings: list[str] = []
        if is_abstract_shaped(title):
            yield FailedRecord(source, number, raw_excerpt(title), "abstract without a title")
            return
        abstract: str | None = None
        nxt = items.peek_text()
        if nxt is not None and not self._meta_starts(items):
            after = items.peek_text(1)
            if is_title_shaped(nxt) and after is not None and is_abstract_shaped(after):
                # Title, then another title with its abstract: this entry has nothing but a title.
                yield FailedRecord(
                    source, number, raw_excerpt(title), "title without an abstract or an author/date block"
                )
                return
            abstract = clean_text(items.next()[1])

        author_count: int | None = None
        organizations: list[str] = []
        date = None
        upvotes: int | None = None
        seen_meta = False
        while (nxt := items.peek_text()) is not None:
            count = _COUNT_LINE.fullmatch(nxt)
            if count is not None:
                author_count = int(count.group("count"))
            elif self._is_org_line(items, 0):
                organizations.append(organization_from_line(nxt))
            else:
                break
            seen_meta = True
            items.next()
        if _is_dot(items.peek_text()):
            seen_meta = True
            items.next()
            dated = _DATE_LINE.fullmatch(items.peek_text() or "")
            if dated is not None:
                items.next()
                date = parse_date(dated.group("date"))
                if date is None:
                    warnings.append(f"invalid date {dated.group('date')!r}")
                if dated.group("upvotes"):
                    upvotes = int(dated.group("upvotes"))
            else:
                warnings.append("no date after the '·' separator")
        elif seen_meta:
            warnings.append("no date in the author/date block")
        if not seen_meta:
            warnings.append("no author/date block: authors, organization and date unknown")
        if abstract is None:
            warnings.append("no abstract")
        if not clean_title(title):
            yield FailedRecord(source, number, raw_excerpt(title), EMPTY_TITLE)
            return
        yield Record(
            title=clean_title(title),
            source=source,
            line=number,
            format=self.name,
            author_count=author_count,
            organizations=organizations,
            abstract=abstract,
            date=date,
            upvotes=upvotes,
            warnings=warnings,
        )


READER = DailyPapersReader()
