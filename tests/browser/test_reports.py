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
    page.wait_for_function(  # from the first half with units (1399) to the end of 1400
        "() => { const c = document.getElementById('trend-chart');"
        " const chart = c && Chart.getChart(c); return !!chart &&"
        " chart.data.labels.join() == '1399-1,1399-2,1400-1,1400-2'; }",
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


# The on-screen left edge of the first occurrence of `text` inside the element `selector`.
LEFT_OF = """([selector, text]) => {
  const root = document.querySelector(selector);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(text);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + text.length);
    return range.getBoundingClientRect().left;
  }
  return null;
}"""


def test_dashboard_in_english_reads_left_to_right(page, live_server, people):
    from shahrak.core.jalali import parse_jalali_date as jd
    from shahrak.reports.formatting import LEADING
    from shahrak.reports.registry import metrics
    from shahrak.units import services
    from tests.harness import sample_park

    manager = people["bushehr-manager"]
    park = sample_park("bushehr")
    unit = services.unit_create(
        actor=manager, county=park.county, park=park, name="واحد نمونه", isic_code="1030",
        products="خرما", sector="food_dates", employees=20, status="operational",
        status_on=jd("1399/05/01"),
    )  # fmt: skip
    services.export_add(actor=manager, unit=unit, on=jd("1400/08/01"), destination="RU",
                        product="خرما", value_usd=Decimal(70_400_000))  # fmt: skip
    errors, _hosts = watch(page)
    sign_in(page, live_server.url, "bushehr-manager")
    page.get_by_role("button", name="English").click()  # the language switch in the top bar
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/reports/?province=bushehr&period=1400", wait_until="networkidle")
    assert page.locator("html").get_attribute("dir") == "ltr"
    registry = metrics()
    titles = page.locator(".figure h2").all_inner_texts()
    assert titles[: len(LEADING)] == [registry[key].label_en for key in LEADING]
    exports = page.locator(".figure", has_text=registry["exports.usd"].label_en)
    assert exports.locator(".value").inner_text() == "70.4 million USD"
    # On screen the number comes first, then its unit (not «million USD 70.4»).
    exports.locator(".value").evaluate("e => e.id = 'exports-value'")
    number = page.evaluate(LEFT_OF, ["#exports-value", "70.4"])
    word = page.evaluate(LEFT_OF, ["#exports-value", "USD"])
    assert number < word
    assert "first half of" in page.locator("span.quick").inner_text()  # the quick periods
    assert "Russia" in page.locator("table.bars").first.inner_text()  # exports by destination
    assert errors == []


def test_province_iso_code_keeps_its_order_on_screen(page, live_server, people):
    sign_in(page, live_server.url, "bushehr-manager")
    page.goto(f"{live_server.url}/places/bushehr/", wait_until="networkidle")
    at = {text: page.evaluate(LEFT_OF, [".iso-code", text]) for text in
          ("کد", "ISO", "استان", ":", "IR-18")}  # fmt: skip
    # Right to left: «کد», «ISO 3166-2», «استان», the colon, and the code leftmost.
    assert at["IR-18"] < at[":"] < at["استان"] < at["ISO"] < at["کد"]


def test_the_trend_follows_the_period_and_figures_open_their_own_records(page, live_server, people):
    """This year is drawn to date as partial (hatched bar, dashed line, "(تا امروز)"); last
    year asked, the chart ends with it, whole. The projects-delivered and spending figures
    open the projects of their period, and the list says so."""
    from django.utils import timezone

    from shahrak.core.jalali import jalali_year_of
    from shahrak.core.jalali import parse_jalali_date as jd
    from shahrak.parks import services as parks
    from shahrak.units import services
    from tests.harness import sample_park
    from tests.persian import fa_digits

    manager = people["bushehr-manager"]
    park = sample_park("bushehr")
    this_year = jalali_year_of(timezone.localdate())
    last_year = this_year - 1
    unit = services.unit_create(
        actor=manager, county=park.county, park=park, name="واحد نمونه", isic_code="1030",
        products="خرما", sector="food_dates", employees=20, status="operational",
        status_on=jd(f"{this_year - 3}/01/15"),
    )  # fmt: skip
    services.export_add(actor=manager, unit=unit, on=jd(f"{last_year}/08/01"),
                        destination="RU", product="خرما", value_usd=Decimal(250_000))  # fmt: skip
    for year, title in ((last_year, "پست برق"), (this_year - 3, "شبکهٔ آب")):
        project = parks.project_create(actor=manager, park=park, title=title,
                                       kind="power_substation", capacity=Decimal(20),
                                       capacity_unit="MW")  # fmt: skip
        parks.progress_report_add(actor=manager, project=project, on=jd(f"{year}/03/01"),
                                  progress_pct=Decimal(100),
                                  spent_to_date_rial=4_000_000_000)  # fmt: skip
        parks.project_deliver_temporarily(actor=manager, project=project, on=jd(f"{year}/06/01"))
    errors, hosts = watch(page)
    sign_in(page, live_server.url, "bushehr-manager")
    page.goto(f"{live_server.url}/reports/?province=bushehr", wait_until="networkidle")
    drawn = (
        "() => { const c = document.getElementById('trend-chart'); const chart = c && "
        "window.Chart && Chart.getChart(c); if (!chart) return null; const d = chart.data; "
        "const last = d.labels.length - 1; return {labels: d.labels, "
        "hatched: d.datasets[0].backgroundColor.map(b => b instanceof CanvasPattern), "
        "dashed: d.datasets[1].segment.borderDash({p1DataIndex: last}) || null}; }"
    )
    page.wait_for_function(drawn, timeout=10_000)
    chart = page.evaluate(drawn)
    # The units began three years ago: the chart begins then (not with empty years).
    years = [str(year) for year in range(this_year - 3, this_year + 1)]
    assert chart["labels"] == [*years[:-1], [str(this_year), "(تا امروز)"]]
    assert chart["hatched"] == [False, False, False, True] and chart["dashed"] == [6, 4]
    assert "تا امروز شمرده" in page.locator(".trend-note").inner_text()
    assert errors == [] and hosts == {urlparse(live_server.url).netloc}

    page.get_by_role("link", name=f"سال {fa_digits(last_year)}", exact=True).click()
    page.wait_for_load_state("networkidle")
    page.wait_for_function(drawn, timeout=10_000)
    chart = page.evaluate(drawn)
    assert chart["labels"] == [str(year) for year in range(this_year - 3, this_year)]
    assert not any(chart["hatched"]) and page.locator(".trend-note").count() == 0

    cards = page.locator(".figure")
    delivered = cards.filter(has_text="طرح‌های تحویل‌شده")
    assert delivered.locator(".value").inner_text() == "۱"  # last year's, not both
    delivered.locator(".value a").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("table tbody tr").count() == 1
    assert "پست برق" in page.locator("table tbody").inner_text()
    applied = page.locator(".applied").inner_text()
    assert f"تحویل موقت از: {fa_digits(last_year)}/۰۱/۰۱" in applied
    page.go_back()
    page.wait_for_load_state("networkidle")
    spend = page.locator(".figure").filter(has_text="هزینهٔ طرح‌های زیرساختی")
    shown = spend.locator(".value").inner_text()
    spend.locator(".value a").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("table tbody tr").count() == 1
    assert shown in page.locator(".total").inner_text()
    assert errors == []
