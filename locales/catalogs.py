"""`advisor catalogs extract|update|compile|check`: the gettext workflow, via pybabel.

- extract: write `locales/messages.pot` from the code and the response texts;
- update: merge the template into every `<lang>/LC_MESSAGES/messages.po`;
- compile: build the `.mo` files the assistant reads (git-ignored);
- check: report untranslated, fuzzy and placeholder-mismatched entries per language.
"""

from __future__ import annotations

import string
import sys

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from locales import DEFAULT_LANGUAGE, DOMAIN, LOCALES_DIR, SUPPORTED_LANGUAGES

PROJECT_DIR = LOCALES_DIR.parent
TEMPLATE = LOCALES_DIR / f"{DOMAIN}.pot"
TRANSLATED = [lang for lang in SUPPORTED_LANGUAGES if lang != DEFAULT_LANGUAGE]


def _pybabel(*arguments: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *arguments])


def extract() -> None:
    _pybabel("extract", "-F", str(PROJECT_DIR / "babel.cfg"), "-o", str(TEMPLATE),
             "--no-location", "--sort-output", "--omit-header",
             "-k", "_", "-k", "n_:1,2", "-k", "p_:1c,2", "-k", "np_:1c,2,3",
             "--project", "sme-going-global-advisor", str(PROJECT_DIR))


def update() -> None:
    for language in TRANSLATED:
        po = LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        command = "update" if po.exists() else "init"
        extra = ["--no-fuzzy-matching", "--ignore-obsolete"] if command == "update" else []
        _pybabel(command, "-i", str(TEMPLATE), "-d", str(LOCALES_DIR), "-D", DOMAIN,
                 "-l", language, "--no-wrap", *extra)


def compile_catalogs() -> None:
    _pybabel("compile", "-d", str(LOCALES_DIR), "-D", DOMAIN, "--use-fuzzy")


def placeholders(text: str) -> set[str]:
    """The {name} placeholders of a message."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def gaps() -> dict[str, list[str]]:
    """Problems per language: untranslated, fuzzy, or placeholders that differ."""
    problems: dict[str, list[str]] = {}
    for language in TRANSLATED:
        path = LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        found: list[str] = []
        if not path.exists():
            problems[language] = [f"missing catalog {path}"]
            continue
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        for message in catalog:
            if not message.id:
                continue
            ids = list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]
            strings = (list(message.string) if isinstance(message.string, (list, tuple))
                       else [message.string])
            label = f"{message.context or ''}|{ids[0]}"[:90]
            if not all(strings):
                found.append(f"untranslated: {label}")
            elif message.fuzzy:
                found.append(f"fuzzy: {label}")
            elif any(placeholders(s) != placeholders(ids[0]) for s in strings):
                found.append(f"placeholders differ: {label}")
        problems[language] = found
    return problems


def check() -> int:
    problems = gaps()
    for language, found in problems.items():
        print(f"{language}: {len(found)} gap(s)")
        for line in found[:50]:
            print(f"  {line}")
    return 1 if any(problems.values()) else 0


def main(action: str) -> int:
    if action == "extract":
        extract()
    elif action == "update":
        extract()
        update()
    elif action == "compile":
        compile_catalogs()
    elif action == "check":
        return check()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "check"))
