"""A unit's representatives: the manager of its province links them (inviting a new one for
the unit, or linking an existing unit representative of the province) and unlinks them; the
unit's page lists them to those who may see people; the links are in the unit's history."""

import re

import pytest

from shahrak.accounts import services as account_services
from shahrak.accounts.choices import Role
from shahrak.accounts.models import AuditEntry, Membership, User
from shahrak.core.errors import DomainError, NotAllowed
from shahrak.places.models import Province
from shahrak.units import services
from shahrak.units.models import Unit
from tests.harness import SAMPLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(people):
    """The sample unit of each province; the province's `<code>-unit` represents it."""
    return {code: SAMPLES[Unit](code) for code in ("bushehr", "yazd")}


def province(code):
    return Province.objects.get(code=code)


def new_representative(code, username="second-rep"):
    user = User.objects.create_user(username=username, first_name="رضا", last_name="نماینده")
    Membership.objects.create(user=user, role=Role.UNIT_REP, province=province(code))
    return user


def test_the_manager_links_and_unlinks_a_representative(people, units):
    unit, rep = units["yazd"], new_representative("yazd")
    assert not Unit.objects.restrict(rep).exists()
    services.unit_representative_add(actor=people["yazd-manager"], unit=unit, user=rep)
    assert list(Unit.objects.restrict(rep)) == [unit]
    services.unit_representative_remove(actor=people["yazd-manager"], unit=unit, user=rep)
    assert not Unit.objects.restrict(User.objects.get(pk=rep.pk)).exists()
    assert User.objects.get(pk=rep.pk).is_active  # unlinked, not removed
    changes = [
        entry.changes["representatives"]
        for entry in AuditEntry.objects.get_for_object(unit).order_by("pk")
        if "representatives" in (entry.changes or {})
    ]
    assert [(c["operation"], c["objects"]) for c in changes][-2:] == [
        ("add", [str(rep)]),
        ("delete", [str(rep)]),
    ]


@pytest.mark.parametrize("actor", ["yazd-expert", "bushehr-manager", "yazd-unit", "hq"])
def test_only_the_manager_of_the_units_province_links(people, units, actor):
    rep = new_representative("yazd")
    with pytest.raises(NotAllowed):
        services.unit_representative_add(actor=people[actor], unit=units["yazd"], user=rep)
    with pytest.raises(NotAllowed):
        services.unit_representative_remove(
            actor=people[actor], unit=units["yazd"], user=people["yazd-unit"]
        )


def test_only_a_unit_representative_of_the_units_province_is_linked(people, units):
    manager, unit = people["yazd-manager"], units["yazd"]
    for user in (people["yazd-expert"], people["bushehr-unit"], people["yazd-unit"]):
        with pytest.raises(DomainError):
            services.unit_representative_add(actor=manager, unit=unit, user=user)
    with pytest.raises(DomainError):
        services.unit_representative_remove(actor=manager, unit=unit, user=people["yazd-expert"])


def test_the_unit_page_lists_its_representatives_to_those_who_see_people(client, people, units):
    unit = units["yazd"]
    second = new_representative("yazd", "yazd-second-rep")
    client.force_login(people["yazd-manager"])
    page = client.get(unit.get_absolute_url()).content.decode()
    assert f'href="/accounts/users/{people["yazd-unit"].pk}/"' in page
    assert f'action="/units/{unit.pk}/representatives/remove/"' in page
    assert f'<option value="{second.pk}">' in page  # an existing representative to link
    assert f"/accounts/users/invite/?role=unit_rep&amp;province={unit.county.province_id}" in page
    person = client.get(f"/accounts/users/{people['yazd-unit'].pk}/").content.decode()
    assert f'href="{unit.get_absolute_url()}"' in person  # the person's page names their unit
    linked = client.post(f"/units/{unit.pk}/representatives/", {"user": second.pk}, follow=True)
    assert second in unit.representatives.all()
    history = linked.content.decode()
    assert str(second) in history and "'type'" not in history  # the history reads as text
    asked = client.post(f"/units/{unit.pk}/representatives/remove/", {"user": second.pk})
    assert asked.status_code == 200 and second in unit.representatives.all()  # asks first
    assert str(second) in asked.content.decode() and str(unit) in asked.content.decode()
    client.post(
        f"/units/{unit.pk}/representatives/remove/", {"user": second.pk, "confirmed": "yes"}
    )
    assert second not in unit.representatives.all()

    client.force_login(people["auditor"])  # sees the people, changes nothing
    page = client.get(unit.get_absolute_url()).content.decode()
    assert "yazd-unit" in page and "/representatives/" not in page
    for username in ("yazd-expert", "yazd-unit"):  # people are not for them
        client.force_login(people[username])
        page = client.get(unit.get_absolute_url()).content.decode()
        assert "/representatives/" not in page and "/accounts/users/" not in page


def test_linking_from_the_page_is_refused_to_others(client, people, units):
    rep = new_representative("yazd")
    for username in ("yazd-expert", "bushehr-manager"):
        client.force_login(people[username])
        answer = client.post(f"/units/{units['yazd'].pk}/representatives/", {"user": rep.pk})
        assert answer.status_code == 404
    assert rep not in units["yazd"].representatives.all()


def test_inviting_a_representative_names_the_unit(client, people, units):
    manager, yazd = people["yazd-manager"], province("yazd")
    person = {"first_name": "مینا", "last_name": "یزدی", "mobile": "", "email": ""}
    client.force_login(manager)
    form = client.get(
        "/accounts/users/invite/",
        {"role": "unit_rep", "province": yazd.pk, "unit": units["yazd"].pk},
    ).context["form"]
    assert form["unit"].value() == str(units["yazd"]) and form["role"].value() == "unit_rep"
    assert list(form.fields["unit"].queryset) == [units["yazd"]]  # the manager's province only
    refused = client.post(
        "/accounts/users/invite/",
        {**person, "username": "no-unit", "role": "unit_rep", "province": yazd.pk},
    )
    assert refused.status_code == 200 and refused.context["form"].errors["unit"]
    assert not User.objects.filter(username="no-unit").exists()
    elsewhere = client.post(
        "/accounts/users/invite/",
        {**person, "username": "wrong-unit", "role": "unit_rep", "province": yazd.pk,
         "unit": units["bushehr"].pk},
    )  # fmt: skip
    assert elsewhere.status_code == 200 and elsewhere.context["form"].errors["unit"]
    invited = client.post(
        "/accounts/users/invite/",
        {**person, "username": "mina", "role": "unit_rep", "province": yazd.pk,
         "unit": units["yazd"].pk},
    )  # fmt: skip
    assert invited.status_code == 302
    assert list(Unit.objects.restrict(User.objects.get(username="mina"))) == [units["yazd"]]
    expert = client.post(
        "/accounts/users/invite/",
        {**person, "username": "new-expert", "role": "expert", "province": yazd.pk},
    )
    assert expert.status_code == 302  # other roles name no unit


def test_the_invite_service_requires_the_unit_and_writes_nothing_without_it(people, units):
    invite = {"first_name": "الف", "last_name": "ب", "mobile": "", "email": "",
              "role": Role.UNIT_REP, "province": province("yazd")}  # fmt: skip
    with pytest.raises(DomainError):
        account_services.user_invite(actor=people["yazd-manager"], username="a", **invite)
    with pytest.raises(DomainError):  # a unit of another province: the link is refused…
        account_services.user_invite(
            actor=people["yazd-manager"], username="b", linked=units["bushehr"], **invite
        )
    assert not User.objects.filter(username__in=["a", "b"]).exists()  # …and nobody created


def test_the_invite_form_searches_the_units_in_their_natural_order(client, people, units):
    """Among a province's many units: a text box suggesting them (no «---------» to scroll
    past), in natural order (…۲ before …۱۰), and typing a unit's name, in either digits,
    names it; a name of another province's unit is refused."""
    from shahrak.core.jalali import parse_jalali_date as jd

    manager, yazd = people["yazd-manager"], province("yazd")
    park = units["yazd"].park
    for number in (10, 2, 1):
        services.unit_create(
            actor=manager, county=park.county, park=park, name=f"کاشی یزد {number}",
            isic_code="2392", products="کاشی", sector="ceramics", employees=5,
            status="operational", status_on=jd("1400/01/10"),
        )  # fmt: skip
    client.force_login(manager)
    html = client.get("/accounts/users/invite/").content.decode()
    assert "---------" not in html
    box = re.search(r'<input[^>]*name="unit"[^>]*>', html)[0]
    listed = re.search(r'<datalist id="([^"]+)">(.*?)</datalist>', html, re.S)
    assert f'list="{listed[1]}"' in box
    names = re.findall(r'<option value="([^"]*)">', listed[2])
    tiles = [name for name in names if name.startswith("کاشی یزد")]
    assert tiles == ["کاشی یزد ۱", "کاشی یزد ۲", "کاشی یزد ۱۰"]
    person = {"first_name": "مینا", "last_name": "یزدی", "mobile": "", "email": "",
              "role": "unit_rep", "province": yazd.pk}  # fmt: skip
    invited = client.post(
        "/accounts/users/invite/", {**person, "username": "mina", "unit": "كاشي يزد 2"}
    )
    assert invited.status_code == 302
    assert [u.name for u in Unit.objects.restrict(User.objects.get(username="mina"))] == [
        "کاشی یزد 2"
    ]
    refused = client.post(
        "/accounts/users/invite/", {**person, "username": "other", "unit": str(units["bushehr"])}
    )
    assert refused.status_code == 200 and refused.context["form"].errors["unit"]


def test_the_link_drop_down_starts_on_the_prompt(client, people, units):
    new_representative("yazd")
    client.force_login(people["yazd-manager"])
    html = client.get(units["yazd"].get_absolute_url()).content.decode()
    first = re.search(r'<select name="user"[^>]*>\s*<option value="([^"]*)"[^>]*>([^<]*)<', html)
    assert first[1] == "" and first[2] == "انتخاب کنید"


def test_unlinking_someone_not_linked_shows_the_unit_page_with_the_reason(client, people, units):
    """A button's form (no fields to fill in) refused: the unit's page again, the reason
    said above it, nothing changed."""
    stranger = new_representative("yazd")
    client.force_login(people["yazd-manager"])
    response = client.post(
        f"/units/{units['yazd'].pk}/representatives/remove/", {"user": stranger.pk}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="representatives"' in html  # the unit's own page
    assert re.search(r'<li class="error">[^<]*نمایندهٔ واحد:', html), html[:3000]
    assert "yazd-unit" in html  # still linked and listed
