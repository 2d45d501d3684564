"""Per-process caches of views derived from the database, keyed by the data token.

The token is the database URL plus the ``data_version`` and ``revision`` entries of ``kb_meta``.
Every writer (``load_data``, the importers) stores a new revision whenever it changes a row, and
the benchmark's synthetic rows change ``data_version``, so a view built from earlier data is
never returned: the next query sees a different token and rebuilds it. Views must be immutable
(callers share them across threads).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from knowledge.loader.meta import REVISION
from knowledge.queries.sql import run

T = TypeVar("T")
Token = tuple[str, str | None, str | None]

_views: dict[tuple[str, Hashable], tuple[Token, Any]] = {}
_lock = threading.Lock()
_SESSION_KEY = "knowledge.data_token"


def data_token(session: Session) -> Token:
    """The data token, read once per transaction of ``session`` (one small query)."""
    memo = session.info.get(_SESSION_KEY)
    transaction = session.get_transaction()
    if memo is not None and transaction is not None and memo[0] is transaction:
        return memo[1]
    rows = run(
        session,
        "SELECT key, value FROM kb_meta WHERE key IN ('data_version', :revision)",
        revision=REVISION,
    )
    values = dict(rows.all())
    token = (str(session.get_bind().url), values.get("data_version"), values.get(REVISION))
    # Keyed by the transaction object itself: a later transaction may see newer data.
    session.info[_SESSION_KEY] = (session.get_transaction(), token)
    return token


def view(session: Session, name: Hashable, build: Callable[[Session], T]) -> T:
    """The view ``name`` of the session's database, built by ``build(session)`` at most once
    per data token (per process)."""
    token = data_token(session)
    key = (token[0], name)
    with _lock:
        found = _views.get(key)
    if found is not None and found[0] == token:
        return found[1]  # type: ignore[no-any-return]
    value = build(session)
    with _lock:
        # Views of older data of this database are dropped with the first rebuild.
        for stale in [k for k, (t, _) in _views.items() if k[0] == token[0] and t != token]:
            del _views[stale]
        _views[key] = (token, value)
    return value


def clear() -> None:
    """Forget every cached view (tests; after a load in this process the token changes anyway)."""
    with _lock:
        _views.clear()
