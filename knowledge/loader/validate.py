"""Record validation: field types, vocabularies, ISO codes, URLs, dates and references."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from knowledge.countries import is_country_code
from knowledge.loader.errors import Problem
from knowledge.loader.files import LINE, strip_lines
from knowledge.regions import is_region
from knowledge.vocab import (
    ACCESS_PATHS,
    BRI_STATUSES,
    CURATED,
    FINANCING_NEEDS,
    INSTRUMENTS,
    LANGUAGES,
    OWNERSHIP_TYPES,
    PARK_STATUSES,
    PARTNER_KINDS,
    REQUIRED_LANGUAGES,
    RISK_DIMENSIONS,
    VERIFICATION,
)

_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]+$|^https?://[^\s/$.?#][^\s]*/\S*$")


class Invalid(ValueError):
    """A field value is invalid (the message says why)."""


@dataclass(frozen=True)
class Context:
    """What references may point to: known countries, sectors and companies."""

    countries: frozenset[str]
    sectors: frozenset[str]
    companies: frozenset[str] = frozenset()


Checker = Callable[[Any, Context], Any]


@dataclass(frozen=True)
class Field:
    """One field of a record: its name, checker and whether it is required."""

    name: str
    check: Checker
    required: bool = False


@dataclass(frozen=True)
class TableSpec:
    """How to validate the records of one data file."""

    file: str
    key: str
    fields: tuple[Field, ...]
    extra: tuple[str, ...] = field(default=())


# --- checkers


def text_(value: Any, _ctx: Context) -> dict[str, str]:
    """Multilingual text: a mapping language -> non-empty string with at least en and zh."""
    if not isinstance(value, dict):
        raise Invalid("must be a mapping of language code to text (at least en and zh)")
    unknown = sorted(set(value) - set(LANGUAGES))
    if unknown:
        raise Invalid(f"unknown language code(s) {unknown}; use {list(LANGUAGES)}")
    for lang in REQUIRED_LANGUAGES:
        if not isinstance(value.get(lang), str) or not value[lang].strip():
            raise Invalid(f"missing '{lang}' text (every text field needs en and zh)")
    if not all(isinstance(v, str) for v in value.values()):
        raise Invalid("every translation must be a string")
    return {k: v.strip() for k, v in value.items() if v.strip()}


def str_(value: Any, _ctx: Context) -> str:
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise Invalid(f"must be text, got {type(value).__name__}")
    text = str(value).strip()
    if not text:
        raise Invalid("must not be empty")
    return text


def int_(value: Any, _ctx: Context) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(f"must be an integer, got {value!r}")
    return value


def year_(value: Any, ctx: Context) -> int:
    year = int_(value, ctx)
    if not 1900 <= year <= 2100:
        raise Invalid(f"{year} is not a plausible year")
    return year


def category_(value: Any, ctx: Context) -> int:
    category = int_(value, ctx)
    if not 0 <= category <= 7:
        raise Invalid(f"OECD categories run from 0 to 7, got {category}")
    return category


def float_(value: Any, _ctx: Context) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Invalid(f"must be a number, got {value!r}")
    if value < 0:
        raise Invalid("must not be negative")
    return float(value)


def bool_(value: Any, _ctx: Context) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"must be true or false, got {value!r}")
    return value


def date_(value: Any, _ctx: Context) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise Invalid(f"{value!r} is not a date (YYYY-MM-DD)") from exc


def url_(value: Any, ctx: Context) -> str:
    text = str_(value, ctx)
    if not _URL.match(text):
        raise Invalid(f"{text!r} is not an http(s) URL")
    return text


def country_(value: Any, ctx: Context) -> str:
    if not is_country_code(value):
        raise Invalid(f"{value!r} is not an ISO 3166-1 alpha-2 code")
    if ctx.countries and value not in ctx.countries:
        raise Invalid(f"country {value!r} is not in countries.yml")
    return str(value)


def sector_(value: Any, ctx: Context) -> str:
    if value not in ctx.sectors:
        raise Invalid(f"{value!r} is not a sector key of sectors.yml")
    return str(value)


def company_(value: Any, ctx: Context) -> str:
    if value not in ctx.companies:
        raise Invalid(f"company {value!r} is not in companies.yml")
    return str(value)


def place_(value: Any, _ctx: Context) -> str:
    if not (is_country_code(value) or (isinstance(value, str) and is_region(value))):
        raise Invalid(f"{value!r} is neither an ISO 3166-1 alpha-2 code nor a region key")
    return str(value)


def one_of(choices: Iterable[str]) -> Checker:
    allowed = tuple(choices)

    def check(value: Any, _ctx: Context) -> str:
        if value not in allowed:
            raise Invalid(f"{value!r} is not one of {list(allowed)}")
        return str(value)

    return check


def list_of(item: Checker, unique: bool = True) -> Checker:
    def check(value: Any, ctx: Context) -> list[Any]:
        if not isinstance(value, list):
            raise Invalid("must be a list")
        out = [item(v, ctx) for v in value]
        if unique and len(set(map(str, out))) != len(out):
            raise Invalid("has duplicate entries")
        return out

    return check


# --- table specs

PROVENANCE = (
    Field("source", url_, required=True),
    Field("as_of", date_, required=True),
    Field("verification", one_of(VERIFICATION), required=True),
    Field("origin", str_),
    Field("quote", str_),
    Field("note", str_),
    Field("unverified_fields", list_of(str_)),
)

COUNTRIES = TableSpec(
    "countries.yml",
    "iso2",
    (
        Field("iso2", country_, required=True),
        Field("iso3", str_),
        Field("name_en", str_, required=True),
        Field("oecd_classified", bool_, required=True),
        Field("oecd_category", category_),
        Field("oecd_previous", category_),
        Field("oecd_note", str_),
        Field("oecd_as_of", date_),
        Field("bri_status", one_of(BRI_STATUSES)),
        Field("bri_source", url_),
        Field("bri_as_of", date_),
        Field("bri_note", str_),
        *PROVENANCE,
    ),
)
RISK_NOTES = TableSpec(
    "country_risk_notes.yml",
    "key",
    (
        Field("key", str_, required=True),
        Field("country", country_, required=True),
        Field("dimension", one_of(RISK_DIMENSIONS), required=True),
        Field("text", text_, required=True),
        *PROVENANCE,
    ),
)
PARKS = TableSpec(
    "parks.yml",
    "key",
    (
        Field("key", str_, required=True),
        Field("name", text_, required=True),
        Field("country", country_, required=True),
        Field("sectors", list_of(sector_)),
        Field("focus", text_),
        Field("developer", str_),
        Field("developer_ownership", one_of(OWNERSHIP_TYPES)),
        Field("chinese_developed", bool_),
        Field("overseas", bool_),
        Field("start_year", year_),
        Field("start_year_note", str_),
        Field("area", str_),
        Field("status", one_of(PARK_STATUSES)),
        Field("status_note", str_),
        Field("ready_built", text_),
        Field("incentives", text_),
        Field("website", url_),
        *PROVENANCE,
    ),
)
FINANCING = TableSpec(
    "financing.yml",
    "key",
    (
        Field("key", str_, required=True),
        Field("institution", text_, required=True),
        Field("program", text_, required=True),
        Field("instrument", one_of(INSTRUMENTS), required=True),
        Field("needs", list_of(one_of(FINANCING_NEEDS))),
        Field("access_path", one_of(ACCESS_PATHS)),
        Field("sme_eligible", bool_),
        Field("eligibility", text_),
        Field("markets", list_of(place_)),
        Field("applicants", list_of(place_)),
        Field("sectors", list_of(sector_)),
        Field("regions_text", str_),
        Field("sectors_text", str_),
        Field("ticket_min", float_),
        Field("ticket_max", float_),
        Field("ticket_currency", one_of(("USD", "EUR", "CNY", "HKD", "SGD"))),
        Field("terms", text_),
        Field("how_to_apply", text_),
        *PROVENANCE,
    ),
)
COMPANIES = TableSpec(
    "companies.yml",
    "key",
    (
        Field("key", str_, required=True),
        Field("kind", one_of(PARTNER_KINDS), required=True),
        Field("subkind", str_),
        Field("name", text_, required=True),
        Field("country", country_),
        Field("ownership", one_of(OWNERSHIP_TYPES)),
        Field("places", list_of(place_)),
        Field("sectors", list_of(sector_)),
        Field("services", text_),
        Field("website", url_),
        Field("contact", str_),
        Field("aliases", list_of(str_)),
        *PROVENANCE,
    ),
)
PROJECTS = TableSpec(
    "projects.yml",
    "key",
    (
        Field("key", str_, required=True),
        Field("company", company_, required=True),
        Field("subsidiary", str_),
        Field("country", country_, required=True),
        Field("sector", sector_, required=True),
        Field("subsector", str_),
        Field("title", text_, required=True),
        Field("year", year_),
        Field("year_end", year_),
        Field("year_kind", str_),
        Field("value_musd_min", float_),
        Field("value_musd_max", float_),
        *PROVENANCE,
    ),
)
SPECS = (COUNTRIES, RISK_NOTES, PARKS, FINANCING, COMPANIES, PROJECTS)


def validate_records(
    spec: TableSpec, records: Any, ctx: Context, display: str | None = None
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Validate the records of one file; return the clean records and the problems found."""
    name = display or spec.file
    if records is None:
        return [], []
    if not isinstance(records, list):
        return [], [Problem(name, None, "the file must contain a list of records")]
    known = {f.name for f in spec.fields} | {LINE}
    clean: list[dict[str, Any]] = []
    problems: list[Problem] = []
    first_seen: dict[str, int] = {}
    for index, raw in enumerate(records, start=1):
        if not isinstance(raw, dict):
            problems.append(Problem(name, f"#{index}", "must be a mapping of fields"))
            continue
        line = raw.get(LINE)
        label = f"'{raw.get(spec.key)}'" if raw.get(spec.key) else f"#{index}"
        record: dict[str, Any] = {}
        found_before = len(problems)
        for unknown in sorted(set(raw) - known):
            problems.append(Problem(name, label, "unknown field", line, unknown))
        for fld in spec.fields:
            value = strip_lines(raw.get(fld.name))
            if value is None or value == "":
                if fld.required:
                    problems.append(Problem(name, label, "is required", line, fld.name))
                continue
            try:
                record[fld.name] = fld.check(value, ctx)
            except Invalid as exc:
                problems.append(Problem(name, label, str(exc), line, fld.name))
        record.setdefault("origin", CURATED)
        key = record.get(spec.key)
        if key is not None:
            if key in first_seen:
                problems.append(
                    Problem(
                        name,
                        label,
                        f"duplicate key (first defined in record #{first_seen[key]})",
                        line,
                        spec.key,
                    )
                )
                continue
            first_seen[key] = index
        record[LINE] = line
        if len(problems) == found_before:
            clean.append(record)
    return clean, problems
