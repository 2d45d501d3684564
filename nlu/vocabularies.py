"""Where the names the NLU recognises come from, and the gazetteer built from them.

- Countries: Babel's CLDR territory names in the six languages (never a hand-typed list),
  Russian case forms generated from them, plus the reviewed alias files
  `nlu/aliases/<lang>.yml` (short forms, demonyms, irregular forms).
- Languages and currencies: Babel's CLDR names, plus `nlu/vocab/<lang>.yml`.
- Sectors: the knowledge base's sector vocabulary (`knowledge/data/sectors.yml`).
- Partner types, financing needs, company sizes: `nlu/vocab/<lang>.yml`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import yaml
from babel import Locale

from nlu import textnorm
from nlu.gazetteer import Gazetteer
from nlu.languages import SUPPORTED_LANGUAGES

NLU_DIR = Path(__file__).resolve().parent
ALIASES_DIR = NLU_DIR / "aliases"
VOCAB_DIR = NLU_DIR / "vocab"

# CLDR territory codes that are not countries (continents, unions, pseudo-territories).
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "AC", "CP", "CQ", "DG", "EA",
                  "IC", "TA", "AQ", "BV", "HM", "UM"}
# Currencies whose CLDR names are worth matching (those of Belt and Road trade).
CURRENCIES = ("USD", "CNY", "EUR", "RUB", "AED", "SAR", "KZT", "GBP", "HKD", "EGP", "UZS",
              "TRY", "INR", "PKR", "IDR", "MYR", "THB", "VND", "NGN", "KES", "ZAR", "BRL",
              "MXN", "XOF", "XAF", "MAD", "DZD", "SGD", "JPY")
EXCLUDE_KEY = "exclude"
CLOSED_VOCABULARIES = ("partner_type", "financing_need", "company_size", "currency",
                       "language")


def country_codes() -> list[str]:
    """ISO 3166-1 alpha-2 codes of the countries and territories CLDR names."""
    territories = Locale.parse("en").territories
    return sorted(
        code for code in territories
        if len(code) == 2 and code.isalpha() and code.isupper() and code not in _NOT_COUNTRIES
    )


def _read_yaml(path: Path) -> dict:  # type: ignore[type-arg]
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def country_names(language: str) -> Iterator[tuple[str, str]]:
    """(code, name) pairs for one language: CLDR names, their forms, reviewed aliases."""
    territories = Locale.parse(language).territories
    aliases = _read_yaml(ALIASES_DIR / f"{language}.yml")
    # CLDR names that are also everyday words in this language ("مالي" = financial):
    # never matched alone; the alias file lists unambiguous ways of naming the country.
    excluded = {textnorm.fold(str(name)) for name in aliases.pop(EXCLUDE_KEY, None) or []}
    for code in country_codes():
        names = [territories.get(code, "")] + [str(a) for a in aliases.get(code, []) or []]
        names = [name for name in names if textnorm.fold(name) not in excluded]
        for name in names:
            if not name:
                continue
            yield code, name
            if language == "ru":
                for form in _russian_forms(name):
                    yield code, form
    unknown = set(aliases) - set(country_codes())
    if unknown:
        raise ValueError(f"{ALIASES_DIR / (language + '.yml')}: unknown codes {sorted(unknown)}")


def _russian_forms(name: str) -> set[str]:
    # Lower-case single words are adjectives (казахстанский); names are capitalised.
    if " " not in name and name[:1].islower():
        adjective = textnorm._ru_adjective_forms(name)
        if adjective:
            return adjective
    return textnorm.russian_forms(name)


def language_names(language: str) -> Iterator[tuple[str, str]]:
    """(code, name) pairs naming our six languages in `language`."""
    names = Locale.parse(language).languages
    for code in SUPPORTED_LANGUAGES:
        name = names.get(code)
        if name:
            yield code, name
            if language == "ru":
                for form in _russian_forms(name):
                    yield code, form


def currency_names(language: str) -> Iterator[tuple[str, str]]:
    """(code, name) pairs of CLDR currency names (and ISO codes) in `language`."""
    names = Locale.parse(language).currencies
    for code in CURRENCIES:
        yield code, code
        if names.get(code):
            yield code, names[code]


def vocabulary_names(language: str, entity: str) -> Iterator[tuple[str, str]]:
    """(value, synonym) pairs of a closed vocabulary from `nlu/vocab/<language>.yml`."""
    table = _read_yaml(VOCAB_DIR / f"{language}.yml").get(entity) or {}
    for value, synonyms in table.items():
        for synonym in synonyms or []:
            yield str(value), str(synonym)


def sector_names(language: str) -> Iterator[tuple[str, str]]:
    """(key, label or synonym) pairs from the knowledge base's sector vocabulary."""
    from knowledge.sectors import load_vocabulary

    vocabulary = load_vocabulary()
    for key in vocabulary.keys:
        label = vocabulary.labels[key].get(language)
        for name in ([label] if label else []) + list(vocabulary.synonyms[key].get(language, ())):
            yield key, name
            if language == "ru":  # "логистикой", "горнодобывающей промышленности"
                for form in _russian_forms(name):
                    yield key, form


PARK_ALIASES = ALIASES_DIR / "parks.yml"
PARKS_FILE = NLU_DIR.parent / "knowledge" / "data" / "parks.yml"


def park_names() -> Iterator[tuple[str, str]]:
    """(park key, name): the knowledge base's names of each park, and reviewed short names.

    A bracketed part of a name ("Sihanoukville Special Economic Zone (SSEZ)") is also a
    name of its own.
    """
    document = _read_yaml(PARKS_FILE)
    records = document.get("parks", []) if isinstance(document, dict) else document or []
    for record in records:
        for name in (record.get("name") or {}).values():
            name = str(name)
            yield record["key"], name
            for part in re.findall(r"[(（]([^()（）]+)[)）]", name):
                yield record["key"], part.strip()
            bare = re.sub(r"\s*[(（][^()（）]*[)）]", "", name).strip()
            if bare != name:
                yield record["key"], bare
    for key, names in _read_yaml(PARK_ALIASES).items():
        for name in names or []:
            yield key, str(name)


def _entries(language: str) -> Iterable[tuple[str, str, str]]:
    for code, name in country_names(language):
        yield "country", code, name
    for code, name in language_names(language):
        yield "language", code, name
    for code, name in currency_names(language):
        yield "currency", code, name
    for key, name in sector_names(language):
        yield "sector", key, name
    for entity in CLOSED_VOCABULARIES:
        for value, name in vocabulary_names(language, entity):
            yield entity, value, name


def source_files() -> list[Path]:
    """Every data file the gazetteer is built from (for fingerprints and staleness)."""
    files = sorted(ALIASES_DIR.glob("*.yml")) + sorted(VOCAB_DIR.glob("*.yml"))
    sectors = NLU_DIR.parent / "knowledge" / "data" / "sectors.yml"
    return files + [path for path in (sectors, PARKS_FILE) if path.exists()]


def fingerprint() -> str:
    """A hash of the gazetteer's data files and code, to invalidate trained caches."""
    digest = hashlib.sha256()
    for path in [*source_files(), Path(textnorm.__file__), NLU_DIR / "gazetteer.py",
                 Path(__file__)]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def build_gazetteer() -> Gazetteer:
    """The gazetteer of every name in the six languages (built once per process)."""
    gazetteer = Gazetteer()
    for language in SUPPORTED_LANGUAGES:
        for entity, value, name in _entries(language):
            gazetteer.add(entity, value, name)
    for key, name in park_names():
        gazetteer.add("park", key, name)
    return gazetteer.compile()


def chinese_words() -> set[str]:
    """Chinese names to add to jieba's dictionary so that they segment as one word."""
    words: set[str] = set()
    for _, name in country_names("zh"):
        words.add(name)
    for _, name in sector_names("zh"):
        words.add(name)
    words.update(name for _, name in park_names())
    for entity in CLOSED_VOCABULARIES:
        words.update(name for _, name in vocabulary_names("zh", entity))
    # Single characters (元, 块) would split ordinary words (元旦, 板块) if forced on jieba.
    return {word for word in words
            if textnorm.has_han(word) and " " not in word and len(word) >= 2}
