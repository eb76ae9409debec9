"""Name analysis: tokens with roles (given, surname, patronymic, particle, legal form, ...).

Legal forms are canonicalised to one token per family (`OOO`, `LLC`, `Limited Liability
Company`, `S.R.O.`, `GmbH` all become `~llc`), never dropped, so they still count a little.
Leading honorifics and titles are peeled off person names. Transliteration variants share a
consonant skeleton (`yevgeniy`, `evgeny` -> `vgn`).
"""

from __future__ import annotations

import dataclasses
import enum
import re
from functools import lru_cache
from typing import Final

from mypy_extensions import mypyc_attr
from rigour.names import extract_org_types

from watchlist.matching.normalize import (
    is_han_script,
    is_hangul_script,
    is_vowelless_script,
    split_surname,
    tokenize,
)
from watchlist.matching.spelling import respellings, script_respellings


class Role(enum.StrEnum):
    """What a token is in a name; decides its weight and whether it may be missing."""

    NAME = "name"  # any name token when the structure is unknown
    SURNAME = "surname"
    GIVEN = "given"
    PATRONYMIC = "patronymic"
    MIDDLE = "middle"  # a further given name or second surname: may be left out
    PARTICLE = "particle"
    LEGAL = "legal"
    NUMBER = "number"
    INITIAL = "initial"


OPTIONAL_ROLES: Final = frozenset({Role.PATRONYMIC, Role.PARTICLE, Role.LEGAL, Role.MIDDLE})
# Tokens with these roles weigh this much of a name token of the same rarity.
# A middle name weighs this share of a name token of the same rarity (it may be left out).
MIDDLE_SHARE: Final = 0.5
ROLE_WEIGHT: Final = {
    Role.LEGAL: 0.15,
    Role.PARTICLE: 0.2,
    Role.PATRONYMIC: 0.3,
    Role.INITIAL: 0.5,
    Role.MIDDLE: MIDDLE_SHARE,
}


@mypyc_attr(acyclic=True)
@dataclasses.dataclass(frozen=True, slots=True)
class Token:
    """One analysed token."""

    text: str
    role: Role
    skeleton: str
    # The script it was romanised from, where romanising loses something: "abjad" (Arabic,
    # Persian, Hebrew: short vowels unwritten), "korean" or "han" (syllables that many names
    # share, and homophones); "" otherwise.
    script: str = ""
    # The spellings an English romanisation could have for it (Lawrow: lavrov), see
    # `spelling`.
    sounds: tuple[str, ...] = ()

    def __init__(
        self, text: str, role: Role, skeleton: str, script: str = "", sounds: tuple[str, ...] = ()
    ) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "role", role)
        object.__setattr__(self, "skeleton", skeleton)
        object.__setattr__(self, "script", script)
        object.__setattr__(self, "sounds", sounds)

    @property
    def vowelless(self) -> bool:
        """From a script that does not write short vowels."""
        return self.script == "abjad"

    @property
    def ambiguous(self) -> bool:
        """From Han characters or Hangul: one of a few thousand syllables, so the romanised
        text only sounds like the name, and many people's names sound so."""
        return self.script in ("han", "korean")


@mypyc_attr(acyclic=True)
@dataclasses.dataclass(frozen=True, slots=True)
class Analysis:
    """A name broken into tokens with roles."""

    tokens: tuple[Token, ...]
    is_person_form: bool  # written SURNAME, Given
    person: bool = False  # known to be a person's name

    def __init__(
        self, tokens: tuple[Token, ...], is_person_form: bool, person: bool = False
    ) -> None:
        object.__setattr__(self, "tokens", tokens)
        object.__setattr__(self, "is_person_form", is_person_form)
        object.__setattr__(self, "person", person)

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(token.text for token in self.tokens)

    @property
    def key(self) -> str:
        """Exact-match key: the tokens in order, articles aside (weak aliases match only so)."""
        return " ".join(t.text for t in self.tokens if t.role is not Role.PARTICLE)

    @property
    def bare_key(self) -> str:
        """The key without legal forms: what a one-word mention must equal exactly."""
        return " ".join(t.text for t in self.tokens if t.role not in (Role.PARTICLE, Role.LEGAL))


_LEGAL_FAMILIES: Final[dict[str, tuple[str, ...]]] = {
    "~llc": (
        "llc",
        "l l c",
        "limited liability company",
        "limited liability co",
        "ooo",
        "obshchestvo s ogranichennoi otvetstvennostyu",
        "obshchestvo s ogranichennoy otvetstvennostyu",
        "obshestvo s ogranichennoi otvetstvennostyu",
        "tov",
        "sro",
        "s r o",
        "spol s r o",
        "gmbh",
        "sarl",
        "sarlu",
        "s a r l",
        "srl",
        "s r l",
        "sp z o o",
        "kft",
        "doo",
        "d o o",
        "eood",
        "ood",
        "bv",
        "b v",
        "ltd",
        "limited",
        "co ltd",
        "company limited",
        "pty ltd",
        "fze",
        "fzco",
        "fz llc",
        "fzc",
        "l t d",
    ),
    "~jsc": (
        "jsc",
        "joint stock company",
        "ao",
        "zao",
        "oao",
        "pao",
        "pjsc",
        "cjsc",
        "ojsc",
        "public joint stock company",
        "closed joint stock company",
        "open joint stock company",
        "aktsionernoe obshchestvo",
        "publichnoe aktsionernoe obshchestvo",
        "zakrytoe aktsionernoe obshchestvo",
        "otkrytoe aktsionernoe obshchestvo",
        "ag",
        "sa",
        "s a",
        "spa",
        "s p a",
        "nv",
        "n v",
        "plc",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "sa de cv",
        "s a de c v",
        "kk",
        "as",
        "a s",
        "ab",
        "oyj",
        "bhd",
        "sdn bhd",
        "tbk",
        "pt",
    ),
    "~llp": ("llp", "limited liability partnership", "too", "lp", "limited partnership"),
    "~co": ("co", "company", "cie", "et cie", "and co", "and company"),
}
_LEGAL_PHRASES: Final[dict[tuple[str, ...], str]] = {
    tuple(phrase.split()): family
    for family, phrases in _LEGAL_FAMILIES.items()
    for phrase in phrases
}
_LONGEST_LEGAL: Final = max(len(phrase) for phrase in _LEGAL_PHRASES)
_LEGAL_OPENINGS: Final = frozenset(phrase[0] for phrase in _LEGAL_PHRASES)

HONORIFICS: Final = frozenset(
    "mr mrs ms miss mx dr doctor prof professor sir dame lord lady madam president vice "
    "general gen minister colonel col major maj captain capt lieutenant lt sergeant sgt "
    "admiral marshal commander cmdr brigadier sheikh shaykh sheik haji hajji imam mullah "
    "ayatollah sayyid sayyed seyyid seyyed syed sayed "
    "chairman chairwoman premier prime secretary senator governor judge justice "
    "king queen prince princess emir amir deputy ambassador mayor chief director spokesman "
    "spokeswoman envoy leader former ex late defence defense foreign finance interior "
    "treasury".split()
)
PARTICLES: Final = frozenset(
    "al el ul bin ibn bint abu abd de del della der den di da das dos du la le van von ter "
    "st the e".split()
)
_PATRONYMIC: Final = re.compile(
    r"(ovich|evich|yevich|ovych|evych|ovna|evna|yevna|ichna|ogly|oglu|kyzy|qizi|uulu)$"
)


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """A consonant skeleton that transliteration variants share (Shoigu/Shoygu -> sg).

    Double letters are merged first (Mohammed/Muhammad -> mhmd), then digraphs mapped, vowels
    dropped, and a final h (Arabic and Persian ه) left off.
    """
    text = "".join(char for i, char in enumerate(token) if i == 0 or token[i - 1] != char)
    for source, target in _SKELETON_RULES:
        text = text.replace(source, target)
    consonants = "".join(char for char in text if char not in "aeiouy")
    if len(consonants) > 2 and consonants.endswith("h"):
        consonants = consonants[:-1]
    return consonants or token[:1]


_SKELETON_RULES: Final = (
    ("tch", "c"), ("ch", "c"), ("tsch", "c"), ("sch", "s"), ("sh", "s"), ("zh", "z"),
    ("kh", "h"), ("gh", "g"), ("ph", "f"), ("th", "t"), ("dzh", "j"), ("dj", "j"),
    ("ck", "k"), ("q", "k"), ("x", "ks"), ("w", "v"), ("ts", "c"), ("tz", "c"), ("j", "j"),
)  # fmt: skip


@lru_cache(maxsize=4096)  # a mention is analysed to screen it, then again to look it up
def analyze(name: str, *, person: bool | None = None) -> Analysis:
    """Tokens of `name` with roles; `person` says whether it is known to be a person's name.

    A listed person written `SURNAME, Given` gets surname and given roles; further given
    names and second surnames are marked as such. Other names get the neutral role. Titles
    are not removed here (see `query_variants`).
    """
    script = name_script(name)
    abbreviated = {m.lower() for m in _ABBREVIATION.findall(name)} if "." in name else set()
    parts = split_surname(name) if person else None
    if parts is not None:
        surname, given = parts
        tokens = _roles(tokenize(surname), Role.SURNAME, script=script)
        tokens += _roles(tokenize(given), Role.GIVEN, abbreviated, script)
        return Analysis(tokens=_mark_legal(_secondary(tokens)), is_person_form=True, person=True)
    words = tokenize(name)
    if script == "abjad":
        words = _split_articles(_join_suffixes(words))
    tokens = _number_signs(_roles(words, Role.NAME, abbreviated, script))
    if person is False:  # a letter of a firm's name is no one's initial (L-INMO is not Li)
        tokens = tuple(_not_initial(token) for token in tokens)
    phrases = {} if person is True else legal_phrases(name)
    tokens = _series_number(_mark_legal(tokens, phrases))
    return Analysis(tokens=tokens, is_person_form=False, person=person is True)


@lru_cache(maxsize=4096)
def legal_phrases(name: str) -> dict[tuple[str, ...], str]:
    """The legal forms rigour's org-type tables (every jurisdiction) find in a name, as token
    phrases and their family: `Aktiengesellschaft` -> ~jsc, `Gesellschaft mit beschränkter
    Haftung` -> ~llc. Only forms of two words or more, or of five letters or more, are taken:
    shorter ones (`in`, `ep`) are too often words of the name."""
    if not _MAY_HOLD_LEGAL_FORM.search(name):
        return {}
    found: dict[tuple[str, ...], str] = {}
    for text, generic in extract_org_types(" ".join(name.split()), generic=True):
        family = _RIGOUR_FAMILIES.get(generic)
        phrase = tokenize(text)
        if family and phrase and (len(phrase) > 1 or len(phrase[0]) >= _LONG_LEGAL_FORM):
            found[phrase] = family
    return found


_RIGOUR_FAMILIES: Final = {"llc": "~llc", "jsc": "~jsc", "lp": "~llp", "llp": "~llp"}
_LONG_LEGAL_FORM: Final = 5
# Every legal form has a letter after another: a name of single letters and digits has none.
_MAY_HOLD_LEGAL_FORM: Final = re.compile(r"[^\W\d_]{2}|[^\W\d_]\.[^\W\d_]")


def _series_number(tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    """A Roman numeral ending a firm's or fund's name is its series number (`Bain Capital
    Fund XI L.P.`: 11), whatever its letters spell elsewhere (`Xi`)."""
    names = [i for i, token in enumerate(tokens) if token.role is not Role.LEGAL]
    if len(names) < 2:
        return tokens
    last = names[-1]
    value = roman_value(tokens[last].text)
    if value is None:
        return tokens
    number = Token(str(value), Role.NUMBER, str(value))
    return tokens[:last] + (number,) + tokens[last + 1 :]


_ROMAN_DIGITS: Final = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_ROMAN_FORM: Final = re.compile(r"^(x{0,3})(ix|iv|v?i{0,3})$")


def roman_value(text: str) -> int | None:
    """The value of a Roman numeral from 1 to 39 (`xiii` -> 13), else None."""
    if not text or not _ROMAN_FORM.match(text):
        return None
    total = 0
    for i, char in enumerate(text):
        value = _ROMAN_DIGITS[char]
        following = _ROMAN_DIGITS[text[i + 1]] if i + 1 < len(text) else 0
        total += -value if value < following else value
    return total


def name_script(name: str) -> str:
    """The script a name is written in, where romanising it loses something (see
    `Token.script`)."""
    if is_vowelless_script(name):
        return "abjad"
    if is_hangul_script(name):
        return "korean"
    return "han" if is_han_script(name) else ""


def _not_initial(token: Token) -> Token:
    if token.role is not Role.INITIAL:
        return token
    return Token(token.text, Role.NAME, token.skeleton, token.script, token.sounds)


# `Ye. V. Prigozhin`: one or two letters and a full stop abbreviate a given name.
_ABBREVIATION: Final = re.compile(r"(?<![^\W\d_])([^\W\d_]{1,2})\.")
_NUMBER_SIGNS: Final = frozenset({"no", "nr", "number", "num"})


def _number_signs(tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    """`No.` before a number is a sign, not a name (`Kum Song No. 7`)."""
    out = list(tokens)
    for i, token in enumerate(tokens[:-1]):
        if token.text in _NUMBER_SIGNS and tokens[i + 1].role is Role.NUMBER:
            out[i] = dataclasses.replace(token, role=Role.PARTICLE)
    return tuple(out)


def _secondary(tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    """The second and later given names (or surnames) become optional middle names."""
    seen: set[Role] = set()
    out = []
    for token in tokens:
        if token.role in (Role.GIVEN, Role.SURNAME) and token.role in seen:
            token = dataclasses.replace(token, role=Role.MIDDLE)
        seen.add(token.role)
        out.append(token)
    return tuple(out)


def _join_suffixes(words: tuple[str, ...]) -> tuple[str, ...]:
    """Persian writes the suffix -i apart from its word when a space stands for the
    zero-width non-joiner: `khmnh y` (خامنه ای) is one word, Khamenei."""
    out: list[str] = []
    for word in words:
        if out and word in _SUFFIXES:
            out[-1] += word
        else:
            out.append(word)
    return tuple(out)


_SUFFIXES: Final = frozenset({"y", "ay", "ey", "yy"})


def _split_articles(words: tuple[str, ...]) -> tuple[str, ...]:
    """Arabic script glues the article to the name: `lsd` (al-Assad) -> al sd."""
    out: list[str] = []
    for word in words:
        if len(word) >= 3 and word.startswith("l") and word[1] not in "aeiouy":
            out += ["al", word[1:]]
        else:
            out.append(word)
    return tuple(out)


def query_variants(name: str, *, person: bool | None = None) -> tuple[Analysis, ...]:
    """The ways a query may be read: as written, and after its titles when it has some.

    `President Vladimir Putin` and `Kremlin spokesman Dmitry Peskov` are also read from the
    word after their last title; `General Dynamics` keeps its reading as written too, so an
    organisation never loses a word to the title list.
    """
    written = analyze(name, person=person)
    if person is False:
        return (written,)
    words = written.texts
    titles = [i for i, word in enumerate(words[:TITLE_REACH]) if word in HONORIFICS]
    start = titles[-1] + 1 if titles else 0
    if start == 0 or start >= len(words):
        return (written,)
    stripped = Analysis(written.tokens[start:], written.is_person_form, written.person)
    return (stripped, written)


TITLE_REACH: Final = 5  # titles stand within the first words of a mention


def _roles(
    words: tuple[str, ...],
    default: Role,
    abbreviated: frozenset[str] | set[str] = frozenset(),
    script: str = "",
) -> tuple[Token, ...]:
    tokens = []
    for word in words:
        role = _abbreviated_role(word, default, abbreviated)
        tokens.append(Token(word, role, skeleton(word), script, _sounds(word, role, script)))
    return tuple(tokens)


def _sounds(word: str, role: Role, script: str) -> tuple[str, ...]:
    """The other spellings of a word (see `spelling`): by its script's romanisation when it
    was written in Hangul or Arabic script, else by other languages' orthographies."""
    if role in _UNSPELLED:
        return ()
    if script in ("abjad", "korean"):
        return script_respellings(word, script)
    return respellings(word) if len(word) >= _SPELLED else ()


# Tokens whose spelling in other languages is not a question; and the shortest word that is
# respelled (a shorter one respells into too many others: Schou would become Zhou).
_UNSPELLED: Final = (Role.NUMBER, Role.INITIAL, Role.LEGAL, Role.PARTICLE)
_SPELLED: Final = 6


def _abbreviated_role(word: str, default: Role, abbreviated: frozenset[str] | set[str]) -> Role:
    return Role.INITIAL if word in abbreviated else _role(word, default)


def _role(word: str, default: Role) -> Role:
    if word.isdigit() or any(char.isdigit() for char in word):
        return Role.NUMBER
    if word in PARTICLES:
        return Role.PARTICLE
    if len(word) == 1:
        return Role.INITIAL
    if len(word) >= 7 and _PATRONYMIC.search(word) and default is not Role.SURNAME:
        return Role.PATRONYMIC
    return default


def _mark_legal(
    tokens: tuple[Token, ...], found: dict[tuple[str, ...], str] | None = None
) -> tuple[Token, ...]:
    """Replace legal-form phrases anywhere in the name by their family token (`found`: the
    ones rigour's tables found in it, for the forms the engine's own families lack)."""
    texts = [token.text for token in tokens]
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        family, length = _legal_at(texts, index)  # the engine's own families come first
        if family is None and found:
            family, length = _found_at(texts, index, found)
        if family and len(tokens) > length:
            out.append(Token(family, Role.LEGAL, family))
            index += length
        else:
            out.append(tokens[index])
            index += 1
    return tuple(out)


def _found_at(
    texts: list[str], index: int, found: dict[tuple[str, ...], str]
) -> tuple[str | None, int]:
    for phrase, family in sorted(found.items(), key=_longest_first):
        if tuple(texts[index : index + len(phrase)]) == phrase:
            return family, len(phrase)
    return None, 0


def _longest_first(item: tuple[tuple[str, ...], str]) -> int:
    return -len(item[0])


def is_legal_form(word: str) -> bool:
    """Whether a folded word is a legal form on its own (`inc`, `llc`, `gmbh`)."""
    return (word,) in _LEGAL_PHRASES


def _legal_at(texts: list[str], index: int) -> tuple[str | None, int]:
    if texts[index] not in _LEGAL_OPENINGS:  # most words start no legal form
        return None, 0
    for length in range(min(_LONGEST_LEGAL, len(texts) - index), 0, -1):
        family = _LEGAL_PHRASES.get(tuple(texts[index : index + length]))
        if family:
            return family, length
    return None, 0
