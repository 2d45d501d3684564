"""A compiled gazetteer: finds known names (countries, sectors, ...) in a message.

Names are compiled once into lookup tables keyed by normalised word sequences (for
space-separated scripts) and a substring list (for Chinese). A message is then matched
with one pass over its words, longest match first, so the cost per message does not grow
with the number of names.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from nlu import textnorm

logger = logging.getLogger(__name__)

MAX_NAME_WORDS = 6


@dataclass(frozen=True)
class Match:
    """One name found in a message: a span of the original text and what it stands for."""

    start: int
    end: int
    text: str
    entity: str
    value: str


@dataclass
class Gazetteer:
    """Names of several entity types, compiled for matching.

    `add(entity, value, name)` registers a name; a name registered for two different
    values of the same entity is ambiguous and is dropped (and logged) rather than guessed.
    Names that are all capitals and at most four letters long ("UAE", "ОАЭ", "US") match
    only when written in capitals, so "us" and "eau" stay ordinary words.
    """

    _words: dict[str, dict[tuple[str, ...], str]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    _exact_case: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    _han: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    _ambiguous: dict[str, set[object]] = field(default_factory=lambda: defaultdict(set))
    _compiled_han: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, entity: str, value: str, name: str) -> None:
        """Register `name` as a way of writing `value` of `entity`."""
        name = name.strip()
        if not name:
            return
        if name.isupper() and len(name) <= 4 and " " not in name:
            self._put(self._exact_case[entity], name, value, entity)
            return
        folded = textnorm.fold(name)
        if textnorm.has_han(folded):
            self._put(self._han[entity], folded.replace(" ", ""), value, entity)
            return
        key = tuple(word for word, _, _ in textnorm.words(folded))
        if key and len(key) <= MAX_NAME_WORDS:
            self._put(self._words[entity], key, value, entity)

    def _put(self, table: dict, key: object, value: str, entity: str) -> None:  # type: ignore[type-arg]
        if key in self._ambiguous[entity]:
            return
        known = table.get(key)
        if known is not None and known != value:
            logger.debug("Ambiguous %s name %r (%s, %s): not matched", entity, key, known, value)
            del table[key]
            self._ambiguous[entity].add(key)
            return
        table[key] = value

    def compile(self) -> Gazetteer:
        """Sort the Chinese names longest first; call once after the last `add`."""
        self._compiled_han = sorted(
            ((name, entity, value) for entity, names in self._han.items()
             for name, value in names.items()),
            key=lambda item: -len(item[0]),
        )
        return self

    def __len__(self) -> int:
        tables = [*self._words.values(), *self._exact_case.values(), *self._han.values()]
        return sum(len(table) for table in tables)

    def find(
        self,
        text: str,
        entities: set[str] | None = None,
        boundaries: set[int] | None = None,
    ) -> list[Match]:
        """All non-overlapping names in `text`, longest first, in text order.

        `boundaries` (character offsets where tokens start or end) keeps Chinese substring
        matches from crossing a word boundary: "法国" inside "方法国家" is not France.
        """
        normalized = textnorm.normalize(text)
        found: list[Match] = []
        taken: list[tuple[int, int]] = []

        def free(start: int, end: int) -> bool:
            return all(end <= s or start >= e for s, e in taken)

        def keep(start: int, end: int, entity: str, value: str) -> None:
            taken.append((start, end))
            found.append(Match(start, end, text[start:end], entity, value))

        wanted = entities or set(self._words) | set(self._exact_case) | set(self._han)
        self._find_exact_case(text, wanted, free, keep)
        self._find_words(text, normalized, wanted, free, keep)
        self._find_han(normalized, wanted, boundaries, free, keep)
        return sorted(found, key=lambda match: match.start)

    def _find_exact_case(self, text, wanted, free, keep) -> None:  # type: ignore[no-untyped-def]
        for word in textnorm.words(text):
            token, start, end = word
            for entity in wanted:
                value = self._exact_case.get(entity, {}).get(token)
                if value and free(start, end):
                    keep(start, end, entity, value)

    def _find_words(self, text, normalized, wanted, free, keep) -> None:  # type: ignore[no-untyped-def]
        tokens = textnorm.words(normalized.text)
        variants = [
            textnorm.arabic_variants(token) if textnorm.is_arabic_word(token) else [token]
            for token, _, _ in tokens
        ]
        index = 0
        while index < len(tokens):
            hit = self._longest_at(index, tokens, variants, wanted)
            if hit is None:
                index += 1
                continue
            length, entity, value = hit
            start, end = normalized.span(tokens[index][1], tokens[index + length - 1][2])
            if free(start, end):
                keep(start, end, entity, value)
            index += length

    def _longest_at(self, index, tokens, variants, wanted):  # type: ignore[no-untyped-def]
        for length in range(min(MAX_NAME_WORDS, len(tokens) - index), 0, -1):
            rest = tuple(token for token, _, _ in tokens[index + 1: index + length])
            for first in variants[index]:
                key = (first, *rest)
                for entity in wanted:
                    value = self._words.get(entity, {}).get(key)
                    if value:
                        return length, entity, value
        return None

    def _find_han(self, normalized, wanted, boundaries, free, keep) -> None:  # type: ignore[no-untyped-def]
        if not textnorm.has_han(normalized.text):
            return
        compact = normalized.text
        for name, entity, value in self._compiled_han:
            if entity not in wanted:
                continue
            position = compact.find(name)
            while position != -1:
                start, end = normalized.span(position, position + len(name))
                aligned = boundaries is None or (start in boundaries and end in boundaries)
                if aligned and free(start, end):
                    keep(start, end, entity, value)
                position = compact.find(name, position + len(name))
