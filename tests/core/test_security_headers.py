import pytest


@pytest.mark.django_db
def test_pages_allow_only_our_own_files(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "http" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_sessions_expire(settings):
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY


@pytest.mark.django_db
def test_forms_need_csrf(people):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["yazd-manager"])
    response = strict.post("/accounts/users/invite/", {"username": "x"})
    assert response.status_code == 403
