"""Demo revival programs of Yazd and Bushehr, and the units' monthly reports, on the demo
timeline of shared/MISSION.md (loaded after the units' demo).

- **Yazd**: since 1400-01-01, 177 idle units identified by 1401-06-31 (the second report's
  "since the start of last year"), 58 of them restarted by then ("about 60"), 13 in the
  first half of 1401; the others at every other stage (identified, diagnosed, with a plan
  whose actions are partly overdue, closed for good, restarted later). Before 1400 a smaller
  program worked on units idle since 1398; after 1401-06 cases go on being opened, some from
  the watch list, and a few restarted units go idle again (a new case linked to the old).
- **Bushehr**: a smaller program of its own from 1398 on; its province does not require a
  diagnosis before a restart, and its watch list waits for three missed months.

Every case goes through the revival services (`case_open`, `case_diagnose`, `case_plan`,
`case_restart`, `case_close`, …) in date order, acting as the province's demo expert: the
units' "idle", "restarted" and "closed" events of these units are recorded by them, so
every restart of the demo has its case (`idle.restarted_by_case` = `units.restarted`).

Some Yazd units have **utility readings** (electricity, gas, water by month, written in
bulk): the units whose case says they were identified from utility data show a stop in the
months before their identification, two units in operation today show one now (so the watch
list's utility-stop rule has something to flag), and a score of units use steadily.

The **monthly reports** (from 1398-01 to the last month due today, for every demo unit of
both provinces in operation at the month's end) are written in bulk, as the units are: most
units steady with their sector's seasons and some noise, reports now and then late or
missed; units that go idle mostly decline first (production and employees fall, the last
reports missed), some stop without warning; a few decline for some months and recover; a
restarted unit climbs back. So the watch list and its backtest have something to find.
"""

import datetime as dt
import math
from collections import defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from shahrak.accounts.audit import acting_as
from shahrak.core.jalali import month_length, to_gregorian, to_jalali
from shahrak.places.models import Province
from shahrak.units.choices import IN_OPERATION, IdleReason, Sector, UnitStatus
from shahrak.units.models import ExportRecord, Unit, UnitStatusInterval

from . import services, tally
from .choices import ActionOwner, CaseStage, FindingArea, IdentifiedBy, ReportStatus, Severity
from .models import (
    MonthlyReport,
    PlanAction,
    ProvinceRevivalSettings,
    RevivalCase,
    UtilityReading,
)
from .watch import DUE_DAY, REPORTING_START, last_due_month, month_number, month_of

TEHRAN = ZoneInfo("Asia/Tehran")
FIRST_REPORT_MONTH = REPORTING_START  # 1398-01


def j(year, month, day):
    return to_gregorian(year, month, min(day, month_length(year, month)))


def load(ctx) -> None:
    User = get_user_model()
    if not RevivalCase.objects.filter(is_demo=True).exists():  # a second run changes nothing
        staff = {code: User.objects.filter(username=f"{code}-expert").first()
                 for code in ("yazd", "bushehr")}  # fmt: skip
        if None in staff.values():
            ctx.out.write("revival: the accounts' demo users are missing; no cases loaded\n")
        else:
            _Program(ctx, staff).run()
    _link_representative()
    if not MonthlyReport.objects.filter(is_demo=True).exists():
        _Reports(ctx).write()
        tally.rebuild()  # the reports were written in bulk, past the services that count them
    if not UtilityReading.objects.filter(is_demo=True).exists():
        _utility_readings(ctx)


# --- the cases ------------------------------------------------------------------------------
FINDINGS = {
    FindingArea.FINANCE: [
        "سرمایه در گردش کافی نیست و بدهی معوق به بانک دارد.",
        "چک‌های برگشتی و بدهی به تأمین‌کنندگان مواد اولیه.",
        "جریان نقدی منفی در شش ماه گذشته؛ حساب‌ها مسدود شده است.",
    ],
    FindingArea.PRODUCTION: [
        "خط تولید اصلی به علت فرسودگی تجهیزات متوقف است.",
        "ضایعات تولید بالاست و ظرفیت به کمتر از نیمه رسیده است.",
        "کمبود مواد اولیه و نبود برنامهٔ تأمین پایدار.",
    ],
    FindingArea.MARKET: [
        "بازار محصول از دست رفته و سفارش تازه‌ای نیست.",
        "رقبای وارداتی با قیمت پایین‌تر بازار را گرفته‌اند.",
        "وابستگی به یک خریدار عمده که قرارداد را لغو کرده است.",
    ],
    FindingArea.MANAGEMENT: [
        "اختلاف میان شرکا و نبود مدیر عامل تمام‌وقت.",
        "نبود برنامهٔ کسب‌وکار و ساختار سازمانی روشن.",
    ],
    FindingArea.TECHNOLOGY: [
        "فناوری تولید قدیمی است و بهره‌وری انرژی پایین.",
        "نبود آزمایشگاه کنترل کیفیت و استاندارد محصول.",
    ],
}
ACTIONS = [
    ("معرفی به بانک برای تسهیلات سرمایه در گردش", ActionOwner.BANK, "بانک صنعت و معدن",
     "تسهیلات بانکی"),
    ("تقسیط بدهی معوق بانکی", ActionOwner.BANK, "بانک ملی", "—"),
    ("مشاورهٔ بازاریابی و معرفی به نمایشگاه", ActionOwner.COMPANY, "",
     "یارانهٔ توسعهٔ بازار شرکت شهرک‌ها"),
    ("تعمیر و بازسازی خط تولید", ActionOwner.UNIT, "", "آوردهٔ واحد"),
    ("تأمین مواد اولیه از طریق خوشهٔ صنعتی", ActionOwner.COMPANY, "", "برنامهٔ توسعهٔ خوشه‌ای"),
    ("اخذ پروانهٔ استاندارد محصول", ActionOwner.OTHER_BODY, "ادارهٔ استاندارد استان",
     "آوردهٔ واحد"),
    ("پیگیری انشعاب برق و گاز", ActionOwner.OTHER_BODY, "شرکت توزیع برق", "—"),
    ("آموزش مدیریت و تدوین برنامهٔ کسب‌وکار", ActionOwner.COMPANY, "",
     "خدمات توسعهٔ کسب‌وکار"),
    ("ورود شریک تازه و افزایش سرمایه", ActionOwner.UNIT, "", "آوردهٔ شرکا"),
]  # fmt: skip
VISITS = [
    "واحد پیگیر اقدامات است؛ بخشی از کارگران بازگشته‌اند.",
    "تعمیرات خط تولید در جریان است.",
    "تولید آزمایشی آغاز شده است.",
    "واحد پس از راه‌اندازی با ظرفیت نسبی کار می‌کند.",
    "مکاتبه با بانک انجام شد؛ در انتظار پاسخ.",
]
REASONS = [IdleReason.WORKING_CAPITAL] * 5 + [
    IdleReason.MARKET, IdleReason.MARKET, IdleReason.MARKET, IdleReason.RAW_MATERIALS,
    IdleReason.RAW_MATERIALS, IdleReason.MANAGEMENT, IdleReason.EQUIPMENT, IdleReason.LEGAL,
    IdleReason.INFRASTRUCTURE, IdleReason.TECHNOLOGY, IdleReason.LICENCES, IdleReason.OTHER,
]  # fmt: skip
HOW = [IdentifiedBy.FIELD_SURVEY] * 4 + [IdentifiedBy.CLINIC_VISIT] * 2 + [
    IdentifiedBy.UTILITY_DATA, IdentifiedBy.UNIT_ITSELF,
]  # fmt: skip


def _days(start: dt.date, end: dt.date, rng) -> dt.date:
    """A random day from `start` to `end` (both included)."""
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


class _Program:
    """Case plans (a unit, dates, an outcome) drawn first, then played through the services
    in date order."""

    def __init__(self, ctx, staff):
        self.ctx, self.rng, self.staff = ctx, ctx.random, staff
        self.plans: list[dict] = []
        self.taken: set[int] = set()
        self.today = timezone.localdate()

    # Units to pick from: in operation since before `before`, still in operation (not yet
    # taken by a case of this demo).
    def _candidates(self, code: str, before: dt.date) -> list[Unit]:
        units = Unit.objects.filter(
            is_demo=True,
            county__province__code=code,
            status=UnitStatus.OPERATIONAL,
            events__status=UnitStatus.OPERATIONAL,
            events__on__lt=before,
        ).order_by("pk")
        return [u for u in units.select_related("county") if u.pk not in self.taken]

    def _already_idle(self, code: str) -> list[Unit]:
        units = Unit.objects.filter(is_demo=True, county__province__code=code,
                                    status=UnitStatus.IDLE).order_by("pk")  # fmt: skip
        return [u for u in units.select_related("county") if u.pk not in self.taken]

    def _plan(self, unit, opened_on, outcome, *, out_on=None, stage=None, how=None):
        """`outcome`: restarted | closed | open; an open case stops at `stage`."""
        rng = self.rng
        self.taken.add(unit.pk)
        plan = {"unit": unit, "opened_on": opened_on, "outcome": outcome, "out_on": out_on,
                "stage": stage, "how": how or rng.choice(HOW),
                "reasons": list(dict.fromkeys(rng.choice(REASONS) for _ in range(rng.choice(
                    [1, 1, 2, 2, 3]))))}  # fmt: skip
        self.plans.append(plan)
        return plan

    def run(self):
        yazd, bushehr = self._yazd(), self._bushehr()
        with acting_as(self.staff["bushehr"]):
            ProvinceRevivalSettings.objects.update_or_create(
                province=Province.objects.get(code="bushehr"),
                defaults={"diagnosis_before_restart": False, "missed_months": 3},
            )
        for code, plans in (("yazd", yazd), ("bushehr", bushehr)):
            actor = self.staff[code]
            with acting_as(actor):
                for plan in self.ctx.progress(plans, f"cases of {code}"):
                    self._play(plan, actor, require_diagnosis=code == "yazd")
        RevivalCase.objects.filter(unit__is_demo=True).update(is_demo=True)

    def _spread(self, n, start, end):
        return sorted(_days(start, end, self.rng) for _ in range(n))

    def _yazd(self) -> list[dict]:
        rng = self.rng
        start = len(self.plans)
        # Before 1400: units idle since 1398 get cases (no second idle event).
        idle = self._already_idle("yazd")
        rng.shuffle(idle)
        for k, unit in enumerate(idle[:22]):
            opened = _days(j(1398, 6, 1), j(1399, 5, 31) if k < 14 else j(1399, 9, 30), rng)
            if k < 10:
                out = _days(opened + dt.timedelta(100), j(1399, 12, 25), rng)
                self._plan(unit, opened, "restarted", out_on=out)
            elif k < 14:
                self._plan(unit, opened, "closed", out_on=_days(opened + dt.timedelta(90),
                                                                j(1399, 12, 25), rng))  # fmt: skip
            elif k < 19:
                self._plan(
                    unit, opened, "restarted", out_on=_days(j(1402, 1, 15), j(1402, 11, 30), rng)
                )
            else:
                self._plan(unit, opened, "open", stage=CaseStage.PLANNED)
        # 1400-01-01 … 1401-06-31: the second report's 177 units.
        candidates = self._candidates("yazd", j(1398, 1, 1))
        rng.shuffle(candidates)
        opened = self._spread(177, j(1400, 1, 1), j(1401, 6, 31))
        units = candidates[:177]
        in_1400 = [k for k, on in enumerate(opened) if on <= j(1400, 8, 15)]
        restart_1400 = set(rng.sample(in_1400, 45))
        early = [k for k, on in enumerate(opened) if on <= j(1401, 3, 20) and k not in
                 restart_1400]  # fmt: skip
        restart_h1 = set(rng.sample(early, 13))
        rest = [k for k in range(177) if k not in restart_1400 | restart_h1]
        rng.shuffle(rest)
        later, closed = set(rest[:20]), set(rest[20:34])
        stages = [CaseStage.IDENTIFIED] * 18 + [CaseStage.DIAGNOSED] * 24
        stages += [CaseStage.PLANNED] * (len(rest) - 34 - len(stages))
        rng.shuffle(stages)
        open_stage = dict(zip(rest[34:], stages, strict=True))
        for k, (unit, on) in enumerate(zip(units, opened, strict=True)):
            if k in restart_1400:
                out = _days(on + dt.timedelta(75), j(1400, 12, 25), rng)
                self._plan(unit, on, "restarted", out_on=min(out, j(1400, 12, 25)))
            elif k in restart_h1:
                first = max(on + dt.timedelta(75), j(1401, 1, 5))
                self._plan(unit, on, "restarted", out_on=_days(first, j(1401, 6, 30), rng))
            elif k in later:
                self._plan(unit, on, "restarted", out_on=_days(j(1401, 7, 15), j(1403, 10, 1),
                                                               rng))  # fmt: skip
            elif k in closed:
                self._plan(unit, on, "closed", out_on=_days(j(1401, 8, 1), j(1403, 6, 1), rng))
            else:
                self._plan(unit, on, "open", stage=open_stage[k])
        # After 1401-06: the program goes on; older cases mostly ended, recent ones open.
        candidates = self._candidates("yazd", j(1399, 1, 1))
        rng.shuffle(candidates)
        for unit, on in zip(candidates, self._spread(60, j(1401, 7, 1), j(1405, 6, 20)),
                            strict=False):  # fmt: skip
            self._later(unit, on, how_warning=on >= j(1402, 1, 1))
        yazd = self.plans[start:]
        # Units restarted in 1400 that go idle again later: a new case linked to the old one.
        for plan in [p for p in yazd if p["outcome"] == "restarted"
                     and p["out_on"] < j(1400, 12, 30)][:4]:  # fmt: skip
            on = _days(j(1403, 1, 10), j(1404, 6, 1), rng)
            self._later(plan["unit"], on, how_warning=True)
        return self.plans[start:]

    def _later(self, unit, on, *, how_warning):
        rng = self.rng
        age = (self.today - on).days
        roll = rng.random()
        how = IdentifiedBy.EARLY_WARNING if how_warning and rng.random() < 0.4 else None
        if (age > 500 and roll < 0.55) or (age > 250 and roll < 0.3):
            out = _days(on + dt.timedelta(90), min(on + dt.timedelta(400), self.today), rng)
            return self._plan(unit, on, "restarted", out_on=out, how=how)
        if age > 400 and roll < 0.7:
            out = _days(on + dt.timedelta(120), min(on + dt.timedelta(500), self.today), rng)
            return self._plan(unit, on, "closed", out_on=out, how=how)
        stage = rng.choice([CaseStage.IDENTIFIED, CaseStage.DIAGNOSED, CaseStage.PLANNED,
                            CaseStage.PLANNED])  # fmt: skip
        return self._plan(unit, on, "open", stage=stage, how=how)

    def _bushehr(self) -> list[dict]:
        rng, start = self.rng, len(self.plans)
        for unit in self._already_idle("bushehr")[:6]:
            on = _days(j(1398, 2, 1), j(1398, 12, 1), rng)
            self._plan(unit, on, "restarted", out_on=_days(on + dt.timedelta(120),
                                                           j(1399, 11, 1), rng))  # fmt: skip
        candidates = self._candidates("bushehr", j(1398, 1, 1))
        rng.shuffle(candidates)
        for unit, on in zip(candidates, self._spread(50, j(1398, 3, 1), j(1405, 6, 20)),
                            strict=False):  # fmt: skip
            self._later(unit, on, how_warning=on >= j(1401, 1, 1))
        return self.plans[start:]

    # Playing a plan through the services, in date order.
    def _play(self, plan, actor, *, require_diagnosis):
        rng, today = self.rng, self.today
        opened, outcome, out_on = plan["opened_on"], plan["outcome"], plan["out_on"]
        unit = Unit.objects.select_related("county").get(pk=plan["unit"].pk)
        case = services.case_open(
            actor=actor, unit=unit, opened_on=opened, identified_by=plan["how"],
            reasons=plan["reasons"], assigned_to=actor,
        )  # fmt: skip
        end = out_on or min(today, opened + dt.timedelta(days=300))
        stage = plan["stage"]
        ends = outcome != "open"
        diagnose = stage in (CaseStage.DIAGNOSED, CaseStage.PLANNED) or (
            ends and (require_diagnosis or rng.random() < 0.7)
        )
        planned = stage == CaseStage.PLANNED or (outcome == "restarted" and rng.random() < 0.85)
        span = max((end - opened).days, 3)
        last = opened
        if diagnose:
            last = opened + dt.timedelta(days=rng.randint(1, max(span // 4, 1)))
            areas = rng.sample(list(FINDINGS), rng.choice([1, 2, 2, 3]))
            services.case_diagnose(
                actor=actor, case=case, on=last, diagnosed_by=actor,
                summary="عارضه‌یابی در بازدید از واحد",
                findings=[{"area": area, "severity": rng.choice(Severity.values),
                           "text": rng.choice(FINDINGS[area])} for area in areas],
            )  # fmt: skip
        actions = []
        if planned and (diagnose or not require_diagnosis):
            last = last + dt.timedelta(days=rng.randint(1, max((end - last).days // 3, 1)))
            chosen = rng.sample(ACTIONS, rng.randint(2, 4))
            plan_record = services.case_plan(
                actor=actor, case=case, on=last, summary="طرح بهبود برای بازگشت به تولید",
                actions=[{"title": title, "owner_kind": owner, "owner_name": name,
                          "paid_by": paid, "due_on": last + dt.timedelta(rng.randint(30, 240)),
                          "cost_rial": rng.choice([0, 5, 20, 50, 120, 300, 800]) * 10_000_000}
                         for title, owner, name, paid in chosen],
            )  # fmt: skip
            actions = list(plan_record.actions.order_by("pk"))
        for action in actions:
            # Restarted cases did most of their actions; open ones some, and some are overdue.
            share = 0.85 if outcome == "restarted" else 0.4
            if rng.random() < share:
                done = min(action.due_on + dt.timedelta(rng.randint(-20, 40)), end, today)
                done = max(done, last)
                services.plan_action_progress(actor=actor, action=action, progress_pct=100,
                                              on=done)  # fmt: skip
            elif rng.random() < 0.3:
                services.plan_action_progress(actor=actor, action=action, on=last,
                                              progress_pct=rng.choice([20, 40, 60]))  # fmt: skip
        if rng.random() < 0.6 and (end - last).days > 2:
            services.followup_visit_add(actor=actor, case=case, findings=rng.choice(VISITS),
                                        on=_days(last, end - dt.timedelta(1), rng))  # fmt: skip
        case.refresh_from_db()
        last = max([last, *[a.done_on for a in PlanAction.objects.filter(plan__case=case)
                            if a.done_on]])  # fmt: skip
        if outcome == "restarted":
            on = max(out_on, last)
            services.case_restart(actor=actor, case=case, on=on,
                                  jobs_restored=max(1, round(unit.employees * rng.choice(
                                      [0.6, 0.8, 1, 1, 1.1]))))  # fmt: skip
            if rng.random() < 0.5 and (today - on).days > 40:
                services.followup_visit_add(
                    actor=actor, case=case, on=on + dt.timedelta(rng.randint(20, 40)),
                    findings="بازدید پس از راه‌اندازی: واحد در حال تولید است.",
                )  # fmt: skip
        elif outcome == "closed":
            services.case_close(actor=actor, case=case, on=max(out_on, last),
                                note="واحد تعطیل شد و زمین به شرکت بازگشت.")  # fmt: skip


def _link_representative() -> None:
    """Yazd's demo representative also represents a unit that restarted through its case."""
    user = get_user_model().objects.filter(username="yazd-unit").first()
    if user is None or user.represented_units.filter(status=UnitStatus.RESTARTED).exists():
        return
    unit = (
        Unit.objects.filter(is_demo=True, county__province__code="yazd",
                            revival_cases__stage=CaseStage.RESTARTED,
                            revival_cases__restarted_on__lt=j(1401, 1, 1),
                            status=UnitStatus.RESTARTED, exports__isnull=False)
        .distinct().order_by("pk").first()
    )  # fmt: skip
    if unit is not None:
        unit.representatives.add(user)


# --- the monthly reports ----------------------------------------------------------------------
# Per employee and month: (measure, volume, rial per measure in 1398, kWh per measure)
OUTPUT = {
    Sector.FOOD_DATES: ("تن", Decimal("0.8"), 600_000_000, 120),
    Sector.FOOD_AQUATIC: ("تن", Decimal("0.5"), 1_500_000_000, 400),
    Sector.FOOD_OTHER: ("تن", Decimal("0.6"), 400_000_000, 150),
    Sector.TEXTILES_ZILOU: ("متر مربع", Decimal("12"), 8_000_000, 5),
    Sector.TEXTILES_OTHER: ("متر", Decimal("300"), 500_000, 2),
    Sector.CERAMICS: ("متر مربع", Decimal("150"), 1_200_000, 12),
    Sector.CHEMICALS: ("تن", Decimal("1.5"), 300_000_000, 300),
    Sector.METALS: ("تن", Decimal("2"), 250_000_000, 600),
    Sector.MACHINERY: ("دستگاه", Decimal("0.3"), 900_000_000, 900),
}
DEFAULT_OUTPUT = ("تن", Decimal("1"), 300_000_000, 200)
INFLATION = 1.4  # a year


def _season(sector: str, month: int) -> float:
    if sector == Sector.FOOD_DATES:  # the harvest, Mordad to Mehr
        return [0.6, 0.6, 0.7, 0.8, 1.2, 1.7, 1.8, 1.5, 1.1, 0.8, 0.7, 0.6][month - 1]
    if sector == Sector.FOOD_AQUATIC:  # the shrimp season, and the fishing ban in spring
        return [0.7, 0.6, 0.7, 0.9, 1.1, 1.3, 1.4, 1.4, 1.2, 1.0, 0.9, 0.8][month - 1]
    return 0.75 if month == 1 else 1.0 + 0.08 * math.sin(month)  # Nowruz


class _Reports:
    def __init__(self, ctx):
        self.rng = ctx.random
        self.ctx = ctx
        self.today = timezone.localdate()
        self.now = timezone.now()
        year, month, _day = to_jalali(self.today)
        self.last = month_number(year, month) - 1  # the last month over
        self.due = last_due_month(self.today)  # the latest month whose report is due
        self.ends = {m: j(*month_of(m), 31) for m in range(FIRST_REPORT_MONTH, self.last + 1)}
        self.due_on = {m: j(*month_of(m + 1), DUE_DAY) for m in self.ends}
        self.reviewer = {
            code: get_user_model().objects.filter(username=f"{code}-expert").values_list(
                "pk", flat=True).first()
            for code in ("yazd", "bushehr")
        }  # fmt: skip

    def _operating_months(self) -> dict[int, set]:
        found = defaultdict(set)
        intervals = UnitStatusInterval.objects.filter(
            unit__is_demo=True, status__in=IN_OPERATION, province__code__in=["yazd", "bushehr"]
        ).values_list("unit", "valid_from", "valid_to")
        for unit, start, end in intervals:
            for m, month_end in self.ends.items():
                if start <= month_end < end:
                    found[unit].add(m)
        return found

    def write(self):
        operating = self._operating_months()
        idle_months = defaultdict(list)
        restart_months = defaultdict(list)
        for unit, opened, restarted in RevivalCase.objects.filter(is_demo=True).values_list(
            "unit", "opened_on", "restarted_on"
        ):
            idle_months[unit].append(month_number(*to_jalali(opened)[:2]))
            if restarted:
                restart_months[unit].append(month_number(*to_jalali(restarted)[:2]))
        from shahrak.units.models import UnitStatusEvent

        for unit, on in UnitStatusEvent.objects.filter(
            unit__is_demo=True, status=UnitStatus.IDLE
        ).values_list("unit", "on"):
            m = month_number(*to_jalali(on)[:2])
            if m not in idle_months[unit]:
                idle_months[unit].append(m)
        exporters = set(ExportRecord.objects.values_list("unit", flat=True))
        representatives = dict(Unit.representatives.through.objects.values_list("unit", "user"))
        units = Unit.objects.filter(pk__in=list(operating)).select_related("county__province")
        rows = []
        for unit in self.ctx.progress(units.order_by("pk"), "monthly reports", len(operating)):
            rows.extend(
                self._unit(unit, operating[unit.pk], idle_months[unit.pk],
                           restart_months[unit.pk], unit.pk in exporters,
                           representatives.get(unit.pk))
            )  # fmt: skip
        _insert(rows)

    def _unit(self, unit, months, idled, restarted, exporter, rep):
        rng = self.rng
        measure, per_head, price, kwh = OUTPUT.get(unit.sector, DEFAULT_OUTPUT)
        base = float(per_head) * unit.employees * rng.uniform(0.6, 1.4)
        factor = {}  # month → (production factor, employees factor); None: no report
        for i in idled:
            pattern = rng.random()
            if pattern < 0.65:  # a decline before idling, the last reports missed
                length, missed = rng.randint(4, 8), rng.choice([0, 1, 2, 2, 3])
                for back in range(1, length + 1):
                    depth = (length - back + 1) / length
                    factor[i - back] = (1 - 0.65 * depth, 1 - 0.4 * depth)
                for back in range(1, missed + 1):
                    factor[i - back] = None
            elif pattern < 0.8:  # silence only
                for back in range(1, rng.choice([2, 3]) + 1):
                    factor[i - back] = None
        for r in restarted:  # climbing back over six months
            for ahead in range(0, 6):
                factor.setdefault(r + ahead, (0.5 + 0.08 * ahead, 0.7 + 0.05 * ahead))
        if not idled and rng.random() < 0.05 and months:  # a dip, and recovery
            start = rng.choice(sorted(months))
            for ahead in range(rng.randint(3, 5)):
                factor.setdefault(start + ahead, (0.4, 0.75))
        found = []
        adapt = connection.ops.adapt_datetimefield_value
        reviewer = self.reviewer[unit.county.province.code]
        for m in sorted(months):
            if m < FIRST_REPORT_MONTH:
                continue
            year, month = month_of(m)
            f = factor.get(m, (1.0, 1.0))
            if f is None or rng.random() < 0.025 or (rep and m == self.due):
                continue  # missed (the representatives' latest one: still due)
            volume = base * _season(unit.sector, month) * f[0] * rng.uniform(0.88, 1.12)
            employees = max(1, round(unit.employees * f[1] * rng.uniform(0.95, 1.03)))
            sales = round(volume * price * INFLATION ** ((m - FIRST_REPORT_MONTH) / 12), -4)
            due = self.due_on[m]
            filed_on = due - dt.timedelta(days=rng.randint(1, 9))
            if rng.random() < 0.1:
                filed_on = due + dt.timedelta(days=rng.randint(1, 35))
            filed_at = dt.datetime.combine(filed_on, dt.time(10, rng.randint(0, 59)), TEHRAN)
            if filed_at > self.now:
                if rng.random() < 0.3 or m < self.last - 1:
                    continue  # not filed yet
                filed_at = self.now - dt.timedelta(hours=rng.randint(1, 48))
            reviewed_at = filed_at + dt.timedelta(days=rng.randint(1, 12))
            status, reason = ReportStatus.ACCEPTED, ""
            if reviewed_at > self.now:
                status, reviewed_at = ReportStatus.SUBMITTED, None
            elif rng.random() < 0.02 or (rep and m == self.due - 2):
                status, reason = ReportStatus.RETURNED, "آمار فروش با تولید نمی‌خواند؛ اصلاح کنید."
            stamp = adapt(reviewed_at or filed_at)
            found.append(
                (stamp, stamp, 1, unit.pk, year, month,
                 str(Decimal(volume).quantize(Decimal("0.01"))), measure, int(sales), employees,
                 int(sales * rng.uniform(0.15, 0.4)) if exporter else 0, int(volume * kwh),
                 status, reason, adapt(filed_at), rep, adapt(reviewed_at),
                 reviewer if reviewed_at else None, True)
            )  # fmt: skip
        return found


COLUMNS = ("created_at", "updated_at", "version", "unit_id", "year", "month", "production_volume",
           "production_measure", "sales_rial", "employees", "exports_rial", "energy_kwh",
           "status", "return_reason", "filed_at", "filed_by_id", "reviewed_at",
           "reviewed_by_id", "is_demo")  # fmt: skip


def _insert(rows: list[tuple]) -> None:
    """Rows of COLUMNS into the monthly reports' table, in batches: hundreds of thousands of
    them, so without building a model instance for each (values already adapted)."""
    table = MonthlyReport._meta.db_table
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(table), ", ".join(quote(c) for c in COLUMNS), ", ".join(["%s"] * len(COLUMNS))
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


# --- utility readings ---------------------------------------------------------------------
def _utility_readings(ctx) -> None:
    """A few Yazd units' metered use by month, in bulk (see the module's docstring)."""
    from shahrak.units.choices import IN_OPERATION

    rng = ctx.random
    year, month, _day = to_jalali(timezone.localdate())
    last = month_number(year, month) - 1  # the last month over
    yazd = Unit.objects.filter(is_demo=True, county__province__code="yazd")
    # Identified from utility data: use falls to a trickle in the three months before.
    stops = {
        unit: month_number(*to_jalali(opened)[:2])
        for unit, opened in RevivalCase.objects.filter(
            is_demo=True, unit__in=yazd, identified_by=IdentifiedBy.UTILITY_DATA
        )
        .order_by("opened_on", "pk")
        .values_list("unit", "opened_on")[:12]
    }
    operating = (
        yazd.filter(status__in=IN_OPERATION)
        .exclude(revival_cases__stage__in=(CaseStage.IDENTIFIED, CaseStage.DIAGNOSED,
                                           CaseStage.PLANNED))
        .order_by("pk")
        .values_list("pk", flat=True)
    )  # fmt: skip
    operating = [pk for pk in operating if pk not in stops]
    stopping_now = operating[:2]  # on today's watch list
    steady = operating[2:22]
    employees = dict(yazd.values_list("pk", "employees"))
    rows = []

    def series(unit, first, end, stop_from=None):
        kwh, gas, water = (employees[unit] * rng.uniform(600, 1400),
                           employees[unit] * rng.uniform(40, 120),
                           employees[unit] * rng.uniform(3, 9))  # fmt: skip
        for m in range(first, end + 1):
            y, mo = month_of(m)
            level = 0.75 if mo == 1 else 1.0  # Nowruz
            if stop_from is not None and m >= stop_from:
                level = rng.uniform(0.02, 0.1)
            noise = rng.uniform(0.9, 1.1)
            rows.append(UtilityReading(
                unit_id=unit, year=y, month=mo, electricity_kwh=round(kwh * level * noise),
                gas_m3=round(gas * level * noise), water_m3=round(water * max(level, 0.3) * noise),
                is_demo=True,
            ))  # fmt: skip

    for unit, idle in stops.items():
        series(unit, max(FIRST_REPORT_MONTH, idle - 24), idle, stop_from=idle - 3)
    for unit in stopping_now:
        series(unit, last - 20, last, stop_from=last - 2)
    for unit in steady:
        series(unit, max(FIRST_REPORT_MONTH, last - 30), last)
    UtilityReading.objects.bulk_create(rows, batch_size=2000)
