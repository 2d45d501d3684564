"""The entity scores of benchmarks/public_nlu.py, on hand-made predictions (no training)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.nlu.tokenizers.tokenizer import Token

from benchmarks.public_data import Entity, Example
from benchmarks.public_nlu import DIET, Prediction, entity_span_f1, entity_token_f1

TEXT = "wake me up at six am tomorrow"
GOLD = Example(TEXT, "alarm_set", (Entity(14, 20, "time", "six am"),
                                   Entity(21, 29, "date", "tomorrow")))


def tokens(text: str) -> list[Token]:
    out, position = [], 0
    for word in text.split():
        start = text.index(word, position)
        out.append(Token(word, start))
        position = start + len(word)
    return out


def predicted(*entities: tuple[int, int, str]) -> Prediction:
    found: list[dict[str, Any]] = [
        {"entity": kind, "start": start, "end": end, "value": TEXT[start:end],
         "extractor": DIET} for start, end, kind in entities]
    return Prediction("alarm_set", 1.0, found, tokens(TEXT))


def test_no_entity_found_scores_zero_not_the_share_of_plain_tokens() -> None:
    assert entity_token_f1([GOLD], [predicted()]) == 0.0
    assert entity_span_f1([GOLD], [predicted()]) == 0.0


def test_every_entity_found_scores_one() -> None:
    found = predicted((14, 20, "time"), (21, 29, "date"))
    assert entity_token_f1([GOLD], [found]) == 1.0
    assert entity_span_f1([GOLD], [found]) == 1.0


def test_plain_tokens_tagged_as_entities_cost_precision_only() -> None:
    # "wake me up at" tagged as time: 3 right tokens of 3 gold, out of 7 predicted.
    found = predicted((0, 13, "time"), (14, 20, "time"), (21, 29, "date"))
    assert entity_token_f1([GOLD], [found]) == pytest.approx(2 * 3 / (3 + 7))
