"""LanguageDetector: which of the six languages a message is written in.

Runs first in the pipeline. It records its best guess on every message as `language_guess` (the
tokenizer reads it) and, at inference time only, emits the `language` entity when the detection is
confident — a non-Latin script, or Latin-script text long enough for lingua to be sure.
"ok" or "Kenya" emit nothing, so the conversation keeps its language. The guess is also part
of the parse result, for a new user who has no language yet.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_CONFIDENCE,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.components import register_package_names
from nlu.languages import Detection, detect_language

GUESS_ATTRIBUTE = "language_guess"
LANGUAGE_ENTITY = "language"

register_package_names()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class LanguageDetector(GraphComponent):
    """Detects the message language; emits the `language` entity only when confident."""

    @staticmethod
    def required_packages() -> list[str]:
        return ["lingua"]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        return cls()

    @staticmethod
    def _detect(message: Message) -> Detection:
        detection = detect_language(message.get(TEXT) or "")
        # A plain string: Rasa fingerprints message data to cache training outputs.
        message.set(GUESS_ATTRIBUTE, detection.guess, add_to_output=True)
        return detection

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Record the detection (never entities: training annotations stay untouched)."""
        for example in training_data.training_examples:
            if example.get(TEXT):
                self._detect(example)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Record the detection, expose the guess, emit the entity when confident."""
        for message in messages:
            if not isinstance(message.get(TEXT), str):
                continue
            detection = self._detect(message)
            if detection.language is None:
                continue
            text = message.get(TEXT)
            entity = {
                ENTITY_ATTRIBUTE_TYPE: LANGUAGE_ENTITY,
                ENTITY_ATTRIBUTE_VALUE: detection.language,
                ENTITY_ATTRIBUTE_START: 0,
                ENTITY_ATTRIBUTE_END: len(text),
                ENTITY_ATTRIBUTE_CONFIDENCE: round(detection.confidence, 3),
                EXTRACTOR: self.__class__.__name__,
            }
            message.set(ENTITIES, [*message.get(ENTITIES, []), entity], add_to_output=True)
        return messages
