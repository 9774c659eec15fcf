"""A unit's status agrees with its own timeline: status and status date are those of the
latest-dated event (the open interval), the events in date order are allowed transitions,
back-dated events are refused by the services and the import, `shahrak check_timelines`
finds any unit that disagrees, and the demo holds none."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from shahrak.core.errors import DomainError
from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.units import services
from shahrak.units.choices import UnitStatus
from shahrak.units.models import Unit, UnitStatusEvent, UnitStatusInterval
from tests.harness import sample_park

pytestmark = pytest.mark.django_db


def check_timelines(*args) -> str:
    out = io.StringIO()
    call_command("check_timelines", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def expert(people):
    return people["bushehr-expert"]


@pytest.fixture
def unit(expert):
    park = sample_park("bushehr")
    unit = services.unit_create(
        actor=expert, county=park.county, park=park, name="خرمای آزمون", isic_code="1030",
        products="خرما", sector="food_dates", employees=12, national_id="10380284790",
        status=UnitStatus.OPERATIONAL, status_on=jd("1399/01/10"),
    )  # fmt: skip
    services.unit_change_status(
        actor=expert, unit=unit, status=UnitStatus.IDLE, on=jd("1400/03/01"), reason="market"
    )
    unit.refresh_from_db()
    return unit


def test_a_back_dated_status_is_refused_naming_the_latest_date(expert, unit):
    with pytest.raises(DomainError) as refused:
        services.unit_change_status(
            actor=expert, unit=unit, status=UnitStatus.RESTARTED, on=jd("1400/02/01")
        )
    assert "۱۴۰۰/۰۳/۰۱" in str(refused.value.message) or "1400/03/01" in str(refused.value.message)
    assert refused.value.code == "date_before_last_change"
    unit.refresh_from_db()
    assert (unit.status, unit.status_since) == (UnitStatus.IDLE, jd("1400/03/01"))
    assert unit.events.count() == 2
    # On the same day it is allowed: the one recorded last is the day's status.
    services.unit_change_status(
        actor=expert, unit=unit, status=UnitStatus.RESTARTED, on=jd("1400/03/01")
    )
    unit.refresh_from_db()
    assert (unit.status, unit.status_since) == (UnitStatus.RESTARTED, jd("1400/03/01"))
    assert check_timelines().endswith("0 disagree with their timeline\n")


def test_the_check_lists_units_whose_status_disagrees_with_their_timeline(expert, unit):
    assert "1 units checked, 0 disagree" in check_timelines()
    # As the demo wrote them: an event created last but dated before the others, and the
    # status taken from it.
    UnitStatusEvent.objects.create(unit=unit, status=UnitStatus.IDLE, on=jd("1397/05/01"),
                                   reason="market")  # fmt: skip
    Unit.objects.filter(pk=unit.pk).update(status=UnitStatus.IDLE, status_since=jd("1397/05/01"))
    with pytest.raises(CommandError, match="1 units checked, 1 disagree"):
        check_timelines()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_timelines", stdout=out)
    listed = out.getvalue()
    assert f"واحد {unit.pk} «خرمای آزمون»" in listed
    assert "1397/05/01" in listed and "1400/03/01" in listed  # stored status, latest event
    assert "مجاز نیست" in listed  # idle (1397) then operational (1399): not a transition
    # Another province's check does not see it.
    assert "0 units checked, 0 disagree" in check_timelines("--province", "yazd")


def test_the_check_finds_intervals_that_are_not_the_events(expert, unit):
    UnitStatusInterval.objects.filter(unit=unit, valid_to=dt.date(9999, 12, 31)).update(
        status=UnitStatus.OPERATIONAL
    )
    with pytest.raises(CommandError, match="1 disagree"):
        check_timelines()


def test_the_import_refuses_a_back_dated_status_at_its_row_naming_the_latest(expert):
    from shahrak.units.imports import import_units
    from tests.units.test_import import row, xlsx

    sample_park("bushehr")
    first = import_units(xlsx([row()]), "u.xlsx", actor=expert, apply=True)  # since 1400/02/15
    assert first.ok, first.problems
    unit = Unit.objects.get()
    idle = {"وضعیت": "راکد", "علت رکود": "نبود بازار"}
    report = import_units(xlsx([row(**idle, **{"تاریخ وضعیت": "۱۴۰۰/۰۱/۰۱"})]), "u.xlsx",
                          actor=expert, apply=True)  # fmt: skip
    assert not report.ok and not report.applied
    [problem] = report.problems
    assert (problem.row, problem.column) == (2, "تاریخ وضعیت")
    assert "۱۴۰۰/۰۲/۱۵" in problem.message
    # The same status again on a later date is no transition: refused at its row too.
    report = import_units(xlsx([row(**{"تاریخ وضعیت": "۱۴۰۱/۰۱/۰۱"})]), "u.xlsx",
                          actor=expert, apply=True)  # fmt: skip
    assert not report.ok and not report.applied
    [problem] = report.problems
    assert (problem.row, problem.column) == (2, "وضعیت")
    unit.refresh_from_db()
    assert (unit.status, unit.status_since, unit.events.count()) == (
        UnitStatus.OPERATIONAL,
        jd("1400/02/15"),
        1,
    )
    # A later date and an allowed transition go through.
    report = import_units(xlsx([row(**idle, **{"تاریخ وضعیت": "۱۴۰۱/۰۱/۰۱"})]), "u.xlsx",
                          actor=expert, apply=True)  # fmt: skip
    assert report.ok and report.applied, report.problems
    unit.refresh_from_db()
    assert (unit.status, unit.status_since) == (UnitStatus.IDLE, jd("1401/01/01"))
