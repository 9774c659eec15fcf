"""A first demo catalogue of support programs: a few programs of Bushehr and Yazd across the
families (the greenhouse-products development plan among them), one national program, and
their budgets for 1400 and 1401 set by each province's manager, all through the services.
Issue 13's full demo (more than 20 Bushehr programs, Yazd's 60 flagship programs,
applications at every stage) builds on it."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from shahrak.accounts.audit import acting_as
from shahrak.core.jalali import format_jalali, jalali_year_of
from shahrak.core.jalali import parse_jalali_date as jd
from shahrak.core.text import normalize_fa
from shahrak.places.models import Province

from . import services
from .models import Application, Program

MILLION = 10**6
# province (None: national), title, family, flagship, rates, cap (million rial), opens,
# closes, eligibility and required documents
PROGRAMS = [
    ("bushehr", "طرح توسعه محصولات گلخانه‌ای", "market", True, (30, 60), 2_000,
     "1399/01/01", None, {"sectors": ["food_dates", "food_aquatic"], "in_park_only": True,
                          "required_documents": ["proforma"]}),
    ("bushehr", "حمایت از حضور در نمایشگاه‌های داخلی", "market", False, (40, 70), 500,
     "1399/01/01", None, {"required_documents": ["proforma"]}),
    ("bushehr", "آموزش کارآفرینی و کسب‌وکار", "entrepreneurship", False, (50, 70), 300,
     "1400/01/01", "1400/12/29", {"size_classes": ["micro", "small"]}),
    ("bushehr", "بهبود بهره‌وری انرژی واحدها", "industrial", False, (30, 50), 3_000,
     "1400/01/01", None, {"in_park_only": True, "required_documents": ["proposal"]}),
    ("bushehr", "تسهیل دریافت تسهیلات بانکی", "financial", False, (30, 40), 1_000,
     "1400/01/01", None, {}),
    ("yazd", "توسعه صادرات کاشی و سرامیک", "market", True, (40, 70), 5_000,
     "1399/01/01", None, {"isic_prefixes": ["23"], "required_documents": ["proforma"]}),
    ("yazd", "کلینیک کسب‌وکار و نیازسنجی فناوری", "technology", True, (50, 70), 800,
     "1400/01/01", None, {}),
    ("yazd", "نوسازی ماشین‌آلات نساجی", "industrial", False, (30, 50), 4_000,
     "1400/07/01", None, {"isic_prefixes": ["13"], "required_documents": ["proforma"]}),
    (None, "حمایت از حضور در نمایشگاه‌های خارجی", "market", True, (40, 70), 3_000,
     "1399/01/01", None, {"required_documents": ["proforma", "contract"]}),
]  # fmt: skip
# province → its manager, and the budget of each of its programs a year (million rial)
MANAGERS = {"bushehr": "bushehr-manager", "yazd": "yazd-manager"}
BUDGETS = {1400: 40_000, 1401: 50_000}
# A unit representative's application, reviewed and approved today (so that every side has
# been told of a step: the experts, the manager and the representative): province → program,
# (representative, expert), description, cost (million rial), approved rate.
APPLICATIONS = {
    "bushehr": ("تسهیل دریافت تسهیلات بانکی", ("bushehr-unit", "bushehr-expert"),
                "تهیهٔ طرح توجیهی برای وام سرمایه در گردش", 600, 40),
    "yazd": ("کلینیک کسب‌وکار و نیازسنجی فناوری", ("yazd-unit", "yazd-expert"),
             "نیازسنجی فناوری خط تولید و برنامهٔ بهبود", 400, 60),
}  # fmt: skip


def load(ctx) -> None:
    exhibitions_and_services(ctx)
    users = get_user_model().objects
    admin = users.filter(is_superuser=True, is_active=True).order_by("pk").first()
    managers = {code: users.filter(username=name).first() for code, name in MANAGERS.items()}
    if admin is None or None in managers.values():
        return  # loaded without the demo users (--only support)
    if Program.objects.filter(is_demo=True).exists():
        return  # loaded before: a second run changes nothing
    provinces = {p.code: p for p in Province.objects.filter(code__in=MANAGERS)}
    # This year's budget too: applications are made and approved today.
    budgets = {**BUDGETS, jalali_year_of(timezone.localdate()): BUDGETS[1401]}
    for row in ctx.progress(PROGRAMS, "programs"):
        code, title, family, flagship, (low, high), cap, opens, closes, extra = row
        actor = managers[code] if code else admin
        with acting_as(actor):
            program = services.program_create(
                actor=actor, province=provinces.get(code), title=title, family=family,
                flagship=flagship, rate_min_pct=Decimal(low), rate_max_pct=Decimal(high),
                cap_per_unit_rial=cap * MILLION, opens_on=jd(opens),
                closes_on=jd(closes) if closes else None,
                eligible_provinces=[] if code else list(provinces.values()), **extra,
            )  # fmt: skip
        Program.objects.filter(pk=program.pk).update(is_demo=True)
        for budget_code in [code] if code else list(MANAGERS):
            manager = managers[budget_code]
            for year, amount in budgets.items():
                with acting_as(manager):
                    services.program_budget_set(
                        actor=manager, program=program, province=provinces[budget_code],
                        year=year, amount_rial=amount * MILLION,
                    )  # fmt: skip
    for code, row in APPLICATIONS.items():
        _application(provinces[code], managers[code], *row)
    load_issue13(ctx, provinces, managers)


def _application(province, manager, title, names, description, cost, rate) -> None:
    users = get_user_model().objects
    rep, expert = (users.filter(username=name).first() for name in names)
    unit = rep.represented_units.order_by("pk").first() if rep else None
    if unit is None or expert is None:
        return
    program = Program.objects.get(title=title, province=province)
    with acting_as(rep):
        application = services.application_create(
            actor=rep, unit=unit, program=program, requested_cost_rial=cost * MILLION,
            description=description,
        )  # fmt: skip
        services.application_submit(actor=rep, application=application)
    with acting_as(manager):
        services.application_assign(actor=manager, application=application, expert=expert)
    with acting_as(expert):
        services.application_review(
            actor=expert, application=application, note="هزینه‌ها با پیش‌فاکتورها می‌خواند."
        )
    with acting_as(manager):
        services.application_approve(
            actor=manager, application=application, approved_cost_rial=cost * MILLION,
            approved_rate_pct=Decimal(rate),
        )  # fmt: skip
    # And a draft of the representative's, not yet submitted.
    national = Program.objects.get(title=PROGRAMS[-1][1], province__isnull=True)
    with acting_as(rep):
        later = services.application_create(
            actor=rep, unit=unit, program=national, requested_cost_rial=cost * MILLION,
            description="غرفه در نمایشگاه بین‌المللی صنایع غذایی",
        )  # fmt: skip
    Application.objects.filter(pk__in=[application.pk, later.pk]).update(is_demo=True)


# --- exhibitions and services ----------------------------------------------------------------
# Yazd's reports: "more than 3,000 supports for domestic and foreign exhibitions, about 500
# in 1400 and more than 140 in the first six months of 1401"; "more than 100 programs in 1400
# and more than 60 in the first half of 1401" of clinics, technology needs and business
# development services. Bushehr: a smaller set. Written in bulk (thousands of records, each a
# unit operating on its date), as the units' monthly reports are; not in the audit trail.
# Each fair with the sectors whose units take part in it (None: every sector — an export
# fair, an Iran expo abroad). A fair is held once a year; a province supports many of its
# units at one fair (its pavilion).
FOOD = ("food_dates", "food_aquatic", "food_other")
BUILDING = ("ceramics", "metals", "chemicals")
DOMESTIC_FAIRS = [
    ("نمایشگاه بین‌المللی صنعت ساختمان", "تهران", "شرکت سهامی نمایشگاه‌های بین‌المللی",
     BUILDING),
    ("نمایشگاه کاشی و سرامیک", "یزد", "نمایشگاه بین‌المللی یزد", ("ceramics",)),
    ("نمایشگاه صنایع غذایی و کشاورزی ایران آگروفود", "تهران", "شرکت ایران آگروفود", FOOD),
    ("نمایشگاه توانمندی‌های صادراتی ایران", "تهران", "سازمان توسعه تجارت ایران", None),
    ("نمایشگاه نساجی و پوشاک", "یزد", "نمایشگاه بین‌المللی یزد",
     ("textiles_zilou", "textiles_other")),
    ("نمایشگاه صنایع دستی و فرش", "اصفهان", "نمایشگاه بین‌المللی اصفهان", ("textiles_zilou",)),
    ("نمایشگاه معدن و صنایع معدنی", "کرمان", "نمایشگاه بین‌المللی کرمان",
     ("metals", "ceramics")),
    ("نمایشگاه محصولات دریایی و شیلات", "بوشهر", "نمایشگاه بین‌المللی بوشهر", ("food_aquatic",)),
    ("نمایشگاه نفت، گاز و پتروشیمی", "تهران", "شرکت سهامی نمایشگاه‌های بین‌المللی",
     ("chemicals", "machinery", "metals", "electrical")),
    ("نمایشگاه خرما و صنایع تبدیلی", "بوشهر", "نمایشگاه بین‌المللی بوشهر", ("food_dates",)),
]  # fmt: skip
FOREIGN_FAIRS = [
    ("نمایشگاه بیگ فایو", "دبی", "AE", "دی‌ام‌جی", BUILDING),
    ("نمایشگاه گلفود", "دبی", "AE", "مرکز تجارت جهانی دبی", FOOD),
    ("نمایشگاه سرسای", "بولونیا", "IT", "بولونیا فیره", ("ceramics",)),
    ("نمایشگاه اختصاصی ایران", "مسکو", "RU", "سازمان توسعه تجارت ایران", None),
    ("نمایشگاه کانتون", "گوانگژو", "CN", "مرکز تجارت خارجی چین", None),
    ("نمایشگاه اختصاصی ایران", "بغداد", "IQ", "سازمان توسعه تجارت ایران", None),
    ("نمایشگاه تکنو", "استانبول", "TR", "تی‌یو‌یاپ", ("machinery", "electrical", "metals")),
]  # fmt: skip
FAIRS_PER_HALF = 6  # a half's fairs; a year's two halves never hold the same fair twice
# province → supports a Jalali year (by half where the reports speak of halves)
SUPPORTS = {
    "yazd": {1388: 120, 1389: 150, 1390: 170, 1391: 190, 1392: 210, 1393: 230, 1394: 250,
             1395: 265, 1396: 280, 1397: 290, 1398: 250, 1399: 180, 1400: (262, 236),
             1401: (158, 150),
             1402: 310, 1403: 320, 1404: 330, 1405: 180},
    "bushehr": {1395: 30, 1396: 35, 1397: 40, 1398: 40, 1399: 25, 1400: (25, 22),
                1401: (21, 24), 1402: 45, 1403: 50, 1404: 50, 1405: 25},
}  # fmt: skip
SERVICES = {
    "yazd": {1398: 70, 1399: 80, 1400: (60, 58), 1401: (68, 55), 1402: 120, 1403: 125,
             1404: 130, 1405: 70},
    "bushehr": {1399: 20, 1400: (15, 14), 1401: (16, 15), 1402: 30, 1403: 32, 1404: 34,
                1405: 20},
}  # fmt: skip
# service kind → providers, cost range (million rial), units served
PROVIDERS = {
    "mobile_clinic": (
        ["کلینیک سیار صنعت استان", "کلینیک صنعت و معدن شرکت شهرک‌ها"],
        (50, 300),
        (3, 8),
    ),
    "technology_needs": (["پارک علم و فناوری", "مرکز رشد واحدهای فناور"], (80, 500), (1, 3)),
    "training": (["مرکز آموزش فنی و حرفه‌ای", "مؤسسهٔ آموزش مدیریت صنعتی"], (30, 200), (5, 15)),
    "consulting": (["شرکت مشاوره مدیریت بهینه‌ساز", "مشاوران توسعهٔ صنعتی"], (60, 400), (1, 2)),
    "marketing": (
        ["شرکت بازاریابی و برندسازی ایده‌پرداز", "اتاق بازرگانی استان"],
        (50, 350),
        (1, 4),
    ),
    "standards": (["اداره کل استاندارد استان", "شرکت گواهی‌دهندهٔ کیفیت"], (40, 250), (1, 3)),
    "business_development": (
        ["کانون کارآفرینی استان", "شرکت خدمات توسعهٔ کسب‌وکار"],
        (40, 300),
        (1, 5),
    ),
}
KIND_WEIGHTS = {"mobile_clinic": 5, "technology_needs": 3, "training": 3, "consulting": 3,
                "marketing": 2, "standards": 2, "business_development": 2}  # fmt: skip
TEAMS = [
    "مهندس کاظمی، مهندس رضایی، دکتر احمدی",
    "دکتر صادقی، مهندس نوری",
    "مهندس فلاحی، مهندس زارع، مهندس شریفی",
]


def exhibitions_and_services(ctx) -> None:
    """Exhibitions, exhibition supports and service records of Yazd and Bushehr (idempotent:
    a second run changes nothing)."""
    import random

    from .models import Exhibition
    from .services import ensure_service_kinds

    ensure_service_kinds()
    if Exhibition.objects.filter(is_demo=True).exists():
        return
    provinces = {p.code: p for p in Province.objects.filter(code__in=SUPPORTS)}
    if set(provinces) != set(SUPPORTS):
        return
    rng = random.Random(f"{ctx.seed}:support:exhibitions")  # its own: apart from the rest
    today = timezone.localdate()
    for code, province in provinces.items():
        operating = _Operating(province)
        if not operating.intervals:
            continue  # loaded without the units' demo
        _exhibitions(rng, province, operating, SUPPORTS[code], today)
        _services(rng, province, operating, SERVICES[code], today)


class _Operating:
    """The province's demo units and the stretches of time they were in operation."""

    def __init__(self, province):
        from shahrak.units.choices import IN_OPERATION
        from shahrak.units.models import UnitStatusInterval

        rows = UnitStatusInterval.objects.filter(
            province=province, status__in=IN_OPERATION, unit__is_demo=True,
            unit__archived_at__isnull=True,
        ).values_list("unit", "park", "valid_from", "valid_to", "unit__sector")  # fmt: skip
        self.intervals = sorted(rows)

    def on(self, day, park=None, sectors=None) -> list[int]:
        return [unit for unit, unit_park, start, end, sector in self.intervals
                if start <= day < end and (park is None or unit_park == park)
                and (sectors is None or sector in sectors)]  # fmt: skip

    def parks_on(self, day) -> list[int]:
        return sorted({p for _u, p, start, end, _s in self.intervals if p and start <= day < end})


def _halves(year: int, count, today):
    """(start, end, count) of the year's parts, cut at today."""
    from shahrak.core.jalali import to_gregorian

    h1 = (to_gregorian(year, 1, 1), to_gregorian(year, 6, 31))
    h2 = (to_gregorian(year, 7, 1), to_gregorian(year + 1, 1, 1) - dt.timedelta(days=1))
    parts = (
        [(*h1, count[0]), (*h2, count[1])] if isinstance(count, tuple) else [(h1[0], h2[1], count)]
    )
    for start, end, n in parts:
        if start > today:
            continue
        if end > today:  # the part under way: only its share so far
            n = n * ((today - start).days + 1) // ((end - start).days + 1)
            end = today
        yield start, end, n


def _day(rng, start, end):
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _exhibitions(rng, province, operating, per_year, today) -> None:
    from shahrak.units.countries import HOME

    from .choices import ExhibitionReach, ExhibitionSupportKind
    from .models import Exhibition, ExhibitionSupport

    # The fairs some of the province's units would go to.
    present = {sector for *_interval, sector in operating.intervals}
    domestic_pool = [f for f in DOMESTIC_FAIRS if f[-1] is None or present & set(f[-1])]
    foreign_pool = [f for f in FOREIGN_FAIRS if f[-1] is None or present & set(f[-1])]
    exhibitions, supports = [], []
    for year, count in per_year.items():
        # The year's fairs, each held once: about a quarter of those a half attends abroad.
        domestic = rng.sample(domestic_pool, len(domestic_pool))
        foreign = rng.sample(foreign_pool, len(foreign_pool))
        for start, end, n in _halves(year, count, today):
            fairs, sectors = [], {}
            for i in range(min(FAIRS_PER_HALF, max(2, n // 12))):
                first = _day(rng, start, max(start, end - dt.timedelta(days=4)))
                if (i % 4 == 3 and foreign) or not domestic:
                    if not foreign:
                        break  # every fair of the year is taken
                    name, city, country, organiser, takes = foreign.pop()
                    reach = ExhibitionReach.FOREIGN
                else:
                    name, city, organiser, takes = domestic.pop()
                    country, reach = HOME, ExhibitionReach.DOMESTIC
                fairs.append(Exhibition(
                    name=f"{name} {_fa(year)}", reach=reach, city=city, country=country,
                    starts_on=first, ends_on=first + dt.timedelta(days=3),
                    organiser=organiser, province=province, is_demo=True,
                ))  # fmt: skip
                sectors[len(fairs) - 1] = takes
            if not fairs:
                continue
            exhibitions.extend(fairs)
            for i in range(n):
                fair = fairs[i % len(fairs)]
                # A unit of the fair's sectors operating then (any unit if none is).
                units = operating.on(fair.starts_on, sectors=sectors[i % len(fairs)])
                units = units or operating.on(fair.starts_on)
                if not units:
                    continue
                kind = rng.choices(
                    [ExhibitionSupportKind.BOOTH, ExhibitionSupportKind.ATTENDANCE,
                     ExhibitionSupportKind.GROUP_PAVILION], [6, 2, 2])[0]  # fmt: skip
                area = None
                if kind != ExhibitionSupportKind.ATTENDANCE:
                    area = Decimal(rng.choice([9, 12, 12, 18, 24, 36]))
                scale = 1.35 ** (year - 1390)  # the rial's inflation
                subsidy = int(rng.randint(20, 150) * scale) * MILLION // 10
                if fair.reach == ExhibitionReach.FOREIGN:
                    subsidy *= 3
                supports.append(ExhibitionSupport(
                    exhibition=fair, unit_id=rng.choice(units), kind=kind, booth_area_m2=area,
                    subsidy_rial=subsidy, on=fair.starts_on, is_demo=True,
                ))  # fmt: skip
    Exhibition.objects.bulk_create(exhibitions, batch_size=500)
    for support in supports:
        support.exhibition_id = support.exhibition.pk
    ExhibitionSupport.objects.bulk_create(supports, batch_size=1000)


def _services(rng, province, operating, per_year, today) -> None:
    from shahrak.parks.models import Park

    from .models import ServiceKind, ServiceRecord

    kinds = {k.code: k for k in ServiceKind.objects.filter(code__in=KIND_WEIGHTS)}
    codes = [code for code in KIND_WEIGHTS if code in kinds]
    if not codes:
        return
    park_names = dict(Park.objects.filter(county__province=province).values_list("pk", "name"))
    records, served = [], []
    for year, count in per_year.items():
        for start, end, n in _halves(year, count, today):
            for _i in range(n):
                code = rng.choices(codes, [KIND_WEIGHTS[c] for c in codes])[0]
                providers, (low, high), (fewest, most) = PROVIDERS[code]
                on = _day(rng, start, end)
                park, team = None, ""
                if kinds[code].mobile_clinic:
                    parks = [p for p in operating.parks_on(on) if p in park_names]
                    if not parks:
                        continue
                    park = rng.choice(parks)
                    team = rng.choice(TEAMS)
                units = operating.on(on, park)
                if not units:
                    continue
                chosen = rng.sample(units, min(len(units), rng.randint(fewest, most)))
                scale = 1.35 ** (year - 1398)
                records.append(ServiceRecord(
                    kind=kinds[code], on=on, province=province, provider=rng.choice(providers),
                    cost_rial=int(rng.randint(low, high) * scale) * MILLION, park_id=park,
                    team=team, is_demo=True,
                    description=f"{kinds[code].name} برای {_fa(len(chosen))} واحد",
                ))  # fmt: skip
                served.append(chosen)
    ServiceRecord.objects.bulk_create(records, batch_size=500)
    through = ServiceRecord.units.through
    through.objects.bulk_create(
        [through(servicerecord_id=record.pk, unit_id=unit)
         for record, units in zip(records, served, strict=True) for unit in units],
        batch_size=2000,
    )  # fmt: skip


def _fa(number: int) -> str:
    from shahrak.core.text import to_fa_digits

    return to_fa_digits(number)


# --- Issue 13, point 9: Bushehr's programs and applications in 1400, Yazd's flagships -------
# Bushehr's programs open through 1400 beside the first catalogue (more than 20 in all, in
# the four families, rates within 30–70 %): title, family, rates, cap (million rial).
BUSHEHR_1400 = [
    ("بازاریابی و برندسازی محصولات صنعتی", "market", (40, 70), 1_500),
    ("حضور در بازارهای صادراتی حوزهٔ خلیج فارس", "market", (30, 60), 3_000),
    ("توسعهٔ فروش برخط واحدهای کوچک", "market", (50, 70), 500),
    ("استانداردسازی و بسته‌بندی محصولات دریایی", "market", (30, 50), 2_000),
    ("حمایت از ثبت علامت تجاری", "market", (40, 70), 300),
    ("مربیگری کسب‌وکارهای نوپا", "entrepreneurship", (50, 70), 400),
    ("آموزش مهارت‌های مدیریت مالی", "entrepreneurship", (40, 60), 300),
    ("توانمندسازی زنان کارآفرین", "entrepreneurship", (50, 70), 600),
    ("شتاب‌دهی طرح‌های دانش‌بنیان کوچک", "entrepreneurship", (30, 50), 2_500),
    ("نوسازی خطوط تولید صنایع تبدیلی خرما", "industrial", (30, 40), 4_000),
    ("ارتقای ایمنی و بهداشت کار", "industrial", (40, 60), 1_000),
    ("عارضه‌یابی و بهبود بهره‌وری", "industrial", (50, 70), 1_200),
    ("کاهش ضایعات و بازیافت در تولید", "industrial", (30, 50), 2_000),
    ("تضمین اعتبار خرید مواد اولیه", "financial", (30, 40), 3_000),
    ("تأمین مالی زنجیرهٔ تأمین", "financial", (30, 50), 2_000),
    ("یارانهٔ سود تسهیلات سرمایه در گردش", "financial", (40, 60), 500),
    ("جذب سرمایه‌گذار برای طرح‌های نیمه‌تمام", "financial", (30, 50), 2_000),
    ("مشاورهٔ تهیهٔ طرح توجیهی برای بانک‌ها", "financial", (50, 70), 400),
]
BUSHEHR_1400_BUDGET = 20_000  # million rial a program
# The program whose 1400 budget is nearly all committed (95 %), and that budget.
NEAR_LIMIT = ("تأمین مالی زنجیرهٔ تأمین", 2_000)
# An application at every stage, in 1400 (Jalali dates): program, stage, who files it ("rep"
# the unit representative, "expert" the staff for the unit), the unit (an index among
# Bushehr's demo units), cost (million rial), and the money: (rate, approved on), (actual
# cost, executed on), [(amount, paid on), …], closed on.
STAGES = [
    ("توسعهٔ فروش برخط واحدهای کوچک", "draft", "rep", 0, 300, None, None, [], None),
    ("بازاریابی و برندسازی محصولات صنعتی", "submitted", "rep", 0, 1_200, None, None, [], None),
    ("مربیگری کسب‌وکارهای نوپا", "under_review", "expert", 1, 500, None, None, [], None),
    ("آموزش مهارت‌های مدیریت مالی", "returned", "expert", 2, 400, None, None, [], None),
    ("ارتقای ایمنی و بهداشت کار", "approved", "expert", 3, 800, (50, "1400/04/10"), None, [],
     None),
    ("جذب سرمایه‌گذار برای طرح‌های نیمه‌تمام", "rejected", "expert", 4, 6_000, None, None, [],
     None),
    ("عارضه‌یابی و بهبود بهره‌وری", "executed", "expert", 5, 1_000, (60, "1400/03/01"),
     (900, "1400/05/20"), [], None),
    ("نوسازی خطوط تولید صنایع تبدیلی خرما", "paid", "expert", 6, 2_000, (40, "1400/02/15"),
     (2_000, "1400/06/01"), [(300, "1400/06/20"), (200, "1400/11/05")], None),
    ("کاهش ضایعات و بازیافت در تولید", "closed", "expert", 7, 1_200, (50, "1400/02/20"),
     (1_000, "1400/05/01"), [(500, "1400/08/01")], "1400/08/15"),
    ("توانمندسازی زنان کارآفرین", "withdrawn", "rep", 0, 800, (50, "1400/05/01"), None, [],
     None),
    ("تأمین مالی زنجیرهٔ تأمین", "approved", "expert", 8, 3_800, (50, "1400/09/10"), None, [],
     None),
    ("یارانهٔ سود تسهیلات سرمایه در گردش", "approved", "expert", 9, 1_000,
     (50, "1400/10/01"), None, [], None),
]  # fmt: skip
# Yazd's flagship programs: 60 with the two of the first catalogue and the national one.
YAZD_THEMES = [
    ("توسعهٔ صادرات", "market"), ("حضور در نمایشگاه‌های تخصصی", "market"),
    ("برندسازی و بازاریابی", "market"), ("طراحی و بسته‌بندی", "market"),
    ("کارآفرینی و کسب‌وکارهای نوپا", "entrepreneurship"),
    ("آموزش نیروی ماهر", "entrepreneurship"), ("مربیگری و مشاورهٔ کسب‌وکار", "entrepreneurship"),
    ("نوسازی ماشین‌آلات", "industrial"), ("بهره‌وری انرژی", "industrial"),
    ("کیفیت و استانداردسازی", "industrial"), ("ایمنی و محیط زیست", "industrial"),
    ("عارضه‌یابی و بهبود", "industrial"), ("تأمین مالی سرمایه در گردش", "financial"),
    ("جذب سرمایه‌گذاری", "financial"), ("ضمانت اعتبار", "financial"),
    ("نیازسنجی فناوری", "technology"), ("تجاری‌سازی فناوری", "technology"),
    ("تحول دیجیتال", "technology"), ("پژوهش و توسعه", "technology"),
]  # fmt: skip
YAZD_SECTORS = ["کاشی و سرامیک", "نساجی و پوشاک", "صنایع غذایی"]
YAZD_FLAGSHIPS = 57
YAZD_FLAGSHIP_BUDGET = 10_000  # million rial a flagship program, this year
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def load_issue13(ctx, provinces, managers) -> None:
    """Bushehr in 1400: programs in the four families, an application at every stage (each
    step through the services, by the person who takes it) and a budget close to its limit;
    Yazd: its flagship programs."""
    if Program.objects.filter(is_demo=True, title=normalize_fa(BUSHEHR_1400[0][0])).exists():
        return
    made = []
    this_year = jalali_year_of(timezone.localdate())
    bushehr, yazd = provinces.get("bushehr"), provinces.get("yazd")
    manager = managers["bushehr"]
    for title, family, (low, high), cap in ctx.progress(BUSHEHR_1400, "programs of 1400"):
        with acting_as(manager):
            program = services.program_create(
                actor=manager, province=bushehr, title=title, family=family,
                rate_min_pct=Decimal(low), rate_max_pct=Decimal(high),
                cap_per_unit_rial=cap * MILLION, opens_on=jd("1400/01/01"),
            )  # fmt: skip
            amount = NEAR_LIMIT[1] if title == NEAR_LIMIT[0] else BUSHEHR_1400_BUDGET
            services.program_budget_set(
                actor=manager, program=program, province=bushehr, year=1400,
                amount_rial=amount * MILLION,
            )  # fmt: skip
            # And this year's, so that the catalogue offers them to Bushehr's units today.
            services.program_budget_set(
                actor=manager, program=program, province=bushehr, year=this_year,
                amount_rial=BUSHEHR_1400_BUDGET * MILLION,
            )  # fmt: skip
        made.append(program.pk)
    yazd_manager = managers["yazd"]
    titles = [f"{theme} — {sector}" for sector in YAZD_SECTORS for theme, _f in YAZD_THEMES]
    families = [family for _s in YAZD_SECTORS for _t, family in YAZD_THEMES]
    for index in ctx.progress(range(YAZD_FLAGSHIPS), "flagship programs"):
        low = 30 + 5 * (index % 5)
        with acting_as(yazd_manager):
            program = services.program_create(
                actor=yazd_manager, province=yazd, title=titles[index],
                family=families[index], flagship=True, rate_min_pct=Decimal(low),
                rate_max_pct=Decimal(min(low + 30, 70)),
                cap_per_unit_rial=(1 + index % 4) * 1_000 * MILLION,
                opens_on=jd("1400/01/01"),
            )  # fmt: skip
            # A budget this year in Yazd: applications to the flagships are expected.
            services.program_budget_set(
                actor=yazd_manager, program=program, province=yazd, year=this_year,
                amount_rial=YAZD_FLAGSHIP_BUDGET * MILLION,
            )  # fmt: skip
        made.append(program.pk)
    Program.objects.filter(pk__in=made).update(is_demo=True)
    _stages(bushehr, manager)
    if yazd is not None:
        _yazd_stages(yazd, yazd_manager)


# Yazd's applications today, one at each stage the staff act on (the first of each row's
# flagship programs, by index; dates None: today).
YAZD_STAGES = [
    (0, "submitted", "rep", 0, 900, None, None, [], None),
    (4, "under_review", "expert", 1, 700, None, None, [], None),
    (7, "approved", "expert", 2, 1_500, (50, None), None, [], None),
    (8, "executed", "expert", 3, 1_000, (50, None), (950, None), [], None),
    (11, "paid", "expert", 4, 1_200, (50, None), (1_200, None), [(200, None)], None),
]  # fmt: skip


def _yazd_stages(province, manager) -> None:
    """An application at each stage the Yazd staff act on (assign, review, return, approve,
    execute, pay, close), taken today through the services against this year's budgets."""
    titles = [f"{theme} — {sector}" for sector in YAZD_SECTORS for theme, _f in YAZD_THEMES]
    rows = [(titles[index], *rest) for index, *rest in YAZD_STAGES]
    _stages(province, manager, code="yazd", rows=rows, in_1400=False)


def _on(text):
    return jd(text) if text else None


def _tracking_number(paid_on) -> str:
    """A payment's tracking number as the demo writes it: «ح-» and the Jalali day it was paid
    (today when the row gives no date)."""
    day = _on(paid_on) or timezone.localdate()
    return f"ح-{format_jalali(day, persian=False, sep='')}"


def _stages(province, manager, code="bushehr", rows=STAGES, in_1400=True) -> None:
    from django.core.files.base import ContentFile

    from shahrak.units.models import Unit

    users = get_user_model().objects
    rep, expert = users.filter(username=f"{code}-unit").first(), users.filter(
        username=f"{code}-expert"
    ).first()  # fmt: skip
    if rep is None or expert is None:
        return
    own = rep.represented_units.order_by("pk").first()
    others = list(
        Unit.objects.filter(county__province=province, is_demo=True)
        .exclude(pk=getattr(own, "pk", None))
        .order_by("pk")[:10]
    )
    units = [own, *others]
    made = []
    for title, stage, by, unit_index, cost, approval, execution, payments, closed in rows:
        unit = units[unit_index] if unit_index < len(units) else None
        if unit is None:
            continue
        applicant = rep if by == "rep" and unit == own else expert
        program = Program.objects.get(title=normalize_fa(title).strip(), province=province)
        with acting_as(applicant):
            application = services.application_create(
                actor=applicant, unit=unit, program=program,
                requested_cost_rial=cost * MILLION,
                description=f"درخواست حمایت از «{title}»",
            )  # fmt: skip
        made.append(application.pk)
        if stage == "draft":
            continue
        with acting_as(applicant):
            services.application_submit(actor=applicant, application=application)
        if stage == "submitted":
            continue
        if stage == "returned":
            with acting_as(expert):
                services.application_return(
                    actor=expert, application=application,
                    reason="پیش‌فاکتور فروشنده و برنامهٔ زمانی کار را پیوست کنید.",
                )  # fmt: skip
            continue
        with acting_as(manager):
            services.application_assign(actor=manager, application=application, expert=expert)
        with acting_as(expert):
            services.application_review(
                actor=expert, application=application,
                note="هزینه‌ها با پیش‌فاکتورها می‌خواند؛ واحد واجد شرایط است.",
            )  # fmt: skip
        if stage == "under_review":
            continue
        if stage == "rejected":
            with acting_as(manager):
                services.application_reject(
                    actor=manager, application=application,
                    reason="طرح با اهداف برنامه در این سال هم‌خوان نیست.",
                )  # fmt: skip
            continue
        rate, approved_on = approval
        with acting_as(manager):
            services.application_approve(
                actor=manager, application=application, approved_cost_rial=cost * MILLION,
                approved_rate_pct=Decimal(rate), on=_on(approved_on),
            )  # fmt: skip
        if stage == "withdrawn":
            with acting_as(applicant):
                services.application_withdraw(
                    actor=applicant, application=application,
                    reason="واحد اجرای طرح را به سال بعد موکول کرد.",
                )  # fmt: skip
            continue
        if execution is None:
            continue
        actual, executed_on = execution
        with acting_as(expert):
            services.application_document_add(
                actor=expert, application=application, kind="invoice",
                upload=ContentFile(PDF, name="invoice.pdf"),
            )  # fmt: skip
            services.application_execute(
                actor=expert, application=application, actual_cost_rial=actual * MILLION,
                on=_on(executed_on),
            )  # fmt: skip
        for amount, paid_on in payments:
            with acting_as(manager):
                services.application_pay(
                    actor=manager, application=application, amount_rial=amount * MILLION,
                    on=_on(paid_on), reference=_tracking_number(paid_on),
                )  # fmt: skip
        if closed:
            with acting_as(manager):
                services.application_close(actor=manager, application=application,
                                           on=_on(closed))  # fmt: skip
    Application.objects.filter(pk__in=made).update(is_demo=True)
    if in_1400:
        _date_in_1400(made)


def _date_in_1400(application_ids) -> None:
    """The steps were taken today; in the demo they were taken in 1400: each step is dated on
    its money's date (approval, execution, payment, closure) or, before the approval, on a
    working day of spring 1400."""
    import datetime as dt

    from django.db.models import Min

    from .models import ApplicationStep

    dated = {"approved": "approved_on", "executed": "executed_on", "closed": "closed_on"}
    for number, application in enumerate(
        Application.objects.filter(pk__in=application_ids).order_by("pk")
    ):
        day = jd("1400/01/15") + dt.timedelta(days=3 * number)
        payments = list(application.payments.order_by("on", "pk").values_list("on", flat=True))
        last = day
        for step in application.steps.order_by("at", "pk"):
            if step.status in dated and getattr(application, dated[step.status]):
                on = getattr(application, dated[step.status])
            elif step.status == "paid" and payments:
                on = payments.pop(0)
            else:
                on = max(day, last) if step.status != "withdrawn" else last + dt.timedelta(7)
                day += dt.timedelta(days=2)
            last = on
            at = timezone.make_aware(dt.datetime.combine(on, dt.time(10, step.pk % 60)))
            ApplicationStep.objects.filter(pk=step.pk).update(at=at)
        first = application.steps.aggregate(at=Min("at"))["at"]
        submitted = application.steps.filter(status="submitted").order_by("-at").first()
        Application.objects.filter(pk=application.pk).update(
            created_at=first, submitted_at=submitted.at if submitted else None
        )
