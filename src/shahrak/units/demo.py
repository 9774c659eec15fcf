"""Demo units of Bushehr and Yazd on the demo timeline of shared/MISSION.md.

- Bushehr at the end of 1400: more than 570 units in operation in its 20 parks and zones,
  mostly dates and aquatic-products processing; over 90 % of its SMEs inside parks; exports
  in 1400 a little over 70 million USD to Russia, Ukraine, China, India and the Persian Gulf.
- Yazd at the end of 1401-H1: more than 1,500 units in operation (zilou weaving in Meybod
  among them). Which of them became idle since 1400 (177 identified by 1401-06-31) and which
  restarted (about 60, 13 of them in the first half of 1401) is the revival demo's
  (`revival/demo.py`): it opens and ends their cases through the revival services, which
  record the units' "idle" and "restarted" events, so that every restart has its case.
Names, IDs and every other figure are invented; the units are marked as demo data. They are
written in bulk (not one by one through the services), so they carry no audit entries.
The demo unit representatives (accounts' demo users) represent plausible units: Bushehr's a
date-packing exporter, Yazd's an exporter in Ardakan and a unit that restarted after idling.
"""

from decimal import Decimal

from shahrak.core.jalali import to_gregorian
from shahrak.core.text import search_key
from shahrak.parks.models import Park
from shahrak.places.models import County

from . import tally
from .choices import IdleReason, Sector, UnitStatus
from .models import ExportRecord, Unit, UnitStatusEvent, UnitStatusInterval
from .services import check_transition, intervals_from_events


def j(year, month, day):
    return to_gregorian(year, month, day)


BUSHEHR_SECTORS = [
    (Sector.FOOD_DATES, "1030", ["بسته‌بندی خرما", "شیره خرما", "خرمای پیاروم"], 0.38),
    (Sector.FOOD_AQUATIC, "1020", ["فرآوری میگو", "کنسرو ماهی تن", "پودر ماهی"], 0.30),
    (Sector.FOOD_OTHER, "1079", ["نان صنعتی", "آب معدنی"], 0.08),
    (Sector.CHEMICALS, "2220", ["لوله پلی‌اتیلن", "ظروف پلاستیکی"], 0.10),
    (Sector.CERAMICS, "2395", ["بلوک سیمانی", "موزاییک"], 0.08),
    (Sector.METALS, "2511", ["اسکلت فلزی", "درب و پنجره"], 0.06),
]
YAZD_SECTORS = [
    (Sector.TEXTILES_ZILOU, "1393", ["زیلو", "گلیم دستباف"], 0.10),
    (Sector.TEXTILES_OTHER, "1312", ["پارچه", "حوله", "نخ"], 0.20),
    # ISIC 2392 is clay building materials: tiles, bricks (sanitary ware is 2393's).
    (Sector.CERAMICS, "2392", ["کاشی", "سرامیک", "آجر نما"], 0.25),
    (Sector.FOOD_OTHER, "1073", ["شیرینی و باقلوا", "پسته فرآوری‌شده"], 0.12),
    (Sector.METALS, "2410", ["فولاد", "ریخته‌گری"], 0.13),
    (Sector.MACHINERY, "2829", ["ماشین‌آلات نساجی", "قطعات صنعتی"], 0.10),
    (Sector.CHEMICALS, "2013", ["کود شیمیایی", "رنگ"], 0.10),
]
GULF = ["AE", "QA", "OM", "KW", "IQ"]


# demo username → the units they represent: the first demo unit matching each condition
REPRESENTED = {
    "bushehr-unit": [
        {"county__province__code": "bushehr", "sector": Sector.FOOD_DATES,
         "status": UnitStatus.OPERATIONAL, "exports__isnull": False},
    ],
    "yazd-unit": [
        {"county__province__code": "yazd", "county__code": "ardakan",
         "status": UnitStatus.OPERATIONAL, "exports__isnull": False},
        # (and a unit that restarted after idling: linked by the revival demo, which makes it)
    ],
}  # fmt: skip


def load(ctx) -> None:
    if not Unit.objects.filter(is_demo=True).exists():  # a second run changes nothing
        _load_units(ctx)
    link_representatives()


def link_representatives() -> None:
    """Link each demo representative to their units (once; the users come from accounts'
    demo, so nothing happens without it)."""
    from django.contrib.auth import get_user_model

    for username, conditions in REPRESENTED.items():
        user = get_user_model().objects.filter(username=username).first()
        if user is None or user.represented_units.exists():
            continue
        for condition in conditions:
            unit = Unit.objects.filter(is_demo=True, **condition).distinct().order_by("pk").first()
            if unit is not None:
                unit.representatives.add(user)


def _load_units(ctx) -> None:
    maker = _Maker(ctx)
    maker.province("bushehr", BUSHEHR_SECTORS, in_parks=665, outside=42, reference_year=1400)
    maker.province(
        "yazd", YAZD_SECTORS, in_parks=1720, outside=160, reference_year=1401, idle_since_1400=177
    )
    maker.write()
    maker.exports()


class _Maker:
    def __init__(self, ctx):
        self.ctx = ctx
        self.rng = ctx.random
        self.units: list[Unit] = []
        self.events: dict[int, list[UnitStatusEvent]] = {}
        self.serial = 0

    def _pick_sector(self, sectors):
        roll, total = self.rng.random(), 0.0
        for sector in sectors:
            total += sector[3]
            if roll <= total:
                return sector
        return sectors[-1]

    def province(self, code, sectors, *, in_parks, outside, reference_year, idle_since_1400=0):
        parks = list(Park.objects.filter(county__province__code=code).order_by("pk"))
        counties = list(County.objects.filter(province__code=code).order_by("pk"))
        total = in_parks + outside
        # Each unit's story, in shuffled order so that every park gets some of each.
        stories = (
            ["opens_later"] * int(total * 0.06)
            + ["closed"] * int(total * 0.03)
            + ["idle_before"] * int(total * 0.02)
            + [f"idle_since_1400:{k}" for k in range(idle_since_1400)]
        )
        stories += ["operating"] * (total - len(stories))
        self.rng.shuffle(stories)
        for index, story in enumerate(self.ctx.progress(stories, f"units of {code}")):
            park = parks[index % len(parks)] if index < in_parks else None
            county = park.county if park else counties[index % len(counties)]
            sector, isic, products, _share = self._pick_sector(sectors)
            self.serial += 1
            employees = self.rng.choice([4, 6, 8, 12, 18, 25, 35, 45, 60, 80, 120, 200])
            # The name names the unit's own product. Two draws, as when the name drew one of
            # its own, so that the demo's other random numbers stay as they were.
            self.rng.choice(products)
            product = self.rng.choice(products)
            unit = Unit(
                name=f"واحد نمایشی {self.serial} — {product}",
                national_id=_legal_id(10_100_000 + self.serial),
                county=county,
                park=park,
                latitude=(park or county).latitude,
                longitude=(park or county).longitude,
                isic_code=isic,
                products=product,
                sector=sector,
                employees=employees,
                licence_number=f"DEMO-{self.serial}" if index % 5 else "",
                is_demo=True,
            )
            unit.search_text = search_key(f"{unit.name} {unit.national_id} {unit.products}")
            self.units.append(unit)
            self.events[id(unit)] = self._timeline(story, reference_year)

    def _timeline(self, story, year):
        """A unit's statuses over the years: (status, date, idle reason)."""
        rng = self.rng
        opened = rng.randint(1382, year - 1)
        # A unit that became idle had opened before: before the year it became idle in.
        if story == "idle_before":  # idle since the fifth month of year - 3
            opened = min(opened, year - 4)
        elif story.startswith("idle_since_1400:"):  # idle from the first month of 1400 on
            opened = min(opened, 1399)
        built = [(UnitStatus.UNDER_CONSTRUCTION, j(opened - 1, 6, 1), "")]
        operating = [*built, (UnitStatus.OPERATIONAL, j(opened, rng.randint(1, 12), 10), "")]
        if story == "opens_later":  # still being built at the reference date
            return [(UnitStatus.UNDER_CONSTRUCTION, j(year - 1, 3, 1), ""),
                    (UnitStatus.OPERATIONAL, j(rng.randint(year + 1, 1404), 2, 1), "")]  # fmt: skip
        if story == "closed":
            return [*operating, (UnitStatus.CLOSED, j(max(opened + 1, 1396), 8, 1), "")]
        if story == "idle_before":
            return [*operating, (UnitStatus.IDLE, j(year - 3, 5, 1), IdleReason.WORKING_CAPITAL)]
        if story.startswith("idle_since_1400:"):
            return operating + _idle_since_1400(int(story.split(":")[1]), rng)
        return operating

    def write(self):
        Unit.objects.bulk_create(self.units, batch_size=500)
        for unit in self.units:
            unit._events = [
                UnitStatusEvent(unit=unit, status=status, on=on, reason=reason)
                for status, on, reason in self.events.pop(id(unit))
            ]
        for unit in self.units:
            # In date order, each status allowed after the one before (as the services would
            # have it); the status is the latest-dated one's. A story that breaks this is a
            # mistake of this generator: loading stops rather than store it.
            unit._events.sort(key=lambda event: event.on)
            previous = None
            for event in unit._events:
                check_transition(previous, event.status)
                previous = event.status
            unit.status, unit.status_since = unit._events[-1].status, unit._events[-1].on
        UnitStatusEvent.objects.bulk_create(
            [event for unit in self.units for event in unit._events], batch_size=1000
        )
        Unit.objects.bulk_update(self.units, ["status", "status_since"], batch_size=500)
        intervals = [i for unit in self.units for i in intervals_from_events(unit, unit._events)]
        UnitStatusInterval.objects.bulk_create(intervals, batch_size=1000)

    def exports(self):
        """Exports of every year since 1395; Bushehr's 1400 total a little over 70 M USD."""
        records = []
        for code, products, destinations, total_1400 in [
            ("bushehr", ["خرما", "میگو", "کنسرو ماهی", "پودر ماهی"],
             {"RU": 20, "UA": 8, "CN": 22, "IN": 18, "AE": 14, "QA": 6, "OM": 5, "KW": 4, "IQ": 3},
             Decimal("70400000")),
            ("yazd", ["کاشی و سرامیک", "زیلو", "پارچه", "پسته"],
             {"IQ": 35, "AF": 25, "AE": 15, "TR": 10, "RU": 15}, Decimal("185000000")),
        ]:  # fmt: skip
            exporters = [
                u for u in self.units
                if u.county.province.code == code and u.employees >= 12
            ][:160]  # fmt: skip
            for year in range(1395, 1405):
                target = total_1400 * (1 + Decimal("0.06") * (year - 1400))
                weights = [Decimal(self.rng.random() + 0.2) for _ in exporters]
                scale = target / sum(weights)
                for unit, weight in zip(exporters, weights, strict=True):
                    records.append(
                        ExportRecord(
                            unit=unit,
                            on=j(year, 12, 20),
                            destination=self.rng.choices(
                                list(destinations), weights=list(destinations.values())
                            )[0],
                            product=self.rng.choice(products),
                            value_usd=(weight * scale).quantize(Decimal("1")),
                        )
                    )
        ExportRecord.objects.bulk_create(records, batch_size=1000)
        tally.rebuild()  # written past the services that keep the sums


def _idle_since_1400(k: int, rng) -> list:
    """Yazd's units that will become idle since 1400 (177 stories, in operation since 1399 at
    the latest) stay in operation here: the revival demo opens their cases, whose services
    record their idle and restart events. The random draws of the earlier generator are kept,
    so that every other unit is the same as before."""
    rng.choice(IdleReason.values[:8])
    if k >= 61:
        rng.choice([1400, 1400, 1401]), rng.randint(1, 6)
    return []


def _legal_id(serial: int) -> str:
    """A valid 11-digit legal-entity ID from a serial (the check digit computed)."""
    body = f"{serial:010d}"
    shift = int(body[9]) + 2
    weights = (29, 27, 23, 19, 17, 29, 27, 23, 19, 17)
    remainder = sum((int(body[i]) + shift) * weights[i] for i in range(10)) % 11
    return body + str(0 if remainder == 10 else remainder)
