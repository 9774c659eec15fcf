"""A provincial manager invites, edits, deactivates and unlocks the users of their province."""

import re

import pytest
from django.core import mail

from shahrak.accounts import services
from shahrak.accounts.choices import Role
from shahrak.accounts.models import AuditEntry, Membership, User
from shahrak.core.errors import DomainError, StaleEditError
from shahrak.places.models import Province
from tests.harness import PASSWORD, sample_user

pytestmark = pytest.mark.django_db


def province(code):
    return Province.objects.get(code=code)


def test_invite_sends_a_link_that_sets_the_password(
    client, people, django_capture_on_commit_callbacks
):
    client.force_login(people["bushehr-manager"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/users/invite/",
            {
                "username": "new-expert",
                "first_name": "سارا",
                "last_name": "بوشهری",
                "mobile": "۰۹۱۷۱۲۳۴۵۶۷",
                "email": "sara@example.org",
                "role": Role.EXPERT,
                "province": province("bushehr").pk,
            },
        )
    assert response.status_code == 302
    user = User.objects.get(username="new-expert")
    assert user.mobile == "09171234567" and not user.has_usable_password()
    assert user.memberships.get().province.code == "bushehr"
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+)", mail.outbox[0].body)[1]
    client.logout()
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    new_password = "Kh0sh-Amadid-1405"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    signed_in = client.post(
        "/accounts/login/", {"username": "09171234567", "password": new_password}
    )
    assert signed_in.status_code == 302


def test_manager_cannot_invite_into_another_province(people):
    with pytest.raises(DomainError) as error:
        services.user_invite(
            actor=people["bushehr-manager"],
            username="intruder",
            first_name="a",
            last_name="b",
            mobile="",
            email="",
            role=Role.EXPERT,
            province=province("yazd"),
        )
    assert error.value.code == "not_allowed"
    assert not User.objects.filter(username="intruder").exists()


def test_invite_form_offers_only_own_province(client, people):
    client.force_login(people["yazd-manager"])
    form = client.get("/accounts/users/invite/").context["form"]
    assert [p.code for p in form.fields["province"].queryset] == ["yazd"]
    assert Role.HQ not in dict(form.fields["role"].choices)


def test_posting_another_province_in_the_form_is_refused(client, people):
    client.force_login(people["yazd-manager"])
    response = client.post(
        "/accounts/users/invite/",
        {"username": "x", "first_name": "a", "last_name": "b", "role": Role.EXPERT,
         "province": province("bushehr").pk},
    )  # fmt: skip
    assert response.status_code == 200 and "province" in response.context["form"].errors
    assert not User.objects.filter(username="x").exists()


def test_only_administrators_grant_national_roles(people):
    user = sample_user("yazd")
    with pytest.raises(DomainError):
        services.membership_grant(
            actor=people["yazd-manager"], user=user, role=Role.HQ, province=None
        )
    services.membership_grant(actor=people["admin"], user=user, role=Role.HQ, province=None)
    assert user.memberships.filter(role=Role.HQ).exists()


def test_edit_shows_in_history_with_editor_and_values(client, people):
    user = sample_user("bushehr")
    user.first_name = "قدیم"
    user.save()
    client.force_login(people["bushehr-manager"])
    form = client.get(f"/accounts/users/{user.pk}/edit/").context["form"]
    response = client.post(
        f"/accounts/users/{user.pk}/edit/",
        {"first_name": "جديد", "last_name": "نمونه", "mobile": "", "email": "",
         "version": form.initial["version"]},
        REMOTE_ADDR="10.1.2.3",
    )  # fmt: skip
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.first_name == "جدید"  # normalised: Arabic yeh became Persian
    entry = AuditEntry.objects.get_for_object(user).order_by("-pk").first()
    assert entry.actor == people["bushehr-manager"]
    assert entry.remote_addr == "10.1.2.3"
    assert entry.changes["first_name"] == ["قدیم", "جدید"]
    assert entry.province.code == "bushehr"
    page = client.get(f"/accounts/users/{user.pk}/")
    history = page.context["history"]
    assert history[0].actor == people["bushehr-manager"]
    assert "قدیم" in page.text and "جدید" in page.text


def test_concurrent_edits_do_not_overwrite_each_other(client, people):
    user = sample_user("bushehr")
    client.force_login(people["bushehr-manager"])
    version = client.get(f"/accounts/users/{user.pk}/edit/").context["form"].initial["version"]
    first = {
        "first_name": "اول",
        "last_name": "نمونه",
        "mobile": "",
        "email": "",
        "version": version,
    }
    second = {**first, "first_name": "دوم"}
    assert client.post(f"/accounts/users/{user.pk}/edit/", first).status_code == 302
    stale = client.post(f"/accounts/users/{user.pk}/edit/", second)
    assert stale.status_code == 200
    assert "کاربر دیگری این رکورد را تغییر داده است" in str(
        stale.context["form"].non_field_errors()
    )
    user.refresh_from_db()
    assert user.first_name == "اول"
    with pytest.raises(StaleEditError):
        services.user_update(
            actor=people["bushehr-manager"], user=user, expected_version=version, first_name="x"
        )


def test_deactivate_archives_and_the_user_cannot_sign_in(client, people):
    user = sample_user("yazd")
    user.set_password(PASSWORD)
    user.save()
    client.force_login(people["yazd-manager"])
    asked = client.post(f"/accounts/users/{user.pk}/deactivate/")
    assert asked.status_code == 200 and User.objects.get(pk=user.pk).is_active  # asks first
    page = asked.content.decode()
    assert str(user) in page and 'name="confirmed" value="yes"' in page
    confirmed = client.post(f"/accounts/users/{user.pk}/deactivate/", {"confirmed": "yes"})
    assert confirmed.status_code == 302
    user.refresh_from_db()
    assert not user.is_active and User.objects.filter(pk=user.pk).exists()
    client.logout()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200  # refused
    entry = AuditEntry.objects.get_for_object(user).order_by("-pk").first()
    assert entry.changes["is_active"] == [True, False]


def test_taking_a_role_away_archives_the_membership(client, people):
    user = sample_user("yazd")
    membership = user.memberships.get()
    client.force_login(people["yazd-manager"])
    asked = client.post(f"/accounts/memberships/{membership.pk}/archive/")
    assert asked.status_code == 200 and not Membership.objects.get(pk=membership.pk).is_archived
    assert membership.get_role_display() in asked.content.decode()
    url = f"/accounts/memberships/{membership.pk}/archive/"
    assert client.post(url, {"confirmed": "yes"}).status_code == 302
    membership.refresh_from_db()
    assert membership.is_archived and membership.archived_by == people["yazd-manager"]
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_cannot_deactivate_a_user_who_also_works_elsewhere(people):
    user = sample_user("yazd")
    Membership.objects.create(user=user, role=Role.EXPERT, province=province("bushehr"))
    with pytest.raises(DomainError):
        services.user_deactivate(actor=people["yazd-manager"], user=user)
    user.refresh_from_db()
    assert user.is_active


def test_nobody_deactivates_themselves(people):
    with pytest.raises(DomainError):
        services.user_deactivate(actor=people["yazd-manager"], user=people["yazd-manager"])


def test_delete_is_not_offered_anywhere(client, people):
    client.force_login(people["admin"])
    response = client.delete(f"/api/v1/users/{sample_user('yazd').pk}/")
    assert response.status_code == 405


def test_password_reset_by_email(client, people):
    user = sample_user("bushehr")
    user.email = "expert@example.org"
    user.save()
    response = client.post("/accounts/password/reset/", {"email": "expert@example.org"})
    assert response.status_code == 302 and len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+)", mail.outbox[0].body)[1]
    form_page = client.get(link, follow=True)
    new_password = "Tazeh-Gozarvazheh-99"
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_weak_passwords_are_refused(client, people):
    client.force_login(people["yazd-expert"])
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200 and response.context["form"].errors
