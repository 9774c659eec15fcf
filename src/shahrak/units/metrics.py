"""Unit and export figures for reports, as aggregate queries on scoped querysets.

`intervals` is UnitStatusInterval.objects.restrict(user) filtered to the scope; `exports`
is ExportRecord.objects.restrict(user) filtered likewise.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Sum

from shahrak.core.jalali import JalaliPeriod
from shahrak.core.metrics import Metric

from .choices import IN_OPERATION
from .countries import PERSIAN_GULF, persian_gulf_countries
from .models import Unit


def on_date(intervals, date: dt.date):
    return intervals.filter(valid_from__lte=date, valid_to__gt=date)


def in_operation_at(intervals, date: dt.date):
    return on_date(intervals, date).filter(status__in=IN_OPERATION)


def units_operational(intervals, date: dt.date) -> int:
    return in_operation_at(intervals, date).count()


def parks_with_operational_units(intervals, date: dt.date) -> int:
    return (
        in_operation_at(intervals, date)
        .exclude(park=None)
        .aggregate(n=Count("park", distinct=True))["n"]
    )


def sme_share_in_parks_pct(intervals, date: dt.date, *, sme_limit: int) -> Decimal | None:
    """Of the small and medium units in operation on `date`, the percentage inside parks."""
    smes = Unit.objects.filter(
        pk__in=in_operation_at(intervals, date).values("unit"), employees__lt=sme_limit
    )
    counts = smes.aggregate(total=Count("pk"), inside=Count("park"))
    if not counts["total"]:
        return None
    return (Decimal(100) * counts["inside"] / counts["total"]).quantize(Decimal("0.1"))


def _in_period(exports, period: JalaliPeriod):
    return exports.filter(on__range=(period.start, period.end))


def exports_usd(exports, period: JalaliPeriod) -> Decimal:
    return _in_period(exports, period).aggregate(total=Sum("value_usd"))["total"] or Decimal(0)


def exports_usd_by_destination(exports, period: JalaliPeriod) -> dict[str, Decimal]:
    """USD by ISO country code, plus the Persian Gulf group's total under "persian-gulf"."""
    rows = _in_period(exports, period).values("destination").annotate(total=Sum("value_usd"))
    result = {row["destination"]: row["total"] for row in rows}
    gulf = persian_gulf_countries()
    result[PERSIAN_GULF] = sum((v for k, v in result.items() if k in gulf), Decimal(0))
    return dict(sorted(result.items(), key=lambda item: -item[1]))


def exports_usd_by_product(exports, period: JalaliPeriod) -> dict[str, Decimal]:
    rows = _in_period(exports, period).values("product").annotate(total=Sum("value_usd"))
    return {row["product"]: row["total"] for row in rows.order_by("-total")}


# --- report metrics ----------------------------------------------------------------------
def _intervals(user, scope):
    from .models import UnitStatusInterval

    return scope.narrow(
        UnitStatusInterval.objects.restrict(user), province="province", county="county",
        park="park",
    )  # fmt: skip


def _exports(user, scope):
    from .models import ExportRecord

    return scope.narrow(
        ExportRecord.objects.restrict(user), province="unit__county__province",
        county="unit__county", park="unit__park",
    )  # fmt: skip


def _units_url(scope, period):
    return scope.records_url("units:unit-list", operational_on=period.end.isoformat())


def _sme_limit():
    from django.conf import settings

    return settings.SHAHRAK_SIZE_THRESHOLDS["medium"]


METRICS = [
    Metric(
        "units.operational", "واحدهای در حال بهره‌برداری", "Units in operation", "count",
        "stock", lambda user, scope, period: units_operational(_intervals(user, scope), period.end),
        records=_units_url,
        description="Units operational or restarted on the period's last day (status timeline).",
    ),
    Metric(
        "parks.with_operational_units", "شهرک‌ها و نواحی دارای واحد فعال",
        "Parks and zones with units in operation", "count", "stock",
        lambda user, scope, period: parks_with_operational_units(
            _intervals(user, scope), period.end
        ),
        description="Parks and zones hosting at least one unit in operation at the period's end.",
    ),
    Metric(
        "units.sme_share_in_parks_pct", "سهم صنایع کوچک و متوسط مستقر در شهرک‌ها",
        "Share of SMEs located in parks", "percent", "stock",
        lambda user, scope, period: sme_share_in_parks_pct(
            _intervals(user, scope), period.end, sme_limit=_sme_limit()
        ),
        description="Of small and medium units (fewer than 151 employees) in operation, the "
        "percentage inside a park or zone.",
    ),
    Metric(
        "exports.usd", "صادرات", "Exports", "usd", "flow",
        lambda user, scope, period: exports_usd(_exports(user, scope), period),
        description="Exports recorded with a date within the period, in US dollars.",
    ),
    Metric(
        "exports.usd_by_destination", "صادرات به تفکیک مقصد", "Exports by destination", "usd",
        "flow",
        lambda user, scope, period: exports_usd_by_destination(_exports(user, scope), period),
        description="Exports within the period by ISO country code, and the Persian Gulf group.",
    ),
]  # fmt: skip
