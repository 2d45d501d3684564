"""Held-out NLU tests: intent macro-F1 and country accuracy of at least 0.93 per language,
and places (cities, regions, demonyms; tests/nlu/places/<lang>.yml) resolved in at least
90 % of cases per language.

The examples in tests/nlu/<lang>.yml were written separately from the training data.
The scores are printed (run with -s to see the table) and asserted per language.
"""

from __future__ import annotations

import pytest

from locales import SUPPORTED_LANGUAGES
from nlu import evaluation
from tests.conftest import newest_model_or_skip

pytestmark = pytest.mark.slow

MIN_INTENT_MACRO_F1 = 0.93
MIN_COUNTRY_ACCURACY = 0.93
MIN_PLACE_ACCURACY = 0.90
MIN_PLACE_CASES_PER_CATEGORY = 8


@pytest.fixture(scope="module")
def reports() -> dict[str, evaluation.LanguageReport]:
    results = evaluation.evaluate_model(newest_model_or_skip())
    print("\n" + evaluation.table(results))
    return results


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_intent_macro_f1(reports: dict, language: str) -> None:
    report = reports[language]
    misses = [e for e in report.errors if "predicted" in e][:15]
    assert report.intent_macro_f1 >= MIN_INTENT_MACRO_F1, misses


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_country_value_accuracy(reports: dict, language: str) -> None:
    report = reports[language]
    assert report.country_cases >= 20, "too few country cases to measure"
    misses = [e for e in report.errors if "expected_country" in e][:15]
    assert report.country_accuracy >= MIN_COUNTRY_ACCURACY, misses


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_heldout_set_is_large_enough(language: str) -> None:
    examples = evaluation.load_examples(language)
    per_intent: dict[str, int] = {}
    for example in examples:
        per_intent[example.intent] = per_intent.get(example.intent, 0) + 1
    from tests.test_project_contract import CONTRACT_INTENTS

    assert set(per_intent) >= CONTRACT_INTENTS, CONTRACT_INTENTS - set(per_intent)
    assert min(per_intent.values()) >= 8, per_intent


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_heldout_messages_are_not_in_the_training_data(language: str) -> None:
    """A held-out sentence copied into the training data (even with other punctuation or
    case) turns the score into a memory test: none may be there."""
    leaked = [example.text for example in evaluation.leaked_examples(language)]
    assert not leaked, f"{len(leaked)} held-out messages are also training examples: {leaked}"


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_place_accuracy(reports: dict, language: str) -> None:
    places = reports[language].places
    assert places is not None, f"no place cases: {evaluation.places_file(language)}"
    assert places.accuracy >= MIN_PLACE_ACCURACY, (places.as_dict(), places.errors[:15])


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_place_cases_per_category(language: str) -> None:
    examples = evaluation.load_place_examples(language)
    assert examples, f"missing {evaluation.places_file(language)}"
    per_category = {category: 0 for category in evaluation.PLACE_CATEGORIES}
    for example in examples:
        for category, _ in evaluation.place_cases(example):
            per_category[category] += 1
    assert min(per_category.values()) >= MIN_PLACE_CASES_PER_CATEGORY, per_category
