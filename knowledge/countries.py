"""ISO 3166-1 alpha-2 codes and localized country names (Babel/CLDR)."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale

#: CLDR territory codes that are not countries.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"})


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code CLDR names (plus ``XK`` for Kosovo)."""
    territories = Locale.parse("en").territories
    codes = {code for code in territories if len(code) == 2 and code.isalpha() and code.isupper()}
    return frozenset(codes - _NOT_COUNTRIES)


def is_country_code(value: object) -> bool:
    """True when ``value`` is an upper-case ISO 3166-1 alpha-2 code."""
    return isinstance(value, str) and value in country_codes()


@lru_cache(maxsize=4096)
def country_name(iso2: str, language: str = "en") -> str:
    """The CLDR name of a country in ``language`` (English, then the code, as fallbacks)."""
    for lang in (language, "en"):
        try:
            name = Locale.parse(lang).territories.get(iso2)
        except (ValueError, TypeError):
            name = None
        if name:
            return name
    return iso2


@lru_cache(maxsize=1)
def iso3_to_iso2() -> dict[str, str]:
    """Map ISO alpha-3 codes to alpha-2 (CLDR territory aliases)."""
    from babel.core import get_global

    aliases = get_global("territory_aliases")
    out: dict[str, str] = {}
    for alias, targets in aliases.items():
        if len(alias) == 3 and alias.isalpha() and targets and is_country_code(targets[0]):
            out[alias] = targets[0]
    out.setdefault("XKV", "XK")
    out.setdefault("XKX", "XK")
    return out


@lru_cache(maxsize=1)
def english_name_index() -> dict[str, str]:
    """Lower-cased English CLDR names (and common variants) -> ISO alpha-2."""
    territories = Locale.parse("en").territories
    index = {name.lower(): code for code, name in territories.items() if is_country_code(code)}
    index.update({alias.lower(): code for alias, code in _ENGLISH_ALIASES.items()})
    return index


def code_for_english_name(name: str) -> str | None:
    """ISO alpha-2 for an English country name as spreadsheets write it, if known."""
    return english_name_index().get(" ".join(name.strip().lower().split()))


_ENGLISH_ALIASES = {
    "Britain": "GB",
    "United Kingdom": "GB",
    "UK": "GB",
    "USA": "US",
    "United States": "US",
    "Russian Federation": "RU",
    "Russia": "RU",
    "Laos": "LA",
    "Lao PDR": "LA",
    "UAE": "AE",
    "United Arab Emirates": "AE",
    "South Korea": "KR",
    "Korea": "KR",
    "North Korea": "KP",
    "Vietnam": "VN",
    "Viet Nam": "VN",
    "Iran": "IR",
    "Syria": "SY",
    "Turkey": "TR",
    "Turkiye": "TR",
    "Türkiye": "TR",
    "Czech Republic": "CZ",
    "Czechia": "CZ",
    "Ivory Coast": "CI",
    "Cote d'Ivoire": "CI",
    "Côte d'Ivoire": "CI",
    "Democratic Republic of the Congo": "CD",
    "DRC": "CD",
    "Congo, Democratic Republic": "CD",
    "Republic of the Congo": "CG",
    "Republic of Congo": "CG",
    "Congo": "CG",
    "Bosnia": "BA",
    "Bosnia and Herzegovina": "BA",
    "Macedonia": "MK",
    "North Macedonia": "MK",
    "Myanmar": "MM",
    "Burma": "MM",
    "Kyrgyzstan": "KG",
    "Kyrgyz Republic": "KG",
    "Brunei": "BN",
    "Trinidad-Tobago": "TT",
    "Trinidad and Tobago": "TT",
    "Sao Tome": "ST",
    "Sao Tome and Principe": "ST",
    "Cape Verde": "CV",
    "Cabo Verde": "CV",
    "East Timor": "TL",
    "Timor-Leste": "TL",
    "Swaziland": "SZ",
    "Eswatini": "SZ",
    "Palestine": "PS",
    "Taiwan": "TW",
    "Hong Kong": "HK",
    "Macau": "MO",
    "Macao": "MO",
    "Micronesia": "FM",
    "Bahamas": "BS",
    "Gambia": "GM",
    "The Gambia": "GM",
    "Kosovo": "XK",
    "Moldova": "MD",
    "Venezuela": "VE",
    "Bolivia": "BO",
    "Tanzania": "TZ",
    "Papua New Guinea": "PG",
    "Saint Lucia": "LC",
    "Antigua and Barbuda": "AG",
    "Antigua-Barbuda": "AG",
    "Guinea-Bissau": "GW",
    "Central African Republic": "CF",
    "Solomon Islands": "SB",
}
