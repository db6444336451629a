"""Readers never crash on arbitrary text; detection fails only with InputError."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperkg.errors import InputError
from paperkg.readers import LISTING_READERS, detect_format, read_listing
from paperkg.records import FailedRecord, ListingNote, Record

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Fragments of every layout, so that generated text reaches deep into the readers' branches instead
# of being rejected at the first line.
FRAGMENTS = [
    "LGFeb 10, 2023Code",
    "CVMay 18",
    "AIJan 29",
    "cs.LGSep 7, 2023",
    "Feb 30, 2023",
    "Sep 11 4",
    "Apr 4, 2024 1",
    "Title of a PaperJohn Smith, Jane Doe et al. · deepmind, cmu",
    "BERTOfir Zafrir",
    "GPT-4Sébastien Bubeck",
    "Smith, John, Doe, Jane",
    "Gemini Team, null",
    "Peng, Daiyi",
    "van der Weide, Tom",
    "  • 5 authors",
    "  • 1 authors",
    "·",
    "parameterlab Parameter Lab",
    "Daily Papers",
    "new",
    "Subscribe",
    "Get trending papers in your email inbox!",
    "SubscribeA Title",
    "A short title?",
    "A long abstract sentence. Another sentence follows here, and it ends.",
    "et al.",
    " · ",
    ",",
    ", ,",
    '{"title": "T", "authors": ["A B"], "date": "2023"}',
    '{"title": 3}',
    "{",
    "[",
    '{"authors": {}}',
    "\ufeff",
    "\r",
    "\t",
    "",
    "   ",
    "x" * 400,
    "Ł. Ó'Brien-Ñúñez",
    "\u2028",
    "\x00",
    "MacDonald-O'Neil",
]

lines_strategy = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS),
        st.text(max_size=80),
        st.lists(st.sampled_from(FRAGMENTS), max_size=4).map("".join),
    ),
    max_size=40,
)


def _check(items: list, reader_name: str) -> None:
    for item in items:
        assert isinstance(item, Record | FailedRecord | ListingNote)
        assert item.line >= 1
        if isinstance(item, Record):
            assert item.format == reader_name
            assert item.title and item.title == item.title.strip()
        if isinstance(item, FailedRecord):
            assert item.reason


@pytest.mark.parametrize("reader_name", list(LISTING_READERS))
@FUZZ
@given(text=st.text(max_size=2000))
def test_parse_never_raises_on_arbitrary_text(reader_name, text):
    reader = LISTING_READERS[reader_name]
    _check(list(reader.parse(text.splitlines(), "fuzz")), reader_name)
    reader.sniff(text.splitlines())


@pytest.mark.parametrize("reader_name", list(LISTING_READERS))
@FUZZ
@given(lines=lines_strategy)
def test_parse_never_raises_on_layout_like_text(reader_name, lines):
    reader = LISTING_READERS[reader_name]
    _check(list(reader.parse(lines, "fuzz")), reader_name)
    score = reader.sniff(lines)
    assert 0.0 <= score <= 1.0


@FUZZ
@given(data=st.one_of(st.binary(max_size=3000), lines_strategy.map(lambda ls: "\n".join(ls).encode("utf-8"))))
def test_detection_raises_only_input_error(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "listing"
        path.write_bytes(data)
        try:
            format = detect_format(path)
        except InputError as error:
            assert str(error).startswith(f"{path}: ")
            return
        items, chosen = read_listing(path)
        assert chosen == format
        _check(list(items), format)


@FUZZ
@given(body=st.text(alphabet=st.sampled_from("Aa Bb,.-'·2?"), max_size=300))
def test_lab_list_split_is_bounded_and_total(body):
    """Pathological glue (every character a candidate split) still splits or declines, never hangs."""
    lines = ["LGJan 1, 2020", body, "An abstract."]
    _check(list(LISTING_READERS["lab-list"].parse(lines, "fuzz")), "lab-list")
