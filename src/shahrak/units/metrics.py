"""Unit and export figures for reports, as aggregate queries on scoped querysets.

`intervals` is UnitStatusInterval.objects.restrict(user) filtered to the scope; `exports`
is ExportRecord.objects.restrict(user) filtered likewise.
"""

import datetime as dt
import operator
from collections import Counter
from decimal import Decimal
from functools import reduce

from django.db.models import Count, Q, Sum

from shahrak.core.jalali import JalaliPeriod, format_jalali
from shahrak.core.metrics import Metric, shared

from .choices import IN_OPERATION, Sector, UnitStatus
from .countries import PERSIAN_GULF, country_name, persian_gulf_countries


def on_date(intervals, date: dt.date):
    return intervals.filter(_covering(date))


def in_operation_at(intervals, date: dt.date):
    return on_date(intervals, date).filter(status__in=IN_OPERATION)


def _covering(date: dt.date) -> Q:
    return Q(valid_from__lte=date, valid_to__gt=date)


def _in_operation_across(intervals, dates: list[dt.date]):
    """Intervals in operation on any of `dates`; each date's own are picked by `_covering`."""
    return intervals.filter(
        status__in=IN_OPERATION, valid_from__lte=max(dates), valid_to__gt=min(dates)
    )


def operational_grid(intervals, dates: list[dt.date]) -> list[Counter]:
    """Units in operation on each of `dates`, counted by (province id, sector, park id or
    None): one query from which the count, its breakdowns and the parks with units are cut."""
    rows = (
        _in_operation_across(intervals, dates)
        .values("province", "sector", "park")
        .annotate(**{f"d{i}": Count("pk", filter=_covering(d)) for i, d in enumerate(dates)})
        .order_by()
    )
    grids = [Counter() for _ in dates]
    for row in rows:
        for i, grid in enumerate(grids):
            if row[f"d{i}"]:
                grid[(row["province"], row["sector"], row["park"])] += row[f"d{i}"]
    return grids


def total(grid: Counter) -> int:
    return sum(grid.values())


def parks_in(grid: Counter) -> int:
    return len({park for _province, _sector, park in grid if park is not None})


def _summed_by(grid: Counter, name) -> dict[str, int]:
    found = Counter()
    for key, count in grid.items():
        if (value := name(*key)) is not None:
            found[value] += count
    return dict(found.most_common())


def by_sector(grid: Counter) -> dict[str, int]:
    return _summed_by(grid, lambda province, sector, park: sector)


def by_park(grid: Counter) -> dict[str, int]:
    return _summed_by(grid, lambda province, sector, park: None if park is None else str(park))


def by_province(grid: Counter) -> dict[str, int]:
    codes = province_codes()
    return _summed_by(grid, lambda province, sector, park: codes[province])


@shared
def province_codes() -> dict[int, str]:
    from shahrak.places.models import Province

    return dict(Province.objects.values_list("pk", "code"))


def units_operational(intervals, date: dt.date) -> int:
    return total(operational_grid(intervals, [date])[0])


def parks_with_operational_units(intervals, date: dt.date) -> int:
    return parks_in(operational_grid(intervals, [date])[0])


def sme_share_in_parks_pct(intervals, date: dt.date, *, sme_limit: int) -> Decimal | None:
    return sme_shares_in_parks_pct(intervals, [date], sme_limit=sme_limit)[0]


def sme_shares_in_parks_pct(intervals, dates: list[dt.date], *, sme_limit: int) -> list:
    """Of the small and medium units in operation on each date, the percentage inside parks
    (None where there are none), in one query: a unit has one interval on a date, so its
    intervals count units. The small and medium units are a subquery, not a join: SQLite then
    reads the intervals from their covering index and looks each unit up in a set (a join read
    each unit's row: 2–3× slower for the nation in bench/reports.py)."""
    from .models import Unit

    small = Unit.objects.filter(employees__lt=sme_limit).values("pk")
    across = _in_operation_across(intervals, dates).filter(unit__in=small)
    counts = across.aggregate(
        **{f"all{i}": Count("pk", filter=_covering(d)) for i, d in enumerate(dates)},
        **{f"in{i}": Count("park", filter=_covering(d)) for i, d in enumerate(dates)},
    )
    return [
        (Decimal(100) * counts[f"in{i}"] / counts[f"all{i}"]).quantize(Decimal("0.1"))
        if counts[f"all{i}"]
        else None
        for i in range(len(dates))
    ]


def _within(period: JalaliPeriod, field: str = "on") -> Q:
    return Q(**{f"{field}__range": (period.start, period.end)})


# Beyond this span a date range is most of the table: SQLite would still read it through
# the date index, row by row (3× slower than a plain scan in bench/reports.py).
SELECTIVE_SPAN = dt.timedelta(days=800)


def _across(queryset, periods: list[JalaliPeriod], field: str = "on"):
    """Narrow to the dates of `periods` when that is a small part of the records."""
    start, end = min(p.start for p in periods), max(p.end for p in periods)
    if end - start > SELECTIVE_SPAN:
        return queryset
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
    return exports_total(export_grid(exports, [period])[0])


def exports_usd_by_destination(exports, period: JalaliPeriod) -> dict[str, Decimal]:
    return with_persian_gulf(export_grid(exports, [period])[0])


def export_grid(exports, periods: list[JalaliPeriod]) -> list[dict[tuple, Decimal]]:
    """USD within each period by (ISO country code, province id), in one query: the total,
    the destinations and the provinces are all cut from it. Keys in order (equal sums are
    then listed in the same order however the grid was read)."""
    rows = (
        _across(exports, periods)
        .values("destination", "unit__county__province")
        .annotate(**{f"p{i}": Sum("value_usd", filter=_within(p)) for i, p in enumerate(periods)})
        .order_by()
    )
    rows = sorted(rows, key=lambda row: (row["destination"], row["unit__county__province"]))
    return [
        {(row["destination"], row["unit__county__province"]): row[f"p{i}"]
         for row in rows if row[f"p{i}"]}
        for i in range(len(periods))
    ]  # fmt: skip


def exports_total(grid: dict[tuple, Decimal]) -> Decimal:
    return sum(grid.values(), Decimal(0))


def _usd_by(grid: dict[tuple, Decimal], position: int) -> dict:
    found: dict = {}
    for key, value in grid.items():
        found[key[position]] = found.get(key[position], Decimal(0)) + value
    return found


def with_persian_gulf(grid: dict[tuple, Decimal]) -> dict[str, Decimal]:
    """USD by country, largest first, plus the Persian Gulf group's total ("persian-gulf")."""
    by_country = _usd_by(grid, 0)
    gulf = persian_gulf_countries()
    by_country[PERSIAN_GULF] = sum((v for k, v in by_country.items() if k in gulf), Decimal(0))
    return dict(sorted(by_country.items(), key=lambda item: -item[1]))


def exports_by_province(grid: dict[tuple, Decimal]) -> dict[str, Decimal]:
    codes = province_codes()
    found = {codes[pk]: value for pk, value in _usd_by(grid, 1).items()}
    return dict(sorted(found.items(), key=lambda item: -item[1]))


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


@shared
def _grids(user, scope, dates: tuple) -> list[Counter]:
    return operational_grid(_intervals(user, scope), list(dates))


def _from_grids(cut):
    def compute_many(user, scope, periods):
        return [cut(grid) for grid in _grids(user, scope, tuple(p.end for p in periods))]

    return compute_many


@shared
def _export_grids(user, scope, periods: tuple) -> list[dict]:
    """`export_grid` for the user and scope: from the sums kept by month, county and
    destination (units/tally.py) for whole months when the user sees whole provinces and the
    scope is the nation, a province or a county; from the records otherwise."""
    from .tally import whole_provinces

    provinces = whole_provinces(user)
    if provinces is None or scope.park is not None:
        return export_grid(_exports(user, scope), list(periods))
    return tallied_export_grid(user, scope, provinces, list(periods))


def tallied_export_grid(user, scope, provinces, periods: list[JalaliPeriod]) -> list[dict]:
    """`export_grid`, its whole months read from `ExportTally` (one query) and the days of a
    period outside whole months from the records (one query, by the date index)."""
    from .tally import edges, usd, whole_months

    found = [{} for _ in periods]
    months = [whole_months(p.start, p.end) for p in periods]
    for key, sums in _tallied_sums(scope, provinces, [m for m in months if m]):
        amounts = iter(sums)
        for grid, span in zip(found, months, strict=True):
            if span and (amount := next(amounts)):
                grid[key] = usd(amount)
    stretches = [edges(p.start, p.end) for p in periods]
    days = [_days(parts) for parts in stretches if parts]
    if days:
        rows = (
            _exports(user, scope)
            .filter(reduce(operator.or_, days))
            .values_list("destination", "unit__county__province")
            .annotate(**{f"p{i}": Sum("value_usd", filter=q) for i, q in enumerate(days)})
            .order_by()
        )
        for destination, province, *sums in rows:
            amounts = iter(sums)
            for grid, parts in zip(found, stretches, strict=True):
                if parts and (amount := next(amounts)) is not None:
                    key = (destination, province)
                    grid[key] = grid.get(key, Decimal(0)) + amount
    # In the order of the keys, as SQLite's grouping gives them (equal sums keep that order).
    return [{key: grid[key] for key in sorted(grid) if grid[key]} for grid in found]


def _days(stretches: list[tuple[dt.date, dt.date]]) -> Q:
    return reduce(operator.or_, (Q(on__range=stretch) for stretch in stretches))


def _tallied_sums(scope, provinces, spans: list[tuple[int, int]]):
    """((destination, province id), [cents within each span of months]) from `ExportTally`,
    for the provinces the user sees whole, narrowed to the scope (nation, province, county)."""
    from shahrak.accounts.policy import EVERYWHERE
    from shahrak.core.metrics import in_months

    from .models import ExportTally

    if not spans:
        return []
    rows = scope.narrow(ExportTally.objects.all(), province="county__province", county="county")
    if provinces is not EVERYWHERE:
        rows = rows.filter(county__province__in=list(provinces))
    rows = (
        rows.filter(in_months(min(s[0] for s in spans), max(s[1] for s in spans)))
        .order_by()
        .values_list("destination", "county__province")
        .annotate(**{f"p{i}": Sum("usd_cents", filter=in_months(*s)) for i, s in enumerate(spans)})
    )
    return [((destination, province), sums) for destination, province, *sums in rows]


def _from_exports(cut):
    def compute_many(user, scope, periods):
        return [cut(grid) for grid in _export_grids(user, scope, tuple(periods))]

    return compute_many


def _units_url(scope, period, **filters):
    return scope.records_url("units:unit-list", operational_on=period.end.isoformat(), **filters)


def _changes_url(status):
    def url(scope, period):
        return scope.records_url("units:unit-list", became=status,
                                 became_from=period.start.isoformat(),
                                 became_to=period.end.isoformat())  # fmt: skip

    return url


def _exports_url(scope, period):
    return scope.records_url("units:export-list", on_from=format_jalali(period.start, False),
                             on_to=format_jalali(period.end, False))  # fmt: skip


def _sme_limit():
    from django.conf import settings

    return settings.SHAHRAK_SIZE_THRESHOLDS["medium"]


def _sector_names(keys):
    return {key: str(Sector(key).label) for key in keys if key in Sector.values}


def _province_names(keys):
    from shahrak.places.models import Province

    return dict(Province.objects.filter(code__in=keys).values_list("code", "name_fa"))


def _park_names(keys):
    from shahrak.parks.models import Park

    return {
        str(pk): name for pk, name in Park.objects.filter(pk__in=keys).values_list("pk", "name")
    }


METRICS = [
    Metric(
        "units.operational", "واحدهای در حال بهره‌برداری", "Units in operation", "count",
        "stock", compute_many=_from_grids(total),
        records=_units_url,
        description="Units operational or restarted on the period's last day (status timeline).",
    ),
    Metric(
        "units.operational_by_sector", "واحدهای فعال به تفکیک رشته",
        "Units in operation by sector", "count", "stock",
        compute_many=_from_grids(by_sector),
        records=_units_url, names=_sector_names, by="sector",
        description="Units in operation on the period's last day, by sector code.",
    ),
    Metric(
        "units.operational_by_park", "واحدهای فعال به تفکیک شهرک",
        "Units in operation by park", "count", "stock",
        compute_many=_from_grids(by_park),
        records=_units_url, names=_park_names, by="park",
        description="Units in operation on the period's last day, by park id (units outside "
        "parks are not counted here).",
    ),
    Metric(
        "units.operational_by_province", "واحدهای فعال به تفکیک استان",
        "Units in operation by province", "count", "stock",
        compute_many=_from_grids(by_province),
        records=_units_url, names=_province_names, by="province",
        description="Units in operation on the period's last day, by province code.",
    ),
    Metric(
        "parks.with_operational_units", "شهرک‌ها و نواحی دارای واحد فعال",
        "Parks and zones with units in operation", "count", "stock",
        compute_many=_from_grids(parks_in),
        records=lambda scope, period: scope.records_url(
            "parks:park-list", with_units_on=period.end.isoformat()
        ),
        description="Parks and zones hosting at least one unit in operation at the period's end.",
    ),
    Metric(
        "units.sme_share_in_parks_pct", "سهم صنایع کوچک و متوسط مستقر در شهرک‌ها",
        "Share of SMEs located in parks", "percent", "stock",
        compute_many=lambda user, scope, periods: sme_shares_in_parks_pct(
            _intervals(user, scope), [p.end for p in periods], sme_limit=_sme_limit()
        ),
        records=lambda scope, period: _units_url(scope, period, size="sme"),
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
        compute_many=_from_exports(exports_total), records=_exports_url,
        description="Exports recorded with a date within the period, in US dollars.",
    ),
    Metric(
        "exports.usd_by_destination", "صادرات به تفکیک مقصد", "Exports by destination", "usd",
        "flow",
        compute_many=_from_exports(with_persian_gulf), records=_exports_url, by="destination",
        names=lambda keys: {key: country_name(key) for key in keys},
        description="Exports within the period by ISO country code, and the Persian Gulf group.",
    ),
    Metric(
        "exports.usd_by_province", "صادرات به تفکیک استان", "Exports by province", "usd",
        "flow", compute_many=_from_exports(exports_by_province), names=_province_names,
        records=_exports_url, by="province",
        description="Exports within the period by the exporting unit's province code.",
    ),
]  # fmt: skip
