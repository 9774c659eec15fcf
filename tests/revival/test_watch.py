"""The watch list's rules as properties: a steady reporter is never flagged; one that stops
reporting is flagged after exactly the configured months; a sustained fall is flagged, a dip
that last year had too is not."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.revival.watch import (
    EMPLOYEES_DROP,
    MISSED,
    PRODUCTION_DROP,
    Figures,
    WatchRules,
    due_date,
    flags_for,
    last_due_month,
    month_number,
)

START = month_number(1398, 1)

rules_strategy = st.builds(
    WatchRules,
    missed_months=st.integers(1, 6),
    drop_pct=st.integers(5, 90),
    recent_months=st.integers(1, 6),
)


def ceiling(low: int, drop_pct: int) -> int:
    """The highest value a month may take so that even `low` after it is no fall of
    `drop_pct` %: high × (100 − drop) < low × 100."""
    high = low * 100 // (100 - drop_pct)
    while high * (100 - drop_pct) >= low * 100:
        high -= 1
    return max(high, low)


@st.composite
def steady_histories(draw):
    rules = draw(rules_strategy)
    low_p, low_e = draw(st.integers(1, 10**6)), draw(st.integers(1, 500))
    high_p, high_e = ceiling(low_p, rules.drop_pct), ceiling(low_e, rules.drop_pct)
    months = draw(st.integers(1, 60))
    reports = {
        START + i: Figures(
            Decimal(draw(st.integers(low_p, high_p))), draw(st.integers(low_e, high_e))
        )
        for i in range(months)
    }
    return rules, reports


@given(history=steady_histories(), data=st.data())
def test_a_steady_reporter_is_never_flagged(history, data):
    rules, reports = history
    as_of = data.draw(st.sampled_from(sorted(reports)))
    filed = {m: f for m, f in reports.items() if m <= as_of}
    assert flags_for(filed, as_of, rules, since=START) == []


@given(
    rules=rules_strategy,
    reported=st.integers(1, 40),
    silent=st.integers(0, 30),
    production=st.integers(1, 10**6),
)
def test_a_unit_that_stops_reporting_is_flagged_after_exactly_the_configured_months(
    rules, reported, silent, production
):
    reports = {START + i: Figures(Decimal(production), 10) for i in range(reported)}
    as_of = START + reported - 1 + silent
    fired = {flag.rule: flag for flag in flags_for(reports, as_of, rules, since=START)}
    assert (MISSED in fired) == (silent >= rules.missed_months)
    if MISSED in fired:
        assert fired[MISSED].detail["months"] == silent
    assert set(fired) <= {MISSED}  # the same figures while it reported: no fall


@given(rules=rules_strategy, months=st.integers(0, 30))
def test_months_before_a_unit_was_expected_to_report_are_not_missed(rules, months):
    as_of = START + months
    fired = [f for f in flags_for({}, as_of, rules, since=START) if f.rule == MISSED]
    assert bool(fired) == (months + 1 >= rules.missed_months)


@given(rules=rules_strategy, months=st.integers(0, 30), before=st.none() | st.integers(1, 240))
def test_months_before_monthly_reporting_began_are_not_missed(rules, months, before):
    """A unit in operation since long before 1398 (or since an unknown month) that never
    reported has missed the months from Farvardin 1398 on, not those before."""
    as_of = START + months
    since = None if before is None else START - before
    fired = [f for f in flags_for({}, as_of, rules, since=since) if f.rule == MISSED]
    assert bool(fired) == (months + 1 >= rules.missed_months)
    if fired:
        assert fired[0].detail["months"] == months + 1


@given(rules=rules_strategy, level=st.integers(100, 10**6), extra=st.integers(0, 20))
def test_a_sustained_fall_is_flagged(rules, level, extra):
    """Two years steady at `level`, then `recent_months` at a level lower by the threshold
    (or more): production is flagged, employees (unchanged) are not."""
    fallen = level * (100 - rules.drop_pct - extra) // 100
    steady = 24
    reports = {START + i: Figures(Decimal(level), 30) for i in range(steady)}
    for i in range(rules.recent_months):
        reports[START + steady + i] = Figures(Decimal(fallen), 30)
    as_of = START + steady + rules.recent_months - 1
    fired = {flag.rule for flag in flags_for(reports, as_of, rules, since=START)}
    assert fired == {PRODUCTION_DROP}


def test_a_dip_last_year_shared_is_not_a_decline():
    """Summer production halves every year: against the spring it is a fall of 50 %, against
    last summer none."""
    rules = WatchRules(missed_months=2, drop_pct=40, recent_months=3)
    reports = {}
    for year in (1398, 1399, 1400):
        for month in range(1, 13):
            summer = month in (4, 5, 6)
            reports[month_number(year, month)] = Figures(Decimal(50 if summer else 100), 20)
    assert flags_for(reports, month_number(1400, 6), rules) == []
    # The same summer without a dip last year: flagged.
    for month in (4, 5, 6):
        reports[month_number(1399, month)] = Figures(Decimal(100), 20)
    fired = flags_for(reports, month_number(1400, 6), rules)
    assert [(f.rule, f.detail["pct"]) for f in fired] == [(PRODUCTION_DROP, 50)]


def test_employees_falling_is_its_own_rule():
    rules = WatchRules(missed_months=2, drop_pct=30, recent_months=2)
    reports = {START + i: Figures(Decimal(100), 40) for i in range(6)}
    reports |= {START + 6: Figures(Decimal(100), 20), START + 7: Figures(Decimal(100), 24)}
    fired = flags_for(reports, START + 7, rules)
    assert [(f.rule, f.detail["pct"]) for f in fired] == [(EMPLOYEES_DROP, 45)]  # 22 vs 40


@pytest.mark.parametrize(
    ("on", "due"),
    [("1401/02/10", (1401, 1)), ("1401/02/09", (1400, 12)), ("1401/01/15", (1400, 12)),
     ("1401/01/09", (1400, 11))],
)  # fmt: skip
def test_which_months_are_due_on_a_date(on, due):
    assert last_due_month(jd(on)) == month_number(*due)


def test_due_dates():
    assert due_date(month_number(1400, 12)) == jd("1401/01/10")
    assert due_date(month_number(1401, 6)) == dt.date(2022, 10, 2)  # 1401/07/10


def test_rules_are_sane():
    with pytest.raises(ValueError):
        WatchRules(missed_months=0)
    with pytest.raises(ValueError):
        WatchRules(drop_pct=0)


def test_each_flag_says_which_rule_fired_in_persian():
    from django.utils import translation

    rules = WatchRules(missed_months=2, drop_pct=30, recent_months=1)
    reports = {START: Figures(Decimal(100), 40), START + 1: Figures(Decimal(10), 40)}
    with translation.override("fa"):
        drop = flags_for(reports, START + 1, rules)[0]
        missed = flags_for(reports, START + 3, rules)[0]
        assert drop.rule == PRODUCTION_DROP
        assert drop.message.startswith("تولید") and "90٪ افت" in drop.message
        assert missed.rule == MISSED and "2" in missed.message and "بی‌گزارش" in missed.message
