"""The sector vocabulary: the NLU contract's keys, six languages, useful synonyms."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from knowledge.config import REPO_ROOT
from knowledge.sectors import SECTOR_KEYS, fold, load_vocabulary
from knowledge.vocab import LANGUAGES


def nlu_readme_keys() -> list[str]:
    text = (REPO_ROOT / "nlu" / "README.md").read_text(encoding="utf-8")
    block = text.split("Sector vocabulary keys:", 1)[1].split("\n\n", 1)[0]
    return re.findall(r"`([a-z_]+)`", block)


def test_vocabulary_keys_are_exactly_those_of_the_nlu_contract():
    assert nlu_readme_keys() == list(SECTOR_KEYS)
    assert load_vocabulary().keys == SECTOR_KEYS


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_sector_has_a_label_and_5_to_40_synonyms_per_language(language):
    vocabulary = load_vocabulary()
    for key in vocabulary.keys:
        assert vocabulary.labels[key][language].strip()
        assert 5 <= len(vocabulary.synonyms[key][language]) <= 40, (key, language)


@pytest.mark.parametrize(
    ("word", "language"),
    [
        ("garments", "en"),
        ("服装", "zh"),
        ("одежда", "ru"),
        ("الملابس", "ar"),
        ("confección", "es"),
        ("habillement", "fr"),
        ("Одежды", "ru"),
        ("GARMENT", None),
    ],
)
def test_garment_words_in_six_languages_normalise_to_textiles_apparel(word, language):
    assert load_vocabulary().normalise(word, language) == "textiles_apparel"


def test_a_synonym_names_one_sector_only_in_each_language():
    vocabulary = load_vocabulary()
    for language in LANGUAGES:
        owners: dict[str, set[str]] = defaultdict(set)
        for key in vocabulary.keys:
            for word in (*vocabulary.synonyms[key][language], vocabulary.labels[key][language]):
                owners[fold(word)].add(key)
        clashes = {w: k for w, k in owners.items() if len(k) > 1}
        assert not clashes, (language, clashes)


def test_related_sectors_exist_and_textiles_relate_to_leather_footwear():
    vocabulary = load_vocabulary()
    assert "leather_footwear" in vocabulary.related["textiles_apparel"]
    for key, related in vocabulary.related.items():
        assert key not in related
        assert set(related) <= set(vocabulary.keys)


def test_unknown_words_are_not_normalised():
    assert load_vocabulary().normalise("spaceships", "en") is None


def test_every_sector_maps_to_isic_rev4_codes():
    for key, codes in load_vocabulary().isic.items():
        assert codes and all(re.fullmatch(r"\d{2,4}", c) for c in codes), key
