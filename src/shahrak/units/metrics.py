"""Unit and export figures for reports, as aggregate queries on scoped querysets.

`intervals` is UnitStatusInterval.objects.restrict(user) filtered to the scope; `exports`
is ExportRecord.objects.restrict(user) filtered likewise.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum

from shahrak.core.jalali import JalaliPeriod
from shahrak.core.metrics import Metric

from .choices import IN_OPERATION, Sector, UnitStatus
from .countries import PERSIAN_GULF, country_name, persian_gulf_countries
from .models import Unit


def on_date(intervals, date: dt.date):
    return intervals.filter(valid_from__lte=date, valid_to__gt=date)


def in_operation_at(intervals, date: dt.date):
    return on_date(intervals, date).filter(status__in=IN_OPERATION)


def units_operational(intervals, date: dt.date) -> int:
    return units_operational_on(intervals, [date])[0]


def _covering(date: dt.date) -> Q:
    return Q(valid_from__lte=date, valid_to__gt=date)


def _operational_across(intervals, dates: list[dt.date]):
    """Intervals in operation on any of `dates` (narrowed before the per-date counts)."""
    return intervals.filter(
        status__in=IN_OPERATION, valid_from__lte=max(dates), valid_to__gt=min(dates)
    )


def units_operational_on(intervals, dates: list[dt.date]) -> list[int]:
    """Units in operation on each of `dates`, in one query."""
    counts = _operational_across(intervals, dates).aggregate(
        **{f"d{i}": Count("pk", filter=_covering(date)) for i, date in enumerate(dates)}
    )
    return [counts[f"d{i}"] for i in range(len(dates))]


def parks_with_operational_units(intervals, date: dt.date) -> int:
    return parks_with_operational_units_on(intervals, [date])[0]


def parks_with_operational_units_on(intervals, dates: list[dt.date]) -> list[int]:
    counts = _operational_across(intervals, dates).aggregate(
        **{
            f"d{i}": Count("park", distinct=True, filter=_covering(date))
            for i, date in enumerate(dates)
        }
    )
    return [counts[f"d{i}"] for i in range(len(dates))]


def operational_by(intervals, dates: list[dt.date], field: str) -> list[dict]:
    """Units in operation on each of `dates`, counted by `field` (sector, park), largest first."""
    rows = (
        _operational_across(intervals, dates)
        .exclude(**{f"{field}__isnull": True})
        .values(field)
        .annotate(**{f"d{i}": Count("pk", filter=_covering(d)) for i, d in enumerate(dates)})
        .order_by()
    )
    result = [{} for _ in dates]
    for row in rows:
        for i, found in enumerate(result):
            if row[f"d{i}"]:
                found[str(row[field])] = row[f"d{i}"]
    return [dict(sorted(found.items(), key=lambda item: -item[1])) for found in result]


def sme_share_in_parks_pct(intervals, date: dt.date, *, sme_limit: int) -> Decimal | None:
    """Of the small and medium units in operation on `date`, the percentage inside parks."""
    smes = Unit.objects.filter(
        pk__in=in_operation_at(intervals, date).values("unit"), employees__lt=sme_limit
    )
    counts = smes.aggregate(total=Count("pk"), inside=Count("park"))
    if not counts["total"]:
        return None
    return (Decimal(100) * counts["inside"] / counts["total"]).quantize(Decimal("0.1"))


def _within(period: JalaliPeriod, field: str = "on") -> Q:
    return Q(**{f"{field}__range": (period.start, period.end)})


def _across(queryset, periods: list[JalaliPeriod], field: str = "on"):
    start, end = min(p.start for p in periods), max(p.end for p in periods)
    return queryset.filter(**{f"{field}__range": (start, end)})


def status_changes(events, status: str, periods: list[JalaliPeriod]) -> list[int]:
    """Units whose status became `status` within each period (a unit counted once a period)."""
    counts = _across(events.filter(status=status), periods).aggregate(
        **{
            f"p{i}": Count("unit", distinct=True, filter=_within(period))
            for i, period in enumerate(periods)
        }
    )
    return [counts[f"p{i}"] for i in range(len(periods))]


def exports_usd(exports, period: JalaliPeriod) -> Decimal:
    return exports_usd_within(exports, [period])[0]


def exports_usd_within(exports, periods: list[JalaliPeriod]) -> list[Decimal]:
    totals = _across(exports, periods).aggregate(
        **{f"p{i}": Sum("value_usd", filter=_within(p)) for i, p in enumerate(periods)}
    )
    return [totals[f"p{i}"] or Decimal(0) for i in range(len(periods))]


def exports_usd_by_destination(exports, period: JalaliPeriod) -> dict[str, Decimal]:
    return exports_usd_by_destination_within(exports, [period])[0]


def exports_usd_by_destination_within(exports, periods: list[JalaliPeriod]) -> list[dict]:
    """USD by ISO country code, plus the Persian Gulf group's total under "persian-gulf"."""
    rows = (
        _across(exports, periods)
        .values("destination")
        .annotate(**{f"p{i}": Sum("value_usd", filter=_within(p)) for i, p in enumerate(periods)})
        .order_by()
    )
    gulf = persian_gulf_countries()
    result = []
    for i in range(len(periods)):
        found = {row["destination"]: row[f"p{i}"] for row in rows if row[f"p{i}"]}
        found[PERSIAN_GULF] = sum((v for k, v in found.items() if k in gulf), Decimal(0))
        result.append(dict(sorted(found.items(), key=lambda item: -item[1])))
    return result


def exports_usd_by_product(exports, period: JalaliPeriod) -> dict[str, Decimal]:
    rows = exports.filter(_within(period)).values("product").annotate(total=Sum("value_usd"))
    return {row["product"]: row["total"] for row in rows.order_by("-total")}


# --- report metrics ----------------------------------------------------------------------
def _intervals(user, scope):
    from .models import UnitStatusInterval

    return scope.narrow(
        UnitStatusInterval.objects.restrict(user), province="province", county="county",
        park="park",
    )  # fmt: skip


def _events(user, scope):
    from .models import UnitStatusEvent

    return scope.narrow(
        UnitStatusEvent.objects.restrict(user),
        province="unit__county__province", county="unit__county", park="unit__park",
    )  # fmt: skip


def _exports(user, scope):
    from .models import ExportRecord

    return scope.narrow(
        ExportRecord.objects.restrict(user), province="unit__county__province",
        county="unit__county", park="unit__park",
    )  # fmt: skip


def _ends(periods):
    return [period.end for period in periods]


def _units_url(scope, period, **filters):
    return scope.records_url("units:unit-list", operational_on=period.end.isoformat(), **filters)


def _changes_url(status):
    def url(scope, period):
        return scope.records_url("units:unit-list", became=status,
                                 became_from=period.start.isoformat(),
                                 became_to=period.end.isoformat())  # fmt: skip

    return url


def _sme_limit():
    from django.conf import settings

    return settings.SHAHRAK_SIZE_THRESHOLDS["medium"]


def _sector_names(keys):
    return {key: str(Sector(key).label) for key in keys if key in Sector.values}


def _park_names(keys):
    from shahrak.parks.models import Park

    return {
        str(pk): name for pk, name in Park.objects.filter(pk__in=keys).values_list("pk", "name")
    }


METRICS = [
    Metric(
        "units.operational", "واحدهای در حال بهره‌برداری", "Units in operation", "count",
        "stock", compute_many=lambda user, scope, periods: units_operational_on(
            _intervals(user, scope), _ends(periods)
        ),
        records=_units_url,
        description="Units operational or restarted on the period's last day (status timeline).",
    ),
    Metric(
        "units.operational_by_sector", "واحدهای فعال به تفکیک رشته",
        "Units in operation by sector", "count", "stock",
        compute_many=lambda user, scope, periods: operational_by(
            _intervals(user, scope), _ends(periods), "sector"
        ),
        records=_units_url, names=_sector_names, by="sector",
        description="Units in operation on the period's last day, by sector code.",
    ),
    Metric(
        "units.operational_by_park", "واحدهای فعال به تفکیک شهرک",
        "Units in operation by park", "count", "stock",
        compute_many=lambda user, scope, periods: operational_by(
            _intervals(user, scope), _ends(periods), "park"
        ),
        records=_units_url, names=_park_names, by="park",
        description="Units in operation on the period's last day, by park id (units outside "
        "parks are not counted here).",
    ),
    Metric(
        "parks.with_operational_units", "شهرک‌ها و نواحی دارای واحد فعال",
        "Parks and zones with units in operation", "count", "stock",
        compute_many=lambda user, scope, periods: parks_with_operational_units_on(
            _intervals(user, scope), _ends(periods)
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
        "units.became_idle", "واحدهای راکدشده", "Units that became idle", "count", "flow",
        compute_many=lambda user, scope, periods: status_changes(
            _events(user, scope), UnitStatus.IDLE, periods
        ),
        records=_changes_url(UnitStatus.IDLE),
        description="Units whose status changed to idle within the period.",
    ),
    Metric(
        "units.restarted", "واحدهای راه‌اندازی‌شدهٔ دوباره", "Units restarted", "count", "flow",
        compute_many=lambda user, scope, periods: status_changes(
            _events(user, scope), UnitStatus.RESTARTED, periods
        ),
        records=_changes_url(UnitStatus.RESTARTED),
        description="Idle units that started production again within the period.",
    ),
    Metric(
        "exports.usd", "صادرات", "Exports", "usd", "flow",
        compute_many=lambda user, scope, periods: exports_usd_within(
            _exports(user, scope), periods
        ),
        description="Exports recorded with a date within the period, in US dollars.",
    ),
    Metric(
        "exports.usd_by_destination", "صادرات به تفکیک مقصد", "Exports by destination", "usd",
        "flow",
        compute_many=lambda user, scope, periods: exports_usd_by_destination_within(
            _exports(user, scope), periods
        ),
        names=lambda keys: {key: country_name(key) for key in keys},
        description="Exports within the period by ISO country code, and the Persian Gulf group.",
    ),
]  # fmt: skip
