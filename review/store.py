"""Rasa's SQL tracker store, read directly: the `events` table on SQLite or PostgreSQL.

Rasa writes one row per event (sender_id, type_name, timestamp, intent_name, action_name,
data). `data` is the event as JSON; for a user message it holds the whole parse result
(intent, intent_ranking, entities with our LanguageDetector's `language` entity,
`language_guess`, response_selector), which is what the NLU inbox shows. Reading the table
needs no domain, no model and no running assistant; rows are ordered by id, as Rasa does,
because timestamps are floats and not unique.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from review.project import ReviewError

# The columns Rasa's SQLTrackerStore.SQLEvent declares (rasa/core/tracker_store.py).
_metadata = sa.MetaData()
EVENTS = sa.Table(
    "events", _metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)

# Rows are fetched in pages so that a large store never sits in memory at once.
PAGE_SIZE = 2_000


@dataclass(frozen=True)
class StoredEvent:
    """One row of the events table, with `data` decoded."""

    id: int
    sender_id: str
    type_name: str
    timestamp: float
    data: dict[str, Any]


def create_engine(url: str) -> Engine:
    """An SQLAlchemy engine for the tracker store at `url`.

    Rasa reads POSTGRESQL_SCHEMA to put its tables in a schema other than `public`; we
    honour it the same way so that both look at the same table.
    """
    if url.startswith("postgres://"):          # SQLAlchemy 1.4 refuses this scheme
        url = "postgresql://" + url[len("postgres://"):]
    kwargs: dict[str, Any] = {"future": True}
    schema = os.environ.get("POSTGRESQL_SCHEMA")
    if schema and url.startswith("postgresql"):
        kwargs["connect_args"] = {"options": f"-csearch_path={schema}"}
    return sa.create_engine(url, **kwargs)


class TrackerEvents:
    """Read and delete rows of one tracker store."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_engine(url)
        try:
            present = sa.inspect(self.engine).has_table("events")
        except sa.exc.OperationalError as error:
            raise ReviewError(f"Cannot open the tracker store {self._safe_url()}: "
                              f"{error.orig}") from error
        if not present:
            raise ReviewError(f"No Rasa tracker store (table `events`) at {self._safe_url()}")

    def _safe_url(self) -> str:
        """The URL without its password, for messages."""
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> TrackerEvents:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def _range(query: Any, since: float | None, until: float | None) -> Any:
        if since is not None:
            query = query.where(EVENTS.c.timestamp >= since)
        if until is not None:
            query = query.where(EVENTS.c.timestamp < until)
        return query

    def events(self, since: float | None = None, until: float | None = None,
               senders: Iterable[str] | None = None,
               types: Iterable[str] | None = None) -> Iterator[StoredEvent]:
        """Events in [since, until), optionally of some senders and types, ordered by id."""
        query = self._range(sa.select(EVENTS.c.id, EVENTS.c.sender_id, EVENTS.c.type_name,
                                      EVENTS.c.timestamp, EVENTS.c.data), since, until)
        if senders is not None:
            query = query.where(EVENTS.c.sender_id.in_(list(senders)))
        if types is not None:
            query = query.where(EVENTS.c.type_name.in_(list(types)))
        last_id = -1
        with self.engine.connect() as connection:
            while True:
                page = connection.execute(
                    query.where(EVENTS.c.id > last_id).order_by(EVENTS.c.id).limit(PAGE_SIZE)
                ).all()
                for row in page:
                    yield StoredEvent(row.id, row.sender_id, row.type_name,
                                      row.timestamp or 0.0, _decode(row.data))
                if len(page) < PAGE_SIZE:
                    return
                last_id = page[-1].id

    def senders(self, since: float | None = None, until: float | None = None) -> list[str]:
        """Senders with at least one event in [since, until), sorted."""
        query = self._range(sa.select(EVENTS.c.sender_id).distinct(), since, until)
        with self.engine.connect() as connection:
            return sorted(connection.execute(query).scalars())

    def count(self, sender_id: str) -> int:
        """How many events the store holds for `sender_id`."""
        query = sa.select(sa.func.count()).select_from(EVENTS).where(
            EVENTS.c.sender_id == sender_id)
        with self.engine.connect() as connection:
            return int(connection.execute(query).scalar_one())

    def forget(self, sender_id: str) -> int:
        """Delete every event of `sender_id` (all sessions); return how many rows went.

        The running assistant reads the tracker from the store on each message, so the
        user's next message starts a fresh conversation with an empty profile.
        """
        with self.engine.begin() as connection:
            result = connection.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id == sender_id))
            return int(result.rowcount or 0)


def _decode(data: str | None) -> dict[str, Any]:
    """The event's JSON; a damaged row becomes an empty event rather than a crash."""
    if not data:
        return {}
    try:
        value = json.loads(data)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
