"""The two reports' figures on units and exports, from the demo records."""

from decimal import Decimal

import pytest

from shahrak.core.jalali import JalaliPeriod
from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.units import metrics
from shahrak.units.models import ExportRecord, UnitStatusEvent, UnitStatusInterval
from tests.harness import demo_for_module

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from demo_for_module(django_db_blocker, {"accounts", "parks", "units", "revival"})


def intervals(code):
    return UnitStatusInterval.objects.filter(province__code=code)


def test_bushehr_end_of_1400(demo):
    end = jd("1400/12/29")
    in_parks = intervals("bushehr").exclude(park=None)
    assert metrics.units_operational(in_parks, end) > 570
    assert metrics.parks_with_operational_units(intervals("bushehr"), end) == 20
    assert metrics.sme_share_in_parks_pct(intervals("bushehr"), end, sme_limit=151) > 90


def test_bushehr_exports_1400(demo):
    exports = ExportRecord.objects.filter(unit__county__province__code="bushehr")
    period = JalaliPeriod.parse("1400")
    total = metrics.exports_usd(exports, period)
    assert Decimal(70_000_000) < total < Decimal(71_000_000)
    by_destination = metrics.exports_usd_by_destination(exports, period)
    assert {"RU", "UA", "CN", "IN", "persian-gulf"} <= set(by_destination)
    assert sum(v for k, v in by_destination.items() if k != "persian-gulf") == total


def test_yazd_first_half_of_1401(demo):
    h1 = JalaliPeriod.parse("1401-H1")
    assert metrics.units_operational(intervals("yazd"), h1.end) > 1500
    events = UnitStatusEvent.objects.filter(unit__county__province__code="yazd")
    since_1400 = (jd("1400/01/01"), h1.end)
    assert events.filter(status="idle", on__range=since_1400).count() == 177
    restarted = events.filter(status="restarted", on__range=since_1400).count()
    assert 55 <= restarted <= 65  # "about 60"
    assert events.filter(status="restarted", on__range=(h1.start, h1.end)).count() == 13


def test_every_year_has_operating_units_and_exports(demo):
    for year in range(1395, 1405):
        period = JalaliPeriod.parse(str(year))
        assert metrics.units_operational(UnitStatusInterval.objects.all(), period.end) > 0
        assert metrics.exports_usd(ExportRecord.objects.all(), period) > 0


@pytest.mark.parametrize("username", ["bushehr-unit", "yazd-unit"])
def test_the_demo_representatives_represent_units_of_their_province(demo, username):
    from django.contrib.auth import get_user_model

    from shahrak.units.models import Unit

    user = get_user_model().objects.get(username=username)
    units = list(Unit.objects.restrict(user))
    assert 1 <= len(units) <= 2
    for unit in units:
        assert unit.county.province.code == username.split("-")[0]
        timeline = list(unit.events.order_by("on", "pk"))
        assert len(timeline) >= 2 and timeline[-1].status == unit.status
        assert unit.exports.exists()
