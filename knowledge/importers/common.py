"""Shared pieces of the importers: reading CSV with line numbers, reports, key slugs."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.loader.errors import DataError, Problem


@dataclass
class ImportReport:
    """What an import did (or would do, with ``dry_run``)."""

    file: str
    origin: str
    rows: int
    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    skipped: list[Problem] = field(default_factory=list)
    dry_run: bool = False


def slug(text: str) -> str:
    """A lower-case ASCII key fragment (non-Latin text keeps its letters)."""
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode() or text
    return re.sub(r"[^a-z0-9]+", "_", norm.lower()).strip("_")[:60] or "x"


def read_csv_rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, row)``; malformed lines raise :class:`DataError` naming the line.

    A row with more or fewer fields than the header, an unterminated quote or a missing
    required column is malformed.
    """
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError([Problem(name, None, f"not UTF-8 text: {exc}")]) from exc
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration as exc:
        raise DataError([Problem(name, None, "empty file", 1)]) from exc
    except csv.Error as exc:
        raise DataError([Problem(name, None, f"malformed CSV: {exc}", 1)]) from exc
    missing = [c for c in required if c not in header]
    if missing:
        raise DataError([Problem(name, None, f"missing column(s) {missing}", 1)])
    problems: list[Problem] = []
    rows: list[tuple[int, dict[str, str]]] = []
    start = 2
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(
                Problem(name, f"line {reader.line_num}", f"malformed CSV: {exc}", reader.line_num)
            )
            break
        line = start
        start = reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(
                Problem(
                    name,
                    f"line {line}",
                    f"malformed line: expected {len(header)} fields, got {len(cells)}",
                    line,
                )
            )
            continue
        rows.append((line, {h: c.strip() for h, c in zip(header, cells, strict=True)}))
    if problems:
        raise DataError(problems)
    yield from rows
