"""A first demo catalogue of support programs: a few programs of Bushehr and Yazd across the
families (the greenhouse-products development plan among them), one national program, and
their budgets for 1400 and 1401 set by each province's manager, all through the services.
Issue 13's full demo (more than 20 Bushehr programs, Yazd's 60 flagship programs,
applications at every stage) builds on it."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from shahrak.accounts.audit import acting_as
from shahrak.core.jalali import jalali_year_of
from shahrak.core.jalali import parse_jalali_date as jd
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
