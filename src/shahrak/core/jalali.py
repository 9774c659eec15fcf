"""Jalali (Solar Hijri) dates and the periods reports speak of.

Dates are stored as Gregorian `datetime.date`; users enter, see and group them in Jalali.
`JalaliPeriod` names a stretch of Jalali calendar by a short key:

    1401                    the year
    1401-H1, 1401-H2        first / second half (H1 = Farvardin–Shahrivar)
    1401-Q1 … 1401-Q4       seasons (Q1 = spring: Farvardin–Khordad)
    1401-06                 a month (Shahrivar)
    1400-01-01..1401-06-31  an explicit range, both ends included
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import jdatetime

from .text import to_ascii_digits, to_fa_digits

MONTHS_FA = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)
MONTHS_EN = (
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
)
SEASONS_FA = ("بهار", "تابستان", "پاییز", "زمستان")
SEASONS_EN = ("spring", "summer", "autumn", "winter")
HALVES_FA = ("شش ماهه نخست", "شش ماهه دوم")


class JalaliError(ValueError):
    """A Jalali date or period that does not exist; the message is shown to users."""


def is_leap(year: int) -> bool:
    return jdatetime.date(year, 1, 1).isleap()


def month_length(year: int, month: int) -> int:
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if is_leap(year) else 29


def month_number(year: int, month: int) -> int:
    """A Jalali month as one number (months since year 0), for month arithmetic."""
    return year * 12 + month - 1


def month_of(number: int) -> tuple[int, int]:
    """The (year, month) of a month number (`month_number`)."""
    return number // 12, number % 12 + 1


def to_gregorian(year: int, month: int, day: int) -> dt.date:
    if not 1 <= month <= 12:
        raise JalaliError(f"ماه {to_fa_digits(month)} وجود ندارد؛ ماه باید بین ۱ و ۱۲ باشد.")
    if not 1 <= day <= month_length(year, month):
        raise JalaliError(
            f"روز {to_fa_digits(day)} در {MONTHS_FA[month - 1]} {to_fa_digits(year)} وجود ندارد."
        )
    return jdatetime.date(year, month, day).togregorian()


def to_jalali(date: dt.date) -> tuple[int, int, int]:
    j = jdatetime.date.fromgregorian(date=date)
    return j.year, j.month, j.day


_DATE_RE = re.compile(r"^\s*(\d{3,4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*$")


def parse_jalali_date(text: str) -> dt.date:
    """'1401/06/31', '۱۴۰۱/۰۶/۳۱' or '1401-6-31' → the Gregorian date."""
    match = _DATE_RE.match(to_ascii_digits(text or ""))
    if not match:
        raise JalaliError("تاریخ باید به شکل سال/ماه/روز خورشیدی باشد، مانند ۱۴۰۱/۰۶/۳۱.")
    year, month, day = (int(part) for part in match.groups())
    if year >= 1700:  # a Gregorian date typed into a Jalali field
        raise JalaliError(
            f"سال {to_fa_digits(year)} میلادی به نظر می‌رسد؛ "
            "تاریخ را خورشیدی وارد کنید، مانند ۱۴۰۱/۰۶/۳۱."
        )
    return to_gregorian(year, month, day)


def format_jalali(date: dt.date | dt.datetime | None, persian: bool = True, sep: str = "/") -> str:
    if date is None:
        return ""
    if isinstance(date, dt.datetime):
        date = date.date()
    year, month, day = to_jalali(date)
    text = f"{year:04d}{sep}{month:02d}{sep}{day:02d}"
    return to_fa_digits(text) if persian else text


def jalali_year_of(date: dt.date) -> int:
    return to_jalali(date)[0]


_YEAR = r"(?P<year>\d{4})"
_PERIOD_PATTERNS = [
    ("year", re.compile(rf"^{_YEAR}$")),
    ("half", re.compile(rf"^{_YEAR}-H(?P<index>[12])$", re.I)),
    ("quarter", re.compile(rf"^{_YEAR}-Q(?P<index>[1-4])$", re.I)),
    ("month", re.compile(rf"^{_YEAR}-(?P<index>\d{{1,2}})$")),
]
_RANGE_RE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})\.\.(\d{4}-\d{1,2}-\d{1,2})$")


@dataclass(frozen=True, order=True)
class JalaliPeriod:
    """A stretch of the Jalali calendar, both ends included, held as Jalali (y, m, d)."""

    first: tuple[int, int, int]
    last: tuple[int, int, int]
    kind: str = "range"

    def __post_init__(self):
        start, end = to_gregorian(*self.first), to_gregorian(*self.last)
        if start > end:
            raise JalaliError("ابتدای بازه باید پیش از پایان آن باشد.")

    # --- construction -------------------------------------------------------------
    @classmethod
    def year(cls, year: int) -> JalaliPeriod:
        return cls((year, 1, 1), (year, 12, month_length(year, 12)), "year")

    @classmethod
    def half(cls, year: int, index: int) -> JalaliPeriod:
        first_month = 1 if index == 1 else 7
        last_month = first_month + 5
        return cls(
            (year, first_month, 1), (year, last_month, month_length(year, last_month)), "half"
        )

    @classmethod
    def quarter(cls, year: int, index: int) -> JalaliPeriod:
        first_month = 3 * (index - 1) + 1
        last_month = first_month + 2
        return cls(
            (year, first_month, 1), (year, last_month, month_length(year, last_month)), "quarter"
        )

    @classmethod
    def month(cls, year: int, month: int) -> JalaliPeriod:
        if not 1 <= month <= 12:
            raise JalaliError(f"ماه {to_fa_digits(month)} وجود ندارد؛ ماه باید بین ۱ و ۱۲ باشد.")
        return cls((year, month, 1), (year, month, month_length(year, month)), "month")

    @classmethod
    def between(cls, start: dt.date, end: dt.date) -> JalaliPeriod:
        """The range of Gregorian dates start…end, both included."""
        return cls(to_jalali(start), to_jalali(end), "range")

    @classmethod
    def year_to(cls, date: dt.date) -> JalaliPeriod:
        """From 1 Farvardin of `date`'s Jalali year until `date`: "since the start of the year"."""
        year = jalali_year_of(date)
        return cls((year, 1, 1), to_jalali(date), "range")

    @classmethod
    def _of_kind(cls, kind: str, year: int, index: int) -> JalaliPeriod:
        if kind == "year":
            return cls.year(year)
        return {"half": cls.half, "quarter": cls.quarter, "month": cls.month}[kind](year, index)

    @classmethod
    def parse(cls, key: str) -> JalaliPeriod:
        key = to_ascii_digits((key or "").strip())
        for kind, pattern in _PERIOD_PATTERNS:
            if match := pattern.match(key):
                return cls._of_kind(
                    kind, int(match["year"]), int(match.groupdict().get("index") or 0)
                )
        if match := _RANGE_RE.match(key):
            ends = [tuple(int(p) for p in part.split("-")) for part in match.groups()]
            return cls(ends[0], ends[1], "range")
        raise JalaliError(
            f"دورهٔ «{key}» شناخته نشد؛ نمونه‌ها: 1401، 1401-H1، 1401-Q2، 1401-06، "
            "1400-01-01..1401-06-31."
        )

    # --- what it is -----------------------------------------------------------------
    @property
    def start(self) -> dt.date:
        return to_gregorian(*self.first)

    @property
    def end(self) -> dt.date:
        return to_gregorian(*self.last)

    @property
    def index(self) -> int:
        """Half (1–2), season (1–4) or month (1–12) number; 0 for years and ranges."""
        month = self.first[1]
        return {"half": (month + 5) // 6, "quarter": (month + 2) // 3, "month": month}.get(
            self.kind, 0
        )

    @property
    def key(self) -> str:
        year = self.first[0]
        if self.kind == "year":
            return f"{year}"
        if self.kind == "half":
            return f"{year}-H{self.index}"
        if self.kind == "quarter":
            return f"{year}-Q{self.index}"
        if self.kind == "month":
            return f"{year}-{self.index:02d}"
        return "{:04d}-{:02d}-{:02d}..{:04d}-{:02d}-{:02d}".format(*self.first, *self.last)

    @property
    def label(self) -> str:
        """The Persian label, with Persian digits: 'شش ماهه نخست ۱۴۰۱'."""
        year = to_fa_digits(self.first[0])
        if self.kind == "year":
            return f"سال {year}"
        if self.kind == "half":
            return f"{HALVES_FA[self.index - 1]} {year}"
        if self.kind == "quarter":
            return f"{SEASONS_FA[self.index - 1]} {year}"
        if self.kind == "month":
            return f"{MONTHS_FA[self.index - 1]} {year}"
        return f"از {format_jalali(self.start)} تا {format_jalali(self.end)}"

    @property
    def label_en(self) -> str:
        year = self.first[0]
        if self.kind == "year":
            return f"{year}"
        if self.kind == "half":
            return f"{('first', 'second')[self.index - 1]} half of {year}"
        if self.kind == "quarter":
            return f"{SEASONS_EN[self.index - 1]} {year}"
        if self.kind == "month":
            return f"{MONTHS_EN[self.index - 1]} {year}"
        start, end = format_jalali(self.start, False), format_jalali(self.end, False)
        return f"{start}–{end}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, date: dt.date) -> bool:
        return self.start <= date <= self.end

    def __str__(self) -> str:
        return self.key

    # --- related periods --------------------------------------------------------------
    def same_period_last_year(self) -> JalaliPeriod:
        if self.kind in {"year", "half", "quarter", "month"}:
            return self._of_kind(self.kind, self.first[0] - 1, self.index)
        return type(self)(_year_earlier(self.first), _year_earlier(self.last), "range")

    def to_date(self, date: dt.date) -> JalaliPeriod:
        """This period cut at `date` (1401 "until today"); itself if it ends sooner."""
        if date >= self.end:
            return self
        return type(self)(self.first, to_jalali(date), "range")


def _year_earlier(jdate: tuple[int, int, int]) -> tuple[int, int, int]:
    year, month, day = jdate
    # 30 Esfand of a leap year has no twin in a common year: take 29 Esfand.
    return year - 1, month, min(day, month_length(year - 1, month))
