import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from tests.harness import demo_for_module

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
    from shahrak.core.numbers import format_number

    operational = cards["units.operational"]
    assert operational["value"] > 570 and operational["shown"] == format_number(
        operational["value"]
    )
    assert cards["exports.usd"]["shown"] == "۷۰٫۴ میلیون دلار"
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
    rows = {row[0]: row for row in book["شاخص‌ها"].iter_rows(values_only=True)}
    assert rows["units.operational"][2] == 634 and isinstance(rows["exports.usd"][2], int | float)
    destinations = {
        row[0]: row[2] for row in book["صادرات به تفکیک مقصد"].iter_rows(values_only=True)
    }
    assert destinations["RU"] > 0 and isinstance(destinations["persian-gulf"], int | float)


def test_trend_by_year_and_half_agrees_with_the_reports(demo, client):
    login(client, "yazd-expert")
    yearly = client.get("/reports/trend/", {"province": "yazd"}).context["trend"]
    halves = client.get("/reports/trend/", {"province": "yazd", "by": "half"}).context["trend"]
    assert yearly["years"][0] == "1395" and halves["years"][:2] == ["1395-1", "1395-2"]
    for key, trend in (("1400", yearly), ("1401-H1", halves)):
        report = client.get("/api/v1/reports/metrics/", {"province": "yazd", "period": key}).json()
        at = trend["years"].index(key.replace("-H", "-"))
        assert trend["units_operational"][at] == report["metrics"]["units.operational"]["value"]
        assert trend["exports_usd"][at] == float(report["metrics"]["exports.usd"]["value"])
    assert client.get("/reports/trend/", {"province": "bushehr"}).status_code == 404


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
        "start": dt.date(2021, 3, 21), "end": dt.date(2022, 9, 22)
    }  # fmt: skip
    key, error, _page = asked(start="1400/01/01")
    assert "هر دو سر بازه" in error
    _key, error, _page = asked(year="1401", start="1400/13/01", end="1401/01/01")
    assert error == "از تاریخ: ماه ۱۳ وجود ندارد؛ ماه باید بین ۱ و ۱۲ باشد."  # the field named
    assert asked(period="1399-H2")[0] == "1399-H2"  # links and bookmarks keep working
    press = client.get("/reports/press/", {"province": "bushehr", "year": "1400", "part": "H2"})
    assert press.context["report"]["period"]["key"] == "1400-H2"


def test_a_trend_with_nothing_recorded_is_said_not_drawn(demo, client):
    """No chart of zeros (its axis would run from −1 to 1): a province without records says
    there is nothing, one with records draws its chart."""
    login(client, "hq")
    empty = client.get("/reports/trend/", {"province": "tehran"})
    assert empty.status_code == 200 and "trend-chart" not in empty.content.decode()
    assert not any(empty.context["trend"]["units_operational"])
    drawn = client.get("/reports/trend/", {"province": "yazd"})
    assert "trend-chart" in drawn.content.decode()
