import datetime as dt
from decimal import Decimal

import pytest

from shahrak.core.errors import DomainError
from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.units import services
from shahrak.units.choices import UnitStatus
from shahrak.units.models import Unit, UnitStatusInterval
from tests.harness import sample_park

pytestmark = pytest.mark.django_db


@pytest.fixture
def expert(people):
    return people["yazd-expert"]


@pytest.fixture
def unit(expert):
    park = sample_park("yazd")
    return services.unit_create(
        actor=expert, county=park.county, park=park, name="زیلوبافی نمونه", isic_code="1393",
        products="زیلو", sector="textiles_zilou", employees=9, national_id="10380284790",
        status=UnitStatus.OPERATIONAL, status_on=jd("1399/01/10"),
    )  # fmt: skip


def refused(code, call, **kwargs):
    with pytest.raises(DomainError) as error:
        call(**kwargs)
    assert error.value.code == code
    return error.value


def test_status_timeline_and_intervals(unit, expert):
    services.unit_change_status(actor=expert, unit=unit, status="idle", on=jd("1400/03/01"),
                                reason="market")  # fmt: skip
    services.unit_change_status(actor=expert, unit=unit, status="restarted", on=jd("1401/02/01"))
    intervals = list(UnitStatusInterval.objects.filter(unit=unit).order_by("valid_from"))
    assert [(i.status, i.valid_from, i.valid_to) for i in intervals] == [
        ("operational", jd("1399/01/10"), jd("1400/03/01")),
        ("idle", jd("1400/03/01"), jd("1401/02/01")),
        ("restarted", jd("1401/02/01"), dt.date(9999, 12, 31)),
    ]
    unit.refresh_from_db()
    assert unit.status == "restarted" and unit.status_since == jd("1401/02/01")


@pytest.mark.parametrize(
    ("path", "illegal"),
    [([], "restarted"), (["idle"], "operational"), (["closed"], "operational")],
)
def test_illegal_transitions_are_refused(unit, expert, path, illegal):
    day = jd("1400/01/01")
    for status in path:
        services.unit_change_status(actor=expert, unit=unit, status=status, on=day, reason="market")
    error = refused("illegal_status_transition", services.unit_change_status, actor=expert,
                    unit=unit, status=illegal, on=day)  # fmt: skip
    assert "«" in str(error.message)


def test_idle_needs_a_reason_and_dates_move_forward(unit, expert):
    refused("idle_reason_required", services.unit_change_status, actor=expert, unit=unit,
            status="idle", on=jd("1400/01/01"))  # fmt: skip
    refused("date_before_last_change", services.unit_change_status, actor=expert, unit=unit,
            status="idle", on=jd("1398/01/01"), reason="market")  # fmt: skip
    refused("future_date", services.unit_change_status, actor=expert, unit=unit, status="idle",
            on=dt.date.today() + dt.timedelta(days=2), reason="market")  # fmt: skip


def test_location_must_be_consistent(expert, people):
    park = sample_park("yazd")
    other_county = park.county.province.counties.exclude(pk=park.county_id).first()
    fields = {"name": "x", "isic_code": "1393", "products": "x", "sector": "other", "employees": 1}
    refused("park_not_in_county", services.unit_create, actor=expert, county=other_county,
            park=park, **fields)  # fmt: skip
    bushehr = sample_park("bushehr")
    refused("not_allowed", services.unit_create, actor=expert, county=bushehr.county,
            park=bushehr, **fields)  # fmt: skip
    assert not Unit.objects.filter(name="x").exists()
    # The park in its own county, by an expert of its province: accepted.
    made = services.unit_create(actor=people["yazd-expert"], county=park.county, park=park,
                                **fields)  # fmt: skip
    assert Unit.objects.filter(name="x").get() == made and made.park == park


def test_bad_check_digit_is_refused(expert):
    from django.core.exceptions import ValidationError

    park = sample_park("yazd")
    with pytest.raises(ValidationError) as error:
        services.unit_create(actor=expert, county=park.county, park=park, name="x",
                             isic_code="1393", products="x", sector="other", employees=1,
                             national_id="10380284792")  # fmt: skip
    assert "national_id" in error.value.message_dict


def test_exports_need_a_real_country(unit, expert):
    refused("unknown_country", services.export_add, actor=expert, unit=unit, on=jd("1400/12/20"),
            destination="XX", product="زیلو", value_usd=Decimal(100))  # fmt: skip
    record = services.export_add(actor=expert, unit=unit, on=jd("1400/12/20"), destination="iq",
                                 product="زیلو", value_usd=Decimal(100))  # fmt: skip
    assert record.destination == "IQ"


def test_unit_representative_sees_only_their_unit(client, unit, people):
    other = Unit.objects.create(name="دیگر", county=unit.county, isic_code="1393",
                                products="x", sector="other")  # fmt: skip
    rep = people["yazd-unit"]
    unit.representatives.add(rep)
    assert list(Unit.objects.restrict(rep)) == [unit]
    client.force_login(rep)
    assert client.get(f"/units/{unit.pk}/").status_code == 200
    assert client.get(f"/units/{other.pk}/").status_code == 404
    assert client.get("/units/new/").status_code == 403
    listing = client.get("/units/")
    assert [u.pk for u, _ in listing.context["table"].rows()] == [unit.pk]


def test_api_lists_units_with_their_exports(client, unit, expert, people):
    services.export_add(actor=expert, unit=unit, on=jd("1400/12/20"), destination="IQ",
                        product="زیلو", value_usd=Decimal("1250.50"))  # fmt: skip
    client.force_login(people["auditor"])
    body = client.get("/api/v1/units/", {"province": "yazd", "sector": "textiles_zilou"}).json()
    assert body["count"] == 1
    record = body["results"][0]
    assert record["national_id"] == "10380284790" and record["size_class"] == "micro"
    assert record["exports"] == [
        {"id": record["exports"][0]["id"], "on": "2022-03-11", "destination": "IQ",
         "product": "زیلو", "value_usd": "1250.50"}
    ]  # fmt: skip
    client.force_login(people["bushehr-expert"])
    assert client.get(f"/api/v1/units/{unit.pk}/").status_code == 404


def test_a_province_filter_offers_and_applies_only_what_the_user_sees(client, unit, people):
    """Yazd units: a Bushehr manager filtering by Yazd sees nothing and is told why (never
    their own Bushehr units as if they were Yazd's); the drop-down offers Bushehr only."""
    from tests.harness import SAMPLES

    SAMPLES[Unit]("bushehr")  # one the Bushehr manager does see
    client.force_login(people["bushehr-manager"])
    assert client.get("/units/").context["page"].paginator.count == 1
    page = client.get("/units/", {"province": "yazd"})
    assert page.context["page"].paginator.count == 0
    assert page.context["filter"].form.errors["province"]
    offered = [code for code, _ in page.context["filter"].form.fields["province"].choices if code]
    assert [str(code) for code in offered] == ["bushehr"]
    assert client.get("/api/v1/units/", {"province": "yazd"}).status_code == 400
    client.force_login(people["yazd-expert"])
    assert client.get("/units/", {"province": "yazd"}).context["page"].paginator.count == 1
