"""Helpers for the knowledge tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import text
from sqlalchemy.engine import Engine

from knowledge.schema import Base


def read_records(path: Path) -> list[dict[str, Any]]:
    """Records of a data file."""
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


def write_records(path: Path, records: list[dict[str, Any]]) -> None:
    """Write records back (dates as ISO strings)."""
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), "utf-8")


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every knowledge table, sorted (to compare database states)."""
    out: dict[str, list[tuple]] = {}
    with engine.connect() as conn:
        existing = set(engine.dialect.get_table_names(conn))
        for table in Base.metadata.sorted_tables:
            if table.name not in existing:
                out[table.name] = []
                continue
            rows = conn.execute(text(f"SELECT * FROM {table.name}")).all()
            out[table.name] = sorted(tuple(map(str, r)) for r in rows)
    return out
