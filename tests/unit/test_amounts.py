"""Amounts of money written in six languages become numbers."""

import pytest

from nlu.amounts import parse_amount


@pytest.mark.parametrize(("text", "value", "currency"), [
    ("$500,000", 500_000, "USD"),
    ("500k", 500_000, None),
    ("2 million", 2_000_000, None),
    ("$1.2 billion", 1_200_000_000, "USD"),
    ("50万", 500_000, None),
    ("五十万美元", 500_000, "USD"),
    ("200万元", 2_000_000, "CNY"),
    ("3亿", 300_000_000, None),
    ("3 млн", 3_000_000, None),
    ("500 тыс.", 500_000, None),
    ("مليوني", 2_000_000, None),
    ("٢ مليون", 2_000_000, None),
    ("1,5 millones", 1_500_000, None),
    ("1.500.000 €", 1_500_000, "EUR"),
    ("2 millions d'euros", 2_000_000, "EUR"),
    ("300k€", 300_000, "EUR"),
    ("1 500 000", 1_500_000, None),
])
def test_amounts(text: str, value: float, currency: str | None) -> None:
    amount = parse_amount(text)
    assert amount is not None and amount.value == value and amount.currency == currency


def test_text_without_a_number_is_not_an_amount() -> None:
    assert parse_amount("a lot of money") is None
