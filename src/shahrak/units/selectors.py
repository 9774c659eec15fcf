"""Reads of units that span their relations."""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from shahrak.accounts.choices import Action
from shahrak.core.jalali import format_jalali, jalali_year_of
from shahrak.core.text import fa_sort_key

from .choices import TRANSITIONS, UnitStatus
from .countries import country_name
from .models import ExportRecord, Unit, UnitStatusEvent, UnitStatusInterval
from .services import timeline_spans


def units_represented_by(user) -> list[Unit]:
    """The units `user` represents (and may see), each with its status history (`timeline`,
    oldest first) and its exports summed by Jalali year (`exports_by_year`, newest first:
    year, total in USD, destinations): what a representative's home page shows."""
    events = UnitStatusEvent.objects.order_by("on", "pk")
    exports = ExportRecord.objects.order_by("on", "pk")
    units = list(
        Unit.objects.restrict(user, Action.VIEW)
        .filter(representatives=user)
        .select_related("county__province", "park")
        .prefetch_related(
            Prefetch("events", queryset=events, to_attr="timeline"),
            Prefetch("exports", queryset=exports, to_attr="export_records"),
        )
        .order_by("name", "pk")
    )
    for unit in units:
        totals: dict[int, Decimal] = defaultdict(Decimal)
        destinations: dict[int, set[str]] = defaultdict(set)
        for record in unit.export_records:
            year = jalali_year_of(record.on)
            totals[year] += record.value_usd
            destinations[year].add(country_name(record.destination))
        unit.exports_by_year = [
            {
                "year": year,
                "usd": totals[year],
                "destinations": sorted(destinations[year], key=fa_sort_key),
            }
            for year in sorted(totals, reverse=True)
        ]
    return units


@dataclass(frozen=True)
class TimelineDisagreement:
    """A unit whose stored status does not follow from its own timeline: what is wrong, in
    Persian sentences."""

    unit_id: int
    name: str
    problems: tuple[str, ...]


def _label(status: str) -> str:
    return f"«{UnitStatus(status).label}»" if status else "بی‌وضعیت"


def _date(on) -> str:
    return format_jalali(on, persian=False) if on else "—"


def timeline_problems(unit: tuple, events: list, intervals: list) -> list[str]:
    """What disagrees in one unit: `unit` is (status, status_since, province, county, park,
    sector); `events` its (status, date) in date order (then the order recorded);
    `intervals` its stored (status, from, to, province, county, park, sector) by date."""
    status, since, *place = unit
    problems = []
    previous = None
    for event_status, on in events:
        if event_status not in TRANSITIONS[previous]:
            problems.append(
                f"در خط زمانی، {_label(event_status)} در {_date(on)} پس از {_label(previous)} "
                "آمده است که گذاری مجاز نیست (رویدادها به ترتیب تاریخ)."
            )
        previous = event_status
    last = events[-1] if events else ("", None)
    if (status, since) != last:
        problems.append(
            f"وضعیت ثبت‌شدهٔ واحد {_label(status)} از {_date(since)} است، اما آخرین رویداد "
            f"خط زمانی (به تاریخ) {_label(last[0])} از {_date(last[1])} است."
        )
    expected = [(*span, *place) for span in timeline_spans(events)]
    if intervals != expected:
        problems.append("بازه‌های خط زمانی (برای گزارش‌ها) با رویدادهای واحد نمی‌خوانند.")
    return problems


def timeline_disagreements(units=None, *, batch: int = 2000) -> Iterator[TimelineDisagreement]:
    """Every unit (of `units`, default all) whose status disagrees with its timeline: its
    status and status date are not those of its latest-dated event (the open interval), its
    events in date order are not a sequence of allowed transitions, or its intervals are not
    those its events give. Read in batches of units, so the whole database can be checked."""
    units = (units if units is not None else Unit.objects.all()).order_by("pk")
    pks = list(units.values_list("pk", flat=True))
    for start in range(0, len(pks), batch):
        chunk = pks[start : start + batch]
        within = {"unit_id__gte": chunk[0], "unit_id__lte": chunk[-1]}
        events, intervals = defaultdict(list), defaultdict(list)
        for unit_id, *event in (
            UnitStatusEvent.objects.filter(**within)
            .order_by("unit_id", "on", "pk")
            .values_list("unit_id", "status", "on")
        ):
            events[unit_id].append(tuple(event))
        for unit_id, *interval in (
            UnitStatusInterval.objects.filter(**within)
            .order_by("unit_id", "valid_from")
            .values_list("unit_id", "status", "valid_from", "valid_to", "province_id",
                         "county_id", "park_id", "sector")
        ):  # fmt: skip
            intervals[unit_id].append(tuple(interval))
        for pk, name, *unit in (
            units.filter(pk__gte=chunk[0], pk__lte=chunk[-1])
            .values_list("pk", "name", "status", "status_since", "county__province_id",
                         "county_id", "park_id", "sector")
        ):  # fmt: skip
            problems = timeline_problems(tuple(unit), events[pk], intervals[pk])
            if problems:
                yield TimelineDisagreement(pk, name, tuple(problems))
