"""Reviewed examples into the NLU training data: nlu/data/<lang>/reviewed.yml.

Maintainers' examples go to a file of their own per language, next to the hand-written
nlu.yml and retrieval.yml (Rasa reads every YAML file under nlu/data/). The file is
rewritten whole on each review, intents and examples sorted, one example per line, so
that a review adds a few lines to a diff and re-running it changes nothing. An example is
written only if neither the training data nor the held-out tests of that language hold it
already (compared case-, space- and end-punctuation-insensitively): a held-out test copied
into the training data would make the gate measure memory instead of understanding.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from review.project import Project

HEADER = """\
version: "3.1"

# Reviewed from real conversations (`advisor transcripts review` or the web review page).
# Kept sorted by intent, then example, by review/examples.py; an example already in the
# training data or the held-out tests is never added. Hand edits are kept, comments are not.

nlu:
"""
MAX_EXAMPLE_CHARS = 600
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def fold_key(text: str) -> str:
    """What makes two messages "the same": NFKC, case, runs of spaces and the punctuation
    at either end do not count ("Hello!" == "hello", "你好！" == "你好")."""
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    start, end = 0, len(folded)
    while start < end and unicodedata.category(folded[start])[0] in "PZ":
        start += 1
    while end > start and unicodedata.category(folded[end - 1])[0] in "PZ":
        end -= 1
    return folded[start:end]


def item_id(key: str) -> str:
    """A short stable id of a folded text (web forms and the junk list use it, not the text)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def clean_text(text: str) -> str:
    """One line of printable text: line breaks and runs of spaces become one space (Rasa
    reads one example per line), control characters and byte-order marks go."""
    spaced = " ".join(text.split())           # every kind of line break and space
    return "".join(ch for ch in spaced if unicodedata.category(ch) != "Cc" and ch != "\ufeff")


def plain_text(annotated: str) -> str:
    """The message without Rasa's inline entity annotations."""
    from rasa.shared.nlu.training_data.entities_parser import replace_entities

    return replace_entities(annotated)


@dataclass(frozen=True)
class Entity:
    """An entity span of a reviewed message (character offsets into its text)."""

    start: int
    end: int
    entity: str


@dataclass(frozen=True)
class ReviewedExample:
    """A message a maintainer accepted, with its intent, language and entity spans."""

    text: str
    intent: str
    language: str
    entities: tuple[Entity, ...] = ()

    def annotated(self) -> str:
        """The example in Rasa's syntax, `[Kenya](country)`, as one clean line."""
        pieces, position = [], 0
        for entity in sorted(self.entities, key=lambda e: (e.start, e.end)):
            if entity.start < position:
                continue                       # overlapping spans: keep the first
            pieces.append(self.text[position:entity.start])
            pieces.append(f"[{self.text[entity.start:entity.end]}]({entity.entity})")
            position = entity.end
        pieces.append(self.text[position:])
        return clean_text("".join(pieces))


def parse_annotated(annotated: str) -> tuple[str, tuple[Entity, ...]]:
    """Text and entity spans of an example written with inline annotations."""
    from rasa.shared.nlu.training_data.entities_parser import (
        find_entities_in_training_example,
        replace_entities,
    )

    entities = tuple(Entity(e["start"], e["end"], e["entity"])
                     for e in find_entities_in_training_example(annotated))
    return replace_entities(annotated), entities


def read_examples(path: Path) -> list[tuple[str, str]]:
    """(intent, annotated example) pairs of one Rasa NLU YAML file."""
    try:
        with path.open(encoding="utf-8") as handle:
            content = yaml.load(handle, Loader=_LOADER) or {}
    except (OSError, yaml.YAMLError):
        return []
    pairs = []
    for item in content.get("nlu") or []:
        if not isinstance(item, dict) or "intent" not in item:
            continue
        for line in str(item.get("examples") or "").splitlines():
            if line.startswith("-"):
                pairs.append((str(item["intent"]), line[1:].strip()))
    return pairs


@dataclass
class TrainingIndex:
    """The examples a project already has, per language, by folded text."""

    training: dict[str, dict[str, str]] = field(default_factory=dict)   # lang -> key -> intent
    heldout: dict[str, set[str]] = field(default_factory=dict)
    intents: set[str] = field(default_factory=set)                      # with retrieval keys

    @classmethod
    def load(cls, project: Project) -> TrainingIndex:
        index = cls()
        for language in project.languages():
            known = index.training.setdefault(language, {})
            for path in sorted((project.nlu_data / language).glob("*.yml")):
                for intent, example in read_examples(path):
                    index.intents.add(intent)
                    known.setdefault(fold_key(plain_text(example)), intent)
        for language in project.heldout_languages():
            index.heldout[language] = {
                fold_key(plain_text(example))
                for _, example in read_examples(project.heldout_dir / f"{language}.yml")}
        return index

    def known_intent(self, key: str, language: str | None = None) -> str | None:
        """The intent a text already has in the training data (of `language`, or any)."""
        languages = [language] if language else list(self.training)
        for lang in languages:
            intent = self.training.get(lang, {}).get(key)
            if intent:
                return intent
        return None


def intent_choices(project: Project, index: TrainingIndex | None = None) -> list[str]:
    """Intents a maintainer may pick: the domain's, with retrieval intents by sub-intent."""
    index = index or TrainingIndex.load(project)
    retrieval = {name.split("/", 1)[0] for name in index.intents if "/" in name}
    plain = [name for name in project.domain_intents() if name not in retrieval]
    keyed = sorted(name for name in index.intents if "/" in name)
    return sorted(plain) + keyed


@dataclass
class WriteReport:
    """What a write did with each example."""

    added: list[ReviewedExample] = field(default_factory=list)
    duplicates: list[tuple[ReviewedExample, str]] = field(default_factory=list)  # intent there
    refused: list[tuple[ReviewedExample, str]] = field(default_factory=list)     # reason

    def summary(self) -> str:
        parts = [f"{len(self.added)} added"]
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} already in the training data")
        if self.refused:
            parts.append(f"{len(self.refused)} refused")
        return ", ".join(parts)


def problem(example: ReviewedExample, project: Project, choices: Iterable[str]) -> str | None:
    """Why `example` cannot be written as is, or None."""
    from rasa.shared.nlu.training_data.entities_parser import ENTITY_REGEX

    text = clean_text(example.text)
    if not text:
        return "empty message"
    if len(text) > MAX_EXAMPLE_CHARS:
        return f"longer than {MAX_EXAMPLE_CHARS} characters"
    if ENTITY_REGEX.search(example.text):
        return "the message itself looks like an entity annotation ([..](..)): write it by hand"
    if example.intent not in set(choices):
        return f"unknown intent {example.intent!r}"
    if example.language not in project.languages():
        return f"no training data for language {example.language!r}"
    entities = set(project.domain_entities())
    for entity in example.entities:
        span = example.text[entity.start:entity.end]
        if entity.entity not in entities:
            return f"unknown entity {entity.entity!r}"
        if not span.strip() or "]" in span or not 0 <= entity.start < entity.end:
            return f"entity span {span!r} cannot be annotated"
    annotated = example.annotated()
    if plain_text(annotated) != text:
        return "the annotation does not read back as the message"
    return None


def write_reviewed(project: Project, examples: Iterable[ReviewedExample],
                   index: TrainingIndex | None = None) -> WriteReport:
    """Add `examples` to nlu/data/<lang>/reviewed.yml; de-duplicated, sorted, idempotent."""
    index = index or TrainingIndex.load(project)
    choices = intent_choices(project, index)
    report = WriteReport()
    by_language: dict[str, list[ReviewedExample]] = {}
    for example in examples:
        reason = problem(example, project, choices)
        if reason:
            report.refused.append((example, reason))
            continue
        key = fold_key(clean_text(example.text))
        if key in index.heldout.get(example.language, set()):
            report.refused.append((example, "it is a held-out test example"))
            continue
        existing = index.training.setdefault(example.language, {}).get(key)
        if existing:
            report.duplicates.append((example, existing))
            continue
        index.training[example.language][key] = example.intent
        by_language.setdefault(example.language, []).append(example)
        report.added.append(example)
    for language, new in by_language.items():
        path = project.reviewed_file(language)
        pairs = read_examples(path) + [(e.intent, e.annotated()) for e in new]
        _write_file(path, pairs)
    return report


def render(pairs: Iterable[tuple[str, str]]) -> str:
    """The reviewed.yml text of (intent, annotated example) pairs: sorted, no duplicates."""
    grouped: dict[str, dict[str, str]] = {}
    for intent, example in pairs:
        grouped.setdefault(intent, {}).setdefault(fold_key(plain_text(example)), example)
    lines = [HEADER.rstrip("\n")]
    for intent in sorted(grouped):
        lines.append(f"- intent: {intent}")      # names are identifiers: no quoting
        lines.append("  examples: |")
        for _, example in sorted(grouped[intent].items()):
            lines.append(f"    - {example}")
    return "\n".join(lines) + "\n"


def _write_file(path: Path, pairs: list[tuple[str, str]]) -> None:
    """Write atomically: a crash never leaves half a training file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    content = render(pairs)
    if path.exists() and path.read_text(encoding="utf-8") == content:
        return                                  # unchanged: keep the mtime (no retraining)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".reviewed-", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
        out.write(content)
    os.replace(temporary, path)


class JunkList:
    """Messages discarded as junk: ids of their folded text (never the text: privacy)."""

    def __init__(self, project: Project) -> None:
        self.path = project.review_dir / "junk.json"
        self.ids: set[str] = set()
        if self.path.exists():
            data: Any = json.loads(self.path.read_text(encoding="utf-8") or "{}")
            self.ids = set(data.get("ids") or [])

    def __contains__(self, key_id: str) -> bool:
        return key_id in self.ids

    def add(self, key_id: str) -> None:
        self.ids.add(key_id)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps({"ids": sorted(self.ids)}, indent=1) + "\n",
                             encoding="utf-8")
