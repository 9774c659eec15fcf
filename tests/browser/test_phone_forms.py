"""On a phone (390×844): a prefilled date is replaced by what is typed, the date picker's
sheet neither hides the form's Save button nor stays open when the user taps elsewhere or
scrolls, and a table wider than the screen says that it scrolls sideways."""

import pytest

from tests.browser import sign_in, watch
from tests.browser.test_layout import DESKTOP, PHONE, _records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATUS_FORM = "form[action$='/status/']"


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    yield context.new_page()
    context.close()


def _open_picker(page):
    field = page.locator(f"{STATUS_FORM} input[name=on]")
    field.scroll_into_view_if_needed()
    field.tap()
    page.locator("jdp-container .jdp-day").first.wait_for(timeout=5_000)
    page.wait_for_timeout(400)  # the sheet's opening animation
    return field


def test_typing_replaces_a_prefilled_date_and_the_picker_leaves_save_in_sight(
    phone, live_server, people
):
    _park, _project, unit = _records(people)
    errors, _hosts = watch(phone)
    sign_in(phone, live_server.url, "bushehr-expert")
    phone.goto(f"{live_server.url}{unit.get_absolute_url()}", wait_until="networkidle")
    field = _open_picker(phone)
    assert field.input_value()  # today's date, prefilled
    phone.keyboard.type("1402/01/15")
    # Not appended to the date that was there; turned into Persian digits as typed.
    assert field.input_value() == "۱۴۰۲/۰۱/۱۵"

    sheet = phone.locator("jdp-container").bounding_box()
    save = phone.locator(f"{STATUS_FORM} button[type=submit]").bounding_box()
    assert save["y"] + save["height"] <= sheet["y"], (save, sheet)
    assert field.bounding_box()["y"] >= 0
    # Nothing dims the page and swallows the first tap: a tap elsewhere closes the sheet.
    phone.locator("h1").tap()
    assert phone.locator("jdp-container").is_hidden()

    _open_picker(phone)
    phone.mouse.wheel(0, -300)
    phone.locator("jdp-container").wait_for(state="hidden", timeout=2_000)
    assert errors == []


def test_a_table_wider_than_a_phone_says_it_scrolls_sideways(page, live_server, people):
    _park, _project, unit = _records(people)
    sign_in(page, live_server.url, "bushehr-expert")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{unit.get_absolute_url()}", wait_until="networkidle")
    box = page.locator(".table-scroll").first
    sizes = box.evaluate("b => [b.scrollWidth, b.clientWidth]")
    assert sizes[0] > sizes[1], sizes  # its last columns are out of sight
    hint = page.locator(".scroll-hint").first
    assert hint.is_visible() and "بکشید" in hint.inner_text()
    assert "scrolls" in box.get_attribute("class") and "at-end" not in box.get_attribute("class")
    # The box itself scrolls (the page does not), to the end, where the fade goes.
    moved = box.evaluate("b => { b.scrollLeft = -b.scrollWidth; return b.scrollLeft; }")
    assert moved != 0
    page.wait_for_function(
        "() => document.querySelector('.table-scroll').classList.contains('at-end')"
    )
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]

    page.set_viewport_size(DESKTOP)
    page.wait_for_timeout(200)
    assert not page.locator(".scroll-hint").first.is_visible()  # nothing to say when it fits


def test_a_refused_form_comes_back_with_its_error_in_sight(phone, live_server, people):
    """The unit's page again after a refused status change: the marked field is on screen
    (not far below the banner), with what was typed."""
    _park, _project, unit = _records(people)
    sign_in(phone, live_server.url, "bushehr-expert")
    phone.goto(f"{live_server.url}{unit.get_absolute_url()}", wait_until="networkidle")
    form = phone.locator(STATUS_FORM)
    form.locator("select[name=status]").select_option("closed")
    form.locator("input[name=note]").fill("یادداشت تایپ‌شده")
    form.locator("input[name=on]").evaluate("f => { f.value = '۱۳۹۰/۰۱/۰۱'; }")  # too early
    form.locator("button[type=submit]").click()
    phone.wait_for_load_state("networkidle")
    marked = phone.locator(f"{STATUS_FORM} .has-error").first
    box = marked.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    assert phone.locator(f"{STATUS_FORM} input[name=note]").input_value() == "یادداشت تایپ‌شده"
