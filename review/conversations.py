"""Events grouped into conversations (one per sender) and sessions; time ranges.

A session starts where Rasa ran `action_session_start` (a new user, or one who came back
after `session_expiration_time`). Exports work on the events inside the requested time
range: a session that began earlier shows from its first event in the range.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from review.project import ReviewError
from review.store import StoredEvent

SESSION_START_ACTION = "action_session_start"
_RELATIVE = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")
_UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_time(value: str | None, now: float | None = None) -> float | None:
    """A Unix timestamp for "2025-03-01", "2025-03-01T14:30", "...+08:00", or "7d"/"12h"/"30m"
    (that long ago). Dates without an offset are local time, like the maintainer's clock."""
    if value is None or not value.strip():
        return None
    match = _RELATIVE.match(value)
    if match:
        now = dt.datetime.now().timestamp() if now is None else now
        return now - int(match.group(1)) * _UNITS[match.group(2)]
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError as error:
        raise ReviewError(f"Not a date, a date-time or a duration like 7d: {value!r}") from error
    return moment.timestamp()


def format_time(timestamp: float) -> str:
    """Local time with its offset, to the second."""
    return dt.datetime.fromtimestamp(timestamp).astimezone().isoformat(timespec="seconds")


@dataclass
class Session:
    """The events of one conversation session, in order."""

    events: list[StoredEvent] = field(default_factory=list)

    @property
    def start(self) -> float:
        return self.events[0].timestamp if self.events else 0.0

    @property
    def user_messages(self) -> int:
        return sum(event.type_name == "user" for event in self.events)


@dataclass
class Conversation:
    """Everything one sender said and was told, split into sessions."""

    sender_id: str
    sessions: list[Session] = field(default_factory=list)

    @property
    def events(self) -> list[StoredEvent]:
        return [event for session in self.sessions for event in session.events]

    @property
    def first(self) -> float:
        return self.sessions[0].start if self.sessions else 0.0

    @property
    def last(self) -> float:
        events = self.events
        return events[-1].timestamp if events else 0.0

    def count(self, type_name: str) -> int:
        return sum(event.type_name == type_name for event in self.events)


def is_session_start(event: StoredEvent) -> bool:
    return event.type_name == "action" and event.data.get("name") == SESSION_START_ACTION


def group(events: Iterable[StoredEvent]) -> list[Conversation]:
    """Conversations (sorted by sender) of events ordered by id."""
    conversations: dict[str, Conversation] = {}
    for event in events:
        conversation = conversations.setdefault(event.sender_id, Conversation(event.sender_id))
        if not conversation.sessions or (is_session_start(event)
                                         and conversation.sessions[-1].events):
            conversation.sessions.append(Session())
        conversation.sessions[-1].events.append(event)
    return [conversations[key] for key in sorted(conversations)]


def bot_text(data: dict[str, Any]) -> str:
    """What a bot event showed: its text, plus its buttons' titles and any image link."""
    parts = [data.get("text") or ""]
    extra = data.get("data") or {}
    buttons = [str(b.get("title", "")) for b in extra.get("buttons") or [] if isinstance(b, dict)]
    if buttons:
        parts.append("[" + " | ".join(buttons) + "]")
    if extra.get("image"):
        parts.append(f"(image: {extra['image']})")
    return " ".join(part for part in parts if part)
