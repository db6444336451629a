"""Field normalization: names, dates, titles, keys, categories and organizations."""

from __future__ import annotations

import pytest

from paperkg.normalize import (
    CATEGORIES,
    category_info,
    clean_title,
    looks_like_organization,
    name_key,
    organization_name,
    parse_date,
    parse_person_name,
    person_name_penalty,
    title_key,
)
from paperkg.records import PaperDate, PersonName

# ------------------------------------------------------------------------------------------ names


@pytest.mark.parametrize(
    ("text", "given", "family"),
    [
        ("Ashish Vaswani", "Ashish", "Vaswani"),
        ("Vaswani, Ashish", "Ashish", "Vaswani"),
        ("Ekin D. Cubuk", "Ekin D.", "Cubuk"),
        ("Le, Quoc V.", "Quoc V.", "Le"),
        ("Huaixiu Steven Zheng", "Huaixiu Steven", "Zheng"),
        ("Sang-hyun Kim", "Sang-hyun", "Kim"),
        ("Miroslav Olšák", "Miroslav", "Olšák"),
        ("Subrahmanian, VS", "VS", "Subrahmanian"),
        ("Laurens van der Maaten", "Laurens", "van der Maaten"),
        ("Maaten, Laurens van der", "Laurens", "van der Maaten"),  # particle left with the given name
        ("van der Weide, Tom", "Tom", "van der Weide"),
        ("Casas, Diego de Las", "Diego", "de Las Casas"),
        ("Diego de Las Casas", "Diego", "de Las Casas"),
        ("Martin Luther King, Jr.", "Martin Luther", "King Jr."),
        ("King, Jr., Martin Luther", "Martin Luther", "King Jr."),
        ("Mausam", "", "Mausam"),
        ("  Yann   LeCun ", "Yann", "LeCun"),
    ],
)
def test_parse_person_name_splits_given_and_family(text, given, family):
    name = parse_person_name(text)
    assert (name.given, name.family, name.is_organization) == (given, family, False)


def test_parse_person_name_keeps_the_text_as_written():
    assert parse_person_name("Vaswani, Ashish").as_written == "Vaswani, Ashish"
    assert parse_person_name("Vaswani, Ashish").display == "Ashish Vaswani"


def test_null_given_name_marks_a_corporate_author():
    name = parse_person_name("Gemini Team, null")
    assert name == PersonName(as_written="Gemini Team", given="", family="Gemini Team", is_organization=True)
    assert name.display == "Gemini Team"


@pytest.mark.parametrize(
    "text", ["Gemini Team", "The BigScience Workshop", "OpenAI", "OpenAI, null", "Google DeepMind"]
)
def test_team_lab_and_known_organizations_are_organizations(text):
    name = parse_person_name(text)
    assert name.is_organization
    assert name.given == ""


def test_null_given_name_of_a_single_word_is_a_person_without_given_name():
    # "Mausam, null": one word with no organization marker is more likely a mononymous person.
    name = parse_person_name("Mausam, null")
    assert (name.given, name.family, name.is_organization) == ("", "Mausam", False)


def test_korean_given_name_na_is_not_a_missing_value():
    assert parse_person_name("Kim, Na").display == "Na Kim"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Peng, Daiyi", "Daiyi Peng"),
        ("Vaswani, Ashish", "Ashish Vaswani"),
        ("Oord, Aaron van den", "Aäron van den Oord"),
        ("Driessche, George van den", "George van den Driessche"),
        ("Sang-hyun Kim", "Sanghyun Kim"),
        ("Schärli, Nathanael", "Nathanael Scharli"),
    ],
)
def test_name_key_unifies_spellings_of_one_author(a, b):
    assert name_key(parse_person_name(a)) == name_key(parse_person_name(b))


def test_name_key_separates_different_people():
    assert name_key(parse_person_name("Jason Wei")) != name_key(parse_person_name("Jerry Wei"))
    assert name_key(parse_person_name("Ekin D. Cubuk")) == "ekin d cubuk"


@pytest.mark.parametrize(
    ("text", "penalty"),
    [
        ("Ekin D. Cubuk", 0),
        ("Sang-hyun Kim", 0),
        ("Jean-Baptiste Alayrac", 0),
        ("Conor O'Brien", 0),
        ("Laurens van der Maaten", 0),
        ("A. M. Turing", 0),
        ("Yann LeCun", 1),
        ("TJ Lu", 1),
        ("Mausam", 2),
        ("ModelsJohn Smith", None),
        ("Bench Extra HardMehran Kazemi", None),
        ("Geometry2Yuri Chervonyi", None),
        ("for ASR", None),
        ("van der", None),
        ("", None),
    ],
)
def test_person_name_penalty(text, penalty):
    assert person_name_penalty(text) == penalty


def test_looks_like_organization():
    assert looks_like_organization("Gemini Team")
    assert looks_like_organization("OpenAI")
    assert not looks_like_organization("Oriol Vinyals")
    assert not looks_like_organization("")


# ------------------------------------------------------------------------------------------ dates


@pytest.mark.parametrize(
    ("text", "lexical", "datatype"),
    [
        ("Jan 31, 2023", "2023-01-31", "date"),
        ("Sep 7, 2023", "2023-09-07", "date"),
        ("September 7, 2023", "2023-09-07", "date"),
        ("Sept. 7, 2023", "2023-09-07", "date"),
        ("3 Feb 2023", "2023-02-03", "date"),
        ("2023-02-03", "2023-02-03", "date"),
        ("2023-2-3", "2023-02-03", "date"),
        ("2023/02/03", "2023-02-03", "date"),
        ("2023-02-03T10:00:00Z", "2023-02-03", "date"),
        ("2023-02", "2023-02", "gYearMonth"),
        ("September 2023", "2023-09", "gYearMonth"),
        ("Sep 2023", "2023-09", "gYearMonth"),
        ("2023", "2023", "gYear"),
        ("Sep 11", "--09-11", "gMonthDay"),
        ("Feb 24", "--02-24", "gMonthDay"),
        ("11 September", "--09-11", "gMonthDay"),
        ("Feb 29", "--02-29", "gMonthDay"),
        ("--12-01", "--12-01", "gMonthDay"),
    ],
)
def test_parse_date_at_honest_precision(text, lexical, datatype):
    assert parse_date(text) == PaperDate(lexical, datatype, text)


@pytest.mark.parametrize(
    "text",
    [
        "Feb 30, 2023",
        "Feb 29, 2023",
        "2023-13",
        "2023-02-30",
        "Smarch 3, 2023",
        "03/02/2023",
        "",
        "yesterday",
        "Sep 32",
        "0999",
        "12345",
    ],
)
def test_parse_date_rejects_invalid_or_ambiguous_dates(text):
    assert parse_date(text) is None


def test_parse_date_never_guesses_a_year():
    date = parse_date("Oct 29")
    assert date is not None and date.datatype == "gMonthDay" and "20" not in date.lexical


# ----------------------------------------------------------------------------------------- titles


def test_clean_title_collapses_whitespace_and_layout_glue_but_keeps_punctuation():
    assert clean_title("  • Attention\u00a0Is  All\tYou Need? · ") == "Attention Is All You Need?"
    assert clean_title("Dr.LLM: Dynamic Layer Routing in LLMs") == "Dr.LLM: Dynamic Layer Routing in LLMs"
    assert clean_title('No "Zero-Shot" Without Exponential Data') == 'No "Zero-Shot" Without Exponential Data'
    assert clean_title("Soft\u00adhyphen and zero\u200bwidth") == "Softhyphen and zerowidth"


def test_clean_title_normalizes_unicode_composition():
    assert clean_title("Erdo\u030bs Problems") == "Erd\u0151s Problems"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Chain-of-Thought Prompting Elicits Reasoning", "Chain of thought prompting elicits reasoning"),
        (
            "Semi-Autonomous Mathematics Discovery: the Erdős Problems",
            "Semi Autonomous Mathematics Discovery - the Erdos Problems",
        ),
        ("Attention Is All You Need", "  attention is all you need. "),
    ],
)
def test_title_key_recognizes_the_same_paper(a, b):
    assert title_key(a) == title_key(b)


def test_title_key_keeps_distinct_papers_apart():
    assert title_key("EfficientNet: Rethinking Model Scaling") != title_key(
        "EfficientNetV2: Rethinking Model Scaling"
    )
    assert (
        title_key("Transcending Scaling Laws with 0.1% Extra Compute")
        == "transcendingscalinglawswith01extracompute"
    )


# ------------------------------------------------------------------------------ reference data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AI", ("cs.AI", "Artificial Intelligence")),
        ("LG", ("cs.LG", "Machine Learning")),
        ("CL", ("cs.CL", "Computation and Language")),
        ("CV", ("cs.CV", "Computer Vision and Pattern Recognition")),
        ("NE", ("cs.NE", "Neural and Evolutionary Computing")),
        ("SD", ("cs.SD", "Sound")),
        ("AS", ("eess.AS", "Audio and Speech Processing")),
        ("ML", ("stat.ML", "Machine Learning (Statistics)")),
        ("RO", ("cs.RO", "Robotics")),
        ("cs.LG", ("cs.LG", "Machine Learning")),
        ("stat.ML", ("stat.ML", "Machine Learning (Statistics)")),
        ("cs.lg", ("cs.LG", "Machine Learning")),
        ("lg", ("cs.LG", "Machine Learning")),
        ("astro-ph.GA", ("astro-ph.GA", "astro-ph.GA")),
    ],
)
def test_category_info(text, expected):
    assert category_info(text) == expected


def test_unknown_category_is_none():
    assert category_info("XYZ") is None
    assert category_info("") is None


def test_every_arxiv_id_in_the_table_maps_to_itself():
    for arxiv_id, _label in set(CATEGORIES.values()):
        assert category_info(arxiv_id)[0] == arxiv_id


def test_organization_name_expands_known_tags():
    display, aliases = organization_name("deepmind")
    assert display == "Google DeepMind"
    assert "DeepMind" in aliases
    assert organization_name("cmu")[0] == "Carnegie Mellon University"
    assert organization_name("CMU")[0] == "Carnegie Mellon University"
    assert organization_name("fair")[0] == "Meta AI"
    assert organization_name("Carnegie Mellon University")[0] == "Carnegie Mellon University"


def test_unknown_organization_keeps_its_own_text():
    assert organization_name("parameterlab") == ("parameterlab", ())
    assert organization_name("  Some   New Lab ") == ("Some New Lab", ())
