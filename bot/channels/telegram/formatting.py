"""Pure helpers of the Telegram bridge: message splitting, keyboards, addressing, payloads.

Nothing here talks to the network, so all of it is unit-tested without servers.

Replies are sent as plain text (no `parse_mode`): the assistant's texts are plain, so no
character in them ("<", "*", "_", "[") can break Telegram's entity parser and nothing
needs escaping; Telegram still turns URLs into links.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageEntity

from locales import normalize_language

# Telegram's limit for one message's text, counted in UTF-16 code units (an emoji outside
# the Basic Multilingual Plane counts twice); counting the same way keeps us under it.
MAX_MESSAGE_LENGTH = 4096
# callback_data of an inline button: 1-64 bytes.
MAX_CALLBACK_DATA_BYTES = 64
# Prefix of callback_data that stands for a payload too long to fit (see PayloadStore).
STORED_PAYLOAD_PREFIX = "#"

# Boundaries to split a long reply at, best first. Sentence ends cover Latin, Chinese
# (。！？ are not followed by a space) and Arabic (؟) punctuation.
_BOUNDARIES: tuple[re.Pattern[str], ...] = (
    re.compile(r"\n\s*\n"),
    re.compile(r"\n"),
    re.compile(r"(?<=[.!?;:…])\s|(?<=[。！？；])|(?<=؟)\s?"),
    re.compile(r"[ \t]"),
)
_CHANGE_LANGUAGE = re.compile(r"^/change_language(\{.*\})\s*$", re.DOTALL)

K = TypeVar("K")
V = TypeVar("V")


def utf16_length(text: str) -> int:
    """Length of `text` the way Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _longest_prefix(text: str, limit: int) -> int:
    """Number of characters of `text` whose UTF-16 length is at most `limit`."""
    if len(text.encode("utf-16-le")) // 2 <= limit:
        return len(text)
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            return index
    return len(text)


def _cut_position(window: str) -> int:
    """Where to end a chunk taken from `window`: the best boundary in its second half."""
    floor = len(window) // 2
    for pattern in _BOUNDARIES:
        ends = [match.end() for match in pattern.finditer(window) if match.end() > floor]
        if ends:
            return ends[-1]
    return len(window)


def split_message(text: str, limit: int = MAX_MESSAGE_LENGTH) -> list[str]:
    """`text` in chunks Telegram accepts, split at paragraphs, lines, sentences or spaces.

    A boundary is only taken in the second half of a chunk so that no chunk is tiny; a
    text without any boundary (a very long URL) is cut hard at the limit.
    """
    rest = text.strip()
    chunks: list[str] = []
    while rest and utf16_length(rest) > limit:
        window = rest[:_longest_prefix(rest, limit)]
        position = _cut_position(window)
        chunk = rest[:position].rstrip()
        if not chunk:  # only whitespace before the boundary: cut hard instead
            position, chunk = len(window), window
        chunks.append(chunk)
        rest = rest[position:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks


class BoundedMap(Generic[K, V]):
    """A dict that forgets its oldest entries beyond `capacity` (memory stays bounded)."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._items: OrderedDict[K, V] = OrderedDict()

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: K) -> V | None:
        return self._items.get(key)

    def set(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)


class RecentUpdates:
    """The update ids seen lately: Telegram may deliver an update twice (a webhook retried
    after a slow answer, a restart before the offset was confirmed)."""

    def __init__(self, capacity: int = 10_000) -> None:
        self._seen: BoundedMap[int, None] = BoundedMap(capacity)

    def is_new(self, update_id: int) -> bool:
        """True the first time an id is seen, False for a repeat."""
        if update_id in self._seen:
            return False
        self._seen.set(update_id, None)
        return True


class PayloadStore:
    """Maps Rasa button payloads to callback_data of at most 64 bytes.

    Short payloads travel as they are (they survive a restart of the bridge); longer ones
    are replaced by a key derived from the payload and kept in memory.
    """

    def __init__(self, capacity: int = 10_000) -> None:
        self._payloads: BoundedMap[str, str] = BoundedMap(capacity)

    def encode(self, payload: str) -> str:
        fits = len(payload.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
        if payload and fits and not payload.startswith(STORED_PAYLOAD_PREFIX):
            return payload
        key = STORED_PAYLOAD_PREFIX + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]
        self._payloads.set(key, payload)
        return key

    def decode(self, data: str | None) -> str | None:
        """The payload behind callback_data; None when it was forgotten (or is empty)."""
        if not data:
            return None
        if data.startswith(STORED_PAYLOAD_PREFIX):
            return self._payloads.get(data)
        return data


def _rows(buttons: list[InlineKeyboardButton], titles: Sequence[str]
          ) -> list[list[InlineKeyboardButton]]:
    # Two short buttons share a row (the language menu: 3 rows of 2); long titles get one
    # row each so that Telegram does not cut them off on a phone.
    per_row = 2 if all(utf16_length(title) <= 20 for title in titles) else 1
    return [buttons[i:i + per_row] for i in range(0, len(buttons), per_row)]


def inline_keyboard(buttons: Iterable[Mapping[str, Any]], payloads: PayloadStore
                    ) -> InlineKeyboardMarkup | None:
    """Rasa buttons (`{"title", "payload"}`) as an inline keyboard; links open as links."""
    made: list[InlineKeyboardButton] = []
    titles: list[str] = []
    for button in buttons:
        title = str(button.get("title") or "").strip()
        payload = str(button.get("payload") or button.get("url") or "").strip()
        if not title or not payload:
            continue
        if payload.startswith(("https://", "http://")):
            made.append(InlineKeyboardButton(title, url=payload))
        else:
            made.append(InlineKeyboardButton(title, callback_data=payloads.encode(payload)))
        titles.append(title)
    return InlineKeyboardMarkup(_rows(made, titles)) if made else None


def chosen_language(payload: str) -> str | None:
    """The language of a `/change_language{"language": "fr"}` payload, else None."""
    match = _CHANGE_LANGUAGE.match(payload.strip())
    if not match:
        return None
    try:
        entities = json.loads(match.group(1))
    except ValueError:
        return None
    return normalize_language(entities.get("language")) if isinstance(entities, dict) else None


def change_language_payload(language: str) -> str:
    """The Rasa payload that switches the conversation to `language`."""
    return "/change_language" + json.dumps({"language": language})


def _mentions_of(entities: Mapping[MessageEntity, str], username: str, bot_id: int
                 ) -> list[MessageEntity]:
    mention = f"@{username}".lower()
    return [entity for entity, text in entities.items()
            if (entity.type == MessageEntity.MENTION and text.lower() == mention)
            or (entity.type == MessageEntity.TEXT_MENTION and entity.user
                and entity.user.id == bot_id)]


def _without(text: str, entities: Sequence[MessageEntity]) -> str:
    """`text` with the given entities removed (offsets are in UTF-16 code units)."""
    encoded = text.encode("utf-16-le")
    for entity in sorted(entities, key=lambda e: e.offset, reverse=True):
        encoded = encoded[:entity.offset * 2] + encoded[(entity.offset + entity.length) * 2:]
    return " ".join(encoded.decode("utf-16-le").split())


def is_reply_to_bot(message: Message, bot_id: int) -> bool:
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.id == bot_id)


def addressed_text(message: Message, username: str, bot_id: int) -> str | None:
    """In a group, the text meant for the bot (mention removed), or None if not addressed.

    A group message is for the bot when it mentions the bot (@username, or a mention of
    its account) or replies to one of the bot's messages. In private chats every message
    is; its text is returned unchanged.
    """
    caption = message.text is None
    text = (message.caption if caption else message.text) or ""
    if message.chat.type == "private":
        return text
    entities = (message.parse_caption_entities() if caption else message.parse_entities())
    mentions = _mentions_of(entities, username, bot_id)
    if not mentions and not is_reply_to_bot(message, bot_id):
        return None
    return _without(text, mentions)
