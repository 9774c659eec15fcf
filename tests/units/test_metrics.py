"""Unit metrics agree with a count written independently, straight from the status events."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shahrak.units import metrics
from shahrak.units.choices import TRANSITIONS
from shahrak.units.models import Unit, UnitStatusEvent, UnitStatusInterval
from shahrak.units.services import intervals_from_events
from tests.harness import sample_park

DAY0 = dt.date(2015, 1, 1)
IN_OPERATION = {"operational", "restarted"}  # docs/reports.md, restated (not imported)


@st.composite
def timelines(draw):
    """Legal status histories: [(status, day offset)] in time order."""
    steps, status, day = [], None, 0
    for _ in range(draw(st.integers(1, 5))):
        choices = sorted(TRANSITIONS[status])
        if not choices:
            break
        status = draw(st.sampled_from(choices))
        day += draw(st.integers(1, 800))
        steps.append((status, day))
    return steps


def independent_count(histories, date):
    """How many units are in operation on `date`: the last event on or before it decides."""
    count = 0
    for steps in histories:
        current = None
        for status, day in steps:
            if DAY0 + dt.timedelta(days=day) <= date:
                current = status
        count += current in IN_OPERATION
    return count


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(histories=st.lists(timelines(), min_size=1, max_size=8), probe=st.integers(0, 4000))
def test_operational_count_matches_events(people, histories, probe):
    park = sample_park("bushehr")
    UnitStatusInterval.objects.all().delete()
    UnitStatusEvent.objects.all().delete()
    Unit.objects.all().delete()
    for index, steps in enumerate(histories):
        unit = Unit.objects.create(name=f"u{index}", county=park.county, park=park,
                                   isic_code="1030", products="x", sector="other")  # fmt: skip
        events = [
            UnitStatusEvent.objects.create(unit=unit, status=s, on=DAY0 + dt.timedelta(days=d))
            for s, d in steps
        ]
        UnitStatusInterval.objects.bulk_create(intervals_from_events(unit, events))
    date = DAY0 + dt.timedelta(days=probe)
    intervals = UnitStatusInterval.objects.restrict(people["bushehr-manager"])
    assert metrics.units_operational(intervals, date) == independent_count(histories, date)
    assert (
        metrics.units_operational(UnitStatusInterval.objects.restrict(people["yazd-manager"]), date)
        == 0
    )
