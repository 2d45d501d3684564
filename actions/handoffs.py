"""Hand-offs to a human advisor: recorded in the database, announced to the agency.

A hand-off keeps who asked (sender), in which language, their profile and the recent turns,
so that the advisor does not have to ask again. The agency is told through a webhook
(`ADVISOR_HANDOFF_WEBHOOK_URL`, a JSON POST) and/or a Telegram chat
(`ADVISOR_HANDOFF_TELEGRAM_CHAT_ID` with `ADVISOR_TELEGRAM_TOKEN`); when neither is set or
both fail, the hand-off stays queued for `advisor handoffs` to list.

Storage: table `handoffs` in ADVISOR_DATABASE_URL, or SQLite `var/advisor.db`. The table is
created on first use (one table, no migrations needed yet).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Boolean, Column, DateTime, Integer, String, Text, select
from sqlalchemy.future import create_engine
from sqlalchemy.orm import Session, declarative_base

logger = logging.getLogger(__name__)

Base = declarative_base()
DEFAULT_URL = f"sqlite:///{Path(__file__).resolve().parent.parent / 'var' / 'advisor.db'}"
NOTIFY_TIMEOUT_SECONDS = 5


class Handoff(Base):  # type: ignore[misc, valid-type]
    """A request to talk to a human advisor."""

    __tablename__ = "handoffs"

    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime, nullable=False, default=dt.datetime.utcnow)
    sender = Column(String(256), nullable=False, index=True)
    channel = Column(String(64), nullable=True)
    language = Column(String(8), nullable=False)
    profile = Column(JSON, nullable=False, default=dict)
    recent_turns = Column(JSON, nullable=False, default=list)
    notified = Column(Boolean, nullable=False, default=False)
    notified_via = Column(String(64), nullable=True)
    status = Column(String(16), nullable=False, default="open", index=True)
    note = Column(Text, nullable=True)

    @property
    def reference(self) -> str:
        return f"H-{self.id:05d}"


@dataclass(frozen=True)
class HandoffRequest:
    sender: str
    channel: str | None
    language: str
    profile: dict[str, Any]
    recent_turns: list[dict[str, str]]


_engines: dict[str, Any] = {}


def engine(url: str | None = None):  # type: ignore[no-untyped-def]
    """The engine of the hand-off database (tables created on first use)."""
    resolved = url or os.environ.get("ADVISOR_DATABASE_URL") or DEFAULT_URL
    if resolved not in _engines:
        if resolved.startswith("sqlite:///"):
            Path(resolved.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        created = create_engine(resolved, future=True)
        Base.metadata.create_all(created)
        _engines[resolved] = created
    return _engines[resolved]


def record(request: HandoffRequest, url: str | None = None) -> tuple[str, bool]:
    """Store the hand-off, notify the agency; return (reference, notified)."""
    with Session(engine(url)) as session, session.begin():
        handoff = Handoff(sender=request.sender, channel=request.channel,
                          language=request.language, profile=request.profile,
                          recent_turns=request.recent_turns)
        session.add(handoff)
        session.flush()
        reference = handoff.reference
        via = notify(reference, request)
        handoff.notified, handoff.notified_via = bool(via), ",".join(via) or None
    return reference, bool(via)


def _message(reference: str, request: HandoffRequest) -> str:
    turns = "\n".join(f"{turn['who']}: {turn['text'][:300]}" for turn in request.recent_turns)
    profile = json.dumps(request.profile, ensure_ascii=False)
    return (f"Hand-off {reference} from {request.sender} ({request.channel or 'unknown channel'},"
            f" language {request.language})\nProfile: {profile}\nRecent turns:\n{turns}")


def _post_json(url: str, body: dict[str, Any]) -> None:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=NOTIFY_TIMEOUT_SECONDS) as reply:
        reply.read()


def notify(reference: str, request: HandoffRequest) -> list[str]:
    """Tell the agency; return the channels that accepted the notification."""
    delivered = []
    webhook = os.environ.get("ADVISOR_HANDOFF_WEBHOOK_URL")
    if webhook:
        try:
            _post_json(webhook, {"reference": reference, "sender": request.sender,
                                 "channel": request.channel, "language": request.language,
                                 "profile": request.profile,
                                 "recent_turns": request.recent_turns})
            delivered.append("webhook")
        except Exception:
            logger.exception("Hand-off %s: webhook %s failed", reference, webhook)
    chat_id = os.environ.get("ADVISOR_HANDOFF_TELEGRAM_CHAT_ID")
    token = os.environ.get("ADVISOR_TELEGRAM_TOKEN")
    if chat_id and token:
        base = os.environ.get("ADVISOR_TELEGRAM_API_URL", "https://api.telegram.org").rstrip("/")
        try:
            _post_json(f"{base}/bot{token}/sendMessage",
                       {"chat_id": chat_id, "text": _message(reference, request)[:4000]})
            delivered.append("telegram")
        except Exception:
            logger.exception("Hand-off %s: Telegram notification failed", reference)
    return delivered


def open_handoffs(url: str | None = None, include_closed: bool = False) -> list[Handoff]:
    with Session(engine(url)) as session:
        query = select(Handoff).order_by(Handoff.created_at)
        if not include_closed:
            query = query.where(Handoff.status == "open")
        return list(session.execute(query).scalars())


def close(handoff_id: int, note: str | None = None, url: str | None = None) -> bool:
    with Session(engine(url)) as session, session.begin():
        handoff = session.get(Handoff, handoff_id)
        if handoff is None:
            return False
        handoff.status, handoff.note = "closed", note
        return True
