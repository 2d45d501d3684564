"""Script-aware text normalisation for matching names in user messages.

Matching "Egypte" to "Égypte", "الامارات" to "الإمارات" or "Казахстане" to "Казахстан"
needs the same normalisation on both sides. Normalisation keeps a map from every normalised
character back to its position in the original text, so that matches can be reported as
spans of what the user wrote.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

# Arabic diacritics (tashkeel), the superscript alef and the tatweel carry no meaning for
# matching; hamza carriers and final forms are folded the way Arabic search engines do.
_ARABIC_DROP = {chr(c) for c in range(0x064B, 0x0660)} | {"\u0670", "\u0640"}
_ARABIC_FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي",
}
_WORD = re.compile(r"\w+", re.UNICODE)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Normalized:
    """Normalised text and, for each of its characters, the index in the original."""

    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised [start, end) span back to the original text."""
        return self.origin[start], self.origin[end - 1] + 1


# Cached: folding is per character, and compiling the city names folds millions of them.
def _spelling_char(char: str) -> str:
    """One character with the meaningless spelling variants folded (Arabic, ё)."""
    if char in _ARABIC_DROP:
        return ""
    return _ARABIC_FOLD.get(char, "е" if char in "ёЁ" else char)


@cache
def _fold_char(char: str) -> str:
    spelled = _spelling_char(char)
    if spelled != char:
        return spelled
    if char in "’‘`´ʼ":
        return "'"
    decomposed = unicodedata.normalize("NFKD", char)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    # NFKD would turn Arabic presentation forms and full-width letters into their base
    # letters too; fold again in case that produced an Arabic letter we fold.
    base = "".join(_ARABIC_FOLD.get(c, c) for c in base if c not in _ARABIC_DROP)
    return base.casefold()


def normalize(text: str) -> Normalized:
    """Casefold, strip accents and diacritics, fold Arabic letter variants and ё."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        out.append(folded)
        origin.extend([index] * len(folded))
    return Normalized("".join(out), tuple(origin))


def fold(text: str) -> str:
    """The normalised form of `text` alone (for building lookup keys)."""
    return normalize(text).text


def fold_spelling(text: str) -> str:
    """Lower-cased `text` with the spelling variants that carry no meaning folded: Arabic
    diacritics, tatweel and letter variants (أ/إ/آ → ا, ة → ه, ى → ي), and ё → е. Unlike
    `fold`, Latin accents stay: in French and Spanish they tell words apart (sûr/sur,
    où/ou, sí/si)."""
    return "".join(map(_spelling_char, text)).lower()


def words(text: str) -> list[tuple[str, int, int]]:
    """Word tokens of a normalised text with their [start, end) offsets."""
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def has_han(text: str) -> bool:
    """Whether `text` contains Chinese characters (matched by substring, not by word)."""
    return bool(_HAN.search(text))


def is_arabic_word(word: str) -> bool:
    return bool(word) and "\u0600" <= word[0] <= "\u06ff"


def arabic_variants(word: str) -> list[str]:
    """A normalised Arabic word and its forms without attached clitics.

    و/ف (and, so) then ب/ل/ك (in, for, like) attach to the next word; ل before the
    article drops the article's alef ("للسعودية" = ل + السعودية); the article itself is
    tried without too. Only stems of at least three letters are kept, so short words are
    not stripped into noise.
    """
    variants = [word]
    stems = [word]
    if len(word) > 3 and word[0] in "وف":
        stems.append(word[1:])
    for stem in list(stems):
        if len(stem) > 3 and stem.startswith("لل"):
            stems.append("ال" + stem[2:])
        elif len(stem) > 3 and stem[0] in "بلك":
            stems.append(stem[1:])
    for stem in list(stems):
        # The article: "الإماراتي" is the demonym "إماراتي" made definite.
        if len(stem) >= 5 and stem.startswith("ال"):
            stems.append(stem[2:])
    for stem in stems:
        if stem not in variants and len(stem) >= 3:
            variants.append(stem)
    return variants


_RU_VOWELS = set("аеёиоуыэюя")
_RU_VELAR_SIBILANT = set("гкхжшчщ")


def _ru_noun_forms(word: str) -> set[str]:
    """Regular case forms of a Russian proper noun in the singular (or plural in -ы/-и)."""
    forms = {word}
    if len(word) < 3 or word.isupper():
        return forms  # abbreviations (ОАЭ, ЮАР) do not decline
    last = word[-1]
    stem = word[:-1]
    if word.endswith("ия"):
        forms |= {stem + "и", stem + "ю", stem + "ей"}
    elif last == "я":
        forms |= {stem + "и", stem + "е", stem + "ю", stem + "ей"}
    elif last == "а" and stem[-1:].lower() in _RU_VOWELS:
        pass  # Самоа, Гвинея-Бисау-like names ending in a vowel + а do not decline
    elif last == "а":
        gen = "и" if stem[-1:] in _RU_VELAR_SIBILANT else "ы"
        forms |= {stem + gen, stem + "е", stem + "у", stem + "ой"}
    elif last in "ьй":
        forms |= {stem + "я", stem + "ю", stem + "е", stem + "ем", stem + "и"}
    elif last == "ы":
        # plural names: Филиппины -> Филиппин, Филиппинам, Филиппинах
        forms |= {stem, stem + "ам", stem + "ах", stem + "ами"}
    elif last not in _RU_VOWELS:
        forms |= {word + "а", word + "у", word + "е", word + "ом"}
    return forms


def _ru_adjective_forms(word: str) -> set[str] | None:
    """Case forms of a Russian adjective in a country name (Саудовская, Южный)."""
    endings = {
        "ая": ["ой", "ую"],
        "яя": ["ей", "юю"],
        "ий": ["ого", "ому", "ом", "им"],
        "ый": ["ого", "ому", "ом", "ым"],
        "ое": ["ого", "ому", "ом", "ым"],
        "ие": ["их", "им", "ими"],
        "ые": ["ых", "ым", "ыми"],
    }
    for ending, others in endings.items():
        if word.endswith(ending) and len(word) > 4:
            stem = word[: -len(ending)]
            return {word} | {stem + other for other in others}
    return None


def russian_forms(name: str) -> set[str]:
    """Regular inflected forms of a normalised Russian name (one or several words).

    Irregular forms (Египет -> Египта) belong in the reviewed alias file.
    """
    parts = name.split(" ")
    if len(parts) > 4:
        return {name}
    options: list[set[str]] = []
    for part in parts:
        adjective = _ru_adjective_forms(part) if len(parts) > 1 else None
        options.append(adjective or _ru_noun_forms(part))
    return {" ".join(combo) for combo in itertools.product(*options)}


def is_cyrillic_word(word: str) -> bool:
    return bool(word) and "\u0400" <= word[0] <= "\u04ff"
