"""Ten years of idle-unit revival for the report benchmark (bench/reports.py).

- the units operate since 1391-01-01 (the import dates them 1400-01-01; moved back so that
  ten years of history fit their timelines);
- about 1,000 revival cases a year from 1392 to 1401, at every stage: restarted ones carry
  the unit's "restarted" event and intervals, closed ones its "closed" event; a unit restarted
  by a case may go idle again (a new case, linked to the old);
- a diagnosis with two findings, an improvement plan with three actions where the stage has
  them;
- a monthly report for every month a unit was in operation at the month's end, 1392/01 to
  the last month asked (most filed on time and accepted; some late, a few missed, some units
  declining in the months before they idle).

Written with `insert_rows` (one executemany per table, COPY on PostgreSQL).
"""

import datetime as dt

FIRST_YEAR, LAST_YEAR = 1392, 1401
CASES_A_YEAR = 1000


def _dates():
    from shahrak.core.jalali import month_length, to_gregorian

    months = []  # (month number, year, month, last day, due date)
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for month in range(1, 13):
            nxt = (year + 1, 1) if month == 12 else (year, month + 1)
            months.append((year * 12 + month - 1, year, month,
                           to_gregorian(year, month, month_length(year, month)),
                           to_gregorian(*nxt, 10)))  # fmt: skip
    return months


def move_start_back():
    """Units operate since 1391-01-01 (those with the old history too)."""
    from shahrak.core.jalali import to_gregorian
    from shahrak.units.models import UnitStatusEvent, UnitStatusInterval

    start = to_gregorian(1391, 1, 1)
    UnitStatusEvent.objects.filter(status="operational").update(on=start)
    UnitStatusInterval.objects.filter(status="operational").update(valid_from=start)
    return start


def add_revival(rng, admin, exclude: set, last_month=(1401, 12)):
    """Cases, diagnoses, plans and monthly reports; returns counts by table."""
    from django.db import connection
    from django.utils import timezone

    from shahrak.core.bulk import insert_rows
    from shahrak.core.jalali import to_gregorian
    from shahrak.revival.models import (
        CaseReason,
        Diagnosis,
        Finding,
        ImprovementPlan,
        PlanAction,
        RevivalCase,
    )
    from shahrak.units.models import Unit, UnitStatusEvent, UnitStatusInterval

    now = timezone.now()
    end = to_gregorian(LAST_YEAR, 12, 29)  # nothing recorded after 1401
    forever = dt.date(9999, 12, 31)
    start = to_gregorian(1391, 1, 1)
    units = list(
        Unit.objects.values_list("pk", "county__province_id", "county_id", "park_id", "sector")
    )
    info = {pk: rest for pk, *rest in units}
    pool = [pk for pk, *_ in units if pk not in exclude]
    free_from = {}  # unit → the first day it may go idle again
    last_case = {}  # unit → (index of its last case)
    spans = {}  # unit → [(status, from, to)] after its first operational spell
    cases, reasons, events = [], [], []
    diagnoses, plans, actions = [], [], []
    reasons_list = ["market", "working_capital", "raw_materials", "management", "technology",
                    "infrastructure", "legal", "equipment", "licences", "other"]  # fmt: skip
    how = ["field_survey", "clinic_visit", "utility_data", "unit_itself", "early_warning"]
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        first, last = to_gregorian(year, 1, 1), to_gregorian(year, 12, 29)
        for _ in range(rng.randint(CASES_A_YEAR - 60, CASES_A_YEAR + 60)):
            opened = first + dt.timedelta(days=rng.randint(0, (last - first).days))
            for _attempt in range(20):
                unit = rng.choice(pool)
                if free_from.get(unit, start) <= opened:
                    break
            else:
                continue
            draw = rng.random()
            stage, restarted, closed = "identified", None, None
            diagnosed = opened + dt.timedelta(days=rng.randint(7, 45))
            planned = diagnosed + dt.timedelta(days=rng.randint(7, 45))
            if draw < 0.6:
                restarted = planned + dt.timedelta(days=rng.randint(30, 600))
                stage = "restarted" if restarted <= end else None
            elif draw < 0.72:
                closed = planned + dt.timedelta(days=rng.randint(30, 800))
                stage = "closed" if closed <= end else None
            if stage in (None, "identified"):
                restarted = closed = None
                stage = rng.choice(["identified", "diagnosed", "planned", "planned"])
                if planned > end:
                    stage = "diagnosed" if diagnosed <= end else "identified"
            index = len(cases)
            jobs = rng.randint(3, 120)
            previous = last_case.get(unit)
            cases.append([now, now, 1, unit, opened, rng.choice(how), jobs, stage, previous,
                          restarted, closed, jobs - rng.randint(0, 3) if restarted else None,
                          ""])  # fmt: skip
            last_case[unit] = index
            reasons.extend((index, r) for r in rng.sample(reasons_list, rng.randint(1, 3)))
            events.append((index, "idle", opened, rng.choice(reasons_list)))
            spans.setdefault(unit, []).append(("idle", opened))
            if restarted:
                events.append((index, "restarted", restarted, ""))
                spans[unit].append(("restarted", restarted))
                free_from[unit] = restarted + dt.timedelta(days=90)
            elif closed:
                events.append((index, "closed", closed, ""))
                spans[unit].append(("closed", closed))
                pool.remove(unit)
            else:
                pool.remove(unit)  # still idle: no second open case
            if stage != "identified":
                diagnoses.append((index, diagnosed))
            if stage in ("planned", "restarted", "closed"):
                plans.append((index, planned))
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM revival_revivalcase")
        base = cursor.fetchone()[0] + 1
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM units_unitstatusevent")
        event_base = cursor.fetchone()[0] + 1
    # Events first (the cases point at them), in the order listed: ids are known ahead.
    event_ids = {}
    event_rows = []
    for offset, (index, status, on, reason) in enumerate(events):
        event_ids[(index, status)] = event_base + offset
        event_rows.append([event_base + offset, now, now, 1, cases[index][3], status, on,
                           reason if status == "idle" else "", ""])  # fmt: skip
    insert_rows(UnitStatusEvent, ["id", "created_at", "updated_at", "version", "unit_id",
                                  "status", "on", "reason", "note"], event_rows)  # fmt: skip
    case_rows = []
    for index, row in enumerate(cases):
        previous = row[8]
        outcome = event_ids.get((index, "restarted")) or event_ids.get((index, "closed"))
        case_rows.append([base + index, *row[:8], None if previous is None else base + previous,
                          event_ids[(index, "idle")], outcome, *row[9:], False])  # fmt: skip
    insert_rows(RevivalCase, ["id", "created_at", "updated_at", "version", "unit_id",
                              "opened_on", "identified_by", "jobs_at_stake", "stage",
                              "previous_case_id", "idle_event_id", "outcome_event_id",
                              "restarted_on", "closed_on", "jobs_restored", "note", "is_demo"],
                case_rows)  # fmt: skip
    insert_rows(CaseReason, ["case_id", "reason"], [[base + i, r] for i, r in reasons])
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM revival_diagnosis")
        diagnosis_base = cursor.fetchone()[0] + 1
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM revival_improvementplan")
        plan_base = cursor.fetchone()[0] + 1
    insert_rows(Diagnosis, ["id", "created_at", "updated_at", "version", "case_id", "on",
                            "diagnosed_by_id", "summary"],
                [[diagnosis_base + i, now, now, 1, base + index, on, admin.pk, "عارضه‌یابی"]
                 for i, (index, on) in enumerate(diagnoses)])  # fmt: skip
    areas = ["finance", "production", "market", "management", "technology"]
    insert_rows(Finding, ["created_at", "updated_at", "version", "diagnosis_id", "area",
                          "severity", "text"],
                [[now, now, 1, diagnosis_base + i, area, rng.choice(["low", "medium", "high"]),
                  "یافته"]
                 for i in range(len(diagnoses)) for area in rng.sample(areas, 2)])  # fmt: skip
    insert_rows(ImprovementPlan, ["id", "created_at", "updated_at", "version", "case_id", "on",
                                  "summary"],
                [[plan_base + i, now, now, 1, base + index, on, "طرح بهبود"]
                 for i, (index, on) in enumerate(plans)])  # fmt: skip
    for i, (index, on) in enumerate(plans):
        for k in range(3):
            due = on + dt.timedelta(days=30 * (k + 1))
            done = due if cases[index][7] == "restarted" or (due < end and rng.random() < 0.5)\
                else None  # fmt: skip
            actions.append([now, now, 1, plan_base + i, f"اقدام {k + 1}",
                            rng.choice(["company", "unit", "bank", "other_body"]), "", due,
                            rng.randint(1, 500) * 10_000_000, "", 100 if done else
                            rng.choice([0, 25, 50, 75]), done])  # fmt: skip
    insert_rows(PlanAction, ["created_at", "updated_at", "version", "plan_id", "title",
                             "owner_kind", "owner_name", "due_on", "cost_rial", "paid_by",
                             "progress_pct", "done_on"], actions)  # fmt: skip
    # The units' timelines: their first operational interval ends at the first idle day.
    changed = list(spans)
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE units_unitstatusinterval SET valid_to = %s WHERE unit_id = %s "
            "AND status = 'operational'",
            [(connection.ops.adapt_datefield_value(spans[u][0][1]), u) for u in changed],
        )
    interval_rows = []
    for unit, steps in spans.items():
        province, county, park, sector = info[unit]
        for k, (status, on) in enumerate(steps):
            until = steps[k + 1][1] if k + 1 < len(steps) else forever
            interval_rows.append([unit, province, county, park, sector, status, on, until])
    insert_rows(UnitStatusInterval, ["unit_id", "province_id", "county_id", "park_id",
                                     "sector", "status", "valid_from", "valid_to"],
                interval_rows)  # fmt: skip
    counts = {"cases": len(cases), "diagnoses": len(diagnoses), "plans": len(plans),
              "actions": len(actions), "events": len(events)}  # fmt: skip
    counts["reports"] = add_reports(admin, last_month)
    return counts


def add_reports(admin, last_month=(LAST_YEAR, 12)) -> int:
    """A report for each month a unit was in operation at the month's end (from its status
    intervals), 1392/01 to `last_month`, written by the database itself (one INSERT … SELECT:
    twelve million rows from Python would take the better part of an hour here). Figures and
    fates are drawn from a hash of the unit and the month: 1.5 % of months missed (and the
    last three of every year by one unit in 300), 12 % filed
    late, 90 % accepted, 8 % awaiting review, 2 % returned; a unit's production and employees
    fall to 40 % in the four months before it idles, and one unit in 33 dips to half for three
    months every two years and recovers."""
    from django.db import connection
    from django.utils import timezone

    from shahrak.revival.models import MonthlyReport
    from shahrak.units.models import UnitStatusInterval

    postgres = connection.vendor == "postgresql"
    ops = connection.ops

    def at(value):
        return value if postgres else ops.adapt_datetimefield_value(value)

    def day(value):
        return value if postgres else ops.adapt_datefield_value(value)

    tz = dt.timezone(dt.timedelta(hours=3, minutes=30))
    months = [m for m in _dates() if (m[1], m[2]) <= last_month]
    stamp = "timestamp with time zone" if postgres else "datetime"
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_month")
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_month (number integer, year integer, month integer, "
            f"month_end date, filed_ok {stamp}, filed_late {stamp})"
        )
        cursor.executemany(
            "INSERT INTO bench_month VALUES (%s, %s, %s, %s, %s, %s)",
            [
                (number, year, month, day(end),
                 at(dt.datetime.combine(due - dt.timedelta(days=number % 9), dt.time(11), tz)),
                 at(dt.datetime.combine(due + dt.timedelta(days=1 + number % 30), dt.time(11),
                                        tz)))
                for number, year, month, end, due in months
            ],
        )  # fmt: skip
        cursor.execute("DROP TABLE IF EXISTS bench_decline")
        cursor.execute("CREATE TEMPORARY TABLE bench_decline (unit_id integer, "
                       "since date, until date)")  # fmt: skip
        # The units idled by a revival case decline before (the old history's 30 % of units,
        # all idle on one day, do not: a fall of a third of the country at once is no watch
        # list anyone keeps).
        idle = (
            UnitStatusInterval.objects.filter(status="idle")
            .exclude(valid_from=dt.date(2022, 5, 1))
            .values_list("unit", "valid_from")
        )
        cursor.executemany(
            "INSERT INTO bench_decline VALUES (%s, %s, %s)",
            [(unit, day(on - dt.timedelta(days=120)), day(on)) for unit, on in idle],
        )
        cursor.execute("CREATE INDEX bench_decline_unit ON bench_decline (unit_id)")
        table = ops.quote_name(MonthlyReport._meta.db_table)
        intervals = ops.quote_name(UnitStatusInterval._meta.db_table)
        hashed = "((i.unit_id * 2654435761 + m.number * 40503) %% 1000)"
        again = "((i.unit_id * 40503 + m.number * 2654435761) %% 1000)"
        factor = (
            "(CASE WHEN EXISTS (SELECT 1 FROM bench_decline d WHERE d.unit_id = i.unit_id "
            "AND m.month_end >= d.since AND m.month_end < d.until) THEN 40 "
            "WHEN i.unit_id %% 33 = 0 AND m.number %% 24 < 3 THEN 50 ELSE 100 END)"
        )
        now = timezone.now()
        cursor.execute(
            f"""
            INSERT INTO {table} (created_at, updated_at, version, unit_id, year, month,
                production_volume, production_measure, sales_rial, employees, exports_rial,
                status, return_reason, filed_at, filed_by_id, reviewed_at, reviewed_by_id,
                is_demo)
            SELECT %s, %s, 1, unit_id, year, month, production, 'تن', sales, employees, 0,
                status, CASE WHEN status = 'returned' THEN 'اصلاح ارقام' ELSE '' END,
                filed_at, %s, CASE WHEN status = 'submitted' THEN NULL ELSE filed_at END,
                CASE WHEN status = 'submitted' THEN NULL ELSE %s END, %s
            FROM (
                SELECT i.unit_id, m.year, m.month,
                    (50 + (i.unit_id * 7) %% 4950) * (90 + {hashed} %% 20) * {factor} / 10000
                        AS production,
                    (50 + (i.unit_id * 7) %% 4950) * 1000000 AS sales,
                    (5 + i.unit_id %% 145) * {factor} / 100 + 1 AS employees,
                    CASE WHEN {again} < 900 THEN 'accepted' WHEN {again} < 980 THEN 'submitted'
                         ELSE 'returned' END AS status,
                    CASE WHEN {hashed} < 120 THEN m.filed_late ELSE m.filed_ok END AS filed_at
                FROM {intervals} i JOIN bench_month m
                    ON i.valid_from <= m.month_end AND i.valid_to > m.month_end
                WHERE i.status IN ('operational', 'restarted') AND {again} %% 67 != 5
                    AND NOT (i.unit_id %% 300 = 7 AND m.month >= 10)
            ) AS drawn
            """,
            [at(now), at(now), admin.pk, admin.pk, False],
        )
        count = cursor.rowcount
        cursor.execute("DROP TABLE bench_month")
        cursor.execute("DROP TABLE bench_decline")
    from shahrak.revival import tally

    tally.rebuild()  # written past the services that keep the counts of reports filed
    return count
