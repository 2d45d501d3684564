"""The ``kb_meta`` key/value table (data version for cache invalidation)."""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from knowledge.schema import Meta


def set_meta(conn: Connection, key: str, value: str) -> None:
    """Insert or update one ``kb_meta`` entry."""
    table = Meta.__table__
    exists = conn.execute(select(table.c.key).where(table.c.key == key)).first()
    if exists:
        conn.execute(update(table).where(table.c.key == key).values(value=value))
    else:
        conn.execute(insert(table).values(key=key, value=value))


def get_meta(conn: Connection, key: str) -> str | None:
    """One ``kb_meta`` value (``None`` when unset)."""
    table = Meta.__table__
    return conn.execute(select(table.c.value).where(table.c.key == key)).scalar_one_or_none()
