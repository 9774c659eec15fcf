"""Report figures counted again in the tests, from the records of truth by plain queries —
never through the report's metrics, the status intervals or the code's own formatters — and
written in Persian by hand, so that a test compares the report with something it did not
produce itself."""

import datetime as dt
from decimal import Decimal

from django.db.models import Sum

from shahrak.units.models import ExportRecord, Unit, UnitStatusEvent
from tests.persian import fa_digits

# Jalali periods written out by hand (1400/01/01 = 2021-03-21; 1401/06/31 = 2022-09-22).
YEAR_1400 = (dt.date(2021, 3, 21), dt.date(2022, 3, 20))
FIRST_HALF_1401 = (dt.date(2022, 3, 21), dt.date(2022, 9, 22))
IN_OPERATION = {"operational", "restarted"}  # docs/reports.md: "operational or restarted"


def units_in_operation(province: str, on: dt.date) -> set[int]:
    """Ids of the province's units whose last status event on or before `on` (by date; on
    the same day, the one recorded last) is operational or restarted."""
    events = UnitStatusEvent._base_manager.filter(
        unit__county__province__code=province, on__lte=on
    ).order_by("unit", "on", "pk")
    status = {}
    for unit, state in events.values_list("unit", "status"):
        status[unit] = state
    return {unit for unit, state in status.items() if state in IN_OPERATION}


def parks_hosting(units: set[int]) -> int:
    return (
        Unit._base_manager.filter(pk__in=units, park__isnull=False)
        .values("park")
        .distinct()
        .count()
    )


def exports_usd(province: str, period: tuple[dt.date, dt.date]) -> Decimal:
    found = ExportRecord._base_manager.filter(
        unit__county__province__code=province, on__range=period
    ).aggregate(total=Sum("value_usd"))["total"]
    return found or Decimal(0)


def persian(number: int) -> str:
    """1234 → «۱٬۲۳۴»: Persian digits, the Persian thousands separator."""
    return fa_digits(f"{number:,}".replace(",", "٬"))


def millions(value: Decimal) -> str:
    """70,400,003 → «۷۰٫۴»: millions with one decimal, the Persian decimal separator."""
    return fa_digits(f"{value / 10**6:.1f}".replace(".", "٫"))


def quantified_count(value: int) -> str:
    """docs/reports.md's quantifier for a count from 20 to 999, by hand: R is the value
    rounded down to ten; "R" if equal, "قریب R+10" within 5 % below and nearer it, else
    "بیش از R"."""
    assert 20 <= value < 1000, value
    below, above = value // 10 * 10, value // 10 * 10 + 10
    if value == below:
        return persian(below)
    if above - value < value - below and value >= above * 0.95:
        return "قریب " + persian(above)
    return "بیش از " + persian(below)
