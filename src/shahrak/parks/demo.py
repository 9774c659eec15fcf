"""Demo parks of Bushehr and Yazd, with the infrastructure the first report tells of.

Report 1's "now" is the end of 1400 and its "last year" 1399 (see shared/MISSION.md):
- Borazjan's development section finished in 1399: 95 billion toman spent, land ready;
- Bushehr 2: a permanent 50 MW substation in service; asphalt, earthworks, power, water and
  sewage projects under way at the end of 1400;
- Delvar biotechnology zone: distribution and saline-water collection networks temporarily
  delivered; the seawater pumping station at 70 % at the end of 1400, delivered in 1401;
- water, power and telecom networks done or under way in Kangan, Deyr, Dashti, Bandar Rig
  and the northern special economic zone; 20 parks and zones in all.
Every other name and figure is invented and the parks are marked as demo data.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model

from shahrak.accounts.audit import acting_as
from shahrak.core.jalali import to_gregorian
from shahrak.core.numbers import toman_to_rial
from shahrak.core.text import normalize_fa
from shahrak.places.models import County

from . import services
from .choices import CapacityUnit, ParkKind, ParkStatus, PlotUse, ProjectKind
from .models import Park

K, Z, SEZ, TECH = (
    ParkKind.INDUSTRIAL_PARK,
    ParkKind.INDUSTRIAL_ZONE,
    ParkKind.SEZ,
    ParkKind.TECH_ZONE,
)
BILLION_TOMAN = 10**9

# (province, county, name, kind, established year, gross ha)
PARKS = [
    ("bushehr", "bushehr", "شهرک صنعتی بوشهر ۱", K, 1372, 180),
    ("bushehr", "bushehr", "شهرک صنعتی بوشهر ۲", K, 1388, 420),
    ("bushehr", "bushehr", "شهرک صنعتی چغادک", K, 1384, 150),
    ("bushehr", "dashtestan", "شهرک صنعتی برازجان", K, 1375, 260),
    ("bushehr", "dashtestan", "ناحیه صنعتی سعدآباد", Z, 1386, 60),
    ("bushehr", "dashtestan", "ناحیه صنعتی آب‌پخش", Z, 1385, 55),
    ("bushehr", "dashtestan", "ناحیه صنعتی شبانکاره", Z, 1390, 40),
    ("bushehr", "tangestan", "شهرک صنعتی دلوار", K, 1387, 120),
    ("bushehr", "tangestan", "زون زیست‌فناوری دلوار", TECH, 1395, 300),
    ("bushehr", "tangestan", "ناحیه صنعتی اهرم", Z, 1389, 45),
    ("bushehr", "dashti", "شهرک صنعتی خورموج", K, 1383, 110),
    ("bushehr", "dashti", "ناحیه صنعتی کاکی", Z, 1391, 35),
    ("bushehr", "kangan", "شهرک صنعتی کنگان", K, 1386, 140),
    ("bushehr", "deyr", "ناحیه صنعتی دیر", Z, 1388, 50),
    ("bushehr", "deyr", "ناحیه صنعتی بردخون", Z, 1392, 30),
    ("bushehr", "ganaveh", "شهرک صنعتی گناوه", K, 1382, 130),
    ("bushehr", "ganaveh", "ناحیه صنعتی بندر ریگ", Z, 1390, 45),
    ("bushehr", "deylam", "منطقه ویژه اقتصادی شمال استان بوشهر", SEZ, 1393, 900),
    ("bushehr", "deylam", "شهرک صنعتی دیلم", K, 1385, 90),
    ("bushehr", "jam", "شهرک صنعتی جم", K, 1389, 100),
    ("yazd", "yazd", "شهرک صنعتی یزد", K, 1368, 520),
    ("yazd", "yazd", "شهرک صنعتی خضرآباد", K, 1380, 300),
    ("yazd", "ashkezar", "شهرک صنعتی اشکذر", K, 1376, 240),
    ("yazd", "ardakan", "شهرک صنعتی اردکان", K, 1374, 380),
    ("yazd", "meybod", "شهرک صنعتی میبد", K, 1373, 350),
    ("yazd", "meybod", "ناحیه صنعتی زیلو میبد", Z, 1391, 40),
    ("yazd", "bafq", "شهرک صنعتی بافق", K, 1379, 200),
    ("yazd", "mehriz", "ناحیه صنعتی مهریز", Z, 1384, 90),
    ("yazd", "taft", "ناحیه صنعتی تفت", Z, 1385, 70),
    ("yazd", "abarkuh", "شهرک صنعتی ابرکوه", K, 1381, 160),
    ("yazd", "khatam", "ناحیه صنعتی هرات", Z, 1388, 50),
    ("yazd", "behabad", "ناحیه صنعتی بهاباد", Z, 1390, 40),
    ("yazd", "marvast", "ناحیه صنعتی مروست", Z, 1392, 35),
    ("yazd", "hamidiya", "ناحیه صنعتی حمیدیا", Z, 1389, 60),
]


def j(year, month, day):
    return to_gregorian(year, month, day)


def load(ctx) -> None:
    counties = {(c.province.code, c.code): c for c in County.objects.select_related("province")}
    admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    with acting_as(None):
        for province, county_code, name, kind, year, gross in ctx.progress(PARKS, "parks"):
            county = counties[(province, county_code)]
            if Park.objects.filter(county=county, name=normalize_fa(name)).exists():
                continue  # loaded before: a second run changes nothing
            park = services.park_create(
                actor=admin,
                county=county,
                name=name,
                kind=kind,
                status=ParkStatus.OPERATIONAL,
                latitude=county.latitude
                + Decimal(ctx.random.uniform(-0.08, 0.08)).quantize(Decimal("0.000001")),
                longitude=county.longitude
                + Decimal(ctx.random.uniform(-0.08, 0.08)).quantize(Decimal("0.000001")),
                gross_area_ha=Decimal(gross),
                industrial_area_ha=(Decimal(gross) * Decimal("0.62")).quantize(Decimal("0.01")),
                established_on=j(year, 1, 15),
                is_demo=True,
            )
            _plots(ctx, admin, park, year)
            STORIES.get(park.name, _ordinary_projects)(ctx, admin, park)
        _planned_projects(admin)


# A project not started yet in each province: one that may still be cancelled (or started,
# by its first progress report). Placed in a park whose story has no other project of its
# kind, in the parks that come first in the lists.
PLANNED = [
    ("شهرک صنعتی برازجان", "ایستگاه آتش‌نشانی شهرک صنعتی برازجان", 1406),
    ("شهرک صنعتی ابرکوه", "ایستگاه آتش‌نشانی شهرک صنعتی ابرکوه", 1406),
]


def _planned_projects(admin) -> None:
    for park_name, title, year in PLANNED:
        park = Park.objects.filter(name=normalize_fa(park_name)).first()
        if park is None or park.projects.filter(title=normalize_fa(title)).exists():
            continue
        services.project_create(
            actor=admin, park=park, title=title, kind=ProjectKind.OTHER,
            estimated_cost_rial=_rial(12), contractor="پیمانکار نمایشی",
            planned_start=j(year, 2, 1), planned_end=j(year + 1, 6, 1),
            target_delivery=j(year + 1, 6, 1),
        )  # fmt: skip


def _plots(ctx, admin, park, year, count=None, section=None, ready_on=None):
    """Plots made ready when the park opened; most allocated over the years since."""
    count = count or ctx.random.randint(12, 30)
    first = len(park.plots.all()) + 1
    for number in range(first, first + count):
        plot = services.plot_create(
            actor=admin,
            park=park,
            section=section,
            number=f"{'ت' if section else ''}{number}",
            area_m2=Decimal(ctx.random.choice([1000, 1500, 2000, 2500, 3000, 5000, 10000])),
            use=PlotUse.INDUSTRIAL if ctx.random.random() < 0.85 else PlotUse.SERVICE,
            on=ready_on or j(year, 2, 1),
        )
        if section is None and ctx.random.random() < 0.8:
            allocated = j(ctx.random.randint(year + 1, min(year + 12, 1403)), 3, 10)
            services.plot_allocate(
                actor=admin, plot=plot, allottee=f"سرمایه‌گذار نمایشی {number}", on=allocated
            )


def _rial(billion_toman) -> int:
    """Billion toman (shares such as 24 × 0.2 are floats) in rial, to the million toman."""
    return toman_to_rial(Decimal(billion_toman).quantize(Decimal("0.001")) * BILLION_TOMAN)


def _project(admin, park, title, kind, reports, *, section=None, capacity=None, unit="",
             cost_billion_toman=None, delivered=None, final=None, start=None):  # fmt: skip
    """A project with its progress reports [(date, %, spent so far in billion toman)]."""
    project = services.project_create(
        actor=admin,
        park=park,
        section=section,
        title=title,
        kind=kind,
        capacity=capacity,
        capacity_unit=unit,
        estimated_cost_rial=_rial(cost_billion_toman) if cost_billion_toman else None,
        contractor="پیمانکار نمایشی",
        planned_start=start or reports[0][0],
        planned_end=delivered or reports[-1][0],
        target_delivery=delivered or reports[-1][0],
    )
    for on, pct, spent in reports:
        services.progress_report_add(
            actor=admin,
            project=project,
            on=on,
            progress_pct=Decimal(pct),
            spent_to_date_rial=_rial(spent) if spent is not None else None,
        )
    if delivered:
        services.project_deliver_temporarily(actor=admin, project=project, on=delivered)
    if final:
        services.project_deliver_finally(actor=admin, project=project, on=final)
    return project


def _borazjan(ctx, admin, park):
    section = services.section_create(
        actor=admin, park=park, name="بخش توسعه", area_ha=Decimal(85), opened_on=j(1399, 11, 20)
    )
    # 95 billion toman in all, spent 1397–1399.
    shares = [
        ("عملیات خاکی بخش توسعه", ProjectKind.EARTHWORKS, 24),
        ("آسفالت و راه‌های بخش توسعه", ProjectKind.ASPHALT_ROADS, 28),
        ("شبکهٔ آب بخش توسعه", ProjectKind.WATER_NETWORK, 16),
        ("شبکهٔ برق بخش توسعه", ProjectKind.POWER_NETWORK, 19),
        ("شبکهٔ مخابرات بخش توسعه", ProjectKind.TELECOM, 8),
    ]
    for title, kind, spent in shares:
        _project(
            admin, park, title, kind,
            [(j(1397, 8, 1), 20, spent * 0.2), (j(1398, 6, 1), 60, spent * 0.6),
             (j(1399, 9, 15), 100, spent)],
            section=section, cost_billion_toman=spent, delivered=j(1399, 11, 10),
            final=j(1400, 11, 10),
        )  # fmt: skip
    _plots(ctx, admin, park, 1399, count=40, section=section, ready_on=j(1399, 11, 20))


def _bushehr_2(ctx, admin, park):
    _project(
        admin, park, "پست دائم برق ۵۰ مگاواتی شهرک بوشهر ۲", ProjectKind.POWER_SUBSTATION,
        [(j(1398, 4, 1), 30, 20), (j(1399, 4, 1), 70, 48), (j(1400, 4, 1), 100, 66)],
        capacity=Decimal(50), unit=CapacityUnit.MW, cost_billion_toman=70,
        delivered=j(1400, 5, 20),
    )  # fmt: skip
    for title, kind, pct in [
        ("آسفالت معابر شهرک بوشهر ۲", ProjectKind.ASPHALT_ROADS, 55),
        ("عملیات خاکی تا حد بستر", ProjectKind.EARTHWORKS, 80),
        ("توسعهٔ شبکهٔ برق شهرک بوشهر ۲", ProjectKind.POWER_NETWORK, 60),
        ("شبکهٔ آب شهرک بوشهر ۲", ProjectKind.WATER_NETWORK, 45),
        ("شبکهٔ فاضلاب و تصفیه‌خانهٔ شهرک بوشهر ۲", ProjectKind.SEWAGE, 30),
    ]:
        _project(
            admin, park, title, kind,
            [(j(1400, 2, 1), pct / 3, pct / 10), (j(1400, 12, 15), pct, pct / 4),
             (j(1402, 6, 1), min(pct + 30, 100), pct / 3)],
            cost_billion_toman=40,
        )  # fmt: skip


def _delvar(ctx, admin, park):
    _project(
        admin, park, "شبکهٔ توزیع زون زیست‌فناوری دلوار", ProjectKind.WATER_NETWORK,
        [(j(1398, 7, 1), 40, 6), (j(1399, 10, 1), 100, 14)], delivered=j(1400, 2, 10),
        cost_billion_toman=15,
    )  # fmt: skip
    _project(
        admin, park, "شبکهٔ جمع‌آوری آب شور", ProjectKind.SALINE_WATER,
        [(j(1399, 1, 20), 35, 5), (j(1400, 6, 1), 100, 13)], delivered=j(1400, 8, 5),
        cost_billion_toman=14,
    )  # fmt: skip
    _project(
        admin, park, "ایستگاه پمپاژ آب دریا با استخرهای بتنی و خاکی", ProjectKind.PUMPING_STATION,
        [(j(1399, 8, 1), 25, 8), (j(1400, 6, 1), 50, 16), (j(1400, 12, 20), 70, 23),
         (j(1401, 6, 1), 88, 28), (j(1401, 11, 25), 100, 32)],
        capacity=Decimal(20000), unit=CapacityUnit.M3_PER_DAY, cost_billion_toman=33,
        delivered=j(1401, 12, 10),
    )  # fmt: skip


def _networks(ctx, admin, park, *, done: bool):
    """Water, power and telecom distribution networks: done, or part still under way."""
    for index, (title, kind) in enumerate(
        [
            ("شبکهٔ توزیع آب", ProjectKind.WATER_NETWORK),
            ("شبکهٔ توزیع برق", ProjectKind.POWER_NETWORK),
            ("شبکهٔ مخابرات", ProjectKind.TELECOM),
        ]
    ):
        finished = done or index < 2
        reports = [(j(1398, 3, 1), 40, 3), (j(1400, 9, 1), 100 if finished else 65, 7)]
        _project(
            admin, park, f"{title} {park.name}", kind, reports, cost_billion_toman=8,
            delivered=j(1400, 10, 1) if finished else None,
        )  # fmt: skip


def _ordinary_projects(ctx, admin, park):
    """One or two invented projects in some year from 1395 on, so every period has data."""
    year = ctx.random.randint(1395, 1403)
    kind = ctx.random.choice(
        [ProjectKind.ASPHALT_ROADS, ProjectKind.GAS, ProjectKind.WATER_NETWORK]
    )
    label = {ProjectKind.ASPHALT_ROADS: "بهسازی آسفالت", ProjectKind.GAS: "شبکهٔ گاز",
             ProjectKind.WATER_NETWORK: "بازسازی شبکهٔ آب"}[kind]  # fmt: skip
    cost = ctx.random.randint(3, 20)
    _project(
        admin, park, f"{label} {park.name}", kind,
        [(j(year, 3, 1), 35, cost * 0.3), (j(year + 1, 2, 1), 100, cost)],
        cost_billion_toman=cost, delivered=j(year + 1, 3, 1),
    )  # fmt: skip


STORIES = {  # by the park's stored (normalised) name
    "شهرک صنعتی برازجان": _borazjan,
    "شهرک صنعتی بوشهر ۲": _bushehr_2,
    "زون زیست‌فناوری دلوار": _delvar,
    "شهرک صنعتی کنگان": lambda ctx, admin, park: _networks(ctx, admin, park, done=True),
    "ناحیه صنعتی دیر": lambda ctx, admin, park: _networks(ctx, admin, park, done=True),
    "شهرک صنعتی خورموج": lambda ctx, admin, park: _networks(ctx, admin, park, done=False),
    "ناحیه صنعتی بندر ریگ": lambda ctx, admin, park: _networks(ctx, admin, park, done=False),
    "منطقه ویژه اقتصادی شمال استان بوشهر": lambda ctx, admin, park: _networks(
        ctx, admin, park, done=False
    ),
}
STORIES = {normalize_fa(name): story for name, story in STORIES.items()}
