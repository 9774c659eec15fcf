"""The dashboard in a real browser: the trend chart draws from the app's own Chart.js, the
breakdowns are drawn, and a figure leads to the records behind it."""

from decimal import Decimal
from urllib.parse import urlparse

import pytest

from tests.browser import sign_in, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_draws_and_leads_to_the_records(page, live_server, people):
    from shahrak.core.jalali import parse_jalali_date as jd
    from shahrak.units import services
    from tests.harness import sample_park

    manager = people["bushehr-manager"]
    park = sample_park("bushehr")
    for number, sector in enumerate(["food_dates", "food_dates", "food_aquatic"]):
        unit = services.unit_create(
            actor=manager, county=park.county, park=park, name=f"واحد {number}",
            isic_code="1030", products="خرما", sector=sector, employees=20 + number,
            status="operational", status_on=jd("1399/05/01"),
        )  # fmt: skip
        services.export_add(actor=manager, unit=unit, on=jd("1400/08/01"), destination="RU",
                            product="خرما", value_usd=Decimal(250_000))  # fmt: skip
    errors, hosts = watch(page)
    sign_in(page, live_server.url, "bushehr-manager")
    page.goto(f"{live_server.url}/reports/?province=bushehr&period=1400", wait_until="networkidle")
    # The trend arrives after the figures (htmx) and is drawn then.
    page.wait_for_function(
        "() => { const c = document.getElementById('trend-chart');"
        " return !!(c && window.Chart && Chart.getChart(c) && c.width > 0); }",
        timeout=10_000,
    )
    assert errors == [] and hosts == {urlparse(live_server.url).netloc}
    page.get_by_text("شش‌ماهه").click()  # the same chart by half-year, swapped in by htmx
    page.wait_for_function(
        "() => { const c = document.getElementById('trend-chart');"
        " const chart = c && Chart.getChart(c); return !!chart && chart.data.labels.length > 12; }",
        timeout=10_000,
    )
    bars = page.locator("table.bars .bar")
    assert bars.count() == 4  # two sectors, one park, one destination
    assert "روسیه" in page.locator("table.bars").first.inner_text()
    assert page.locator(".figure h2").first.inner_text() == "واحدهای در حال بهره‌برداری"
    page.locator(".figure .value a").first.click()
    page.wait_for_load_state("networkidle")
    assert "/units/" in page.url and "operational_on=2022-03-20" in page.url
    assert page.locator("table tbody tr").count() == 3
