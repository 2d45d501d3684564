"""Answer-time language fallback: record text falls back to English; names stay localized."""

from __future__ import annotations

from knowledge.i18n import country_name, localize, region_label, sector_label


def test_record_text_falls_back_to_english_but_names_are_localized():
    name = {"en": "Eastern Industrial Zone", "zh": "东方工业园"}
    assert localize(name, "zh") == "东方工业园"
    assert localize(name, "fr") == "Eastern Industrial Zone"
    assert localize(None, "fr") is None
    assert country_name("ET", "fr") == "Éthiopie"
    assert country_name("ET", "ar") == "إثيوبيا"
    assert sector_label("leather_footwear", "es") == "Cuero y calzado"
    assert region_label("eastern_africa", "ru") == "Восточная Африка"
