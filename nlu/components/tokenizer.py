"""MultilingualTokenizer: one tokenizer for six languages.

Rasa's WhitespaceTokenizer refuses Chinese, its JiebaTokenizer splits Arabic and Cyrillic
into single letters, and its SpacyNLP refuses blank spaCy pipelines. This tokenizer uses
`spacy.blank(lang)` for the language the LanguageDetector guessed (French elisions,
Spanish inverted marks and Arabic punctuation are handled by spaCy's rules) and spaCy's
Chinese pipeline with jieba segmentation for Chinese. Numbers with a Chinese magnitude
("50万") are kept whole, so that "50万美元" is "50万" + "美元" rather than "50" + "万美元".

Each token's lemma, which Rasa's CountVectorsFeaturizer counts in place of the text, is
the lower-cased token with meaningless spelling variants folded (nlu/textnorm.py): Arabic
diacritics and letter variants (أ/إ/آ → ا, ة → ه, ى → ي) and ё. People write "اهلا" and
"أهلاً", "еще" and "ещё" for the same word; the sparse features should not tell them
apart. Latin accents are kept: they tell French and Spanish words apart (sûr/sur, sí/si);
in the one run that folded them too (among other changes), French held-out
intent F1 fell by 0.03.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path
from typing import Any

import spacy
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu import textnorm, vocabularies
from nlu.components.language_detector import GUESS_ATTRIBUTE
from nlu.languages import SUPPORTED_LANGUAGES, detect_language

_CHINESE_NUMBER = re.compile(r"(?:\d+(?:[.,]\d+)*|[零一二两三四五六七八九十百千]+)\s*[百千万亿]+")


@cache
def _pipeline(language: str) -> spacy.language.Language:
    """A blank spaCy pipeline per language (Chinese segmented by jieba), built once."""
    if language == "zh":
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        import jieba

        # Country, sector and vocabulary names segment as single words.
        for word in sorted(vocabularies.chinese_words()):
            jieba.add_word(word, freq=100_000)
        return nlp
    return spacy.blank(language)


def _spacy_tokens(text: str, language: str, offset: int = 0) -> list[Token]:
    return [
        Token(token.text, offset + token.idx, lemma=textnorm.fold_spelling(token.text))
        for token in _pipeline(language)(text)
        if not token.is_space
    ]


def tokenize_text(text: str, language: str) -> list[Token]:
    """Tokens of `text` for `language` (one of the six), with character offsets."""
    if language != "zh" and not textnorm.has_han(text):
        return _spacy_tokens(text, language)
    tokens: list[Token] = []
    position = 0
    for number in _CHINESE_NUMBER.finditer(text):
        tokens += _spacy_tokens(text[position: number.start()], "zh", position)
        tokens.append(Token(number.group(), number.start(), lemma=number.group()))
        position = number.end()
    tokens += _spacy_tokens(text[position:], "zh", position)
    return tokens


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class MultilingualTokenizer(Tokenizer):
    """Tokenizes each message with the spaCy pipeline of its detected language."""

    @staticmethod
    def required_packages() -> list[str]:
        return ["spacy", "jieba"]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
            # Rasa caches tokenized training data by the component's config and source;
            # jieba's extra words come from data files, so their hash is part of it.
            "vocabulary_fingerprint": vocabularies.fingerprint(),
        }

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str:
        """Rasa fingerprints only this class's source: the module's tokenizing functions
        (and the folding they use) must invalidate cached tokens too."""
        digest = hashlib.sha256(Path(__file__).read_bytes())
        digest.update(Path(textnorm.__file__).read_bytes())
        return digest.hexdigest()[:16]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MultilingualTokenizer:
        return cls(config)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        """Tokenize one attribute; the message text uses the detector's language guess."""
        text = message.get(attribute)
        language = message.get(GUESS_ATTRIBUTE) if attribute == TEXT else None
        if language not in SUPPORTED_LANGUAGES:
            language = detect_language(text).guess
        return self._apply_token_pattern(tokenize_text(text, language))
