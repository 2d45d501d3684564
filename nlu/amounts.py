"""Amounts of money as users write them, in six languages, turned into numbers.

"$500,000", "500k", "2 million", "1,5 millones", "2 millions d'euros", "50万", "3亿",
"3 млн", "500 тыс.", "مليوني", "٢ مليون" all become a float. The currency, when the text
names one ("$", "€", "美元", "рублей"), is returned too; otherwise it is None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")

# Magnitude words (casefolded) -> multiplier. Longest first when matching.
_MAGNITUDES: dict[str, float] = {
    # en
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "million": 1e6,
    "millions": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9, "billions": 1e9,
    # zh
    "千": 1e3, "万": 1e4, "十万": 1e5, "百万": 1e6, "千万": 1e7, "亿": 1e8,
    # ru
    "тыс": 1e3, "тысяч": 1e3, "тысячи": 1e3, "тысяча": 1e3, "млн": 1e6, "миллион": 1e6,
    "миллиона": 1e6, "миллионов": 1e6, "млрд": 1e9, "миллиард": 1e9, "миллиарда": 1e9,
    "миллиардов": 1e9, "к": 1e3,
    # ar
    "ألف": 1e3, "الف": 1e3, "آلاف": 1e3, "الاف": 1e3, "مليون": 1e6, "ملايين": 1e6,
    "مليار": 1e9, "مليارات": 1e9,
    # es
    "mil": 1e3, "millón": 1e6, "millon": 1e6, "millones": 1e6, "mil millones": 1e9,
    # fr
    "mille": 1e3, "milliard": 1e9, "milliards": 1e9,
}
# Arabic dual forms: "two million" in one word.
_DUALS = {"مليونين": 2e6, "مليوني": 2e6, "ألفين": 2e3, "الفين": 2e3, "مليارين": 2e9,
          "ملياري": 2e9}

# Symbols and codes only (longest match wins, so 美元 is USD before 元 is CNY); currency
# names in words are the `currency` entity's business (nlu/vocab, Babel).
_CURRENCY_SYMBOLS = {"$": "USD", "us$": "USD", "usd": "USD", "美元": "USD", "美金": "USD",
                     "€": "EUR", "eur": "EUR", "欧元": "EUR", "¥": "CNY", "￥": "CNY",
                     "rmb": "CNY", "cny": "CNY", "人民币": "CNY", "元": "CNY", "港元": "HKD",
                     "日元": "JPY", "₽": "RUB", "руб": "RUB", "£": "GBP", "₸": "KZT"}

_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f.,'’]\d{3})*(?:[.,]\d+)?|\d+")
_CHINESE_NUMERALS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
                     "七": 7, "八": 8, "九": 9, "十": 10, "百": 100}


@dataclass(frozen=True)
class Amount:
    """A parsed amount: its value and, where the text names it, the ISO 4217 currency."""

    value: float
    currency: str | None = None


def _to_float(digits: str) -> float:
    """'1,500,000' / '1.500.000' / '1 500 000' / '1,5' / '2.5' -> float."""
    digits = digits.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'")
    digits = digits.replace(" ", "").replace("'", "")
    if "," in digits and "." in digits:
        decimal = "," if digits.rfind(",") > digits.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        return float(digits.replace(thousands, "").replace(decimal, "."))
    for mark in (",", "."):
        if mark in digits:
            head, _, tail = digits.rpartition(mark)
            if len(tail) == 3 and digits.count(mark) >= 1 and len(head.replace(mark, "")) <= 3 * (
                    digits.count(mark) + 1):
                # a group separator: "1,500" / "1.500.000"
                return float(digits.replace(mark, ""))
            return float(digits.replace(mark, "."))
    return float(digits)


def _chinese_numeral(text: str) -> float | None:
    """五十 -> 50, 两百 -> 200, 三 -> 3 (small numbers before a magnitude such as 万)."""
    total, current = 0, 0
    for char in text:
        value = _CHINESE_NUMERALS.get(char)
        if value is None:
            return None
        if value in (10, 100):
            total += (current or 1) * value
            current = 0
        else:
            current = value
    return float(total + current) if text else None


def currency_symbol(text: str) -> str | None:
    """The ISO 4217 code of a currency symbol or code in `text` ("$" -> USD), if any."""
    folded = text.casefold()
    for symbol, code in sorted(_CURRENCY_SYMBOLS.items(), key=lambda item: -len(item[0])):
        if symbol in folded:
            return code
    return None


def parse_amount(text: str) -> Amount | None:
    """The amount of money `text` states, or None if it states no number."""
    folded = text.translate(_ARABIC_DIGITS).casefold()
    currency = currency_symbol(folded)
    for word, value in _DUALS.items():
        if word in folded:
            return Amount(value, currency)
    number = _NUMBER.search(folded)
    rest = folded
    if number:
        value = _to_float(number.group())
        rest = folded[number.end():]
    else:
        numeral = re.search(r"[零一二两三四五六七八九十百]+(?=[千万亿])", folded)
        if not numeral:
            return None
        value = _chinese_numeral(numeral.group()) or 0.0
        rest = folded[numeral.end():]
    multiplier = 1.0
    rest = rest.lstrip(" .-")
    for word in sorted(_MAGNITUDES, key=len, reverse=True):
        if rest.startswith(word) and (
                not word.isascii() or len(rest) == len(word) or not rest[len(word)].isalpha()):
            multiplier = _MAGNITUDES[word]
            break
    return Amount(value * multiplier, currency)
