"""Support figures for reports: programs open, flagship and by family, applications submitted
and approved, subsidy committed and paid, the mean approved rate, exhibition supports and
services to units — aggregate queries on
querysets scoped to the asking user (`restrict(user)`) and to the report's scope.

Each is documented in docs/reports.md; each links to the list of the records it counts.
"""

# --- Programs, applications and subsidies ---------------------------------------------------
from decimal import Decimal

from django.db.models import Avg, Count, Exists, Max, Min, OuterRef, Q, Sum

from shahrak.accounts.choices import Action
from shahrak.core.jalali import JalaliPeriod, format_jalali
from shahrak.core.metrics import Metric, shared

from .choices import ApplicationStatus, ProgramFamily

APPLICATION_SCOPE = {
    "province": "unit__county__province",
    "county": "unit__county",
    "park": "unit__park",
}
PAYMENT_SCOPE = {
    "province": "application__unit__county__province",
    "county": "application__unit__county",
    "park": "application__unit__park",
}


def _scope_province(user, scope):
    """The province whose programs a scope speaks of (a county's or a park's own), the
    provinces the user sees for the national scope (None: every province)."""
    from shahrak.accounts.policy import EVERYWHERE, access_for
    from shahrak.places.models import County

    if scope.province is not None:
        return {scope.province}
    if scope.county is not None:
        return set(County.objects.filter(pk=scope.county).values_list("province", flat=True))
    if scope.park is not None:
        from shahrak.parks.models import Park

        return set(Park.objects.filter(pk=scope.park).values_list("county__province", flat=True))
    seen = access_for(user).provinces(Action.VIEW)
    return None if seen is EVERYWHERE else set(seen)


def _programs(user, scope):
    """The programs offered in the scope: its province's own and the national ones offered
    there (a national program without eligible provinces is offered everywhere)."""
    from .models import Program

    programs = Program.objects.restrict(user).filter(archived_at__isnull=True)
    provinces = _scope_province(user, scope)
    if provinces is None:
        return programs
    everywhere = ~Exists(Program.eligible_provinces.through.objects.filter(program=OuterRef("pk")))
    offered_here = Exists(
        Program.eligible_provinces.through.objects.filter(
            program=OuterRef("pk"), province__in=provinces
        )
    )
    return programs.filter(
        Q(province__in=provinces) | Q(province__isnull=True) & (everywhere | offered_here)
    )


def _open_on(date) -> Q:
    return Q(opens_on__lte=date) & (Q(closes_on__isnull=True) | Q(closes_on__gte=date))


@shared
def _program_figures(user, scope, periods) -> list[dict]:
    """For each period's last day: programs open, flagship ones, by family, and the lowest and
    highest rate they offer (two queries a period)."""
    programs = _programs(user, scope)
    found = []
    for period in periods:
        open_then = programs.filter(_open_on(period.end))
        row = open_then.aggregate(
            active=Count("pk"),
            flagship=Count("pk", filter=Q(flagship=True)),
            low=Min("rate_min_pct"),
            high=Max("rate_max_pct"),
        )
        families = dict(
            open_then.values_list("family").annotate(n=Count("pk")).order_by("-n", "family")
        )
        found.append({**row, "families": families})
    return found


def programs_active(user, scope, periods):
    return [row["active"] for row in _program_figures(user, scope, tuple(periods))]


def programs_flagship(user, scope, periods):
    return [row["flagship"] for row in _program_figures(user, scope, tuple(periods))]


def programs_by_family(user, scope, periods):
    return [row["families"] for row in _program_figures(user, scope, tuple(periods))]


def programs_rate_low(user, scope, periods):
    return [row["low"] for row in _program_figures(user, scope, tuple(periods))]


def programs_rate_high(user, scope, periods):
    return [row["high"] for row in _program_figures(user, scope, tuple(periods))]


def _applications(user, scope):
    from .models import Application

    applications = Application.objects.restrict(user).filter(archived_at__isnull=True)
    return scope.narrow(applications, **APPLICATION_SCOPE)


def _moments(start, end):
    """The first moment of `start` and the first of the day after `end` (Tehran's days)."""
    import datetime as dt

    from django.utils import timezone

    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time(), zone),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), zone),
    )


def _days(start, end) -> Q:
    """Steps taken on a day of start…end (the service's days, Tehran's): from the first
    moment of `start` to before the first of the day after `end` — compared as moments, so the
    database reads the stored times (a conversion of each time to its day, in Python on
    SQLite, was most of the figure's cost)."""
    first, after = _moments(start, end)
    return Q(at__gte=first, at__lt=after)


def submitted_within(start, end) -> Q:
    """An application with a submission (a first one or one after a return) on a day of
    start…end (Tehran's days)."""
    from .models import ApplicationStep

    return Q(
        Exists(
            ApplicationStep.objects.filter(
                _days(start, end), application=OuterRef("pk"), status=ApplicationStatus.SUBMITTED
            )
        )
    )


def _visible_applications(user, scope):
    """The applications of the scope the user sees, archived ones too; None when that is
    every application (a filter on them would only cost: the national report)."""
    from .models import Application

    visible = scope.narrow(Application.objects.restrict(user), **APPLICATION_SCOPE)
    return visible if visible.query.has_filters() else None


def applications_submitted(user, scope, periods):
    """Applications with a submission within each period, each once.

    A narrower scope's (a province's, a unit representative's) submissions are few: one
    query counts them, each application once a period, reaching them application by
    application (index support_step_status_app). The nation's are many: a period's figure is
    its submission steps (an index-only count of a range of support_step_status_at) less, for
    the applications archived or submitted more than once — few, read one by one — the steps
    beyond the first within the period (all of them, archived). Only a returned application
    can be submitted again (`application_submit` accepts a draft or a returned one), so the
    applications submitted more than once are among those with a return."""
    from .models import Application, ApplicationStep

    bounds = [_moments(p.start, p.end) for p in periods]
    steps = ApplicationStep.objects.filter(status=ApplicationStatus.SUBMITTED)
    visible = _visible_applications(user, scope)
    if visible is not None:
        steps = steps.filter(
            at__gte=min(first for first, _ in bounds),
            at__lt=max(after for _, after in bounds),
            application__in=visible.filter(archived_at__isnull=True).values("pk"),
        )
        found = steps.aggregate(
            **{f"p{i}": Count("application", distinct=True,
                              filter=Q(at__gte=first, at__lt=after))
               for i, (first, after) in enumerate(bounds)}
        )  # fmt: skip
        return [found[f"p{i}"] for i in range(len(periods))]
    returned = ApplicationStep.objects.filter(status=ApplicationStatus.RETURNED)
    again = (
        steps.filter(application__in=returned.values("application"))
        .values("application")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values("application")
    )
    archived = Application.objects.filter(archived_at__isnull=False).values("pk")
    special: dict[int, dict] = {}  # application → {submission step: its moment}
    gone = set()  # the archived ones
    for subset in (again, archived):  # apart: each reached application by application
        rows = steps.filter(application__in=subset).values_list("application", "pk", "at")
        for application, step, at in rows:
            if subset is archived:
                gone.add(application)
            special.setdefault(application, {})[step] = at
    found = []
    for first, after in bounds:
        count = steps.filter(at__gte=first, at__lt=after).count()
        for application, moments in special.items():
            within = sum(first <= at < after for at in moments.values())
            if within:
                count -= within if application in gone else within - 1
        found.append(count)
    return found


def _approved(period) -> Q:
    return Q(approved_on__range=(period.start, period.end))


def _per_period(records, periods, within, wide: bool, **aggregates) -> list[dict]:
    """`aggregates` (name → Count, Sum, Avg of a field) of `records` within each period
    (`within(period)` → Q). The nation's records are many (`wide`): one query a period, each
    reading its range of dates from a covering index — one query filtering every row for every
    period read them all, four times over. A narrower scope's are few, found through its
    units: one query reads them once."""
    if wide:
        return [records.filter(within(p)).aggregate(**aggregates) for p in periods]
    found = records.aggregate(
        **{
            f"{name}_{i}": type(agg)(*agg.source_expressions, filter=within(p))
            for name, agg in aggregates.items()
            for i, p in enumerate(periods)
        }
    )
    return [{name: found[f"{name}_{i}"] for name in aggregates} for i in range(len(periods))]


@shared
def _approval_figures(user, scope, periods) -> list[dict]:
    """Count, sum and mean rate of the approvals of each period (`approved_on` within it)."""
    return [
        {**row, "committed": row["committed"] or 0}
        for row in _per_period(
            _applications(user, scope), periods, _approved,
            _visible_applications(user, scope) is None,
            approved=Count("pk"), committed=Sum("committed_rial"), rate=Avg("approved_rate_pct"),
        )
    ]  # fmt: skip


def applications_approved(user, scope, periods):
    return [row["approved"] for row in _approval_figures(user, scope, tuple(periods))]


def subsidy_committed(user, scope, periods):
    return [row["committed"] for row in _approval_figures(user, scope, tuple(periods))]


def mean_rate(user, scope, periods):
    return [
        None if row["rate"] is None else Decimal(row["rate"]).quantize(Decimal("0.1"))
        for row in _approval_figures(user, scope, tuple(periods))
    ]


def subsidy_paid(user, scope, periods):
    from .models import Payment

    payments = scope.narrow(Payment.objects.restrict(user), **PAYMENT_SCOPE)
    wide = not payments.query.has_filters()
    rows = _per_period(
        payments.filter(archived_at__isnull=True), periods,
        lambda p: Q(on__range=(p.start, p.end)), wide, paid=Sum("amount_rial"),
    )  # fmt: skip
    return [row["paid"] or 0 for row in rows]


# --- the records behind each figure ---------------------------------------------------------
def _day(date) -> str:
    return format_jalali(date, persian=False)


def _programs_url(**extra):
    def url(scope, period):
        return scope.records_url("support:program-list", open_on=_day(period.end), **extra)

    return url


def _approved_url(scope, period):
    return scope.records_url(
        "support:application-list",
        approved_from=_day(period.start),
        approved_to=_day(period.end),
    )


def _submitted_url(scope, period):
    return scope.records_url(
        "support:application-list",
        submitted_from=_day(period.start),
        submitted_to=_day(period.end),
    )


def _payments_url(scope, period):
    return scope.records_url(
        "support:payment-list", on_from=_day(period.start), on_to=_day(period.end)
    )


def _family_names(keys):
    return {key: str(ProgramFamily(key).label) for key in keys if key in ProgramFamily.values}


PROGRAM_METRICS = [
    Metric(
        "programs.active", "برنامه‌های حمایتی فعال", "Support programs open", "count", "stock",
        compute_many=programs_active, records=_programs_url(),
        description="Support programs open on the period's last day (opened by then, not "
        "closed before it) that the scope's province runs or is offered (national ones).",
    ),
    Metric(
        "programs.flagship", "برنامه‌های حمایتی شاخص", "Flagship support programs open",
        "count", "stock", compute_many=programs_flagship,
        records=_programs_url(flagship="true"),
        description="Of the programs open on the period's last day, the flagship ones.",
    ),
    Metric(
        "programs.by_family", "برنامه‌های حمایتی فعال به تفکیک خانواده",
        "Support programs open by family", "count", "stock",
        compute_many=programs_by_family, records=_programs_url(), names=_family_names,
        by="family",
        description="Programs open on the period's last day, by family (market, "
        "entrepreneurship, industrial, financial and investment development, technology).",
    ),
    Metric(
        "programs.rate_min_pct", "کمترین نرخ یارانهٔ برنامه‌ها", "Lowest subsidy rate of the "
        "programs", "percent", "stock", compute_many=programs_rate_low,
        records=_programs_url(),
        description="The lowest subsidy rate any program open on the period's last day "
        "offers (the lower end of its range).",
    ),
    Metric(
        "programs.rate_max_pct", "بیشترین نرخ یارانهٔ برنامه‌ها", "Highest subsidy rate of the "
        "programs", "percent", "stock", compute_many=programs_rate_high,
        records=_programs_url(),
        description="The highest subsidy rate any program open on the period's last day "
        "offers (the upper end of its range).",
    ),
    Metric(
        "applications.submitted", "درخواست‌های حمایت ثبت‌شده", "Support applications "
        "submitted", "count", "flow", compute_many=applications_submitted,
        records=_submitted_url,
        description="Applications submitted for review within the period (a first "
        "submission or one after a return; each application once).",
    ),
    Metric(
        "applications.approved", "درخواست‌های حمایت تصویب‌شده", "Support applications "
        "approved", "count", "flow", compute_many=applications_approved,
        records=_approved_url,
        description="Applications approved by the manager within the period (their approval "
        "date), whatever happened to them since.",
    ),
    Metric(
        "subsidy.committed_rial", "یارانهٔ تعهدشده", "Subsidy committed", "rial", "flow",
        compute_many=subsidy_committed, records=_approved_url,
        description="What the applications approved within the period hold against their "
        "budgets today (reserved + paid: an execution, rejection, withdrawal or closure "
        "since has released the rest).",
    ),
    Metric(
        "subsidy.paid_rial", "یارانهٔ پرداخت‌شده", "Subsidy paid", "rial", "flow",
        compute_many=subsidy_paid, records=_payments_url,
        description="Subsidy payments (staged payments each) dated within the period.",
    ),
    Metric(
        "subsidy.mean_rate_pct", "میانگین نرخ یارانهٔ تصویب‌شده", "Mean approved subsidy rate",
        "percent", "flow", compute_many=mean_rate, records=_approved_url,
        description="The mean of the approved rates of the applications approved within the "
        "period (each application counts once, whatever its amount).",
    ),
]  # fmt: skip


def _records(scope, route: str, **filters) -> str | None:
    """The list `route` filtered to the scope; None while its page is not installed."""
    from django.urls import NoReverseMatch

    try:
        return scope.records_url(route, **filters)
    except NoReverseMatch:
        return None


def _within(field: str, period: JalaliPeriod) -> Q:
    return Q(**{f"{field}__range": (period.start, period.end)})


# Exhibitions and services ---------------------------------------------------------------------
# exhibitions.*: the exhibition supports (not archived) of units of the scope, each counted on
# its exhibition's first day (`on`). services.*: the service records (not archived) of the
# scope's units dated within the period, and — counted here, kept by the revival app — the
# revival cases diagnosed within it (once each) and those given an improvement plan in it.
SUPPORT_SCOPE = {"province": "unit__county__province", "county": "unit__county",
                 "park": "unit__park"}  # fmt: skip
CASE_SCOPE = {"province": "unit__county__province", "county": "unit__county",
              "park": "unit__park"}  # fmt: skip
DIAGNOSIS, PLAN = "diagnosis", "improvement_plan"


def _exhibition_supports(user, scope):
    from .models import ExhibitionSupport

    supports = ExhibitionSupport.objects.restrict(user).filter(archived_at__isnull=True)
    return scope.narrow(supports, **SUPPORT_SCOPE)


def _counts(queryset, conditions: list[Q], distinct: bool = False) -> list[int]:
    found = queryset.aggregate(
        **{f"p{i}": Count("pk", filter=q, distinct=distinct) for i, q in enumerate(conditions)}
    )
    return [found[f"p{i}"] for i in range(len(conditions))]


@shared
def _supports_by_day(user, scope) -> list[tuple]:
    """(day, foreign?, supports) of the scope's exhibition supports, one row a day and
    exhibition — read from the index (on, archived_at, exhibition) in its order, a few
    hundred rows a year — from which every exhibition figure of every period is summed."""
    from .choices import ExhibitionReach
    from .models import Exhibition

    rows = list(
        _exhibition_supports(user, scope)
        .values_list("on", "exhibition")
        .annotate(n=Count("pk"))
        .order_by()
    )
    foreign = set(
        Exhibition.objects.filter(reach=ExhibitionReach.FOREIGN).values_list("pk", flat=True)
    )
    return [(on, exhibition in foreign, n) for on, exhibition, n in rows]


def _sum_supports(user, scope, periods, *, since_start=False, foreign_only=False) -> list[int]:
    days = _supports_by_day(user, scope)
    found = []
    for period in periods:
        start, end = period.start, period.end  # each a conversion from the Jalali calendar
        found.append(
            sum(
                n
                for on, foreign, n in days
                if (since_start or on >= start) and on <= end and (foreign or not foreign_only)
            )
        )
    return found


def exhibition_supports(user, scope, periods):
    return _sum_supports(user, scope, periods)


def exhibition_supports_total(user, scope, periods):
    """Every support from the start of the records to each period's end."""
    return _sum_supports(user, scope, periods, since_start=True)


def foreign_exhibition_supports(user, scope, periods):
    return _sum_supports(user, scope, periods, foreign_only=True)


def _service_records(user, scope):
    from .models import ServiceRecord

    records = ServiceRecord.objects.restrict(user).filter(archived_at__isnull=True)
    if scope.park is not None or scope.county is not None:
        # The units' county or park: through the units (a record of several counted once).
        within = scope.narrow(
            ServiceRecord.objects.all(), province="province", county="units__county",
            park="units__park",
        )  # fmt: skip
        return records.filter(pk__in=within.values("pk"))
    return scope.narrow(records, province="province", county="province", park="province")


@shared
def _services_by_kind(user, scope, periods: tuple) -> list[dict[str, int]]:
    """Per period, kind code → service records; and the diagnoses and plans. Each query
    reads the dates from the first period's start to the last one's end only (the year
    before's figure: two years of the records)."""
    from shahrak.revival.models import Diagnosis, ImprovementPlan, RevivalCase

    windows = [(p.start, p.end) for p in periods]  # each a conversion from the calendar
    span = Q(on__range=(min(start for start, _ in windows), max(end for _, end in windows)))
    within = [Q(on__range=window) for window in windows]
    found = [{} for _ in periods]
    grouped = (
        _service_records(user, scope)
        .filter(span)
        .values("kind__code")
        .annotate(**{f"p{i}": Count("pk", filter=q) for i, q in enumerate(within)})
        .order_by()
    )
    for row in grouped:
        for i in range(len(periods)):
            if row[f"p{i}"]:
                found[i][row["kind__code"]] = row[f"p{i}"]
    # Revival cases diagnosed within a period (once each, as idle.diagnosed), and those whose
    # improvement plan is dated within it: what the revival case list shows for the links —
    # counted from the diagnoses and plans (a few thousand rows), not from every case joined
    # to them; the cases not archived joined to them when the user sees every case.
    cases = scope.narrow(RevivalCase.objects.restrict(user), **CASE_SCOPE)
    if cases.query.has_filters():
        of_cases = Q(case__in=cases.filter(archived_at__isnull=True).values("pk"))
    else:
        of_cases = Q(case__archived_at__isnull=True)
    diagnosed = (
        Diagnosis.objects.filter(of_cases, span, archived_at__isnull=True)
        .aggregate(**{f"p{i}": Count("case", distinct=True, filter=q)
                      for i, q in enumerate(within)})
    )  # fmt: skip
    planned = ImprovementPlan.objects.filter(of_cases, span, archived_at__isnull=True).aggregate(
        **{f"p{i}": Count("pk", filter=q) for i, q in enumerate(within)}
    )
    for key, counts in ((DIAGNOSIS, diagnosed), (PLAN, planned)):
        for i in range(len(periods)):
            if counts[f"p{i}"]:
                found[i][key] = counts[f"p{i}"]
    return found


def services_count(user, scope, periods):
    return [sum(kinds.values()) for kinds in _services_by_kind(user, scope, tuple(periods))]


def services_by_kind(user, scope, periods):
    return [
        dict(sorted(kinds.items(), key=lambda item: -item[1]))
        for kinds in _services_by_kind(user, scope, tuple(periods))
    ]


def service_kind_names(keys) -> dict[str, str]:
    from .models import ServiceKind

    names = dict(ServiceKind.objects.filter(code__in=list(keys)).values_list("code", "name"))
    names.update({DIAGNOSIS: "عارضه‌یابی واحدها", PLAN: "برنامه‌های بهبود"})
    return {key: names.get(key, key) for key in keys}


def _supports_url(reach: str = "", since_start: bool = False):
    def url(scope, period):
        filters = {"on_to": format_jalali(period.end, False)}
        if not since_start:
            filters["on_from"] = format_jalali(period.start, False)
        if reach:
            filters["reach"] = reach
        return _records(scope, "support:exhibition-support-list", **filters)

    return url


def year_before(period: JalaliPeriod) -> JalaliPeriod:
    """The whole Jalali year before the one the period ends in (the press sentences' «قریب ۵۰۰
    مورد در سال ۱۴۰۰ و بیش از ۱۴۰ مورد در شش ماهه نخست ۱۴۰۱»)."""
    return JalaliPeriod.year(period.last[0] - 1)


def exhibition_supports_year_before(user, scope, periods):
    return exhibition_supports(user, scope, [year_before(p) for p in periods])


def services_count_year_before(user, scope, periods):
    return services_count(user, scope, [year_before(p) for p in periods])


def _year_before_url(url):
    return lambda scope, period: url(scope, year_before(period))


def _services_url(scope, period):
    return _records(
        scope, "support:service-list",
        on_from=format_jalali(period.start, False), on_to=format_jalali(period.end, False),
    )  # fmt: skip


EXHIBITION_AND_SERVICE_METRICS = [
    Metric(
        "exhibitions.supports", "حمایت از حضور در نمایشگاه‌ها", "Exhibition supports", "count",
        "flow", compute_many=exhibition_supports, records=_supports_url(),
        description="Supports of units at domestic and foreign exhibitions (booth, attendance, "
        "group pavilion) at exhibitions that opened within the period.",
    ),
    Metric(
        "exhibitions.supports_total", "حمایت از حضور در نمایشگاه‌ها از آغاز",
        "Exhibition supports since records began", "count", "stock",
        compute_many=exhibition_supports_total, records=_supports_url(since_start=True),
        description="Supports of units at exhibitions since the records began, up to the "
        "period's end.",
    ),
    Metric(
        "exhibitions.foreign_supports", "حمایت از حضور در نمایشگاه‌های خارجی",
        "Foreign exhibition supports", "count", "flow",
        compute_many=foreign_exhibition_supports, records=_supports_url(reach="foreign"),
        description="Supports of units at exhibitions abroad that opened within the period.",
    ),
    Metric(
        "exhibitions.supports_year_before", "حمایت از حضور در نمایشگاه‌ها در سال پیش",
        "Exhibition supports in the year before", "count", "stock",
        compute_many=exhibition_supports_year_before,
        records=_year_before_url(_supports_url()),
        description="Exhibition supports in the whole Jalali year before the one the period "
        "ends in (1400 for 1401-H1).",
    ),
    Metric(
        "services.count", "خدمات به واحدها", "Services to units", "count", "flow",
        compute_many=services_count, records=_services_url,
        description="Service records dated within the period (mobile clinic visits, "
        "technology needs identified, training, consulting, marketing, standards…), plus the "
        "revival cases' diagnoses and improvement plans dated within it.",
    ),
    Metric(
        "services.count_year_before", "خدمات به واحدها در سال پیش",
        "Services to units in the year before", "count", "stock",
        compute_many=services_count_year_before, records=_year_before_url(_services_url),
        description="services.count in the whole Jalali year before the one the period ends "
        "in (1400 for 1401-H1).",
    ),
    Metric(
        "services.by_kind", "خدمات به واحدها به تفکیک نوع", "Services to units by kind",
        "count", "flow", compute_many=services_by_kind, records=_services_url,
        names=service_kind_names, by="kind",
        description="The services of services.count by kind code ('diagnosis' and "
        "'improvement_plan' for the revival cases').",
    ),
]  # fmt: skip

METRICS = [*PROGRAM_METRICS, *EXHIBITION_AND_SERVICE_METRICS]
