"""Upsert validated records into the database by stable key (one transaction, caller's)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, and_, delete, insert, select, update
from sqlalchemy.engine import Connection

from knowledge.vocab import CURATED


@dataclass
class TableReport:
    """What one sync did to one table."""

    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated or self.deleted)


@dataclass
class SyncPlan:
    """Rows for one record table plus its child link tables."""

    table: Table
    key: str
    rows: list[dict[str, Any]]
    links: dict[str, tuple[Table, str, list[dict[str, Any]]]] = field(default_factory=dict)


def _norm(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value


def upsert(conn: Connection, plan: SyncPlan) -> TableReport:
    """Insert new rows and update changed ones; link rows are synced per parent."""
    table, key = plan.table, plan.key
    report = TableReport()
    columns = [c.name for c in table.columns]
    wanted = {row[key]: {c: row.get(c) for c in columns} for row in plan.rows}
    existing = (
        {
            r[key]: dict(r)
            for r in conn.execute(select(table).where(table.c[key].in_(list(wanted)))).mappings()
        }
        if wanted
        else {}
    )
    touched: set[str] = set()
    for pk, row in wanted.items():
        old = existing.get(pk)
        if old is None:
            conn.execute(insert(table).values(**row))
            report.inserted += 1
            touched.add(pk)
        elif any(_norm(old.get(c)) != _norm(row.get(c)) for c in columns):
            conn.execute(update(table).where(table.c[key] == pk).values(**row))
            report.updated += 1
            touched.add(pk)
        else:
            report.unchanged += 1
    links_changed = _sync_links(conn, plan, wanted)
    if links_changed - touched:
        report.updated += len(links_changed - touched)
        report.unchanged -= len(links_changed - touched)
    return report


def delete_stale(conn: Connection, plan: SyncPlan, origin: str = CURATED) -> int:
    """Delete rows of ``origin`` whose keys are absent from ``plan.rows`` (and their links)."""
    table, key = plan.table, plan.key
    wanted = {row[key] for row in plan.rows}
    stale = [
        r[0]
        for r in conn.execute(select(table.c[key]).where(table.c.origin == origin)).all()
        if r[0] not in wanted
    ]
    for chunk in _chunks(stale, 500):
        for link_table, link_key, _ in plan.links.values():
            conn.execute(delete(link_table).where(link_table.c[link_key].in_(chunk)))
        conn.execute(delete(table).where(table.c[key].in_(chunk)))
    return len(stale)


def _sync_links(conn: Connection, plan: SyncPlan, wanted: dict[str, Any]) -> set[str]:
    changed: set[str] = set()
    parents = list(wanted)
    for link_table, link_key, rows in plan.links.values():
        value_cols = [c.name for c in link_table.primary_key.columns if c.name != link_key]
        have: dict[str, set[tuple[Any, ...]]] = {}
        for chunk in _chunks(parents, 500):
            query = select(link_table).where(link_table.c[link_key].in_(chunk))
            for r in conn.execute(query).mappings():
                have.setdefault(r[link_key], set()).add(tuple(r[c] for c in value_cols))
        want: dict[str, set[tuple[Any, ...]]] = {}
        for r in rows:
            want.setdefault(r[link_key], set()).add(tuple(r[c] for c in value_cols))
        for parent in parents:
            old, new = have.get(parent, set()), want.get(parent, set())
            if old == new:
                continue
            changed.add(parent)
            for gone in old - new:
                conditions = [link_table.c[link_key] == parent]
                conditions += [link_table.c[c] == v for c, v in zip(value_cols, gone, strict=True)]
                conn.execute(delete(link_table).where(and_(*conditions)))
            added = [dict(zip(value_cols, v, strict=True), **{link_key: parent}) for v in new - old]
            if added:
                conn.execute(insert(link_table), added)
    return changed


def _chunks(items: Sequence[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


__all__ = ["SyncPlan", "TableReport", "delete_stale", "upsert"]
