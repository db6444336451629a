"""Listing readers, registered by format name, and the functions that pick and run one.

``LISTING_READERS`` is the single source of the format names: ``--format`` choices, error messages
and auto-detection all come from it, so adding a reader is adding one entry. Detection reads only the
head of a file; parsing streams the file line by line, so a listing of any size is read once.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import FormatError, InputError
from ..records import ReadItem
from . import daily_papers, jsonl, lab_list, papers_search, profile_export
from .base import ListingReader

__all__ = [
    "LISTING_READERS",
    "ListingReader",
    "detect_format",
    "parse_listing",
    "read_listing",
    "sniff_scores",
]

#: Every input layout paperkg reads, keyed by the name ``--format`` accepts.
LISTING_READERS: dict[str, ListingReader] = {
    reader.name: reader
    for reader in (
        lab_list.READER,
        profile_export.READER,
        daily_papers.READER,
        papers_search.READER,
        jsonl.READER,
    )
}

#: How many lines of a file detection looks at.
SNIFF_LINES = 200
#: Below this confidence no reader is trusted with a file.
MIN_CONFIDENCE = 0.3


def _reader(format: str) -> ListingReader:
    try:
        return LISTING_READERS[format]
    except KeyError:
        valid = ", ".join(LISTING_READERS)
        raise FormatError(f"unknown input format {format!r}; valid formats: {valid}") from None


def _check_file(path: str | os.PathLike[str]) -> Path:
    file = Path(path)
    if not file.exists():
        raise InputError(f"{path}: no such file")
    if not file.is_file():
        raise InputError(f"{path}: not a regular file")
    return file


def _lines(path: str | os.PathLike[str]) -> Iterator[str]:
    """The file's lines, decoded leniently: UTF-8 with a BOM stripped, bad bytes replaced, any EOL."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline=None) as handle:
            yield from handle
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from error


def _head(path: str | os.PathLike[str], count: int = SNIFF_LINES) -> list[str]:
    head: list[str] = []
    lines = _lines(path)
    try:
        for line in lines:
            head.append(line.rstrip("\r\n"))
            if len(head) >= count:
                break
    finally:
        lines.close()
    return head


def sniff_scores(head_lines: list[str]) -> dict[str, float]:
    """Every reader's confidence for these first lines of a file (useful to explain a detection)."""
    return {name: reader.sniff(head_lines) for name, reader in LISTING_READERS.items()}


def detect_format(path: str | os.PathLike[str]) -> str:
    """The name of the reader that best recognizes the file at ``path``, from its first lines.

    File names and extensions are ignored: listings are saved under arbitrary names. Raises
    :class:`InputError` when the file cannot be read, is empty, or no reader is confident enough.
    """
    _check_file(path)
    head = _head(path)
    if not any(line.strip() for line in head):
        raise InputError(f"{path}: the file is empty")
    scores = sniff_scores(head)
    best = max(scores, key=lambda name: scores[name])  # ties go to the first registered reader
    if scores[best] < MIN_CONFIDENCE:
        tried = ", ".join(LISTING_READERS)
        raise InputError(
            f"{path}: not a recognized listing format (tried: {tried}); use --format to force one"
        )
    return best


def parse_listing(lines: Iterable[str], source: str, format: str) -> Iterator[ReadItem]:
    """Parse already-available lines with the named reader (no detection, no I/O)."""
    return _reader(format).parse(lines, source)


def read_listing(path: str | os.PathLike[str], format: str | None = None) -> tuple[Iterator[ReadItem], str]:
    """Open a listing and return (lazy iterator of read items, format name used).

    With ``format`` the named reader is used (unknown names raise :class:`FormatError` listing the
    valid ones); without it the format is detected. Records carry ``source`` = ``str(path)`` as given.
    The file is read while the iterator is consumed, never all at once.
    """
    if format is not None:
        reader = _reader(format)
        _check_file(path)
        _head(path, 1)  # fail now, not mid-iteration, when the file cannot be opened
    else:
        reader = _reader(detect_format(path))
    return reader.parse(_lines(path), str(path)), reader.name
