"""EntityNormalizer: turns what the user wrote into the values the advisor works with.

Runs after DIET. For each entity of a closed vocabulary (country, sector, language,
currency, partner type, financing need, company size) it looks the span up in the
gazetteer of names in all six languages and sets the entity's value to the stable key
(ISO 3166-1 alpha-2 for countries, ISO 4217 for currencies, the vocabulary key otherwise).
A span that names nothing known is dropped rather than passed on as free text.

Countries are also found directly by the gazetteer, so a country DIET missed (or a Russian
case form, or a Chinese short form it never saw) is still recognised; where the gazetteer
finds a country, it replaces any other entity DIET put on the same characters.

Places: a region ("East Africa", "东南亚", "الخليج") becomes the `region` entity with the
region key of `knowledge/data/regions.yml`, whether DIET or the gazetteer found it. Cities
are never annotated in training data (there are too many to learn): the gazetteer finds
them, and a city yields two entities over its span, `city` ("Nairobi|KE", for answers that
can use it) and `country` ("KE"), because every answer of the advisor works on countries.
Demonyms ("Kenyan", "égyptiens") are country names of the alias files and yield `country`.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu import vocabularies
from nlu.amounts import currency_symbol, parse_amount
from nlu.gazetteer import Gazetteer, Match

logger = logging.getLogger(__name__)

PROCESSORS = "processors"
AMOUNT = "amount"
COUNTRY = "country"
CITY = "city"


def normalize_entities(
    text: str,
    entities: list[dict[str, Any]],
    gazetteer: Gazetteer,
    normalized: set[str],
    detected: set[str],
    boundaries: set[int] | None = None,
    name: str = "EntityNormalizer",
) -> list[dict[str, Any]]:
    """The message's entities with normalised values (pure function, easy to test)."""
    found = gazetteer.find(text, entities=detected, boundaries=boundaries)
    result: list[dict[str, Any]] = []
    for entity in entities:
        kind = entity.get(ENTITY_ATTRIBUTE_TYPE)
        start, end = entity.get(ENTITY_ATTRIBUTE_START), entity.get(ENTITY_ATTRIBUTE_END)
        if entity.get(EXTRACTOR) == "LanguageDetector":
            result.append(entity)
            continue
        overlapping = [m for m in found if _overlaps(m, start, end)]
        if kind == AMOUNT and not overlapping:
            result.append(_amount(entity, text[start:end], name))
            continue
        longer = [m for m in overlapping if m.entity == kind and m.start <= start
                  and m.end >= end and m.end - m.start > end - start]
        if kind in normalized and longer:
            # DIET read part of a longer name ("Afrique" of "Afrique de l'Ouest", "Korea"
            # of "South Korea"): the whole name and its value win.
            match = max(longer, key=lambda m: m.end - m.start)
            found = [m for m in found if m is not match]
            entity = {**entity, ENTITY_ATTRIBUTE_START: match.start,
                      ENTITY_ATTRIBUTE_END: match.end, ENTITY_ATTRIBUTE_VALUE: match.value,
                      PROCESSORS: [*entity.get(PROCESSORS, []), name]}
            result.append(entity)
            continue
        value = _lookup(gazetteer, kind, text[start:end]) if kind in normalized else None
        if value is not None:
            # DIET's span names something known in its own vocabulary ("French" as a
            # language): it stays, and the gazetteer's reading of it is dropped.
            # A city inside it stays ("Alexandria, Egypt" read whole as a country).
            found = [m for m in found if m not in overlapping or m.entity == CITY]
            entity = {**entity, ENTITY_ATTRIBUTE_VALUE: value,
                      PROCESSORS: [*entity.get(PROCESSORS, []), name]}
        elif overlapping or kind in normalized:
            # An unknown name, or characters the gazetteer reads as something else:
            # the exact gazetteer reading wins, free text is never passed on.
            logger.debug("Dropping %s entity %r", kind, text[start:end])
            continue
        result.append(entity)
    for match in found:
        covering = [e for e in result if e.get(EXTRACTOR) != "LanguageDetector"
                    and _overlaps(match, e[ENTITY_ATTRIBUTE_START], e[ENTITY_ATTRIBUTE_END])]
        if match.entity == CITY:
            # DIET may have read "Nairobi, Kenya" as one country span: the city is kept
            # inside it, and the country DIET gave is not doubled.
            if any(e[ENTITY_ATTRIBUTE_TYPE] != COUNTRY for e in covering):
                continue
            result.append(_detected(match, match.entity, match.value, name))
            if not covering:
                result.append(_detected(match, COUNTRY, city_country(match.value), name))
            continue
        if covering:
            continue
        result.append(_detected(match, match.entity, match.value, name))
    return sorted(result,
                  key=lambda e: (e.get(ENTITY_ATTRIBUTE_START, 0), e[ENTITY_ATTRIBUTE_TYPE]))


def city_country(key: str) -> str:
    """The ISO alpha-2 code of a city key ("Nairobi|KE" -> "KE")."""
    return key.rsplit("|", 1)[-1]


def _detected(match: Match, entity: str, value: str, name: str) -> dict[str, Any]:
    """An entity the gazetteer found on its own, over the characters of `match`."""
    return {
        ENTITY_ATTRIBUTE_TYPE: entity,
        ENTITY_ATTRIBUTE_START: match.start,
        ENTITY_ATTRIBUTE_END: match.end,
        ENTITY_ATTRIBUTE_VALUE: value,
        "confidence_entity": 1.0,
        EXTRACTOR: name,
    }


def _amount(entity: dict[str, Any], span: str, name: str) -> dict[str, Any]:
    """An amount entity with its number as value ("50万" -> 500000.0) where it parses."""
    amount = parse_amount(span)
    if amount is None:
        return entity
    normalized = {**entity, ENTITY_ATTRIBUTE_VALUE: amount.value,
                  PROCESSORS: [*entity.get(PROCESSORS, []), name]}
    if amount.currency:
        normalized["currency"] = amount.currency
    return normalized


def _overlaps(match: Match, start: int | None, end: int | None) -> bool:
    return start is not None and end is not None and match.start < end and start < match.end


def _lookup(gazetteer: Gazetteer, kind: str, span: str) -> str | None:
    """The value of the longest known name inside `span` (a span may hold extra words)."""
    matches = gazetteer.find(span, entities={kind})
    if not matches:
        # Currency symbols ("$", "€", "₽") are not words the gazetteer can hold.
        return currency_symbol(span) if kind == "currency" else None
    return max(matches, key=lambda m: m.end - m.start).value


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class EntityNormalizer(GraphComponent):
    """Normalises entity values and adds the countries, regions and cities DIET missed."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # entities whose DIET spans get a normalised value (or are dropped)
            "normalized_entities": ["country", "region", "sector", "language", "currency",
                                    "partner_type", "financing_need", "company_size"],
            # entities the gazetteer adds on its own where DIET found nothing (a city
            # adds its country too)
            "detected_entities": ["country", "region", "city", "park"],
        }

    def __init__(self, config: dict[str, Any], gazetteer: Gazetteer) -> None:
        self._normalized = set(config["normalized_entities"])
        self._detected = set(config["detected_entities"])
        self._gazetteer = gazetteer

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> EntityNormalizer:
        return cls(config, vocabularies.build_gazetteer())

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training annotations are left as written."""
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or not text:
                continue
            tokens = message.get(TOKENS_NAMES[TEXT]) or []
            boundaries = {t.start for t in tokens} | {t.end for t in tokens} if tokens else None
            entities = normalize_entities(
                text, message.get(ENTITIES, []), self._gazetteer, self._normalized,
                self._detected, boundaries, self.__class__.__name__,
            )
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
