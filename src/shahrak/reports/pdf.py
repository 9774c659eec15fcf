"""The report as an A4 PDF (WeasyPrint): Persian, right to left, Vazirmatn embedded, the
province, the period, the date of issue, the figures and bar charts drawn in HTML (Persian
text inside SVG renders unjoined in WeasyPrint, so no SVG)."""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from shahrak.units.countries import country_name

from .formatting import format_change, format_value


def _font_url(weight: str) -> str:
    path = finders.find(f"vendor/vazirmatn/fonts/ttf/Vazirmatn-{weight}.ttf")
    return Path(path).as_uri() if path else ""


def report_pdf(report: dict, trend: dict | None = None) -> bytes:
    from weasyprint import HTML

    figures = [
        {
            **item,
            "shown": format_value(item["value"], item["unit"]),
            "previous_shown": format_value(item["previous"], item["unit"]),
            "change": format_change(item["change_pct"]),
        }
        for item in report["metrics"].values()
        if not isinstance(item["value"], dict)
    ]
    by_destination = report["metrics"]["exports.usd_by_destination"]["value"]
    largest = max(by_destination.values(), default=0) or 1
    destinations = [
        {"name": country_name(code), "shown": format_value(value, "usd"),
         "width": round(100 * float(value) / float(largest), 1)}
        for code, value in by_destination.items() if value
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
            "destinations": destinations,
            "bars": bars,
            "issued": timezone.localdate(),
            "font_regular": _font_url("Regular"),
            "font_bold": _font_url("Bold"),
        },
    )
    return HTML(string=html).write_pdf()
