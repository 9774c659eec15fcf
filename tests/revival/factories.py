"""Units with a status timeline, for revival tests (through the units services, so their
events and intervals are what the application itself would have recorded)."""

import factory

from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.units import services as unit_services
from shahrak.units.choices import UnitStatus
from shahrak.units.models import Unit
from tests.harness import sample_park


class UnitFactory(factory.django.DjangoModelFactory):
    """A unit of a province's sample park, operating since `operating_since` (Jalali text;
    None: no status at all), recorded by `actor`."""

    class Meta:
        model = Unit

    # Not fields of the unit: taken out in _create.
    province = "yazd"
    actor = None
    operating_since = "1399/01/10"

    name = factory.Sequence(lambda n: f"واحد آزمون {n}")
    isic_code = "1393"
    products = "زیلو"
    sector = "textiles_zilou"
    employees = 14

    @classmethod
    def _create(cls, model_class, *, province, actor, operating_since, **fields):
        park = sample_park(province)
        status = UnitStatus.OPERATIONAL if operating_since else None
        return unit_services.unit_create(
            actor=actor, county=park.county, park=park, status=status,
            status_on=jd(operating_since) if operating_since else None, **fields,
        )  # fmt: skip
