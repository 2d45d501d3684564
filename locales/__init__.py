"""Localization shared by the NLG endpoint, the actions and the channels.

Every user-facing string lives in this folder: response texts in `responses/*.yml` (English
source strings, the gettext msgids), their translations in
`<lang>/LC_MESSAGES/messages.po`. Numbers, money, dates, country and language names go
through Babel's CLDR data. Nothing here knows about Rasa.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import logging
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_compact_currency, format_decimal
from babel.support import NullTranslations, Translations

logger = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).resolve().parent
DOMAIN = "messages"
SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "zh", "ru", "ar", "es", "fr")
DEFAULT_LANGUAGE = "en"
RTL_LANGUAGES: frozenset[str] = frozenset({"ar"})


def normalize_language(language: str | None) -> str | None:
    """One of our six codes for a hint such as "zh-hans", "pt-BR" or "ar_EG", else None."""
    if not language or not isinstance(language, str):
        return None
    base = language.replace("_", "-").split("-")[0].lower()
    return base if base in SUPPORTED_LANGUAGES else None


def is_rtl(language: str) -> bool:
    """Whether `language` is written right to left (Arabic)."""
    return language in RTL_LANGUAGES


@cache
def translations(language: str) -> NullTranslations:
    """The gettext catalog of `language` (English is the source: no catalog needed).

    Compiled `.mo` files are preferred; when one is missing or older than its `.po`
    (a fresh checkout before `make`), the `.po` is compiled in memory instead.
    """
    if language == DEFAULT_LANGUAGE or language not in SUPPORTED_LANGUAGES:
        return NullTranslations()
    folder = LOCALES_DIR / language / "LC_MESSAGES"
    po_path, mo_path = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo_path.exists() and (not po_path.exists()
                             or mo_path.stat().st_mtime >= po_path.stat().st_mtime):
        with mo_path.open("rb") as handle:
            return Translations(handle, domain=DOMAIN)
    if not po_path.exists():
        logger.error("No catalog for %s at %s: answering in English", language, po_path)
        return NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


class Translator:
    """Gettext functions bound to one language: `_`, `n_` (plural) and `p_` (context)."""

    def __init__(self, language: str) -> None:
        self.language = normalize_language(language) or DEFAULT_LANGUAGE
        self._catalog = translations(self.language)

    def _(self, message: str) -> str:
        return self._catalog.gettext(message)

    def n_(self, singular: str, plural: str, count: int) -> str:
        return self._catalog.ngettext(singular, plural, count)

    def p_(self, context: str, message: str) -> str:
        return self._catalog.pgettext(context, message)

    def np_(self, context: str, singular: str, plural: str, count: int) -> str:
        return self._catalog.npgettext(context, singular, plural, count)

    # -- Babel formatting -------------------------------------------------------------

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.language)

    def number(self, value: float | int | Decimal) -> str:
        return format_decimal(value, locale=self.language)

    def money(self, amount: float | int | Decimal, currency: str, compact: bool = False) -> str:
        """An amount of money in the locale's format ("US$1,500,000" / "1 500 000 $")."""
        if compact:
            return format_compact_currency(amount, currency, locale=self.language,
                                           fraction_digits=1)
        # The locale's currency pattern, without forced cents: "$1,500,000", "1 500 000 $US".
        pattern = copy.copy(self.locale.currency_formats["standard"])
        pattern.frac_prec = (0, 0) if float(amount).is_integer() else (2, 2)
        return pattern.apply(amount, self.locale, currency=currency, currency_digits=False,
                             decimal_quantization=False)

    def date(self, value: dt.date | str, format: str = "long") -> str:
        if isinstance(value, str):
            value = dt.date.fromisoformat(value[:10])
        return _babel_format_date(value, format=format, locale=self.language)

    def country(self, code: str) -> str:
        """The country's CLDR name in this language (the code itself if unknown)."""
        return self.locale.territories.get(code.upper(), code)

    def language_name(self, code: str) -> str:
        """A language's name in this language ("French", "法语", "الفرنسية")."""
        return self.locale.languages.get(code, code)

    def native_language_name(self, code: str) -> str:
        """A language's name in itself ("Français", "中文"): for language menus."""
        name = Locale.parse(code).get_display_name(code) or code
        return name[:1].upper() + name[1:]

    def list(self, items: list[str]) -> str:
        """Items joined the locale's way ("A, B and C", "A、B和C")."""
        from babel.lists import format_list

        return format_list(items, locale=self.language) if items else ""

    @property
    def direction(self) -> str:
        return "rtl" if is_rtl(self.language) else "ltr"


@cache
def translator(language: str | None) -> Translator:
    """The (cached) translator for a language code; unknown codes get English."""
    return Translator(normalize_language(language) or DEFAULT_LANGUAGE)
