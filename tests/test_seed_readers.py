"""The five real seed listings: exact record/failure counts and spot checks of the hard cases.

How the expected counts were derived, by reading the files with shell tools (independently of paperkg):

* 000 (lab-list): ``awk 'END{print NR}'`` gives 150 lines (the last has no newline); every line
  3k+1 matches ``^[A-Z]{2}[A-Z][a-z]{2} [0-9]{1,2}(, [0-9]{4})?(Code)?$`` (``grep -vc`` on them is 0),
  so 150 / 3 = 50 records and no failures.
* 001 (profile-export): 31 lines = 1 owner line ("Peng, Daiyi") + 10 x (title, authors, abstract)
  -> 10 records, no failures. Line 15 splits on ", " into 1884 fields = 942 (family, given) pairs,
  the first being "Gemini Team, null".
* 002 (daily-papers): 547 lines, 340 non-blank = 6 chrome lines (new, Get trending..., Subscribe,
  Daily Papers, byAK..., the page date "Oct 29") + 68 titles + 68 abstracts (68 lines > 300 chars)
  + 66 meta blocks x 3 lines (66 "·" lines; 65 "• N authors" lines and 1 organization line).
  6 + 136 + 198 = 340, so 68 records, 2 of them (lines 117 and 241) without a meta block; no failures.
* 003 (papers-search): 440 lines = 2 chrome lines + 438 lines strictly alternating short (<= 137 chars)
  and long (>= 433 chars) -> 219 records, no failures.
* 004 (papers-search): 512 lines = 2 chrome + 510 alternating (titles <= 181, abstracts >= 364 chars)
  -> 255 records, no failures.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from paperkg.readers import detect_format, read_listing
from paperkg.records import FailedRecord, ListingNote, Record

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed listings not available at {SEEDS}")

EXPECTED = {
    # file prefix: (format, records, failures)
    "000": ("lab-list", 50, 0),
    "001": ("profile-export", 10, 0),
    "002": ("daily-papers", 68, 0),
    "003": ("papers-search", 219, 0),
    "004": ("papers-search", 255, 0),
}


def seed(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


def items_of(prefix: str) -> list:
    items, _ = read_listing(seed(prefix))
    return list(items)


def records_by_line(prefix: str) -> dict[int, Record]:
    return {item.line: item for item in items_of(prefix) if isinstance(item, Record)}


def names(record: Record) -> list[str]:
    return [author.display for author in record.authors]


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_counts(prefix):
    format, n_records, n_failures = EXPECTED[prefix]
    items, chosen = read_listing(seed(prefix))
    items = list(items)
    assert chosen == format
    assert sum(isinstance(item, Record) for item in items) == n_records
    assert sum(isinstance(item, FailedRecord) for item in items) == n_failures
    assert all(item.format == format for item in items if isinstance(item, Record))


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_detected_whatever_the_file_name(prefix, tmp_path):
    neutral = tmp_path / "input"
    shutil.copyfile(seed(prefix), neutral)
    assert detect_format(neutral) == EXPECTED[prefix][0]


# ------------------------------------------------------------------------------------ lab-list


@pytest.mark.parametrize(
    ("line", "title", "authors"),
    [
        (
            1,
            "The Flan Collection: Designing Data and Methods for Effective Instruction Tuning",
            ["Shayne Longpre", "Le Hou", "Tu Vu"],
        ),
        # title ends in "?"
        (
            58,
            "Rethinking generative image pretraining: How far are we from scaling up next-pixel prediction?",
            ["Xinchen Yan", "Chen Liang", "Lijun Yu"],
        ),
        (
            115,
            "Can Deep Reinforcement Learning Solve Erdos-Selfridge-Spencer Games?",
            ["Maithra Raghu", "Alex Irpan", "Jacob Andreas"],
        ),
        # title ends in a digit
        (
            121,
            "Gold-medalist Performance in Solving Olympiad Geometry with AlphaGeometry2",
            ["Yuri Chervonyi", "Trieu H. Trinh", "Miroslav Olšák"],
        ),
        # title ends in capitals / an acronym
        (55, "BIG-Bench Extra Hard", ["Mehran Kazemi", "Bahare Fatemi", "Hritik Bansal"]),
        (
            22,
            "G-Augment: Searching for the Meta-Structure of Data Augmentation Policies for ASR",
            ["Gary Wang", "Ekin D. Cubuk", "Andrew Rosenberg"],
        ),
        (
            133,
            "NATURAL PLAN: Benchmarking LLMs on Natural Language Planning",
            ["Huaixiu Steven Zheng", "Swaroop Mishra", "Hugh Zhang"],
        ),
        # commas inside the title, hyphenated and accented names
        (
            67,
            "SFT Memorizes, RL Generalizes: A Comparative Study of Foundation Model Post-training",
            ["Tianzhe Chu", "Yuexiang Zhai", "Jihan Yang"],
        ),
        (31, "Aletheia tackles FirstProof autonomously", ["Tony Feng", "Junehyuk Jung", "Sang-hyun Kim"]),
        (
            61,
            "Semi-Autonomous Mathematics Discovery with Gemini: A Case Study on the Erdős Problems",
            ["Tony Feng", "Trieu Trinh", "Garrett Bingham"],
        ),
        (
            70,
            "Primer: Searching for Efficient Transformers for Language Modeling",
            ["David R. So", "Wojciech Mańke", "Hanxiao Liu"],
        ),
        (
            112,
            "MnasNet: Platform-Aware Neural Architecture Search for Mobile",
            ["Mingxing Tan", "Bo Chen", "Ruoming Pang"],
        ),
        (37, "Transcending Scaling Laws with 0.1% Extra Compute", ["Yi Tay", "Jason Wei", "Hyung Won Chung"]),
    ],
)
def test_lab_list_title_author_split(line, title, authors):
    record = records_by_line("000")[line]
    assert record.title == title
    assert names(record) == authors
    assert record.authors_complete is False


def test_lab_list_short_author_lists_are_complete():
    by_line = records_by_line("000")
    assert (by_line[73].title, names(by_line[73]), by_line[73].authors_complete) == (
        "EfficientNetV2: Smaller Models and Faster Training",
        ["Mingxing Tan", "Quoc V. Le"],
        True,
    )
    assert names(by_line[91]) == ["Mingxing Tan", "Ruoming Pang", "Quoc V. Le"]
    assert by_line[91].authors_complete is True


def test_lab_list_header_fields():
    by_line = records_by_line("000")
    aletheia = by_line[31]  # "AIFeb 24Code": a date shown without a year
    assert (aletheia.date.lexical, aletheia.date.datatype, aletheia.date.as_written) == (
        "--02-24",
        "gMonthDay",
        "Feb 24",
    )
    assert (aletheia.category, aletheia.has_code) == ("AI", True)
    assert by_line[127].date.lexical == "--02-10"
    assert (by_line[148].category, by_line[148].date.lexical, by_line[148].has_code) == (
        "AS",
        "2021-09-27",
        None,
    )
    assert by_line[10].organizations == ["cmu", "deepmind"]
    assert by_line[13].organizations == []
    assert sum(record.date.datatype == "gMonthDay" for record in by_line.values()) == 3


# ------------------------------------------------------------------------------ profile-export


def test_profile_export_owner_and_gemini_team():
    items = items_of("001")
    owners = [item for item in items if isinstance(item, ListingNote) and item.kind == "owner"]
    assert [(owner.line, owner.value) for owner in owners] == [(1, "Peng, Daiyi")]
    gemini = next(item for item in items if isinstance(item, Record) and item.line == 14)
    assert gemini.title == "Gemini: A Family of Highly Capable Multimodal Models"
    assert len(gemini.authors) == 942
    team = gemini.authors[0]
    assert team.is_organization and team.display == "Gemini Team"
    assert not any(author.given == "null" or author.family == "null" for author in gemini.authors)
    assert sum(author.is_organization for author in gemini.authors) == 1
    assert names(gemini)[1:3] == ["Rohan Anil", "Sebastian Borgeaud"]
    display = set(names(gemini))
    assert {
        "Tom van der Weide",
        "George van den Driessche",
        "Diego de Las Casas",
        "Tamara von Glehn",
    } <= display


def test_profile_export_pairs_initials_and_short_given_names():
    by_line = records_by_line("001")
    lora = by_line[11]
    assert lora.title == "Higher Layers Need More LoRA Experts"
    assert (lora.authors[-1].given, lora.authors[-1].family) == ("VS", "Subrahmanian")
    pyglove = by_line[26]
    assert names(pyglove) == ["Daiyi Peng", "Xuanyi Dong", "Esteban Real", "Yifeng Lu", "Quoc V. Le"]
    assert pyglove.authors[0].as_written == "Peng, Daiyi"
    assert len(by_line[2].authors) == 11
    assert by_line[29].abstract.endswith("design choices for RL policies.")  # last line, no newline


# -------------------------------------------------------------------------------- daily-papers


def test_daily_papers_page_date_meta_and_upvotes():
    items = items_of("002")
    page_dates = [item for item in items if isinstance(item, ListingNote) and item.kind == "page-date"]
    assert [(note.line, note.value) for note in page_dates] == [(11, "Oct 29")]
    by_line = {item.line: item for item in items if isinstance(item, Record)}
    first = by_line[13]
    assert first.title == "The Illusion of Diminishing Returns: Measuring Long Horizon Execution in LLMs"
    assert (first.author_count, first.authors, first.upvotes) == (5, [], 4)
    assert (first.date.lexical, first.date.datatype) == ("--09-11", "gMonthDay")
    zero_shot = by_line[29]
    assert (zero_shot.date.lexical, zero_shot.upvotes, zero_shot.author_count) == ("2024-04-04", 1, 8)
    monoids = by_line[21]
    assert (monoids.date.lexical, monoids.upvotes) == ("2022-12-16", None)


def test_daily_papers_organization_line():
    record = records_by_line("002")[477]
    assert record.title == "Dr.LLM: Dynamic Layer Routing in LLMs"
    assert (record.organizations, record.author_count, record.upvotes) == (["Parameter Lab"], None, 2)
    assert record.date.lexical == "--10-14"


def test_daily_papers_records_without_meta_block_are_kept():
    by_line = records_by_line("002")
    for line, title in [
        (117, "Knapsack RL: Unlocking Exploration of LLMs via Optimizing Budget Allocation"),
        (241, "Inference-Time Scaling for Complex Tasks: Where We Stand and What Lies Ahead"),
    ]:
        record = by_line[line]
        assert record.title == title
        assert record.abstract and len(record.abstract) > 1000
        assert record.date is None and record.author_count is None
        assert record.warnings == ["no author/date block: authors, organization and date unknown"]
    assert sum(bool(record.warnings) for record in by_line.values()) == 2


# ------------------------------------------------------------------------------- papers-search


@pytest.mark.parametrize(
    ("prefix", "first"),
    [
        ("003", "Multi-Grid Back-Projection Networks"),
        ("004", "Sample-Efficient Multi-Agent RL: An Optimization Perspective"),
    ],
)
def test_papers_search_subscribe_glue_is_removed(prefix, first):
    items = [item for item in items_of(prefix) if isinstance(item, Record)]
    assert (items[0].line, items[0].title) == (3, first)
    assert items[0].abstract.startswith(("Multi-Grid Back-Projection (MGBP)", "We study multi-agent"))
    assert all(not item.title.startswith("Subscribe") for item in items)
    assert all(item.line % 2 == 1 for item in items)


def test_papers_search_titles_with_sentence_like_punctuation():
    titles = {item.title for item in items_of("003") + items_of("004") if isinstance(item, Record)}
    assert (
        "Can Large Language Models be Trusted for Evaluation? "
        "Scalable Meta-Evaluation of LLMs as Evaluators via Agent Debate"
    ) in titles
    assert (
        "ML4CO: Is GCNN All You Need? Graph Convolutional Neural Networks Produce Strong Baselines For "
        "Combinatorial Optimization Problems, If Tuned and Trained Properly, on Appropriate Data"
    ) in titles
