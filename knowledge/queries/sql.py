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


_row_types: dict[tuple[str, tuple[str, ...] | None], tuple[Any, ...]] = {}


def _row_type(table: str, only: tuple[str, ...] | None = None):  # type: ignore[no-untyped-def]
    found = _row_types.get((table, only))
    if found is None:
        columns = [c for c in Base.metadata.tables[table].columns if not only or c.name in only]
        names = tuple(c.name for c in columns)
        json_cols = frozenset(c.name for c in columns if isinstance(c.type, JSON))
        date_cols = frozenset(c.name for c in columns if isinstance(c.type, Date))
        bool_cols = frozenset(c.name for c in columns if isinstance(c.type, Boolean))
        suffix = "_".join(names) if only else "row"
        row_cls = namedtuple(f"{table}_{suffix}", names)  # type: ignore[misc]
        found = (row_cls, names, json_cols, date_cols, bool_cols)
        _row_types[(table, only)] = found
    return found


def decode(table: str, raw: Any, only: tuple[str, ...] | None = None) -> Any:
    """A named tuple of a raw row of ``table`` (all columns in table order, or the columns
    ``only`` names, in table order) with JSON and dates decoded."""
    cls, names, json_cols, date_cols, bool_cols = _row_type(table, only)
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


def rows_by_key(
    session: Session, table: str, key: str, keys: Any, only: tuple[str, ...] | None = None
) -> list[Any]:
    """Decoded rows of ``table`` whose ``key`` column is in ``keys`` (all columns, or those
    ``only`` names: reading a few columns of wide rows is cheaper)."""
    if not keys:
        return []
    names = ", ".join(_row_type(table, only)[1])
    result = run(session, f"SELECT {names} FROM {table} WHERE {key} IN :keys", keys=list(keys))
    return [decode(table, r, only) for r in result]
