"""Reading the YAML data files with the line number of every record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from knowledge.loader.errors import DataError, Problem

LINE = "__line__"


_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_Base):  # type: ignore[valid-type,misc]
    """A safe loader that records the first line of every mapping under ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Keep dates as text: the validators parse them and report bad ones by record.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path, display: str | None = None) -> Any:
    """Parse ``path``; a syntax error becomes a :class:`DataError` naming file and line."""
    name = display or path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataError([Problem(name, None, "file not found")]) from exc
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        raise DataError([Problem(name, None, f"YAML syntax error: {exc.problem}", line)]) from exc


def strip_lines(value: Any) -> Any:
    """A copy of ``value`` without the ``__line__`` entries."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != LINE}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value
