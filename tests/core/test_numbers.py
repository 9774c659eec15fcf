import pytest
from django.utils import translation

from shahrak.core.numbers import (
    format_magnitude,
    format_million_toman,
    format_number,
    format_toman,
    million_toman_shown,
    rial_to_toman,
    toman_to_rial,
)


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (1500, 0, "۱٬۵۰۰"),
        (570, 0, "۵۷۰"),
        (1234567, 0, "۱٬۲۳۴٬۵۶۷"),
        (70.5, 1, "۷۰٫۵"),
        (-3000, 0, "-۳٬۰۰۰"),
        (0, 0, "۰"),
    ],
)
def test_format_number_persian(value, decimals, shown):
    assert format_number(value, decimals) == shown


def test_format_number_english():
    assert format_number(1500, persian=False) == "1,500"


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (70_000_000, "usd", "۷۰ میلیون دلار"),
        (95_000_000_000, "toman", "۹۵ میلیارد تومان"),
        (1_500_000_000, "toman", "۱٫۵ میلیارد تومان"),
        (2_000_000_000_000, "toman", "۲ هزار میلیارد تومان"),
        (3000, None, "۳٬۰۰۰"),
    ],
)
def test_format_magnitude(value, unit, shown):
    assert format_magnitude(value, unit) == shown


def test_money_is_rial_shown_as_toman():
    rial = toman_to_rial(95_000_000_000)
    assert rial == 950_000_000_000
    assert rial_to_toman(rial) == 95_000_000_000
    assert format_toman(rial) == "۹۵ میلیارد تومان"


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (70_400_000, "usd", "70.4 million USD"),
        (95_000_000_000, "toman", "95 billion toman"),
        (100_000_000, "toman", "100 million toman"),  # zeros of the integer part stay
        (2_000_000_000_000, "toman", "2 trillion toman"),
        (3000, None, "3,000"),
    ],
)
def test_format_magnitude_in_english(value, unit, shown):
    assert format_magnitude(value, unit, persian=False) == shown


def test_rial_shown_as_toman_in_english():
    assert format_toman(950_000_000_000, persian=False) == "95 billion toman"


@pytest.mark.parametrize(
    ("rial", "shown"),
    [
        (1_234_567, "۱۲۳٬۴۵۷ تومان"),  # 123,456.7 toman: no fraction of a toman
        (55, "۶ تومان"),
        (183_333_333_333, "۱۸٫۳ میلیارد تومان"),
    ],
)
def test_toman_has_no_fractions(rial, shown):
    assert format_toman(rial) == shown


@pytest.mark.parametrize(
    ("rial", "shown"),
    [
        (183_333_333_333, "۱۸٬۳۳۳٫۳ میلیون تومان"),  # at most one decimal
        (400_000_000_000, "۴۰٬۰۰۰ میلیون تومان"),
        (5_000_000, "۰٫۵ میلیون تومان"),
        (0, "۰ میلیون تومان"),
    ],
)
def test_a_projects_money_reads_in_million_toman(rial, shown):
    with translation.override("fa"):
        assert format_million_toman(rial) == shown


def test_million_toman_in_english():
    with translation.override("en"):
        assert format_million_toman(183_333_333_333) == "18,333.3 million toman"


def test_million_toman_for_lists_is_rounded_to_one_decimal():
    from decimal import Decimal

    assert million_toman_shown(183_333_333_333) == Decimal("18333.3")
    assert million_toman_shown(183_350_000_000) == Decimal("18335.0")
