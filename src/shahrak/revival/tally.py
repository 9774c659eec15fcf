"""The counts of monthly reports filed, and of them filed on time, by month and by the place
of their unit (`ReportTally`): what the on-time figure (`reports.filed_pct`) reads, so that
"since the start" costs a few thousand rows rather than every report ever filed.

A report counts once it is filed (submitted, accepted or returned: its month is not missed),
not archived, with its filing time; it is on time when filed before the day after its due
date (the 10th of the following month) began in Tehran. Who keeps the counts:

- the report services (`monthly_report_submit`, `_accept`, `_return`; the workbook import
  files through them), in the transaction that writes the report (`following`);
- `MonthlyReport.archive` / `.restore`;
- a unit moved to another county or park (`units.signals.unit_moved`): its counts move too;
- writes that bypass the services (bulk loaders: `revival.demo`, `bench/revival_data.py`)
  call `rebuild`, which recounts everything from the reports (also `shahrak revival tally`).

The figure reads the counts only for users who see every report of whole provinces (their
staff, headquarters); anyone else (a unit's representative) is counted on the reports.
"""

import datetime as dt
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q

from shahrak.core.jalali import month_length, to_gregorian

from .watch import DUE_DAY, month_number, month_of

TEHRAN = ZoneInfo("Asia/Tehran")


def late_from(year: int, month: int) -> dt.datetime:
    """The moment a month's report becomes late: the day after its due date (the 10th of the
    following month), 00:00 Tehran."""
    y, m = month_of(month_number(year, month) + 1)
    due = to_gregorian(y, m, min(DUE_DAY, month_length(y, m)))
    return dt.datetime.combine(due + dt.timedelta(days=1), dt.time(), TEHRAN)


def filed_reports():
    """The reports the counts hold (filed, not archived, with a filing time)."""
    from .models import MonthlyReport
    from .selectors import FILED

    return MonthlyReport.objects.filter(
        status__in=FILED, archived_at__isnull=True, filed_at__isnull=False
    )


def counted(status: str, archived_at, filed_at, year: int, month: int) -> tuple[int, int]:
    """(filed, on time) that a report in this state adds to its month's counts."""
    from .selectors import FILED

    if archived_at is not None or status not in FILED or filed_at is None:
        return (0, 0)
    return (1, int(filed_at < late_from(year, month)))


STATE = ("unit_id", "year", "month", "status", "archived_at", "filed_at", "production_volume",
         "employees")  # fmt: skip


def _state(values: dict) -> tuple:
    key = (values["unit_id"], values["year"], values["month"])
    return key, counted(
        values["status"], values["archived_at"], values["filed_at"], values["year"],
        values["month"],
    )  # fmt: skip


def _figures(values: dict) -> tuple | None:
    """What the watch list reads of a report: its month and figures, if it counts as filed."""
    from .selectors import FILED

    if values["archived_at"] is not None or values["status"] not in FILED:
        return None
    number = month_number(values["year"], values["month"])
    return values["unit_id"], number, values["production_volume"], values["employees"]


def forget_drops(month: int) -> None:
    """The watch list's drop candidates and units that filed, found over the months holding
    `month`, are no longer what the reports say: deleted (found again when next asked)."""
    from .models import DropCandidates, FiledUnits

    DropCandidates.objects.filter(
        as_of__gte=month, as_of__lte=month + 2 * F("recent_months") - 1
    ).delete()
    FiledUnits.objects.filter(as_of__gte=month, as_of__lte=month + F("months") - 1).delete()


def add(year: int, month: int, county_id: int, park_id: int | None, filed: int, on_time: int):
    """Add to one month's counts at one place (negative numbers take away)."""
    from .models import ReportTally

    if not filed and not on_time:
        return
    rows = ReportTally.objects.filter(year=year, month=month, county_id=county_id, park_id=park_id)
    change = {"filed": F("filed") + filed, "on_time": F("on_time") + on_time}
    if rows.update(**change):
        return
    try:
        with transaction.atomic():
            ReportTally.objects.create(year=year, month=month, county_id=county_id,
                                       park_id=park_id, filed=filed, on_time=on_time)  # fmt: skip
    except IntegrityError:  # another transaction wrote the row meanwhile
        rows.update(**change)


def _place(unit_id: int) -> tuple[int, int | None]:
    from shahrak.units.models import Unit

    return Unit.objects.values_list("county_id", "park_id").get(pk=unit_id)


@contextmanager
def following(report):
    """Around a write of `report` (saved inside the block, in one transaction): what it adds
    to the counts before and after is read, and the difference applied."""
    from .models import MonthlyReport

    with transaction.atomic():
        before = seen = None
        if report.pk is not None:
            rows = MonthlyReport.objects.select_for_update().filter(pk=report.pk).values(*STATE)
            for row in rows:
                before, seen = _state(row), _figures(row)
        yield
        values = {name: getattr(report, name) for name in STATE}
        after = _state(values)
        if seen != _figures(values):
            for figures in (seen, _figures(values)):
                if figures is not None:
                    forget_drops(figures[1])
        if before == after:
            return
        county, park = _place(report.unit_id)
        if before is not None:
            (_unit, year, month), (filed, on_time) = before
            add(year, month, county, park, -filed, -on_time)
        (_unit, year, month), (filed, on_time) = after
        add(year, month, county, park, filed, on_time)


def move_unit(unit_id: int, before: tuple[int, int | None], after: tuple[int, int | None]):
    """A unit moved from the place `before` (county, park) to `after`: its counts follow."""
    if before == after:
        return
    months: dict[tuple[int, int], list[int]] = {}
    for year, month, filed_at in (
        filed_reports().filter(unit_id=unit_id).values_list("year", "month", "filed_at")
    ):
        counts = months.setdefault((year, month), [0, 0])
        counts[0] += 1
        counts[1] += filed_at < late_from(year, month)
    for (year, month), (filed, on_time) in months.items():
        add(year, month, *before, -filed, -on_time)
        add(year, month, *after, filed, on_time)


def on_unit_moved(sender, *, unit, before, after, **kwargs):
    """`units.signals.unit_moved`: the unit's counts move with it (same transaction)."""
    move_unit(unit.pk, before, after)


def recount(year: int, month: int) -> dict[tuple[int, int | None], tuple[int, int]]:
    """(county, park) → (filed, on time) of one month, counted on the reports."""
    rows = (
        filed_reports()
        .filter(year=year, month=month)
        .order_by()
        .values_list("unit__county", "unit__park")
        .annotate(
            filed=Count("pk"), on_time=Count("pk", filter=Q(filed_at__lt=late_from(year, month)))
        )
    )
    return {(county, park): (filed, on_time) for county, park, filed, on_time in rows}


@transaction.atomic
def rebuild() -> int:
    """Recount every month's counts from the reports (one grouped count a month), and forget
    the watch list's drop candidates and units that filed kept (`DropCandidates`,
    `FiledUnits`); returns the rows written."""
    from .models import DropCandidates, FiledUnits, ReportTally

    DropCandidates.objects.all().delete()  # found again, on the reports as they are now
    FiledUnits.objects.all().delete()
    ReportTally.objects.all().delete()
    reports = filed_reports().order_by("year", "month").values_list("year", "month")
    first, last = reports.first(), reports.reverse().first()
    if first is None:
        return 0
    rows = []
    for number in range(month_number(*first), month_number(*last) + 1):
        year, month = month_of(number)
        rows += [
            ReportTally(
                year=year, month=month, county_id=county, park_id=park, filed=filed, on_time=on_time
            )
            for (county, park), (filed, on_time) in recount(year, month).items()
        ]
    ReportTally.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
