"""A compiled gazetteer: finds known names (countries, sectors, cities, ...) in a message.

Names are compiled once into lookup tables keyed by normalised word sequences (for
space-separated scripts) and by normalised strings (for Chinese). A message is then matched
with one pass over its words (and, for Chinese, over its character positions), longest match
first, so the cost per message does not grow with the number of names: the gazetteer holds
a quarter of a million city names and still answers in well under a millisecond.

An entity may have a resolver: a function that turns a raw match into its final value using
the rest of the message (a city name shared by several cities is resolved by the countries
named around it, see `nlu.places`).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
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


# A resolver gets a raw match, every match of the message and the message's text, and
# returns the match with its final value (or None to drop it).
Resolver = Callable[[Match, Sequence[Match], str], "Match | None"]


@dataclass
class Gazetteer:
    """Names of several entity types, compiled for matching.

    `add(entity, value, name)` registers a name; a name registered for two different
    values of the same entity is ambiguous and is dropped (and logged) rather than guessed.
    Names that are all capitals and at most four letters long ("UAE", "ОАЭ", "US") match
    only when written in capitals, so "us" and "eau" stay ordinary words.

    Large precompiled tables (the cities) are merged with `add_compiled`, which skips every
    name another entity already has: a name is never read two ways.
    """

    _words: dict[str, dict[tuple[str, ...], str]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    _exact_case: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    _han: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    _ambiguous: dict[str, set[object]] = field(default_factory=lambda: defaultdict(set))
    # Chinese names by their normalised text: [(entity, value)], and the distinct lengths
    _han_names: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    _han_lengths: list[int] = field(default_factory=list)
    # entity -> its resolver, and the entities it needs found as context
    _resolvers: dict[str, tuple[Resolver, frozenset[str]]] = field(default_factory=dict)

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

    def add_compiled(
        self,
        entity: str,
        words: dict[tuple[str, ...], str],
        han: dict[str, str],
        exact: dict[str, str],
    ) -> int:
        """Merge precompiled tables of `entity` (keys already normalised, as `add` makes
        them); names another entity already has are skipped. Returns how many were."""
        skipped = 0
        for own, given in ((self._words, words), (self._han, han), (self._exact_case, exact)):
            others = [table for name, table in own.items() if name != entity]
            table = own[entity]
            for key, value in given.items():
                if any(key in other for other in others):
                    skipped += 1
                    continue
                self._put(table, key, value, entity)
        return skipped

    def has_name(self, name: str, entities: set[str] | None = None) -> bool:
        """Whether `name` (as written) names something of `entities` (default: any)."""
        name = name.strip()
        folded = textnorm.fold(name)
        if name.isupper() and len(name) <= 4 and " " not in name:
            tables, key = self._exact_case, name  # type: ignore[assignment]
        elif textnorm.has_han(folded):
            tables, key = self._han, folded.replace(" ", "")  # type: ignore[assignment]
        else:
            tables = self._words  # type: ignore[assignment]
            key = tuple(word for word, _, _ in textnorm.words(folded))  # type: ignore[assignment]
        return any(key in table for entity, table in tables.items()
                   if entities is None or entity in entities)

    def set_resolver(self, entity: str, resolver: Resolver,
                     context: set[str] | frozenset[str] = frozenset()) -> None:
        """Resolve `entity`'s matches with `resolver`; `context` entities are searched too
        (and passed to it) even when the caller did not ask for them."""
        self._resolvers[entity] = (resolver, frozenset(context))

    def compile(self) -> Gazetteer:
        """Index the Chinese names by text; call once after the last `add`."""
        names: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for entity, table in self._han.items():
            for name, value in table.items():
                names[name].append((entity, value))
        self._han_names = dict(names)
        self._han_lengths = sorted({len(name) for name in names}, reverse=True)
        return self

    def entities(self) -> set[str]:
        """The entities that have names."""
        return {entity for tables in (self._words, self._exact_case, self._han)
                for entity, table in tables.items() if table}

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
        searched = set(wanted)
        for entity, (_, context) in self._resolvers.items():
            if entity in wanted:
                searched |= context
        self._find_exact_case(text, searched, free, keep)
        self._find_words(text, normalized, searched, free, keep)
        self._find_han(normalized, searched, boundaries, free, keep)
        found.sort(key=lambda match: match.start)
        resolved: list[Match] = []
        for match in found:
            final: Match | None = match
            if match.entity in self._resolvers:
                resolver, _ = self._resolvers[match.entity]
                final = resolver(match, found, text)
            if final is not None and final.entity in wanted:
                resolved.append(final)
        return resolved

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
        """Chinese names by substring: every name at every position (a dictionary lookup per
        position and name length), then the longest first, as if each name were searched
        for in turn."""
        if not self._han_lengths or not textnorm.has_han(normalized.text):
            return
        compact = normalized.text
        hits: list[tuple[int, int, str, str]] = []
        for position in range(len(compact)):
            if boundaries is not None and normalized.origin[position] not in boundaries:
                continue  # a match must start where a token starts
            for length in self._han_lengths:
                if position + length > len(compact):
                    continue
                for entity, value in self._han_names.get(compact[position: position + length],
                                                         ()):
                    if entity in wanted:
                        hits.append((length, position, entity, value))
        hits.sort(key=lambda hit: (-hit[0], hit[1]))
        for length, position, entity, value in hits:
            start, end = normalized.span(position, position + length)
            aligned = boundaries is None or (start in boundaries and end in boundaries)
            if aligned and free(start, end):
                keep(start, end, entity, value)
