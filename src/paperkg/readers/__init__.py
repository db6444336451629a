"""Listing readers, registered by format name, and the functions that pick and run one.

``LISTING_READERS`` is the single source of the format names: ``--format`` choices, error messages
and auto-detection all come from it, so adding a reader is adding one entry. Detection reads only the
head of a file; parsing streams the file line by line, so a listing of any size is read once.
"""

from __future__ import annotations

import codecs
import os
import re
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import FormatError, InputError
from ..records import FailedRecord, ListingNote, ReadItem, Record
from . import daily_papers, jsonl, lab_list, papers_search, profile_export
from .base import RAW_LIMIT, ListingReader, raw_excerpt

__all__ = [
    "LISTING_READERS",
    "MAX_ABSTRACT",
    "MAX_LINE",
    "MAX_TITLE",
    "ListingReader",
    "ListingText",
    "detect_format",
    "display_path",
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
#: The longest line a listing may have, in characters. The longest real lines (author lists of large
#: collaborations) are near 100,000; a longer line is damage, and reading never holds more of it than
#: this, so even a multi-gigabyte line costs no memory. The record it belongs to is skipped.
MAX_LINE = 1_000_000
#: The longest title and abstract a record may have; beyond them the record is skipped as damaged (a
#: layout misread, or two records run together), since no paper has them and they would slow extraction.
MAX_TITLE = 1_000
MAX_ABSTRACT = 50_000
#: How many lines of one file get their own warning per kind of repair; the rest are counted.
REPAIR_NOTES = 10
#: How much of a file is looked at to tell text from binary data.
HEAD_BYTES = 8192

# What other files start with: named in the error, so that a user who passed a folder of downloads
# learns which file was not a listing and what it is.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"%PDF-", "a PDF document"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"(\xb5/\xfd", "a zstd-compressed file"),
    (b"7z\xbc\xaf'\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "an executable program"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Microsoft Office document"),
)
_BOMS = (  # UTF-32 first: its little-endian mark begins with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Bytes that text never contains (C0 controls other than tab, newlines, form feed and escape).
_CONTROL_BYTES = bytes([*range(9), *range(14, 27), *range(28, 32)])
# Undecodable bytes, as the ``surrogateescape`` error handler represents them.
_ESCAPED = re.compile("[\udc80-\udcff]")


def _reader(format: str) -> ListingReader:
    try:
        return LISTING_READERS[format]
    except KeyError:
        valid = ", ".join(LISTING_READERS)
        raise FormatError(f"unknown input format {format!r}; valid formats: {valid}") from None


def display_path(path: str | os.PathLike[str]) -> str:
    """``path`` as text that can always be printed and stored: bytes of a file name that are not UTF-8
    (which Python keeps as lone surrogates) appear as ``\\xNN``. Any other path is unchanged."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _check_file(path: str | os.PathLike[str]) -> Path:
    file = Path(path)
    if not file.exists():
        raise InputError(f"{display_path(path)}: no such file")
    if not file.is_file():
        raise InputError(f"{display_path(path)}: not a regular file")
    return file


def _text_encoding(path: str | os.PathLike[str]) -> str:
    """The encoding to read ``path`` with; :class:`InputError` naming what the file is when binary.

    Listings are UTF-8 (a BOM is allowed); UTF-16 and UTF-32 are accepted when a byte-order mark says
    so, as Windows editors save them. A file is binary when it starts like a known binary format, or
    when control bytes or undecodable bytes are frequent in its head; stray NUL bytes or a few bad
    bytes in a text file are repaired line by line instead (see :class:`ListingText`).
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError as error:
        raise InputError(f"{display_path(path)}: cannot read ({error.strerror or error})") from error
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            raise InputError(f"{display_path(path)}: {kind}, not a text listing")
    if not head:
        return "utf-8-sig"
    text = head.replace(b"\x00", b"")
    if not text:
        raise InputError(f"{display_path(path)}: binary data (only NUL bytes), not a text listing")
    controls = len(text) - len(text.translate(None, _CONTROL_BYTES))
    if controls >= 0.05 * len(text):
        first = next(i for i, byte in enumerate(head) if byte in _CONTROL_BYTES)
        line = head.count(b"\n", 0, first) + 1
        raise InputError(
            f"{display_path(path)}: binary data (control bytes from line {line} on), not a text listing"
        )
    decoded = head.decode("utf-8", errors="surrogateescape")[:-3]  # the head may end inside a character
    undecodable = _ESCAPED.search(decoded)
    if undecodable is not None and len(_ESCAPED.findall(decoded)) >= 0.25 * len(text):
        line = decoded.count("\n", 0, undecodable.start()) + 1
        raise InputError(
            f"{display_path(path)}: binary data (undecodable bytes from line {line} on), not a text listing"
        )
    return "utf-8-sig"


class ListingText:
    """The lines of a listing file, decoded leniently, remembering every repair for the report.

    Undecodable bytes become U+FFFD and NUL bytes are removed, each with a warning naming the line;
    a line longer than :data:`MAX_LINE` is cut there (the rest is read and dropped) and remembered, so
    that the record it belongs to is skipped with a ``file:line`` reason. Any line ending is accepted.
    Iterating reads the file anew each time.
    """

    def __init__(self, path: str | os.PathLike[str], encoding: str = "utf-8-sig") -> None:
        self.path = path
        self.encoding = encoding
        self.label = {"utf-8-sig": "UTF-8"}.get(encoding, encoding.upper())
        self.long_lines: dict[int, int] = {}  # line number -> length in characters
        self._notes: deque[tuple[int, str]] = deque()
        self._counts: Counter[str] = Counter()

    def __iter__(self) -> Iterator[str]:
        self.long_lines.clear()
        self._notes.clear()
        self._counts.clear()
        try:
            with open(self.path, encoding=self.encoding, errors="surrogateescape", newline=None) as handle:
                number = 0
                while line := handle.readline(MAX_LINE + 1):
                    number += 1
                    if len(line) > MAX_LINE and not line.endswith("\n"):
                        length = len(line)
                        while (more := handle.readline(1 << 20)) and not more.endswith("\n"):
                            length += len(more)
                        length += len(more.rstrip("\n"))
                        self.long_lines[number] = length
                        line = line[:MAX_LINE] + "\n"
                    yield self._repaired(number, line)
        except OSError as error:
            raise InputError(f"{display_path(self.path)}: cannot read ({error.strerror or error})") from error

    def _repaired(self, number: int, line: str) -> str:
        if not line.isascii():
            bad = len(_ESCAPED.findall(line))
            if bad:
                line = _ESCAPED.sub("\ufffd", line)
                self._note(
                    "invalid",
                    number,
                    f"invalid {self.label}: {bad} byte{'s' if bad > 1 else ''} replaced by U+FFFD",
                )
        if "\x00" in line:
            count = line.count("\x00")
            line = line.replace("\x00", "")
            self._note("nul", number, f"{count} NUL byte{'s' if count > 1 else ''} removed")
        return line

    def _note(self, kind: str, number: int, message: str) -> None:
        self._counts[kind] += 1
        if self._counts[kind] <= REPAIR_NOTES:
            self._notes.append((number, message))

    def notes(self, source: str) -> Iterator[ListingNote]:
        """Warnings for the repairs made since the last call."""
        while self._notes:
            number, message = self._notes.popleft()
            yield ListingNote("warning", source, number, message)

    def summary(self, source: str) -> Iterator[ListingNote]:
        """One warning per kind of repair made on more lines than got their own warning."""
        names = {"invalid": f"invalid {self.label}", "nul": "NUL bytes"}
        for kind, count in self._counts.items():
            if count > REPAIR_NOTES:
                yield ListingNote(
                    "warning",
                    source,
                    1,
                    f"{count - REPAIR_NOTES} more lines with {names[kind]} "
                    "repaired (only the first are listed)",
                )


def _lines(path: str | os.PathLike[str], encoding: str = "utf-8-sig") -> Iterator[str]:
    """The file's lines, decoded leniently (see :class:`ListingText`)."""
    return iter(ListingText(path, encoding))


def _head(path: str | os.PathLike[str], count: int = SNIFF_LINES, encoding: str = "utf-8-sig") -> list[str]:
    head: list[str] = []
    lines = _lines(path, encoding)
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
    :class:`InputError` when the file cannot be read, is binary, is empty, or no reader is confident
    enough.
    """
    _check_file(path)
    return _detect(path, _text_encoding(path))


def _detect(path: str | os.PathLike[str], encoding: str) -> str:
    head = _head(path, encoding=encoding)
    if not any(line.strip() for line in head):
        raise InputError(f"{display_path(path)}: the file is empty")
    scores = sniff_scores(head)
    best = max(scores, key=lambda name: scores[name])  # ties go to the first registered reader
    if scores[best] < MIN_CONFIDENCE:
        tried = ", ".join(LISTING_READERS)
        raise InputError(
            f"{display_path(path)}: not a recognized listing format (tried: {tried}); "
            "use --format to force one"
        )
    return best


def parse_listing(lines: Iterable[str], source: str, format: str) -> Iterator[ReadItem]:
    """Parse already-available lines with the named reader (no detection, no I/O)."""
    return _reader(format).parse(lines, source)


def read_listing(path: str | os.PathLike[str], format: str | None = None) -> tuple[Iterator[ReadItem], str]:
    """Open a listing and return (lazy iterator of read items, format name used).

    With ``format`` the named reader is used (unknown names raise :class:`FormatError` listing the
    valid ones); without it the format is detected. Records carry ``source`` = the path as given
    (:func:`display_path`: printable even when the file name is not UTF-8).
    The file is read while the iterator is consumed, never all at once. Damage is reported, never
    fatal: repaired bytes give warnings (:class:`ListingNote`), and a record with an over-long line, title
    or abstract becomes a :class:`FailedRecord` naming the line, so the file's other records still count.
    """
    if format is not None:
        reader = _reader(format)
        _check_file(path)
        encoding = _text_encoding(path)
        _head(path, 1, encoding)  # fail now, not mid-iteration, when the file cannot be opened
    else:
        _check_file(path)
        encoding = _text_encoding(path)
        reader = _reader(_detect(path, encoding))
    text = ListingText(path, encoding)
    source = display_path(path)
    return _guarded(reader.parse(text, source), text, source), reader.name


def _guarded(items: Iterable[ReadItem], text: ListingText, source: str) -> Iterator[ReadItem]:
    """A reader's items, with the repairs of ``text`` reported and damaged records skipped.

    A record spans from its line to the line before the next item's, so the record an over-long line
    belongs to is known once the next item (or the end) arrives; one item is held back until then.
    """
    held: Record | FailedRecord | None = None
    for item in items:
        yield from text.notes(source)
        if isinstance(item, ListingNote):
            yield item
            continue
        if held is None:
            yield from _stray_long_lines(text, source, before=item.line)
        else:
            yield _checked(held, item.line, text, source)
        held = item
    yield from text.notes(source)
    if held is not None:
        yield _checked(held, None, text, source)
    yield from _stray_long_lines(text, source, before=None)
    yield from text.summary(source)


def _long_line_reason(number: int, length: int) -> str:
    return (
        f"line {number} has {length:,} characters, more than a listing line may have ({MAX_LINE:,}); skipped"
    )


def _stray_long_lines(text: ListingText, source: str, before: int | None) -> Iterator[FailedRecord]:
    """Over-long lines outside any record (before the first one, or in a file without records)."""
    for number in [n for n in text.long_lines if before is None or n < before]:
        length = text.long_lines.pop(number)
        yield FailedRecord(source, number, "", _long_line_reason(number, length))


def _checked(
    item: Record | FailedRecord, end: int | None, text: ListingText, source: str
) -> Record | FailedRecord:
    """``item``, or a FailedRecord when its lines ``item.line .. end-1`` or its fields are damaged."""
    long = [n for n in text.long_lines if n >= item.line and (end is None or n < end)]
    if long:
        lengths = [text.long_lines.pop(n) for n in long]
        raw = item.raw if isinstance(item, FailedRecord) else raw_excerpt(item.title[:RAW_LIMIT])
        return FailedRecord(source, item.line, raw, _long_line_reason(long[0], lengths[0]))
    if isinstance(item, Record):
        if len(item.title) > MAX_TITLE:
            return FailedRecord(
                source,
                item.line,
                raw_excerpt(item.title),
                f"a title of {len(item.title):,} characters (more than {MAX_TITLE:,}): "
                "the record is damaged or the layout was misread",
            )
        if item.abstract is not None and len(item.abstract) > MAX_ABSTRACT:
            return FailedRecord(
                source,
                item.line,
                raw_excerpt(item.title, item.abstract),
                f"an abstract of {len(item.abstract):,} characters (more than "
                f"{MAX_ABSTRACT:,}): the record is damaged",
            )
    return item
