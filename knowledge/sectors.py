"""The sector vocabulary (``data/sectors.yml``): keys, labels, synonyms, ISIC codes, relations.

No database is needed: the NLU component that normalises sector entities calls
:func:`load_vocabulary` and :meth:`SectorVocabulary.normalise`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import yaml

from knowledge.config import DATA_DIR
from knowledge.vocab import LANGUAGES

SECTORS_FILE = DATA_DIR / "sectors.yml"

#: The keys fixed by nlu/README.md, in its order.
SECTOR_KEYS = (
    "agriculture",
    "food_beverage",
    "textiles_apparel",
    "leather_footwear",
    "wood_furniture",
    "paper_packaging",
    "chemicals",
    "pharmaceuticals",
    "plastics_rubber",
    "building_materials",
    "metals",
    "mining",
    "machinery",
    "automotive",
    "electronics",
    "electrical_equipment",
    "home_appliances",
    "medical_devices",
    "renewable_energy",
    "power",
    "oil_gas",
    "construction",
    "transport_logistics",
    "telecom",
    "software_it",
    "ecommerce_retail",
    "tourism_hospitality",
    "healthcare",
    "education",
    "financial_services",
    "real_estate",
)


def fold(text: str) -> str:
    """Case- and width-folded text with collapsed spaces (the key synonyms are matched by)."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class SectorVocabulary:
    """The sector vocabulary, read-only.

    ``labels[key][lang]`` and ``synonyms[key][lang]`` cover the six languages; ``related[key]``
    lists related sector keys; ``isic[key]`` the ISIC Rev.4 codes.
    """

    keys: tuple[str, ...]
    labels: Mapping[str, Mapping[str, str]]
    synonyms: Mapping[str, Mapping[str, tuple[str, ...]]]
    related: Mapping[str, tuple[str, ...]]
    isic: Mapping[str, tuple[str, ...]]
    source: str
    as_of: str
    verification: str
    _index: Mapping[str, Mapping[str, str]] = field(repr=False, default_factory=dict)

    def label(self, key: str, language: str = "en") -> str:
        """The label of ``key`` in ``language`` (English when missing)."""
        labels = self.labels[key]
        return labels.get(language) or labels["en"]

    def normalise(self, text: str, language: str | None = None) -> str | None:
        """The sector key a user's word names (a key, label or synonym), or ``None``.

        With ``language`` the synonyms of that language are tried first, then all languages.
        """
        folded = fold(text)
        if folded in self.labels:
            return folded
        order = [language] if language in self._index else []
        order += [lang for lang in LANGUAGES if lang not in order]
        for lang in order:
            key = self._index[lang].get(folded)
            if key:
                return key
        return None

    def with_related(self, key: str) -> tuple[str, ...]:
        """``key`` followed by its related sectors."""
        return (key, *self.related.get(key, ()))


def _freeze(doc: dict) -> SectorVocabulary:
    labels: dict[str, Mapping[str, str]] = {}
    synonyms: dict[str, Mapping[str, tuple[str, ...]]] = {}
    related: dict[str, tuple[str, ...]] = {}
    isic: dict[str, tuple[str, ...]] = {}
    index: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    for item in doc["sectors"]:
        key = item["key"]
        labels[key] = MappingProxyType(dict(item["labels"]))
        synonyms[key] = MappingProxyType(
            {lang: tuple(str(s) for s in item["synonyms"].get(lang, ())) for lang in LANGUAGES}
        )
        related[key] = tuple(item.get("related", ()))
        isic[key] = tuple(str(code) for code in item["isic"])
        for lang in LANGUAGES:
            for word in (item["labels"].get(lang, ""), *synonyms[key][lang]):
                if word:
                    index[lang].setdefault(fold(word), key)
    return SectorVocabulary(
        keys=tuple(labels),
        labels=MappingProxyType(labels),
        synonyms=MappingProxyType(synonyms),
        related=MappingProxyType(related),
        isic=MappingProxyType(isic),
        source=str(doc.get("source", "")),
        as_of=str(doc.get("as_of", "")),
        verification=str(doc.get("verification", "needs_check")),
        _index=MappingProxyType({lang: MappingProxyType(m) for lang, m in index.items()}),
    )


def read_sectors_file(path: Path = SECTORS_FILE) -> dict:
    """The raw YAML document of the sector vocabulary."""
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@lru_cache(maxsize=4)
def _load(path: str) -> SectorVocabulary:
    return _freeze(read_sectors_file(Path(path)))


def load_vocabulary(path: Path | None = None) -> SectorVocabulary:
    """The sector vocabulary from ``sectors.yml`` (cached; no database needed)."""
    return _load(str(path or SECTORS_FILE))


def sector_label(key: str, language: str = "en") -> str:
    """Localized label of a sector key."""
    return load_vocabulary().label(key, language)
