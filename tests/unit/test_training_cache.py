"""Rasa's training cache must find the trained classifiers again when nothing changed.

Two ways it missed (every training then retrained DIET and the response selectors, about
15 minutes per run, on CI too): a nested option of config.yml overridden in part, and DIET
writing entity tags into the training messages that the response selectors fingerprint.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.nlu.utils import bilou_utils
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.common import override_defaults

from nlu.components.sentence_encoder import SentenceEncoderFeaturizer
from nlu.components.tokenizer import MultilingualTokenizer

CONFIG = Path(__file__).resolve().parents[2] / "config.yml"
CLASSIFIERS = {"DIETClassifier": DIETClassifier, "ResponseSelector": ResponseSelector}


@pytest.mark.parametrize("component", [
    c for c in yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["pipeline"]
    if c["name"] in CLASSIFIERS
], ids=lambda c: c["name"])
def test_cache_lookup_and_training_see_the_same_config(component: dict) -> None:
    """The cache lookup merges config.yml over the defaults one level deep, training merges
    recursively: a nested option must be given whole for both to agree."""
    options = {k: v for k, v in component.items() if k != "name"}
    defaults = CLASSIFIERS[component["name"]].get_default_config()
    assert {**defaults, **options} == override_defaults(defaults, options)


def test_diet_entity_tags_do_not_change_the_featurized_training_data(tmp_path: Path) -> None:
    """What DIET writes into the messages is already there: the fingerprint stays."""
    messages = [
        Message.build("I need a loan for a textile plant in Kenya", intent="ask_financing",
                      entities=[{"start": 36, "end": 41, "value": "KE", "entity": "country"}]),
        Message.build("hello", intent="greet"),
    ]
    training_data = TrainingData(messages)
    context = ExecutionContext(GraphSchema({}), "test")
    storage = LocalModelStorage(tmp_path)
    MultilingualTokenizer.create(MultilingualTokenizer.get_default_config(), storage,
                                 Resource("tokenizer"), context).process_training_data(
                                     training_data)
    SentenceEncoderFeaturizer.create(SentenceEncoderFeaturizer.get_default_config(), storage,
                                     Resource("encoder"), context).process_training_data(
                                         training_data)
    before = training_data.fingerprint()
    for message in training_data.training_examples:
        message._cached_fingerprint = None  # recompute from the data, not the memo
    bilou_utils.apply_bilou_schema(training_data)  # what DIET's training does
    assert training_data.fingerprint() == before
