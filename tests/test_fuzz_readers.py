"""Structure-aware fuzzing of the readers: real listings, damaged the ways files get damaged.

``tests/test_readers_fuzz.py`` feeds the readers arbitrary text; here the inputs are the example and
seed listings with lines deleted, duplicated, truncated, joined, swapped, spliced in from other files,
flipped byte by byte, stuffed with NUL or invalid UTF-8, stretched to very long lines, or cut off. For
every such file:

* reading (detected or forced format) raises nothing but ``InputError`` naming the file, and every item
  it yields is well formed and safe to store and print (no control characters, nothing unencodable);
* damage stays local: each damaged line costs at most two of the file's original records.

The long run of the same properties is ``bench/fuzz_readers.py``. The last tests guard against
catastrophic regular-expression backtracking on adversarial long lines, in a child process with a
generous time limit (a hang, not a slow machine, is what fails them).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperkg.errors import InputError
from paperkg.readers import LISTING_READERS, MAX_ABSTRACT, MAX_TITLE, parse_listing, read_listing
from paperkg.records import FailedRecord, ListingNote, Record

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
FUZZ = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
# What clean text never contains: controls other than whitespace, and what cannot be encoded.
UNSAFE = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
#: Length of a line stretched by the "stretch" mutation, per step (bench/fuzz_readers.py goes past MAX_LINE).
STRETCH = 100_000
JUNK = [
    b"\x00",
    b"\x00" * 64,
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\xef\xbb\xbf",
    b"\r",
    b"\r\n",
    b"\x0b",
    b"\xe2\x80\xa8",
    b"\x1b[31m",
    b"\xc2\x85",
    b"\t",
    b"\\u0000",
    b'"',
    b"{",
    b"}",
    b",",
    b"\xc2\xb7",
    b"et al.",
    b"LGJan 1, 2020",
    b"  \xe2\x80\xa2 5 authors",
    b"Subscribe",
    b"Smith, John,",
    b"\xe2\x80\x8b",
]


def _corpus() -> list[tuple[str, bytes, str, frozenset[str]]]:
    files = sorted((REPO / "examples").iterdir())
    if SEEDS.is_dir():
        files += sorted(SEEDS.iterdir())
    corpus = []
    for path in files:
        items, fmt = read_listing(path)
        titles = frozenset(item.title for item in items if isinstance(item, Record))
        corpus.append((path.name, path.read_bytes(), fmt, titles))
    return corpus


CORPUS = _corpus()
BY_NAME = {entry[0]: entry for entry in CORPUS}
FOREIGN = [line for _, data, _, _ in CORPUS for line in data.splitlines(keepends=True)[:60]]


# ------------------------------------------------------------------------------------------ mutations
# Each mutation is (name, arguments drawn as fractions); applying it to a list of byte lines returns
# the number of lines it damaged (0 for a cut of the whole file, which the locality check skips).
# The damage `apply` knows how to do; bench/fuzz_readers.py draws from the same list.
MUTATIONS = ("delete", "duplicate", "truncate", "flip", "junk", "splice", "join", "swap", "stretch", "blank", "cut")


@st.composite
def mutation(draw):
    name = draw(
        st.sampled_from(
            MUTATIONS
        )
    )
    where = draw(st.floats(0, 1, allow_nan=False, exclude_max=True))
    other = draw(st.floats(0, 1, allow_nan=False, exclude_max=True))
    junk = draw(st.sampled_from(JUNK))
    times = draw(st.integers(1, 3))
    byte = draw(st.integers(1, 255))
    return name, where, other, junk, times, byte


def apply(lines: list[bytes], change) -> int:
    name, where, other, junk, times, byte = change
    if not lines:
        return 0
    k = int(where * len(lines))
    line = lines[k]
    if name == "delete":
        del lines[k]
    elif name == "duplicate":
        lines[k : k + 1] = [line] * (times + 1)
    elif name == "truncate":
        lines[k] = line[: int(other * len(line))] + b"\n"
    elif name == "flip" and line:
        at = int(other * len(line))
        lines[k] = line[:at] + bytes([line[at] ^ byte]) + line[at + 1 :]
    elif name == "junk":
        at = int(other * len(line))
        lines[k] = line[:at] + junk * times + line[at:]
    elif name == "splice":
        lines[k] = FOREIGN[int(other * len(FOREIGN))]
    elif name == "join" and k + 1 < len(lines):
        lines[k : k + 2] = [line.rstrip(b"\r\n") + b" " + lines[k + 1]]
        return 2
    elif name == "swap":
        j = int(other * len(lines))
        lines[k], lines[j] = lines[j], line
        return 2
    elif name == "stretch":
        unit = line.rstrip(b"\r\n") or b"x"
        size = STRETCH * times
        lines[k] = (unit * (size // len(unit) + 1))[:size] + b"\n"
    elif name == "blank":
        lines[k] = b"\n"
    elif name == "cut":
        at = int(other * len(line))
        del lines[k + 1 :]
        lines[k] = line[:at]
        return 0
    return 1


# ------------------------------------------------------------------------------------------ checks
def check_items(items: list, path: Path, line_count: int) -> list[Record]:
    records = []
    for item in items:
        assert isinstance(item, Record | FailedRecord | ListingNote), item
        assert 1 <= item.line <= line_count, item
        assert str(item).encode("utf-8")  # printing a diagnosis never fails
        if isinstance(item, Record):
            assert item.title and item.title == item.title.strip() and len(item.title) <= MAX_TITLE
            assert item.abstract is None or len(item.abstract) <= MAX_ABSTRACT
            texts = [
                item.title,
                item.abstract,
                item.category,
                item.url,
                item.code_url,
                item.record_id,
                *item.organizations,
                *item.warnings,
                item.date.as_written if item.date else None,
                *(text for a in item.authors for text in (a.as_written, a.given, a.family)),
            ]
            for text in texts:
                if text is not None:
                    assert not UNSAFE.search(text), (text[:80], item)
                    text.encode("utf-8")
            records.append(item)
        elif isinstance(item, FailedRecord):
            assert item.reason and item.source == str(path)
        else:
            item.value.encode("utf-8")
    return records


def line_count(lines: list[bytes]) -> int:
    """Lines as a reader counts them (any of CR, LF, CRLF ends one)."""
    return len(b"".join(lines).replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n"))


def read_all(path: Path, format: str | None, line_count: int) -> list[Record] | None:
    """Records of ``path`` (None when the file as a whole was refused, which must be an InputError)."""
    try:
        items, _ = read_listing(path, format=format)
        return check_items(list(items), path, line_count)
    except InputError as error:
        assert str(error).startswith(f"{path}: "), error
        return None


@pytest.mark.parametrize("name", sorted(BY_NAME))
@FUZZ
@given(changes=st.lists(mutation(), min_size=1, max_size=4))
def test_damaged_listings_read_safely_and_damage_stays_local(name, changes):
    _, data, fmt, titles = BY_NAME[name]
    lines = data.splitlines(keepends=True)
    damaged = sum(apply(lines, change) for change in changes)
    cut = any(change[0] == "cut" for change in changes)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(b"".join(lines))
        count = line_count(lines)
        read_all(path, None, count)  # detection on damaged heads may pick another layout: safe, not exact
        records = read_all(path, fmt, count)
        if records is not None and not cut:
            lost = titles - {r.title for r in records}
            assert len(lost) <= 2 * damaged, (changes, sorted(lost)[:5])


@FUZZ
@given(changes=st.lists(mutation(), min_size=1, max_size=6), format=st.sampled_from(sorted(LISTING_READERS)))
def test_any_listing_damaged_and_forced_into_any_format_reads_safely(changes, format):
    name, data, _, _ = CORPUS[len(changes) % len(CORPUS)]
    lines = data.splitlines(keepends=True)
    for change in changes:
        apply(lines, change)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(b"".join(lines))
        read_all(path, format, line_count(lines))


def test_a_lost_title_line_never_turns_an_abstract_into_a_title():
    lines = (REPO / "examples" / "lab-publications.txt").read_text(encoding="utf-8").splitlines()
    del lines[1]  # the first record's title line
    items = list(parse_listing(lines, "lab.txt", "lab-list"))
    assert (
        str(items[0])
        == "lab.txt:1: no title line: the line after the category/date line reads as an abstract"
    )
    assert all(len(item.title) < 200 for item in items if isinstance(item, Record))
    assert sum(isinstance(item, Record) for item in items) == 11


# --------------------------------------------------------------------------------- backtracking guard
ADVERSARIAL = r"""
import json, sys, time
from paperkg.readers import LISTING_READERS
from paperkg import normalize

n = int(sys.argv[1])
bodies = {
    "A, ": "A, " * (n // 3), "capitals": "A" * n, "Ab": "Ab" * (n // 2), "Ab ": "Ab " * (n // 3),
    "names": "John Smith, " * (n // 12), "last-first": "Smith, John, " * (n // 13), ". ": ". " * (n // 2),
    "Aa. B": "Aa. B" * (n // 5), "et al": "et al " * (n // 6), "dots": " \u00b7 " * (n // 3),
    "x ": " x" * (n // 2), "[": "[" * n, "json-string": '{"title": "' + "a" * n + '"}', "digits": "1" * n,
    "dates": "Jan 1, " * (n // 7), "aB": "aB" * (n // 2), "A-": "A-" * (n // 2), "A'": "A'" * (n // 2),
    ",": "," * n, "A and ": "A and " * (n // 6), "Subscribe": "Subscribe" * (n // 9), "tabs": "\t" * n,
    "nbsp": "A\u00a0" * (n // 2), "accents": "\u00c9\u00e9 " * (n // 3), "zero-width": "A\u200b" * (n // 2),
    "bullets": "\u2022 5 authors " * (n // 12), "Mc": "McMcMc " * (n // 7), "2023": "2023-" * (n // 5),
}
contexts = {
    "alone": lambda b: [b],
    "lab-list": lambda b: ["LGJan 1, 2020", b, "An abstract."],
    "profile": lambda b: ["Peng, Daiyi", b, "Smith, John", "An abstract."],
    "twice": lambda b: [b, b],
}
timings = {}
for name, body in bodies.items():
    start = time.perf_counter()
    print("case", name, flush=True)
    for reader in LISTING_READERS.values():
        for context in contexts.values():
            lines = context(body)
            list(reader.parse(lines, "adversarial"))
            reader.sniff(lines)
    piece = body[:5000]
    normalize.parse_person_name(piece)
    normalize.person_name_penalty(piece[:200])
    normalize.parse_date(piece)
    normalize.clean_title(body)
    normalize.title_key(body)
    normalize.looks_like_organization(piece)
    timings[name] = round(time.perf_counter() - start, 3)
print(json.dumps(timings))
"""


def test_readers_stay_linear_on_adversarial_long_lines():
    """200,000-character lines of every shape the readers' patterns care about; a hang fails the test."""
    done = subprocess.run(
        [sys.executable, "-c", ADVERSARIAL, "200000"],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    timings = json.loads(done.stdout.splitlines()[-1])
    slow = {name: t for name, t in timings.items() if t > 60}
    assert not slow, slow


def test_a_file_of_adversarial_long_lines_is_read_to_the_end(tmp_path):
    """Through read_listing (detection included) with lines near the line limit."""
    code = (
        "import sys; from paperkg.readers import read_listing, detect_format\n"
        "from paperkg.errors import InputError\n"
        "try:\n    items, fmt = read_listing(sys.argv[1]); print(fmt, sum(1 for _ in items))\n"
        "except InputError as e:\n    print('refused', e)\n"
    )
    shapes = ["A, " * 300_000, "Ab" * 450_000, "Smith, John, " * 70_000, "x " * 450_000]
    for index, shape in enumerate(shapes):
        path = tmp_path / f"adversarial-{index}.txt"
        path.write_text(f"LGJan 1, 2020\n{shape}\nAn abstract.\n{shape}\n", encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-c", code, str(path)], check=False, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr[-2000:]
