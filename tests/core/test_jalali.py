import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shahrak.core.jalali import (
    JalaliError,
    JalaliPeriod,
    format_jalali,
    is_leap,
    month_length,
    parse_jalali_date,
)

D = dt.date


@pytest.mark.parametrize(
    ("key", "start", "end", "label"),
    [
        ("1401", D(2022, 3, 21), D(2023, 3, 20), "سال ۱۴۰۱"),
        ("1401-H1", D(2022, 3, 21), D(2022, 9, 22), "شش ماهه نخست ۱۴۰۱"),
        ("1401-H2", D(2022, 9, 23), D(2023, 3, 20), "شش ماهه دوم ۱۴۰۱"),
        ("1401-Q1", D(2022, 3, 21), D(2022, 6, 21), "بهار ۱۴۰۱"),
        ("1401-Q4", D(2022, 12, 22), D(2023, 3, 20), "زمستان ۱۴۰۱"),
        ("1401-06", D(2022, 8, 23), D(2022, 9, 22), "شهریور ۱۴۰۱"),
        ("1403-12", D(2025, 2, 19), D(2025, 3, 20), "اسفند ۱۴۰۳"),  # leap: 30 days
        (
            "1400-01-01..1401-06-31",
            D(2021, 3, 21),
            D(2022, 9, 22),
            "از ۱۴۰۰/۰۱/۰۱ تا ۱۴۰۱/۰۶/۳۱",
        ),
    ],
)
def test_period_keys(key, start, end, label):
    period = JalaliPeriod.parse(key)
    assert (period.start, period.end, period.label, period.key) == (start, end, label, key)


def test_period_accepts_persian_digits_and_lowercase():
    assert JalaliPeriod.parse("۱۴۰۱-h1") == JalaliPeriod.parse("1401-H1")


@pytest.mark.parametrize(
    "key", ["1401-H3", "1401-Q5", "1401-13", "1401-00", "1402-12-30..1402-12-30", "سال", "", "14"]
)
def test_invalid_periods_are_refused_in_persian(key):
    with pytest.raises(JalaliError) as error:
        JalaliPeriod.parse(key)
    assert any("\u0600" <= ch <= "\u06ff" for ch in str(error.value))


def test_range_must_run_forward():
    with pytest.raises(JalaliError):
        JalaliPeriod.parse("1401-06-31..1401-01-01")


def test_leap_years():
    assert is_leap(1403) and not is_leap(1402) and not is_leap(1404)
    assert month_length(1403, 12) == 30 and month_length(1402, 12) == 29
    assert parse_jalali_date("1403/12/30") == D(2025, 3, 20)
    with pytest.raises(JalaliError, match="اسفند"):
        parse_jalali_date("1402/12/30")


def test_same_period_last_year():
    assert JalaliPeriod.parse("1401-H1").same_period_last_year().key == "1400-H1"
    assert JalaliPeriod.parse("1401").same_period_last_year().key == "1400"
    assert JalaliPeriod.parse("1401-06").same_period_last_year().key == "1400-06"
    # 30 Esfand 1403 has no twin in 1402: the range ends on 29 Esfand 1402.
    leap_end = JalaliPeriod.parse("1403-10-01..1403-12-30").same_period_last_year()
    assert leap_end.key == "1402-10-01..1402-12-29"


def test_year_to_date():
    mehr_first = parse_jalali_date("1401/07/01")
    since = JalaliPeriod.year_to(mehr_first)
    assert since.start == parse_jalali_date("1401/01/01") and since.end == mehr_first
    assert since.same_period_last_year().key == "1400-01-01..1400-07-01"
    assert JalaliPeriod.parse("1401").to_date(mehr_first) == since


def test_contains_and_days():
    h1 = JalaliPeriod.parse("1401-H1")
    assert D(2022, 9, 22) in h1 and D(2022, 9, 23) not in h1
    assert h1.days == 186


@pytest.mark.parametrize(
    "typed", ["1401/06/31", "۱۴۰۱/۰۶/۳۱", "1401-6-31", " ١٤٠١/٠٦/٣١ ", "1401.06.31"]
)
def test_parse_jalali_date_forms(typed):
    assert parse_jalali_date(typed) == D(2022, 9, 22)


@pytest.mark.parametrize(
    "typed", ["1401/13/01", "1401/07/31", "1401/00/10", "31/06/1401", "abc", "2022/09/22"]
)
def test_parse_jalali_date_refuses(typed):
    with pytest.raises(JalaliError):
        parse_jalali_date(typed)


def test_format_jalali():
    assert format_jalali(D(2022, 9, 22)) == "۱۴۰۱/۰۶/۳۱"
    assert format_jalali(D(2022, 9, 22), persian=False, sep="-") == "1401-06-31"
    assert format_jalali(None) == ""


# --- properties -----------------------------------------------------------------------
dates = st.dates(min_value=D(1921, 3, 21), max_value=D(2122, 3, 20))


@given(dates, st.booleans())
def test_date_format_parse_round_trip(date, persian):
    assert parse_jalali_date(format_jalali(date, persian=persian)) == date


@st.composite
def periods(draw):
    year = draw(st.integers(min_value=1300, max_value=1500))
    kind = draw(st.sampled_from(["year", "half", "quarter", "month", "range"]))
    if kind == "year":
        return JalaliPeriod.year(year)
    if kind == "half":
        return JalaliPeriod.half(year, draw(st.integers(1, 2)))
    if kind == "quarter":
        return JalaliPeriod.quarter(year, draw(st.integers(1, 4)))
    if kind == "month":
        return JalaliPeriod.month(year, draw(st.integers(1, 12)))
    first, last = sorted(draw(st.lists(dates, min_size=2, max_size=2)))
    return JalaliPeriod.between(first, last)


@given(periods())
def test_period_key_round_trip(period):
    parsed = JalaliPeriod.parse(period.key)
    assert parsed == period and parsed.start == period.start and parsed.end == period.end
    assert period.label and period.start <= period.end


@given(periods())
def test_period_last_year_is_a_year_earlier(period):
    previous = period.same_period_last_year()
    assert previous.kind == period.kind
    assert previous.first[0] == period.first[0] - 1
    assert 360 <= (period.start - previous.start).days <= 367
    assert abs(previous.days - period.days) <= 1  # only 30 Esfand can be lost


@given(st.integers(min_value=1300, max_value=1500))
def test_periods_tile_the_year(year):
    """Halves, seasons and months of a year follow each other with no gap or overlap."""
    whole = JalaliPeriod.year(year)
    for parts in (
        [JalaliPeriod.half(year, i) for i in (1, 2)],
        [JalaliPeriod.quarter(year, i) for i in range(1, 5)],
        [JalaliPeriod.month(year, i) for i in range(1, 13)],
    ):
        assert parts[0].start == whole.start and parts[-1].end == whole.end
        for before, after in itertools.pairwise(parts):
            assert after.start - before.end == dt.timedelta(days=1)
