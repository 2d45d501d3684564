"""The widget's UI strings in one of the six languages, from `locales/responses/webchat.yml`.

The widget script has no texts of its own: it asks the channel for them
(GET /webhooks/webchat/strings?lang=xx), and the demo page is rendered with them too.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from locales import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, normalize_language, texts, translator

PREFIX = "webchat_"
DEMO_PREFIX = "webchat_demo_"


def language_of(hint: Any) -> str:
    """One of the six codes for a hint ("ar", "zh-CN", None...), English by default."""
    return normalize_language(hint if isinstance(hint, str) else None) or DEFAULT_LANGUAGE


def keys() -> list[str]:
    """The widget's string keys (template names without the `webchat_` prefix)."""
    return sorted(name[len(PREFIX):] for name in texts.definitions()["templates"]
                  if name.startswith(PREFIX) and not name.startswith(DEMO_PREFIX))


@lru_cache(maxsize=len(SUPPORTED_LANGUAGES))
def widget_strings(language: str) -> dict[str, Any]:
    """`{language, dir, strings: {key: text}, languages: [{code, name}]}` for the widget."""
    t = translator(language)
    return {
        "language": t.language,
        "dir": t.direction,
        "strings": {key: texts.template(t, PREFIX + key) for key in keys()},
        # Each language named in itself, so that anyone finds their own in the menu.
        "languages": [{"code": code, "name": t.native_language_name(code),
                       "dir": translator(code).direction} for code in SUPPORTED_LANGUAGES],
    }


def demo_strings(language: str) -> dict[str, str]:
    """The demo page's texts (`webchat_demo_*` templates) in `language`."""
    t = translator(language)
    return {name[len(DEMO_PREFIX):]: texts.template(t, name)
            for name in texts.definitions()["templates"] if name.startswith(DEMO_PREFIX)}
