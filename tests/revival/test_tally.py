"""The counts of monthly reports filed and filed on time (revival/tally.py), kept by the
services, equal a count made here on the reports themselves after any sequence of filings,
reviews, archivings and moves of units; and the on-time figure read from them equals the
figure counted on the reports."""

import datetime as dt
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shahrak.core.errors import DomainError
from shahrak.core.jalali import JalaliPeriod, to_gregorian
from shahrak.core.metrics import Scope
from shahrak.parks.models import Park
from shahrak.places.models import County, Province
from shahrak.revival import metrics, services, tally
from shahrak.revival.models import MonthlyReport, ReportTally
from shahrak.units import services as unit_services

from .factories import UnitFactory

pytestmark = pytest.mark.django_db
TEHRAN = ZoneInfo("Asia/Tehran")
FILED = {"submitted", "accepted", "returned"}  # restated from the issue
MONTHS = [(1400, 11), (1400, 12), (1401, 1)]
# When a report is filed, against the start of the day after its due date (Tehran).
OFFSETS = [dt.timedelta(days=-5), dt.timedelta(seconds=-1), dt.timedelta(0),
           dt.timedelta(seconds=1), dt.timedelta(days=40)]  # fmt: skip


def due_date(year, month):
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return to_gregorian(year, month, 10)


def counted_here() -> dict:
    """(year, month, county, park) → (filed, on time), from every report, written anew."""
    found = {}
    for r in MonthlyReport.objects.select_related("unit"):
        if r.archived_at is not None or r.status not in FILED or r.filed_at is None:
            continue
        key = (r.year, r.month, r.unit.county_id, r.unit.park_id)
        filed, on_time = found.get(key, (0, 0))
        late = r.filed_at.astimezone(TEHRAN).date() > due_date(r.year, r.month)
        found[key] = (filed + 1, on_time + (not late))
    return found


def kept() -> dict:
    return {
        (t.year, t.month, t.county_id, t.park_id): (t.filed, t.on_time)
        for t in ReportTally.objects.all()
        if t.filed or t.on_time
    }


def at(year, month, offset):
    y, m = (year + 1, 1) if month == 12 else (year, month + 1)
    start = dt.datetime.combine(to_gregorian(y, m, 10) + dt.timedelta(days=1), dt.time(), TEHRAN)
    return mock.patch("django.utils.timezone.now", return_value=start + offset)


step = st.tuples(
    st.sampled_from(["file", "draft", "submit", "accept", "return", "archive", "move"]),
    st.integers(0, 2),  # which unit
    st.integers(0, len(MONTHS) - 1),  # which month
    st.integers(0, len(OFFSETS) - 1),  # when (filing)
    st.integers(0, 2),  # where to (a move)
)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(steps=st.lists(step, min_size=1, max_size=25))
def test_the_counts_kept_equal_a_count_of_the_reports(people, steps):
    expert, manager = people["yazd-expert"], people["yazd-manager"]
    with transaction.atomic():
        units = [UnitFactory(actor=expert, operating_since="1399/01/10") for _ in range(3)]
        home = units[0].park
        other_county = County.objects.filter(province__code="yazd").exclude(pk=home.county_id)[0]
        away = Park.objects.create(
            county=other_county, name="شهرک دیگر", kind="industrial_park",
            latitude=other_county.latitude, longitude=other_county.longitude,
            gross_area_ha=Decimal(50), industrial_area_ha=Decimal(30),
        )  # fmt: skip
        places = [(home.county, home), (other_county, away), (other_county, None)]
        for kind, which, month_index, offset_index, where in steps:
            unit = units[which]
            unit.refresh_from_db()
            year, month = MONTHS[month_index]
            report = MonthlyReport.objects.filter(
                unit=unit, year=year, month=month, archived_at__isnull=True
            ).first()
            try:
                with at(year, month, OFFSETS[offset_index]):
                    if kind == "file":
                        services.monthly_report_file(actor=expert, unit=unit, year=year,
                                                     month=month, production_volume=5,
                                                     employees=3)  # fmt: skip
                    elif kind == "draft":
                        services.monthly_report_save(actor=expert, unit=unit, year=year,
                                                     month=month, production_volume=4,
                                                     employees=2)  # fmt: skip
                    elif kind == "submit" and report:
                        services.monthly_report_submit(actor=expert, report=report)
                    elif kind == "accept" and report:
                        services.monthly_report_accept(actor=manager, report=report)
                    elif kind == "return" and report:
                        services.monthly_report_return(actor=manager, report=report,
                                                       reason="اصلاح")  # fmt: skip
                    elif kind == "archive" and report:
                        report.archive(actor=manager)
                    elif kind == "move":
                        county, park = places[where]
                        unit_services.unit_update(
                            actor=expert, unit=unit, county=county, park=park,
                            expected_version=unit.version,
                        )  # fmt: skip
            except DomainError:
                pass  # refused (not this step in this state): nothing written
        assert kept() == counted_here()
        # The figure read from the counts is the figure counted on the reports.
        yazd = Province.objects.get(code="yazd")
        scopes = [Scope(), Scope(province=yazd.pk, province_code="yazd"),
                  Scope(province=yazd.pk, county=home.county_id),
                  Scope(province=yazd.pk, county=other_county.pk),
                  Scope(province=yazd.pk, county=home.county_id, park=home.pk),
                  Scope(province=yazd.pk, county=other_county.pk, park=away.pk)]  # fmt: skip
        first, last = 1400 * 12 + 9, 1401 * 12 + 1
        for user in (manager, people["hq"], people["admin"], people["bushehr-manager"]):
            for scope in scopes:
                provinces = metrics._whole_provinces(user)
                assert provinces is not None
                assert metrics._tallied(provinces, scope, first, last) == metrics._counted(
                    user, scope, first, last
                )
        # And the counts recounted from the reports are the counts kept.
        tally.rebuild()
        assert kept() == counted_here()
        transaction.set_rollback(True)


def test_a_representative_is_counted_on_the_reports(people):
    """A unit's representative sees their units' reports, not whole provinces: their figure
    is counted on the reports they see (the counts by place cannot tell which)."""
    expert = people["yazd-expert"]
    assert metrics._whole_provinces(people["yazd-unit"]) is None
    assert metrics._whole_provinces(people["nobody"]) == frozenset()
    unit = UnitFactory(actor=expert, operating_since="1399/01/10")
    with at(1400, 11, OFFSETS[0]):
        services.monthly_report_file(actor=expert, unit=unit, year=1400, month=11,
                                     production_volume=5, employees=3)  # fmt: skip
    period = JalaliPeriod.parse("1400")
    yazd = Province.objects.get(code="yazd")
    scope = Scope(province=yazd.pk, province_code="yazd")
    assert metrics.filed_on_time_pct(people["yazd-manager"], scope, [period]) == [Decimal(100)]
    # The representative represents no unit here: none of these reports is theirs.
    assert metrics.filed_on_time_pct(people["yazd-unit"], scope, [period]) == [None]
    assert metrics.filed_on_time_pct(people["nobody"], scope, [period]) == [None]


def test_the_tally_command_recounts(people):
    from django.core.management import call_command

    expert = people["yazd-expert"]
    unit = UnitFactory(actor=expert, operating_since="1399/01/10")
    with at(1400, 12, OFFSETS[4]):  # late
        services.monthly_report_file(actor=expert, unit=unit, year=1400, month=12,
                                     production_volume=5, employees=3)  # fmt: skip
    ReportTally.objects.all().delete()  # as after a bulk load
    call_command("revival", "tally", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert kept() == counted_here() == {(1400, 12, unit.county_id, unit.park_id): (1, 0)}
