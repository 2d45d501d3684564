"""The English source texts in `locales/responses/*.yml`, looked up in any language.

The YAML files hold four kinds of entries, all extracted by pybabel (locales/extract.py)
with a message context so that the same English words can be translated differently:

- `utter_*`: whole responses (`text`, `buttons`, `sources`), context = the response name;
- `button_sets`: named button lists shared by responses, context "button";
- `labels`: `{group: {key: English label}}` for vocabulary keys, context = the group;
- `templates`: pieces the actions compose answers from, context "template:<name>"; a
  template is a string, or `{one: ..., other: ...}` for plural forms.
"""

from __future__ import annotations

import logging
import string
from functools import lru_cache
from typing import Any

import yaml

from locales import LOCALES_DIR, Translator

logger = logging.getLogger(__name__)

RESPONSES_DIR = LOCALES_DIR / "responses"
SECTIONS = ("button_sets", "labels", "templates")


@lru_cache(maxsize=1)
def definitions() -> dict[str, Any]:
    """Every entry of `locales/responses/*.yml`; a name defined twice is an error."""
    merged: dict[str, Any] = {section: {} for section in SECTIONS}
    for path in sorted(RESPONSES_DIR.glob("*.yml")):
        with path.open(encoding="utf-8") as handle:
            content = yaml.safe_load(handle) or {}
        for section in SECTIONS:
            for key, value in (content.pop(section, None) or {}).items():
                if key in merged[section] and section != "labels":
                    raise ValueError(f"{path}: {section}.{key} defined twice")
                if section == "labels":
                    merged[section].setdefault(key, {}).update(value)
                else:
                    merged[section][key] = value
        duplicates = set(content) & set(merged)
        if duplicates:
            raise ValueError(f"{path}: responses defined twice: {sorted(duplicates)}")
        merged.update(content)
    return merged


class _Placeholders(dict):  # type: ignore[type-arg]
    """Format values that leave an unknown placeholder visible instead of failing."""

    def __missing__(self, key: str) -> str:
        logger.warning("Placeholder {%s} has no value", key)
        return "{" + key + "}"


def fill(template: str, values: dict[str, Any]) -> str:
    """`str.format_map` that tolerates missing placeholders (and logs them)."""
    return string.Formatter().vformat(template, (), _Placeholders(values))


def label(t: Translator, group: str, key: str | None) -> str:
    """The localized label of a vocabulary key ("export_credit_insurance" -> ...)."""
    if not key:
        return ""
    english = definitions()["labels"].get(group, {}).get(key)
    if english is None:
        logger.warning("No label for %s.%s", group, key)
        return key.replace("_", " ")
    return t.p_(group, english)


def template(t: Translator, key: str, /, count: int | None = None, **values: Any) -> str:
    """A localized answer piece with its placeholders filled (plural by `count`)."""
    source = definitions()["templates"][key]
    context = f"template:{key}"
    if isinstance(source, dict):
        one, other = source["one"].strip(), source["other"].strip()
        text = t.np_(context, one, other, count if count is not None else 1)
        values.setdefault("count", t.number(count) if count is not None else "")
        english = other if text == other else one
    else:
        english = source.strip()
        text = t.p_(context, english)
    if text == english:
        # Untranslated (English): keep the source's own leading space, which a suffix
        # template (" in {region}") needs; translations carry their own punctuation.
        text = source[: len(source) - len(source.lstrip())] + text if isinstance(source, str) \
            else text
    return fill(text.rstrip(), values)


def button_set(t: Translator, name: str) -> list[dict[str, str]]:
    """A named button set of `button_sets`, titles translated, payloads unchanged."""
    return [{"title": t.p_("button", button["title"]), "payload": button["payload"]}
            for button in definitions()["button_sets"][name]]
