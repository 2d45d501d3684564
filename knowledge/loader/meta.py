"""The ``kb_meta`` key/value table (data version and revision for cache invalidation)."""

from __future__ import annotations

import uuid

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from knowledge.schema import Meta

#: Key of the random token a writer stores whenever it changes any row. ``data_version`` alone
#: cannot invalidate caches: it is the digest of the data files, so imports leave it unchanged and
#: a reload of unchanged files that restores edited rows keeps it too.
REVISION = "revision"


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


def new_revision(conn: Connection) -> str:
    """Record that the data changed (in the caller's transaction): a new random revision, which
    makes every process drop what it cached from the previous data."""
    value = uuid.uuid4().hex
    set_meta(conn, REVISION, value)
    return value
