from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shahrak.core.text import (
    ZWNJ,
    fa_sort_key,
    normalize_fa,
    search_key,
    to_ascii_digits,
    to_fa_digits,
)

SEEDS = Path(__file__).resolve().parents[1] / "data" / "reports"


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("شهرك صنعتي", "شهرک صنعتی"),  # Arabic kaf and yeh
        ("زيلوي ميبد", "زیلوی میبد"),
        ("مؤسسه", "موسسه"),
        ("ناحیة", "ناحیه"),
        ("۱۴۰۱/۰۶/۳۱", "1401/06/31"),  # Persian digits
        ("١٤٠١", "1401"),  # Arabic-Indic digits
        ("صـــنعتی", "صنعتی"),  # kashida
        ("  شهرک   صنعتی  ", "شهرک صنعتی"),
        (f"شهرک{ZWNJ}{ZWNJ}های", f"شهرک{ZWNJ}های"),
        (f"شهرک {ZWNJ}های", "شهرک های"),
        (f"{ZWNJ}میبد{ZWNJ}", "میبد"),
        ("مُحَمَّد", "محمد"),  # diacritics
        ("\u200fیزد\u200e", "یزد"),  # direction marks
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_fa(typed, canonical):
    assert normalize_fa(typed) == canonical


def test_normalize_keeps_lines():
    assert normalize_fa("خط  اول\n  خط دوم ") == "خط اول\nخط دوم"


@given(st.text())
def test_normalize_is_idempotent(text):
    once = normalize_fa(text)
    assert normalize_fa(once) == once


@given(st.integers(min_value=0))
def test_digits_round_trip(number):
    assert to_ascii_digits(to_fa_digits(number)) == str(number)


def test_search_key_matches_spelling_variants():
    assert search_key("شهرك‌هاي صنعتي") == search_key("شهرک های  صنعتی")
    assert search_key("Yazd") == search_key("YAZD")


def test_persian_alphabetical_order():
    names = ["یزد", "بوشهر", "گیلان", "کرمان", "پارس", "چابهار", "آذربایجان", "ژاندارک", "زنجان"]
    assert sorted(names, key=fa_sort_key) == [
        "آذربایجان", "بوشهر", "پارس", "چابهار", "زنجان", "ژاندارک", "کرمان", "گیلان", "یزد",
    ]  # fmt: skip


# --- the two source reports, as their text really is ----------------------------------
def _seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def test_report_text_normalises_without_loss_of_words():
    text = _seed("000_e155c72e18b8bf48.txt")
    normalised = normalize_fa(text)
    assert "ي" not in normalised and "ك" not in normalised
    assert "شهرک صنعتی برازجان" in normalised
    assert "50 مگاوات" in normalised  # ۵۰ مگاوات with ASCII digits
    assert "570 واحد تولیدی" in normalised
    assert len(normalised.split()) == len(text.split())


def test_report_mixed_digit_styles_agree():
    # The Yazd report writes "1400" once in ASCII and once in Persian digits.
    text = normalize_fa(_seed("002_3f8c40e7ba10fc1e.txt"))
    assert text.count("از ابتدای سال 1400 قریب 60واحد صنعتی") == 2
    assert "177 واحد صنعتی غیرفعال" in text
    assert search_key("زيلوي ميبد") in search_key(text)
