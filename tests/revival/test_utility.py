"""Utility readings and the watch list's utility-stop rule: steady use is never flagged, a
stop is flagged after exactly the configured months, naming the utility and its figures; the
watch list and the backtest apply it; the staff record readings from the unit's utility
page, the unit's representatives read them."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.revival import selectors, services
from shahrak.revival.backtest import UnitHistory, backtest
from shahrak.revival.models import ProvinceRevivalSettings, UtilityReading
from shahrak.revival.watch import (
    UTILITIES,
    UTILITY_STOP,
    Usage,
    WatchRules,
    flags_for,
    month_number,
    utility_flags,
)
from shahrak.units.models import Unit
from tests.form_checks import field_error

from .factories import UnitFactory

START = month_number(1398, 1)

rules_strategy = st.builds(
    WatchRules, utility_months=st.integers(1, 6), utility_pct=st.integers(1, 90)
)


def _usage(kind: str, value):
    return Usage(**{kind: value})


@st.composite
def steady(draw):
    """A unit whose use of each utility stays within a band no stop can be read into: its
    lowest month is at least `utility_pct` % of its highest; some months are not read."""
    rules = draw(rules_strategy)
    months = draw(st.integers(1, 30))
    kinds = draw(st.lists(st.sampled_from(UTILITIES), min_size=1, max_size=3, unique=True))
    usage = {}
    for kind in kinds:
        low = draw(st.integers(1, 10**6))
        high = low * 100 // rules.utility_pct
        read = st.one_of(st.none(), st.integers(low, high))
        for i, value in enumerate(draw(st.lists(read, min_size=months, max_size=months))):
            if value is not None:
                before = usage.get(START + i, Usage())
                usage[START + i] = Usage(**{**before.__dict__, kind: value})
    return rules, usage, months


@given(history=steady())
def test_steady_use_is_never_flagged(history):
    rules, usage, months = history
    for as_of in range(START, START + months + 2):
        known = {m: u for m, u in usage.items() if m <= as_of}
        assert utility_flags(known, as_of, rules) == []
        assert all(f.rule != UTILITY_STOP for f in flags_for({}, as_of, rules, usage=known))


@st.composite
def stopping(draw):
    """Twelve or more steady months, then `utility_months` months below the limit."""
    rules = draw(rules_strategy)
    kind = draw(st.sampled_from(UTILITIES))
    low = draw(st.integers(100, 10**6))
    high = low * 100 // rules.utility_pct
    before = draw(st.integers(12, 30))
    usage = {START + i: _usage(kind, draw(st.integers(low, high))) for i in range(before)}
    # Below utility_pct % of the lowest month is below it of any average of the steady months.
    most = (rules.utility_pct * low - 1) // 100
    for i in range(rules.utility_months):
        usage[START + before + i] = _usage(kind, draw(st.integers(0, most)))
    return rules, kind, usage, START + before


@given(history=stopping())
def test_a_stop_is_flagged_after_exactly_the_configured_months(history):
    rules, kind, usage, first_stop = history
    last = first_stop + rules.utility_months - 1
    for as_of in range(first_stop - 1, last):  # not yet: a steady month is in the window
        known = {m: u for m, u in usage.items() if m <= as_of}
        assert utility_flags(known, as_of, rules) == [], as_of
    flags = utility_flags(usage, last, rules)
    assert [f.rule for f in flags] == [UTILITY_STOP]
    (stopped_kind, pct), *others = flags[0].detail["stopped"]
    assert stopped_kind == kind and not others and pct < rules.utility_pct
    assert flags[0].detail["months"] == rules.utility_months
    assert flags_for({}, last, rules, usage=usage)[-1] == flags[0]


def test_the_flag_says_the_utility_and_its_figures():
    rules = WatchRules(utility_months=2, utility_pct=20)
    usage = {START + i: Usage(electricity_kwh=10_000, gas_m3=500) for i in range(12)}
    usage[START + 12] = Usage(electricity_kwh=900, gas_m3=480)
    usage[START + 13] = Usage(electricity_kwh=1_500, gas_m3=510)
    (flag,) = utility_flags(usage, START + 13, rules)
    assert flag.detail["stopped"] == [("electricity_kwh", 15)]  # 1,500 of 10,000 at most
    assert "برق" in flag.message and "۲۰" not in flag.message  # the figures, as given
    assert "20" in flag.message and "15" in flag.message and "گاز" not in flag.message


def test_months_without_readings_are_no_stop_and_a_short_history_is_not_judged():
    rules = WatchRules(utility_months=2, utility_pct=20)
    usage = {START + i: Usage(water_m3=100) for i in range(12)}
    usage[START + 13] = Usage(water_m3=0)  # START + 12 not read
    assert utility_flags(usage, START + 13, rules) == []
    two = {START: Usage(water_m3=100), START + 1: Usage(water_m3=100)}
    two |= {START + 2: Usage(water_m3=0), START + 3: Usage(water_m3=0)}
    assert utility_flags(two, START + 3, rules) == []  # two months of baseline: too few


def test_the_backtest_applies_the_utility_rule():
    rules = WatchRules(missed_months=24, utility_months=2, utility_pct=20)
    usage = {START + i: Usage(electricity_kwh=8_000) for i in range(14)}
    usage |= {START + 14: Usage(electricity_kwh=300), START + 15: Usage(electricity_kwh=200)}
    history = UnitHistory(
        reports={}, operating=frozenset(range(START, START + 17)), became_idle=(START + 17,),
        since=START, usage=usage,
    )  # fmt: skip
    result = backtest([history], START, START + 30, rules, horizon=6)
    assert (result.became_idle, result.caught, result.leads) == (1, 1, [2])
    assert result.by_rule == {UTILITY_STOP: 1}
    without = backtest([UnitHistory({}, history.operating, history.became_idle, START)],
                       START, START + 30, rules, horizon=6)  # fmt: skip
    assert without.caught == 0


# --- the database: readings, the watch list, the page -----------------------------------
pytestmark_db = pytest.mark.django_db


def _readings(unit, values: dict):
    """values: (year, month) → kWh."""
    UtilityReading.objects.bulk_create(
        UtilityReading(unit=unit, year=y, month=m, electricity_kwh=kwh)
        for (y, m), kwh in values.items()
    )


def _months(first_year, first_month, count):
    number = month_number(first_year, first_month)
    return [((number + i) // 12, (number + i) % 12 + 1) for i in range(count)]


@pytestmark_db
def test_the_watch_list_flags_a_stop_with_the_provinces_settings(people):
    expert = people["yazd-expert"]
    stopped = UnitFactory(actor=expert, name="برق قطع")
    going = UnitFactory(actor=expert, name="برق برقرار")
    months = _months(1400, 1, 14)  # 1400/01 … 1401/02
    _readings(stopped, {ym: (9_000 if i < 12 else 500) for i, ym in enumerate(months)})
    _readings(going, {ym: 9_000 for ym in months})
    on = jd("1401/03/15")  # the last month due: 1401/02
    units = Unit.objects.filter(pk__in=[stopped.pk, going.pk])
    found = {w.unit_id: w.flags for w in selectors.watch_list(units, on)}
    utility = {pk: [f for f in flags if f.rule == UTILITY_STOP] for pk, flags in found.items()}
    assert [f.detail["stopped"] for f in utility[stopped.pk]] == [[("electricity_kwh", 5)]]
    assert not utility.get(going.pk)
    # A province that waits for three months of a stop does not flag it yet.
    ProvinceRevivalSettings.objects.create(province=stopped.county.province, utility_months=3)
    found = {w.unit_id: w.flags for w in selectors.watch_list(units, on)}
    assert all(f.rule != UTILITY_STOP for f in found.get(stopped.pk, []))


@pytestmark_db
def test_staff_record_a_months_use_and_correct_it(client, people):
    expert = people["yazd-expert"]
    unit = UnitFactory(actor=expert)
    client.force_login(expert)
    page = client.get(f"/revival/units/{unit.pk}/utilities/")
    assert page.status_code == 200
    assert f'action="/revival/units/{unit.pk}/utilities/add/"' in page.content.decode()
    url = f"/revival/units/{unit.pk}/utilities/add/"
    posted = {
        "year": "1400",
        "month": "7",
        "electricity_kwh": "۱۲۰۰۰",
        "gas_m3": "",
        "water_m3": "40",
    }
    assert client.post(url, posted).status_code == 302
    reading = UtilityReading.objects.get(unit=unit)
    assert (reading.electricity_kwh, reading.gas_m3, reading.water_m3) == (12_000, None, 40)
    assert client.post(url, {**posted, "electricity_kwh": "11000"}).status_code == 302
    reading.refresh_from_db()
    assert reading.electricity_kwh == 11_000 and UtilityReading.objects.count() == 1
    body = client.get(f"/revival/units/{unit.pk}/utilities/").content.decode()
    assert "۱۱٬۰۰۰" in body and "۱۴۰۰/۰۷" in body


@pytestmark_db
def test_refused_readings_come_back_on_their_fields(client, people):
    expert = people["yazd-expert"]
    unit = UnitFactory(actor=expert)
    client.force_login(expert)
    url = f"/revival/units/{unit.pk}/utilities/add/"
    empty = client.post(url, {"year": "1400", "month": "7"})
    assert empty.status_code == 400 and field_error(empty.content.decode(), "برق (کیلووات‌ساعت)")
    negative = client.post(url, {"year": "1400", "month": "7", "gas_m3": "-3"})
    assert negative.status_code == 200 and field_error(negative.content.decode(), "گاز (متر مکعب)")
    assert not UtilityReading.objects.exists()


@pytestmark_db
def test_a_representative_reads_the_readings_and_cannot_record_them(client, people):
    expert = people["yazd-expert"]
    unit = UnitFactory(actor=expert)
    unit.representatives.add(people["yazd-unit"])
    _readings(unit, {(1400, 1): 5_000})
    client.force_login(people["yazd-unit"])
    page = client.get(f"/revival/units/{unit.pk}/utilities/")
    assert page.status_code == 200 and "۵٬۰۰۰" in page.content.decode()
    assert "/utilities/add/" not in page.content.decode()
    posted = {"year": "1400", "month": "2", "electricity_kwh": "1"}
    assert client.post(f"/revival/units/{unit.pk}/utilities/add/", posted).status_code == 404
    client.force_login(people["bushehr-expert"])
    assert client.get(f"/revival/units/{unit.pk}/utilities/").status_code == 404
    assert UtilityReading.objects.count() == 1


@pytestmark_db
def test_a_month_not_over_is_refused(people):
    from django.utils import timezone

    from shahrak.core.errors import DomainError
    from shahrak.core.jalali import to_jalali

    expert = people["yazd-expert"]
    unit = UnitFactory(actor=expert)
    year, month, _day = to_jalali(timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(DomainError):
        services.utility_reading_record(
            actor=expert, unit=unit, year=year, month=month, electricity_kwh=1
        )


@pytestmark_db
def test_the_manager_sets_the_provinces_utility_rule(people):
    from shahrak.core.errors import DomainError

    yazd = people["yazd-manager"].memberships.get().province
    found = services.revival_settings_update(
        actor=people["yazd-manager"], province=yazd, utility_months=3, utility_pct=15
    )
    assert WatchRules.of(found) == WatchRules(utility_months=3, utility_pct=15)
    with pytest.raises(DomainError):
        services.revival_settings_update(actor=people["yazd-manager"], province=yazd,
                                         utility_pct=0)  # fmt: skip
