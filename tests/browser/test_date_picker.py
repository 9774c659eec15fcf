"""The Jalali date picker on a field that already holds a date in Persian digits: it opens on
that date, writes the picked date in Persian digits, and the form saves that date."""

import jdatetime
import pytest

from tests.browser import sign_in, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def test_picker_opens_on_a_prefilled_date_and_writes_persian_digits(page, live_server, people):
    from shahrak.units.models import Unit
    from tests.harness import SAMPLES

    unit = SAMPLES[Unit]("bushehr")
    Unit.objects.filter(pk=unit.pk).update(
        licence_number="12345", licence_date=jdatetime.date(1401, 3, 25).togregorian()
    )
    errors, _ = watch(page)
    sign_in(page, live_server.url, "bushehr-expert")
    page.goto(f"{live_server.url}/units/{unit.pk}/edit/", wait_until="networkidle")
    field = page.locator("#id_licence_date")
    assert field.input_value() == "1401/03/25".translate(PERSIAN)  # as the server shows it

    field.click()
    picker = page.locator("jdp-container")
    picker.locator(".jdp-day").first.wait_for(timeout=5_000)
    # It opens on the field's own year and month, with that month's days, the field's day chosen.
    assert picker.locator(".jdp-years select").input_value() == "1401"
    assert picker.locator(".jdp-months select").input_value() == "3"
    days_in_khordad = jdatetime.j_days_in_month[2]  # 31
    assert picker.locator(".jdp-day:not(.not-in-month)").count() == days_in_khordad
    assert picker.locator(".jdp-day.selected").inner_text() == "25".translate(PERSIAN)
    assert field.input_value() == "1401/03/25".translate(PERSIAN)  # still Persian while open

    # To the next month and back: the field's day is still the chosen one.
    picker.locator(".jdp-months .jdp-icon-plus").click()
    assert picker.locator(".jdp-months select").input_value() == "4"
    picker.locator(".jdp-months .jdp-icon-minus").click()
    assert picker.locator(".jdp-day.selected").inner_text() == "25".translate(PERSIAN)

    picker.locator(".jdp-day:not(.not-in-month)").filter(
        has_text="10".translate(PERSIAN)
    ).first.click()
    assert field.input_value() == "1401/03/10".translate(PERSIAN)
    assert picker.is_hidden()

    page.locator("form.form button.primary").click()
    page.wait_for_url(f"{live_server.url}{unit.get_absolute_url()}")
    unit.refresh_from_db()
    assert unit.licence_date == jdatetime.date(1401, 3, 10).togregorian()
    assert errors == []


def test_a_typed_date_turns_persian_and_the_picker_follows_it(page, live_server, people):
    """Typed 15 over a chosen 10: the picker kept 10, and ASCII digits stayed ASCII."""
    from shahrak.units.models import Unit
    from tests.harness import SAMPLES

    unit = SAMPLES[Unit]("bushehr")
    Unit.objects.filter(pk=unit.pk).update(
        licence_number="12345", licence_date=jdatetime.date(1401, 3, 10).togregorian()
    )
    errors, _ = watch(page)
    sign_in(page, live_server.url, "bushehr-expert")
    page.goto(f"{live_server.url}/units/{unit.pk}/edit/", wait_until="networkidle")
    field = page.locator("#id_licence_date")
    field.click()
    picker = page.locator("jdp-container")
    picker.locator(".jdp-day").first.wait_for(timeout=5_000)
    assert picker.locator(".jdp-day.selected").inner_text() == "10".translate(PERSIAN)
    page.keyboard.type("1402/05/15")  # ASCII digits, over the selected date
    assert field.input_value() == "1402/05/15".translate(PERSIAN)
    assert picker.locator(".jdp-years select").input_value() == "1402"
    assert picker.locator(".jdp-months select").input_value() == "5"
    assert picker.locator(".jdp-day.selected").inner_text() == "15".translate(PERSIAN)
    # Arabic-Indic digits typed in the middle turn Persian too, and leaving keeps them so.
    field.fill("")
    page.keyboard.type("١٤٠٢/06/0")
    assert field.input_value() == "1402/06/0".translate(PERSIAN)
    page.keyboard.type("1")
    assert picker.locator(".jdp-months select").input_value() == "6"
    page.locator("#id_name").click()
    assert field.input_value() == "1402/06/01".translate(PERSIAN)
    page.locator("form.form button.primary").click()
    page.wait_for_url(f"{live_server.url}{unit.get_absolute_url()}")
    unit.refresh_from_db()
    assert unit.licence_date == jdatetime.date(1402, 6, 1).togregorian()
    assert errors == []
