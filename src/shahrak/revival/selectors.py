"""Reads about revival: a case's timeline, its chain of cases, overdue actions."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from shahrak.core.jalali import to_jalali

from . import watch
from .choices import CaseStage, ReportStatus
from .models import (
    ImprovementPlan,
    MonthlyReport,
    PlanAction,
    ProvinceRevivalSettings,
    RevivalCase,
)

# The order of steps on one day.
STEP_ORDER = ("identified", "diagnosed", "planned", "action_done", "visit", "restarted", "closed")


@dataclass(frozen=True)
class Step:
    on: dt.date
    kind: str  # one of STEP_ORDER
    label: str
    record: object


def case_timeline(case: RevivalCase) -> list[Step]:
    """The case's steps in the order they happened (date, then the order of the work)."""
    steps = [
        Step(
            case.opened_on,
            "identified",
            _("Identified as idle (%(how)s)") % {"how": case.get_identified_by_display()},
            case,
        )
    ]
    for diagnosis in case.diagnoses.filter(archived_at__isnull=True):
        steps.append(Step(diagnosis.on, "diagnosed", str(CaseStage.DIAGNOSED.label), diagnosis))
    plan = ImprovementPlan.objects.filter(case=case, archived_at__isnull=True).first()
    if plan is not None:
        steps.append(Step(plan.on, "planned", str(CaseStage.PLANNED.label), plan))
        for action in plan.actions.filter(archived_at__isnull=True, done_on__isnull=False):
            label = _("Done: %(title)s") % {"title": action.title}
            steps.append(Step(action.done_on, "action_done", label, action))
    for visit in case.visits.filter(archived_at__isnull=True):
        steps.append(Step(visit.on, "visit", str(visit._meta.verbose_name), visit))
    if case.restarted_on:
        steps.append(Step(case.restarted_on, "restarted", str(CaseStage.RESTARTED.label), case))
    if case.closed_on:
        steps.append(Step(case.closed_on, "closed", str(CaseStage.CLOSED.label), case))
    return sorted(steps, key=lambda step: (step.on, STEP_ORDER.index(step.kind)))


def case_chain(case: RevivalCase) -> list[RevivalCase]:
    """The unit's cases linked to this one, oldest first (a unit idle again, restarted again)."""
    chain = [case]
    while chain[0].previous_case_id:
        chain.insert(0, chain[0].previous_case)
    current = case
    while hasattr(current, "next_case"):
        try:
            current = current.next_case
        except RevivalCase.next_case.RelatedObjectDoesNotExist:
            break
        chain.append(current)
    return chain


def open_at(date: dt.date) -> Q:
    """Cases open at the end of `date`: identified by then, neither restarted nor closed by
    then (for today, the cases in an open stage)."""
    return (
        Q(opened_on__lte=date)
        & (Q(restarted_on__isnull=True) | Q(restarted_on__gt=date))
        & (Q(closed_on__isnull=True) | Q(closed_on__gt=date))
    )


def overdue_actions(queryset=None, *, today: dt.date):
    """Actions not done whose due date has passed, of cases still open or restarted."""
    queryset = PlanAction.objects.all() if queryset is None else queryset
    return queryset.filter(
        archived_at__isnull=True, done_on__isnull=True, due_on__lt=today
    ).exclude(plan__case__stage=CaseStage.CLOSED)


# --- the watch list ---------------------------------------------------------------------------
# Reports that count as filed for the watch list: the unit did report (a returned report is
# being corrected; its month is not "missed").
FILED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.RETURNED)


@dataclass(frozen=True)
class Watched:
    unit_id: int
    flags: list  # [watch.Flag]


def watch_list(units, on: dt.date, rules_for=None) -> list[Watched]:
    """Units of `units` (a scoped Unit queryset) possibly going idle on `on`: in operation on
    that date, without a revival case open on that date, and flagged by their province's rules
    over the reports due by then. Months before the unit began its current spell of operation
    are not counted as missed. `rules_for(province_id)` gives the rules (default: the province's
    settings)."""
    from shahrak.units.metrics import in_operation_at
    from shahrak.units.models import UnitStatusInterval

    if rules_for is None:

        def rules_for(province_id):
            return watch.WatchRules.of(ProvinceRevivalSettings.for_province(province_id))

    as_of = watch.last_due_month(on)
    # Cases open on that date (a unit whose case was opened later is still watched then).
    open_cases = RevivalCase.objects.filter(open_at(on), archived_at__isnull=True)
    open_cases = open_cases.values("unit")
    operating = in_operation_at(UnitStatusInterval.objects.filter(unit__in=units), on)
    since = {
        row["unit"]: row["valid_from"]
        for row in operating.exclude(unit__in=open_cases).values("unit", "valid_from")
    }
    provinces = dict(operating.values_list("unit", "province"))
    rules = {pk: rules_for(pk) for pk in set(provinces.values())}
    longest = max((r.recent_months for r in rules.values()), default=1)
    missed = max((r.missed_months for r in rules.values()), default=1)
    earliest = as_of - max(12 + longest, 2 * longest, missed)
    year, month = watch.month_of(earliest)
    last_year, last_month = watch.month_of(as_of)  # nothing later is read
    reports: dict[int, dict[int, watch.Figures]] = {pk: {} for pk in since}
    rows = (
        MonthlyReport.objects.filter(
            unit__in=list(since), status__in=FILED, archived_at__isnull=True
        )
        .filter(Q(year__gt=year) | Q(year=year, month__gte=month))
        .filter(Q(year__lt=last_year) | Q(year=last_year, month__lte=last_month))
        .values_list("unit", "year", "month", "production_volume", "employees")
    )
    for unit_id, y, m, production, employees in rows:
        number = watch.month_number(y, m)
        if number <= as_of:
            reports[unit_id][number] = watch.Figures(production, employees)
    found = []
    for unit_id, valid_from in sorted(since.items()):
        start = watch.month_number(*to_jalali(valid_from)[:2])
        flags = watch.flags_for(reports[unit_id], as_of, rules[provinces[unit_id]], since=start)
        if flags:
            found.append(Watched(unit_id, flags))
    return found


def histories_for_backtest(province, first: int, last: int) -> list:
    """Every unit of `province` as the backtest sees it over the months `first..last`: its
    filed reports, the months at whose end it was in operation, its idle events. A unit is
    expected to report from the later of the province's first report and its first month in
    operation."""
    from shahrak.core.jalali import month_length, to_gregorian
    from shahrak.units.choices import IN_OPERATION, UnitStatus
    from shahrak.units.models import UnitStatusEvent, UnitStatusInterval

    from .backtest import UnitHistory

    month_ends = {
        m: to_gregorian(*watch.month_of(m), month_length(*watch.month_of(m)))
        for m in range(first - 24, last + 1)
    }
    reports: dict[int, dict] = {}
    rows = MonthlyReport.objects.filter(
        unit__county__province=province, status__in=FILED, archived_at__isnull=True
    ).values_list("unit", "year", "month", "production_volume", "employees")
    for unit_id, year, month, production, employees in rows:
        number = watch.month_number(year, month)
        reports.setdefault(unit_id, {})[number] = watch.Figures(production, employees)
    program_start = min((min(r) for r in reports.values()), default=first)
    operating: dict[int, set] = {}
    intervals = UnitStatusInterval.objects.filter(province=province, status__in=IN_OPERATION)
    for unit_id, valid_from, valid_to in intervals.values_list("unit", "valid_from", "valid_to"):
        months = operating.setdefault(unit_id, set())
        months.update(m for m, end in month_ends.items() if valid_from <= end < valid_to)
    idle: dict[int, list] = {}
    events = UnitStatusEvent.objects.filter(
        unit__county__province=province, status=UnitStatus.IDLE, archived_at__isnull=True
    )
    for unit_id, on in events.values_list("unit", "on"):
        idle.setdefault(unit_id, []).append(watch.month_number(*to_jalali(on)[:2]))
    return [
        UnitHistory(
            reports=reports.get(unit_id, {}),
            operating=frozenset(months),
            became_idle=tuple(sorted(idle.get(unit_id, []))),
            since=max(program_start, min(months)) if months else program_start,
        )
        for unit_id, months in operating.items()
    ]


# --- the work views ---------------------------------------------------------------------------
def next_steps(case: RevivalCase) -> set[str]:
    """The steps the case's stage permits now (the services have the last word): "diagnose",
    "plan", "progress", "visit", "restart", "close"."""
    if case.stage == CaseStage.CLOSED:
        return set()
    if case.stage == CaseStage.RESTARTED:
        return {"progress", "visit"}
    steps = {"visit", "restart", "close"}
    if case.stage in (CaseStage.IDENTIFIED, CaseStage.DIAGNOSED):
        steps.add("diagnose")
    rules = ProvinceRevivalSettings.for_province(case.unit.county.province_id)
    if case.stage == CaseStage.DIAGNOSED or (
        case.stage == CaseStage.IDENTIFIED and not rules.diagnosis_before_restart
    ):
        steps.add("plan")
    if case.stage == CaseStage.IDENTIFIED and rules.diagnosis_before_restart:
        steps.discard("restart")
    if case.stage == CaseStage.PLANNED:
        steps.add("progress")
    return steps


FUNNEL = ("identified", "diagnosed", "planned", "restarted", "closed")


def funnel(cases) -> dict[str, int]:
    """How far the cases of `cases` (those identified in a period) got: identified, diagnosed
    (at least one diagnosis), planned (a plan), restarted, closed for good."""
    from django.db.models import Count, Exists, OuterRef

    from .models import Diagnosis

    diagnosed = Diagnosis.objects.filter(case=OuterRef("pk"), archived_at__isnull=True)
    planned = ImprovementPlan.objects.filter(case=OuterRef("pk"), archived_at__isnull=True)
    counted = cases.order_by().aggregate(
        identified=Count("pk"),
        diagnosed=Count("pk", filter=Q(Exists(diagnosed))),
        planned=Count("pk", filter=Q(Exists(planned))),
        restarted=Count("pk", filter=Q(stage=CaseStage.RESTARTED)),
        closed=Count("pk", filter=Q(stage=CaseStage.CLOSED)),
    )
    return {step: counted[step] for step in FUNNEL}


def reports_due(units, today: dt.date):
    """For each of `units` (a representative's), the months whose report is due by `today`
    and not filed (no report, or a draft), among the last twelve, from the unit's current
    spell of operation; and its reports returned for correction."""
    from shahrak.units.metrics import in_operation_at
    from shahrak.units.models import UnitStatusInterval

    last = watch.last_due_month(today)
    operating = {
        row["unit"]: row["valid_from"]
        for row in in_operation_at(UnitStatusInterval.objects.filter(unit__in=units), today).values(
            "unit", "valid_from"
        )
    }
    filed = {
        (unit, watch.month_number(year, month))
        for unit, year, month in MonthlyReport.objects.filter(
            unit__in=list(operating), status__in=FILED, archived_at__isnull=True
        ).values_list("unit", "year", "month")
    }
    due = {}
    for unit_id, since in operating.items():
        start = max(last - 11, watch.month_number(*to_jalali(since)[:2]))
        due[unit_id] = [
            watch.month_of(m) for m in range(last, start - 1, -1) if (unit_id, m) not in filed
        ]
    returned = MonthlyReport.objects.filter(
        unit__in=units, status=ReportStatus.RETURNED, archived_at__isnull=True
    ).order_by("-year", "-month")
    return due, returned
