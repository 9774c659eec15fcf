"""Benchmark: the dashboard page and its PDF on the demo data, for a province and the nation.

Usage: python bench/reports_demo.py [--db sqlite|postgres] [--runs 5] [--period 1401]

Loads `shahrak demo` into a throwaway database, then times, as the demo's people ask them,
- the floors: `build_report` alone (the figures' queries, which the page and the PDF both
  need) and WeasyPrint writing one A4 page of Persian text in Vazirmatn (the PDF engine);
- the dashboard page (`/reports/?period=…`, its trend loaded apart: `/reports/trend/?…`);
- the PDF (`/reports/?period=…&export=pdf`: report, yearly trend, HTML, WeasyPrint);
for Bushehr as its manager and for the nation as headquarters: median of N, with the number
of SQL queries. Appends a line per scope to `results-reports.md`.
"""

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent)]

import units_import as base  # noqa: E402


def median_ms(run, runs: int) -> tuple[float, int]:
    """Median milliseconds of `run()` over `runs` calls, and the SQL queries of the last."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            run()
            times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, len(queries)


def get(client, url, content_type="text/html"):
    def run():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert response["Content-Type"].startswith(content_type), response["Content-Type"]
        return response

    return run


def pdf_floor():
    """WeasyPrint's own cost: one A4 page of Persian text in Vazirmatn, no figures."""
    from weasyprint import HTML

    from shahrak.reports.pdf import _font_url

    html = (
        '<html lang="fa" dir="rtl"><head><style>@font-face {font-family: Vazirmatn; '
        f'src: url("{_font_url("Regular")}")}} body {{font-family: Vazirmatn}}</style></head>'
        "<body>" + "<p>واحدهای در حال بهره‌برداری در شهرک‌ها و نواحی صنعتی استان</p>" * 30
        + "</body></html>"
    )  # fmt: skip
    return lambda: HTML(string=html).write_pdf()


def data_size() -> str:
    from shahrak.parks.models import InfrastructureProject, Park
    from shahrak.units.models import ExportRecord, Unit, UnitStatusEvent

    counts = [
        (Unit._base_manager.count(), "units"),
        (UnitStatusEvent._base_manager.count(), "status events"),
        (ExportRecord._base_manager.count(), "exports"),
        (Park._base_manager.count(), "parks"),
        (InfrastructureProject._base_manager.count(), "projects"),
    ]
    return "demo: " + ", ".join(f"{count:,} {what}" for count, what in counts)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--period", default="1401")
    args = parser.parse_args()
    server = base.setup_django(args.db)
    try:
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.test import Client

        from shahrak.core.jalali import JalaliPeriod
        from shahrak.reports.services import build_report, resolve_scope

        base.step("the demo data")
        call_command("demo", verbosity=0)
        size = data_size()
        period = JalaliPeriod.parse(args.period)
        engine_ms, _ = median_ms(pdf_floor(), args.runs)
        lines = []
        for label, username in (("Bushehr", "bushehr-manager"), ("nation", "hq")):
            base.step(f"{label} as {username}")
            user = get_user_model().objects.get(username=username)

            def report(user=user):
                scope, described = resolve_scope(user)
                build_report(user, scope=scope, scope_description=described, period=period)

            client = Client()
            client.force_login(user)
            query = f"period={args.period}"
            get(client, f"/reports/?{query}")()  # warm: templates, fonts, first queries
            report_ms, report_q = median_ms(report, args.runs)
            page_ms, page_q = median_ms(get(client, f"/reports/?{query}"), args.runs)
            trend_ms, trend_q = median_ms(get(client, f"/reports/trend/?{query}"), args.runs)
            pdf = get(client, f"/reports/?{query}&export=pdf", "application/pdf")
            pdf_ms, pdf_q = median_ms(pdf, args.runs)
            lines.append(
                f"| {dt.date.today()} | {args.db} | {size} | {label} ({username}), "
                f"{args.period} | floor: report {report_ms:.0f} ms / {report_q} q, "
                f"WeasyPrint page {engine_ms:.0f} ms | page {page_ms:.0f} ms / {page_q} q "
                f"| trend {trend_ms:.0f} ms / {trend_q} q | PDF {pdf_ms:.0f} ms / {pdf_q} q |"
            )
        print("\n".join(lines))
        with (base.REPO / "bench" / "results-reports.md").open("a", encoding="utf-8") as results:
            results.write("\n".join(lines) + "\n")
    finally:
        if server:
            from django.db import connections

            connections.close_all()
            server.stop()


if __name__ == "__main__":
    main()
