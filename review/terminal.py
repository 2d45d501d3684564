"""The terminal review: one inbox item at a time, a key per decision.

    a  accept (with the intent, language and entities shown)
    i  pick the right intent from a menu (number or name), then accept with `a`
    e  mark entities: retype the message with [span](entity) annotations
    l  change the language
    s  skip (it stays in the inbox)
    j  discard as junk (never shown again)
    q  quit (what was accepted so far is written)

Answers come from a `Prompter`: the keyboard, or a script (one answer per line) for
non-interactive runs and tests. Accepted examples are written at the end, in one go,
through `review.examples.write_reviewed` (de-duplicated, sorted).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from review.examples import (
    Entity,
    JunkList,
    ReviewedExample,
    TrainingIndex,
    WriteReport,
    parse_annotated,
    write_reviewed,
)
from review.inbox import InboxItem
from review.project import Project


class Prompter(Protocol):
    """Where answers come from and where questions go."""

    def ask(self, question: str) -> str | None: ...   # None: no more answers
    def say(self, text: str) -> None: ...


class KeyboardPrompter:
    """Interactive: stdin and stdout."""

    def ask(self, question: str) -> str | None:
        try:
            return input(question)
        except EOFError:
            return None

    def say(self, text: str) -> None:
        print(text, flush=True)


class ScriptedPrompter:
    """Answers from a list (or a file: one answer per line, `#` starts a comment line)."""

    def __init__(self, answers: Iterable[str], echo: bool = True,
                 out: list[str] | None = None) -> None:
        self._answers: Iterator[str] = iter(list(answers))
        self.echo = echo
        self.transcript: list[str] = out if out is not None else []

    @classmethod
    def from_file(cls, path: Path) -> ScriptedPrompter:
        lines = path.read_text(encoding="utf-8").splitlines()
        return cls(line for line in lines if not line.lstrip().startswith("#"))

    def ask(self, question: str) -> str | None:
        answer = next(self._answers, None)
        self.say(f"{question}{answer if answer is not None else '<end of script>'}")
        return answer

    def say(self, text: str) -> None:
        self.transcript.append(text)
        if self.echo:
            print(text, flush=True)


@dataclass
class ReviewOutcome:
    """What a review session decided."""

    accepted: list[ReviewedExample] = field(default_factory=list)
    junk: int = 0
    skipped: int = 0
    written: WriteReport | None = None


def _describe(item: InboxItem, number: int, total: int, intent: str, language: str,
              entities: tuple[Entity, ...]) -> str:
    preview = ReviewedExample(item.text, intent, language, entities).annotated()
    flag = ", fallback" if item.latest.fallback else ""
    return (f"\n[{number}/{total}] seen {item.count}x by {len(item.senders)} user(s), "
            f"language {language or '?'}\n  {preview}\n"
            f"  predicted: {item.intent or '?'} ({item.confidence:.2f}{flag})   "
            f"-> will be saved as: {intent or '?'}")


def _menu(choices: list[str], columns: int = 3) -> str:
    width = max(len(c) for c in choices) + 6
    cells = [f"{n:>3}) {c:<{width - 5}}" for n, c in enumerate(choices, 1)]
    return "\n".join("".join(cells[i:i + columns]) for i in range(0, len(cells), columns))


def _pick(answer: str, choices: list[str]) -> str | None:
    """A menu answer: its number, an exact name, or a unique prefix."""
    answer = answer.strip()
    if answer.isdigit() and 1 <= int(answer) <= len(choices):
        return choices[int(answer) - 1]
    if answer in choices:
        return answer
    matches = [c for c in choices if c.startswith(answer)] if answer else []
    return matches[0] if len(matches) == 1 else None


def review(items: list[InboxItem], project: Project, prompter: Prompter,
           index: TrainingIndex | None = None, write: bool = True) -> ReviewOutcome:
    """Review `items` one by one; write the accepted ones and the junk list at the end."""
    from review.examples import intent_choices

    index = index or TrainingIndex.load(project)
    choices = intent_choices(project, index)
    languages = project.languages()
    entity_types = set(project.domain_entities())
    junk = JunkList(project)
    outcome = ReviewOutcome()
    prompter.say(f"{len(items)} message(s) to review. a=accept i=intent e=entities "
                 "l=language s=skip j=junk q=quit")
    for number, item in enumerate(items, 1):
        intent = item.intent if item.intent in choices else ""
        language = item.language if item.language in languages else ""
        entities = tuple(e for e in item.entity_spans() if e.entity in entity_types)
        prompter.say(_describe(item, number, len(items), intent, language, entities))
        while True:
            answer = prompter.ask("a/i/e/l/s/j/q> ")
            if answer is None or answer.strip().lower() == "q":
                return _finish(outcome, project, index, junk, prompter, write)
            key = answer.strip().lower()[:1]
            if key == "a":
                if not intent or not language:
                    prompter.say("  Choose an intent (i) and a language (l) first.")
                    continue
                outcome.accepted.append(ReviewedExample(item.text, intent, language, entities))
                break
            if key == "s":
                outcome.skipped += 1
                break
            if key == "j":
                junk.add(item.id)
                outcome.junk += 1
                break
            if key == "i":
                prompter.say(_menu(choices))
                picked = _pick(prompter.ask("intent (number or name)> ") or "", choices)
                if picked is None:
                    prompter.say("  Not an intent of the menu; unchanged.")
                else:
                    intent = picked
            elif key == "l":
                picked = _pick(prompter.ask(f"language ({' '.join(languages)})> ") or "",
                               languages)
                if picked is None:
                    prompter.say("  Not one of the project's languages; unchanged.")
                else:
                    language = picked
            elif key == "e":
                marked = _mark_entities(item, prompter, entity_types)
                if marked is not None:
                    entities = marked
            else:
                prompter.say("  a=accept i=intent e=entities l=language s=skip j=junk q=quit")
                continue
            prompter.say(_describe(item, number, len(items), intent, language, entities))
    return _finish(outcome, project, index, junk, prompter, write)


def _mark_entities(item: InboxItem, prompter: Prompter,
                   entity_types: set[str]) -> tuple[Entity, ...] | None:
    """Entities from the message retyped with annotations; None keeps the current ones."""
    prompter.say(f"  Retype the message with entities marked, e.g. [Kenya](country); "
                 f"entities: {', '.join(sorted(entity_types))}. Empty: keep. '-': none.")
    answer = prompter.ask("annotated> ")
    if answer is None or not answer.strip():
        return None
    if answer.strip() == "-":
        return ()
    text, entities = parse_annotated(answer.strip())
    if " ".join(text.split()) != " ".join(item.text.split()):
        prompter.say("  The annotated text differs from the message; unchanged.")
        return None
    unknown = {e.entity for e in entities} - entity_types
    if unknown:
        prompter.say(f"  Unknown entity type(s) {sorted(unknown)}; unchanged.")
        return None
    if text != item.text:
        # Same words, different spacing: move the spans onto the message's own text.
        return tuple(_respan(item.text, text, e) for e in entities)
    return entities


def _respan(original: str, typed: str, entity: Entity) -> Entity:
    span = typed[entity.start:entity.end]
    start = original.find(span)
    return Entity(start, start + len(span), entity.entity) if start >= 0 else entity


def _finish(outcome: ReviewOutcome, project: Project, index: TrainingIndex, junk: JunkList,
            prompter: Prompter, write: bool) -> ReviewOutcome:
    if write:
        outcome.written = write_reviewed(project, outcome.accepted, index)
        junk.save()
        prompter.say(f"\nReviewed: {outcome.written.summary()}, {outcome.junk} junk, "
                     f"{outcome.skipped} skipped.")
        for example, intent in outcome.written.duplicates:
            prompter.say(f"  already there (as {intent}): {example.text}")
        for example, reason in outcome.written.refused:
            prompter.say(f"  not written ({reason}): {example.text}")
        for language in sorted({e.language for e in outcome.written.added}):
            prompter.say(f"  wrote {project.reviewed_file(language)}")
    return outcome


def prompter_for(answers: Path | None) -> Prompter:
    """A script when given (or when stdin is not a terminal), else the keyboard."""
    if answers is not None:
        return ScriptedPrompter.from_file(answers)
    if not sys.stdin.isatty():
        return ScriptedPrompter(sys.stdin.read().splitlines())
    return KeyboardPrompter()
