import pytest
from django.urls import reverse

from shahrak.places.models import County, Province
from shahrak.places.registry import load_places, read_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def places(db):
    """The places as the data migration loads them. A browser test run before this module on
    the same worker ends with a flush that empties them (tests/harness.py: make_people loads
    them again for the others); loading is idempotent, as the last test here proves."""
    load_places(Province, County)


def test_all_31_provinces_with_stable_codes():
    assert Province.objects.count() == 31
    codes = set(Province.objects.values_list("code", flat=True))
    assert {"bushehr", "yazd", "khorasan-razavi", "tehran"} <= codes
    assert Province.objects.get(code="bushehr").iso_code == "IR-18"
    assert Province.objects.get(code="yazd").name_fa == "یزد"
    assert len(set(Province.objects.values_list("iso_code", flat=True))) == 31


def test_counties_of_bushehr_and_yazd_have_coordinates():
    bushehr = County.objects.filter(province__code="bushehr")
    yazd = County.objects.filter(province__code="yazd")
    assert bushehr.count() >= 10 and yazd.count() >= 11
    assert {"dashtestan", "kangan", "deyr", "dashti"} <= set(bushehr.values_list("code", flat=True))
    assert "meybod" in yazd.values_list("code", flat=True)
    for county in (*bushehr, *yazd):
        # Every county seat lies inside its province's rough bounding box.
        assert 27 <= county.latitude <= 33 and 50 <= county.longitude <= 57, county.code


def test_place_names_are_normalised_persian():
    from shahrak.core.text import normalize_fa

    for row in read_rows("provinces.csv") + read_rows("counties.csv"):
        assert row["name_fa"] == normalize_fa(row["name_fa"])


def test_loading_places_again_changes_nothing():
    before = list(County.objects.order_by("pk").values())
    load_places(Province, County)
    assert list(County.objects.order_by("pk").values()) == before


def test_province_pages(client, user):
    client.force_login(user)
    listing = client.get(reverse("places:province-list"))
    assert listing.status_code == 200
    provinces = listing.context["provinces"]
    assert [p.name_fa for p in provinces][:2] == ["آذربایجان شرقی", "آذربایجان غربی"]
    counts = {p.code: p.county_count for p in provinces}
    assert counts["bushehr"] == 10 and counts["yazd"] == 12 and counts["tehran"] == 0
    assert '">۱۲</td>' in listing.text  # Yazd's count in Persian digits
    page = client.get(reverse("places:province-detail", args=["yazd"]))
    assert page.status_code == 200 and "میبد" in page.text
    assert client.get(reverse("places:province-detail", args=["atlantis"])).status_code == 404


def test_the_iso_code_line_reads_right_in_persian(client, user):
    # «کد ISO 3166-2: IR-18» showed as «IR-18 :ISO 3166-2 کد»: a colon after Latin text in a
    # right-to-left line clings to the Latin. The label ends in a Persian word, and the label
    # and the code are isolated from each other.
    client.force_login(user)
    page = client.get(reverse("places:province-detail", args=["bushehr"])).text
    code = Province.objects.get(code="bushehr").iso_code
    line = f'<p class="iso-code"><bdi>کد ISO 3166-2 استان</bdi>: <bdi dir="ltr">{code}</bdi></p>'
    assert line in page


def test_place_pages_need_login(client):
    response = client.get(reverse("places:province-list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


PERSIAN_ALPHABET = " آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"


def _alphabetical(name: str) -> list[int]:
    """A name letter by letter, in the Persian alphabet's order (written out here)."""
    return [PERSIAN_ALPHABET.index(letter) for letter in name]


def test_the_province_drop_down_is_in_persian_alphabetical_order(people):
    from django.utils import translation

    from shahrak.accounts.access import provinces_for

    with translation.override("fa"):
        names = [p.name_fa for p in provinces_for(people["hq"])]
    assert len(names) == 31
    assert names == sorted(names, key=_alphabetical)
    # پ چ ژ گ come after ب ج ز ک, not after ی as their code points would put them.
    assert names.index("گلستان") < names.index("لرستان") < names.index("یزد")
    assert names.index("چهارمحال و بختیاری") < names.index("خوزستان")
    with translation.override("en"):
        english = [p.name_en for p in provinces_for(people["hq"])]
    assert english == sorted(english)


def test_counties_are_listed_by_province_then_name(people):
    from django.utils import translation

    from shahrak.parks.filtersets import visible_counties

    class Request:
        user = people["auditor"]  # Bushehr and Yazd

    with translation.override("fa"):
        counties = list(visible_counties(Request()))
    assert [c.province.code for c in counties] == sorted(
        (c.province.code for c in counties), key=lambda code: code != "bushehr"
    )
    for code in ("bushehr", "yazd"):
        names = [c.name_fa for c in counties if c.province.code == code]
        assert names == sorted(names, key=_alphabetical)


def test_the_province_list_shows_iso_codes_not_slugs(client, user):
    import re

    client.force_login(user)
    page = client.get(reverse("places:province-list")).text
    cells = re.sub(r"<[^>]+>", " ", page.split("<tbody>")[1])  # the text, not the links
    assert "east-azerbaijan" not in cells and "bushehr" not in cells
    assert Province.objects.get(code="bushehr").iso_code in cells
