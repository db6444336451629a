"""Field normalization shared by every reader: person names, dates, titles, categories, organizations.

Everything here is a pure function of its arguments (plus two small data files loaded once), so readers
stay simple and the same text always normalizes the same way — which is what keeps graph IRIs stable
across runs and machines. Nothing here knows about any particular listing: the rules are general
conventions of bibliographic text (name particles, suffixes, month names, arXiv classes).
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

from .records import PaperDate, PersonName

__all__ = [
    "CATEGORIES",
    "PARTICLES",
    "category_info",
    "clean_text",
    "clean_title",
    "fold_text",
    "looks_like_organization",
    "name_key",
    "organization_name",
    "parse_date",
    "parse_person_name",
    "person_name_penalty",
    "title_key",
]

# --------------------------------------------------------------------------------------------- text

# Invisible characters that web copy-paste leaves inside titles; they would make two identical titles
# differ, so they are dropped rather than turned into spaces.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
# Separator glyphs that page layouts put around a title (bullets, middle dots, pipes) but never belong
# to the title itself.
_LAYOUT_GLUE = " \t•·|"


# Characters no text should carry: control characters that are not whitespace (NUL, BEL, DEL, C1) are
# dropped; lone surrogates (from JSON escapes such as "\\ud800") and the non-characters U+FFFE/U+FFFF
# become U+FFFD. None of them can be written as UTF-8 or in XML (RDF/XML), so one of them in one title
# would otherwise stop a build or an export.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
_UNENCODABLE = re.compile("[\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Collapse every run of whitespace (including non-breaking spaces) to one space and trim.

    Listings are copied from web pages, so the same sentence can carry tabs, NBSPs or doubled spaces;
    downstream code should never see those differences. Control characters are dropped and characters
    that cannot be encoded become U+FFFD, so whatever a listing holds can be stored and exported.
    """
    if not text.isascii():
        text = text.translate(_INVISIBLE)
    if not text.isprintable():  # rare: only then look for characters to drop or replace
        text = _UNENCODABLE.sub("\ufffd", _CONTROLS.sub("", text))
    return " ".join(text.split())


def clean_title(text: str) -> str:
    """Return a title as it should be displayed: NFC, single spaces, no layout glue around it.

    Real punctuation (colons, question marks, quotes, trailing periods) is kept: it is part of the
    title. Only characters a page layout adds around a title (bullets, middle dots, pipes) are removed
    from its ends.
    """
    cleaned = clean_text(text)
    if not cleaned.isascii():
        cleaned = unicodedata.normalize("NFC", cleaned)
    return cleaned.strip(_LAYOUT_GLUE)


def fold_text(text: str) -> str:
    """Casefold and strip accents ("Schärli" -> "scharli"), the basis of every comparison key."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def title_key(text: str) -> str:
    """The key that recognizes the same paper across listings.

    Case, accents, punctuation and spacing vary between listings of one paper ("Chain-of-Thought" vs
    "Chain of Thought", "Erdős" vs "Erdos"), so only letters and digits survive.
    """
    return "".join(ch for ch in fold_text(text) if ch.isalnum())


# ---------------------------------------------------------------------------------------- names

_PARTICLE_WORDS = (
    "van von der den de del della delle dei degli di da das dos do du des la le lo ter ten te "
    "bin binti bint ibn al el zu zum zur af av"
)
#: Lower-case name particles that begin a family name ("Ludwig van Beethoven", "Diego de Las Casas").
PARTICLES = frozenset(_PARTICLE_WORDS.split())
# Connectors that join parts of a compound family name but never start one ("Ortega y Gasset").
_CONNECTORS = frozenset({"y", "e", "i"})
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
# Words that mark a corporate author ("Gemini Team", "The BigScience Consortium"). A person's name
# practically never contains them as a whole word.
_ORG_WORD_LIST = (
    "team teams lab labs laboratory laboratories consortium collaboration group project initiative "
    "institute inc corporation corp foundation committee alliance society association community "
    "contributors university council center centre organization organisation ltd llc gmbh research "
    "workshop"
)
_ORG_WORDS = frozenset(_ORG_WORD_LIST.split())
# Values some exports write where a corporate author has no given name.
_MISSING = frozenset({"null", "none", "nil", "n/a", "-", ""})
# Prefixes after which a capital letter inside a surname is normal (McDonald, DeVries, LeCun, O'Brien).
_INTERNAL_CAP_PREFIXES = ("Mc", "Mac", "De", "Di", "Da", "Du", "Le", "La", "Van", "Von", "Fitz", "St")
# Footnote marks listings append to names to point at affiliations.
_NAME_MARKS = " \t*†‡§¶#0123456789¹²³⁴⁵⁶⁷⁸⁹⁰"


def _is_suffix(token: str) -> bool:
    return token.casefold() in _SUFFIXES


def _is_particle(token: str) -> bool:
    return token in PARTICLES


def _looks_corporate(text: str) -> bool:
    words = [w.strip(".,()&'\"").casefold() for w in text.split()]
    return any(w in _ORG_WORDS for w in words)


def looks_like_organization(text: str) -> bool:
    """Is ``text`` a corporate author rather than a person?

    True for names with an organization word ("Gemini Team", "BigScience Workshop") and for names of
    the organization gazetteer ("OpenAI", "Google DeepMind"), which carry no such word.
    """
    written = clean_text(text)
    return bool(written) and (_looks_corporate(written) or fold_text(written) in _organization_table())


def _split_first_last(tokens: list[str]) -> tuple[str, str]:
    """Split "First [Middle] [particles] Last [Jr.]" into (given, family)."""
    suffix = ""
    if len(tokens) > 1 and _is_suffix(tokens[-1]):
        suffix = tokens[-1]
        tokens = tokens[:-1]
    if len(tokens) == 1:
        return "", " ".join(filter(None, (tokens[0], suffix)))
    start = len(tokens) - 1
    # The family name starts at the first particle after the given name ("George van den Driessche").
    for index in range(1, len(tokens) - 1):
        if _is_particle(tokens[index]):
            start = index
            break
    given = " ".join(tokens[:start])
    family = " ".join(filter(None, (" ".join(tokens[start:]), suffix)))
    return given, family


@lru_cache(maxsize=16384)
def parse_person_name(text: str) -> PersonName:
    """Split one author string into given and family names.

    Accepts both orders listings use: "Ekin D. Cubuk" and "Cubuk, Ekin D.". Particles go with the
    family name wherever the export put them ("Driessche, George van den" and "George van den
    Driessche" give the same split), suffixes stay with the family name ("King Jr."). Corporate authors
    are recognized by words such as Team/Lab/Consortium, or by an export's placeholder given name
    ("Gemini Team, null"): they become ``is_organization=True`` with the whole name as ``family`` and
    the placeholder dropped from ``as_written``, since "null" is export noise and never a person.
    Results are cached: the same people recur across a listing, and :class:`PersonName` is immutable.
    """
    written = clean_text(text)
    cleaned = written.rstrip(_NAME_MARKS).strip(" ,;")
    if not cleaned:
        return PersonName(as_written=written)
    if "," in cleaned:
        parts = [part.strip() for part in cleaned.split(",")]
        suffix = ""
        kept: list[str] = []
        for index, part in enumerate(parts):
            if index > 0 and _is_suffix(part):
                suffix = part
            else:
                kept.append(part)
        if len(kept) >= 2 and kept[0]:
            family = kept[0]
            given = " ".join(part for part in kept[1:] if part)
            if given.casefold() in _MISSING:
                if looks_like_organization(family) or (
                    len(family.split()) > 1 and not any(_is_particle(t) for t in family.split())
                ):
                    return PersonName(as_written=family, family=family, is_organization=True)
                return PersonName(as_written=family, family=family)
            given_tokens = given.split()
            # Exports sometimes leave the particle with the given name ("Driessche, George van den").
            for index in range(1, len(given_tokens)):
                if _is_particle(given_tokens[index]):
                    family = " ".join([*given_tokens[index:], family])
                    given = " ".join(given_tokens[:index])
                    break
            if suffix:
                family = f"{family} {suffix}"
            return PersonName(as_written=written, given=given, family=family)
        # "John Smith, Jr." or a lone trailing comma: fall through to first-last order.
        cleaned = " ".join(filter(None, (kept[0] if kept else "", suffix)))
    if looks_like_organization(cleaned):
        return PersonName(as_written=written, family=cleaned, is_organization=True)
    given, family = _split_first_last(cleaned.split())
    return PersonName(as_written=written, given=given, family=family)


_KEY_DROP = re.compile(r"[.'\u2019\-\u2010\u2011]")
_KEY_SPACE = re.compile(r"[^\w]+")


def name_key(name: PersonName) -> str:
    """The key under which two spellings of one author are the same author.

    Built from the display form so that "Peng, Daiyi" and "Daiyi Peng" (or particles placed on either
    side of the comma) agree; accents, case, periods, apostrophes and hyphens are ignored ("Sang-hyun"
    = "Sanghyun"). Callers keep persons and organizations apart using ``is_organization``.
    """
    folded = _KEY_DROP.sub("", fold_text(name.display))
    return " ".join(_KEY_SPACE.sub(" ", folded).split())


def _initials_token(token: str) -> bool:
    """Initials such as "D.", "J.R." or "J.-P.": one to three capitals, each followed by a period."""
    if not token.endswith(".") or len(token) > 7:
        return False
    letters = token.replace(".", "").replace("-", "")
    return (
        1 <= len(letters) <= 3
        and letters.isalpha()
        and letters.isupper()
        and (token.count(".") == len(letters))
    )


def _word_penalty(token: str) -> int | None:
    """0 for a normal capitalized name word, 1 for an unusual one, None when no name looks so."""
    if token[0].isupper() and token.isalpha() and (len(token) == 1 or token[1:].islower()):
        return 0  # the common case: "Daiyi", "Olšák"
    parts = re.split(r"[-'\u2019]", token)
    if not parts[0] or not all(parts):
        return None
    if not parts[0][0].isupper():
        return None
    penalty = 0
    for index, part in enumerate(parts):
        if not part.isalpha():
            return None
        rest = part[1:]
        if index > 0 and part.islower():
            continue  # "Sang-hyun"
        if not part[0].isupper():
            return None
        if rest and not rest.islower():
            prefix = next((p for p in _INTERNAL_CAP_PREFIXES if part.startswith(p)), None)
            if prefix is None or len(part) <= len(prefix) + 1:
                return None
            tail = part[len(prefix) :]
            if not (tail[0].isupper() and tail[1:].islower()):
                return None
            penalty += 1
    return penalty


@lru_cache(maxsize=16384)
def person_name_penalty(text: str) -> int | None:
    """How unlikely ``text`` is as one person's name written "First Last"; None when implausible.

    Used to find where a title glued to an author list ends: every candidate split is scored by the
    names it produces. 0 is an ordinary name ("Ekin D. Cubuk", "Sang-hyun Kim", "Miroslav Olšák");
    bare capitals ("TJ Lu"), internal capitals ("DeVries") and one-word names add to the score; words
    no name has (lower-case words other than particles, digits, symbols, glued words such as
    "ModelsJohn") make it None.
    """
    tokens = text.split()
    if not tokens or len(tokens) > 5:
        return None
    if len(tokens) > 1 and _is_suffix(tokens[-1]):
        tokens = tokens[:-1]
    penalty = 1 if len(tokens) == 5 else 0
    words = 0
    for index, token in enumerate(tokens):
        if token in PARTICLES or token in _CONNECTORS:
            if index == len(tokens) - 1:
                return None
            continue
        if _initials_token(token):
            continue
        if token.isalpha() and token.isupper():
            if len(token) > 3:
                return None
            penalty += 1 if len(token) <= 2 else 3
            continue
        word = _word_penalty(token)
        if word is None:
            return None
        penalty += word
        words += 1
    if words == 0:
        return None
    if len(tokens) == 1:
        penalty += 2
    return penalty


# ---------------------------------------------------------------------------------------- dates

_MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    _MONTHS[calendar.month_name[_number].casefold()] = _number
    _MONTHS[calendar.month_abbr[_number].casefold()] = _number
_MONTHS["sept"] = 9

_NUM = r"[0-9]"
_DATE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"({_NUM}{{4}})-({_NUM}{{1,2}})-({_NUM}{{1,2}})(?:[T ][0-9:.+\-Z]*)?"), "ymd"),
    (re.compile(rf"({_NUM}{{4}})[/.]({_NUM}{{1,2}})[/.]({_NUM}{{1,2}})"), "ymd"),
    (re.compile(rf"({_NUM}{{4}})[-/]({_NUM}{{1,2}})"), "ym"),
    (re.compile(rf"({_NUM}{{4}})"), "y"),
    (re.compile(rf"--({_NUM}{{2}})-({_NUM}{{2}})"), "md"),
    (re.compile(rf"([A-Za-z]+)\.? ({_NUM}{{1,2}})(?:st|nd|rd|th)?,? ({_NUM}{{4}})"), "Mdy"),
    (re.compile(rf"({_NUM}{{1,2}})(?:st|nd|rd|th)? ([A-Za-z]+)\.?,? ({_NUM}{{4}})"), "dMy"),
    (re.compile(rf"([A-Za-z]+)\.?,? ({_NUM}{{4}})"), "My"),
    (re.compile(rf"([A-Za-z]+)\.? ({_NUM}{{1,2}})(?:st|nd|rd|th)?"), "Md"),
    (re.compile(rf"({_NUM}{{1,2}})(?:st|nd|rd|th)? ([A-Za-z]+)\.?"), "dM"),
]


def _valid_year(year: int) -> bool:
    return 1000 <= year <= 2999


def _full_date(year: int, month: int, day: int, written: str) -> PaperDate | None:
    if not _valid_year(year):
        return None
    try:
        value = datetime.date(year, month, day)
    except ValueError:
        return None
    return PaperDate(value.isoformat(), "date", written)


def _month_day(month: int, day: int, written: str) -> PaperDate | None:
    # 2000 is a leap year, so Feb 29 is accepted: a year-less date can be any year's Feb 29.
    try:
        datetime.date(2000, month, day)
    except ValueError:
        return None
    return PaperDate(f"--{month:02d}-{day:02d}", "gMonthDay", written)


def parse_date(text: str) -> PaperDate | None:
    """Read a listing's date at its honest precision, or None when it is not a valid date.

    "Jan 31, 2023", "3 Feb 2023", "2023/02/03" and "2023-02-03" are ``xsd:date``; "2023-02" and
    "September 2023" are ``xsd:gYearMonth``; "2023" is ``xsd:gYear``; a date shown without a year
    ("Sep 11") is ``xsd:gMonthDay`` "--09-11" — a year is never guessed, because a listing page's
    "Sep 11" may be any year. Impossible dates ("Feb 30, 2023") give None rather than a nearby day.
    Slash dates with the day or month first ("03/02/2023") are ambiguous and give None.
    """
    written = clean_text(text)
    if not written or len(written) > 40:
        return None
    for pattern, shape in _DATE_PATTERNS:
        match = pattern.fullmatch(written)
        if match is None:
            continue
        groups = match.groups()
        if shape == "ymd":
            return _full_date(int(groups[0]), int(groups[1]), int(groups[2]), written)
        if shape == "ym":
            year, month = int(groups[0]), int(groups[1])
            if _valid_year(year) and 1 <= month <= 12:
                return PaperDate(f"{year:04d}-{month:02d}", "gYearMonth", written)
            return None
        if shape == "y":
            year = int(groups[0])
            return PaperDate(f"{year:04d}", "gYear", written) if _valid_year(year) else None
        if shape == "md":
            return _month_day(int(groups[0]), int(groups[1]), written)
        if shape == "Mdy":
            month = _MONTHS.get(groups[0].casefold())
            return _full_date(int(groups[2]), month, int(groups[1]), written) if month else None
        if shape == "dMy":
            month = _MONTHS.get(groups[1].casefold())
            return _full_date(int(groups[2]), month, int(groups[0]), written) if month else None
        if shape == "My":
            month = _MONTHS.get(groups[0].casefold())
            year = int(groups[1])
            if month and _valid_year(year):
                return PaperDate(f"{year:04d}-{month:02d}", "gYearMonth", written)
            return None
        if shape == "Md":
            month = _MONTHS.get(groups[0].casefold())
            return _month_day(month, int(groups[1]), written) if month else None
        if shape == "dM":
            month = _MONTHS.get(groups[1].casefold())
            return _month_day(month, int(groups[0]), written) if month else None
    return None


# ------------------------------------------------------------------------------- reference data


def _data_rows(filename: str) -> list[list[str]]:
    """Rows of a bundled TSV file, without comments and without its header row."""
    text = resources.files("paperkg").joinpath("data", filename).read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return rows[1:]


def _load_categories() -> tuple[Mapping[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    table: dict[str, tuple[str, str]] = {}
    folded: dict[str, tuple[str, str]] = {}
    for abbreviation, arxiv_id, label in _data_rows("categories.tsv"):
        info = (arxiv_id.strip(), label.strip())
        table[info[0]] = info
        folded[info[0].casefold()] = info
        if abbreviation.strip() not in ("", "-"):
            table[abbreviation.strip()] = info
    return MappingProxyType(table), folded


#: Listing category abbreviations ("LG") and arXiv class ids ("cs.LG") -> (arXiv id, arXiv label).
CATEGORIES, _CATEGORIES_FOLDED = _load_categories()

_ARXIV_ID = re.compile(r"[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]{2}(?:-[a-z]{2})?)?")


def category_info(text: str) -> tuple[str, str] | None:
    """Map a category as written ("LG", "cs.LG", "stat.ML") to (arXiv class id, label).

    Abbreviations are the ones listing pages print before a date; full arXiv ids map to themselves.
    An arXiv-shaped id missing from the table still maps to itself (labelled with its id), since arXiv
    adds classes over time; anything else gives None.
    """
    written = clean_text(text)
    if not written:
        return None
    found = CATEGORIES.get(written) or CATEGORIES.get(written.upper())
    if found is None:
        found = _CATEGORIES_FOLDED.get(written.casefold())
    if found is None and "." in written and _ARXIV_ID.fullmatch(written):
        found = (written, written)
    return found


@lru_cache(maxsize=1)
def _organization_table() -> dict[str, tuple[str, tuple[str, ...]]]:
    table: dict[str, tuple[str, tuple[str, ...]]] = {}
    for row in _data_rows("organizations.tsv"):
        display = row[0].strip()
        aliases = tuple(alias.strip() for alias in row[1].split("|") if alias.strip()) if len(row) > 1 else ()
        unique: dict[str, str] = {fold_text(display): display}
        for alias in aliases:
            unique.setdefault(fold_text(alias), alias)  # first spelling of a case variant wins
        entry = (display, tuple(list(unique.values())[1:]))
        for name in (display, *aliases):
            table.setdefault(fold_text(clean_text(name)), entry)
    return table


def organization_name(tag: str) -> tuple[str, tuple[str, ...]]:
    """Canonical display name and known aliases of an organization tag ("cmu" -> Carnegie Mellon).

    Listings tag papers with short lower-case handles; a small gazetteer of well-known research
    organizations (``data/organizations.tsv``) turns them into names people search for. Unknown tags
    keep their own text as display name and have no aliases, so nothing is invented.
    """
    written = clean_text(tag)
    found = _organization_table().get(fold_text(written))
    if found is None:
        return written, ()
    return found
