"""The watch list read from the database (its candidates found by aggregate queries) flags
exactly the units, with the rules and figures, that the pure rules of revival/watch.py flag
on the same reports."""

from decimal import Decimal
from unittest import mock

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shahrak.core.jalali import month_length, to_gregorian, to_jalali
from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.revival import selectors, watch
from shahrak.revival.models import MonthlyReport
from shahrak.revival.selectors import watch_list
from shahrak.units.models import Unit

from .factories import UnitFactory

pytestmark = pytest.mark.django_db

START = watch.month_number(1398, 1)
SPAN = 40  # months of reports drawn
FILED = ("submitted", "accepted", "returned")

rules_strategy = st.builds(
    watch.WatchRules,
    missed_months=st.integers(1, 4),
    drop_pct=st.integers(5, 95),
    recent_months=st.integers(1, 4),
)
# Few levels, so that falls land on and around the thresholds; 0 is a value too.
levels = st.sampled_from([0, 1, 3, 5, 6, 10, 40, 59, 60, 61, 99, 100, 100.5, 250])
month_report = st.one_of(
    st.none(),  # not filed
    st.tuples(levels, st.integers(0, 12), st.sampled_from([*FILED, "draft"])),
)


@st.composite
def unit_histories(draw):
    since = draw(st.integers(0, SPAN - 1))  # the month it began operating (from START)
    months = draw(st.lists(month_report, min_size=SPAN, max_size=SPAN))
    stop = draw(st.none() | st.integers(0, SPAN // 2))  # some units stop reporting for good
    return since, months if stop is None else months[:stop] + [None] * (SPAN - stop)


def expected(reports, as_of, rules, since):
    """The pure rules on all of a unit's filed reports up to `as_of`."""
    known = {m: f for m, f in reports.items() if m <= as_of}
    return watch.flags_for(known, as_of, rules, since=since)


def shown(flags):
    return sorted((f.rule, f.month, f.detail.get("months"), f.detail.get("pct")) for f in flags)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    histories=st.lists(unit_histories(), min_size=1, max_size=5),
    rules=rules_strategy,
    check=st.integers(SPAN // 3, SPAN + 3),
    day=st.integers(1, 29),
    whole=st.booleans(),
    narrowed=st.booleans(),
)
def test_the_database_path_flags_as_the_rules(
    people, histories, rules, check, day, whole, narrowed
):
    """Either way of reading the candidates: unit by unit (a province), or every report of
    the months concerned (the nation: `WHOLE_TABLE_FROM` units or more, the units that filed
    kept in `FiledUnits`); for every unit, or for some (a scope: the others never listed)."""
    expert = people["yazd-expert"]
    year, month = watch.month_of(START + check)
    on = to_gregorian(year, month, min(day, month_length(year, month)))
    as_of = watch.last_due_month(on)
    with transaction.atomic():
        want, scope = {}, []
        for index, (since, months) in enumerate(histories):
            first = watch.month_of(START + since)
            unit = UnitFactory(actor=expert, operating_since=f"{first[0]}/{first[1]:02d}/01")
            reports, rows = {}, []
            for offset, drawn in enumerate(months):
                if drawn is None:
                    continue
                production, employees, status = drawn
                number = START + offset
                y, m = watch.month_of(number)
                rows.append(MonthlyReport(unit=unit, year=y, month=m, status=status,
                                          production_volume=Decimal(str(production)),
                                          employees=employees))  # fmt: skip
                if status in FILED:
                    reports[number] = watch.Figures(Decimal(str(production)), employees)
            MonthlyReport.objects.bulk_create(rows)
            start = watch.month_number(*to_jalali(unit.intervals.get().valid_from)[:2])
            flags = expected(reports, as_of, rules, start)
            left_out = narrowed and index % 2  # a scope leaving some units out
            if flags and unit.intervals.get().valid_from <= on and not left_out:
                want[unit.pk] = shown(flags)
            if narrowed and not left_out:
                scope.append(unit.pk)
        units = Unit.objects.filter(pk__in=scope) if narrowed else Unit.objects.all()
        with mock.patch.object(selectors, "WHOLE_TABLE_FROM", 0 if whole else 10**6):
            # (a scope: the way of reading chosen by the caller, as the metric does)
            found = watch_list(units, on, lambda province: rules, kept=whole if narrowed else None)
        got = {w.unit_id: shown(w.flags) for w in found}
        transaction.set_rollback(True)
    assert got == want


def test_a_unit_silent_for_long_counts_its_months_from_its_last_report(people):
    """The months missed run back to the last report, however long ago it was filed."""
    unit = UnitFactory(actor=people["yazd-expert"], operating_since="1398/01/01")
    MonthlyReport.objects.create(unit=unit, year=1398, month=3, status="accepted",
                                 production_volume=Decimal(5), employees=3)  # fmt: skip
    (watched,) = watch_list(Unit.objects.all(), jd("1400/07/10"), lambda p: watch.WatchRules())
    # Reports up to 1400/06 are due: 1398/04 … 1400/06 are missed, 15 + 12 = 27 months.
    assert [(f.rule, f.detail["months"]) for f in watched.flags] == [(watch.MISSED, 27)]


# Writes through the services after the drop candidates were found and kept: the kept sets
# covering the months written are forgotten, so the list stays the rules'.
write = st.tuples(
    st.sampled_from(["file", "return", "correct", "archive"]),
    st.integers(0, 2),  # which unit
    st.integers(5, 11),  # which month of 1400 (the later ones: in the windows read)
    levels,  # production
    st.integers(0, 12),  # employees
)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    first=st.lists(st.lists(st.none() | st.tuples(levels, st.integers(0, 12)), min_size=12,
                            max_size=12), min_size=3, max_size=3),
    writes=st.lists(write, min_size=1, max_size=12),
    rules=rules_strategy,
    day=st.integers(1, 29),
)  # fmt: skip
def test_the_kept_drop_candidates_follow_the_services(people, first, writes, rules, day):
    from shahrak.core.errors import DomainError
    from shahrak.revival import services, tally
    from shahrak.revival.models import DropCandidates, FiledUnits

    expert, manager = people["yazd-expert"], people["yazd-manager"]
    on = to_gregorian(1401, 1, day)  # the months of 1400 up to Esfand or Bahman are due

    def listed(whole):
        with mock.patch.object(selectors, "WHOLE_TABLE_FROM", 0 if whole else 10**6):
            found = watch_list(Unit.objects.all(), on, lambda province: rules)
        return {w.unit_id: shown(w.flags) for w in found}

    with transaction.atomic():
        units = [UnitFactory(actor=expert, operating_since="1399/01/10") for _ in range(3)]
        MonthlyReport.objects.bulk_create(
            MonthlyReport(unit=unit, year=1400, month=month + 1, status="accepted",
                          production_volume=Decimal(str(drawn[0])), employees=drawn[1])
            for unit, months in zip(units, first, strict=True)
            for month, drawn in enumerate(months) if drawn is not None
        )  # fmt: skip
        tally.rebuild()  # written in bulk, past the services
        assert listed(True) == listed(False)
        assert DropCandidates.objects.exists() and FiledUnits.objects.exists()  # kept
        for kind, which, month, production, employees in writes:
            unit = units[which]
            report = MonthlyReport.objects.filter(
                unit=unit, year=1400, month=month + 1, archived_at__isnull=True
            ).first()
            figures = {"production_volume": Decimal(str(production)), "employees": employees}
            try:
                if kind == "file":
                    services.monthly_report_file(actor=expert, unit=unit, year=1400,
                                                 month=month + 1, **figures)  # fmt: skip
                elif kind == "return" and report:
                    if report.status == "accepted":  # (reviewed: back to the expert first)
                        MonthlyReport.objects.filter(pk=report.pk).update(status="submitted")
                    services.monthly_report_return(actor=manager, report=report, reason="اصلاح")
                elif kind == "correct" and report:
                    services.monthly_report_save(actor=expert, unit=unit, year=1400,
                                                 month=month + 1, **figures)  # fmt: skip
                elif kind == "archive" and report:
                    report.archive(actor=manager)
            except DomainError:
                pass  # refused in this state: nothing written
            assert listed(True) == listed(False)
        transaction.set_rollback(True)


def test_a_drop_filed_after_the_candidates_were_kept_is_found(people):
    """The country's drop candidates at 1400/11 are kept while a unit's last two months are
    missing (it is watched for them); its reports then filed through the service show a
    drop, which only the drop candidates can find: found, since the filing forgot them."""
    from shahrak.revival import services, tally
    from shahrak.revival.models import DropCandidates

    expert = people["yazd-expert"]
    unit = UnitFactory(actor=expert, operating_since="1399/01/10")
    MonthlyReport.objects.bulk_create(
        MonthlyReport(unit=unit, year=1400, month=month, status="accepted",
                      production_volume=Decimal(100), employees=10)
        for month in range(1, 10)
    )  # fmt: skip
    tally.rebuild()
    on = jd("1400/12/15")  # reports up to 1400/11 are due

    def rules_flagged():
        with mock.patch.object(selectors, "WHOLE_TABLE_FROM", 0):
            found = watch_list(Unit.objects.all(), on, lambda province: watch.WatchRules())
        return [(w.unit_id, sorted(f.rule for f in w.flags)) for w in found]

    assert rules_flagged() == [(unit.pk, [watch.MISSED])]
    assert DropCandidates.objects.get(as_of=watch.month_number(1400, 11)).units == ""
    for month in (10, 11):
        services.monthly_report_file(actor=expert, unit=unit, year=1400, month=month,
                                     production_volume=10, employees=10)  # fmt: skip
    # Months 9–11 average 40 against 100 before: a fall of 60 %.
    assert rules_flagged() == [(unit.pk, [watch.PRODUCTION_DROP])]
