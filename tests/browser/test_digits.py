"""Charts read like the rest of the page: Persian digits on their axes and in their tooltips,
numbers grouped (۱٬۲۳۴٫۵), in the Persian UI."""

import re
from decimal import Decimal

import pytest

from tests.browser import sign_in, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASCII_DIGIT = re.compile(r"[0-9]")
CHART_DRAWN = (
    "id => { const c = document.getElementById(id);"
    " return !!(c && window.Chart && Chart.getChart(c) && c.width > 0); }"
)
TICKS = (
    "([id, axis]) => Chart.getChart(document.getElementById(id)).scales[axis].ticks"
    ".map(t => String(t.label))"
)
TOOLTIP = (
    "([id, value]) => { const chart = Chart.getChart(document.getElementById(id));"
    " const calls = chart.options.plugins.tooltip.callbacks;"
    " return [calls.title([{label: chart.data.labels[0]}]),"
    "         calls.label({dataset: {label: 'x'}, parsed: {y: value}})]; }"
)


def test_chart_axes_and_tooltips_read_with_persian_digits(page, live_server, people):
    from shahrak.core.jalali import parse_jalali_date as jd
    from shahrak.parks import services as parks
    from shahrak.units import services
    from tests.harness import sample_park

    manager = people["bushehr-manager"]
    park = sample_park("bushehr")
    unit = services.unit_create(
        actor=manager, county=park.county, park=park, name="واحد 1", isic_code="1030",
        products="خرما", sector="food_dates", employees=20, status="operational",
        status_on=jd("1399/05/01"),
    )  # fmt: skip
    services.export_add(actor=manager, unit=unit, on=jd("1400/08/01"), destination="RU",
                        product="خرما", value_usd=Decimal(1_250_000))  # fmt: skip
    project = parks.project_create(actor=manager, park=park, title="آسفالت 2", kind="asphalt_roads")
    for on, pct in (("1400/06/01", 30), ("1401/02/01", 75)):
        parks.progress_report_add(actor=manager, project=project, on=jd(on), progress_pct=pct)
    errors, _hosts = watch(page)
    sign_in(page, live_server.url, "bushehr-manager")

    page.goto(f"{live_server.url}/reports/?province=bushehr&period=1400", wait_until="networkidle")
    page.wait_for_function(CHART_DRAWN, arg="trend-chart", timeout=10_000)
    for axis in ("x", "units", "usd"):
        labels = page.evaluate(TICKS, ["trend-chart", axis])
        assert labels and not [label for label in labels if ASCII_DIGIT.search(label)], labels
    assert "۱۴۰۰" in page.evaluate(TICKS, ["trend-chart", "x"])
    title, label = page.evaluate(TOOLTIP, ["trend-chart", 1234.5])
    # The trend begins at the first year with records: the unit opened on 1399/05/01.
    assert title == "۱۳۹۹" and label == "x: ۱٬۲۳۴٫۵"

    page.goto(f"{live_server.url}/parks/projects/{project.pk}/", wait_until="networkidle")
    page.wait_for_function(CHART_DRAWN, arg="progress-chart", timeout=10_000)
    dates = page.evaluate(TICKS, ["progress-chart", "x"])
    assert dates == ["۱۴۰۰/۰۶/۰۱", "۱۴۰۱/۰۲/۰۱"]
    percents = page.evaluate(TICKS, ["progress-chart", "y"])
    assert "۱۰۰٪" in percents and not [p for p in percents if ASCII_DIGIT.search(p)]
    assert page.title().startswith("\u2068آسفالت ۲\u2069 ·")  # the name isolated
    assert errors == []
