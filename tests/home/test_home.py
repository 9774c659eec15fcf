"""Every role's home shows its work: a unit representative's, the units they represent with
their status, its history and their exports; the menu and the home offer only the areas the
user may open (reports are for those who hold a province, not for representatives)."""

import datetime as dt
from decimal import Decimal

import pytest

from shahrak.units import services
from shahrak.units.models import Unit
from tests.harness import SAMPLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(people):
    """Yazd's sample unit (represented by yazd-unit), with a story: operating, idle, restarted,
    and exports in two years."""
    unit = SAMPLES[Unit]("yazd")
    manager = people["yazd-manager"]
    for status, on, reason in [("operational", dt.date(2019, 5, 1), ""),
                               ("idle", dt.date(2021, 6, 1), "market"),
                               ("restarted", dt.date(2022, 1, 10), "")]:  # fmt: skip
        services.unit_change_status(actor=manager, unit=unit, status=status, on=on, reason=reason)
    for on, value in [(dt.date(2021, 3, 1), 1000), (dt.date(2022, 8, 1), 2500),
                      (dt.date(2022, 9, 1), 500)]:  # fmt: skip
        services.export_add(actor=manager, unit=unit, on=on, destination="IQ", product="کاشی",
                            value_usd=Decimal(value))  # fmt: skip
    return Unit.objects.get(pk=unit.pk)


def test_a_representatives_home_shows_their_unit(client, people, unit):
    client.force_login(people["yazd-unit"])
    page = client.get("/")
    html = page.content.decode()
    assert [u.pk for u in page.context["units"]] == [unit.pk]
    assert f'href="{unit.get_absolute_url()}"' in html
    assert "راه‌اندازی مجدد" in html and "۱۴۰۰/۱۰/۲۰" in html  # 2022-01-10
    assert [e.status for e in page.context["units"][0].timeline] == [
        "operational",
        "idle",
        "restarted",
    ]
    # Exports by Jalali year: 1399 (2021-03-01 is in Esfand 1399) and 1401 (two records).
    years = page.context["units"][0].exports_by_year
    assert [(row["year"], row["usd"]) for row in years] == [(1401, 3000), (1399, 1000)]
    assert "۳٬۰۰۰" in html  # Persian digits and the Persian thousands separator


def test_others_see_their_areas_not_units(client, people, unit):
    client.force_login(people["yazd-manager"])
    page = client.get("/")
    assert page.context["units"] == [] and not page.context["represents_none"]
    assert 'href="/reports/"' in page.content.decode()


def test_a_representative_without_a_unit_is_told_why_the_home_is_empty(client, people):
    client.force_login(people["yazd-unit"])  # no sample unit made: represents nothing
    page = client.get("/")
    assert page.context["units"] == [] and page.context["represents_none"]


@pytest.mark.parametrize("username", ["yazd-unit", "bushehr-unit", "yazd-agent"])
def test_reports_are_not_offered_to_those_without_a_province(client, people, username):
    client.force_login(people[username])
    home = client.get("/").content.decode()
    assert 'href="/reports/"' not in home  # neither in the menu nor among the areas
    for path in ("/reports/", "/reports/press/", "/reports/trend/",
                 "/api/v1/reports/metrics/", "/api/v1/reports/press/"):  # fmt: skip
        assert client.get(path).status_code == 403, path


def test_no_new_unit_or_import_for_a_representative(client, people, unit):
    client.force_login(people["yazd-unit"])
    listing = client.get("/units/").content.decode()
    assert unit.name in listing
    assert 'href="/units/new/"' not in listing and 'href="/units/import/"' not in listing
    page = client.get(unit.get_absolute_url()).content.decode()
    for action in ("edit/", "status/", "exports/", "representatives/"):
        assert f"{unit.get_absolute_url()}{action}" not in page
    assert unit.park.get_absolute_url() not in page  # parks are not theirs to open
    client.force_login(people["yazd-expert"])  # the province's staff keep the unit's records
    listing = client.get("/units/").content.decode()
    assert 'href="/units/new/"' in listing and 'href="/units/import/"' in listing
    page = client.get(unit.get_absolute_url()).content.decode()
    for action in ("edit/", "status/", "exports/"):
        assert f"{unit.get_absolute_url()}{action}" in page


def test_a_representative_may_not_change_the_units_records(client, people, unit):
    client.force_login(people["yazd-unit"])
    assert client.get(f"{unit.get_absolute_url()}edit/").status_code == 404
    answer = client.post(f"{unit.get_absolute_url()}exports/", {"on": "1401/01/01"})
    assert answer.status_code == 404
