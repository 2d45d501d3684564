"""Picking the user's language from multilingual knowledge-base text.

Records carry ``en`` and ``zh`` (sometimes more); other languages fall back to English, while
country, region and sector names are always localized (Babel/CLDR and the sector vocabulary).
"""

from __future__ import annotations

from collections.abc import Mapping

from knowledge.countries import country_name
from knowledge.regions import region_label
from knowledge.sectors import sector_label

__all__ = ["country_name", "localize", "region_label", "sector_label"]


def localize(text: Mapping[str, str] | None, language: str) -> str | None:
    """``text`` in ``language``, else in English, else in any language it has."""
    if not text:
        return None
    return text.get(language) or text.get("en") or next(iter(text.values()), None)
