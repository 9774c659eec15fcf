from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shahrak.core.text import (
    SORT_KEY_LENGTH,
    ZWNJ,
    fa_digits_outside_latin,
    fa_sort_key,
    natural_sort_key,
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
        ("خوشهٔ سفال", "خوشۀ سفال"),  # the ezafe as typed (heh + hamza) kept as one letter
        ("خوشۀ سفال", "خوشۀ سفال"),
        ("تأمین", "تامین"),  # a hamza seat is folded (documented: spelled both ways)
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


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("bushehr-rep2", "bushehr-rep2"),
        ("rep2@example.com", "rep2@example.com"),
        ("وضعیت «فعال» از 1400/02/01", "وضعیت «فعال» از ۱۴۰۰/۰۲/۰۱"),
        ("bushehr-rep2 — مدیر استان", "bushehr-rep2 — مدیر استان"),
        ("کد ISO 3166-2: IR-18", "کد ISO 3166-2: IR-18"),  # numbers after a Latin word
        ("bushehr-rep2 — 1400/02/01", "bushehr-rep2 — ۱۴۰۰/۰۲/۰۱"),  # a dash ends it
        ("12 قطعه", "۱۲ قطعه"),
        ("شهرک صنعتی جم — 23", "شهرک صنعتی جم — ۲۳"),
        ("Café3 و 4", "Café3 و ۴"),
    ],
)
def test_fa_digits_outside_latin(text, shown):
    assert fa_digits_outside_latin(text) == shown


_LATIN_WORDS = st.from_regex(r"[A-Za-z][A-Za-z0-9._@-]{0,12}", fullmatch=True)
_PERSIAN_WORDS = st.text(alphabet="آابپتجچحخدرزژسشصطعفقکگلمنوهی‌«»", min_size=1, max_size=8)
_NUMBERS = st.from_regex(r"[0-9][0-9/.,٪-]{0,9}", fullmatch=True)


@given(st.text())
def test_fa_digits_outside_latin_changes_only_digits_and_once(text):
    shown = fa_digits_outside_latin(text)
    assert to_ascii_digits(shown) == to_ascii_digits(text)
    assert fa_digits_outside_latin(shown) == shown


@given(st.text(alphabet=st.characters(exclude_categories=["Lu", "Ll", "Lt", "Lm", "Lo"])))
def test_text_without_letters_gets_persian_digits(text):
    assert fa_digits_outside_latin(text) == to_fa_digits(text)


@given(st.lists(st.tuples(_PERSIAN_WORDS, _NUMBERS, _LATIN_WORDS), min_size=1, max_size=4))
def test_latin_words_keep_their_digits_and_persian_numbers_get_persian_ones(parts):
    # «فارسی 12 name3 فارسی 7 name4 …»: each number follows a Persian word.
    text = " ".join(f"{persian} {number} {latin}" for persian, number, latin in parts)
    words = fa_digits_outside_latin(text).split(" ")
    for index, (persian, number, latin) in enumerate(parts):
        assert words[3 * index : 3 * index + 3] == [persian, to_fa_digits(number), latin]


def test_search_key_matches_spelling_variants():
    assert search_key("شهرك‌هاي صنعتي") == search_key("شهرک های  صنعتی")
    assert search_key("Yazd") == search_key("YAZD")
    # One word in the spellings people type: with or without madda, hamza or its seat.
    for one, other in [("فرآوری", "فراوری"), ("مسئول", "مسیول"), ("جزء", "جز"),
                       ("نامۀ", "نامه"), ("مؤسسه", "موسسه"), ("إسلامی", "اسلامی"),
                       ("مدرسة", "مدرسه")]:  # fmt: skip
        assert search_key(one) == search_key(other), (one, other)
    assert search_key("آب ء") == "اب"
    # Stored text and sort keys keep the spelling: آ has its own place in the alphabet.
    assert normalize_fa("فرآوری") == "فرآوری"
    assert natural_sort_key("آب") < natural_sort_key("اب")


def test_persian_alphabetical_order():
    names = ["یزد", "بوشهر", "گیلان", "کرمان", "پارس", "چابهار", "آذربایجان", "ژاندارک", "زنجان"]
    assert sorted(names, key=fa_sort_key) == [
        "آذربایجان", "بوشهر", "پارس", "چابهار", "زنجان", "ژاندارک", "کرمان", "گیلان", "یزد",
    ]  # fmt: skip


def test_numbers_in_names_sort_by_value_whatever_digits_were_typed():
    names = ["شهرک صنعتی بوشهر 10", "شهرک صنعتی بوشهر ۲", "شهرک صنعتی بوشهر 1",
             "شهرک صنعتی بوشهر", "شهرک صنعتی بوشهر 100", "شهرک صنعتی بوشهرک"]  # fmt: skip
    assert sorted(names, key=natural_sort_key) == [
        "شهرک صنعتی بوشهر", "شهرک صنعتی بوشهر 1", "شهرک صنعتی بوشهر ۲", "شهرک صنعتی بوشهر 10",
        "شهرک صنعتی بوشهر 100", "شهرک صنعتی بوشهرک",
    ]  # fmt: skip
    assert natural_sort_key("قطعه ۰۷") == natural_sort_key("قطعه 7")


@settings(deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**30), min_size=2, unique=True),
       st.booleans())  # fmt: skip
def test_natural_order_is_the_order_of_the_numbers(numbers, persian):
    def name(number):
        written = to_fa_digits(number) if persian else str(number)
        return f"واحد نمایشی {written} — خرما"

    ordered = sorted((name(n) for n in numbers), key=natural_sort_key)
    assert ordered == [name(n) for n in sorted(numbers)]


@settings(deadline=None)
@given(st.text(alphabet="آابپچژکگیيكةۀ ‌ـًٌ0123456789۰۱۲۳۴۵۶۷۸۹٠١٢AbCz-", max_size=40))
def test_spelling_variants_sort_as_one(text):
    # Arabic-keyboard letters, any digits, ZWNJ, kashida, marks and case: as normalize_fa
    # folds them (search_key folds more, e.g. آ into ا, which keeps its place in the order).
    assert natural_sort_key(text) == natural_sort_key(_as_typed_alike(text))


def _as_typed_alike(text: str) -> str:
    return " ".join(normalize_fa(text).replace(ZWNJ, " ").lower().split())


@settings(deadline=None)
@given(st.text(max_size=300))
def test_sort_keys_are_plain_ascii_so_every_database_orders_them_alike(text):
    key = natural_sort_key(text)
    assert set(key) <= set("0123456789abcdefghijklmnopqrstuvwxyz")
    assert len(key) <= SORT_KEY_LENGTH


@settings(deadline=None)
@given(st.lists(st.text(alphabet="آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی ", max_size=12),
                min_size=2, max_size=8))  # fmt: skip
def test_key_order_is_the_persian_alphabet_order(names):
    alphabet = " آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"

    def by_letters(name):  # the order spelled out, letter by letter
        return [alphabet.index(char) for char in _as_typed_alike(name)]

    assert [by_letters(n) for n in sorted(names, key=natural_sort_key)] == sorted(
        by_letters(n) for n in names
    )


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


def test_the_ezafe_survives_and_searches_fold_it():
    typed = "خانهٔ صنعت"
    assert normalize_fa(typed) == "خانۀ صنعت" and normalize_fa(normalize_fa(typed)) == "خانۀ صنعت"
    assert search_key(typed) == search_key("خانه صنعت") == search_key("خانۀ صنعت")
