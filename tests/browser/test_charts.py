"""Charts say what their axes count, in what unit, and draw every label whole: the
project's progress chart (its first and last dates used to be cut at the edges) and the
dashboard's trend."""

from decimal import Decimal

import pytest

from tests.browser import sign_in, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each axis: its title, and for each tick label how far it reaches beyond the chart's canvas
# (negative or zero: inside).
AXES = """(id) => {
  const chart = Chart.getChart(document.getElementById(id));
  const out = {};
  for (const [name, scale] of Object.entries(chart.scales)) {
    chart.ctx.font = Chart.helpers.toFont(scale.options.ticks.font).string;
    const overflow = scale.ticks.map((tick, i) => {
      if (!scale.isHorizontal()) return 0;
      const text = [].concat(scale._labelItems ? scale._labelItems[i].label : tick.label).join(" ");
      const half = chart.ctx.measureText(text).width / 2, x = scale.getPixelForTick(i);
      return Math.max(half - x, x + half - chart.width);
    });
    out[name] = { title: scale.options.title.display ? scale.options.title.text : "",
                  overflow: Math.max(0, ...overflow) };
  }
  return out;
}"""


def _drawn(page, canvas_id):
    page.wait_for_function(
        f"() => {{ const c = document.getElementById('{canvas_id}');"
        " return !!(c && window.Chart && Chart.getChart(c) && c.width > 0); }",
        timeout=10_000,
    )
    return page.evaluate(AXES, canvas_id)


def test_the_progress_chart_titles_its_axes_and_keeps_its_dates_whole(page, live_server, people):
    from shahrak.core.jalali import parse_jalali_date as jd
    from shahrak.parks import services
    from tests.harness import sample_park

    expert = people["bushehr-expert"]
    project = services.project_create(
        actor=expert, park=sample_park("bushehr"), kind="water_network", title="شبکهٔ آب"
    )
    for on, pct in (("1399/08/01", 25), ("1400/06/01", 50), ("1401/11/25", 90)):
        services.progress_report_add(
            actor=expert, project=project, on=jd(on), progress_pct=Decimal(pct)
        )
    errors, _hosts = watch(page)
    sign_in(page, live_server.url, "bushehr-expert")
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live_server.url}{project.get_absolute_url()}", wait_until="networkidle")
        axes = _drawn(page, "progress-chart")
        assert axes["x"]["title"] == "تاریخ گزارش"
        assert axes["y"]["title"] == "پیشرفت فیزیکی (٪)"
        assert axes["x"]["overflow"] <= 0, (width, axes)
    assert errors == []


def test_the_trend_titles_its_axes_with_their_units(page, live_server, people):
    from shahrak.core.jalali import parse_jalali_date as jd
    from shahrak.units import services
    from tests.harness import sample_park

    manager = people["bushehr-manager"]
    park = sample_park("bushehr")
    unit = services.unit_create(
        actor=manager, county=park.county, park=park, name="واحد روند", isic_code="1030",
        products="خرما", sector="food_dates", employees=20, status="operational",
        status_on=jd("1398/05/01"),
    )  # fmt: skip
    services.export_add(actor=manager, unit=unit, on=jd("1400/08/01"), destination="RU",
                        product="خرما", value_usd=Decimal(250_000))  # fmt: skip
    sign_in(page, live_server.url, "bushehr-manager")
    page.goto(f"{live_server.url}/reports/?province=bushehr&period=1400", wait_until="networkidle")
    axes = _drawn(page, "trend-chart")
    assert axes["x"]["title"] == "سال"
    assert axes["units"]["title"] == "واحدهای در حال بهره‌برداری (شمار)"
    assert axes["usd"]["title"] == "صادرات (میلیون دلار)"
    assert axes["x"]["overflow"] <= 0
