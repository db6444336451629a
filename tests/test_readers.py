"""Listing readers: fixtures per format, damaged records, detection, and the registry API."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from paperkg.errors import FormatError, InputError
from paperkg.readers import LISTING_READERS, ListingReader, detect_format, parse_listing, read_listing
from paperkg.records import FailedRecord, ListingNote, Record

DATA = Path(__file__).parent / "data" / "readers"
UNSEEN = Path(__file__).parent / "data" / "unseen"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def read(path: Path, format: str | None = None) -> list:
    items, _ = read_listing(path, format)
    return list(items)


def records(items: list) -> list[Record]:
    return [item for item in items if isinstance(item, Record)]


def failures(items: list) -> list[FailedRecord]:
    return [item for item in items if isinstance(item, FailedRecord)]


def notes(items: list, kind: str) -> list[ListingNote]:
    return [item for item in items if isinstance(item, ListingNote) and item.kind == kind]


def authors(record: Record) -> list[str]:
    return [name.display for name in record.authors]


# ------------------------------------------------------------------------------------ registry


def test_registry_names_the_five_formats():
    assert list(LISTING_READERS) == ["lab-list", "profile-export", "daily-papers", "papers-search", "jsonl"]
    for name, reader in LISTING_READERS.items():
        assert isinstance(reader, ListingReader)
        assert reader.name == name
        assert reader.description


def test_unknown_format_lists_the_valid_names(tmp_path):
    with pytest.raises(FormatError) as error:
        read_listing(DATA / "jsonl" / "basic.jsonl", format="csv")
    message = str(error.value)
    assert "'csv'" in message
    for name in LISTING_READERS:
        assert name in message
    with pytest.raises(FormatError):
        parse_listing([], "x", "bibtex")


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_listing(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="no such file"):
        read_listing(tmp_path / "nope.txt", format="jsonl")


def test_directory_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="not a regular file"):
        detect_format(tmp_path)


def test_empty_file_cannot_be_detected(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n  \n", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        detect_format(empty)


def test_unrecognizable_file_names_the_formats_tried(tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_text("hello\nworld\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        detect_format(junk)
    message = str(error.value)
    assert message.startswith(f"{junk}: ")
    for name in LISTING_READERS:
        assert name in message


def test_read_listing_returns_the_detected_format_and_source_as_given(tmp_path):
    items, format = read_listing(str(DATA / "jsonl" / "basic.jsonl"))
    assert format == "jsonl"
    first = next(items)
    assert first.source == str(DATA / "jsonl" / "basic.jsonl")
    assert first.format == "jsonl"


def test_forced_format_overrides_detection():
    items, format = read_listing(DATA / "papers-search" / "basic.txt", format="papers-search")
    assert format == "papers-search"
    assert records(list(items))[0].title == "Adam: A Method for Stochastic Optimization"


def test_bom_and_crlf_are_accepted(tmp_path):
    original = (DATA / "lab-list" / "basic.txt").read_text(encoding="utf-8")
    crlf = tmp_path / "windows.txt"
    crlf.write_bytes(b"\xef\xbb\xbf" + original.replace("\n", "\r\n").encode("utf-8"))
    assert detect_format(crlf) == "lab-list"
    got = records(read(crlf))
    want = records(read(DATA / "lab-list" / "basic.txt"))
    assert [(r.title, authors(r), r.abstract, r.line) for r in got] == [
        (r.title, authors(r), r.abstract, r.line) for r in want
    ]


def test_invalid_utf8_is_replaced_not_fatal(tmp_path):
    broken = tmp_path / "broken.txt"
    data = (DATA / "papers-search" / "basic.txt").read_bytes().replace(b"Stochastic", b"Stoch\xffastic", 1)
    broken.write_bytes(data)
    assert records(read(broken))[0].title == "Adam: A Method for Stoch\ufffdastic Optimization"


def test_parse_listing_is_pure_over_lines():
    lines = ["SubscribeAttention Is All You Need", "A model built only from attention. It translates well."]
    (record,) = list(parse_listing(lines, "inline", "papers-search"))
    assert (record.title, record.source, record.line, record.format) == (
        "Attention Is All You Need",
        "inline",
        1,
        "papers-search",
    )


def test_parse_streams_lazily():
    """A reader must yield the first record before it has seen the whole input."""

    def lines():
        yield "CVMar 20, 2017Code"
        yield "Mask R-CNNKaiming He, Georgia Gkioxari, Piotr Dollár et al. · fair"
        yield "A mask branch is added to a detector. It works well."
        yield "CVMay 18"
        raise AssertionError("read past the first record before yielding it")

    first = next(iter(LISTING_READERS["lab-list"].parse(lines(), "gen")))
    assert first.title == "Mask R-CNN"


# ------------------------------------------------------------------------------------ lab-list


def test_lab_list_basic():
    items = read(DATA / "lab-list" / "basic.txt")
    assert failures(items) == []
    wgan, mask, unet = records(items)
    assert (wgan.line, wgan.title, authors(wgan)) == (
        1,
        "Wasserstein GAN",
        ["Martin Arjovsky", "Soumith Chintala", "Léon Bottou"],
    )
    assert wgan.authors_complete is True
    assert (wgan.category, wgan.date.lexical, wgan.date.datatype, wgan.has_code) == (
        "LG",
        "2017-01-26",
        "date",
        True,
    )
    assert (mask.title, authors(mask), mask.authors_complete, mask.organizations) == (
        "Mask R-CNN",
        ["Kaiming He", "Georgia Gkioxari", "Piotr Dollár"],
        False,
        ["fair"],
    )
    assert unet.title == "U-Net: Convolutional Networks for Biomedical Image Segmentation"
    assert (unet.date.lexical, unet.date.datatype, unet.date.as_written) == ("--05-18", "gMonthDay", "May 18")
    assert unet.has_code is None
    assert unet.abstract.startswith("U-Net pairs a contracting path")
    assert all(r.format == "lab-list" for r in (wgan, mask, unet))


def test_lab_list_missing_header_costs_one_record():
    # Lines 4-5 (Mask R-CNN title and abstract) lost their category/date line.
    items = read(DATA / "lab-list" / "invalid" / "missing-header.txt")
    (failed,) = failures(items)
    assert failed.line == 4
    assert failed.raw.startswith("Mask R-CNNKaiming He")
    assert [(r.line, r.title) for r in records(items)] == [
        (1, "Wasserstein GAN"),
        (6, "U-Net: Convolutional Networks for Biomedical Image Segmentation"),
    ]


def test_lab_list_garbled_author_list_fails_at_its_header_line():
    items = read(DATA / "lab-list" / "invalid" / "garbled-authors.txt")
    (failed,) = failures(items)
    assert failed.line == 1
    assert "title ends" in failed.reason
    (record,) = records(items)
    assert (record.line, record.title, authors(record)) == (
        4,
        "Mask R-CNN",
        ["Kaiming He", "Georgia Gkioxari", "Piotr Dollár"],
    )


def test_lab_list_title_without_authors_is_kept_with_a_warning():
    lines = ["LGJan 26, 2017", "A Title With No Author List", "Some abstract. It has sentences."]
    (record,) = list(parse_listing(lines, "x", "lab-list"))
    assert record.title == "A Title With No Author List"
    assert record.authors == [] and record.authors_complete is None
    assert record.warnings == ["no author list found after the title"]


def test_lab_list_record_without_abstract_at_eof():
    lines = ["LGJan 26, 2017", "Wasserstein GANMartin Arjovsky, Soumith Chintala, Léon Bottou"]
    (record,) = list(parse_listing(lines, "x", "lab-list"))
    assert record.abstract is None and record.warnings == ["no abstract line"]


def test_lab_list_header_alone_is_a_failed_record():
    lines = ["LGJan 26, 2017", "CVMay 18", "U-NetOlaf Ronneberger, Philipp Fischer", "Abstract."]
    items = list(parse_listing(lines, "x", "lab-list"))
    assert [(type(i).__name__, i.line) for i in items] == [("FailedRecord", 1), ("Record", 2)]


def test_lab_list_invalid_date_is_a_warning():
    lines = ["LGFeb 30, 2023", "Wasserstein GANMartin Arjovsky, Léon Bottou", "Abstract."]
    (record,) = list(parse_listing(lines, "x", "lab-list"))
    assert record.date is None
    assert record.warnings == ["invalid date 'Feb 30, 2023'"]


UNSEEN_LAB = [
    (
        "lab-list-acronyms.txt",
        1,
        "Sparks of Artificial General Intelligence: Early experiments with GPT-4",
        ["Sébastien Bubeck", "Varun Chandrasekaran", "Ronen Eldan"],
        False,
    ),
    (
        "lab-list-acronyms.txt",
        4,
        "Wasserstein GAN",
        ["Martin Arjovsky", "Soumith Chintala", "Léon Bottou"],
        True,
    ),
    (
        "lab-list-acronyms.txt",
        7,
        "Q8BERT: Quantized 8Bit BERT",
        ["Ofir Zafrir", "Guy Boudoukh", "Peter Izsak"],
        False,
    ),
    ("lab-list-acronyms.txt", 10, "GPT-4 Technical Report", ["OpenAI"], True),
    (
        "lab-list-acronyms.txt",
        13,
        "Llama 2: Open Foundation and Fine-Tuned Chat Models",
        ["Hugo Touvron", "Louis Martin", "Kevin Stone"],
        False,
    ),
    ("lab-list-acronyms.txt", 16, "Mask R-CNN", ["Kaiming He", "Georgia Gkioxari", "Piotr Dollár"], False),
    ("lab-list-names.txt", 1, "GLU Variants Improve Transformer", ["Noam Shazeer"], True),
    (
        "lab-list-names.txt",
        4,
        "Mastering Atari, Go, Chess and Shogi by Planning with a Learned Model",
        ["Julian Schrittwieser", "Ioannis Antonoglou", "Thomas Hubert"],
        False,
    ),
    (
        "lab-list-names.txt",
        7,
        "DistilBERT, a distilled version of BERT: smaller, faster, cheaper and lighter",
        ["Victor Sanh", "Lysandre Debut", "Julien Chaumond"],
        False,
    ),
    (
        "lab-list-names.txt",
        10,
        "Representation Learning with Contrastive Predictive Coding",
        ["Aaron van den Oord", "Yazhe Li", "Oriol Vinyals"],
        True,
    ),
    ("lab-list-names.txt", 13, "Deep Learning", ["Yann LeCun", "Yoshua Bengio", "Geoffrey Hinton"], True),
    (
        "lab-list-names.txt",
        16,
        "Speech Recognition with Deep Recurrent Neural Networks",
        ["Alex Graves", "Abdel-rahman Mohamed", "Geoffrey Hinton"],
        True,
    ),
    (
        "lab-list-names.txt",
        19,
        "Scaling Laws for Neural Language Models",
        ["Jared Kaplan", "Sam McCandlish", "Tom Henighan"],
        False,
    ),
    (
        "lab-list-names.txt",
        22,
        "Auto-Encoding Variational Bayes",
        ["Diederik P. Kingma", "Max Welling"],
        True,
    ),
]


@pytest.mark.parametrize(("file", "line", "title", "names", "complete"), UNSEEN_LAB)
def test_lab_list_unseen_title_author_boundaries(file, line, title, names, complete):
    items = read(UNSEEN / file)
    assert failures(items) == []
    (record,) = [r for r in records(items) if r.line == line]
    assert record.title == title
    assert authors(record) == names
    assert record.authors_complete is complete


def test_lab_list_unseen_details():
    acronyms = {r.line: r for r in records(read(UNSEEN / "lab-list-acronyms.txt"))}
    assert acronyms[10].authors[0].is_organization  # "OpenAI" glued to the title
    assert acronyms[13].organizations == ["meta"]
    names = {r.line: r for r in records(read(UNSEEN / "lab-list-names.txt"))}
    oord = names[10].authors[0]
    assert (oord.given, oord.family) == ("Aaron", "van den Oord")
    assert names[13].date.lexical == "--05-28"
    assert names[22].category == "ML"


# ------------------------------------------------------------------------------ profile-export


def test_profile_export_basic():
    items = read(DATA / "profile-export" / "basic.txt")
    assert notes(items, "owner") == [
        ListingNote("owner", str(DATA / "profile-export" / "basic.txt"), 1, "Hinton, Geoffrey")
    ]
    assert failures(items) == []
    simclr, layer_norm, tsne = records(items)
    assert simclr.line == 2
    assert simclr.title == "A Simple Framework for Contrastive Learning of Visual Representations"
    assert authors(simclr) == ["Ting Chen", "Simon Kornblith", "Mohammad Norouzi", "Geoffrey Hinton"]
    assert simclr.authors[0].as_written == "Chen, Ting"
    assert simclr.authors_complete is True
    assert authors(layer_norm) == ["Jimmy Lei Ba", "Jamie Ryan Kiros", "Geoffrey E. Hinton"]
    assert (tsne.authors[0].given, tsne.authors[0].family) == ("Laurens", "van der Maaten")
    assert tsne.abstract.endswith("relieves the crowding problem.")  # last line, no final newline


def test_profile_export_missing_title_costs_one_record():
    # Line 5 is the author list of a record whose title line is missing; its abstract goes with it.
    items = read(DATA / "profile-export" / "invalid" / "missing-title.txt")
    (failed,) = failures(items)
    assert failed.line == 5
    assert failed.raw.startswith("Ba, Jimmy Lei, Kiros, Jamie Ryan")
    assert [(r.line, r.title) for r in records(items)] == [
        (2, "A Simple Framework for Contrastive Learning of Visual Representations"),
        (7, "Visualizing Data using t-SNE"),
    ]
    assert authors(records(items)[1]) == ["Laurens van der Maaten", "Geoffrey Hinton"]


def test_profile_export_odd_author_pieces_are_warned():
    lines = ["Some Paper Title", "Smith, John, Doe, Jane, Lonely", "An abstract. With sentences."]
    (record,) = list(parse_listing(lines, "x", "profile-export"))
    assert authors(record) == ["John Smith", "Jane Doe", "Lonely"]
    assert len(record.warnings) == 1 and "odd number" in record.warnings[0]


def test_profile_export_title_with_commas_is_not_an_author_list():
    lines = ["Doe, Jane", "Review, Refine", "Smith, John, Doe, Jane", "An abstract. With sentences."]
    items = list(parse_listing(lines, "x", "profile-export"))
    assert notes(items, "owner")[0].value == "Doe, Jane"
    (record,) = records(items)
    assert (record.title, authors(record)) == ("Review, Refine", ["John Smith", "Jane Doe"])


def test_profile_export_unseen():
    hinton = read(UNSEEN / "profile-export-hinton.txt")
    assert notes(hinton, "owner")[0].value == "Hinton, Geoffrey"
    assert failures(hinton) == []
    by_title = {r.title: r for r in records(hinton)}
    assert list(by_title) == [
        "Distilling the Knowledge in a Neural Network",
        "Deep Learning",
        "Visualizing Data using t-SNE",
        "Speech Recognition with Deep Recurrent Neural Networks",
        "Dropout: A Simple Way to Prevent Neural Networks from Overfitting",
    ]
    assert authors(by_title["Deep Learning"]) == ["Yann LeCun", "Yoshua Bengio", "Geoffrey Hinton"]
    assert authors(by_title["Speech Recognition with Deep Recurrent Neural Networks"]) == [
        "Alex Graves",
        "Abdel-rahman Mohamed",
        "Geoffrey Hinton",
    ]

    sutskever = read(UNSEEN / "profile-export-sutskever.txt")
    assert failures(sutskever) == []
    gpt4, gpt3, alexnet, glu, distil = records(sutskever)
    assert gpt4.title == "GPT-4 Technical Report"
    assert gpt4.authors == [gpt4.authors[0]] and gpt4.authors[0].is_organization
    assert gpt4.authors[0].display == "OpenAI"
    assert len(gpt3.authors) == 31
    assert authors(gpt3)[:3] == ["Tom B. Brown", "Benjamin Mann", "Nick Ryder"]
    assert "Ariel Herbert-Voss" in authors(gpt3) and "Sam McCandlish" in authors(gpt3)
    assert authors(gpt3)[-1] == "Dario Amodei"
    assert authors(alexnet) == ["Alex Krizhevsky", "Ilya Sutskever", "Geoffrey E. Hinton"]
    assert (glu.title, authors(glu)) == ("GLU Variants Improve Transformer", ["Noam Shazeer"])
    assert distil.title == "DistilBERT, a distilled version of BERT: smaller, faster, cheaper and lighter"
    assert authors(distil) == ["Victor Sanh", "Lysandre Debut", "Julien Chaumond", "Thomas Wolf"]


# -------------------------------------------------------------------------------- daily-papers


def test_daily_papers_basic():
    items = read(DATA / "daily-papers" / "basic.txt")
    assert [(n.line, n.value) for n in notes(items, "page-date")] == [(3, "Apr 6")]
    assert failures(items) == []
    vit, qlora, sam = records(items)
    assert (vit.line, vit.title) == (
        5,
        "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale",
    )
    assert (vit.author_count, vit.authors, vit.date.lexical, vit.upvotes) == (12, [], "2020-10-22", 4)
    assert (qlora.date.lexical, qlora.date.datatype, qlora.date.as_written, qlora.upvotes) == (
        "--05-23",
        "gMonthDay",
        "May 23",
        21,
    )
    assert (sam.title, sam.organizations, sam.author_count, sam.upvotes) == (
        "Segment Anything",
        ["AI at Meta"],
        None,
        None,
    )
    assert sam.date.lexical == "2023-04-05"
    assert all(not r.warnings for r in (vit, qlora, sam))


def test_daily_papers_orphan_metadata_costs_nothing_else():
    # Lines 13-15 are an author/date block whose title and abstract are missing.
    items = read(DATA / "daily-papers" / "invalid" / "orphan-meta.txt")
    (failed,) = failures(items)
    assert failed.line == 13
    assert failed.raw == "• 4 authors\n·\nMay 23 21"
    assert [(r.line, r.title) for r in records(items)] == [
        (5, "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale"),
        (17, "Segment Anything"),
    ]


def test_daily_papers_title_without_abstract_or_meta_is_a_failed_record():
    lines = [
        "Daily Papers",
        "",
        "A Lonely Title",
        "",
        "Next Paper Title",
        "",
        "An abstract that is long enough to look like prose. " * 8,
        "",
        "  • 2 authors",
        "·",
        "Jan 5, 2024",
    ]
    items = list(parse_listing(lines, "x", "daily-papers"))
    assert [(type(i).__name__, i.line) for i in items] == [("FailedRecord", 3), ("Record", 5)]


def test_daily_papers_unseen():
    orgs = read(UNSEEN / "daily-papers-orgs.txt")
    assert notes(orgs, "page-date")[0].value == "Mar 16"
    assert failures(orgs) == []
    got = [
        (r.title, r.organizations, r.author_count, r.date and r.date.lexical, r.upvotes)
        for r in records(orgs)
    ]
    assert got == [
        ("GPT-4 Technical Report", ["OpenAI"], None, "--03-15", 40),
        ("Sparks of Artificial General Intelligence: Early experiments with GPT-4", [], 14, "2023-03-22", 6),
        ("Segment Anything", ["AI at Meta"], None, "2023-04-05", 12),
        ("Llama 2: Open Foundation and Fine-Tuned Chat Models", [], None, None, None),
        ("Visual Instruction Tuning", [], 4, "2023-04-17", 22),
        ("GLU Variants Improve Transformer", [], 1, "2020-02-12", 1),
    ]
    llama = records(orgs)[3]
    assert llama.abstract.startswith("Pretrained and chat-tuned models")
    assert llama.warnings == ["no author/date block: authors, organization and date unknown"]

    bare = read(UNSEEN / "daily-papers-nochrome.txt")
    assert notes(bare, "page-date") == [] and failures(bare) == []
    assert [(r.line, r.title, r.organizations, r.upvotes) for r in records(bare)] == [
        (1, "Mistral 7B", ["Mistral AI"], 48),
        (9, "Adam: A Method for Stochastic Optimization", [], None),
        (17, "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale", [], 4),
        (25, "Attention Is All You Need", [], 71),
    ]


# ------------------------------------------------------------------------------- papers-search


def test_papers_search_basic():
    items = read(DATA / "papers-search" / "basic.txt")
    assert failures(items) == []
    assert [(r.line, r.title) for r in records(items)] == [
        (3, "Adam: A Method for Stochastic Optimization"),
        (5, "Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift"),
        (7, "Dropout: A Simple Way to Prevent Neural Networks from Overfitting"),
    ]
    assert records(items)[1].abstract.startswith("Batch normalization normalizes")


@pytest.mark.parametrize(
    ("file", "failed_line", "reason", "next_line", "next_title"),
    [
        # Batch Normalization (line 5) is directly followed by the Dropout title.
        (
            "two-titles.txt",
            5,
            "title without an abstract",
            6,
            "Dropout: A Simple Way to Prevent Neural Networks from Overfitting",
        ),
        # Line 5 is Batch Normalization's abstract, whose title line is gone.
        (
            "abstract-without-title.txt",
            5,
            "abstract without a title",
            6,
            "Dropout: A Simple Way to Prevent Neural Networks from Overfitting",
        ),
    ],
)
def test_papers_search_damage_costs_one_record(file, failed_line, reason, next_line, next_title):
    items = read(DATA / "papers-search" / "invalid" / file)
    (failed,) = failures(items)
    assert failed.line == failed_line
    assert failed.reason.startswith(reason)
    assert str(failed) == f"{DATA / 'papers-search' / 'invalid' / file}:{failed_line}: {failed.reason}"
    following = [r for r in records(items) if r.line > failed_line]
    assert (following[0].line, following[0].title) == (next_line, next_title)
    assert following[0].abstract.startswith("Dropout randomly omits units")


def test_papers_search_title_at_eof():
    items = read(DATA / "papers-search" / "invalid" / "title-at-eof.txt")
    (failed,) = failures(items)
    assert (failed.line, failed.raw) == (
        7,
        "Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift",
    )
    assert len(records(items)) == 2


def test_papers_search_unseen():
    questions = read(UNSEEN / "papers-search-questions.txt")
    assert [r.title for r in records(questions)] == [
        "3D Gaussian Splatting for Real-Time Radiance Field Rendering",  # "Subscribe3D" glued
        "Are Emergent Abilities of Large Language Models a Mirage?",
        "Do ImageNet Classifiers Generalize to ImageNet?",
        "DistilBERT, a distilled version of BERT: smaller, faster, cheaper and lighter",
        "Llama 2: Open Foundation and Fine-Tuned Chat Models",
        "Scaling Laws vs Model Architectures: How does Inductive Bias Influence Scaling?",
    ]
    assert [(f.line, f.raw) for f in failures(questions)] == [(13, "GPT-4")]

    bare = read(UNSEEN / "papers-search-nochrome.txt")
    assert [(r.line, r.title) for r in records(bare)] == [
        (1, "Proximal Policy Optimization Algorithms"),
        (4, "Deep Residual Learning for Image Recognition"),
        (6, "Generative Adversarial Networks"),
    ]
    assert [f.line for f in failures(bare)] == [3, 8]


# --------------------------------------------------------------------------------------- jsonl


def test_jsonl_basic():
    items = read(DATA / "jsonl" / "basic.jsonl")
    layer_norm, mask, unet = records(items)
    assert authors(layer_norm) == ["Jimmy Lei Ba", "Jamie Ryan Kiros", "Geoffrey E. Hinton"]
    assert layer_norm.authors[0].as_written == "Ba, Jimmy Lei"
    assert (layer_norm.date.lexical, layer_norm.category, layer_norm.record_id) == (
        "2016-07-21",
        "stat.ML",
        "arXiv:1607.06450",
    )
    assert (mask.date.lexical, mask.author_count, mask.authors_complete, mask.upvotes) == (
        "2017-03-20",
        4,
        True,
        7,
    )
    assert (mask.has_code, mask.code_url, mask.organizations) == (
        True,
        "https://github.com/facebookresearch/Detectron",
        ["fair"],
    )
    assert (unet.date.lexical, unet.date.datatype, unet.has_code) == ("2015-05", "gYearMonth", False)
    (warning,) = notes(items, "warning")
    assert warning.line == 3 and warning.value == "unknown keys ignored: 'venue' (1 line)"


def test_jsonl_bad_lines_each_cost_one_record():
    items = read(DATA / "jsonl" / "invalid" / "bad-lines.jsonl")
    assert [(f.line, f.reason) for f in failures(items)] == [
        (2, "invalid JSON: Expecting ',' delimiter (column 49)"),
        (3, "missing or empty 'title'"),
        (4, "'authors' must be a list of strings, not str"),
        (5, "expected a JSON object, found list"),
        (6, "'upvotes' must be a non-negative integer, not True"),
    ]
    assert [(r.line, r.title) for r in records(items)] == [
        (1, "Layer Normalization"),
        (8, "U-Net: Convolutional Networks for Biomedical Image Segmentation"),
    ]


def test_jsonl_unknown_keys_are_reported_once():
    lines = ['{"title": "A", "venue": "X", "pages": 3}', '{"title": "B", "venue": "Y"}']
    items = list(parse_listing(lines, "x", "jsonl"))
    assert len(records(items)) == 2
    assert [n.value for n in notes(items, "warning")] == [
        "unknown keys ignored: 'pages' (1 line), 'venue' (2 lines)"
    ]


def test_jsonl_unreadable_date_is_a_warning_and_year_less_date_is_kept():
    lines = [
        '{"title": "A", "date": "someday"}',
        '{"title": "B", "date": "Sep 11"}',
        '{"title": "C", "date": 2019}',
    ]
    a, b, c = list(parse_listing(lines, "x", "jsonl"))
    assert a.date is None and a.warnings == ["unreadable date 'someday'"]
    assert (b.date.lexical, b.date.datatype) == ("--09-11", "gMonthDay")
    assert (c.date.lexical, c.date.datatype) == ("2019", "gYear")


# ------------------------------------------------------------------------------------ detection

FIXTURES = sorted(path for path in DATA.rglob("*") if path.is_file())
UNSEEN_FILES = sorted(UNSEEN.glob("*.txt"))
EXAMPLE_FILES = {
    "lab-publications.txt": "lab-list",
    "profile-export.txt": "profile-export",
    "daily-papers.txt": "daily-papers",
    "papers-search.txt": "papers-search",
    "more-papers.jsonl": "jsonl",
}


def _expected_format(path: Path) -> str:
    if path.is_relative_to(DATA):
        return path.relative_to(DATA).parts[0]
    return next(name for name in LISTING_READERS if path.name.startswith(name))


@pytest.mark.parametrize("path", FIXTURES + UNSEEN_FILES, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_detection_ignores_file_names(path, tmp_path):
    neutral = tmp_path / "listing.dat"
    shutil.copyfile(path, neutral)
    assert detect_format(neutral) == _expected_format(path)


@pytest.mark.parametrize(("name", "format"), sorted(EXAMPLE_FILES.items()))
def test_examples_are_detected_and_parse(name, format, tmp_path):
    neutral = tmp_path / "example"
    shutil.copyfile(EXAMPLES / name, neutral)
    assert detect_format(neutral) == format
    items = read(EXAMPLES / name)
    assert 8 <= len(records(items)) <= 15


def test_examples_overlap_and_damaged_record():
    """The examples are meant to merge: shared papers, one author spelled two ways, one damaged record."""
    by_file = {name: records(read(EXAMPLES / name)) for name in EXAMPLE_FILES}
    titles = {name: {r.title for r in recs} for name, recs in by_file.items()}
    assert (
        "Attention Is All You Need"
        in titles["lab-publications.txt"] & titles["papers-search.txt"] & titles["more-papers.jsonl"]
    )
    jsonl_attention = next(r for r in by_file["more-papers.jsonl"] if r.title == "Attention Is All You Need")
    assert jsonl_attention.authors[0].as_written == "Vaswani, Ashish"
    lab_attention = next(r for r in by_file["lab-publications.txt"] if r.title == "Attention Is All You Need")
    assert lab_attention.authors[0].as_written == "Ashish Vaswani"
    search_failures = failures(read(EXAMPLES / "papers-search.txt"))
    assert [(f.line, f.raw[:19]) for f in search_failures] == [(9, "Batch Normalization")]
