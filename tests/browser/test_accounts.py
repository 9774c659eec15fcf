"""A provincial manager at work in a real browser: edits a user, sees the change in its history."""

import pytest

from tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_edits_a_user_and_reads_the_history(page, live_server, people):
    from tests.harness import PASSWORD, sample_user

    person = sample_user("yazd")
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    sign_in(page, live_server.url, "yazd-manager", PASSWORD)
    page.click("nav >> text=کاربران")
    page.click(f"text={person.username}")
    page.click("a.button[href$='/edit/']")
    page.fill("#id_first_name", "زهره")
    page.fill("#id_last_name", "نمونه")
    page.fill("#id_mobile", "۰۹۱۳۰۰۰۱۱۲۲")
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/accounts/users/{person.pk}/")
    assert "ذخیره شد" in page.locator(".messages").inner_text()
    history = page.locator("#history").inner_text()
    assert "شمارهٔ همراه" in history and "۰۹۱۳۰۰۰۱۱۲۲" in history
    assert "yazd-manager" in history  # who changed it
    assert errors == []


def test_the_other_province_is_not_there(page, live_server, people):
    from tests.harness import PASSWORD, sample_user

    other = sample_user("bushehr")
    sign_in(page, live_server.url, "yazd-manager", PASSWORD)
    response = page.goto(f"{live_server.url}/accounts/users/{other.pk}/")
    assert response.status == 404
