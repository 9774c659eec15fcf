"""The watch list over the database: units in operation without an open case, judged by
their province's rules over the reports due by the date."""

import pytest

from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.places.models import Province
from shahrak.revival import services
from shahrak.revival.models import ProvinceRevivalSettings
from shahrak.revival.selectors import watch_list
from shahrak.revival.watch import MISSED, PRODUCTION_DROP
from shahrak.units import services as unit_services
from shahrak.units.models import Unit

from .factories import UnitFactory

pytestmark = pytest.mark.django_db


def report_months(expert, unit, months, production=100):
    for year, month in months:
        services.monthly_report_file(actor=expert, unit=unit, year=year, month=month,
                                     production_volume=production, employees=10)  # fmt: skip


def months_of(year, first, last):
    return [(year, month) for month in range(first, last + 1)]


def flagged(units, on):
    return {
        Unit.objects.get(pk=w.unit_id).name: sorted(f.rule for f in w.flags)
        for w in watch_list(units, jd(on))
    }


def test_the_watch_list(people):
    expert = people["yazd-expert"]
    steady = UnitFactory(actor=expert, name="پیوسته", operating_since="1398/01/01")
    stopped = UnitFactory(actor=expert, name="خاموش", operating_since="1398/01/01")
    falling = UnitFactory(actor=expert, name="افتان", operating_since="1398/01/01")
    UnitFactory(actor=expert, name="تازه", operating_since="1400/05/20")
    with_case = UnitFactory(actor=expert, name="پرونده‌دار", operating_since="1398/01/01")
    for unit in (steady, stopped, falling, with_case):
        report_months(expert, unit, months_of(1399, 1, 12) + months_of(1400, 1, 3))
    report_months(expert, steady, months_of(1400, 4, 6))
    report_months(expert, falling, months_of(1400, 4, 6), production=30)
    services.case_open(actor=expert, unit=with_case, opened_on=jd("1400/06/01"),
                       identified_by="field_survey", reasons=["market"])  # fmt: skip
    # On 1400/07/10 the reports up to Shahrivar (6) are due: "stopped" has missed 4, 5 and 6;
    # "new" operates since Mordad (5) and has missed 5 and 6.
    units = Unit.objects.all()
    assert flagged(units, "1400/07/10") == {
        "خاموش": [MISSED], "افتان": [PRODUCTION_DROP], "تازه": [MISSED],
    }  # fmt: skip
    # A day earlier Shahrivar's report is not due yet: "new" has missed only Mordad.
    assert flagged(units, "1400/07/09") == {"خاموش": [MISSED], "افتان": [PRODUCTION_DROP]}
    # Yazd now waits for three months of silence and a fall of 80 %.
    ProvinceRevivalSettings.objects.create(province=Province.objects.get(code="yazd"),
                                           missed_months=3, drop_pct=80)  # fmt: skip
    assert flagged(units, "1400/07/10") == {"خاموش": [MISSED]}
    # An idle unit is no longer watched; a scoped queryset narrows the list.
    unit_services.unit_change_status(actor=expert, unit=stopped, status="idle",
                                     on=jd("1400/07/01"), reason="market")  # fmt: skip
    assert flagged(units, "1400/07/10") == {}
    assert flagged(Unit.objects.restrict(people["bushehr-expert"]), "1400/07/09") == {}


def test_a_unit_operating_since_before_monthly_reporting_misses_months_from_1398(people):
    expert = people["yazd-expert"]
    UnitFactory(actor=expert, name="دیرینه", operating_since="1386/05/10")  # never reported
    [watched] = watch_list(Unit.objects.all(), jd("1400/07/10"))
    # Due by 1400/07/10: the months of 1398, 1399 and 1400's first six (not those since 1386).
    assert [(f.rule, f.detail["months"]) for f in watched.flags] == [(MISSED, 12 + 12 + 6)]
