"""Discovery over the registry: which units it considers (operating, located, visible to the
user, not members of a registered cluster of their class), the command's and the API's JSON,
the page with its map, and a candidate registered as a cluster in one step."""

import io
import json
import math
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from shahrak.accounts.models import AuditEntry
from shahrak.clusters import services
from shahrak.clusters.models import Cluster, Membership
from shahrak.core.text import to_fa_digits
from shahrak.places.models import Province
from shahrak.units import services as unit_services
from shahrak.units.choices import UnitStatus
from shahrak.units.models import Unit
from tests.ids import legal_id
from tests.revival.factories import UnitFactory

pytestmark = pytest.mark.django_db

MEYBOD = (32.2452, 54.0110)
KM_PER_DEGREE = 2 * math.pi * 6371.0088 / 360
serials = iter(range(1_040_000_000, 1_050_000_000))


def unit(expert, km_north, *, isic="2393", employees=10, province="yazd", products="سفال", **kw):
    """An operating unit `km_north` km north of Meybod (a unit of Bushehr: of Bushehr port)."""
    lat, lon = MEYBOD if province == "yazd" else (28.9234, 50.8203)
    made = UnitFactory(
        actor=expert, province=province, isic_code=isic, employees=employees,
        products=products, national_id=legal_id(next(serials)), **kw,
    )  # fmt: skip
    made.latitude = Decimal(f"{lat + km_north / KM_PER_DEGREE:.6f}")
    made.longitude = Decimal(f"{lon:.6f}")
    made.save(update_fields=["latitude", "longitude"])
    return made


def discover_json(*args):
    out = io.StringIO()
    call_command("clusters", "discover", "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def yazd(people):
    """12 potters within 20 km north of Meybod (12 jobs each; one of 40), 3 far in the south
    (150 km), and 11 weavers of another class in Meybod of which 5 are members of a zilou
    cluster."""
    expert = people["yazd-expert"]
    potters = [unit(expert, 2 * k, employees=40 if k == 0 else 12) for k in range(12)]
    far = [unit(expert, -150 - k, employees=12) for k in range(3)]
    weavers = [unit(expert, 1, isic="1393", products="زیلو") for _ in range(11)]
    zilou = services.cluster_create(
        actor=expert, province=Province.objects.get(code="yazd"), name="خوشهٔ زیلو",
        isic_code="1393", product="زیلو", centre_latitude=Decimal(str(MEYBOD[0])),
        centre_longitude=Decimal(str(MEYBOD[1])),
    )  # fmt: skip
    for weaver in weavers[:5]:
        services.member_add(actor=expert, cluster=zilou, unit=weaver, joined_on=_day())
    return {"potters": potters, "far": far, "weavers": weavers, "zilou": zilou}


def _day():
    import datetime as dt

    return dt.date(2022, 3, 1)


def ids(units):
    return sorted(u.national_id for u in units)


def test_the_command_gives_the_candidates_in_rank_order(people, yazd):
    found = discover_json("--province", "yazd", "--as", "yazd-expert")
    assert found["parameters"] == {"province": "yazd", "radius_km": 100, "min_units": 10}
    potters, weavers = yazd["potters"], yazd["weavers"]
    # Potters: 12 units (the 3 far ones are 150 km away); jobs 40 + 11 × 12 = 172. The LQ by
    # hand: the province's jobs are 15 potters' (40 + 14 × 12 = 208) and 11 weavers' (110),
    # the nation's the same (no other province has units): LQ = 1 for both classes.
    # Weavers: 6 left (5 are members of the zilou cluster) — below 10.
    assert [c["isic"] for c in found["candidates"]] == ["2393"]
    (potter,) = found["candidates"]
    assert potter["units"] == 12
    assert potter["jobs"] == 172
    assert potter["members"] == ids(potters)
    assert potter["province"] == "yazd"
    assert potter["product"] == "سفال"
    assert potter["radius_km"] == 100
    assert potter["lq"] == pytest.approx(1.0)
    # The centre: the unit reaching most (all 12 reach each other); ties → smallest ID.
    centre = min(potters, key=lambda u: u.national_id)
    assert potter["centre"] == {"lat": float(centre.latitude), "lon": float(centre.longitude)}
    assert len(weavers) - 5 < 10


def test_members_of_a_cluster_of_their_class_are_left_out_but_not_of_another(people, yazd):
    expert = people["yazd-expert"]
    # Five more weavers: 11 free ones now.
    for _ in range(5):
        unit(expert, 3, isic="1393", products="زیلو")
    found = discover_json("--province", "yazd", "--as", "yazd-expert")
    weavers = [c for c in found["candidates"] if c["isic"] == "1393"]
    assert len(weavers) == 1 and weavers[0]["units"] == 11
    assert not set(weavers[0]["members"]) & set(ids(yazd["weavers"][:5]))
    # A potter joining the zilou cluster (another class) still counts as a potter.
    services.member_add(
        actor=expert, cluster=yazd["zilou"], unit=yazd["potters"][3], joined_on=_day()
    )
    found = discover_json("--province", "yazd", "--as", "yazd-expert")
    potters = next(c for c in found["candidates"] if c["isic"] == "2393")
    assert yazd["potters"][3].national_id in potters["members"]


def test_only_operating_located_units_count(people, yazd):
    expert = people["yazd-expert"]
    potters = yazd["potters"]
    unit_services.unit_change_status(
        actor=expert, unit=potters[0], status=UnitStatus.IDLE, on=_day(), reason="market"
    )
    Unit.objects.filter(pk=potters[1].pk).update(latitude=None, longitude=None)
    found = discover_json("--province", "yazd", "--min-units", "10", "--as", "yazd-expert")
    (potter,) = found["candidates"]
    assert potter["members"] == ids(potters[2:])
    assert (
        discover_json("--province", "yazd", "--min-units", "11", "--as", "yazd-expert")[
            "candidates"
        ]
        == []
    )


def test_the_radius_and_the_scope_of_the_user(people, yazd):
    # With 300 km the three far potters join: 15.
    found = discover_json("--province", "yazd", "--radius-km", "300", "--as", "yazd-expert")
    assert next(c for c in found["candidates"] if c["isic"] == "2393")["units"] == 15
    # Bushehr's expert sees no unit of Yazd, and may not name the province.
    assert discover_json("--as", "bushehr-expert")["candidates"] == []
    with pytest.raises(CommandError):
        discover_json("--province", "yazd", "--as", "bushehr-expert")
    # Headquarters sees them all.
    assert len(discover_json("--as", "hq")["candidates"]) == 1


def test_the_table_format(people, yazd):
    out = io.StringIO()
    call_command("clusters", "discover", "--province", "yazd", "--as", "yazd-expert", stdout=out)
    lines = out.getvalue().splitlines()
    assert "1 candidates" in lines[0] or "1 candidate" in lines[0]
    assert "2393" in lines[2] and " 12 " in lines[2] and " 172 " in lines[2]


def test_the_location_quotient_compares_the_province_with_the_nation(people, yazd):
    # Bushehr: 20 units of another class, 10 jobs each → the nation has 200 more jobs, none
    # of them potters'. Yazd's potters: 208 of Yazd's 318 jobs; the nation's: 208 of 518.
    bushehr = people["bushehr-expert"]
    for k in range(20):
        unit(bushehr, k, isic="1020", province="bushehr", products="میگو")
    found = discover_json("--as", "hq")
    potter = next(c for c in found["candidates"] if c["isic"] == "2393")
    assert potter["lq"] == pytest.approx(round((208 / 318) / (208 / 518), 2))
    shrimp = next(c for c in found["candidates"] if c["isic"] == "1020")
    assert shrimp["lq"] == pytest.approx(round((200 / 200) / (200 / 518), 2))
    # Rank: 20 shrimp units before 12 potters.
    assert [c["isic"] for c in found["candidates"]] == ["1020", "2393"]


def test_the_api_gives_the_same_json(client, people, yazd):
    client.force_login(people["yazd-expert"])
    answer = client.get("/api/v1/clusters/candidates/", {"province": "yazd"})
    assert answer.status_code == 200
    assert answer.json() == discover_json("--province", "yazd", "--as", "yazd-expert")
    assert client.get("/api/v1/clusters/candidates/", {"province": "bushehr"}).status_code == 404
    assert client.get("/api/v1/clusters/candidates/", {"radius_km": "0"}).status_code == 400
    client.force_login(people["yazd-agent"])
    assert client.get("/api/v1/clusters/candidates/").status_code == 403


def test_the_page_maps_the_candidates_and_offers_registration_to_the_staff(client, people, yazd):
    url = reverse("clusters:candidate-list")
    client.force_login(people["yazd-manager"])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html
    # Every member is a point with its hover label naming the unit (Persian digits, as the
    # rest of the page); the map fits the page's width (no fixed width to overflow a phone).
    for potter in yazd["potters"]:
        assert f"<title>۱. {to_fa_digits(potter.name)} — " in html
    svg = html[html.index("<svg") : html.index(">", html.index("<svg"))]
    assert "width:100%" in svg and 'width="' not in svg
    assert reverse("clusters:candidate-register") in html
    # The clusters' list links to it.
    assert url in client.get(reverse("clusters:cluster-list")).content.decode()
    # The auditor reads the candidates but is offered no registration.
    client.force_login(people["auditor"])
    html = client.get(url, {"province": "yazd"}).content.decode()
    assert "<svg" in html and reverse("clusters:candidate-register") not in html
    client.force_login(people["yazd-agent"])
    assert client.get(url).status_code == 403


def test_a_manager_registers_a_candidate_as_a_cluster_in_one_step(client, people, yazd):
    client.force_login(people["yazd-manager"])
    centre = min(yazd["potters"], key=lambda u: u.national_id)
    form = {
        "isic_code": "2393", "centre": centre.national_id, "province": "yazd",
        "radius_km": "100", "min_units": "10", "name": "خوشهٔ سفال میبد",
    }  # fmt: skip
    answer = client.post(reverse("clusters:candidate-register"), form)
    cluster = Cluster.objects.get(isic_code="2393")
    assert answer.status_code == 302 and answer["Location"] == cluster.get_absolute_url()
    assert (cluster.isic_code, cluster.product, cluster.radius_km) == ("2393", "سفال", 100)
    assert (cluster.centre_latitude, cluster.centre_longitude) == (
        centre.latitude,
        centre.longitude,
    )
    members = Membership.objects.filter(cluster=cluster, left_on=None)
    assert sorted(m.unit.national_id for m in members) == ids(yazd["potters"])
    assert AuditEntry.objects.get_for_object(cluster).exists()
    assert all(AuditEntry.objects.get_for_object(m).exists() for m in members)
    # Its units are now assigned: the candidate is gone, and registering it again is refused.
    assert discover_json("--province", "yazd", "--as", "yazd-expert")["candidates"] == []
    again = client.post(reverse("clusters:candidate-register"), form, follow=True)
    assert Cluster.objects.filter(isic_code="2393").count() == 1
    assert "این خوشهٔ بالقوه دیگر در فهرست یافته‌ها نیست" in again.content.decode()


def test_registration_is_for_the_staff_of_the_candidates_province(client, people, yazd):
    centre = min(yazd["potters"], key=lambda u: u.national_id)
    form = {
        "isic_code": "2393", "centre": centre.national_id, "radius_km": "100",
        "min_units": "10", "name": "x",
    }  # fmt: skip
    for username in ("auditor", "bushehr-manager", "yazd-agent"):
        client.force_login(people[username])
        client.post(reverse("clusters:candidate-register"), form)
    assert not Cluster.objects.filter(isic_code="2393").exists()


def test_the_page_counts_candidates_in_numbers_and_says_why_there_are_none(client, people, yazd):
    """Persian plurals (n > 1) give 0 and 1 the same form: it states the number, never «one»;
    a province with no located unit says so, not that the settings are to blame."""
    url = reverse("clusters:candidate-list")
    client.force_login(people["hq"])
    html = client.get(url, {"province": "isfahan"}).content.decode()
    assert "۰ واحد فعال دارای موقعیت بررسی شد؛ ۰ خوشهٔ بالقوه." in html
    assert "یک خوشهٔ بالقوه" not in html
    assert "موقعیت واحدها را ثبت کنید" in html
    assert "با این تنظیمات هیچ گروهی" not in html
    # Yazd: one candidate (the potters), stated as a number.
    html = client.get(url, {"province": "yazd"}).content.decode()
    assert "۱ خوشهٔ بالقوه." in html and "یک خوشهٔ بالقوه" not in html
    # Units considered but none reaching the minimum: the settings are what keeps them out.
    html = client.get(url, {"province": "yazd", "min_units": "50"}).content.decode()
    assert "با این تنظیمات هیچ گروهی" in html and "موقعیت واحدها را ثبت کنید" not in html


def test_the_discovery_form_shows_and_takes_persian_digits(client, people, yazd):
    client.force_login(people["yazd-manager"])
    url = reverse("clusters:candidate-list")
    html = client.get(url).content.decode()
    assert 'name="radius_km" value="۱۰۰"' in html and 'name="min_units" value="۱۰"' in html
    # Typed in Persian digits: read as numbers, shown back in Persian digits.
    page = client.get(url, {"province": "yazd", "radius_km": "۵۰", "min_units": "۱۲"})
    assert page.context["radius_km"] == 50 and page.context["min_units"] == 12
    html = page.content.decode()
    assert 'name="radius_km" value="۵۰"' in html and 'name="min_units" value="۱۲"' in html


def test_the_page_explains_the_location_quotient(client, people, yazd):
    client.force_login(people["yazd-manager"])
    html = client.get(reverse("clusters:candidate-list"), {"province": "yazd"}).content.decode()
    hint = "ضریب مکانی: سهم این رشته (کد آیسیک) از اشتغال استان در برابر سهم آن از اشتغال کشور"
    assert f'<abbr title="{hint}' in html  # on the card's label, on hover
    assert f'<p class="muted" id="lq-hint">{hint}' in html  # once under the count
