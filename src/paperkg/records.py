"""The values that flow between pipeline stages.

Readers turn raw listing text into :class:`Record` values (one per paper as the listing showed it),
:class:`FailedRecord` values (a damaged record: where it was and why it was skipped) and
:class:`ListingNote` values (facts about the whole listing, such as a profile's owner, and warnings).
Everything downstream (extraction, resolution, mapping) consumes only these types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

DateType = Literal["date", "gYearMonth", "gYear", "gMonthDay"]


@dataclass(frozen=True, slots=True)
class PersonName:
    """One author as a listing wrote them, split into given and family names.

    ``is_organization`` marks corporate authors ("Gemini Team"), which become ``pkg:Organization``.
    """

    as_written: str
    given: str = ""
    family: str = ""
    is_organization: bool = False

    @property
    def display(self) -> str:
        """Canonical display form: "Given Family" (or the organization's name)."""
        if self.is_organization:
            return self.family or self.as_written
        return " ".join(part for part in (self.given, self.family) if part)


@dataclass(frozen=True, slots=True)
class PaperDate:
    """A date at its honest precision: ``lexical`` is valid for the XSD type named by ``datatype``."""

    lexical: str  # "2023-01-31", "2023-01", "2023" or "--09-11"
    datatype: DateType
    as_written: str


@dataclass(slots=True)
class Record:
    """One paper as one listing showed it, normalized but not yet merged with other listings."""

    title: str
    source: str  # the listing's path as given by the user
    line: int  # 1-based line where the record starts
    format: str  # name of the reader that produced it
    authors: list[PersonName] = field(default_factory=list)
    authors_complete: bool | None = None  # False: the list was truncated ("et al."); None: unknown
    author_count: int | None = None  # when the listing states a count
    organizations: list[str] = field(default_factory=list)  # affiliation names as written
    abstract: str | None = None
    date: PaperDate | None = None
    category: str | None = None  # as written, e.g. "LG" or "cs.LG"
    has_code: bool | None = None
    upvotes: int | None = None
    url: str | None = None
    code_url: str | None = None
    record_id: str | None = None  # an identifier the listing gave (arXiv id, DOI, ...)
    warnings: list[str] = field(default_factory=list)  # non-fatal oddities, reported in the summary


@dataclass(frozen=True, slots=True)
class FailedRecord:
    """A record the reader could not use. Parsing goes on after it."""

    source: str
    line: int
    raw: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.reason}"


@dataclass(frozen=True, slots=True)
class ListingNote:
    """A fact about the listing as a whole, or a warning not tied to one record.

    ``kind`` is one of: "owner" (value: the profile owner's name as written), "page-date"
    (value: the date a daily page was published, as written), "warning" (value: the message).
    """

    kind: str
    source: str
    line: int
    value: str


ReadItem = Record | FailedRecord | ListingNote
