"""restrict(): the scoping mechanism, on the models that exist so far."""

import pytest

from shahrak.accounts.choices import Action, Role
from shahrak.accounts.models import AuditEntry, Membership, User
from shahrak.accounts.policy import access_for, forget_access
from shahrak.accounts.scoping import ScopeRule, province_id_of
from shahrak.places.models import Province
from tests.harness import PEOPLE, PROVINCES, marker, may, sample_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def samples(people):
    return {code: sample_user(code) for code in PROVINCES}


@pytest.mark.parametrize("username", list(PEOPLE))
@pytest.mark.parametrize("action", [Action.VIEW, Action.CHANGE, Action.MANAGE_USERS])
def test_restrict_agrees_with_the_role_table(people, samples, username, action):
    seen = set(
        User.objects.restrict(people[username], action)
        .filter(username__startswith="sample-")
        .values_list("username", flat=True)
    )
    expected = {marker(code) for code in PROVINCES if may(username, User, action, code)}
    assert seen == expected


def test_bushehr_expert_cannot_count_search_or_guess_yazd(client, people, samples):
    client.force_login(people["bushehr-manager"])
    yazd = samples["yazd"]
    assert client.get(f"/accounts/users/{yazd.pk}/").status_code == 404
    assert client.get(f"/api/v1/users/{yazd.pk}/").status_code == 404
    listing = client.get("/accounts/users/", {"q": "sample-yazd"})
    assert listing.status_code == 200 and listing.context["page"].paginator.count == 0
    api = client.get("/api/v1/users/").json()
    assert marker("yazd") not in str(api) and marker("bushehr") in str(api)


def test_unit_representative_sees_no_people(client, people, samples):
    client.force_login(people["bushehr-unit"])
    assert client.get("/accounts/users/").status_code == 403
    assert client.get(f"/accounts/users/{samples['bushehr'].pk}/").status_code == 404
    assert client.get("/api/v1/users/").status_code == 403


def test_a_person_with_two_provinces_sees_both(people, samples):
    assert (
        User.objects.restrict(people["auditor"]).filter(username__startswith="sample-").count() == 2
    )


def test_many_valued_scope_does_not_duplicate(people):
    user = sample_user("bushehr")
    Membership.objects.create(
        user=user, role=Role.UNIT_REP, province=Province.objects.get(code="bushehr")
    )
    forget_access(user)
    assert User.objects.restrict(people["hq"]).filter(pk=user.pk).count() == 1


def test_archived_membership_grants_nothing(people):
    manager = people["yazd-manager"]
    assert User.objects.restrict(manager).filter(username="yazd-expert").exists()  # before
    manager.memberships.get().archive(actor=people["admin"])
    forget_access(manager)
    assert not access_for(manager).provinces(Action.VIEW)
    assert not User.objects.restrict(manager).exists()


def test_inactive_and_anonymous_users_see_nothing(people, samples):
    from django.contrib.auth.models import AnonymousUser

    hq = people["hq"]
    assert User.objects.restrict(hq).filter(username__startswith="sample-").count() == 2
    hq.is_active = False
    assert not User.objects.restrict(hq).exists()
    assert not User.objects.restrict(AnonymousUser()).exists()
    assert not User.objects.restrict(None).exists()


def test_registry_rules_let_everyone_read(monkeypatch, people, samples):
    """Reference data: every signed-in person reads all of it, whatever their role (or none);
    changing it still follows the province; nobody signed out reads it."""
    from django.contrib.auth.models import AnonymousUser

    monkeypatch.setattr(Membership, "scope", ScopeRule(province="province", registry=True))
    every = set(Membership._base_manager.values_list("pk", flat=True))
    assert len(every) > len(PEOPLE)  # the people's and the samples' memberships
    for username in ["nobody", "bushehr-unit", "yazd-agent", "bushehr-expert", "hq"]:
        seen = set(Membership.objects.restrict(people[username], Action.VIEW).values_list(
            "pk", flat=True))  # fmt: skip
        assert seen == every, username
    for username in ["nobody", "bushehr-unit"]:
        assert not Membership.objects.restrict(people[username], Action.CHANGE).exists()
    bushehr = Membership._base_manager.filter(province__code="bushehr").values_list("pk", flat=True)
    changed = Membership.objects.restrict(people["bushehr-expert"], Action.CHANGE)
    assert set(changed.values_list("pk", flat=True)) == set(bushehr)
    assert not Membership.objects.restrict(AnonymousUser(), Action.VIEW).exists()


def test_audit_entries_carry_their_province(people):
    membership = sample_user("yazd").memberships.get()
    entry = AuditEntry.objects.get_for_object(membership).get()
    assert entry.province.code == "yazd"
    assert province_id_of(membership) == membership.province_id
    visible = AuditEntry.objects.restrict(people["bushehr-manager"])
    assert not visible.filter(pk=entry.pk).exists()
    assert AuditEntry.objects.restrict(people["yazd-manager"]).filter(pk=entry.pk).exists()
    assert not AuditEntry.objects.restrict(people["yazd-expert"]).exists()


def test_history_values_are_shown_as_the_ui_shows_them():
    import datetime as dt

    from django.utils import translation

    from shahrak.accounts.history import shown

    field = User._meta.get_field
    with translation.override("fa"):
        assert shown(field("is_active"), True) == "بله"
        assert shown(field("is_active"), "False") == "خیر"
        assert shown(field("date_joined"), "2022-09-22 20:00:00") == "۱۴۰۱/۰۶/۳۱، ساعت ۲۳:۳۰"
        assert shown(field("date_joined"), dt.datetime(2022, 9, 22, 20, tzinfo=dt.UTC)) == (
            "۱۴۰۱/۰۶/۳۱، ساعت ۲۳:۳۰"
        )
        assert shown(Membership._meta.get_field("role"), "manager") == "مدیر استان"
        assert shown(field("mobile"), None) == "—"


def test_object_roles_reach_only_their_own_objects(monkeypatch, people, samples):
    """Unit representatives and cluster agents see records through objects of their own.
    Units and clusters come later; here a model's rule points `unit` at the membership's
    user, and the representative's own "unit" is themselves."""
    from shahrak.accounts import scoping

    monkeypatch.setattr(Membership, "scope", ScopeRule(province="province", unit="user"))
    monkeypatch.setitem(
        scoping.OBJECT_SCOPES, "unit", lambda user: User.objects.filter(pk=user.pk).values("pk")
    )
    representative = people["yazd-unit"]
    seen = Membership.objects.restrict(representative)
    assert list(seen) == list(representative.memberships.all())
    assert not Membership.objects.restrict(people["yazd-agent"]).exists()  # no cluster path
    # Without a registered provider the role reaches nothing.
    monkeypatch.delitem(scoping.OBJECT_SCOPES, "unit")
    assert not Membership.objects.restrict(representative).exists()
