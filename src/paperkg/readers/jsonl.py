"""JSON Lines: one paper per line as a JSON object, for listings produced by scripts.

Keys (all optional except ``title``): ``abstract``, ``authors`` (list of "First Last" or "Last, First"),
``date`` (ISO ``2023-02-03`` / ``2023-02`` / ``2023`` or as a page wrote it, "Sep 11"), ``affiliations``
(list), ``category``, ``url``, ``code_url``, ``has_code``, ``upvotes``, ``author_count``, ``id``.
A line that is not valid JSON, lacks a title, or has a value of the wrong type becomes a failed record;
keys outside this list are ignored and reported once per file, so a producer learns about a typo
("abstarct") without a warning per line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..normalize import clean_text, clean_title, parse_date, parse_person_name
from ..records import FailedRecord, ListingNote, ReadItem, Record
from .base import numbered, raw_excerpt

KNOWN_KEYS = (
    "title",
    "abstract",
    "authors",
    "date",
    "affiliations",
    "category",
    "url",
    "code_url",
    "has_code",
    "upvotes",
    "author_count",
    "id",
)


class _WrongType(ValueError):
    """A value of the wrong JSON type; its message is the failed record's reason."""


def _optional_str(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _WrongType(f"{key!r} must be a string, not {type(value).__name__}")
    return clean_text(value) or None


def _optional_int(obj: dict[str, Any], key: str) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _WrongType(f"{key!r} must be a non-negative integer, not {value!r}")
    return value


def _string_list(obj: dict[str, Any], key: str) -> list[str]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise _WrongType(f"{key!r} must be a list of strings, not {type(value).__name__}")
    result = []
    for element in value:
        if isinstance(element, dict) and isinstance(element.get("name"), str):
            element = element["name"]  # {"name": ...} objects, as some exporters write authors
        if not isinstance(element, str):
            raise _WrongType(f"{key!r} must be a list of strings; found {type(element).__name__}")
        if clean_text(element):
            result.append(clean_text(element))
    return result


class JsonLinesReader:
    """Reader for JSON Lines listings."""

    name = "jsonl"
    description = "JSON Lines: one JSON object per line with at least a 'title'"

    def sniff(self, head_lines: list[str]) -> float:
        """High when the first non-blank lines are JSON objects."""
        lines = [line.strip() for line in head_lines if line.strip()][:50]
        if not lines or not lines[0].startswith("{"):
            return 0.0
        objects = 0
        for line in lines:
            try:
                if isinstance(json.loads(line), dict):
                    objects += 1
            except (ValueError, RecursionError):
                pass
        return 0.99 * objects / len(lines)

    def parse(self, lines: Iterable[str], source: str) -> Iterator[ReadItem]:
        """Stream one record per object line; the unknown-keys note comes after the last line."""
        unknown: dict[str, int] = {}
        first_unknown_line = 0
        for number, text in numbered(lines):
            stripped = text.strip()
            if not stripped:
                continue
            try:
                obj = json.loads(stripped)
            except json.JSONDecodeError as error:
                yield FailedRecord(
                    source, number, raw_excerpt(stripped), f"invalid JSON: {error.msg} (column {error.colno})"
                )
                continue
            except RecursionError:
                yield FailedRecord(source, number, raw_excerpt(stripped), "invalid JSON: nested too deeply")
                continue
            except ValueError as error:  # e.g. an integer of more digits than Python converts
                yield FailedRecord(source, number, raw_excerpt(stripped), f"invalid JSON: {str(error)[:200]}")
                continue
            if not isinstance(obj, dict):
                yield FailedRecord(
                    source,
                    number,
                    raw_excerpt(stripped),
                    f"expected a JSON object, found {type(obj).__name__}",
                )
                continue
            for key in obj:
                if key not in KNOWN_KEYS:
                    if not unknown:
                        first_unknown_line = number
                    unknown[key] = unknown.get(key, 0) + 1
            try:
                yield self._record(obj, number, source)
            except _WrongType as error:
                yield FailedRecord(source, number, raw_excerpt(stripped), str(error))
        if unknown:
            keys = ", ".join(
                f"{key!r} ({count} line{'s' if count > 1 else ''})" for key, count in sorted(unknown.items())
            )
            yield ListingNote("warning", source, first_unknown_line, f"unknown keys ignored: {keys}")

    def _record(self, obj: dict[str, Any], number: int, source: str) -> Record:
        title_value = obj.get("title")
        if not isinstance(title_value, str) or not clean_title(title_value):
            raise _WrongType("missing or empty 'title'" if not title_value else "'title' must be a string")
        warnings: list[str] = []
        date_value = obj.get("date")
        if isinstance(date_value, int) and not isinstance(date_value, bool):
            date_value = str(date_value)  # "date": 2023
        if date_value is not None and not isinstance(date_value, str):
            raise _WrongType(f"'date' must be a string, not {type(date_value).__name__}")
        date = parse_date(date_value) if date_value else None
        if date_value and date is None:
            warnings.append(f"unreadable date {date_value!r}")
        has_code = obj.get("has_code")
        if has_code is not None and not isinstance(has_code, bool):
            raise _WrongType(f"'has_code' must be true or false, not {has_code!r}")
        record_id = obj.get("id")
        if record_id is not None and (isinstance(record_id, bool) or not isinstance(record_id, str | int)):
            raise _WrongType(f"'id' must be a string or an integer, not {type(record_id).__name__}")
        authors = [parse_person_name(name) for name in _string_list(obj, "authors")]
        author_count = _optional_int(obj, "author_count")
        code_url = _optional_str(obj, "code_url")
        complete = None
        if authors and author_count is not None:
            complete = author_count <= len(authors)
        return Record(
            title=clean_title(title_value),
            source=source,
            line=number,
            format=self.name,
            authors=authors,
            authors_complete=complete,
            author_count=author_count,
            organizations=_string_list(obj, "affiliations"),
            abstract=_optional_str(obj, "abstract"),
            date=date,
            category=_optional_str(obj, "category"),
            has_code=True if (has_code is None and code_url) else has_code,
            upvotes=_optional_int(obj, "upvotes"),
            url=_optional_str(obj, "url"),
            code_url=code_url,
            record_id=None if record_id is None else (clean_text(str(record_id)) or None),
            warnings=warnings,
        )


READER = JsonLinesReader()
