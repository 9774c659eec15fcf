"""Demo clusters of Yazd and Bushehr, on the demo timeline of shared/MISSION.md (loaded
after the units' and support's demo).

- **Yazd**: the Meybod zilou (زیلو) cluster, whose development plan ran from 1398 through
  its stages and was handed over to «انجمن صنفی زیلوبافان استان یزد» in Shahrivar 1401 and
  finished; three plans in implementation (tiles and ceramics of Ardakan–Meybod, Yazd's
  textiles, Yazd's confectionery); 53 action plans starting in 1400 over running and finished
  clusters (24 of them in the first half), 37 in 1401-H1 (an increasing trend), and a few
  cancelled ones (not counted); the development agent of them all is `yazd-agent`.
- **Bushehr**: the dates (خرما) cluster of Dashtestan (its plan in implementation) and the
  aquatic-products cluster of Bushehr (registered, its plan not started yet), each with the
  operating units of its class within 100 km of its centre.

Each cluster's members are the operating demo units of its class within its radius, so that
the units left for discovery are of other classes or farther away. Everything goes through
the clusters' services, acting as the province's demo expert (audited).
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from shahrak.accounts.audit import acting_as
from shahrak.core.jalali import month_length, to_gregorian
from shahrak.places.models import Province
from shahrak.units.choices import UnitStatus
from shahrak.units.models import Unit, UnitStatusEvent

from . import services
from .choices import STAGE_ORDER, ActionCategory, ActionStatus, AssociateRole, PlanStage
from .demo_discovery import load_groups
from .geo import distance_km
from .models import Cluster

ZILOU_ASSOCIATION = ("انجمن صنفی زیلوبافان استان یزد", "4127")


def j(year, month, day):
    return to_gregorian(year, month, min(day, month_length(year, month)))


# (province, name, isic, product, centre, agent?, plan stages with their dates, associates)
CLUSTERS = [
    ("yazd", "خوشهٔ زیلوی میبد", "1393", "زیلو", (32.2452, 54.0110), True,
     [(1398, 2, 10), (1398, 6, 15), (1398, 12, 1), (1399, 4, 1), (1399, 7, 1), (1401, 6, 15),
      (1401, 6, 25)],
     [("تعاونی تأمین نخ پنبه‌ای میبد", AssociateRole.SUPPLIER),
      ("مرکز آموزش فنی و حرفه‌ای میبد", AssociateRole.SERVICE_PROVIDER),
      ("دانشگاه میبد", AssociateRole.UNIVERSITY)]),
    ("yazd", "خوشهٔ کاشی و سرامیک اردکان–میبد", "2392", "کاشی و سرامیک", (32.2800, 54.0100),
     True, [(1399, 3, 1), (1399, 8, 10), (1400, 1, 25), (1400, 5, 1), (1400, 8, 1)],
     [("شرکت تأمین لعاب و رنگ یزد", AssociateRole.SUPPLIER)]),
    ("yazd", "خوشهٔ نساجی یزد", "1312", "پارچه و حوله", (31.8974, 54.3569), True,
     [(1399, 9, 1), (1400, 1, 20), (1400, 5, 10), (1400, 9, 1), (1400, 11, 15)],
     [("آزمایشگاه نساجی یزد", AssociateRole.SERVICE_PROVIDER)]),
    ("yazd", "خوشهٔ شیرینی و قنادی یزد", "1073", "شیرینی سنتی", (31.8974, 54.3569), True,
     [(1400, 1, 20), (1400, 4, 10), (1400, 8, 1), (1400, 12, 1), (1401, 2, 10)],
     [("بانک کشاورزی استان یزد", AssociateRole.FINANCIAL)]),
    ("bushehr", "خوشهٔ خرمای دشتستان", "1030", "خرما", (29.2666, 51.2159), False,
     [(1399, 10, 1), (1400, 3, 1), (1400, 9, 1), (1401, 1, 20), (1401, 5, 1)],
     [("سردخانهٔ برازجان", AssociateRole.SERVICE_PROVIDER)]),
    ("bushehr", "خوشهٔ فرآورده‌های آبزی بوشهر", "1020", "فرآوری میگو و ماهی",
     (28.9234, 50.8203), False, [],
     [("شیلات استان بوشهر", AssociateRole.PUBLIC_BODY)]),
]  # fmt: skip

# Action plans of each province starting in each half-year: 1400-H1, 1400-H2, 1401-H1,
# 1401-H2 (Yazd: 24 + 29 = 53 in 1400, 37 in 1401-H1).
ACTION_PLANS = {
    "yazd": {(1400, 1): 24, (1400, 2): 29, (1401, 1): 37, (1401, 2): 18},
    "bushehr": {(1400, 1): 5, (1400, 2): 7, (1401, 1): 8, (1401, 2): 6},
}
CANCELLED = {"yazd": [(1400, 1), (1401, 1)], "bushehr": [(1400, 2)]}
TITLES = {
    ActionCategory.MARKETING: ["حضور مشترک در نمایشگاه", "بازارچهٔ فروش مشترک"],
    ActionCategory.TRAINING: ["دورهٔ آموزش طراحی", "کارگاه مدیریت مالی"],
    ActionCategory.JOINT_PURCHASE: ["خرید مشترک مواد اولیه", "خرید مشترک بسته‌بندی"],
    ActionCategory.STANDARDS: ["اخذ نشان استاندارد", "استقرار سیستم مدیریت کیفیت"],
    ActionCategory.BRANDING: ["طراحی نشان تجاری مشترک", "ثبت نشان جغرافیایی"],
    ActionCategory.TECHNOLOGY: ["بازدید فناوری", "نوسازی ماشین‌آلات"],
    ActionCategory.FINANCE: ["تسهیلات سرمایه در گردش", "صندوق ضمانت مشترک"],
    ActionCategory.NETWORKING: ["نشست هم‌اندیشی اعضا", "تشکیل کنسرسیوم صادراتی"],
}


def load(ctx) -> None:
    load_groups(ctx)  # units for discovery to find (demo_discovery.py)
    if Cluster.objects.filter(is_demo=True).exists():  # a second run changes nothing
        return
    User = get_user_model()
    staff = {code: User.objects.filter(username=f"{code}-expert").first()
             for code in ("yazd", "bushehr")}  # fmt: skip
    if None in staff.values() or not Unit.objects.filter(is_demo=True).exists():
        ctx.out.write("clusters: the accounts' or units' demo data are missing; none loaded\n")
        return
    agent = User.objects.filter(username="yazd-agent").first()
    made = {"yazd": [], "bushehr": []}
    for row in CLUSTERS:
        code = row[0]
        with acting_as(staff[code]):
            made[code].append(_cluster(staff[code], agent, *row))
    for code, clusters in made.items():
        with acting_as(staff[code]):
            _action_plans(ctx, staff[code], code, clusters)


def _operating_since(units) -> dict[int, dt.date]:
    """Each unit's first day in operation."""
    found = {}
    events = UnitStatusEvent.objects.filter(unit__in=units, status=UnitStatus.OPERATIONAL).order_by(
        "on"
    )
    for unit_id, on in events.values_list("unit_id", "on"):
        found.setdefault(unit_id, on)
    return found


def _cluster(actor, agent, code, name, isic, product, centre, with_agent, stages, associates):
    province = Province.objects.get(code=code)
    cluster = services.cluster_create(
        actor=actor, province=province, name=name, isic_code=isic, product=product,
        centre_latitude=round(centre[0], 6), centre_longitude=round(centre[1], 6),
        agent=agent if with_agent and code == "yazd" else None, is_demo=True,
    )  # fmt: skip
    started = j(*stages[0]) if stages else j(1401, 1, 15)
    units = [
        unit
        for unit in Unit.objects.filter(
            is_demo=True, isic_code=isic, status=UnitStatus.OPERATIONAL, latitude__isnull=False
        ).order_by("pk")
        if distance_km(centre[0], centre[1], unit.latitude, unit.longitude) <= cluster.radius_km
    ]
    since = _operating_since(units)
    for unit in units:
        joined = max(started, since.get(unit.pk, started))
        services.member_add(actor=actor, cluster=cluster, unit=unit, joined_on=joined)
    for associate, role in associates:
        services.associate_add(actor=actor, cluster=cluster, name=associate, role=role)
    cluster.plan_started = cluster.plan_finished = None
    if not stages:  # registered, its plan not started yet
        return cluster
    plan = services.plan_start(actor=actor, cluster=cluster, started_on=started)
    for stage, date in zip(STAGE_ORDER[1:], stages[1:], strict=False):
        extra = {}
        if stage == PlanStage.DIAGNOSTIC:
            extra["document"] = SimpleUploadedFile("study.pdf", _pdf(name), "application/pdf")
        if stage == PlanStage.HANDOVER:
            extra["association_name"], extra["association_registration_no"] = ZILOU_ASSOCIATION
        services.plan_advance(actor=actor, plan=plan, stage=stage, on=j(*date), **extra)
    cluster.plan_started = started
    cluster.plan_finished = j(*stages[-1]) if len(stages) == len(STAGE_ORDER) else None
    return cluster


def _pdf(title: str) -> bytes:
    """A one-page PDF standing for the diagnostic study (the demo's documents are invented)."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def _half(year: int, half: int) -> tuple[dt.date, dt.date]:
    return (j(year, 1, 1), j(year, 6, 31)) if half == 1 else (j(year, 7, 1), j(year, 12, 29))


def _action_plans(ctx, actor, code, clusters) -> None:
    rng = ctx.random
    categories = list(ActionCategory)
    for (year, half), count in ACTION_PLANS[code].items():
        start, end = _half(year, half)
        # Running or finished clusters: those whose plan had started, and not over before.
        eligible = [c for c in clusters if c.plan_started and c.plan_started <= end
                    and (c.plan_finished is None or c.plan_finished >= start)]  # fmt: skip
        cancelled = CANCELLED[code].count((year, half))
        for index in range(count + cancelled):
            cluster = eligible[index % len(eligible)]
            first = max(start, cluster.plan_started)
            last = min(end, cluster.plan_finished or end)
            starts_on = first + dt.timedelta(days=rng.randint(0, (last - first).days))
            category = categories[rng.randrange(len(categories))]
            cost = rng.choice([2, 3, 5, 8, 12, 20, 35, 50]) * 10**8  # 20 to 500 million toman
            ends_on = starts_on + dt.timedelta(days=rng.choice([7, 30, 60, 120]))
            if index >= count:
                status, ends_on = ActionStatus.CANCELLED, None
            elif rng.random() < (0.3 if (year, half) == (1401, 2) else 0.85):
                status = ActionStatus.DONE
            else:
                status, ends_on = ActionStatus.RUNNING, None
            services.action_plan_add(
                actor=actor, cluster=cluster, year=year, is_demo=True,
                title=rng.choice(TITLES[category]), category=category, cost_rial=cost,
                subsidy_rial=cost * rng.choice([0, 30, 50, 70]) // 100, status=status,
                starts_on=starts_on, ends_on=ends_on,
            )  # fmt: skip
