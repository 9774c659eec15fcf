"""Ten years of support programs for the report benchmark (bench/reports.py).

- 20 national programs over the five families (rates 30–70 %, a yearly cap per unit) and
  three provincial ones in each province; a budget per program, province and Jalali year
  1392–1401 (national programs in every province, provincial ones in theirs);
- about 15,000 applications a year to the national programs, at every stage (draft,
  submitted, under review, returned, approved, rejected, executed, paid, closed, withdrawn),
  each with its steps on the timeline, and one or two payments when paid;
- the budgets' reserved and paid amounts are the sums of their applications', and their
  amounts leave 10 % free.

Applications, steps and payments are written by the database itself (INSERT … SELECT over
small tables of the years, days, programs and paths), as the monthly reports are.
- 200 exhibitions a year (a quarter abroad), about 10,000 exhibition supports a year
  (booth, attendance, group pavilion) and about 5,000 service records a year (one unit each,
  of the service kinds the migrations list).
"""

import datetime as dt
from decimal import Decimal

from revival_data import FIRST_YEAR, LAST_YEAR

FAMILIES = ["market", "entrepreneurship", "industrial", "financial", "technology"]
# The way each final status is reached (the steps an application shows).
PATHS = {
    "draft": ["draft"],
    "submitted": ["draft", "submitted"],
    "under_review": ["draft", "submitted", "under_review"],
    "returned": ["draft", "submitted", "returned"],
    "approved": ["draft", "submitted", "under_review", "approved"],
    "rejected": ["draft", "submitted", "under_review", "rejected"],
    "executed": ["draft", "submitted", "under_review", "approved", "executed"],
    "paid": ["draft", "submitted", "under_review", "approved", "executed", "paid"],
    "closed": ["draft", "submitted", "under_review", "approved", "executed", "paid", "closed"],
    "withdrawn": ["draft", "submitted", "withdrawn"],
}
# Per mille of applications ending in each status.
SHARES = [("draft", 30), ("submitted", 40), ("under_review", 50), ("returned", 30),
          ("approved", 80), ("rejected", 120), ("executed", 80), ("paid", 250),
          ("closed", 290), ("withdrawn", 30)]  # fmt: skip
A_YEAR_PER_MILLE = 150  # of the units apply once a year


def add_support(rng, admin) -> dict:
    from django.db import connection
    from django.utils import timezone

    from shahrak.core.bulk import insert_rows
    from shahrak.core.jalali import to_gregorian
    from shahrak.places.models import Province
    from shahrak.support.models import (
        Application,
        ApplicationStep,
        Payment,
        Program,
        ProgramBudget,
    )

    now = timezone.now()
    postgres = connection.vendor == "postgresql"
    ops = connection.ops

    def at(value):
        return value if postgres else ops.adapt_datetimefield_value(value)

    def day(value):
        return value if postgres else ops.adapt_datefield_value(value)

    provinces = list(Province.objects.values_list("pk", flat=True))
    opens = to_gregorian(FIRST_YEAR - 1, 1, 1)
    programs = []
    for k in range(20):
        low = 30 + k % 5 * 5
        programs.append(Program(title=f"برنامه ملی بنچ {k}", family=FAMILIES[k % 5],
                                flagship=k % 4 == 0, rate_min_pct=Decimal(low),
                                rate_max_pct=Decimal(low + 20),
                                cap_per_unit_rial=5_000_000_000, opens_on=opens))  # fmt: skip
    for province in provinces:
        for k in range(3):
            programs.append(Program(title=f"برنامه استانی بنچ {province}-{k}",
                                    family=FAMILIES[(province + k) % 5], province_id=province,
                                    rate_min_pct=Decimal(30), rate_max_pct=Decimal(70),
                                    cap_per_unit_rial=3_000_000_000, opens_on=opens))  # fmt: skip
    Program.objects.bulk_create(programs)
    national = list(Program.objects.filter(province__isnull=True).order_by("pk"))
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    budgets = [
        (program.pk, province, year)
        for program in Program.objects.all()
        for province in ([program.province_id] if program.province_id else provinces)
        for year in years
    ]
    insert_rows(ProgramBudget, ["created_at", "updated_at", "version", "program_id",
                                "province_id", "year", "amount_rial", "reserved_rial",
                                "paid_rial"],
                ([now, now, 1, p, v, y, 0, 0, 0] for p, v, y in budgets))  # fmt: skip
    table = {m: ops.quote_name(m._meta.db_table) for m in
             (Application, ApplicationStep, Payment, ProgramBudget)}  # fmt: skip
    stamp = "timestamp with time zone" if postgres else "datetime"
    with connection.cursor() as cursor:
        for name in ("bench_day", "bench_program", "bench_share", "bench_path"):
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
        # Thirty application days a year, ten days apart, with the days of their later steps.
        cursor.execute(f"CREATE TEMPORARY TABLE bench_day (year integer, k integer, "
                       f"created {stamp}, approved date, executed date, paid date, "
                       f"paid_again date, closed date)")  # fmt: skip
        days = []
        for year in years:
            first = to_gregorian(year, 1, 1)
            for k in range(30):
                on = first + dt.timedelta(days=10 * k)
                days.append(
                    (
                        year,
                        k,
                        at(dt.datetime.combine(on, dt.time(9), dt.UTC)),
                        *(day(on + dt.timedelta(days=n)) for n in (20, 60, 90, 150, 200)),
                    )
                )
        cursor.executemany("INSERT INTO bench_day VALUES (%s, %s, %s, %s, %s, %s, %s, %s)", days)
        cursor.execute("CREATE TEMPORARY TABLE bench_program (k integer, program_id integer, "
                       "rate integer)")  # fmt: skip
        cursor.executemany(
            "INSERT INTO bench_program VALUES (%s, %s, %s)",
            [(k, p.pk, int(p.rate_min_pct) + 10) for k, p in enumerate(national)],
        )
        cursor.execute("CREATE TEMPORARY TABLE bench_share (status varchar(20), low integer, "
                       "high integer)")  # fmt: skip
        shares, low = [], 0
        for status, share in SHARES:
            shares.append((status, low, low + share))
            low += share
        cursor.executemany("INSERT INTO bench_share VALUES (%s, %s, %s)", shares)
        cursor.execute("CREATE TEMPORARY TABLE bench_path (final varchar(20), "
                       "step varchar(20), seq integer)")  # fmt: skip
        cursor.executemany("INSERT INTO bench_path VALUES (%s, %s, %s)",
                           [(final, step, seq) for final, path in PATHS.items()
                            for seq, step in enumerate(path)])  # fmt: skip
        unit = "u.id"
        pick = f"(({unit} * 2654435761 + y.year * 40503) %% 1000)"
        other = f"(({unit} * 40503 + y.year * 2654435761) %% 1000)"
        approved = "s.status IN ('approved', 'executed', 'paid', 'closed')"
        executed = "s.status IN ('executed', 'paid', 'closed')"
        paid = "s.status IN ('paid', 'closed')"
        cost = f"((1 + {other} %% 50) * 100000000)"
        amount = f"({cost} * g.rate / 100)"
        cursor.execute(
            f"""
            INSERT INTO {table[Application]} (created_at, updated_at, version, unit_id,
                program_id, status, description, requested_cost_rial, created_by_id,
                submitted_at, review_note, approved_on, approved_cost_rial, approved_rate_pct,
                approved_amount_rial, budget_id, executed_on, actual_cost_rial,
                eligible_cost_rial, subsidy_rial, committed_rial, paid_rial, closed_on,
                reason, is_demo)
            SELECT d.created, d.created, 1, u.id, g.program_id, s.status, 'درخواست حمایت',
                {cost}, %s, CASE WHEN s.status = 'draft' THEN NULL ELSE d.created END, '',
                CASE WHEN {approved} THEN d.approved END,
                CASE WHEN {approved} THEN {cost} END,
                CASE WHEN {approved} THEN g.rate END,
                CASE WHEN {approved} THEN {amount} END,
                CASE WHEN {approved} THEN b.id END,
                CASE WHEN {executed} THEN d.executed END,
                CASE WHEN {executed} THEN {cost} END,
                CASE WHEN {executed} THEN {cost} END,
                CASE WHEN {executed} THEN {amount} END,
                CASE WHEN {approved} THEN {amount} ELSE 0 END,
                CASE WHEN {paid} THEN {amount} ELSE 0 END,
                CASE WHEN s.status = 'closed' THEN d.closed END,
                CASE WHEN s.status IN ('returned', 'rejected', 'withdrawn')
                     THEN 'دلیل' ELSE '' END,
                %s
            FROM units_unit u
            JOIN places_county c ON c.id = u.county_id
            CROSS JOIN (SELECT DISTINCT year FROM bench_day) y
            JOIN bench_day d ON d.year = y.year AND d.k = {other} %% 30
            JOIN bench_program g ON g.k = {other} %% 20
            JOIN bench_share s ON {other} >= s.low AND {other} < s.high
            JOIN {table[ProgramBudget]} b ON b.program_id = g.program_id
                AND b.province_id = c.province_id AND b.year = y.year
            WHERE {pick} < {A_YEAR_PER_MILLE}
            """,
            [admin.pk, False],
        )
        applications = cursor.rowcount
        cursor.execute(
            f"""
            INSERT INTO {table[ApplicationStep]} (application_id, status, at, by_id, note)
            SELECT a.id, p.step, a.created_at, %s, ''
            FROM {table[Application]} a JOIN bench_path p ON p.final = a.status
            """,
            [admin.pk],
        )
        steps = cursor.rowcount
        # Paid in one payment, or in two halves for every third application.
        cursor.execute(
            f"""
            INSERT INTO {table[Payment]} (created_at, updated_at, version, application_id,
                on, amount_rial, reference, recorded_by_id, is_demo)
            SELECT a.created_at, a.created_at, 1, a.id, d.paid,
                CASE WHEN a.id %% 3 = 0 THEN a.paid_rial / 2 ELSE a.paid_rial END, '', %s, %s
            FROM {table[Application]} a JOIN bench_day d ON d.created = a.created_at
            WHERE a.status IN ('paid', 'closed')
            UNION ALL
            SELECT a.created_at, a.created_at, 1, a.id, d.paid_again,
                a.paid_rial - a.paid_rial / 2, '', %s, %s
            FROM {table[Application]} a JOIN bench_day d ON d.created = a.created_at
            WHERE a.status IN ('paid', 'closed') AND a.id %% 3 = 0
            """.replace(" on, ", f" {ops.quote_name('on')}, "),
            [admin.pk, False, admin.pk, False],
        )
        payments = cursor.rowcount
        # Budgets: reserved and paid are their applications' sums; 10 % stays free.
        cursor.execute(f"UPDATE {table[ProgramBudget]} SET amount_rial = 1000000000000000000")
        cursor.execute(
            f"""
            UPDATE {table[ProgramBudget]} SET
                reserved_rial = COALESCE((SELECT SUM(committed_rial - paid_rial)
                    FROM {table[Application]} a WHERE a.budget_id = {table[ProgramBudget]}.id),
                    0),
                paid_rial = COALESCE((SELECT SUM(paid_rial) FROM {table[Application]} a
                    WHERE a.budget_id = {table[ProgramBudget]}.id), 0)
            """
        )
        cursor.execute(
            f"UPDATE {table[ProgramBudget]} SET amount_rial = "
            "(reserved_rial + paid_rial) * 11 / 10 + 1000000000"
        )
        for name in ("bench_day", "bench_program", "bench_share", "bench_path"):
            cursor.execute(f"DROP TABLE {name}")
    counts = {"programs": len(programs), "budgets": len(budgets),
              "applications": applications, "steps": steps, "payments": payments}  # fmt: skip
    counts.update(add_exhibitions_and_services(admin, provinces, now))
    return counts


def add_exhibitions_and_services(admin, provinces, now) -> dict:
    from django.db import connection

    from shahrak.core.bulk import insert_rows
    from shahrak.core.jalali import to_gregorian
    from shahrak.support.models import Exhibition, ExhibitionSupport, ServiceKind, ServiceRecord

    postgres = connection.vendor == "postgresql"
    ops = connection.ops

    def day(value):
        return value if postgres else ops.adapt_datefield_value(value)

    years = range(FIRST_YEAR, LAST_YEAR + 1)
    exhibitions = []
    for year in years:
        first = to_gregorian(year, 1, 1)
        for k in range(200):
            starts = first + dt.timedelta(days=k * 18 // 10)
            foreign = k % 4 == 0
            exhibitions.append([now, now, 1, f"نمایشگاه بنچ {year}-{k}",
                                "foreign" if foreign else "domestic",
                                "استانبول" if foreign else "تهران", "TR" if foreign else "IR",
                                starts, starts + dt.timedelta(days=4), "",
                                provinces[k % len(provinces)], False])  # fmt: skip
    insert_rows(Exhibition, ["created_at", "updated_at", "version", "name", "reach", "city",
                             "country", "starts_on", "ends_on", "organiser", "province_id",
                             "is_demo"], exhibitions)  # fmt: skip
    table = {m: ops.quote_name(m._meta.db_table) for m in
             (Exhibition, ExhibitionSupport, ServiceRecord)}  # fmt: skip
    through = ops.quote_name(ServiceRecord.units.through._meta.db_table)
    kinds = list(ServiceKind.objects.order_by("pk").values_list("pk", flat=True))
    at = now if postgres else ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        for name in ("bench_exh", "bench_kind", "bench_year"):
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute("CREATE TEMPORARY TABLE bench_exh (year integer, k integer, "
                       "exhibition_id integer, starts date)")  # fmt: skip
        rows = Exhibition.objects.filter(name__startswith="نمایشگاه بنچ").order_by("pk")
        cursor.executemany(
            "INSERT INTO bench_exh VALUES (%s, %s, %s, %s)",
            [(years[i // 200], i % 200, pk, day(starts))
             for i, (pk, starts) in enumerate(rows.values_list("pk", "starts_on"))],
        )  # fmt: skip
        cursor.execute("CREATE TEMPORARY TABLE bench_kind (k integer, kind_id integer)")
        cursor.executemany("INSERT INTO bench_kind VALUES (%s, %s)", list(enumerate(kinds)))
        cursor.execute("CREATE TEMPORARY TABLE bench_year (year integer, first date)")
        cursor.executemany("INSERT INTO bench_year VALUES (%s, %s)",
                           [(y, day(to_gregorian(y, 1, 1))) for y in years])  # fmt: skip
        pick = "((u.id * 2246822519 + y.year * 3266489917) %% 1000)"
        other = "((u.id * 3266489917 + y.year * 2246822519) %% 1000)"
        cursor.execute(
            f"""
            INSERT INTO {table[ExhibitionSupport]} (created_at, updated_at, version,
                exhibition_id, unit_id, kind, booth_area_m2, subsidy_rial, on, is_demo)
            SELECT %s, %s, 1, e.exhibition_id, u.id,
                CASE WHEN {other} %% 3 = 0 THEN 'booth' WHEN {other} %% 3 = 1
                     THEN 'attendance' ELSE 'group_pavilion' END,
                CASE WHEN {other} %% 3 = 0 THEN 12 + {other} %% 40 END,
                (10 + {other} %% 90) * 10000000, e.starts, %s
            FROM units_unit u CROSS JOIN bench_year y
            JOIN bench_exh e ON e.year = y.year AND e.k = {other} %% 200
            WHERE {pick} < 100
            """.replace(" on, ", f" {ops.quote_name('on')}, "),
            [at, at, False],
        )
        supports = cursor.rowcount
        # One unit a record; the unit's id rides in the description until it is linked.
        cursor.execute(
            f"""
            INSERT INTO {table[ServiceRecord]} (created_at, updated_at, version, kind_id, on,
                province_id, provider, cost_rial, park_id, team, description, is_demo)
            SELECT %s, %s, 1, k.kind_id, e.starts, c.province_id, 'مشاور بنچ',
                (5 + {other} %% 50) * 10000000, u.park_id, '', CAST(u.id AS varchar(20)), %s
            FROM units_unit u JOIN places_county c ON c.id = u.county_id
            CROSS JOIN bench_year y
            JOIN bench_exh e ON e.year = y.year AND e.k = {other} %% 200
            JOIN bench_kind k ON k.k = {other} %% {len(kinds)}
            WHERE {pick} >= 100 AND {pick} < 150
            """.replace(" on,\n", f" {ops.quote_name('on')},\n"),
            [at, at, False],
        )
        services = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {through} (servicerecord_id, unit_id) "
            f"SELECT id, CAST(description AS integer) FROM {table[ServiceRecord]} "
            "WHERE provider = 'مشاور بنچ'"
        )
        cursor.execute(f"UPDATE {table[ServiceRecord]} SET description = '' "
                       "WHERE provider = 'مشاور بنچ'")  # fmt: skip
        for name in ("bench_exh", "bench_kind", "bench_year"):
            cursor.execute(f"DROP TABLE {name}")
    return {"exhibitions": len(exhibitions), "exhibition supports": supports,
            "service records": services}  # fmt: skip
