"""Engine factory, sessions and migrations for the knowledge base.

SQLite under ``var/knowledge.db`` by default; PostgreSQL (or any SQLAlchemy URL) when
``ADVISOR_DATABASE_URL`` is set. All engines are created with ``future=True`` (SQLAlchemy 2.0
style on 1.4).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.future import create_engine as _create_engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from knowledge.config import MIGRATIONS_DIR, database_url

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_engine(url: str | None = None, **kwargs: object) -> Engine:
    """Create a new engine for ``url`` (default: :func:`knowledge.config.database_url`).

    SQLite files get their parent folder created and foreign keys switched on.
    """
    resolved = make_url(database_url(url))
    options: dict[str, object] = dict(kwargs)
    if resolved.get_backend_name() == "sqlite" and resolved.database not in (None, "", ":memory:"):
        Path(resolved.database).parent.mkdir(parents=True, exist_ok=True)
        # SQLAlchemy 1.4 opens a new SQLite connection per checkout (NullPool) for files; a
        # queue pool (2.0's default) avoids re-reading the schema on every session.
        options.setdefault("poolclass", QueuePool)
        connect_args = dict(options.pop("connect_args", {}) or {})  # type: ignore[call-overload]
        connect_args.setdefault("check_same_thread", False)
        options["connect_args"] = connect_args
    engine = _create_engine(resolved, future=True, **options)  # type: ignore[arg-type]
    if resolved.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def get_engine(url: str | None = None) -> Engine:
    """Return a process-wide cached engine for ``url`` (resolved like :func:`create_engine`)."""
    key = database_url(url)
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            engine = create_engine(key)
            _engines[key] = engine
        return engine


def dispose_engines() -> None:
    """Dispose of every cached engine (tests, forks)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


@contextmanager
def session_scope(engine: Engine | str | None = None) -> Iterator[Session]:
    """A transactional ``Session``: committed on success, rolled back on error.

    ``engine`` may be an :class:`Engine`, a URL, or ``None`` for the default database.
    """
    bind = engine if isinstance(engine, Engine) else get_engine(engine)
    factory = sessionmaker(bind=bind, future=True, expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(engine: Engine):  # type: ignore[no-untyped-def]
    """An Alembic ``Config`` for the knowledge migrations bound to ``engine``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", str(engine.url).replace("%", "%%"))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the knowledge migrations up to ``revision``."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    """Run the knowledge migrations down to ``revision``."""
    from alembic import command

    command.downgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    """The migration revision the database is at (``None`` when unmigrated)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
