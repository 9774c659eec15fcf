"""Direction controls in user text: a name typed with U+202E («واحد \\u202egpj.exe», which a
browser shows as «واحد exe.jpg») is stored without it through the form, the API and the
import; and user text a page shows is isolated from its surroundings (the <title>, the
heading, table cells and history cells), so that even an old record that still holds a
control cannot reverse the page around it."""

import re

import pytest

from shahrak.core.text import normalize_fa
from shahrak.units import services
from shahrak.units.models import Unit
from tests.form_checks import as_rendered
from tests.harness import sample_park
from tests.units.test_import import legal_id, row, xlsx

pytestmark = pytest.mark.django_db

RLO = "\u202e"  # right-to-left override
TYPED = f"واحد {RLO}gpj.exe"
STORED = "واحد gpj.exe"
# Every character that steers direction: marks, embeddings, overrides, isolates.
CODES = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
CONTROLS = [chr(code) for code in CODES]
FSI, PDI = "\u2068", "\u2069"


@pytest.mark.parametrize("control", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_normalised_text_holds_no_direction_control(control):
    assert normalize_fa(f"واحد {control}abc{control} ۱") == "واحد abc 1"


@pytest.fixture
def expert(people):
    return people["bushehr-expert"]


@pytest.fixture
def park(people):
    return sample_park("bushehr")


def test_name_typed_in_the_form_is_stored_without_the_control(client, expert, park):
    client.force_login(expert)
    data = as_rendered(client.get("/units/new/").content.decode())
    data.update(
        name=TYPED, county=park.county.pk, park=park.pk, isic_code="1030", products="خرما",
        sector="food_dates", employees="5", status="operational", status_on="1400/01/10",
    )  # fmt: skip
    response = client.post("/units/new/", data)
    assert response.status_code == 302, response.context["form"].errors
    assert Unit.objects.get().name == STORED


def test_name_sent_to_the_api_is_stored_without_the_control(client, expert, park):
    client.force_login(expert)
    response = client.post(
        "/api/v1/units/",
        {"name": TYPED, "county": park.county.pk, "park": park.pk, "isic_code": "1030",
         "products": f"خرما{RLO}", "sector": "food_dates", "employees": 5},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert Unit.objects.get().name == STORED and Unit.objects.get().products == "خرما"


def test_name_imported_is_stored_without_the_control(expert, park):
    from shahrak.units.imports import import_units

    report = import_units(xlsx([row(**{"نام واحد": TYPED})]), "u.xlsx", actor=expert, apply=True)
    assert report.ok, report.problems
    assert Unit.objects.get(national_id=legal_id(555)).name == STORED


@pytest.fixture
def old_unit(expert, park):
    """A unit stored before names were cleaned: its name still holds the override (written
    past the services), then renamed through them, so its history shows the name too."""
    unit = services.unit_create(
        actor=expert, county=park.county, park=park, name="موقت", isic_code="1030",
        products="خرما", sector="food_dates", employees=5,
    )  # fmt: skip
    from shahrak.accounts.audit import acting_as

    with acting_as(expert):
        unit.name = TYPED
        unit.save()
    Unit.objects.filter(pk=unit.pk).update(name=TYPED)
    return unit


def test_pages_isolate_user_text_and_drop_its_controls(client, expert, old_unit):
    client.force_login(expert)
    html = client.get(f"/units/{old_unit.pk}/").content.decode()
    assert RLO not in html
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert f"{FSI}{STORED}{PDI}" in title  # plain text: a <title> holds no markup
    heading = re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)
    assert heading.startswith(f"<bdi>{STORED}</bdi>")
    history = html[html.index('id="history"') :]
    assert f'<td class="after"><bdi>{STORED}</bdi></td>' in history
    assert '<td class="before"><bdi>موقت</bdi></td>' in history

    listing = client.get("/units/").content.decode()
    assert RLO not in listing
    assert re.search(rf"<td[^>]*><a [^>]*><bdi>{STORED}</bdi></a></td>", listing)

    edit = client.get(f"/units/{old_unit.pk}/edit/").content.decode()
    title = re.search(r"<title>(.*?)</title>", edit, re.S).group(1)
    assert f"{FSI}{STORED}{PDI}" in title and RLO not in title
