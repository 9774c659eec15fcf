"""Error pages: in the page shell, in the user's language, with a way back; JSON under /api/."""

import re

import pytest
from django.test import Client
from django.urls import path

from shahrak.urls import handler500  # noqa: F401  (the handlers of this test URLconf)
from shahrak.urls import urlpatterns as project_urls


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [*project_urls, path("boom/", boom)]

pytestmark = pytest.mark.django_db


def _signed_in(people, username="bushehr-expert", **kwargs):
    client = Client(**kwargs)
    client.force_login(people[username])
    return client


def test_404_is_a_persian_page_in_the_shell_with_a_way_home(people):
    response = _signed_in(people).get("/units/999999999/")
    assert response.status_code == 404
    body = response.content.decode()
    assert 'dir="rtl"' in body and 'class="sidenav"' in body  # the shell, menu included
    assert "پیدا نشد" in body
    assert 'href="/"' in body
    assert "Not Found" not in body and "The requested resource" not in body


def test_404_offers_the_page_the_user_came_from(people):
    client = _signed_in(people)
    response = client.get("/units/999999999/", HTTP_REFERER="http://testserver/units/?status=idle")
    assert 'href="/units/?status=idle"' in response.content.decode()
    # never a link to another host
    response = client.get("/units/999999999/", HTTP_REFERER="http://elsewhere.example/x")
    assert "elsewhere.example" not in response.content.decode()


def test_a_record_outside_the_scope_answers_as_one_that_does_not_exist(people):
    from shahrak.units.models import Unit
    from tests.harness import SAMPLES

    yazd_unit = SAMPLES[Unit]("yazd")
    client = _signed_in(people)
    hidden = client.get(f"/units/{yazd_unit.pk}/")
    missing = client.get("/units/999999999/")
    assert hidden.status_code == missing.status_code == 404
    token = re.compile(rb"[A-Za-z0-9]{64}")  # the page's security tokens differ per request
    hidden_page = token.sub(b"", hidden.content).replace(f"/units/{yazd_unit.pk}/".encode(), b"")
    missing_page = token.sub(b"", missing.content).replace(b"/units/999999999/", b"")
    assert hidden_page == missing_page  # only the address differs (the language switch's next)
    assert "sample-yazd" not in hidden.content.decode()


def test_403_is_a_persian_page_in_the_shell(people):
    response = _signed_in(people, "hq").get("/units/new/")
    assert response.status_code == 403
    body = response.content.decode()
    assert 'class="sidenav"' in body and "اجازه" in body
    assert "403 Forbidden" not in body


def test_english_when_the_user_chose_english(people):
    client = _signed_in(people)
    client.cookies["django_language"] = "en"
    body = client.get("/units/999999999/").content.decode()
    assert 'lang="en"' in body and "Not found" in body and "پیدا نشد" not in body


@pytest.mark.urls(__name__)
def test_500_is_a_page_in_the_shell_that_names_no_internals(people):
    client = _signed_in(people)
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert 'class="sidenav"' in body and "مشکلی پیش آمد" in body
    assert "RuntimeError" not in body and "a bug" not in body


def test_api_errors_stay_json(people):
    client = _signed_in(people)
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


def test_an_expired_form_token_gets_the_page_in_the_shell(people):
    client = _signed_in(people, enforce_csrf_checks=True)
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    body = response.content.decode()
    assert 'class="sidenav"' in body and "دوباره" in body
    assert "CSRF verification failed" not in body
