import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "login", ["tester", "TESTER", "09121234567", "۰۹۱۲۱۲۳۴۵۶۷", "+989121234567"]
)
def test_sign_in_by_username_or_mobile(client, user, demo_password, login):
    response = client.post(
        reverse("accounts:login"), {"username": login, "password": demo_password}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home:home")


def test_wrong_password_gets_a_persian_message(client, user):
    response = client.post(reverse("accounts:login"), {"username": "tester", "password": "wrong"})
    assert response.status_code == 200
    assert "نام کاربری" in response.text and "نادرست" in response.text


def test_inactive_user_cannot_sign_in(client, user, demo_password):
    user.is_active = False
    user.save()
    response = client.post(
        reverse("accounts:login"), {"username": "tester", "password": demo_password}
    )
    assert response.status_code == 200


def test_home_needs_login_and_greets_in_persian(client, user):
    assert client.get(reverse("home:home")).status_code == 302
    client.force_login(user)
    page = client.get(reverse("home:home"))
    assert page.status_code == 200
    assert '<html lang="fa" dir="rtl">' in page.text
    assert "خوش آمدید" in page.text


def test_language_switch_to_english_and_back(client, user):
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home:home"))
    assert '<html lang="en" dir="ltr">' in page.text and "Welcome" in page.text
    client.post(reverse("set_language"), {"language": "fa", "next": "/"})
    assert '<html lang="fa" dir="rtl">' in client.get(reverse("home:home")).text


def test_browser_language_does_not_override_persian(client, user):
    client.force_login(user)
    page = client.get(reverse("home:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="fa" dir="rtl">' in page.text


def test_logout_is_a_post(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("home:home")).status_code == 302
