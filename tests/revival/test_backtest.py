"""The backtest, on histories whose answer is worked out by hand, and over the database
through the command."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.revival import services
from shahrak.revival.backtest import UnitHistory, backtest
from shahrak.revival.watch import Figures, WatchRules, month_number
from shahrak.units import services as unit_services

from .factories import UnitFactory

START = month_number(1398, 1)
RULES = WatchRules(missed_months=2, drop_pct=40, recent_months=2)


def history(levels: dict, operating_until: int, idle_at: int | None = None):
    """Reports from START: `levels` maps a month offset range's start to a production level
    kept until the next start; the unit operates up to `operating_until` (an offset)."""
    starts = sorted(levels)
    reports = {}
    for offset in range(operating_until + 1):
        level = levels[max(s for s in starts if s <= offset)]
        if level is not None:
            reports[START + offset] = Figures(Decimal(level), 10)
    return UnitHistory(
        reports=reports,
        operating=frozenset(START + o for o in range(operating_until + 1)),
        became_idle=() if idle_at is None else (START + idle_at,),
        since=START,
    )


def test_a_hand_worked_backtest():
    # Declines at months 30-32 (40 against 100), idle at 33: flagged at 31 (60 % below both
    # its months 28-29 and 18-19) and 32; two months ahead.
    declines = history({0: 100, 30: 40}, operating_until=32, idle_at=33)
    # Declines at 30-31 and recovers at 32: flagged at 31 only, never idle.
    recovers = history({0: 100, 30: 40, 32: 100}, operating_until=47)
    # Steady, then idle at 36 without warning.
    sudden = history({0: 100}, operating_until=35, idle_at=36)
    result = backtest([declines, recovers, sudden], START + 12, START + 47, RULES, horizon=6)
    assert (result.became_idle, result.caught, result.leads) == (2, 1, [2])
    assert (result.episodes, result.right_episodes) == (2, 1)
    assert (result.recall, result.precision) == (0.5, 0.5)
    assert dict(result.by_rule) == {"production_drop": 2}
    # The checks: months 12..47 for those operating then (21 + 36 + 24).
    assert result.checks == 21 + 36 + 24


def test_flags_too_recent_to_judge_are_left_out():
    declines = history({0: 100, 30: 40}, operating_until=40)
    result = backtest([declines], START + 12, START + 33, RULES, horizon=6)
    assert (result.episodes, result.too_recent, result.precision) == (0, 1, None)


@given(level=st.integers(1, 10**6), months=st.integers(13, 60), rules_pct=st.integers(5, 90))
def test_steady_units_give_no_flags(level, months, rules_pct):
    rules = WatchRules(missed_months=2, drop_pct=rules_pct, recent_months=3)
    steady = history({0: level}, operating_until=months)
    result = backtest([steady], START, START + months, rules)
    assert (result.episodes, result.too_recent, result.became_idle) == (0, 0, 0)


@pytest.mark.django_db
def test_the_backtest_command(people):
    expert = people["yazd-expert"]
    declining = UnitFactory(actor=expert, operating_since="1398/01/01")
    steady = UnitFactory(actor=expert, operating_since="1398/01/01")
    for unit in (declining, steady):
        for offset in range(24):  # 1398 and 1399
            year, month = divmod(offset, 12)
            level = 30 if unit == declining and offset >= 21 else 100
            services.monthly_report_file(actor=expert, unit=unit, year=1398 + year,
                                         month=month + 1, production_volume=level,
                                         employees=10)  # fmt: skip
    unit_services.unit_change_status(actor=expert, unit=declining, status="idle",
                                     on=jd("1400/01/20"), reason="market")  # fmt: skip
    out = io.StringIO()
    call_command("revival", "backtest", "--province", "yazd", "--from", "1398", "--to", "1400",
                 "--format", "json", stdout=out)  # fmt: skip
    figures = json.loads(out.getvalue())
    # Declining from Dey 1399 (month 10). With the default rules (3 months, 40 %) it is
    # flagged at Bahman: Azar-Bahman average 53.3 against 100 for Shahrivar-Aban and for
    # Azar-Bahman 1398. Idle in Farvardin 1400: two months after the flag.
    assert figures["became_idle"] == 1 and figures["flagged_in_advance"] == 1
    assert figures["median_lead_months"] == 2
    assert figures["rules"]["missed_months"] == 2 and figures["recall"] == 1.0
