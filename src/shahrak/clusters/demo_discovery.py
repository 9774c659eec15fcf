"""Units placed for discovery (clusters/discovery.py): groups of operating units of one class
and area that no registered cluster covers, so that discovery finds a candidate in each
province that is not yet a cluster. Loaded by the clusters' demo, after the units', revival's
and support's (so that their picks among the units stay as they were), with random numbers of
their own; written in bulk like the units' demo (status events and intervals with them)."""

import math
import random
from decimal import Decimal

from shahrak.core.jalali import to_gregorian
from shahrak.core.text import search_key
from shahrak.places.models import County
from shahrak.units.choices import Sector, UnitStatus
from shahrak.units.demo import _legal_id
from shahrak.units.models import Unit, UnitStatusEvent, UnitStatusInterval
from shahrak.units.services import intervals_from_events


def j(year, month, day):
    return to_gregorian(year, month, day)


# Groups of operating units of one class and area that no registered cluster covers, so that
# discovery (clusters/discovery.py) finds a candidate in each province: Meybod's hand-made
# pottery and Bandar Ganaveh's boat builders (lenj). Outside the parks, in operation since
# 1385–1398; (province, county, sector, ISIC, products, centre, units, spread in km).
DISCOVERY_GROUPS = [
    ("yazd", "meybod", Sector.CERAMICS, "2393", ["سفال و سرامیک دستی", "کاشی سنتی دست‌ساز"],
     (32.2452, 54.0110), 14, 12.0),
    ("bushehr", "ganaveh", Sector.OTHER, "3011", ["لنج‌سازی", "قایق‌سازی چوبی"],
     (29.5791, 50.5170), 12, 15.0),
]  # fmt: skip
DISCOVERY_FIRST_SERIAL = 10_190_000


def load_groups(ctx) -> None:
    """Write the units of DISCOVERY_GROUPS (once: a group whose first unit exists is left
    as it is). Their own random numbers, so the other demo units stay as they were."""
    rng = random.Random(f"{ctx.seed}:discovery-groups")
    serial = DISCOVERY_FIRST_SERIAL
    for group in DISCOVERY_GROUPS:
        province, county_code, sector, isic, products, (lat, lon), count, spread = group
        first = _legal_id(serial)
        serial += count
        if Unit.objects.filter(national_id=first).exists():
            continue
        county = County.objects.get(province__code=province, code=county_code)
        units, events = [], []
        for k in range(count):
            # Within `spread` km of the centre (a small-angle offset).
            distance, bearing = spread * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
            d_lat = math.degrees(distance / 6371.0088 * math.cos(bearing))
            d_lon = math.degrees(distance / 6371.0088 * math.sin(bearing)) / math.cos(
                math.radians(lat)
            )
            product = rng.choice(products)
            unit = Unit(
                # Numbered after the units' demo (about 2,600), so that in the unit list's
                # natural order they come last and its first pages stay as they were.
                name=f"واحد نمایشی {3000 + serial - DISCOVERY_FIRST_SERIAL - count + k + 1} — "
                f"{product}",
                national_id=_legal_id(serial - count + k),
                county=county,
                latitude=Decimal(f"{lat + d_lat:.6f}"),
                longitude=Decimal(f"{lon + d_lon:.6f}"),
                isic_code=isic,
                products=product,
                sector=sector,
                employees=rng.choice([3, 5, 6, 8, 10, 12, 15, 22]),
                is_demo=True,
            )
            unit.search_text = search_key(f"{unit.name} {unit.national_id} {unit.products}")
            opened = rng.randint(1385, 1398)
            unit._events = [
                UnitStatusEvent(unit=unit, status=UnitStatus.UNDER_CONSTRUCTION,
                                on=j(opened - 1, 6, 1)),
                UnitStatusEvent(unit=unit, status=UnitStatus.OPERATIONAL,
                                on=j(opened, rng.randint(1, 12), 10)),
            ]  # fmt: skip
            unit.status, unit.status_since = UnitStatus.OPERATIONAL, unit._events[-1].on
            units.append(unit)
        Unit.objects.bulk_create(units)
        for unit in units:
            for event in unit._events:
                event.unit = unit
                events.append(event)
        UnitStatusEvent.objects.bulk_create(events)
        UnitStatusInterval.objects.bulk_create(
            [i for unit in units for i in intervals_from_events(unit, unit._events)]
        )
