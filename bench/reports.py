"""Benchmark: all report metrics for a province and for the nation, at national scale.

Usage: python bench/reports.py [--rows 100000] [--db sqlite|postgres]

Builds 1,000 parks and N units (through the real import), then gives 30 % of the units a
history (idle, then restarted a year later) and every unit three years of exports; then
times `build_report` (every metric with last year's, the year to date and the total since
the start) for one province and for the nation, and then the whole dashboard page of each.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent)]

import units_import as base  # noqa: E402


def add_history(rng):
    """30 % of the units go idle and restart a year later; every unit exports for 3 years."""
    from django.utils import timezone

    from shahrak.core.bulk import insert_rows
    from shahrak.units import tally
    from shahrak.units.models import ExportRecord, Unit, UnitStatusEvent, UnitStatusInterval

    now = timezone.now()
    idle, restart, forever = dt.date(2022, 5, 1), dt.date(2023, 5, 1), dt.date(9999, 12, 31)
    units = list(
        Unit.objects.values_list("pk", "county__province_id", "county_id", "park_id", "sector")
    )
    chosen = [unit for unit in units if rng.random() < 0.3]
    event_fields = [
        "created_at",
        "updated_at",
        "version",
        "unit_id",
        "status",
        "on",
        "reason",
        "note",
    ]
    events = []
    for pk, *_ in chosen:
        events.append([now, now, 1, pk, "idle", idle, "market", ""])
        events.append([now, now, 1, pk, "restarted", restart, "", ""])
    insert_rows(UnitStatusEvent, event_fields, events)
    ids = [pk for pk, *_ in chosen]
    for start in range(0, len(ids), 5000):
        UnitStatusInterval.objects.filter(unit_id__in=ids[start : start + 5000]).update(
            valid_to=idle
        )
    interval_fields = ["unit_id", "province_id", "county_id", "park_id", "sector", "status",
                       "valid_from", "valid_to"]  # fmt: skip
    intervals = []
    for pk, province, county, park, sector in chosen:
        intervals.append([pk, province, county, park, sector, "idle", idle, restart])
        intervals.append([pk, province, county, park, sector, "restarted", restart, forever])
    insert_rows(UnitStatusInterval, interval_fields, intervals)
    export_fields = ["created_at", "updated_at", "version", "unit_id", "on", "destination",
                     "product", "value_usd"]  # fmt: skip
    exports = (
        [now, now, 1, pk, dt.date(year, 3, 1), rng.choice(["RU", "CN", "AE", "IQ"]), "محصول",
         rng.randint(1000, 90000)]
        for pk, *_ in units
        for year in (2021, 2022, 2023)
    )  # fmt: skip
    insert_rows(ExportRecord, export_fields, exports)
    tally.rebuild()  # the exports' sums by month (written past the services that keep them)
    return {pk for pk, *_ in chosen}


def timed(user, province, period, runs=5):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shahrak.reports.services import build_report, resolve_scope

    times, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            scope, described = resolve_scope(user, province=province)
            build_report(user, scope=scope, scope_description=described, period=period)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    # On a shared machine the wall time carries other people's work: the process's own CPU
    # time (SQLite runs inside it; PostgreSQL does not) is given beside it.
    timed.cpu = statistics.median(cpu)
    return statistics.median(times), len(queries)


def per_metric(user, province, period):
    """Each metric's share of the report, as the report asks it (four periods for flows)."""
    from shahrak.core.jalali import JalaliPeriod
    from shahrak.reports.registry import metrics
    from shahrak.reports.services import RECORDS_BEGIN, resolve_scope

    scope, _ = resolve_scope(user, province=province)
    flows = [JalaliPeriod.year_to(period.end), JalaliPeriod(RECORDS_BEGIN, period.last)]
    for key, metric in metrics().items():
        periods = [period, period.same_period_last_year()]
        started, cpu = time.perf_counter(), time.process_time()
        metric.values(user, scope, periods + (flows if metric.kind == "flow" else []))
        elapsed = (time.perf_counter() - started) * 1000
        cpu = (time.process_time() - cpu) * 1000
        print(f"  {province or 'nation'} {key:34} {elapsed:7.1f} ms (CPU {cpu:7.1f} ms)",
              file=sys.stderr)  # fmt: skip


def timed_page(user, url, runs=5):
    """The whole dashboard page (report, yearly trend, provinces side by side, HTML)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        times.append(time.perf_counter() - started)
    return statistics.median(times), len(queries)


def build(args, admin, parks):
    """The benchmark's data: units, their history and exports, revival, support."""
    import revival_data
    from shahrak.units.imports import import_units

    base.step("1,000 parks and the units")
    report = import_units(base.make_file(args.rows, parks), "bench.xlsx", actor=admin, apply=True)
    assert report.ok, report.problems[:3]
    sizes = {}
    if args.revival:
        revival_data.move_start_back()
    base.step("history and exports")
    history = add_history(random.Random(1401))
    sizes["history"] = len(history)
    if args.revival:
        base.step("revival: cases and monthly reports")
        started = time.perf_counter()
        sizes.update(revival_data.add_revival(random.Random(12), admin, history))
        print(f"  revival data written in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if args.support:
        import support_data

        base.step("support: programs, applications, payments")
        started = time.perf_counter()
        sizes.update(support_data.add_support(random.Random(13), admin))
        print(f"  support data written in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return sizes


def describe(args, sizes) -> str:
    text = f"{args.rows:,} units ({sizes['history']:,} with history), 1,000 parks, " \
        f"{args.rows * 3:,} exports"  # fmt: skip
    if "cases" in sizes:
        text += (f", {sizes['cases']:,} revival cases ({sizes['diagnoses']:,} diagnosed, "
                 f"{sizes['plans']:,} plans, {sizes['actions']:,} actions), "
                 f"{sizes['reports']:,} monthly reports")  # fmt: skip
    if "applications" in sizes:
        text += ", " + ", ".join(f"{sizes[k]:,} {k}" for k in sizes
                                 if k.startswith("support ") or k in SUPPORT_KEYS)  # fmt: skip
    return text


SUPPORT_KEYS = ("programs", "budgets", "applications", "steps", "payments", "exhibitions",
                "exhibition supports", "service records")  # fmt: skip


def main():
    import json

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--per-metric", action="store_true", help="time each metric too")
    parser.add_argument("--no-revival", dest="revival", action="store_false",
                        help="without the revival cases and monthly reports")  # fmt: skip
    parser.add_argument("--no-support", dest="support", action="store_false",
                        help="without the support programs' data")  # fmt: skip
    parser.add_argument("--no-pages", dest="pages", action="store_false")
    parser.add_argument("--keep", metavar="DIR", help="SQLite only: build the data in DIR once "
                        "and reuse it on later runs (migrations still apply)")  # fmt: skip
    parser.add_argument("--build-only", action="store_true", help="with --keep: build, no timing")
    parser.add_argument("--note", default="", help="a word on the line written (what changed)")
    args = parser.parse_args()
    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
    server = base.setup_django(args.db, args.keep)
    try:
        from django.contrib.auth import get_user_model

        from shahrak.core.jalali import JalaliPeriod
        from shahrak.parks.models import Park

        built = Path(args.keep, "built.json") if args.keep else None
        if built and built.exists():
            admin = get_user_model().objects.get(username="bench")
            parks = list(Park.objects.select_related("county__province").order_by("pk"))
            sizes = json.loads(built.read_text())
        else:
            admin = get_user_model().objects.create_superuser("bench", password="bench-password-1")
            parks = base.make_parks(1000)
            sizes = build(args, admin, parks)
            if built:
                built.write_text(json.dumps(sizes))
        if args.build_only:
            return
        period = JalaliPeriod.parse("1401")
        base.step("reports")
        province = parks[0].county.province.code
        province_s, province_q = timed(admin, province, period)
        province_cpu = timed.cpu
        nation_s, nation_q = timed(admin, None, period)
        nation_cpu = timed.cpu
        if args.per_metric:
            per_metric(admin, province, period)
            per_metric(admin, None, period)
        line = (
            f"| {dt.date.today()} | {args.db} | {describe(args, sizes)} "
            f"| province {province_s * 1000:.0f} ms (CPU {province_cpu * 1000:.0f} ms), "
            f"{province_q} queries "
            f"| nation {nation_s * 1000:.0f} ms (CPU {nation_cpu * 1000:.0f} ms), "
            f"{nation_q} queries, load {os.getloadavg()[0]:.1f} "
        )
        if args.pages:
            base.step("dashboard pages")
            page_s, page_q = timed_page(admin, f"/reports/?province={province}&period=1401")
            national_s, national_q = timed_page(admin, "/reports/?period=1401")
            trend_s, trend_q = timed_page(admin, f"/reports/trend/?province={province}")
            national_trend_s, national_trend_q = timed_page(admin, "/reports/trend/")
            line += (
                f"| province {page_s * 1000:.0f} ms / {page_q} queries, "
                f"nation {national_s * 1000:.0f} ms / {national_q} queries "
                f"| province {trend_s * 1000:.0f} ms / "
                f"{trend_q} queries, nation {national_trend_s * 1000:.0f} ms / "
                f"{national_trend_q} queries "
            )
        line += f"| {args.note} |" if args.note else "|"
        print(line)
        with (base.REPO / "bench" / "results-reports.md").open("a", encoding="utf-8") as results:
            results.write(line + "\n")
    finally:
        if server:
            from django.db import connections

            connections.close_all()
            server.stop()


if __name__ == "__main__":
    main()
