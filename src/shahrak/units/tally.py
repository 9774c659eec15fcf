"""USD exported by Jalali month, by the exporting unit's county and by destination
(`ExportTally`): what the export figures (`exports.usd`, `…_by_destination`,
`…_by_province`) read for the whole months of a period, so that "since the start" costs a
few hundred rows rather than every export ever recorded.

Every export record counts, archived or not: the figures read `ExportRecord.objects.restrict`,
which keeps archived records, so archiving or restoring one changes nothing here. Sums are
whole US cents (integers: exact on both databases). Who keeps them:

- `services.export_add`, in the transaction that writes the export (`add_records`), the
  unit locked so that a move of it waits (or it waits for the move);
- the units import (`imports._Planner.apply`), for the exports it inserts in bulk and for the
  units it moves to another county (`move_unit`), in its transaction;
- `services.unit_update`, when a unit moves to another county (`move_unit`);
- writes that bypass the services (bulk loaders: `units.demo`, `bench/reports.py`) call
  `rebuild`, which recounts everything from the records (also `shahrak exports_tally`).

The figures read the sums only for users who see every export of whole provinces (their
staff, headquarters) and for the nation, a province or a county; anyone else (a unit's
representative), or a park, is summed on the records.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, Count, F, Sum
from django.db.models.functions import Cast, Round

from shahrak.core.jalali import month_length, month_number, month_of, to_gregorian, to_jalali

CENT = Decimal("0.01")


def first_day(number: int) -> dt.date:
    return to_gregorian(*month_of(number), 1)


def whole_months(start: dt.date, end: dt.date) -> tuple[int, int] | None:
    """The first and last month (month numbers) lying wholly within start..end; None if none."""
    year, month, day = to_jalali(start)
    first = month_number(year, month) + (day > 1)
    year, month, day = to_jalali(end)
    last = month_number(year, month) - (day < month_length(year, month))
    return (first, last) if first <= last else None


def edges(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The days of start..end outside its whole months (at most two stretches)."""
    months = whole_months(start, end)
    if months is None:
        return [(start, end)]
    first, last = first_day(months[0]), first_day(months[1] + 1)
    found = []
    if start < first:
        found.append((start, first - dt.timedelta(days=1)))
    if last <= end:
        found.append((last, end))
    return found


def cents(value) -> int:
    """A value in USD as whole cents (as stored: two decimal places)."""
    return int(Decimal(value).quantize(CENT, ROUND_HALF_UP) * 100)


def usd(amount: int) -> Decimal:
    """Whole cents as USD with two decimal places (as the database's sums are)."""
    return Decimal(amount).scaleb(-2)


def add(year: int, month: int, county_id: int, destination: str, amount: int, records: int):
    """Add to one month's sum at one county for one destination (negative numbers take away)."""
    from .models import ExportTally

    if not amount and not records:
        return
    rows = ExportTally.objects.filter(
        year=year, month=month, county_id=county_id, destination=destination
    )
    change = {"usd_cents": F("usd_cents") + amount, "records": F("records") + records}
    if rows.update(**change):
        return
    try:
        with transaction.atomic():
            ExportTally.objects.create(year=year, month=month, county_id=county_id,
                                       destination=destination, usd_cents=amount,
                                       records=records)  # fmt: skip
    except IntegrityError:  # another transaction wrote the row meanwhile
        rows.update(**change)


def add_records(records, sign: int = 1) -> None:
    """Add (sign −1: take away) export records given as (county id, date, destination, USD),
    summed by month, county and destination first."""
    sums: dict[tuple, list[int]] = {}
    for county_id, on, destination, value in records:
        year, month, _day = to_jalali(on)
        found = sums.setdefault((year, month, county_id, destination), [0, 0])
        found[0] += cents(value)
        found[1] += 1
    for key, (amount, count) in sorted(sums.items()):
        add(*key, sign * amount, sign * count)


def counties_of(unit_ids) -> dict[int, int]:
    """Unit id → county id, the units locked until the transaction ends (a move of one waits
    for the exports being added, or they for the move)."""
    from .models import Unit

    ids, found = sorted(unit_ids), {}
    for start in range(0, len(ids), 500):
        found.update(
            Unit.objects.select_for_update()
            .filter(pk__in=ids[start : start + 500])
            .values_list("pk", "county_id")
        )
    return found


def _grouped(records):
    """(date, county, destination, cents, records) of `records`, grouped: each record's
    value in whole cents, summed as integers (exact on both databases)."""
    return (
        records.order_by()
        .values_list("on", "unit__county", "destination")
        .annotate(
            usd_cents=Sum(Cast(Round(F("value_usd") * 100), BigIntegerField())),
            n=Count("pk"),
        )
    )


def move_unit(unit_id: int, before: int, after: int) -> None:
    """A unit moved from the county `before` to `after`: its exports' sums follow."""
    from .models import ExportRecord

    if before == after:
        return
    sums: dict[tuple, list[int]] = {}
    for on, _county, destination, amount, count in _grouped(
        ExportRecord.objects.filter(unit_id=unit_id)
    ):
        year, month, _day = to_jalali(on)
        found = sums.setdefault((year, month, destination), [0, 0])
        found[0] += amount
        found[1] += count
    for (year, month, destination), (amount, count) in sorted(sums.items()):
        add(year, month, before, destination, -amount, -count)
        add(year, month, after, destination, amount, count)


def recount(records=None) -> dict[tuple[int, int, int, str], tuple[int, int]]:
    """(year, month, county, destination) → (cents, records), summed on the export records."""
    from .models import ExportRecord

    sums: dict[tuple, list[int]] = {}
    for on, county, destination, amount, count in _grouped(
        ExportRecord.objects.all() if records is None else records
    ):
        year, month, _day = to_jalali(on)
        found = sums.setdefault((year, month, county, destination), [0, 0])
        found[0] += amount
        found[1] += count
    return {key: (amount, count) for key, (amount, count) in sums.items()}


@transaction.atomic
def rebuild() -> int:
    """Recount every sum from the export records; returns the rows written."""
    from .models import ExportTally

    ExportTally.objects.all().delete()
    rows = [
        ExportTally(year=year, month=month, county_id=county, destination=destination,
                    usd_cents=amount, records=count)
        for (year, month, county, destination), (amount, count) in sorted(recount().items())
    ]  # fmt: skip
    ExportTally.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def whole_provinces(user):
    """The provinces whose every export `user` sees (`accounts.policy.whole_provinces`)."""
    from shahrak.accounts.policy import whole_provinces

    from .models import ExportRecord

    return whole_provinces(user, ExportRecord)
