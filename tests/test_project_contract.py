"""The contracts others rely on: intents, entities, responses, data validation, layout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot import nlg
from locales import SUPPORTED_LANGUAGES

PROJECT_DIR = Path(__file__).resolve().parent.parent
CONTRACT_INTENTS = {
    "greet", "goodbye", "thank", "affirm", "deny", "help", "bot_challenge", "out_of_scope",
    "change_language", "request_human", "inform", "ask_financing", "find_partner",
    "recommend_park", "follow_leader", "country_risk", "compliance_info", "ecommerce_info",
}
CONTRACT_ENTITIES = {"country", "region", "sector", "amount", "currency", "language",
                     "partner_type", "financing_need"}


@pytest.fixture(scope="module")
def training_data():  # type: ignore[no-untyped-def]
    from rasa.shared.nlu.training_data.loading import load_data

    return {lang: load_data(str(PROJECT_DIR / "nlu" / "data" / lang))
            for lang in SUPPORTED_LANGUAGES}


def test_domain_declares_the_contract_entities() -> None:
    domain = yaml.safe_load((PROJECT_DIR / "domain.yml").read_text(encoding="utf-8"))
    assert set(domain["entities"]) >= CONTRACT_ENTITIES
    # retrieval intents come from the data; the others are declared
    assert CONTRACT_INTENTS - {"compliance_info", "ecommerce_info"} <= set(domain["intents"])


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_contract_intent_has_30_examples_in_every_language(training_data, language) -> None:
    counts: dict[str, int] = {}
    for message in training_data[language].intent_examples:
        counts[message.get("intent")] = counts.get(message.get("intent"), 0) + 1
    assert set(counts) >= CONTRACT_INTENTS, CONTRACT_INTENTS - set(counts)
    assert min(counts[intent] for intent in CONTRACT_INTENTS) >= 30, counts


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_inform_examples_carry_sector_country_and_amount(training_data, language) -> None:
    entities = {entity["entity"] for message in training_data[language].intent_examples
                if message.get("intent") == "inform" for entity in message.get("entities") or []}
    assert {"sector", "country", "amount"} <= entities


def test_every_response_used_in_the_dialogue_can_be_rendered() -> None:
    domain = yaml.safe_load((PROJECT_DIR / "domain.yml").read_text(encoding="utf-8"))
    missing = set(domain["responses"]) - nlg.response_names()
    assert not missing


def test_every_response_sent_by_code_exists() -> None:
    sources = "\n".join(path.read_text(encoding="utf-8")
                        for folder in ("actions", "bot") for path in
                        (PROJECT_DIR / folder).rglob("*.py"))
    import re

    used = set(re.findall(r'"(utter_[a-z_]+)"', sources))
    assert used and not used - nlg.response_names(), used - nlg.response_names()


@pytest.mark.slow
def test_rasa_data_validate_passes_with_warnings_as_errors() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "data", "validate", "--fail-on-warnings",
         "--domain", "domain.yml", "--data", "nlu/data", "bot/dialogue",
         "--config", "config.yml"],
        cwd=PROJECT_DIR, capture_output=True, text=True, timeout=900,
    )
    warnings = [line for line in result.stderr.splitlines() if "UserWarning" in line]
    assert result.returncode == 0, (warnings or result.stderr[-3000:])


def test_generated_files_are_ignored_by_git() -> None:
    ignored = (PROJECT_DIR / ".gitignore").read_text().split()
    for pattern in (".venv/", "models/", "var/", "*.mo"):
        assert pattern in ignored
