import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from shahrak.reports.registry import metrics
from shahrak.units.countries import PERSIAN_GULF, country_name
from tests.harness import demo_for_module
from tests.reports.figures import YEAR_1400, exports_usd, millions, persian, units_in_operation

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from demo_for_module(django_db_blocker, {"accounts", "parks", "units"})


def login(client, username):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))


def test_province_dashboard_shows_the_figures_with_last_year(demo, client):
    login(client, "bushehr-expert")
    page = client.get("/reports/", {"province": "bushehr", "period": "1400"})
    assert page.status_code == 200
    cards = {card["key"]: card for card in page.context["cards"]}
    operational = cards["units.operational"]
    counted = len(units_in_operation("bushehr", YEAR_1400[1]))
    assert operational["value"] == counted and operational["shown"] == persian(counted)
    exports = exports_usd("bushehr", YEAR_1400)
    assert cards["exports.usd"]["shown"] == f"{millions(exports)} میلیون دلار"
    assert cards["infra.power_mw_added"]["shown"] == "۵۰ مگاوات"
    assert "▲" in cards["exports.usd"]["change"]
    assert page.context["comparison"] is None


def test_dashboard_is_scoped(demo, client):
    login(client, "bushehr-expert")
    assert client.get("/reports/", {"province": "yazd", "period": "1400"}).status_code == 404
    login(client, "auditor")
    national = client.get("/reports/", {"period": "1401-H1"})
    rows = {row["province"].code: row for row in national.context["comparison"]["rows"]}
    assert sorted(rows) == ["bushehr", "yazd"]
    bushehr = client.get("/reports/", {"province": "bushehr", "period": "1401-H1"}).context
    cards = {card["key"]: card for card in bushehr["cards"]}
    assert rows["bushehr"]["values"][:2] == [cards["units.operational"]["shown"],
                                             cards["exports.usd"]["shown"]]  # fmt: skip


def test_a_bad_period_is_explained(demo, client):
    login(client, "hq")
    page = client.get("/reports/", {"period": "1401-H3"})
    assert page.status_code == 200 and "شناخته نشد" in page.context["error"]


def test_excel_of_a_report_has_numbers(demo, client):
    login(client, "hq")
    response = client.get("/reports/", {"province": "bushehr", "period": "1400", "export": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    registry = metrics()
    rows = {row[0]: row for row in book["شاخص‌ها"].iter_rows(values_only=True)}
    operational, exports = (registry[key].label_fa for key in ("units.operational", "exports.usd"))
    assert rows[operational][1] == len(units_in_operation("bushehr", YEAR_1400[1]))
    assert rows[exports][1] == exports_usd("bushehr", YEAR_1400)
    destinations = {
        row[0]: row[1] for row in book["صادرات به تفکیک مقصد"].iter_rows(values_only=True)
    }
    gulf = country_name(PERSIAN_GULF)
    assert destinations[country_name("RU")] > 0 and isinstance(destinations[gulf], int | float)


def test_trend_by_year_and_half_agrees_with_the_reports(demo, client):
    login(client, "yazd-expert")

    def trend(**query):
        return client.get("/reports/trend/", {"province": "yazd", **query}).context["trend"]

    yearly, halves = trend(period="1400"), trend(period="1400", by="half")
    # The period's own year and the five before it; nothing after its end.
    assert yearly["years"] == [str(year) for year in range(1395, 1401)]
    assert halves["years"] == [f"{year}-{half}" for year in range(1395, 1401) for half in (1, 2)]
    assert not any(yearly["partial"]) and not any(halves["partial"]) and not yearly["note"]
    for key, found in (("1400", yearly), ("1399", yearly), ("1400-H1", halves)):
        report = client.get("/api/v1/reports/metrics/", {"province": "yazd", "period": key}).json()
        at = found["years"].index(key.replace("-H", "-"))
        assert found["units_operational"][at] == report["metrics"]["units.operational"]["value"]
        assert found["exports_usd"][at] == float(report["metrics"]["exports.usd"]["value"])
    assert client.get("/reports/trend/", {"province": "bushehr"}).status_code == 404


def test_a_year_counted_in_part_is_marked_so(demo, client):
    """The first half of 1401 asked: the yearly trend ends with 1401 counted to 1401/06/31,
    marked partial, with the first half's figures — not drawn as a whole year."""
    login(client, "yazd-expert")
    found = client.get("/reports/trend/", {"province": "yazd", "period": "1401-H1"})
    trend = found.context["trend"]
    assert trend["years"] == [str(year) for year in range(1396, 1402)]
    assert trend["partial"] == [False] * 5 + [True]
    assert trend["labels"][-1] == ["1401", "(تا 1401/06/31)"]
    report = client.get("/api/v1/reports/metrics/", {"province": "yazd", "period": "1401-H1"})
    metrics = report.json()["metrics"]
    assert trend["exports_usd"][-1] == float(metrics["exports.usd"]["value"])
    assert trend["units_operational"][-1] == metrics["units.operational"]["value"]
    assert "تنها تا ۱۴۰۱/۰۶/۳۱" in found.content.decode()
    halves = client.get("/reports/trend/", {"province": "yazd", "period": "1401-H1", "by": "half"})
    assert halves.context["trend"]["years"][-1] == "1401-1"
    assert not any(halves.context["trend"]["partial"])


def test_the_year_not_over_is_counted_to_date_and_marked(demo):
    """On 1401/03/31 the year 1401 is drawn to date, as partial — its exports are those of
    three months, which must not read as a fall from the year before."""
    from django.contrib.auth import get_user_model

    from shahrak.core.jalali import JalaliPeriod
    from shahrak.reports.services import build_report, build_trend, resolve_scope

    admin = get_user_model().objects.get(username="admin")
    scope, described = resolve_scope(admin, province="bushehr")
    today = dt.date(2022, 6, 21)  # 1401/03/31
    for by_half, last in ((False, "1401"), (True, "1401-1")):
        trend = build_trend(admin, scope, JalaliPeriod.year(1401), by_half=by_half, today=today)
        assert trend["years"][-1] == last and trend["partial"][-1] is True
        assert trend["labels"][-1] == [last, "(تا امروز)"]
        assert trend["partial"].count(True) == 1 and "تا امروز شمرده" in trend["note"]
    report = build_report(admin, scope=scope, scope_description=described,
                          period=JalaliPeriod.year(1401), today=today)  # fmt: skip
    assert trend["exports_usd"][-1] == float(report["metrics"]["exports.usd"]["value"])


def test_the_dashboard_asks_the_trend_of_its_own_period(demo, client):
    import re

    login(client, "yazd-expert")
    page = client.get("/reports/", {"province": "yazd", "year": "1399", "part": "H2"})
    url = re.search(r'hx-get="([^"]*/reports/trend/[^"]*)"', page.content.decode())[1]
    trend = client.get(url.replace("&amp;", "&"))
    assert trend.context["trend"]["years"][-1] == "1399"
    by_half = re.search(r'hx-get="([^"]*by=half[^"]*)"', trend.content.decode())[1]
    halves = client.get(by_half.replace("&amp;", "&")).context["trend"]
    assert halves["years"][0] == "1394-1" and halves["years"][-1] == "1399-2"


@pytest.mark.parametrize("key", ["9999", "0001", "0001-H2", "1299-12-01..1401-01-01"])
def test_a_period_beyond_the_records_is_refused_with_a_reason(demo, client, key):
    login(client, "bushehr-expert")
    page = client.get("/reports/", {"province": "bushehr", "period": key})
    assert page.status_code == 200 and "میان ۱۳۰۰ و ۱۴۹۹" in page.context["error"]
    trend = client.get("/reports/trend/", {"province": "bushehr", "period": key})
    assert trend.status_code == 200
    api = client.get("/api/v1/reports/metrics/", {"province": "bushehr", "period": key})
    assert api.status_code == 400 and api.json()["code"] == "invalid_period"


def test_the_period_picker(demo, client):
    login(client, "bushehr-expert")

    def asked(**query):
        page = client.get("/reports/", {"province": "bushehr", **query})
        return page.context["report"]["period"]["key"], page.context["error"], page

    assert asked(year="1401", part="H1")[0] == "1401-H1"
    assert asked(year="1400", part="Q3")[0] == "1400-Q3"
    assert asked(year="1400", part="08")[0] == "1400-08"
    assert asked(year="1400", part="")[0] == "1400"
    key, error, page = asked(year="1401", start="۱۴۰۰/۰۱/۰۱", end="1401/06/31")
    assert key == "1400-01-01..1401-06-31" and error is None
    assert page.context["picker"].initial == {
        "start": dt.date(2021, 3, 21), "end": dt.date(2022, 9, 22), "shown": key
    }  # fmt: skip
    html = page.content.decode()
    year_box = html[html.index('name="year"') : html.index("</select>", html.index('name="year"'))]
    assert '<option value="" selected>—</option>' in year_box  # no year shown for a stretch
    # The stretch shown and a year then chosen: the year is asked for (the stretch's dates
    # still stand in the form); the stretch changed: the new stretch.
    asked_year = asked(year="1399", part="H2", start="1400/01/01", end="1401/06/31", shown=key)
    assert asked_year[0] == "1399-H2"
    assert asked(year="", start="1400/01/01", end="1401/06/31", shown=key)[0] == key
    new_stretch = asked(year="1401", start="1400/02/01", end="1401/06/31", shown="1401")
    assert new_stretch[0] == "1400-02-01..1401-06-31"
    both_changed = asked(year="1401", start="1400/02/01", end="1401/06/31", shown=key)
    assert both_changed[0] == "1400-02-01..1401-06-31"  # the stretch, as without `shown`
    key, error, _page = asked(start="1400/01/01")
    assert "هر دو سر بازه" in error
    _key, error, _page = asked(year="1401", start="1400/13/01", end="1401/01/01")
    assert error == "از تاریخ: ماه ۱۳ وجود ندارد؛ ماه باید بین ۱ و ۱۲ باشد."  # the field named
    assert asked(period="1399-H2")[0] == "1399-H2"  # links and bookmarks keep working
    press = client.get("/reports/press/", {"province": "bushehr", "year": "1400", "part": "H2"})
    assert press.context["report"]["period"]["key"] == "1400-H2"


PERSIAN_LETTERS = re.compile(r"[\u0600-\u06ff]")


def test_the_dashboard_in_english(demo, client):
    from django.utils import timezone

    from shahrak.core.jalali import JalaliPeriod, jalali_year_of
    from shahrak.reports.registry import metrics

    login(client, "bushehr-expert")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/reports/", {"province": "bushehr", "period": "1400"})
    html = page.content.decode()
    registry = metrics()
    cards = {card["key"]: card for card in page.context["cards"]}
    for key, card in cards.items():
        assert card["label"] == registry[key].label_en
        for text in (card["label"], card["shown"], card["previous_shown"], card["change"]):
            assert not PERSIAN_LETTERS.search(text), (key, text)
    assert cards["exports.usd"]["shown"] == "70.4 million USD"
    assert cards["infra.power_mw_added"]["shown"] == "50 MW"
    figures = html[html.index('<section class="figures">') : html.index("</section>")]
    assert not PERSIAN_LETTERS.search(figures)
    assert "<bdi>70.4 million USD</bdi>" in figures
    assert "<h1>Bushehr — 1400</h1>" in html
    year = jalali_year_of(timezone.localdate())  # the quick periods: this year and the last
    for key in (f"{year}", f"{year}-H1", f"{year - 1}", f"{year - 1}-H1", f"{year - 1}-H2"):
        assert f">{JalaliPeriod.parse(key).label_en}</a>" in html
    assert '<option value="H1">First half</option>' in html
    assert "Russia" in [row["name"] for row in page.context["by_destination"]]


def test_figures_with_their_units_are_isolated_in_persian(demo, client):
    login(client, "bushehr-expert")
    html = client.get("/reports/", {"province": "bushehr", "period": "1400"}).content.decode()
    assert "<bdi>۷۰٫۴ میلیون دلار</bdi>" in html
    assert "<bdi>روسیه</bdi>" in html  # a destination's name in its bar


@pytest.mark.parametrize(
    ("change", "direction"),
    [(0.0, "flat"), (0.04, "flat"), (-0.04, "flat"), (0.1, "up"), (-0.3, "down"), (None, "")],
)
def test_a_change_that_reads_zero_is_neither_a_rise_nor_a_fall(change, direction):
    from shahrak.reports.formatting import change_direction

    assert change_direction(change) == direction


def test_dashboard_paints_an_unchanged_figure_neutral(demo, client):
    login(client, "bushehr-expert")
    page = client.get("/reports/", {"province": "bushehr", "period": "1400"})
    cards = {card["key"]: card for card in page.context["cards"]}
    parks = cards["parks.with_operational_units"]  # 20 parks then and a year before
    assert parks["change_pct"] == 0 and parks["direction"] == "flat"
    html = page.content.decode()
    assert f'<span class="flat">{parks["change"]}</span>' in html
    falls = [card for card in cards.values() if (card["change_pct"] or 0) < 0]
    assert falls and all(f'<span class="down">{c["change"]}</span>' in html for c in falls)


def test_dashboard_names_read_with_persian_digits(demo, client):
    login(client, "bushehr-expert")
    html = client.get("/reports/", {"province": "bushehr", "period": "1400"}).content.decode()
    assert "شهرک صنعتی بوشهر ۲" in html and "شهرک صنعتی بوشهر 2" not in html


def test_excel_of_a_report_is_in_persian_with_whole_rials(demo, client):
    import re

    from shahrak.reports.exports import UNIT_NAMES_FA

    login(client, "hq")
    response = client.get("/reports/", {"province": "bushehr", "period": "1400", "export": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["شاخص‌ها"]
    rows = list(sheet.iter_rows(values_only=True))
    texts = [value for row in rows for value in row if isinstance(value, str)]
    assert not [text for text in texts if re.search(r"[A-Za-z0-9]", text)]  # no key, no `rial`
    registry = metrics()
    by_label = {row[0]: row for row in rows[2:]}
    assert set(by_label) == {m.label_fa for m in registry.values() if not m.is_breakdown}
    for metric in registry.values():
        if metric.is_breakdown:
            continue
        assert by_label[metric.label_fa][2] == UNIT_NAMES_FA[metric.unit]
    assert set(UNIT_NAMES_FA.values()) >= {"ریال", "تعداد", "دلار"}
    spend = next(
        r for r in sheet.iter_rows(min_row=3) if r[0].value == registry["infra.spend_rial"].label_fa
    )
    assert isinstance(spend[1].value, int) and spend[1].number_format == "#,##0"
    assert all(isinstance(c.value, int) for c in (spend[3], spend[5], spend[6]))
    by_park = book[registry["units.operational_by_park"].label_fa[:31]]
    names = [row[0] for row in by_park.iter_rows(min_row=2, values_only=True)]
    assert "شهرک صنعتی بوشهر ۲" in names


def test_a_trend_with_nothing_recorded_is_said_not_drawn(demo, client):
    """No chart of zeros (its axis would run from −1 to 1): a province without records says
    there is nothing, one with records draws its chart."""
    login(client, "hq")
    empty = client.get("/reports/trend/", {"province": "tehran"})
    assert empty.status_code == 200 and "trend-chart" not in empty.content.decode()
    assert not any(empty.context["trend"]["units_operational"])
    drawn = client.get("/reports/trend/", {"province": "yazd"})
    assert "trend-chart" in drawn.content.decode()


def test_a_dashboard_of_zeros_says_why(demo, client):
    """Cards that all read zero say that nothing is recorded there (not a dashboard of zeros
    beside a trend saying "no data"); a province with records says no such thing."""
    login(client, "hq")
    empty = client.get("/reports/", {"province": "tehran", "period": "1400"})
    html = empty.content.decode()
    assert all(not card["value"] for card in empty.context["cards"])  # zeros indeed
    notice = re.search(r'<p class="notice" role="status">(.*?)</p>', html, re.S)
    assert notice and "تهران" in notice[1] and "ثبت نشده" in notice[1]
    full = client.get("/reports/", {"province": "bushehr", "period": "1400"})
    assert 'class="notice"' not in full.content.decode()


def test_zeros_are_put_down_to_the_period_when_records_exist_before_it():
    from shahrak.reports.views import _nothing_recorded

    zero = {"value": 0, "previous": 0, "year_to_date": None, "cumulative": 0}
    assert _nothing_recorded([zero, zero]) == "scope"
    assert _nothing_recorded([zero, {**zero, "cumulative": 3}]) == "period"
    assert _nothing_recorded([zero, {**zero, "previous": 1}]) is None


PERSIAN_MARKS = re.compile(r"[۰-۹،]")


def _visible_text(html: str) -> str:
    """The page's words, without its scripts, styles and tags' attributes."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_english_pages_read_with_latin_digits_and_commas(demo, client):
    """The period picker's years and a unit's place («Dashtestan, Bushehr») in the page's
    language: no Persian digit or Arabic comma where the page is English (names that are
    Persian records, like a park's, are not in question here)."""
    from shahrak.units.models import Unit

    login(client, "bushehr-manager")
    client.cookies["django_language"] = "en"
    dashboard = client.get("/reports/", {"province": "bushehr", "period": "1400"})
    years = re.findall(r'<option value="(\d{4})"[^>]*>([^<]+)</option>', dashboard.text)
    assert ("1400", "1400") in years and all(value == shown for value, shown in years)
    unit = Unit.objects.filter(county__province__code="bushehr").select_related("county").first()
    page = client.get(unit.get_absolute_url())
    place = f"{unit.county.name_en}, Bushehr"
    assert place in _visible_text(page.text)
    client.cookies["django_language"] = "fa"
    page = client.get(unit.get_absolute_url())
    assert f"{unit.county.name_fa}، بوشهر" in _visible_text(page.text)
    dashboard = client.get("/reports/", {"province": "bushehr", "period": "1400"})
    assert '<option value="1400" selected>۱۴۰۰</option>' in dashboard.text
