"""Region keys (UN M49 regions and sub-regions, plus groupings) and the countries they name.

``resolve_place("KE")`` -> ``{"KE"}``; ``resolve_place("eastern_africa")`` -> the M49 members;
``resolve_place("asean")`` -> the ASEAN members. Read once from ``data/regions.yml``.

A grouping may list its countries (``countries``) or select them from ``data/countries.yml``
by a field (``countries_from``): ``belt_and_road`` is every country whose Belt and Road
status is recorded there with a source, so it grows with that file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml
from babel import Locale

from knowledge.config import DATA_DIR
from knowledge.countries import is_country_code

REGIONS_FILE = DATA_DIR / "regions.yml"
COUNTRIES_FILE = DATA_DIR / "countries.yml"
WORLD = "world"


@dataclass(frozen=True)
class Region:
    """A region key with its level, UN M49 code (if any) and member countries."""

    key: str
    level: str
    m49: str | None
    parent: str | None
    countries: frozenset[str]
    labels: dict[str, str]
    source: str
    as_of: str


class UnknownPlaceError(ValueError):
    """Raised for a place that is neither an ISO alpha-2 code nor a region key."""


@lru_cache(maxsize=1)
def load_regions() -> dict[str, Region]:
    """All regions by key (cached; the file is immutable at run time)."""
    with REGIONS_FILE.open(encoding="utf-8") as handle:
        doc = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    regions: dict[str, Region] = {}
    for item in doc["regions"]:
        regions[item["key"]] = Region(
            key=item["key"],
            level=item["level"],
            m49=str(item["m49"]).zfill(3),
            parent=item.get("parent"),
            countries=frozenset(item["countries"]),
            labels={},
            source=doc["source"],
            as_of=str(doc["as_of"]),
        )
    for item in doc["groupings"]:
        countries = (_countries_where(**item["countries_from"]) if "countries_from" in item
                     else frozenset(item["countries"]))
        regions[item["key"]] = Region(
            key=item["key"],
            level="grouping",
            m49=None,
            parent=None,
            countries=countries,
            labels=dict(item["labels"]),
            source=item["source"],
            as_of=str(item["as_of"]),
        )
    return regions


def _countries_where(field: str, values: list[str]) -> frozenset[str]:
    """ISO codes of the records of ``countries.yml`` whose ``field`` is one of ``values``."""
    with COUNTRIES_FILE.open(encoding="utf-8") as handle:
        records = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return frozenset(record["iso2"] for record in records or []
                     if record.get(field) in set(values) and is_country_code(record["iso2"]))


@lru_cache(maxsize=1)
def country_regions() -> dict[str, dict[str, str]]:
    """For each ISO code, its M49 ``region``, ``subregion`` and ``intermediate`` keys."""
    out: dict[str, dict[str, str]] = {}
    for region in load_regions().values():
        if region.level == "grouping":
            continue
        for iso in region.countries:
            out.setdefault(iso, {})[region.level] = region.key
    return out


def is_region(key: str) -> bool:
    """True for ``world`` and every region or grouping key."""
    return key == WORLD or key in load_regions()


def is_place(value: str) -> bool:
    """True for an ISO alpha-2 country code or a region key."""
    return is_country_code(value) or is_region(value)


def normalise_place(value: str) -> str:
    """Upper-case a country code, lower-case a region key; raise for anything else."""
    text = value.strip()
    if is_country_code(text.upper()):
        return text.upper()
    lowered = text.lower().replace("-", "_").replace(" ", "_")
    if is_region(lowered):
        return lowered
    raise UnknownPlaceError(f"{value!r} is neither an ISO 3166-1 alpha-2 code nor a region key")


def resolve_place(value: str | None) -> frozenset[str] | None:
    """The set of ISO codes a country code or region key names; ``None`` for no restriction."""
    if value is None or value == "":
        return None
    place = normalise_place(value)
    if place == WORLD:
        return None
    if is_country_code(place):
        return frozenset({place})
    return load_regions()[place].countries


def places_containing(iso2: str) -> frozenset[str]:
    """Every place key that contains ``iso2`` (itself, its regions and groupings, ``world``)."""
    return _containing().get(iso2, frozenset({iso2, WORLD}))


@lru_cache(maxsize=1)
def _containing() -> dict[str, frozenset[str]]:
    acc: dict[str, set[str]] = {}
    for region in load_regions().values():
        for iso in region.countries:
            acc.setdefault(iso, {iso, WORLD}).add(region.key)
    return {iso: frozenset(keys) for iso, keys in acc.items()}


def region_label(key: str, language: str = "en") -> str:
    """Localized name of a region key (CLDR by M49 code; the YAML labels for groupings)."""
    if key == WORLD:
        code: str | None = "001"
        labels: dict[str, str] = {}
    else:
        region = load_regions()[key]
        code, labels = region.m49, region.labels
    if labels:
        return labels.get(language) or labels["en"]
    try:
        name = Locale.parse(language).territories.get(code or "")
    except (ValueError, TypeError):
        name = None
    return name or Locale.parse("en").territories.get(code or "", key)
