"""The NLU inbox: what users wrote and how the model understood it, duplicates folded.

Everything comes from the tracker store's user events: Rasa saved each message's parse
(intent, intent_ranking, entities, response_selector, our `language_guess`) at the time.
Button payloads ("/greet") are not language and are left out; so are messages already in
the training data and those discarded as junk, unless asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from review.examples import Entity, JunkList, ReviewedExample, TrainingIndex, fold_key, item_id
from review.store import StoredEvent, TrackerEvents

FALLBACK_INTENT = "nlu_fallback"
LANGUAGE_DETECTOR = "LanguageDetector"


@dataclass(frozen=True)
class Message:
    """One user message and its parse."""

    sender_id: str
    timestamp: float
    text: str
    intent: str | None            # best real intent (with the retrieval key), never fallback
    confidence: float
    fallback: bool                # the FallbackClassifier replaced the intent
    language: str | None
    entities: tuple[dict[str, Any], ...]

    @property
    def base_intent(self) -> str | None:
        return self.intent.split("/", 1)[0] if self.intent else None


def _best_intent(parse: dict[str, Any]) -> tuple[str | None, float, bool]:
    """(intent, confidence, fallback): under a fallback, the best-ranked real intent."""
    intent = parse.get("intent") or {}
    name, confidence = intent.get("name"), float(intent.get("confidence") or 0.0)
    if name != FALLBACK_INTENT:
        return name, confidence, False
    for candidate in parse.get("intent_ranking") or []:
        if candidate.get("name") and candidate["name"] != FALLBACK_INTENT:
            return candidate["name"], float(candidate.get("confidence") or 0.0), True
    return None, 0.0, True


def _retrieval_key(parse: dict[str, Any], intent: str | None) -> str | None:
    """`compliance_info/odi_filing` rather than `compliance_info` when a selector chose."""
    selected = ((parse.get("response_selector") or {}).get(intent or "") or {}).get("response")
    key = (selected or {}).get("intent_response_key")
    return key if isinstance(key, str) and key.startswith(f"{intent}/") else intent


def _language(parse: dict[str, Any]) -> str | None:
    for entity in parse.get("entities") or []:
        if entity.get("entity") == "language" and entity.get("extractor") == LANGUAGE_DETECTOR:
            return str(entity.get("value"))
    guess = parse.get("language_guess")
    return str(guess) if guess else None


def message_from_event(event: StoredEvent) -> Message | None:
    """The message of a `user` event, or None for payloads and empty events."""
    text = event.data.get("text")
    if event.type_name != "user" or not isinstance(text, str) or not text.strip() \
            or text.lstrip().startswith("/"):
        return None
    parse = event.data.get("parse_data") or {}
    intent, confidence, fallback = _best_intent(parse)
    entities = tuple(e for e in parse.get("entities") or []
                     if isinstance(e, dict) and e.get("extractor") != LANGUAGE_DETECTOR)
    return Message(event.sender_id, event.timestamp, text, _retrieval_key(parse, intent),
                   confidence, fallback, _language(parse), entities)


@dataclass
class InboxItem:
    """Messages with the same folded text: the latest is shown, the others counted."""

    key: str
    latest: Message
    count: int = 0
    senders: set[str] = field(default_factory=set)
    first_seen: float = 0.0
    fallbacks: int = 0
    known_intent: str | None = None     # set when the training data already has the text

    @property
    def id(self) -> str:
        return item_id(self.key)

    @property
    def text(self) -> str:
        return self.latest.text

    @property
    def intent(self) -> str | None:
        return self.latest.intent

    @property
    def confidence(self) -> float:
        return self.latest.confidence

    @property
    def language(self) -> str | None:
        return self.latest.language

    @property
    def last_seen(self) -> float:
        return self.latest.timestamp

    def entity_spans(self) -> tuple[Entity, ...]:
        """The model's entity spans, to pre-fill the annotation (values are normalised by
        the pipeline, so only the span and the type are kept)."""
        spans = []
        for entity in self.latest.entities:
            start, end = entity.get("start"), entity.get("end")
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end \
                    <= len(self.text) and entity.get("entity"):
                spans.append(Entity(start, end, str(entity["entity"])))
        return tuple(sorted(set(spans), key=lambda e: (e.start, e.end)))

    def as_example(self, intent: str | None = None, language: str | None = None,
                   entities: tuple[Entity, ...] | None = None) -> ReviewedExample:
        return ReviewedExample(self.text, intent or self.intent or "",
                               language or self.language or "",
                               self.entity_spans() if entities is None else entities)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "text": self.text, "count": self.count,
            "senders": len(self.senders), "language": self.language,
            "intent": self.intent, "confidence": round(self.confidence, 4),
            "fallback": self.latest.fallback, "fallbacks": self.fallbacks,
            "entities": [{"entity": e.entity, "text": self.text[e.start:e.end]}
                         for e in self.entity_spans()],
            "first_seen": self.first_seen, "last_seen": self.last_seen,
            "known_intent": self.known_intent,
        }


@dataclass
class InboxFilter:
    """Which messages to show."""

    since: float | None = None
    until: float | None = None
    languages: frozenset[str] = frozenset()
    intents: frozenset[str] = frozenset()     # base names or retrieval keys
    below: float | None = None                # confidence strictly below this
    fallback_only: bool = False
    include_known: bool = False               # also texts already in training data or junk
    min_count: int = 1

    def accepts(self, item: InboxItem) -> bool:
        if self.languages and item.language not in self.languages:
            return False
        if self.intents and not ({item.intent, item.latest.base_intent} & self.intents):
            return False
        if self.below is not None and item.confidence >= self.below:
            return False
        if self.fallback_only and not item.fallbacks:
            return False
        return item.count >= self.min_count


def fold(messages: Iterable[Message]) -> list[InboxItem]:
    """Group messages by folded text; most frequent first, then most recent."""
    items: dict[str, InboxItem] = {}
    for message in messages:
        key = fold_key(message.text)
        if not key:
            continue
        item = items.get(key)
        if item is None:
            item = items[key] = InboxItem(key, message, first_seen=message.timestamp)
        elif message.timestamp >= item.latest.timestamp:
            item.latest = message
        item.count += 1
        item.senders.add(message.sender_id)
        item.first_seen = min(item.first_seen, message.timestamp)
        item.fallbacks += message.fallback
    return sorted(items.values(), key=lambda i: (-i.count, -i.last_seen, i.key))


def build(store: TrackerEvents, selection: InboxFilter, index: TrainingIndex,
          junk: JunkList) -> list[InboxItem]:
    """The inbox: folded messages of the time range that pass the filter."""
    messages = (message_from_event(event) for event in
                store.events(selection.since, selection.until, types=["user"]))
    inbox = []
    for item in fold(m for m in messages if m is not None):
        item.known_intent = index.known_intent(item.key, item.language)
        if not selection.include_known and (item.known_intent or item.id in junk):
            continue
        if selection.accepts(item):
            inbox.append(item)
    return inbox


def table(items: list[InboxItem], width: int = 60) -> str:
    """A plain-text table of the inbox for the terminal."""
    rows = [f"{'#':>3} {'count':>5} {'lang':<4} {'conf':>5}  {'intent':<28} message"]
    for number, item in enumerate(items, 1):
        flag = "!" if item.latest.fallback else " "
        text = " ".join(item.text.split())
        text = text if len(text) <= width else text[: width - 1] + "…"
        entities = ", ".join(f"{e.entity}={item.text[e.start:e.end]}"
                             for e in item.entity_spans())
        rows.append(f"{number:>3} {item.count:>5} {item.language or '?':<4} "
                    f"{item.confidence:>5.2f}{flag} {item.intent or '?':<28} {text}"
                    + (f"   [{entities}]" if entities else ""))
    return "\n".join(rows)
