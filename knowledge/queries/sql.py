"""Fast execution of the queries' SQL: cached textual statements with bound parameters.

The query modules build their SQL as text (portable across SQLite and PostgreSQL) because
building SQLAlchemy expression trees and their cache keys on every call costs more CPU than
running the statements. Values are always bound parameters, never formatted into the SQL;
list values become expanding ``IN`` parameters.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from collections import namedtuple
from typing import Any

from sqlalchemy import JSON, Boolean, Date, bindparam, text
from sqlalchemy.engine import Result
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

from knowledge.schema import Base

_statements: dict[tuple[str, tuple[str, ...]], TextClause] = {}
_lock = threading.Lock()
_LISTS = (list, tuple, set, frozenset)
_PARAM = re.compile(r"(?<![:\w]):(\w+)")


def run(session: Session, sql: str, **params: Any) -> Result:
    """Execute ``sql`` with ``params`` (lists become expanding ``IN`` parameters)."""
    used = set(_PARAM.findall(sql))
    params = {k: v for k, v in params.items() if k in used}
    lists = tuple(sorted(k for k, v in params.items() if isinstance(v, _LISTS)))
    key = (sql, lists)
    statement = _statements.get(key)
    if statement is None:
        statement = text(sql)
        if lists:
            statement = statement.bindparams(*(bindparam(k, expanding=True) for k in lists))
        with _lock:
            _statements[key] = statement
    values = {k: (list(v) if k in lists else v) for k, v in params.items()}
    return session.execute(statement, values)


_row_types: dict[str, tuple[Any, ...]] = {}


def _row_type(table: str):  # type: ignore[no-untyped-def]
    found = _row_types.get(table)
    if found is None:
        columns = Base.metadata.tables[table].columns
        names = tuple(c.name for c in columns)
        json_cols = frozenset(c.name for c in columns if isinstance(c.type, JSON))
        date_cols = frozenset(c.name for c in columns if isinstance(c.type, Date))
        bool_cols = frozenset(c.name for c in columns if isinstance(c.type, Boolean))
        row_cls = namedtuple(f"{table}_row", names)  # type: ignore[misc]
        found = (row_cls, names, json_cols, date_cols, bool_cols)
        _row_types[table] = found
    return found


def decode(table: str, raw: Any) -> Any:
    """A named tuple of a raw row of ``table`` with JSON and dates decoded."""
    cls, names, json_cols, date_cols, bool_cols = _row_type(table)
    values = []
    for name, value in zip(names, raw, strict=True):
        if value is not None:
            if name in json_cols and isinstance(value, str):
                value = json.loads(value)
            elif name in date_cols and isinstance(value, str):
                value = dt.date.fromisoformat(value[:10])
            elif name in bool_cols:
                value = bool(value)
        values.append(value)
    return cls(*values)


def rows_by_key(session: Session, table: str, key: str, keys: Any) -> list[Any]:
    """Decoded rows of ``table`` whose ``key`` column is in ``keys``."""
    if not keys:
        return []
    names = ", ".join(_row_type(table)[1])
    result = run(session, f"SELECT {names} FROM {table} WHERE {key} IN :keys", keys=list(keys))
    return [decode(table, r) for r in result]
