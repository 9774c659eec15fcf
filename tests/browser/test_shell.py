"""The page shell in a real browser: Persian, right to left, our own font, no other host."""

from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def watched_page(page, live_server):
    """A page that records the host of every request and every request that failed."""
    hosts: list[str] = []
    failures: list[str] = []
    page.on("request", lambda request: hosts.append(urlparse(request.url).netloc))
    page.on("requestfailed", lambda request: failures.append(request.url))
    page.on("response", lambda r: r.status >= 400 and failures.append(f"{r.status} {r.url}"))
    page.hosts, page.failures = hosts, failures
    page.base = live_server.url
    return page


def test_login_then_home_in_persian_with_own_font(watched_page, user, demo_password):
    page = watched_page
    page.goto(f"{page.base}/")
    assert page.url.startswith(f"{page.base}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "fa"
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "ورود به سامانهٔ شهرک"

    page.fill("#id_username", "۰۹۱۲۱۲۳۴۵۶۷")  # the mobile number, typed in Persian digits
    page.fill("#id_password", demo_password)
    page.click("button.primary")
    page.wait_for_url(f"{page.base}/")
    assert "خوش آمدید" in page.locator("h1").inner_text()

    font_ready = page.evaluate(
        "async () => { await document.fonts.ready;"
        " return document.fonts.check('16px Vazirmatn') &&"
        " [...document.fonts].some(f => f.family.includes('Vazirmatn') && f.status === 'loaded'); }"
    )
    assert font_ready
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.startswith("Vazirmatn")
    direction = page.evaluate("getComputedStyle(document.body).direction")
    assert direction == "rtl"

    own_host = urlparse(page.base).netloc
    assert page.hosts and set(page.hosts) == {own_host}
    assert page.failures == []


def test_date_picker_and_htmx_are_served(watched_page, user, demo_password):
    page = watched_page
    page.goto(f"{page.base}/accounts/login/", wait_until="networkidle")
    assert page.failures == []
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.evaluate("typeof window.jalaliDatepicker") == "object"


def test_wrong_password_message_in_persian(watched_page, user):
    page = watched_page
    page.goto(f"{page.base}/accounts/login/")
    page.fill("#id_username", "tester")
    page.fill("#id_password", "not-the-password")
    page.click("button.primary")
    assert "نادرست" in page.locator(".form-errors").inner_text()
