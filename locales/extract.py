"""Babel extractor for `locales/responses/*.yml` (see locales/texts.py for the format).

Every text is a msgid with a context (msgctxt): the response name for responses, "button"
for button titles, "source" for source titles, the group for labels and
"template:<name>" for templates. Registered in babel.cfg's [extractors] section.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import yaml

BUTTON_CONTEXT = "button"
SOURCE_CONTEXT = "source"


def _line_of(lines: list[str], needle: str, start: int = 0) -> int:
    for number, line in enumerate(lines[start:], start=start + 1):
        if needle in line:
            return number
    return start + 1


def extract_responses(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Yield (line, "pgettext", (context, msgid), comments) for every text and title."""
    source = fileobj.read().decode("utf-8")
    lines = source.splitlines()
    content = yaml.safe_load(source) or {}
    for group, labels in (content.pop("labels", None) or {}).items():
        line = _line_of(lines, f"{group}:")
        for english in labels.values():
            yield line, "pgettext", (group, english), []
    for name, source in (content.pop("templates", None) or {}).items():
        line = _line_of(lines, f"{name}:")
        context = f"template:{name}"
        if isinstance(source, dict):
            yield line, "npgettext", (context, source["one"].strip(), source["other"].strip()), []
        else:
            yield line, "pgettext", (context, source.strip()), []
    for name, definition in content.items():
        if name == "button_sets":
            for set_name, buttons in (definition or {}).items():
                line = _line_of(lines, f"{set_name}:")
                for button in buttons:
                    yield line, "pgettext", (BUTTON_CONTEXT, button["title"]), []
            continue
        line = _line_of(lines, f"{name}:")
        yield line, "pgettext", (name, str(definition["text"]).strip()), []
        buttons = definition.get("buttons")
        if isinstance(buttons, list):  # a named set or `languages` is a string
            for button in buttons:
                yield line, "pgettext", (BUTTON_CONTEXT, button["title"]), []
        for source in definition.get("sources") or []:
            if source.get("title"):
                yield line, "pgettext", (SOURCE_CONTEXT, source["title"]), []
