"""Inviting a user and granting a role: no role is preselected; a provincial manager's
province is theirs, fixed; only a system administrator may leave the province empty, for a
national role; a missing province is named as such, not as a national-role refusal."""

import re

import pytest

from shahrak.accounts import services
from shahrak.accounts.choices import Role
from shahrak.accounts.models import Membership, User
from shahrak.core.errors import DomainError
from shahrak.places.models import Province
from tests.form_checks import PROMPT, as_rendered, chosen, field_error, options, starts_empty
from tests.harness import sample_user

pytestmark = pytest.mark.django_db
PROVINCE_NEEDED = "استانی را که این نقش در آن است انتخاب کنید."


def invite(**overrides):
    data = {"username": "new-person", "first_name": "سارا", "last_name": "بوشهری",
            "role": Role.EXPERT}  # fmt: skip
    return {**data, **overrides}


def test_invite_starts_without_a_role_and_with_the_managers_province(client, people):
    client.force_login(people["bushehr-manager"])
    html = client.get("/accounts/users/invite/").content.decode()
    assert starts_empty(html, "role")
    bushehr = Province.objects.get(code="bushehr")
    assert options(html, "province") == [(str(bushehr.pk), True, bushehr.name)]


def test_invite_sent_without_choosing_a_role_is_refused(client, people):
    client.force_login(people["bushehr-manager"])
    data = as_rendered(client.get("/accounts/users/invite/").content.decode())
    data.update(username="new-person", first_name="سارا", last_name="بوشهری")
    response = client.post("/accounts/users/invite/", data)
    assert response.status_code == 200 and "role" in response.context["form"].errors
    assert field_error(response.content.decode(), "نقش")
    assert not User.objects.filter(username="new-person").exists()


def test_a_manager_leaving_the_province_empty_is_told_to_choose_it(client, people):
    client.force_login(people["bushehr-manager"])
    response = client.post("/accounts/users/invite/", invite(province=""))
    html = response.content.decode()
    assert response.status_code == 200 and field_error(html, "استان")
    assert "نقش‌های ملی" not in html  # the refusal this used to give, about national roles
    assert not User.objects.filter(username="new-person").exists()


def test_the_service_names_the_missing_province(people):
    with pytest.raises(DomainError) as error:
        services.user_invite(
            actor=people["bushehr-manager"], username="new-person", first_name="a",
            last_name="b", mobile="", email="", role=Role.EXPERT, province=None,
        )  # fmt: skip
    assert error.value.field == "province" and str(error.value.message) == PROVINCE_NEEDED
    assert not User.objects.filter(username="new-person").exists()


def test_the_administrator_may_leave_the_province_empty_only_for_a_national_role(client, people):
    client.force_login(people["admin"])
    html = client.get("/accounts/users/invite/").content.decode()
    assert starts_empty(html, "role")
    value, label = chosen(html, "province")
    assert value == "" and label != PROMPT and "سراسر کشور" in label
    provincial = client.post("/accounts/users/invite/", invite(province=""))
    assert provincial.context["form"].errors["province"] == [PROVINCE_NEEDED]
    bushehr = Province.objects.get(code="bushehr")
    hq_here = client.post("/accounts/users/invite/", invite(role=Role.HQ, province=bushehr.pk))
    assert "province" in hq_here.context["form"].errors
    assert not User.objects.filter(username="new-person").exists()
    national = client.post("/accounts/users/invite/", invite(role=Role.HQ, province=""))
    assert national.status_code == 302
    assert User.objects.get(username="new-person").memberships.get().province is None


def test_granting_a_role_without_choosing_it_is_refused(client, people):
    person = sample_user("bushehr")
    before = Membership.objects.filter(user=person).count()
    client.force_login(people["bushehr-manager"])
    action = f"/accounts/users/{person.pk}/roles/"
    html = client.get(f"/accounts/users/{person.pk}/").content.decode()
    assert starts_empty(html, "role")
    response = client.post(action, as_rendered(html, action))
    # The person's page again, the role marked as missing beside its drop-down.
    assert response.status_code == 200
    assert re.search(r'<label class="has-error">نقش <select name="role"', response.content.decode())
    assert Membership.objects.filter(user=person).count() == before
