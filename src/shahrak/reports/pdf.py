"""The report as an A4 PDF (WeasyPrint): Persian, right to left, Vazirmatn embedded, the
province, the period, the date of issue, the figures and bar charts drawn in HTML (Persian
text inside SVG renders unjoined in WeasyPrint, so no SVG)."""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from .formatting import breakdown_rows, figure_rows, format_value

PDF_BREAKDOWNS = (
    "exports.usd_by_destination", "units.operational_by_sector", "units.operational_by_park",
)  # fmt: skip
BREAKDOWN_ROWS = 12  # a page holds the largest; the workbook has them all


def _font_url(weight: str) -> str:
    path = finders.find(f"vendor/vazirmatn/fonts/ttf/Vazirmatn-{weight}.ttf")
    return Path(path).as_uri() if path else ""


def report_pdf(report: dict, trend: dict | None = None) -> bytes:
    from weasyprint import HTML

    figures = figure_rows(report)
    breakdowns = [
        {"title": report["metrics"][key]["label_fa"],
         "rows": breakdown_rows(report, key, limit=BREAKDOWN_ROWS)}
        for key in PDF_BREAKDOWNS
    ]  # fmt: skip
    bars = []
    if trend:
        top = max(trend["units_operational"] or [0]) or 1
        bars = [
            {"year": year, "value": format_value(value, "count"),
             "height": round(100 * value / top, 1)}
            for year, value in zip(trend["years"], trend["units_operational"], strict=True)
        ]  # fmt: skip
    html = render_to_string(
        "reports/report_pdf.html",
        {
            "report": report,
            "figures": figures,
            "breakdowns": breakdowns,
            "bars": bars,
            "issued": timezone.localdate(),
            "font_regular": _font_url("Regular"),
            "font_bold": _font_url("Bold"),
        },
    )
    return HTML(string=html).write_pdf()
