"""Writes about units: registration, edits, status changes (the timeline) and exports."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shahrak.accounts.access import require_access
from shahrak.accounts.choices import Action, Role
from shahrak.accounts.models import Membership, User
from shahrak.core.errors import DomainError
from shahrak.core.jalali import format_jalali
from shahrak.core.models import save_versioned
from shahrak.core.text import normalize_fa

from . import tally
from .choices import TRANSITIONS, UnitStatus
from .countries import HOME, is_country
from .models import FOREVER, ExportRecord, Unit, UnitStatusEvent, UnitStatusInterval
from .signals import send_moved

TEXT_FIELDS = ("name", "registration_number", "manager_name", "products", "licence_number")


def _normalise(fields: dict) -> dict:
    for name in TEXT_FIELDS:
        if name in fields and fields[name] is not None:
            fields[name] = normalize_fa(fields[name])
    if fields.get("national_id") == "":
        fields["national_id"] = None
    return fields


def check_location(*, county, park, plot) -> None:
    """A unit in a park lies in the park's county; its plot belongs to its park."""
    if park is not None and county is not None and park.county_id != county.pk:
        raise DomainError(
            _("The park “%(park)s” is not in the county “%(county)s”.")
            % {"park": park, "county": county},
            code="park_not_in_county",
            field="park",
        )
    if plot is not None and (park is None or plot.park_id != park.pk):
        raise DomainError(
            _("This plot is not in the unit's park."), code="plot_not_in_park", field="plot"
        )


def next_statuses(previous: str | None) -> list[UnitStatus]:
    """The statuses a unit may go to from `previous` (None: a unit without a status yet), in
    the order of the status list: what the status form offers and the service accepts."""
    return [status for status in UnitStatus if status in TRANSITIONS[previous or None]]


def check_transition(previous: str | None, status: str) -> None:
    if status not in next_statuses(previous):
        old = UnitStatus(previous).label if previous else _("(no status yet)")
        raise DomainError(
            _("A unit cannot go from “%(old)s” to “%(new)s”.")
            % {"old": old, "new": UnitStatus(status).label},
            code="illegal_status_transition",
            field="status",
        )


def timeline_spans(events: list[tuple[str, dt.date]]) -> list[tuple[str, dt.date, dt.date]]:
    """(status, from, to) of a timeline, from its (status, date) events in date order (events
    of the same day in the order they were recorded): a later event of the same day replaces
    an earlier one; the last span is open (to FOREVER). The last span is the unit's status."""
    spans = []
    for index, (status, on) in enumerate(events):
        following = events[index + 1][1] if index + 1 < len(events) else FOREVER
        if following > on:
            spans.append((status, on, following))
    return spans


def intervals_from_events(unit: Unit, events) -> list[UnitStatusInterval]:
    """The unit's timeline as intervals, from its events in date order."""
    ordered = sorted(events, key=lambda event: (event.on, event.pk or 0))
    return [
        UnitStatusInterval(
            unit=unit,
            province_id=unit.county.province_id,
            county_id=unit.county_id,
            park_id=unit.park_id,
            sector=unit.sector,
            status=status,
            valid_from=valid_from,
            valid_to=valid_to,
        )
        for status, valid_from, valid_to in timeline_spans([(e.status, e.on) for e in ordered])
    ]


def rebuild_intervals(unit: Unit) -> None:
    UnitStatusInterval.objects.filter(unit=unit).delete()
    UnitStatusInterval.objects.bulk_create(intervals_from_events(unit, unit.events.all()))


@transaction.atomic
def unit_create(*, actor, county, status=None, status_on=None, **fields) -> Unit:
    require_access(
        actor, Action.CHANGE, county.province_id, _("You may register units only in your province.")
    )
    check_location(county=county, park=fields.get("park"), plot=fields.get("plot"))
    unit = Unit(county=county, **_normalise(fields))
    unit.full_clean(exclude=["status", "status_since"])
    if not status:
        unit.save()
        return unit
    # The unit is saved once, with its first status, so its history begins with one entry.
    on = status_on or timezone.localdate()
    check_status_change(None, status=status, on=on)
    unit.status, unit.status_since = status, on
    unit.save()
    UnitStatusEvent.objects.create(unit=unit, status=status, on=on)
    rebuild_intervals(unit)
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, expected_version: int, **fields) -> Unit:
    require_access(actor, Action.CHANGE, unit.county.province_id)
    fields = _normalise(fields)
    place = (unit.county_id, unit.park_id)
    for name, value in fields.items():
        setattr(unit, name, value)
    require_access(actor, Action.CHANGE, unit.county.province_id)
    check_location(county=unit.county, park=unit.park, plot=unit.plot)
    unit.full_clean(exclude=["status", "status_since"])
    save_versioned(unit, expected_version=expected_version, update_fields=list(fields))
    if {"county", "park", "sector"} & set(fields):
        rebuild_intervals(unit)
    tally.move_unit(unit.pk, place[0], unit.county_id)
    send_moved(unit, place)
    return unit


def check_status_change(last: UnitStatusEvent | None, *, status: str, on: dt.date, reason=""):
    """A unit whose latest event is `last` (None: a new unit) may take `status` on `on`."""
    check_transition(last.status if last else None, status)
    if last and on < last.on:
        raise DomainError(
            _("The date must not be before the unit's last status change (%(date)s).")
            % {"date": format_jalali(last.on)},
            code="date_before_last_change",
            field="on",
        )
    if on > timezone.localdate():
        raise DomainError(
            _("A status cannot be dated in the future."), code="future_date", field="on"
        )
    if status == UnitStatus.IDLE and not reason:
        raise DomainError(
            _("Say why the unit became idle."), code="idle_reason_required", field="reason"
        )


@transaction.atomic
def unit_change_status(*, actor, unit: Unit, status: str, on: dt.date, reason="", note=""):
    """Record a change of status on a date; the timeline's intervals follow."""
    require_access(actor, Action.CHANGE, unit.county.province_id)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    check_status_change(
        unit.events.order_by("-on", "-pk").first(), status=status, on=on, reason=reason
    )
    event = UnitStatusEvent.objects.create(
        unit=unit, status=status, on=on, reason=reason, note=normalize_fa(note)
    )
    unit.status, unit.status_since = status, on
    unit.save(update_fields=["status", "status_since", "updated_at"])
    rebuild_intervals(unit)
    return event


@transaction.atomic
def export_add(*, actor, unit: Unit, on: dt.date, destination: str, product: str, value_usd):
    require_access(actor, Action.CHANGE, unit.county.province_id)
    destination = (destination or "").upper()
    if not is_country(destination):
        raise DomainError(
            _("“%(code)s” is not a country code (ISO 3166, two letters such as RU or AE).")
            % {"code": destination},
            code="unknown_country",
            field="destination",
        )
    if destination == HOME:
        raise DomainError(
            _("Iran is not an export destination: choose the country the goods went to."),
            code="home_country",
            field="destination",
        )
    if Decimal(value_usd) < 0:
        raise DomainError(
            _("An export value cannot be negative."), code="negative_value", field="value_usd"
        )
    # The unit's county as it is now (a move waits for this export, or this for the move).
    county = tally.counties_of([unit.pk])[unit.pk]
    # Stored to the cent (PostgreSQL's column rounds so; SQLite's would keep more places).
    value_usd = ExportRecord._meta.get_field("value_usd").to_python(value_usd)
    value_usd = value_usd.quantize(tally.CENT, ROUND_HALF_UP)
    record = ExportRecord.objects.create(
        unit=unit,
        on=on,
        destination=destination,
        product=normalize_fa(product),
        value_usd=value_usd,
    )
    tally.add_records([(county, on, destination, value_usd)])
    return record


def _require_manages_representatives(actor, unit: Unit) -> None:
    require_access(
        actor,
        Action.MANAGE_USERS,
        unit.county.province_id,
        _("Only the manager of the unit's province links its representatives."),
    )


def representative_candidates(unit: Unit):
    """Users who may be linked to `unit`: active unit representatives of its province who do
    not represent it yet (the caller narrows to the users it may manage)."""
    holding = Membership.objects.filter(
        role=Role.UNIT_REP, province_id=unit.county.province_id, archived_at__isnull=True
    )
    return (
        User.objects.filter(is_active=True, pk__in=holding.values("user"))
        .exclude(pk__in=unit.representatives.values("pk"))
        .order_by("last_name", "first_name", "username")
    )


@transaction.atomic
def unit_representative_add(*, actor, unit: Unit, user) -> None:
    """Link `user`, a unit representative of the unit's province, to `unit`: they then see
    its records. The link is recorded in the unit's history."""
    _require_manages_representatives(actor, unit)
    if not representative_candidates(unit).filter(pk=user.pk).exists():
        if unit.representatives.filter(pk=user.pk).exists():
            raise DomainError(
                _("This user already represents the unit."), code="already_linked", field="user"
            )
        raise DomainError(
            _("Only an active unit representative of the unit's province can represent it."),
            code="not_a_representative",
            field="user",
        )
    unit.representatives.add(user)


@transaction.atomic
def unit_representative_remove(*, actor, unit: Unit, user) -> None:
    """Unlink a representative from `unit` (the user and their role stay; the change is in
    the unit's history)."""
    _require_manages_representatives(actor, unit)
    if not unit.representatives.filter(pk=user.pk).exists():
        raise DomainError(
            _("This user does not represent the unit."), code="not_linked", field="user"
        )
    unit.representatives.remove(user)
