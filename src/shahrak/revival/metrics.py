"""Revival figures for reports: cases identified, open, diagnosed and restarted, jobs
restored, days to a restart, the watch list, and monthly reports filed on time — aggregate
queries on querysets scoped to the asking user (`restrict(user)`) and to the report's scope.

Each is documented in docs/reports.md; each links to the list of the records it counts.
"""

import datetime as dt
import statistics
from decimal import Decimal

from django.db import connections
from django.db.models import Count, Func, IntegerField, Q, Sum

from shahrak.core.jalali import JalaliPeriod, month_length, to_gregorian, to_jalali
from shahrak.core.metrics import Metric, shared

from .choices import CaseStage
from .selectors import open_at
from .tally import late_from
from .watch import DUE_DAY, month_number, month_of

CASE_SCOPE = {"province": "unit__county__province", "county": "unit__county", "park": "unit__park"}


def _cases(user, scope):
    from .models import RevivalCase

    cases = RevivalCase.objects.restrict(user).filter(archived_at__isnull=True)
    return scope.narrow(cases, **CASE_SCOPE)


def _within(field: str, period: JalaliPeriod) -> Q:
    return Q(**{f"{field}__range": (period.start, period.end)})


def _counts(queryset, conditions: list[Q], distinct: bool = False) -> list[int]:
    found = queryset.aggregate(
        **{f"p{i}": Count("pk", filter=q, distinct=distinct) for i, q in enumerate(conditions)}
    )
    return [found[f"p{i}"] for i in range(len(conditions))]


def identified(user, scope, periods):
    return _counts(_cases(user, scope), [_within("opened_on", p) for p in periods])


def still_open(user, scope, periods):
    return _counts(_cases(user, scope), [open_at(p.end) for p in periods])


def diagnosed(user, scope, periods):
    """Cases with a diagnosis dated within each period (a case counted once a period)."""
    cases = _cases(user, scope).filter(diagnoses__archived_at__isnull=True)
    return _counts(cases, [_within("diagnoses__on", p) for p in periods], distinct=True)


def restarted(user, scope, periods):
    cases = _cases(user, scope).filter(stage=CaseStage.RESTARTED)
    return _counts(cases, [_within("restarted_on", p) for p in periods])


def jobs_restored(user, scope, periods):
    cases = _cases(user, scope).filter(stage=CaseStage.RESTARTED)
    found = cases.aggregate(
        **{f"p{i}": Sum("jobs_restored", filter=_within("restarted_on", p))
           for i, p in enumerate(periods)}
    )  # fmt: skip
    return [found[f"p{i}"] or 0 for i in range(len(periods))]


class _DaysBetween(Func):
    """Whole days from the first date to the second, computed by the database."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="CAST(julianday(%(expressions)s) AS "
                           "integer)", arg_joiner=") - julianday(", **extra)  # fmt: skip

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(%(expressions)s)",
                           arg_joiner=" - ", **extra)  # fmt: skip


def median_days_to_restart(user, scope, periods):
    """The median of days from identification to restart, of the cases restarted within
    each period (None where none restarted)."""
    cases = _cases(user, scope).filter(
        stage=CaseStage.RESTARTED, restarted_on__lte=max(p.end for p in periods)
    )
    # The days are counted by the database and the rows read raw: Django's conversion of
    # two dates a row was most of this figure's time.
    rows = cases.order_by().values_list("restarted_on", _DaysBetween("restarted_on", "opened_on"))
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = [
            (dt.date.fromisoformat(end) if isinstance(end, str) else end, days)
            for end, days in cursor.fetchall()
        ]
    found = []
    for period in periods:
        first, last = period.start, period.end  # computed from the Jalali dates at each call
        days = [days for end, days in rows if first <= end <= last]
        found.append(Decimal(str(statistics.median(days))) if days else None)
    return found


def watch_list_size(user, scope, periods):
    """Units on the watch list at each period's end (as the watch-list page shows them): its
    candidates found in the country's sets kept once found when the user sees whole
    provinces, else in the reports of the units in scope."""
    from shahrak.units.models import Unit

    from .selectors import watch_list

    units = scope.narrow(
        Unit.objects.restrict(user), province="county__province", county="county", park="park"
    )
    kept = _whole_provinces(user) is not None
    return [len(watch_list(units, period.end, kept=kept)) for period in periods]


# --- monthly reports filed on time -------------------------------------------------------
def months_of(period: JalaliPeriod) -> tuple[int, int] | None:
    """The first and last month (month numbers) whose first day lies within the period."""
    year, month, day = to_jalali(period.start)
    first = month_number(year, month) + (day > 1)
    last = month_number(*to_jalali(period.end)[:2])
    return (first, last) if first <= last else None


def due_on(month: int) -> dt.date:
    """The last day a month's report is on time: the 10th of the following month."""
    year, number = month_of(month + 1)
    return to_gregorian(year, number, min(DUE_DAY, month_length(year, number)))


def _month_range(first: int, last: int) -> Q:
    from .selectors import _months

    return _months(first, last)


def _cutoff(month: int) -> dt.datetime:
    """The moment a month's report becomes late: the day after its due date, 00:00 Tehran."""
    return late_from(*month_of(month))


def _whole_provinces(user):
    """The provinces whose every monthly report `user` sees
    (`accounts.policy.whole_provinces`)."""
    from shahrak.accounts.policy import whole_provinces

    from .models import MonthlyReport

    return whole_provinces(user, MonthlyReport)


def _tallied(provinces, scope, first: int, last: int) -> dict[int, tuple[int, int]]:
    """`_filed_counts` read from the counts kept by month and place (revival/tally.py)."""
    from shahrak.accounts.policy import EVERYWHERE

    from .models import ReportTally

    rows = scope.narrow(ReportTally.objects.all(), province="county__province",
                        county="county", park="park")  # fmt: skip
    if provinces is not EVERYWHERE:
        rows = rows.filter(county__province__in=list(provinces))
    rows = (
        rows.filter(_month_range(first, last))
        .order_by()
        .values_list("year", "month")
        .annotate(filed=Sum("filed"), on_time=Sum("on_time"))
    )
    return {month_number(y, m): (n, on_time) for y, m, n, on_time in rows if n}


@shared
def _filed_counts(user, scope, first: int, last: int) -> dict[int, tuple[int, int]]:
    """Month number → (reports filed, filed on time), for the months first..last: from the
    counts kept by month and place when the user sees whole provinces (`_tallied`), else
    from the reports, one count per month with that month's cutoff."""
    provinces = _whole_provinces(user)
    if provinces is not None:
        return _tallied(provinces, scope, first, last)
    return _counted(user, scope, first, last)


def _counted(user, scope, first: int, last: int) -> dict[int, tuple[int, int]]:
    """`_filed_counts` counted on the reports: one query, a count per month with that month's
    cutoff (a condition per month, OR-ed, cost a comparison per month on every report)."""
    from django.db import connections

    from .models import MonthlyReport
    from .selectors import FILED

    reports = scope.narrow(
        MonthlyReport.objects.restrict(user).filter(archived_at__isnull=True, status__in=FILED),
        province="unit__county__province", county="unit__county", park="unit__park",
    ).filter(_month_range(first, last), filed_at__isnull=False)  # fmt: skip
    connection = connections[reports.db]
    inner, params = reports.order_by().values("year", "month", "filed_at").query.sql_with_params()
    months = range(max(first, _first_reported(reports)), last + 1)
    if not months:
        return {}
    adapt = connection.ops.adapt_datetimefield_value
    stamp = "timestamp with time zone" if connection.vendor == "postgresql" else "text"
    # One count per month, joined by UNION ALL: each reads its month's stretch of the index
    # and nothing else (a GROUP BY over every report sorted them all first).
    part = (
        "SELECT %s, %s, COUNT(*), "
        f"SUM(CASE WHEN r.filed_at < CAST(%s AS {stamp}) THEN 1 ELSE 0 END) "
        f"FROM ({inner}) r WHERE r.year = %s AND r.month = %s"
    )
    sql, values = [], []
    for month in months:
        year, number = month_of(month)
        sql.append(part)
        values += [year, number, adapt(_cutoff(month)), *params, year, number]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(sql), values)
        return {
            month_number(y, m): (n, on_time or 0) for y, m, n, on_time in cursor.fetchall() if n
        }


def _first_reported(reports) -> int:
    """The first month with a report among `reports` (months before it need no cutoff)."""
    first = reports.order_by("year", "month").values_list("year", "month").first()
    return month_number(*first) if first else 10**9


def filed_on_time_pct(user, scope, periods):
    """Of the reports filed for the months of each period, the percentage filed by their due
    date (None where none was filed)."""
    spans = [months_of(p) for p in periods]
    known = [s for s in spans if s]
    if not known:
        return [None] * len(periods)
    counts = _filed_counts(user, scope, min(s[0] for s in known), max(s[1] for s in known))
    found = []
    for span in spans:
        rows = [n for month, n in counts.items() if span and span[0] <= month <= span[1]]
        filed, on_time = sum(n for n, _ in rows), sum(k for _, k in rows)
        found.append((Decimal(100) * on_time / filed).quantize(Decimal("0.1")) if filed else None)
    return found


# --- the records behind each figure ---------------------------------------------------------
def _records(scope, route: str, **filters) -> str | None:
    """The list `route` filtered to the scope; None while the revival pages are not installed
    (a figure then shows without its link rather than breaking the report)."""
    from django.urls import NoReverseMatch

    try:
        return scope.records_url(route, **filters)
    except NoReverseMatch:
        return None


def _cases_url(**filters):
    def url(scope, period):
        return _records(
            scope,
            "revival:case-list",
            **{name: getattr(period, attr).isoformat() for name, attr in filters.items()},
        )

    return url


def _reports_url(scope, period):
    """The reports of the period's months: a year (`year`), one month (`year`, `month`), or
    a stretch of months (`month_from`, `month_to`, as YYYY-MM)."""
    span = months_of(period) or (0, -1)
    (y0, m0), (y1, m1) = month_of(span[0]), month_of(span[1])
    if y0 == y1 and m0 == 1 and m1 == 12:
        filters = {"year": y0}
    elif span[0] == span[1]:
        filters = {"year": y0, "month": m0}
    else:
        filters = {"month_from": f"{y0}-{m0:02d}", "month_to": f"{y1}-{m1:02d}"}
    return _records(scope, "revival:report-list", **filters)


_RESTARTED_URL = _cases_url(restarted_from="start", restarted_to="end")

METRICS = [
    Metric(
        "idle.identified", "واحدهای غیرفعال شناسایی‌شده", "Idle units identified", "count",
        "flow", compute_many=identified,
        records=_cases_url(opened_from="start", opened_to="end"),
        description="Revival cases opened (idle units identified) within the period.",
    ),
    Metric(
        "idle.open", "پرونده‌های احیای باز", "Revival cases open", "count", "stock",
        compute_many=still_open, records=_cases_url(open_on="end"),
        description="Revival cases open at the period's end: identified by then, neither "
        "restarted nor closed by then.",
    ),
    Metric(
        "idle.diagnosed", "واحدهای عارضه‌یابی‌شده", "Idle units diagnosed", "count", "flow",
        compute_many=diagnosed,
        records=_cases_url(diagnosed_from="start", diagnosed_to="end"),
        description="Revival cases with a diagnosis dated within the period (once each).",
    ),
    Metric(
        "idle.restarted_by_case", "واحدهای راه‌اندازی‌شده با پرونده", "Units restarted by a "
        "revival case", "count", "flow", compute_many=restarted, records=_RESTARTED_URL,
        description="Revival cases closed as restarted within the period (equal to "
        "units.restarted when every restart went through a case).",
    ),
    Metric(
        "idle.jobs_restored", "اشتغال بازگشته", "Jobs restored", "count", "flow",
        compute_many=jobs_restored, records=_RESTARTED_URL,
        description="Jobs restored by the revival cases restarted within the period.",
    ),
    Metric(
        "idle.median_days_to_restart", "میانهٔ روزهای شناسایی تا راه‌اندازی",
        "Median days from identification to restart", "days", "flow",
        compute_many=median_days_to_restart, records=_RESTARTED_URL,
        description="Median days from identification to restart of the cases restarted "
        "within the period.",
    ),
    Metric(
        "idle.watch_list", "واحدهای در فهرست هشدار", "Units on the watch list", "count",
        "stock", compute_many=watch_list_size,
        records=lambda scope, period: _records(
            scope, "revival:watch-list", on=period.end.isoformat()
        ),
        description="Units in operation without an open case flagged by their province's "
        "watch-list rules at the period's end.",
    ),
    Metric(
        "reports.filed_pct", "گزارش‌های ماهانهٔ به‌موقع", "Monthly reports filed on time",
        "percent", "flow", compute_many=filed_on_time_pct, records=_reports_url,
        description="Of the monthly reports filed for the months of the period, the "
        "percentage filed by their due date (the 10th of the following month).",
    ),
]  # fmt: skip
