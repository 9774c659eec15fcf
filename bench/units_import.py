"""Benchmark: importing units from XLSX, and the unit list, at national scale.

Usage: python bench/units_import.py [--rows 100000] [--db sqlite|postgres]
"""

import argparse
import datetime as dt
import io
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "src")]


def setup_django(db: str, data: str | None = None):
    """Django on a throwaway database (SQLite: in `data`, a new temporary folder if None)."""
    data = data or tempfile.mkdtemp(prefix="shahrak-bench-")
    os.environ.update(
        SHAHRAK_DATA_DIR=data,
        SHAHRAK_ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="tests.settings",  # plain static storage, fast hashing
    )
    server = None
    if db == "postgres":
        from tests.pg_server import PostgresServer

        server = PostgresServer().start()
        os.environ["SHAHRAK_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{server.port}/postgres"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # responses carry their template context
    call_command("migrate", verbosity=0)
    return server


def step(label):
    print(f"… {label}", file=sys.stderr, flush=True)


def make_parks(count: int):
    from decimal import Decimal

    from shahrak.parks.models import Park
    from shahrak.places.models import County, Province

    counties = {}
    for province in Province.objects.all():
        county = province.counties.first() or County.objects.create(
            province=province, code=province.code, name_fa=province.name_fa,
            name_en=province.name_en, latitude=province.latitude, longitude=province.longitude,
        )  # fmt: skip
        counties[province.pk] = county
    parks = []
    provinces = list(counties.values())
    for index in range(count):
        county = provinces[index % len(provinces)]
        parks.append(Park(name=f"شهرک بنچ {index}", kind="industrial_park", county=county,
                          latitude=county.latitude, longitude=county.longitude,
                          gross_area_ha=Decimal(100), industrial_area_ha=Decimal(60),
                          search_text=f"شهرک بنچ {index}"))  # fmt: skip
    Park.objects.bulk_create(parks)
    return list(Park.objects.select_related("county__province"))


def make_file(rows: int, parks) -> bytes:
    from openpyxl import Workbook

    from shahrak.units.demo import _legal_id
    from shahrak.units.spreadsheet import UNIT_COLUMNS

    rng = random.Random(1401)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("واحدها")
    sheet.append([c.header_fa for c in UNIT_COLUMNS])
    sectors = ["غذایی: فرآوری و بسته‌بندی خرما", "کاشی، سرامیک و مصالح ساختمانی",
               "نساجی: زیلو و دستباف", "فلزی و محصولات فلزی"]  # fmt: skip
    for index in range(rows):
        park = parks[index % len(parks)]
        sheet.append([
            f"واحد بنچ {index} {rng.choice(['خرما', 'کاشی', 'زیلو', 'فولاد'])}",
            _legal_id(30_000_000 + index), str(index), "مدیر", "", "",
            park.county.province.name_fa, park.county.name_fa, park.name, "", None, None,
            "1030", "محصول نمونه", rng.choice(sectors), rng.randint(1, 300), "", "", "",
            "در حال بهره‌برداری", "1400/01/01", "",
        ])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def floor(content: bytes) -> float:
    """The cost no import can beat: read the file fastest, write its rows in one executemany."""
    from django.db import connection
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    values = [tuple(str(v) for v in row[:15]) for row in rows[1:]]
    with connection.cursor() as cursor:
        columns = ", ".join(f"c{i} text" for i in range(15))
        cursor.execute(f"CREATE TABLE bench_floor ({columns})")
        marks = ", ".join(["%s"] * 15)
        cursor.executemany(f"INSERT INTO bench_floor VALUES ({marks})", values)
        cursor.execute("DROP TABLE bench_floor")
    return time.perf_counter() - started


def list_median(client, query, requests: int = 20):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(requests):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/units/", query)
        assert response.status_code == 200
        times.append(time.perf_counter() - started)
    return statistics.median(times), response.context["page"].paginator.count, len(queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    server = setup_django(args.db)
    try:
        from django.contrib.auth import get_user_model
        from django.test import Client

        from shahrak.units.imports import import_units
        from shahrak.units.models import Unit

        admin = get_user_model().objects.create_superuser("bench", password="bench-password-1")
        step("1,000 parks")
        parks = make_parks(1000)
        step(f"writing an XLSX of {args.rows:,} units")
        content = make_file(args.rows, parks)
        step("floor: calamine read + one executemany")
        floor_s = floor(content)
        step("import (validate + write)")
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        report = import_units(content, "bench.xlsx", actor=admin, apply=True)
        import_s = time.perf_counter() - started
        peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        assert report.ok and report.created == args.rows, report.problems[:5]
        assert Unit.objects.count() == args.rows
        step("unit list: 3 filters + search")
        client = Client()
        client.force_login(admin)
        query = {"q": "خرما", "county": parks[0].county_id, "status": "operational",
                 "sector": "food_dates"}  # fmt: skip
        median_s, matched, query_count = list_median(client, query)
        step("unit list: no filter, first and 1,000th page (the order by name, naturally)")
        whole_s, _count, _queries = list_median(client, {})
        deep_s, _count, _queries = list_median(client, {"page": 1000})
        rate = args.rows / import_s
        line = (
            f"| {dt.date.today()} | {args.db} | {args.rows:,} rows, {len(content) / 1e6:.1f} MB "
            f"| floor {floor_s:.1f} s | import {import_s:.1f} s = {rate:,.0f} rows/s "
            f"| peak RSS {peak_rss / 1024:.0f} MB (before import {rss_before / 1024:.0f} MB) "
            f"| list median {median_s * 1000:.0f} ms over {args.rows:,} units "
            f"({matched:,} match, {query_count} SQL queries); no filter: first page "
            f"{whole_s * 1000:.0f} ms, 1,000th page {deep_s * 1000:.0f} ms |"
        )
        print(line)
        with (REPO / "bench" / "results.md").open("a", encoding="utf-8") as results:
            results.write(line + "\n")
    finally:
        if server:
            from django.db import connections

            connections.close_all()
            server.stop()


if __name__ == "__main__":
    main()
