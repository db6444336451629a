"""Profile export: a researcher profile's publication list exported as text.

::

    Peng, Daiyi                                        <- the profile owner
    Title of a paper
    Liu, Ruibo, Wei, Jerry, Dai, Andrew M.             <- "Last, First" pairs, all separated by commas
    The abstract, one line.
    Next title
    ...

Authors come as a flat comma-separated list that has to be paired up (family, given). The export writes
``null`` where a corporate author has no given name ("Gemini Team, null"). Line roles are decided by
shape (a list of name-like pieces, a long prose line, a short line) rather than by counting lines, so a
record with a missing line costs only that record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..normalize import PARTICLES, clean_text, clean_title, parse_person_name
from ..records import FailedRecord, ListingNote, PersonName, ReadItem, Record
from .base import EMPTY_TITLE, Lookahead, is_abstract_shaped, is_title_shaped, nonblank, raw_excerpt

_BAD_NAME_CHARS = re.compile(r"[0-9:;?!()\[\]{}\"/@#$%^*=+<>|]")


def _name_piece_ok(piece: str) -> bool:
    """Could ``piece`` be one half (family or given) of a "Last, First" author?"""
    if not piece or len(piece) > 60 or _BAD_NAME_CHARS.search(piece):
        return False
    words = piece.split()
    if len(words) > 4:
        return False
    if piece.casefold() == "null":
        return True
    return words[0][0].isupper() or words[0] in PARTICLES


def name_pieces(text: str, *, expected: bool = False) -> list[str] | None:
    """The comma-separated pieces of an author line, or None when the line is not one.

    An author line has an even number of pieces (family, given, family, given, ...), nearly all of
    them name-like; a title with commas ("Review, Refine, Repeat: ...") fails on the count or on a
    piece that is too long or contains a colon. Where the layout says an author line comes next
    (``expected``), an odd count is accepted: the record keeps its authors and gets a warning.
    """
    if "," not in text:
        return None
    pieces = [piece.strip() for piece in text.split(",")]
    if len(pieces) < 2:
        return None
    good = sum(1 for piece in pieces if _name_piece_ok(piece))
    suspicious = good < len(pieces) or (len(pieces) % 2 and not expected)
    # Tolerate a stray piece in a long list (an export glitch), never in a short one.
    if suspicious and (len(pieces) < 10 or good < 0.95 * len(pieces)):
        return None
    return pieces


def pair_authors(pieces: list[str]) -> tuple[list[PersonName], list[str]]:
    """Pair "Last, First, Last, First" pieces into names; warnings for an odd count."""
    warnings: list[str] = []
    authors: list[PersonName] = []
    for index in range(0, len(pieces) - 1, 2):
        family, given = pieces[index], pieces[index + 1]
        authors.append(parse_person_name(f"{family}, {given}"))
    if len(pieces) % 2:
        warnings.append(f"odd number of name parts in the author list; {pieces[-1]!r} kept as a family name")
        authors.append(parse_person_name(pieces[-1]))
    return authors, warnings


class ProfileExportReader:
    """Reader for the profile export layout (owner line, then title / authors / abstract)."""

    name = "profile-export"
    description = "profile export: owner name, then title / 'Last, First, ...' authors / abstract"

    def sniff(self, head_lines: list[str]) -> float:
        """High when every third non-blank line is a "Last, First" author list."""
        lines = [line.strip() for line in head_lines if line.strip()]
        if len(lines) < 3:
            return 0.0
        owner = name_pieces(lines[0])
        best = 0.0
        for offset in (2, 1):  # with an owner line, author lines are 3rd, 6th...; without, 2nd, 5th...
            slots = range(offset, len(lines), 3)
            if not slots:
                continue
            authors = sum(1 for index in slots if name_pieces(lines[index]) is not None)
            titles = sum(1 for index in slots if is_title_shaped(lines[index - 1]))
            score = 0.9 * (authors / len(slots)) * (0.5 + 0.5 * titles / len(slots))
            if offset == 2:
                score = score * 0.9 + (0.1 if owner is not None and len(owner) == 2 else 0.0)
            best = max(best, score)
        return min(best, 0.95)

    def parse(self, lines: Iterable[str], source: str) -> Iterator[ReadItem]:
        """Stream the owner note, then records; stray lines become failed records."""
        items = Lookahead(nonblank(lines))
        first = items.peek()
        second = items.peek_text(1)
        if first is not None:
            owner = name_pieces(first[1])
            third = items.peek_text(2)
            second_is_title = (
                second is None
                or name_pieces(second) is None
                or (third is not None and name_pieces(third) is not None)
            )
            if owner is not None and len(owner) == 2 and second_is_title:
                items.next()
                yield ListingNote("owner", source, first[0], clean_text(first[1]))
        while (item := items.next()) is not None:
            number, text = item
            if name_pieces(text) is not None and not self._next_is_authors(items):
                raw = [text]
                nxt = items.peek_text()
                if nxt is not None and is_abstract_shaped(nxt):
                    raw.append(items.next()[1])
                yield FailedRecord(source, number, raw_excerpt(*raw), "author list without a title")
                continue
            if is_abstract_shaped(text):
                yield FailedRecord(source, number, raw_excerpt(text), "abstract without a title")
                continue
            warnings: list[str] = []
            authors: list[PersonName] = []
            nxt = items.peek_text()
            pieces = name_pieces(nxt, expected=True) if nxt is not None else None
            if pieces is not None:
                items.next()
                authors, warnings = pair_authors(pieces)
            else:
                warnings.append("no author list after the title")
            abstract = None
            nxt = items.peek_text()
            if nxt is not None and not self._starts_record(items):
                abstract = clean_text(items.next()[1])
            if abstract is None:
                warnings.append("no abstract")
            title = clean_title(text)
            if not title:
                yield FailedRecord(source, number, raw_excerpt(text), EMPTY_TITLE)
                continue
            yield Record(
                title=title,
                source=source,
                line=number,
                format=self.name,
                authors=authors,
                authors_complete=True if authors else None,
                abstract=abstract,
                warnings=warnings,
            )

    @staticmethod
    def _next_is_authors(items: Lookahead) -> bool:
        text = items.peek_text()
        return text is not None and name_pieces(text) is not None

    @staticmethod
    def _starts_record(items: Lookahead) -> bool:
        """Is the next line the title of a new record (so the current one has no abstract)?"""
        text = items.peek_text()
        if text is None or name_pieces(text) is not None:
            return True
        after = items.peek_text(1)
        return is_title_shaped(text) and after is not None and name_pieces(after) is not None


READER = ProfileExportReader()
