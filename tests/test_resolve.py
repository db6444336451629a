"""Resolution rules: same paper, same person, same organization — and the merges that must NOT happen."""

from __future__ import annotations

from paperkg.records import PaperDate, PersonName, Record
from paperkg.resolve import ListingInput, given_compatible, given_tokens, resolve, title_key


def person(given: str, family: str, written: str | None = None) -> PersonName:
    return PersonName(written or f"{given} {family}", given, family)


def rec(title: str, *authors: PersonName, source: str = "a.txt", line: int = 1, fmt: str = "lab-list",
        **fields) -> Record:
    return Record(title=title, source=source, line=line, format=fmt, authors=list(authors), **fields)


def listing(listing_id: str, *records: Record, fmt: str = "lab-list", owner: PersonName | None = None):
    return ListingInput(id=listing_id, path=listing_id, format=fmt, sha256="0" * 64, records=list(records),
                        owner=owner)


def test_title_key_folds_case_accents_and_punctuation():
    assert title_key("Erdős Problems: A Study") == title_key("erdos problems - a study")
    assert title_key("CIFAR-10 results") != title_key("CIFAR-100 results")


def test_given_name_compatibility():
    assert given_compatible(given_tokens("Quoc"), given_tokens("Quoc V."))
    assert given_compatible(given_tokens("D."), given_tokens("David R."))
    assert given_tokens("VS") == ("v", "s")
    assert not given_compatible(given_tokens("Jason"), given_tokens("Jerry"))
    assert not given_compatible(given_tokens("Steven"), given_tokens("Huaixiu Steven"))


def test_same_paper_in_two_listings_is_one_node_with_both_sources_and_the_full_author_list():
    truncated = rec("Long-form factuality in large language models",
                    person("Jerry", "Wei"), person("Chengrun", "Yang"), line=7, authors_complete=False,
                    date=PaperDate("2024-03-27", "date", "Mar 27, 2024"), has_code=True)
    full = rec("Long-form Factuality in Large Language Models",
               person("Jerry", "Wei", "Wei, Jerry"), person("Chengrun", "Yang", "Yang, Chengrun"),
               person("Xinying", "Song", "Song, Xinying"), source="b.txt", line=5, fmt="profile-export",
               authors_complete=True, abstract="Long abstract.")
    result = resolve([listing("a.txt", truncated), listing("b.txt", full, fmt="profile-export")])
    assert len(result.papers) == 1
    paper = next(iter(result.papers.values()))
    assert [(s.listing, s.line) for s in paper.sources] == [("b.txt", 5), ("a.txt", 7)]
    assert [a.name_as_written for a in paper.authorships] == ["Wei, Jerry", "Yang, Chengrun", "Song, Xinying"]
    assert [a.position for a in paper.authorships] == [1, 2, 3]
    assert paper.author_count == 3 and paper.authors_complete is True
    assert paper.date.lexical == "2024-03-27" and paper.has_code is True
    assert paper.abstract == "Long abstract."
    assert len(result.people) == 3


def test_count_only_listing_marks_a_shorter_list_incomplete():
    names = rec("Paper X", person("Ann", "Lee"), person("Bo", "Chen"), authors_complete=False)
    count = rec("Paper X", source="c.txt", fmt="daily-papers", author_count=10, upvotes=4)
    paper = next(iter(resolve([listing("a.txt", names), listing("c.txt", count)]).papers.values()))
    assert paper.author_count == 10 and paper.authors_complete is False and paper.upvotes == 4


def test_variants_merge_with_shared_coauthor_evidence():
    a = rec("Paper A", person("Daiyi", "Peng"), person("Quoc V.", "Le"))
    b = rec("Paper B", person("Daiyi", "Peng"), person("Quoc", "Le"), line=4)
    people = resolve([listing("a.txt", a, b)]).people
    assert sorted(p.name for p in people.values()) == ["Daiyi Peng", "Quoc V. Le"]


def test_profile_export_is_evidence_even_without_a_shared_coauthor():
    owner = person("Daiyi", "Peng", "Peng, Daiyi")
    a = rec("Paper A", person("Andrew M.", "Dai"), person("Ann", "Lee"), fmt="profile-export")
    b = rec("Paper B", person("Andrew", "Dai"), person("Bo", "Chen"), fmt="profile-export", line=4)
    people = resolve([listing("p.txt", a, b, fmt="profile-export", owner=owner)]).people
    assert "Andrew M. Dai" in {p.name for p in people.values()}
    assert "Andrew Dai" not in {p.name for p in people.values()}


def test_same_initials_on_unrelated_papers_stay_apart():
    a = rec("Paper A", person("J.", "Smith"), person("Ann", "Lee"))
    b = rec("Paper B", person("John", "Smith"), person("Bo", "Chen"), line=4)
    names = sorted(p.name for p in resolve([listing("a.txt", a, b)]).people.values())
    assert names == ["Ann Lee", "Bo Chen", "J. Smith", "John Smith"]


def test_ambiguous_short_form_is_not_merged():
    a = rec("Paper A", person("Quoc", "Le"), person("Ann", "Lee"))
    b = rec("Paper B", person("Quoc V.", "Le"), person("Ann", "Lee"), line=4)
    c = rec("Paper C", person("Quoc A.", "Le"), person("Ann", "Lee"), line=7)
    names = sorted(p.name for p in resolve([listing("a.txt", a, b, c)]).people.values())
    assert names == ["Ann Lee", "Quoc A. Le", "Quoc Le", "Quoc V. Le"]


def test_two_compatible_names_on_one_paper_are_two_people():
    a = rec("Paper A", person("Y.", "Liu"), person("Yang", "Liu"))
    b = rec("Paper B", person("Yang", "Liu"), person("Y.", "Liu"), line=4)
    assert len(resolve([listing("a.txt", a, b)]).people) == 2


def test_corporate_author_becomes_an_organization():
    team = PersonName("Gemini Team, null", "", "Gemini Team", is_organization=True)
    paper = rec("Gemini", team, person("Rohan", "Anil", "Anil, Rohan"), fmt="profile-export")
    result = resolve([listing("p.txt", paper, fmt="profile-export")])
    assert [o.name for o in result.organizations.values()] == ["Gemini Team"]
    assert [p.name for p in result.people.values()] == ["Rohan Anil"]
    first = next(iter(result.papers.values())).authorships[0]
    assert first.is_organization and first.position == 1


def test_iri_slugs_are_stable_when_a_fuller_variant_arrives():
    before = resolve([listing("a.txt", rec("Paper B", person("Quoc", "Le"), person("Daiyi", "Peng")))])
    after = resolve([
        listing("a.txt", rec("Paper B", person("Quoc", "Le"), person("Daiyi", "Peng"))),
        listing("b.txt", rec("Paper A", person("Quoc V.", "Le"), person("Daiyi", "Peng"))),
    ])
    slug_before = {p.name: p.slug for p in before.people.values()}["Quoc Le"]
    slug_after = {p.name: p.slug for p in after.people.values()}["Quoc V. Le"]
    assert slug_before == slug_after == "quoc-le"


def test_resolution_is_independent_of_listing_order():
    a = listing("a.txt", rec("Paper A", person("Quoc V.", "Le"), person("Daiyi", "Peng")))
    b = listing("b.txt", rec("Paper B", person("Quoc", "Le"), person("Daiyi", "Peng"), source="b.txt"))
    one, two = resolve([a, b]), resolve([b, a])
    assert sorted((p.slug, p.name) for p in one.people.values()) == sorted(
        (p.slug, p.name) for p in two.people.values())
    assert sorted(one.papers) == sorted(two.papers)


def test_entities_whose_names_differ_only_in_symbols_get_distinct_iris():
    from paperkg.extract import Extraction, Mention
    from paperkg.mapping import EntityIndex, IriMinter, entity_slug

    def mention(name):
        return Mention("Benchmark", name, 0, len(name), "abstract", name, (), False, "test")

    registry = EntityIndex()
    for name in ("GSM8K", "GSM8K+", "GSM8K", "C++"):
        registry.add(Extraction(mentions=[mention(name)]))
    nodes = registry.nodes(IriMinter("https://example.org/"))
    iris = {node.label: node.iri for node in nodes.values()}
    assert iris["GSM8K"] == "https://example.org/benchmark/gsm8k"
    assert iris["GSM8K+"] == "https://example.org/benchmark/gsm8k-plus"
    assert entity_slug("C++") == "c-plus-plus"
    assert len(set(iris.values())) == 3
