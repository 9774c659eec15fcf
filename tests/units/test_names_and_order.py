"""Names with numbers, as a Persian reader expects them: in natural order («…۲» before
«…۱۰») in the unit list, its park drop-down and the parks' plots; shown with Persian digits in
drop-downs; the filters' empty choice reads «همه». Runs on SQLite and PostgreSQL (--db)."""

import re
from decimal import Decimal

import pytest

from shahrak.parks.models import Park, Plot
from shahrak.units import services
from shahrak.units.models import Unit
from tests.harness import sample_park
from tests.persian import fa_digits

pytestmark = pytest.mark.django_db

NUMBERS = [10, 2, 1, 100, 21, 3]  # typed in this order, listed by value


@pytest.fixture
def units(people):
    park = sample_park("bushehr")
    for number in NUMBERS:
        # Half typed with Persian digits: stored with ASCII ones, ordered alike.
        typed = str(number) if number % 2 else fa_digits(number)
        services.unit_create(
            actor=people["bushehr-expert"], county=park.county, park=park,
            name=f"واحد نمونه {typed}", isic_code="1079", products="خرما", sector="food_dates",
            employees=5,
        )  # fmt: skip
    return park


def listed_names(client, **query) -> list[str]:
    page = client.get("/units/", query)
    return [unit.name for unit, _row in page.context["table"].rows()]


def test_the_unit_list_orders_numbers_by_value(client, people, units):
    client.force_login(people["bushehr-expert"])
    assert listed_names(client) == [f"واحد نمونه {n}" for n in sorted(NUMBERS)]


def test_the_sort_key_follows_a_rename(client, people, units):
    unit = Unit.objects.get(name="واحد نمونه 100")
    services.unit_update(actor=people["bushehr-expert"], unit=unit, expected_version=unit.version,
                         name="واحد نمونه 4")  # fmt: skip
    client.force_login(people["bushehr-expert"])
    assert listed_names(client) == [f"واحد نمونه {n}" for n in [1, 2, 3, 4, 10, 21]]


def test_the_unit_list_uses_its_index_for_the_order():
    from django.db import connection

    sql, params = Unit.objects.order_by("sort_key", "pk")[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "unit_sort_key" in plan and "TEMP B-TREE" not in plan, plan
        else:
            cursor.execute("SET enable_seqscan = off")  # an empty table: ask whether it can
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "unit_sort_key" in plan, plan


def test_park_and_plot_drop_downs_are_in_natural_order_with_persian_digits(client, people):
    county = sample_park("bushehr").county
    for number in [10, 2, 1]:
        park = Park.objects.create(
            county=county, name=f"شهرک صنعتی آزمون {number}", kind="industrial_park",
            latitude=county.latitude, longitude=county.longitude, gross_area_ha=Decimal(10),
            industrial_area_ha=Decimal(5),
        )  # fmt: skip
    for number in ["12", "9", "100"]:
        Plot.objects.create(park=park, number=number, area_m2=Decimal(500), use="industrial")
    client.force_login(people["bushehr-manager"])
    html = client.get("/units/").content.decode()
    select = re.search(r'<select name="park".*?</select>', html, re.S).group()
    labels = [label for label in re.findall(r">([^<]*)</option>", select) if "آزمون" in label]
    assert labels == [f"شهرک صنعتی آزمون {n}" for n in ["۱", "۲", "۱۰"]]
    form = client.get("/units/new/").content.decode()
    select = re.search(r'<select name="plot".*?</select>', form, re.S).group()
    plots = [label for label in re.findall(r">([^<]*)</option>", select) if "آزمون" in label]
    assert plots == [f"شهرک صنعتی آزمون ۱ — {n}" for n in ["۹", "۱۲", "۱۰۰"]]  # the last park


def test_empty_choices_of_the_filters_read_all(client, people, units):
    client.force_login(people["bushehr-expert"])
    html = client.get("/units/").content.decode()
    for name in ["province", "county", "park", "status", "sector", "size", "outside_parks"]:
        select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group()
        first = re.search(r'<option value=""[^>]*>([^<]*)</option>', select)
        assert first and first.group(1) == "همه", name
    everywhere = client.get("/units/", {"outside_parks": ""}).context["page"].paginator.count
    assert everywhere == len(NUMBERS)
    assert client.get("/units/", {"outside_parks": "true"}).context["page"].paginator.count == 0


def test_imported_units_take_their_place_in_the_order(client, people, units):
    """The import writes units in bulk (core.bulk), not through save(): with their key."""
    from shahrak.units.imports import import_units
    from tests.units.test_import import legal_id, row, xlsx

    content = xlsx([row(**{"نام واحد": "واحد نمونه ۵", "شناسه ملی": legal_id(556)})])
    report = import_units(content, "units.xlsx", actor=people["bushehr-manager"], apply=True)
    assert report.applied, report.problems
    client.force_login(people["bushehr-expert"])
    assert listed_names(client) == [f"واحد نمونه {n}" for n in [1, 2, 3, 5, 10, 21, 100]]


def test_search_finds_a_name_whatever_spelling_of_alef_and_hamza(client, people):
    park = sample_park("bushehr")
    for name in ("فرآوری خرمای جنوب", "جزء ماهی", "مسئول نمونه"):
        services.unit_create(
            actor=people["bushehr-expert"], county=park.county, park=park, name=name,
            isic_code="1079", products="خرما", sector="food_dates", employees=5,
        )  # fmt: skip
    client.force_login(people["bushehr-expert"])
    for typed, found in [("فراوری", "فرآوری خرمای جنوب"), ("فرآوری", "فرآوری خرمای جنوب"),
                         ("جز ماهی", "جزء ماهی"), ("مسیول", "مسئول نمونه")]:  # fmt: skip
        assert listed_names(client, q=typed) == [found], typed
    # The name itself is kept as it was written.
    assert Unit.objects.filter(name="فرآوری خرمای جنوب").exists()


def test_the_migration_refolds_stored_search_keys(people):
    import importlib

    from django.apps import apps

    park = sample_park("bushehr")
    unit = services.unit_create(
        actor=people["bushehr-expert"], county=park.county, park=park, name="فرآوری میگو",
        isic_code="1079", products="میگو", sector="food_dates", employees=5,
    )  # fmt: skip
    Unit.objects.filter(pk=unit.pk).update(search_text="فرآوری میگو")  # as keys were made before
    Park.objects.filter(pk=park.pk).update(search_text="شهرک آب")
    for app, name in [("units", "0005"), ("parks", "0004")]:
        module = importlib.import_module(
            f"shahrak.{app}.migrations.{name}_search_text_folds_spellings"
        )
        module.refold(apps, None)
    assert Unit.objects.get(pk=unit.pk).search_text == "فراوری میگو"
    assert Park.objects.get(pk=park.pk).search_text == "شهرک اب"


def test_filters_with_no_real_choice_are_not_shown(client, people):
    """A unit's representative was offered province and county drop-downs holding only «همه»."""
    client.force_login(people["bushehr-unit"])
    page = client.get("/units/")
    shown = page.context["filter"].form.fields
    assert "province" not in shown and "county" not in shown
    html = page.content.decode()
    assert 'name="province"' not in html and 'name="county"' not in html
    for name, field in shown.items():  # every drop-down left offers something to choose
        if hasattr(field, "choices") and not field.widget.is_hidden:
            assert any(value not in ("", None) for value, _ in field.choices), name
    client.force_login(people["bushehr-manager"])
    assert "county" in client.get("/units/").context["filter"].form.fields
