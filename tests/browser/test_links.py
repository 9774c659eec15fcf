"""Links keep what they carry, clicked in a real browser: a filtered list's next page and its
Excel download, and the dashboard's downloads, press paragraph and quick periods keep the
province and period on screen."""

import io
import subprocess
from urllib.parse import parse_qs, urlparse

import pytest
from openpyxl import load_workbook

from tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IDLE_IN_BUSHEHR = 57  # more than one page of 50


@pytest.fixture
def units(people):
    """57 idle and 3 operating units in Bushehr, 4 idle units in Yazd."""
    from shahrak.core.jalali import parse_jalali_date as jd
    from shahrak.units import services
    from tests.harness import sample_park

    def make(code, count, idle):
        manager = people[f"{code}-manager"]
        park = sample_park(code)
        for number in range(count):
            unit = services.unit_create(
                actor=manager, county=park.county, park=park, name=f"واحد {code} {number}",
                isic_code="1030", products="خرما", sector="food_dates", employees=10,
                status="operational", status_on=jd("1398/01/15"),
            )  # fmt: skip
            if idle:
                services.unit_change_status(
                    actor=manager, unit=unit, status="idle", on=jd("1400/03/01"), reason="market"
                )

    make("bushehr", IDLE_IN_BUSHEHR, idle=True)
    make("bushehr", 3, idle=False)
    make("yazd", 4, idle=True)


def _query(url):
    return {key: values[0] for key, values in parse_qs(urlparse(url).query).items()}


def test_a_filtered_list_pages_and_downloads_what_is_on_screen(page, live_server, units):
    sign_in(page, live_server.url, "hq")
    page.goto(f"{live_server.url}/units/")
    page.select_option("select[name=province]", "bushehr")
    page.select_option("select[name=status]", "idle")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state()
    assert _query(page.url)["status"] == "idle"
    count = page.locator("p.count").inner_text()
    assert "۵۷" in count

    page.locator("nav.pagination a").last.click()  # «next»
    page.wait_for_load_state()
    shown = _query(page.url)
    assert shown["page"] == "2" and shown["status"] == "idle" and shown["province"] == "bushehr"
    assert "??" not in page.url
    rows = page.locator("main table tbody tr")
    assert rows.count() == IDLE_IN_BUSHEHR - 50

    with page.expect_download() as download:
        page.get_by_role("link", name="دریافت اکسل").click()
    with open(download.value.path(), "rb") as file:  # the saved file has no .xlsx ending
        workbook = load_workbook(io.BytesIO(file.read()), read_only=True)
    sheet = workbook.worksheets[0]
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert len(names) == IDLE_IN_BUSHEHR
    assert all("bushehr" in name for name in names)


def test_dashboard_downloads_and_links_keep_the_province_and_period(page, live_server, units):
    sign_in(page, live_server.url, "hq")
    page.goto(f"{live_server.url}/reports/")
    page.select_option("select[name=province]", "yazd")
    page.select_option("select[name=year]", "1400")
    page.locator("form.filters button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "یزد" in page.locator("h1").inner_text() and "۱۴۰۰" in page.locator("h1").inner_text()

    with page.expect_download() as download:
        page.get_by_role("link", name="دریافت PDF").click()
    text = subprocess.run(
        ["pdftotext", download.value.path(), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "یزد" in text and "۱۴۰۰" in text and "کل کشور" not in text

    page.get_by_role("link", name="متن خبری").click()
    page.wait_for_load_state()
    assert _query(page.url).get("province") == "yazd"
    assert "یزد" in page.locator("main").inner_text()

    page.go_back()
    page.locator(".quick a").first.click()  # a quick period: another period, the same province
    page.wait_for_load_state()
    assert _query(page.url).get("province") == "yazd"
    assert "یزد" in page.locator("h1").inner_text()
