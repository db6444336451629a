"""Hostile and broken input, through ``paperkg build``: a clear diagnosis, the good records kept, nothing run.

Every case is a file written here (nothing large is committed): invalid UTF-8, NUL bytes, a 50 MB line,
a 0-byte file, a folder of 2,000 files, files that are not listings (PNG, PDF), and records whose text
is shell, path or markup syntax. Each asserts the exact exit code, a ``file:line`` (or, for a whole
file, ``file:``) diagnosis, and that the good records are in the graph.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperkg.cli import main

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
    b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


def build(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", *args, "-j", "1", "--no-extract"])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def titles(directory: Path) -> list[str]:
    from paperkg.store import open_store

    rows = open_store(directory).query(
        "SELECT ?t WHERE { ?p a pkg:Paper ; dcterms:title ?t }",
        prefixes={"pkg": "https://w3id.org/paperkg/ontology#", "dcterms": "http://purl.org/dc/terms/"},
    )
    return sorted(row["t"].value for row in rows)


def jsonl(*titles_: str) -> bytes:
    return b"".join(json.dumps({"title": t, "authors": ["Ada Lovelace"]}).encode() + b"\n" for t in titles_)


# ------------------------------------------------------------------------------------- damaged bytes
def test_invalid_utf8_is_repaired_and_reported_at_its_line(tmp_path):
    listing = tmp_path / "listing.jsonl"
    listing.write_bytes(
        jsonl("First good paper") + b'{"title": "Caf\xe9 na\xefve \xff paper"}\n' + jsonl("Second good paper")
    )
    code, out = build(str(listing), "--dir", str(tmp_path / "out"))
    assert code == 0, out
    assert f"{listing}:2: invalid UTF-8: 3 bytes replaced by U+FFFD" in out
    assert titles(tmp_path / "out") == [
        "Caf\ufffd na\ufffdve \ufffd paper",
        "First good paper",
        "Second good paper",
    ]


def test_nul_bytes_are_removed_and_reported_and_every_record_is_kept(tmp_path):
    text = (EXAMPLES / "lab-publications.txt").read_bytes().split(b"\n")
    text[1] = text[1].replace(b"Attention", b"Atten\x00tion")
    text.insert(6, b"\x00" * 4096)  # a block of NULs, as a crash can leave in a file
    listing = tmp_path / "lab.txt"
    listing.write_bytes(b"\n".join(text))
    code, out = build(str(listing), "--dir", str(tmp_path / "out"))
    assert code == 0, out
    assert f"{listing}:2: 1 NUL byte removed" in out
    assert f"{listing}:7: 4096 NUL bytes removed" in out
    expected = build(str(EXAMPLES / "lab-publications.txt"), "--dir", str(tmp_path / "ref"))[0] == 0
    assert expected and titles(tmp_path / "out") == titles(tmp_path / "ref")


def test_a_50_mb_line_skips_only_its_record_with_its_line_number(tmp_path):
    listing = tmp_path / "big-line.jsonl"
    with open(listing, "wb") as out:
        out.write(jsonl("Before the long line"))
        out.write(b'{"title": "Huge", "abstract": "' + b"word " * (10 * 1024 * 1024) + b'"}\n')
        out.write(jsonl("After the long line"))
    code, out = build(str(listing), "--dir", str(tmp_path / "out"))
    assert code == 0, out
    assert (
        f"{listing}:2: line 2 has 52,428,833 characters, more than a listing line may have (1,000,000); "
        "skipped" in out
    )
    assert titles(tmp_path / "out") == ["After the long line", "Before the long line"]


def test_a_50_mb_line_in_a_text_layout_skips_only_its_record(tmp_path):
    lines = (EXAMPLES / "lab-publications.txt").read_text(encoding="utf-8").splitlines()
    lines[2] = "An abstract that goes on " * (2 * 1024 * 1024)  # the first record's abstract: 50 MB
    listing = tmp_path / "lab.txt"
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = build(str(listing), "--dir", str(tmp_path / "out"))
    assert code == 0, out
    assert f"{listing}:1: line 3 has 52,428,800 characters" in out
    got = titles(tmp_path / "out")
    assert "Attention Is All You Need" not in got and len(got) == 11  # the 11 other records


def test_overlong_fields_make_their_record_fail_not_the_file(tmp_path):
    listing = tmp_path / "fields.jsonl"
    listing.write_bytes(
        jsonl("Good one", "T" * 5000)
        + json.dumps({"title": "Long abstract", "abstract": "x " * 40000}).encode()
        + b"\n"
        + jsonl("Good two")
    )
    code, out = build(str(listing), "--dir", str(tmp_path / "out"))
    assert code == 0, out
    assert f"{listing}:2: a title of 5,000 characters (more than 1,000)" in out
    assert f"{listing}:3: an abstract of 79,999 characters (more than 50,000)" in out
    assert titles(tmp_path / "out") == ["Good one", "Good two"]
    strict = CliRunner().invoke(main, ["build", str(listing), "--strict", "--dir", str(tmp_path / "s")])
    assert strict.exit_code == 1 and strict.output.splitlines()[-1].startswith(
        f"Error: {listing}:2: a title of"
    )


# ----------------------------------------------------------------------------- files that are not listings
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "the file is empty"),
        ("image.png", PNG, "a PNG image, not a text listing"),
        ("paper.pdf", PDF, "a PDF document, not a text listing"),
        ("zeros.bin", b"\x00" * 10000, "binary data (only NUL bytes), not a text listing"),
        (
            "random.bin",
            bytes(range(256)) * 40,
            "binary data (control bytes from line 1 on), not a text listing",
        ),
    ],
    ids=["empty", "png", "pdf", "nul-bytes", "random-bytes"],
)
def test_a_file_that_is_not_a_listing_is_named_and_explained(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    code, out = build(str(path), "--dir", str(tmp_path / "out"))
    assert code == 1
    assert out.splitlines()[-1] == f"Error: {path}: {message}"
    assert not (tmp_path / "out").exists()
    # Inside a folder, the same file is reported and skipped; the listings beside it are built.
    folder = tmp_path / "folder"
    folder.mkdir()
    shutil.copy(path, folder / name)
    shutil.copy(EXAMPLES / "more-papers.jsonl", folder)
    code, out = build(str(folder), "--dir", str(tmp_path / "out2"))
    assert code == 0, out
    assert f"skipped: {folder / name}: {message}" in out
    assert len(titles(tmp_path / "out2")) == 10


def test_utf16_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "windows.jsonl"
    path.write_bytes((EXAMPLES / "more-papers.jsonl").read_text(encoding="utf-8").encode("utf-16"))
    code, out = build(str(path), "--dir", str(tmp_path / "out"))
    assert code == 0, out
    assert len(titles(tmp_path / "out")) == 10


def test_a_folder_of_2000_files_good_and_junk_builds_the_good_ones(tmp_path):
    folder = tmp_path / "downloads"
    for index in range(2000):
        sub = folder / f"batch{index % 20:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        kind = index % 10
        if kind < 6:
            (sub / f"{index}.jsonl").write_bytes(jsonl(f"Generated paper number {index}"))
        elif kind == 6:
            (sub / f"{index}.txt").write_bytes(b"")
        elif kind == 7:
            (sub / f"{index}.png").write_bytes(PNG)
        elif kind == 8:
            (sub / f"{index}.md").write_text("# notes\nnothing like a listing here\n", encoding="utf-8")
        else:
            (sub / f"{index}.jsonl").write_bytes(jsonl(f"Damaged paper {index}") + b"{not json\n")
    code, out = build(str(folder), "--dir", str(tmp_path / "out"))
    assert code == 0, out[-2000:]
    assert out.count(": the file is empty") == 200
    assert out.count(": a PNG image, not a text listing") == 200
    assert out.count(": not a recognized listing format") == 200
    assert out.count(": invalid JSON: ") == 200
    assert f"{folder / 'batch09' / '9.jsonl'}:2: invalid JSON: " in out
    assert len(titles(tmp_path / "out")) == 1200 + 200


# ------------------------------------------------------------------------ nothing is run, fetched or opened
HOSTILE = [
    "../../etc/passwd",
    "$(touch paperkg-pwned) `touch paperkg-pwned2`",  # relative: would land in tmp_path, the cwd
    "<script>alert('paperkg')</script>",
    "'; DROP TABLE records; --",
    '" } ; DROP ALL ; INSERT DATA { <x:a> <x:b> "',
    "{{7*7}} ${7*7} %(title)s {0.__class__}",
    "file:///etc/shadow",
]


@pytest.fixture()
def audit():
    """Every audited action of this process while the fixture is active (the hook cannot be removed)."""
    events: list[tuple[str, tuple]] = []
    active = [True]

    def hook(event, args):
        if active[0] and event in {
            "open",
            "socket.connect",
            "socket.getaddrinfo",
            "urllib.Request",
            "subprocess.Popen",
            "os.system",
            "os.exec",
            "os.posix_spawn",
            "os.spawn",
            "webbrowser.open",
            "ctypes.dlopen",
        }:
            events.append((event, args))

    sys.addaudithook(hook)
    yield events
    active[0] = False


def test_listing_text_stays_inert_text(tmp_path, audit, monkeypatch):
    records = [
        {
            "title": title,
            "abstract": f"Abstract of {title}.",
            "authors": ["Mallory O'Hara", title],
            "url": title if "://" in title else "https://example.org/ok",
            "code_url": "javascript:alert(1)",
            "id": title,
            "category": title,
        }
        for title in HOSTILE
    ]
    listing = tmp_path / "hostile.jsonl"
    listing.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out = build(str(listing), "--dir", "out")
    assert code == 0, out
    assert titles(tmp_path / "out") == sorted(HOSTILE)
    # Nothing was executed, fetched, or opened outside the input and the build folder.
    kinds = {event for event, _ in audit}
    assert not kinds & {
        "socket.connect",
        "socket.getaddrinfo",
        "urllib.Request",
        "subprocess.Popen",
        "os.system",
        "os.exec",
        "os.posix_spawn",
        "os.spawn",
        "webbrowser.open",
    }, kinds
    opened = [str(args[0]) for event, args in audit if event == "open" and isinstance(args[0], str | Path)]
    assert not [p for p in opened if "passwd" in p or "shadow" in p or "pwned" in p]
    # The working folder gained only the build folder: no paperkg-pwned files were created.
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*before, "out"])
    # The hostile strings are literals in the graph; unsafe URLs never became IRIs.
    turtle = (tmp_path / "out" / "paperkg.ttl").read_text(encoding="utf-8")
    assert "javascript:" not in turtle.replace('"javascript:alert(1)"', "")
    assert "<file:" not in turtle
    import rdflib

    graph = rdflib.Graph().parse(tmp_path / "out" / "paperkg.ttl", format="turtle")
    literal_titles = {str(o) for o in graph.objects(None, rdflib.URIRef("http://purl.org/dc/terms/title"))}
    assert literal_titles == set(HOSTILE)


def test_markup_in_titles_is_escaped_in_the_html_view(tmp_path):
    listing = tmp_path / "markup.jsonl"
    listing.write_bytes(jsonl("<script>alert('paperkg')</script>", "<img src=x onerror=alert(1)>"))
    assert build(str(listing), "--dir", str(tmp_path / "out"))[0] == 0
    result = CliRunner().invoke(
        main, ["viz", "--dir", str(tmp_path / "out"), "-o", str(tmp_path / "view.html")]
    )
    assert result.exit_code == 0, result.output
    page = (tmp_path / "view.html").read_text(encoding="utf-8")
    assert "<script>alert(" not in page and "<img src=x" not in page


def test_a_file_name_that_is_not_utf8_does_not_stop_the_build(tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    shutil.copy(EXAMPLES / "more-papers.jsonl", os.fsdecode(bytes(folder) + b"/bad\xffname.jsonl"))
    code, out = build(str(folder), "--dir", str(tmp_path / "out"))
    assert code == 0, out
    assert len(titles(tmp_path / "out")) == 10


def test_repairs_are_listed_ten_per_kind_then_counted(tmp_path):
    from paperkg.readers import read_listing
    from paperkg.records import ListingNote, Record

    listing = tmp_path / "many.jsonl"
    listing.write_bytes(b"\r\n".join(b'{"title": "Paper\x00 %d \xff"}' % i for i in range(1, 16)))
    items, _ = read_listing(listing)
    items = list(items)
    notes = [str(item.line) + ": " + item.value for item in items if isinstance(item, ListingNote)]
    assert [item.title for item in items if isinstance(item, Record)] == [
        f"Paper {i} \ufffd" for i in range(1, 16)
    ]
    assert notes[:2] == ["1: invalid UTF-8: 1 byte replaced by U+FFFD", "1: 1 NUL byte removed"]
    assert "10: 1 NUL byte removed" in notes and "11: 1 NUL byte removed" not in notes
    assert notes[-2:] == [
        "1: 5 more lines with invalid UTF-8 repaired (only the first are listed)",
        "1: 5 more lines with NUL bytes repaired (only the first are listed)",
    ]
