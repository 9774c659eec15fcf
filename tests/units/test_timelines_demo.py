"""The demo holds no unit whose status disagrees with its timeline (16 did: events written
out of date order, «idle» before the unit opened, the status taken from the event written
last): checked here from the records, and by the operator's `shahrak check_timelines`."""

import datetime as dt

import pytest
from django.db.models import F, OuterRef, Q, Subquery

from shahrak.units.choices import UnitStatus
from shahrak.units.models import Unit, UnitStatusEvent, UnitStatusInterval
from tests.harness import demo_for_module
from tests.units.test_timelines import check_timelines

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from demo_for_module(django_db_blocker, {"accounts", "parks", "units", "revival"})


def test_no_demo_unit_disagrees_with_its_timeline(demo):
    assert Unit.objects.count() > 2000
    # Computed here, not by the check: each unit's latest-dated event…
    latest = UnitStatusEvent.objects.filter(unit=OuterRef("pk")).order_by("-on", "-pk")
    units = Unit.objects.annotate(
        last_status=Subquery(latest.values("status")[:1]),
        last_on=Subquery(latest.values("on")[:1]),
    )
    assert not units.filter(
        ~Q(status=F("last_status")) | ~Q(status_since=F("last_on")) | Q(last_on=None)
    ).exists()
    # …its open interval…
    open_intervals = UnitStatusInterval.objects.filter(unit=OuterRef("pk"), valid_to=dt.date.max)
    assert not units.annotate(
        open_status=Subquery(open_intervals.values("status")[:1]),
        open_from=Subquery(open_intervals.values("valid_from")[:1]),
    ).filter(~Q(status=F("open_status")) | ~Q(status_since=F("open_from")))
    # …and events recorded in date order, from a first status to allowed next ones.
    first_allowed = {UnitStatus.UNDER_CONSTRUCTION, UnitStatus.OPERATIONAL}
    allowed = {
        (UnitStatus.UNDER_CONSTRUCTION, UnitStatus.OPERATIONAL),
        (UnitStatus.UNDER_CONSTRUCTION, UnitStatus.CLOSED),
        (UnitStatus.OPERATIONAL, UnitStatus.IDLE),
        (UnitStatus.OPERATIONAL, UnitStatus.CLOSED),
        (UnitStatus.IDLE, UnitStatus.RESTARTED),
        (UnitStatus.IDLE, UnitStatus.CLOSED),
        (UnitStatus.RESTARTED, UnitStatus.OPERATIONAL),
        (UnitStatus.RESTARTED, UnitStatus.IDLE),
        (UnitStatus.RESTARTED, UnitStatus.CLOSED),
    }
    previous = {}
    wrong = set()
    for unit_id, status, on in UnitStatusEvent.objects.order_by("unit", "pk").values_list(
        "unit", "status", "on"
    ):
        before = previous.get(unit_id)
        if before is None:
            wrong |= {unit_id} if status not in first_allowed else set()
        elif on < before[1] or (before[0], status) not in allowed:
            wrong.add(unit_id)
        previous[unit_id] = (status, on)
    assert wrong == set()
    # The operator's check agrees.
    assert check_timelines().endswith(
        f"{Unit.objects.count()} units checked, 0 disagree with their timeline\n"
    )


def test_no_demo_revival_case_disagrees_with_its_outcome_event(demo):
    """A restarted or closed case's date is its unit's restarted or closed event's."""
    from shahrak.revival.models import RevivalCase
    from shahrak.revival.selectors import outcome_disagreements

    assert RevivalCase.objects.filter(stage__in=["restarted", "closed"]).count() > 50
    assert list(outcome_disagreements().values_list("pk", flat=True)) == []
