"""An Excel download is written inside the web request: a list longer than one file may hold
(`core.tables.EXPORT_MAX_ROWS`) is not written; the page says so instead of offering it."""

from decimal import Decimal

import pytest

from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.units import services
from tests.harness import sample_park

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_exports(people):
    manager = people["bushehr-manager"]
    park = sample_park("bushehr")
    unit = services.unit_create(
        actor=manager, county=park.county, park=park, name="واحد صادراتی",
        isic_code="1030", products="خرما", sector="food_dates", national_id="10380284790",
    )  # fmt: skip
    for day in ("1400/10/01", "1400/11/01", "1400/12/01"):
        services.export_add(actor=manager, unit=unit, on=jd(day), destination="OM",
                            product="خرما", value_usd=Decimal(100))  # fmt: skip
    return manager


def test_a_list_within_the_limit_downloads(client, three_exports, monkeypatch):
    monkeypatch.setattr("shahrak.core.pages.EXPORT_MAX_ROWS", 3)
    client.force_login(three_exports)
    response = client.get("/units/exports/?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("url", ["/units/exports/", "/units/"])
def test_a_longer_list_is_refused_with_its_size_and_the_way_out(
    client, three_exports, monkeypatch, url
):
    for module in ("shahrak.core.pages", "shahrak.core.context_processors"):
        monkeypatch.setattr(f"{module}.EXPORT_MAX_ROWS", 2 if "exports" in url else 0)
    client.force_login(three_exports)
    response = client.get(f"{url}?export=xlsx", follow=True)
    assert response.redirect_chain[-1][0] == url  # back to the list, without export
    assert not response.get("Content-Disposition")
    page = response.content.decode()
    rows = "۳" if "exports" in url else "۱"
    assert f"این فهرست {rows} ردیف دارد" in page
    assert "export=xlsx" not in page  # the download is not offered
    assert "حداکثر" in page
