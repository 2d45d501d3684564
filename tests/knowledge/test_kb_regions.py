"""Region keys: UN M49 (sub-)regions and groupings name sets of countries."""

from __future__ import annotations

import pytest

from knowledge.regions import (
    UnknownPlaceError,
    normalise_place,
    region_label,
    resolve_place,
)


def test_m49_subregions_and_groupings_resolve_to_their_countries():
    assert {"KE", "ET", "TZ", "UG"} <= resolve_place("eastern_africa")
    assert {"KZ", "UZ", "KG", "TJ", "TM"} == resolve_place("central_asia")
    assert {"VN", "TH", "ID", "TL"} <= resolve_place("south_eastern_asia")
    assert {"SA", "AE", "TR"} <= resolve_place("western_asia")
    assert resolve_place("gcc") == {"AE", "BH", "KW", "OM", "QA", "SA"}
    assert len(resolve_place("asean")) == 11 and "TL" in resolve_place("asean")
    assert {"EG", "IR", "SA"} <= resolve_place("middle_east")


def test_a_country_code_resolves_to_itself_and_world_to_no_restriction():
    assert resolve_place("ke") == {"KE"}
    assert resolve_place("world") is None
    assert resolve_place(None) is None


def test_unknown_places_are_rejected():
    with pytest.raises(UnknownPlaceError):
        normalise_place("atlantis")


@pytest.mark.parametrize(
    ("key", "language", "expected"),
    [
        ("eastern_africa", "zh", "东非"),
        ("central_asia", "ru", "Центральная Азия"),
        ("asean", "zh", "东盟"),
        ("middle_east", "ar", "الشرق الأوسط"),
    ],
)
def test_region_names_are_localized(key, language, expected):
    assert region_label(key, language) == expected
