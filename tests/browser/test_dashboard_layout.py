"""The dashboard keeps to its column, and its trend chart draws every label whole, on a
laptop (1366×768) and a phone (390×844), in Persian and in English."""

from decimal import Decimal

import pytest

from tests.browser import sign_in, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOX = (
    "s => { const r = document.querySelector(s).getBoundingClientRect();"
    " return [r.left, r.right]; }"
)
DRAWN = (
    "() => { const c = document.getElementById('trend-chart');"
    " return !!(c && window.Chart && Chart.getChart(c) && c.width > 0); }"
)
# Ink on the canvas's outermost pixels: a label or title cut off by the canvas's edge.
INK_AT_EDGES = """() => {
  const c = document.getElementById('trend-chart');
  const ctx = c.getContext('2d'), w = c.width, h = c.height;
  const inked = (x, y, cw, ch) =>
    ctx.getImageData(x, y, cw, ch).data.some((v, i) => i % 4 == 3 && v > 0);
  return { left: inked(0, 0, 1, h), right: inked(w - 1, 0, 1, h),
           top: inked(0, 0, w, 1), bottom: inked(0, h - 1, w, 1) };
}"""
# How far the x axis's labels reach beyond the canvas's left and right edges (0: not at all).
# A rotated label hangs from its tick by its end; a level one is centred on it.
LABELS_BEYOND = """() => {
  const chart = Chart.getChart(document.getElementById('trend-chart')), scale = chart.scales.x;
  chart.ctx.font = Chart.helpers.toFont(scale.options.ticks.font).string;
  let left = 0, right = 0;
  for (const item of scale._labelItems) {
    const x = item.options.translation[0], angle = Math.abs(item.options.rotation);
    const width = Math.max(...[].concat(item.label).map(line => chart.ctx.measureText(line).width));
    const from = angle ? x - width * Math.cos(angle) : x - width / 2;
    const to = angle ? x : x + width / 2;
    left = Math.max(left, -from);
    right = Math.max(right, to - chart.width);
  }
  return [left, right];
}"""
TICKS = (
    "axis => Chart.getChart(document.getElementById('trend-chart'))"
    ".scales[axis].ticks.map(t => String(t.label))"
)


@pytest.fixture
def exporter(people):
    """A Bushehr unit since 1396 with exports of `value` USD each year (made when asked)."""
    from shahrak.core.jalali import parse_jalali_date as jd
    from shahrak.units import services
    from tests.harness import sample_park

    def make(value=150_000_000):
        manager = people["bushehr-manager"]
        park = sample_park("bushehr")
        unit = services.unit_create(
            actor=manager, county=park.county, park=park, name="واحد صادراتی", isic_code="1030",
            products="خرما", sector="food_dates", employees=20, status="operational",
            status_on=jd("1396/02/01"),
        )  # fmt: skip
        for year in range(1396, 1402):
            services.export_add(actor=manager, unit=unit, on=jd(f"{year}/02/01"), destination="RU",
                                product="خرما", value_usd=Decimal(value))  # fmt: skip
        return unit

    return make


@pytest.mark.parametrize("language", ["fa", "en"])
def test_the_figures_keep_to_the_content_column(page, live_server, exporter, language):
    exporter()
    errors, _hosts = watch(page)
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, live_server.url, "bushehr-manager")
    if language == "en":
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/reports/?period=1401-H1", wait_until="networkidle")
    column = page.evaluate(BOX, "form.filters")
    for selector in (".page-head", "section.figures", ".two-columns"):
        left, right = page.evaluate(BOX, selector)
        assert column[0] - 1 <= left and right <= column[1] + 1, (selector, left, right, column)
    assert errors == []


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_the_trend_draws_its_labels_and_titles_whole(page, live_server, exporter, width, height):
    """The partial year's «(تا ۱۴۰۱/۰۶/۳۱)» is drawn at the left edge of a right-to-left chart;
    the units axis's title is as long as a phone's chart is high."""
    exporter()
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, live_server.url, "bushehr-manager")
    page.goto(f"{live_server.url}/reports/?period=1401-H1", wait_until="networkidle")
    page.wait_for_function(DRAWN, timeout=10_000)
    assert page.evaluate(TICKS, "x")[-1] == "۱۴۰۱,(تا ۱۴۰۱/۰۶/۳۱)"
    assert page.evaluate(LABELS_BEYOND) == [0, 0]
    assert page.evaluate(INK_AT_EDGES) == {"left": False, "right": False, "top": False,
                                           "bottom": False}  # fmt: skip


def test_the_axes_group_thousands_as_the_page_reads(page, live_server, exporter):
    exporter(1_500_000_000)  # past a thousand million USD a year: the axis groups thousands
    sign_in(page, live_server.url, "bushehr-manager")
    page.goto(f"{live_server.url}/reports/?period=1401", wait_until="networkidle")
    page.wait_for_function(DRAWN, timeout=10_000)
    usd = page.evaluate(TICKS, "usd")
    assert "۱٬۰۰۰" in usd and not any("," in tick or "،" in tick for tick in usd), usd
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/reports/?period=1401", wait_until="networkidle")
    page.wait_for_function(DRAWN, timeout=10_000)
    usd = page.evaluate(TICKS, "usd")
    assert "1,000" in usd and not any("٬" in tick for tick in usd), usd
    assert page.evaluate(TICKS, "x")[0] == "1396"
