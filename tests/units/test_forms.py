"""The unit forms record only what the user chose: every required choice starts on the
«انتخاب کنید» prompt, a form sent without it is refused naming the field, and nothing is
saved; the status form offers only the statuses the unit may go to next."""

import re

import pytest

from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.units import services
from shahrak.units.choices import TRANSITIONS, UnitStatus
from shahrak.units.models import ExportRecord, Unit, UnitStatusEvent
from tests.form_checks import as_rendered, chosen, field_error, select, starts_empty
from tests.harness import sample_park

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(people):
    return people["bushehr-manager"]


@pytest.fixture
def park(people):
    return sample_park("bushehr")


@pytest.fixture
def unit(manager, park):
    return services.unit_create(
        actor=manager, county=park.county, park=park, name="خرمای آزمون", isic_code="1030",
        products="خرما", sector="food_dates", employees=12, national_id="10380284790",
        status=UnitStatus.OPERATIONAL, status_on=jd("1400/01/10"),
    )  # fmt: skip


def test_new_unit_form_starts_every_required_choice_empty(client, manager):
    client.force_login(manager)
    html = client.get("/units/new/").content.decode()
    for name in ("county", "sector", "status"):
        assert starts_empty(html, name), name


def test_new_unit_sent_without_choosing_is_refused_naming_each_choice(client, manager):
    client.force_login(manager)
    data = as_rendered(client.get("/units/new/").content.decode())
    data.update(name="واحد تازه", isic_code="1030", products="خرما", employees="5")
    response = client.post("/units/new/", data)  # county, sector and status as they came
    assert response.status_code == 200
    assert {"county", "sector", "status"} <= set(response.context["form"].errors)
    for label in ("شهرستان", "بخش", "وضعیت"):
        assert field_error(response.content.decode(), label), label
    assert not Unit.objects.filter(name="واحد تازه").exists()


def test_status_form_offers_only_the_next_statuses_of_the_unit(client, manager, unit):
    client.force_login(manager)
    page = client.get(f"/units/{unit.pk}/")
    html = page.content.decode()
    assert starts_empty(html, "status")
    # An operating unit may become idle or close; "under construction" is behind it.
    offered = re.findall(r'<option value="([^"]+)"', select(html, "status"))
    assert offered == ["idle", "closed"]
    assert "under_construction" not in offered


@pytest.mark.parametrize("current", [None, *(s for s in UnitStatus if TRANSITIONS[s])])
def test_status_form_follows_the_transition_table(manager, unit, current):
    from shahrak.units.forms import StatusForm, UnitCreateForm

    unit.status = current or ""
    offered = {value for value, _label in StatusForm(unit=unit).fields["status"].choices if value}
    assert offered == set(TRANSITIONS[current])
    if current is None:  # a new unit's first status: the same table
        choices = UnitCreateForm(actor=manager).fields["status"].choices
        assert {value for value, _label in choices if value} == set(TRANSITIONS[None])


def test_status_form_refuses_a_status_the_unit_cannot_take(client, manager, unit):
    client.force_login(manager)
    response = client.post(
        f"/units/{unit.pk}/status/", {"status": "under_construction", "on": "1401/01/01"}
    )
    assert response.status_code == 200
    assert field_error(response.content.decode(), "وضعیت تازه")
    assert list(unit.events.values_list("status", flat=True)) == ["operational"]


def test_status_sent_without_choosing_is_refused(client, manager, park):
    # A unit without a status yet: either first status would be legal, so only the user
    # may say which; the form as it comes must not record one.
    fresh = services.unit_create(
        actor=manager, county=park.county, park=park, name="بی‌وضعیت", isic_code="1030",
        products="خرما", sector="food_dates", employees=3,
    )  # fmt: skip
    client.force_login(manager)
    action = f"/units/{fresh.pk}/status/"
    data = as_rendered(client.get(f"/units/{fresh.pk}/").content.decode(), action)
    response = client.post(action, data)
    assert field_error(response.content.decode(), "وضعیت تازه")
    assert not UnitStatusEvent.objects.filter(unit=fresh).exists()


def test_a_closed_unit_has_no_status_form(client, manager, unit):
    services.unit_change_status(actor=manager, unit=unit, status="closed", on=jd("1401/01/01"))
    client.force_login(manager)
    html = client.get(f"/units/{unit.pk}/").content.decode()
    assert f"/units/{unit.pk}/status/" not in html
    assert "«تعطیل» است دیگر تغییر نمی‌کند" in html


def test_export_form_starts_without_a_country(client, manager, unit):
    client.force_login(manager)
    html = client.get(f"/units/{unit.pk}/").content.decode()
    assert starts_empty(html, "destination")


def test_export_sent_without_choosing_a_destination_is_refused(client, manager, unit):
    client.force_login(manager)
    action = f"/units/{unit.pk}/exports/"
    data = as_rendered(client.get(f"/units/{unit.pk}/").content.decode(), action)
    data.update(product="خرما", value_usd="1000")
    response = client.post(action, data)
    assert field_error(response.content.decode(), "کشور مقصد")
    assert not ExportRecord.objects.filter(unit=unit).exists()


# --- a refused form comes back filled in, on the unit's page -----------------------------
def _field_value(html: str, name: str) -> str:
    found = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', html)
    assert found, name
    value = re.search(r'value="([^"]*)"', found[0])
    return value[1] if value else ""


def test_a_status_change_the_service_refuses_comes_back_as_typed(client, manager, unit):
    """Idle without a reason: the service says no; the page shows the form again with the
    date and note the user typed and the refusal on the reason field (not only a banner
    after a redirect that empties the form)."""
    client.force_login(manager)
    response = client.post(
        f"/units/{unit.pk}/status/",
        {"status": "idle", "on": "۱۴۰۲/۰۳/۱۷", "note": "یادداشتی که تایپ شد"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "خرمای آزمون" in html  # the unit's own page
    assert field_error(html, "علت (برای راکد)")
    assert _field_value(html, "on") == "۱۴۰۲/۰۳/۱۷"
    assert "یادداشتی که تایپ شد" in html
    assert chosen(html, "status")[0] == "idle"
    assert list(unit.events.values_list("status", flat=True)) == ["operational"]


def test_an_export_that_does_not_validate_comes_back_as_typed(client, manager, unit):
    client.force_login(manager)
    response = client.post(
        f"/units/{unit.pk}/exports/",
        {"on": "1402/13/40", "destination": "IQ", "product": "خرمای تایپ‌شده",
         "value_usd": "۱۲۵۰"},
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert field_error(html, "تاریخ")
    assert _field_value(html, "product") == "خرمای تایپ‌شده"
    assert _field_value(html, "value_usd") == "۱۲۵۰"  # in the digits of the Persian UI
    assert chosen(html, "destination")[0] == "IQ"
    assert not ExportRecord.objects.filter(unit=unit).exists()


def test_a_refused_edit_shows_the_typed_numbers_in_persian_digits(client, manager, unit):
    """Latitude, longitude and employees typed in either digits, the form refused for
    another field: they come back as numbers read in the Persian UI (and are accepted)."""
    client.force_login(manager)
    url = f"/units/{unit.pk}/edit/"
    data = as_rendered(client.get(url).content.decode())
    assert _field_value(client.get(url).content.decode(), "employees") == "۱۲"
    data.update(latitude="28.9148", longitude="۵۰٫۸۸", employees="45", name="")
    response = client.post(url, data)
    assert response.status_code == 200 and "name" in response.context["form"].errors
    html = response.content.decode()
    assert _field_value(html, "latitude") == "۲۸٫۹۱۴۸"
    assert _field_value(html, "longitude") == "۵۰٫۸۸"
    assert _field_value(html, "employees") == "۴۵"
    data.update(name="خرمای آزمون")
    assert client.post(url, data).status_code == 302
    unit.refresh_from_db()
    assert (str(unit.latitude), str(unit.longitude), unit.employees) == (
        "28.914800",
        "50.880000",
        45,
    )


def test_djangos_own_messages_read_with_persian_digits(client, manager, unit):
    """Employees −5: Django's message said «بزرگتر و یا مساوی 0» in ASCII digits."""
    client.force_login(manager)
    url = f"/units/{unit.pk}/edit/"
    data = as_rendered(client.get(url).content.decode())
    data.update(employees="-5")
    response = client.post(url, data)
    assert "employees" in response.context["form"].errors
    errors = re.findall(r'<span class="field-error">(.*?)</span>', response.content.decode(), re.S)
    assert errors and all(not re.search(r"[0-9]", error) for error in errors), errors
    assert any("۰" in error for error in errors), errors
