import datetime as dt

import pytest
from axes.models import AccessAttempt

from shahrak.accounts.models import User
from tests.harness import PASSWORD, sample_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(people):
    user = sample_user("yazd")
    user.set_password(PASSWORD)
    user.mobile = "09131112233"
    user.save()
    return user


def fail(client, login):
    return client.post("/accounts/login/", {"username": login, "password": "wrong-password"})


def test_five_wrong_passwords_lock_the_account_whatever_alias(client, target):
    for login in ["sample-yazd", "09131112233", "۰۹۱۳۱۱۱۲۲۳۳", "SAMPLE-YAZD"]:
        assert fail(client, login).status_code == 200
    assert fail(client, "+989131112233").status_code == 429  # the fifth locks
    locked = client.post("/accounts/login/", {"username": "sample-yazd", "password": PASSWORD})
    assert locked.status_code == 429
    assert "قفل" in locked.text


def test_four_wrong_passwords_do_not_lock(client, target):
    for _ in range(4):
        fail(client, "sample-yazd")
    ok = client.post("/accounts/login/", {"username": "sample-yazd", "password": PASSWORD})
    assert ok.status_code == 302


def test_lock_is_shown_to_the_manager_who_can_lift_it(client, people, target):
    for _ in range(5):
        fail(client, "sample-yazd")
    client.force_login(people["yazd-manager"])
    page = client.get(f"/accounts/users/{target.pk}/")
    assert page.context["locked_until"] is not None
    listing = client.get("/accounts/users/")
    assert "sample-yazd" in listing.context["locks"]
    assert client.post(f"/accounts/users/{target.pk}/unlock/").status_code == 302
    client.logout()
    ok = client.post("/accounts/login/", {"username": "sample-yazd", "password": PASSWORD})
    assert ok.status_code == 302


def test_lock_ends_after_the_configured_time(client, settings, target):
    for _ in range(5):
        fail(client, "sample-yazd")
    AccessAttempt.objects.update(
        attempt_time=dt.datetime.now(dt.UTC) - settings.AXES_COOLOFF_TIME - dt.timedelta(minutes=1)
    )
    ok = client.post("/accounts/login/", {"username": "sample-yazd", "password": PASSWORD})
    assert ok.status_code == 302


def test_locking_one_account_does_not_lock_the_office(client, people, target):
    """Everyone in an office signs in from one address: locks are per account."""
    for _ in range(5):
        fail(client, "sample-yazd")
    other = User.objects.get(username="yazd-expert")
    ok = client.post("/accounts/login/", {"username": other.username, "password": PASSWORD})
    assert ok.status_code == 302
