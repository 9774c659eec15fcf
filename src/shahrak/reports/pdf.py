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

    return HTML(string=report_pdf_html(report, trend)).write_pdf()


# The yearly chart: bars in millimetres from one baseline (a table row whose cells align
# their bars to the bottom), since WeasyPrint resolves no percentage height in a flex box.
CHART_MM = 36


def trend_bars(trend: dict | None) -> list[dict]:
    """Units in operation by year as bars: height (mm) against the largest, the year and,
    for a year not over, the date it is counted to (a partial bar)."""
    if not trend:
        return []
    top = max(trend["units_operational"] or [0]) or 1
    bars = []
    for label, value, partial in zip(
        trend["labels"], trend["units_operational"], trend["partial"], strict=True
    ):
        year, until = (label, "") if isinstance(label, str) else label
        bars.append(
            {"year": year, "until": until, "partial": partial,
             "value": format_value(value, "count"), "height_mm": round(CHART_MM * value / top, 1)}
        )  # fmt: skip
    return bars


def report_pdf_html(report: dict, trend: dict | None = None) -> str:
    """The report as the HTML the PDF is printed from."""
    figures = figure_rows(report)
    breakdowns = [
        {"title": report["metrics"][key]["label_fa"],
         "rows": breakdown_rows(report, key, limit=BREAKDOWN_ROWS)}
        for key in PDF_BREAKDOWNS
    ]  # fmt: skip
    return render_to_string(
        "reports/report_pdf.html",
        {
            "report": report,
            "figures": figures,
            "breakdowns": breakdowns,
            "bars": trend_bars(trend),
            "trend_note": (trend or {}).get("note", ""),
            "chart_mm": CHART_MM,
            "issued": timezone.localdate(),
            "font_regular": _font_url("Regular"),
            "font_bold": _font_url("Bold"),
        },
    )
