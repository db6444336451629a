"""Lab publication list: three lines per paper, copied from a lab's publications web page.

::

    LGFeb 10, 2023Code                                   <- category, date, optional "Code" badge, glued
    Title of the PaperFirst Author, Second Author et al. · deepmind, cmu
    The abstract, one line.

The page renders title and authors in separate elements, so copying glues them together. Where the
title ends is found by trying every point where a capital letter directly follows a non-space character
(the glue point: "MobileMingxing", "AlphaGeometry2Yuri", "prediction?Xinchen", "ASRGary") and keeping
the one after which the rest reads best as a comma-separated list of person names; see
:func:`split_title_authors`. Nothing about particular titles or people is known to this module.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..normalize import (
    clean_text,
    clean_title,
    looks_like_organization,
    parse_date,
    parse_person_name,
    person_name_penalty,
)
from ..records import FailedRecord, ReadItem, Record
from .base import EMPTY_TITLE, is_abstract_shaped, nonblank, raw_excerpt

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]{0,6}\.?"
#: The header line: optional category abbreviation or arXiv id, a date (year optional), "Code" badge.
HEADER = re.compile(
    rf"(?P<category>[A-Za-z][A-Za-z.\-]{{0,15}}?)?(?P<date>{_MONTH} [0-9]{{1,2}}(?:, [0-9]{{4}})?)"
    rf"(?P<code>\s*Code)?"
)
_TAGS = re.compile(r"\s+·\s*([^·]*)$")
_ET_AL = re.compile(r",?\s*\bet al\b\.?$")
_COMMA = re.compile(",")
_AND = re.compile(r"\s+(?:and|&)\s+")
# A letter right after a non-space character: where a glued name may begin (filtered by isupper(),
# since the character class also admits non-ASCII lower-case letters).
_GLUE_POINT = re.compile(r"(?<=\S)[^\W\d_a-z]")
# Longest text one author name can plausibly take; bounds the work per candidate split.
_MAX_NAME = 80


@dataclass
class TitleSplit:
    """A lab-list title line taken apart: title, author names as written, "et al.", affiliation tags."""

    title: str
    authors: list[str]
    truncated: bool
    tags: list[str] = field(default_factory=list)


def _name_pieces(piece: str) -> list[str] | None:
    """One comma-separated piece as a list of names ("A and B" is two), or None if not names."""
    piece = piece.strip()
    if not piece or len(piece) > 2 * _MAX_NAME:
        return None
    names = _AND.split(piece) if (" and " in piece or " & " in piece) else [piece]
    return names


def _piece_penalty(piece: str) -> tuple[int, list[str]] | None:
    names = _name_pieces(piece)
    if names is None:
        return None
    total = 0
    for name in names:
        penalty = person_name_penalty(name)
        if penalty is None:
            if not looks_like_organization(name):
                return None
            penalty = 1  # a corporate author ("OpenAI", "Gemini Team") glued to the title
        total += penalty
    return total, names


def _boundary_penalty(body: str, index: int) -> int:
    """How odd it is for the title to end just before ``body[index]`` (0: a natural glue point)."""
    before = body[index - 1]
    after = body[index + 1] if index + 1 < len(body) else ""
    if before in "-'\u2019":
        return 3  # "Jean-|Baptiste", "O'|Brien": inside a name, not at a glue point
    if before.isupper():
        # Inside a run of capitals only the last one can start a name ("ASR|Gary"), unless the run
        # is itself a name's initials ("TJ Lu").
        return 0 if after.islower() else 1
    return 0


def split_title_authors(line: str) -> TitleSplit | None:
    """Separate the title from the glued author list of one lab-list line (None if no split works).

    Candidate split points are positions where an upper-case letter follows a non-space character.
    Each candidate is scored by :func:`~paperkg.normalize.person_name_penalty` over the names it
    produces plus how natural the boundary is; the lowest score wins, ties going to the longer title
    (titles end in acronyms far more often than names start with them). A lone one-word "name" with no
    "et al." is not accepted, since a title such as "Learning with AlphaGo" would otherwise lose "Go".
    """
    body = clean_text(line)
    tags: list[str] = []
    tag_match = _TAGS.search(body)
    if tag_match is not None:
        tags = [tag.strip() for tag in tag_match.group(1).split(",") if tag.strip()]
        body = body[: tag_match.start()]
    truncated = False
    et_al = _ET_AL.search(body)
    if et_al is not None:
        truncated = True
        body = body[: et_al.start()]
    if not body:
        return None
    commas = [match.start() for match in _COMMA.finditer(body)]
    # Penalty of all the comma-separated pieces after comma k (None: some piece is not a name),
    # computed once from the end so that each candidate split costs only its first piece.
    after: list[int | None] | None = None

    def after_table() -> list[int | None]:
        table: list[int | None] = [None] * len(commas) + [0]
        for j in range(len(commas) - 1, -1, -1):
            following = table[j + 1]
            if following is None:
                continue
            end = commas[j + 1] if j + 1 < len(commas) else len(body)
            piece = _piece_penalty(body[commas[j] + 1 : end])
            table[j] = None if piece is None else piece[0] + following
        return table

    best: tuple[int, int, list[str]] | None = None  # (score, -index, names of the first piece)
    for candidate in _GLUE_POINT.finditer(body):
        index = candidate.start()
        if not body[index].isupper():
            continue
        comma_k = bisect.bisect_left(commas, index)
        end = commas[comma_k] if comma_k < len(commas) else len(body)
        if end - index > 2 * _MAX_NAME:
            continue
        first = _piece_penalty(body[index:end])
        if first is None:
            continue
        if comma_k < len(commas):
            if after is None:
                after = after_table()
            rest = after[comma_k]
            if rest is None:
                continue
            more = comma_k + 1 < len(commas) or bool(body[end + 1 :].strip())
        else:
            rest, more = 0, False
        if (
            not more
            and len(first[1]) == 1
            and len(first[1][0].split()) == 1
            and not truncated
            and not looks_like_organization(first[1][0])
        ):
            continue
        score = _boundary_penalty(body, index) + first[0] + rest
        if best is None or (score, -index) <= (best[0], best[1]):
            best = (score, -index, first[1])
    if best is None:
        return None
    index = -best[1]
    title = clean_title(body[:index])
    if not title:
        return None
    comma_k = bisect.bisect_left(commas, index)
    names = list(best[2])
    for j in range(comma_k, len(commas)):
        end = commas[j + 1] if j + 1 < len(commas) else len(body)
        names.extend(_name_pieces(body[commas[j] + 1 : end]) or [])
    return TitleSplit(
        title=title, authors=[clean_text(name) for name in names], truncated=truncated, tags=tags
    )


class LabListReader:
    """Reader for the three-line lab publication list layout."""

    name = "lab-list"
    description = "lab publication list: category+date line, title glued to authors, abstract"

    def sniff(self, head_lines: list[str]) -> float:
        """High when category+date lines are followed by a title glued to a list of names.

        That pair is distinctive: a bare date line also occurs in other layouts, but there it is not
        preceded by a category nor followed by a "title + names" line.
        """
        lines = [line.strip() for line in head_lines if line.strip()]
        if not lines:
            return 0.0
        headers = 0
        good = 0
        for index, line in enumerate(lines):
            header = HEADER.fullmatch(line) if len(line) < 60 else None
            if header is None:
                continue
            headers += 1
            if (
                header.group("category")
                and index + 1 < len(lines)
                and split_title_authors(lines[index + 1]) is not None
            ):
                good += 1
        if good == 0 or good < headers / 2:
            return 0.0
        density = min(1.0, 3 * headers / len(lines))
        return 0.95 * (0.5 + 0.5 * density)

    def parse(self, lines: Iterable[str], source: str) -> Iterator[ReadItem]:
        """Stream records; a block that does not start with a header line becomes one failed record."""
        block: list[tuple[int, str]] = []
        for number, text in nonblank(lines):
            if len(text) < 60 and HEADER.fullmatch(text):
                if block:
                    yield from self._block(block, source)
                block = [(number, text)]
            else:
                block.append((number, text))
        if block:
            yield from self._block(block, source)

    def _block(self, block: list[tuple[int, str]], source: str) -> Iterator[ReadItem]:
        first_line, header_text = block[0]
        header = HEADER.fullmatch(header_text) if len(header_text) < 60 else None
        if header is None:
            yield FailedRecord(
                source,
                first_line,
                raw_excerpt(*(t for _, t in block)),
                "lines outside any record (no category/date line before them)",
            )
            return
        if len(block) == 1:
            yield FailedRecord(
                source,
                first_line,
                raw_excerpt(header_text),
                "category/date line without a title line after it",
            )
            return
        title_line = block[1][1]
        split = split_title_authors(title_line)
        warnings: list[str] = []
        if split is None:
            cleaned = clean_text(title_line)  # single spaces keep the two regexes linear
            if _ET_AL.search(_TAGS.sub("", cleaned)) or _TAGS.search(cleaned):
                yield FailedRecord(
                    source,
                    first_line,
                    raw_excerpt(*(t for _, t in block[:3])),
                    "cannot tell where the title ends and the author list begins",
                )
                yield from self._extra(block[3:], source)
                return
            if is_abstract_shaped(cleaned):
                # The title line was lost: taking the abstract for a title would invent a paper.
                yield FailedRecord(
                    source,
                    first_line,
                    raw_excerpt(*(t for _, t in block[:2])),
                    "no title line: the line after the category/date line reads as an abstract",
                )
                yield from self._extra(block[2:], source)
                return
            split = TitleSplit(title=clean_title(title_line), authors=[], truncated=False)
            warnings.append("no author list found after the title")
        if not split.title:
            yield FailedRecord(source, first_line, raw_excerpt(*(t for _, t in block[:3])), EMPTY_TITLE)
            yield from self._extra(block[3:], source)
            return
        abstract = clean_text(block[2][1]) if len(block) > 2 else None
        if abstract is None:
            warnings.append("no abstract line")
        date_text = header.group("date")
        date = parse_date(date_text)
        if date is None:
            warnings.append(f"invalid date {date_text!r}")
        authors = [parse_person_name(name) for name in split.authors]
        yield Record(
            title=split.title,
            source=source,
            line=first_line,
            format=self.name,
            authors=authors,
            authors_complete=(not split.truncated) if authors else None,
            organizations=split.tags,
            abstract=abstract,
            date=date,
            category=header.group("category") or None,
            has_code=True if header.group("code") else None,
            warnings=warnings,
        )
        yield from self._extra(block[3:], source)

    def _extra(self, rest: list[tuple[int, str]], source: str) -> Iterator[ReadItem]:
        if rest:
            yield FailedRecord(
                source,
                rest[0][0],
                raw_excerpt(*(t for _, t in rest)),
                "unexpected lines after the abstract (missing category/date line?)",
            )


READER = LabListReader()
