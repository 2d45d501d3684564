"""The six languages the advisor speaks, and how to tell them apart in a message.

Pure Python (no Rasa imports) so that channels and tests can use it as well.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from locales import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES  # noqa: F401 - re-exported

# Latin-script text must be at least this long before a statistical guess counts as
# confident: one or two words ("ok", "Kenya", "merci") are ambiguous across en/es/fr.
MIN_LATIN_WORDS = 3
MIN_LATIN_LETTERS = 12
MIN_LATIN_CONFIDENCE = 0.75
# A non-Latin script decides the language when it makes up this share of the words:
# "Ты ChatGPT?" is Russian, "我们想在Kazakhstan找partner" is Chinese.
MIN_SCRIPT_SHARE = 0.25


@dataclass(frozen=True)
class Detection:
    """The outcome of language detection for one message.

    `language` is set only when the evidence is strong enough to switch the conversation's
    language; `guess` is always the most likely language, used to choose a tokenizer and
    to greet a brand-new user who has no language yet.
    """

    guess: str
    language: str | None
    confidence: float
    method: str  # "script", "statistical" or "none"


def _script_of(char: str) -> str | None:
    """The script of one letter, as far as our six languages need to know."""
    if not char.isalpha():
        return None
    code = ord(char)
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
        return "han"
    if 0x0400 <= code <= 0x052F:
        return "cyrillic"
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
        return "arabic"
    if unicodedata.name(char, "").startswith("LATIN"):
        return "latin"
    return None


_SCRIPT_LANGUAGE = {"han": "zh", "cyrillic": "ru", "arabic": "ar"}


def script_counts(text: str) -> dict[str, int]:
    """Number of letters per script in `text`."""
    counts: dict[str, int] = {}
    for char in text:
        script = _script_of(char)
        if script:
            counts[script] = counts.get(script, 0) + 1
    return counts


# Chinese has no spaces; about this many characters make one word.
HAN_CHARS_PER_WORD = 1.5


def script_word_weights(text: str) -> dict[str, float]:
    """How many words of each script `text` holds (Han runs count by characters)."""
    weights: dict[str, float] = {}
    for chunk in text.split():
        run_script: str | None = None
        for char in chunk + " ":
            script = _script_of(char)
            if script == "han":
                weights["han"] = weights.get("han", 0.0) + 1 / HAN_CHARS_PER_WORD
                run_script = None
            elif script != run_script:
                if run_script:
                    weights[run_script] = weights.get(run_script, 0.0) + 1
                run_script = script
    return weights


@lru_cache(maxsize=1)
def _latin_detector():  # type: ignore[no-untyped-def]
    # Imported lazily: lingua's models take ~1 s and ~100 MB to load.
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(
        Language.ENGLISH, Language.SPANISH, Language.FRENCH
    ).build()


def detect_language(text: str) -> Detection:
    """Detect which of the six languages `text` is written in.

    A non-Latin script (Han, Cyrillic, Arabic) decides by itself; Latin-script text is
    handed to lingua (restricted to en/es/fr) and counts as confident only when it is long
    enough and lingua is sure.
    """
    counts = script_counts(text)
    if not counts:
        return Detection(DEFAULT_LANGUAGE, None, 0.0, "none")
    weights = script_word_weights(text)
    total = sum(weights.values())
    non_latin = {s: w for s, w in weights.items() if s != "latin"}
    if non_latin:
        script, weight = max(non_latin.items(), key=lambda item: item[1])
        share = weight / total
        if share >= MIN_SCRIPT_SHARE:
            return Detection(_SCRIPT_LANGUAGE[script], _SCRIPT_LANGUAGE[script], share, "script")
    latin_letters = counts.get("latin", 0)
    values = _latin_detector().compute_language_confidence_values(text)
    best = values[0]
    guess = best.language.iso_code_639_1.name.lower()
    words = sum(1 for word in text.split() if any(_script_of(c) == "latin" for c in word))
    long_enough = words >= MIN_LATIN_WORDS or latin_letters >= MIN_LATIN_LETTERS
    confident = long_enough and best.value >= MIN_LATIN_CONFIDENCE
    return Detection(guess, guess if confident else None, float(best.value), "statistical")
