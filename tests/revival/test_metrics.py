"""Revival metrics against counts written here, from the histories the test itself built
through the services (not through the metric code): cases identified, open, diagnosed,
restarted, jobs restored, days to a restart; the watch list at a past date; monthly reports
filed on time."""

import contextlib
import datetime as dt
import statistics
from decimal import Decimal
from unittest import mock

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shahrak.core.jalali import JalaliPeriod
from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.core.metrics import Scope
from shahrak.places.models import Province
from shahrak.revival import services
from shahrak.revival.metrics import METRICS
from shahrak.units.metrics import METRICS as UNIT_METRICS

from .factories import UnitFactory

pytestmark = pytest.mark.django_db
BY_KEY = {metric.key: metric for metric in [*METRICS, *UNIT_METRICS]}
DAY0 = jd("1398/01/01")
FINDINGS = [{"area": "finance", "severity": "high", "text": "بدهی بانکی"}]
ACTIONS = [{"title": "تسهیلات", "owner_kind": "bank", "due_on": None}]


def value(key, user, scope, period):
    return BY_KEY[key].value(user, scope, period)


def yazd():
    province = Province.objects.get(code="yazd")
    return Scope(province=province.pk, province_code="yazd")


def day(offset: int) -> dt.date:
    return DAY0 + dt.timedelta(days=offset)


# A case's story, as day offsets from DAY0: identified, diagnosed after (or not), and its end.
stories = st.fixed_dictionaries(
    {
        "opened": st.integers(0, 1200),
        "diagnosed_after": st.one_of(st.none(), st.integers(0, 60)),
        "outcome": st.sampled_from(["open", "restarted", "closed"]),
        "ended_after": st.integers(0, 300),
        "jobs": st.integers(0, 40),
    }
)
periods = st.sampled_from(["1398", "1399", "1400", "1401", "1399-H2", "1400-Q3", "1400-07",
                           "1399-01-15..1400-05-20", "1398-01-01..1402-12-29"])  # fmt: skip


def build(expert, story) -> dict:
    """Play one story through the services; return what happened, as dates."""
    unit = UnitFactory(actor=expert, operating_since="1397/06/01", employees=20)
    opened = day(story["opened"])
    case = services.case_open(actor=expert, unit=unit, opened_on=opened,
                              identified_by="field_survey", reasons=["market"])  # fmt: skip
    happened = {"opened": opened, "diagnosed": None, "restarted": None, "closed": None}
    last = opened
    if story["diagnosed_after"] is not None:
        last = opened + dt.timedelta(days=story["diagnosed_after"])
        services.case_diagnose(actor=expert, case=case, on=last, diagnosed_by=expert,
                               findings=FINDINGS)  # fmt: skip
        happened["diagnosed"] = last
    end = last + dt.timedelta(days=story["ended_after"])
    if story["outcome"] == "restarted" and happened["diagnosed"]:
        services.case_restart(actor=expert, case=case, on=end, jobs_restored=story["jobs"])
        happened["restarted"], happened["jobs"] = end, story["jobs"]
    elif story["outcome"] == "closed":
        services.case_close(actor=expert, case=case, on=end)
        happened["closed"] = end
    return happened


def within(date, period) -> bool:
    return date is not None and period.start <= date <= period.end


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(cases=st.lists(stories, min_size=1, max_size=6), key=periods)
def test_case_figures_agree_with_the_histories(people, cases, key):
    expert, period = people["yazd-expert"], JalaliPeriod.parse(key)
    with transaction.atomic():
        happened = [build(expert, story) for story in cases]
        manager = people["yazd-manager"]
        end = period.end

        def ended_by(h):
            return any(h[k] is not None and h[k] <= end for k in ("restarted", "closed"))

        restarted = [h for h in happened if within(h["restarted"], period)]
        days = [(h["restarted"] - h["opened"]).days for h in restarted]
        expected = {
            "idle.identified": sum(within(h["opened"], period) for h in happened),
            "idle.open": sum(h["opened"] <= end and not ended_by(h) for h in happened),
            "idle.diagnosed": sum(within(h["diagnosed"], period) for h in happened),
            "idle.restarted_by_case": len(restarted),
            "idle.jobs_restored": sum(h["jobs"] for h in restarted),
            "idle.median_days_to_restart": (
                Decimal(str(statistics.median(days))) if days else None
            ),
        }
        for key_, count in expected.items():
            assert value(key_, manager, yazd(), period) == count, key_
        # Every restart here went through a case: the two figures are one.
        assert value("units.restarted", manager, yazd(), period) == len(restarted)
        # Another province's manager sees none of it.
        bushehr = Province.objects.get(code="bushehr")
        other = Scope(province=bushehr.pk, province_code="bushehr")
        assert value("idle.identified", people["bushehr-manager"], other, period) == 0
        assert value("idle.identified", people["bushehr-manager"], Scope(), period) == 0
        transaction.set_rollback(True)


def report(expert, unit, year, month, *, filed_on=None):
    """A report filed through the service (on `filed_on` at 23:30 UTC: the clock set back)."""
    clock = contextlib.nullcontext()
    if filed_on is not None:
        filed_at = dt.datetime.combine(filed_on, dt.time(23, 30), dt.UTC)
        clock = mock.patch("django.utils.timezone.now", return_value=filed_at)
    with clock:
        return services.monthly_report_file(actor=expert, unit=unit, year=year, month=month,
                                            production_volume=100, employees=10)  # fmt: skip


def test_reports_filed_on_time(people):
    """On time means filed by the 10th of the next month, Tehran time: 23:30 UTC on the 9th
    is already the 10th in Tehran (on time); 23:30 UTC on the 10th is the 11th (late)."""
    expert = people["yazd-expert"]
    unit = UnitFactory(actor=expert, operating_since="1398/01/01")
    report(expert, unit, 1400, 1, filed_on=jd("1400/02/05"))  # on time
    report(expert, unit, 1400, 2, filed_on=jd("1400/03/09"))  # on time: the 10th in Tehran
    report(expert, unit, 1400, 3, filed_on=jd("1400/04/10"))  # late: the 11th in Tehran
    report(expert, unit, 1400, 7, filed_on=jd("1400/09/01"))  # late
    services.monthly_report_save(
        actor=expert, unit=unit, year=1400, month=8, production_volume=1, employees=1
    )  # a draft: not filed
    manager = people["yazd-manager"]
    assert value("reports.filed_pct", manager, yazd(), JalaliPeriod.parse("1400")) == Decimal(50)
    first_season = JalaliPeriod.parse("1400-Q1")  # months 1–3: two of three on time
    assert value("reports.filed_pct", manager, yazd(), first_season) == Decimal("66.7")
    assert value("reports.filed_pct", manager, yazd(), JalaliPeriod.parse("1400-H2")) == 0
    assert value("reports.filed_pct", manager, yazd(), JalaliPeriod.parse("1399")) is None
    # A stretch starting mid-month holds only the months whose first day it holds.
    stretch = JalaliPeriod.parse("1400-01-15..1400-03-31")
    assert value("reports.filed_pct", manager, yazd(), stretch) == Decimal(50)


def test_watch_list_at_a_past_date_counts_a_unit_whose_case_came_later(people):
    """A unit that stopped reporting was on the watch list at the end of 1400-H1, although a
    case was opened for it afterwards (it is off the list from the case's date)."""
    expert = people["yazd-expert"]
    silent = UnitFactory(actor=expert, operating_since="1398/01/01")
    steady = UnitFactory(actor=expert, operating_since="1398/01/01")
    for year, months in ((1399, range(1, 13)), (1400, range(1, 7))):
        for month in months:
            report(expert, steady, year, month)
            if year == 1399:
                report(expert, silent, year, month)
    manager = people["yazd-manager"]
    h1 = JalaliPeriod.parse("1400-H1")
    assert value("idle.watch_list", manager, yazd(), h1) == 1
    services.case_open(actor=expert, unit=silent, opened_on=jd("1400/08/01"),
                       identified_by="early_warning", reasons=["market"])  # fmt: skip
    assert value("idle.watch_list", manager, yazd(), h1) == 1
    assert value("idle.watch_list", manager, yazd(), JalaliPeriod.parse("1400-08")) == 0
