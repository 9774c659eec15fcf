"""Reads of units that span their relations."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch

from shahrak.accounts.choices import Action
from shahrak.core.jalali import jalali_year_of
from shahrak.core.text import fa_sort_key

from .countries import country_name
from .models import ExportRecord, Unit, UnitStatusEvent


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
