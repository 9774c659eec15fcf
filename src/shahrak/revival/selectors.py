"""Reads about revival: a case's timeline, its chain of cases, overdue actions."""

import datetime as dt
import functools
import sys
from array import array
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Max, Q
from django.utils.translation import gettext as _

from shahrak.core.jalali import to_jalali

from . import watch
from .choices import OPEN_STAGES, CaseStage, ReportStatus
from .models import (
    ImprovementPlan,
    MonthlyReport,
    PlanAction,
    ProvinceRevivalSettings,
    RevivalCase,
    UtilityReading,
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


def outcome_disagreements(cases=None):
    """Cases whose outcome disagrees with the unit's event it stands on: a restarted or
    closed case without its event, or whose `restarted_on`/`closed_on` is not that event's
    date and status, or an open case with an outcome event. The dates are copies kept for
    the figures' indexes; `case_restart` and `case_close` are their only writers (the
    fields are not editable elsewhere), and this finds none on data they wrote."""
    from django.db.models import F

    from shahrak.units.choices import UnitStatus

    cases = RevivalCase.objects.all() if cases is None else cases
    final = Q(stage__in=(CaseStage.RESTARTED, CaseStage.CLOSED))
    restarted = Q(stage=CaseStage.RESTARTED) & (
        ~Q(restarted_on=F("outcome_event__on"))
        | ~Q(outcome_event__status=UnitStatus.RESTARTED)
        | Q(closed_on__isnull=False)
    )
    closed = Q(stage=CaseStage.CLOSED) & (
        ~Q(closed_on=F("outcome_event__on"))
        | ~Q(outcome_event__status=UnitStatus.CLOSED)
        | Q(restarted_on__isnull=False)
    )
    return cases.filter(
        (final & Q(outcome_event__isnull=True))
        | (~final & Q(outcome_event__isnull=False))
        | restarted
        | closed
    )


def open_at(date: dt.date) -> Q:
    """Cases open at the end of `date`: identified by then, neither restarted nor closed by
    then (for today, the cases in an open stage)."""
    return (
        Q(opened_on__lte=date)
        & (Q(restarted_on__isnull=True) | Q(restarted_on__gt=date))
        & (Q(closed_on__isnull=True) | Q(closed_on__gt=date))
    )


def actions_paid_by(user, application):
    """The improvement-plan actions that a support application pays, as `user` may see them
    (shown on the application's page)."""
    from shahrak.accounts.choices import Action

    return (
        PlanAction.objects.restrict(user, Action.VIEW)
        .filter(application=application, archived_at__isnull=True)
        .select_related("plan__case__unit")
        .order_by("due_on", "pk")
    )


def overdue_actions(queryset=None, *, today: dt.date):
    """Actions not done whose due date has passed, of cases still open (a restarted or closed
    case's actions are not chased)."""
    queryset = PlanAction.objects.all() if queryset is None else queryset
    return queryset.filter(
        archived_at__isnull=True, done_on__isnull=True, due_on__lt=today,
        plan__case__stage__in=OPEN_STAGES,
    )  # fmt: skip


# --- the watch list ---------------------------------------------------------------------------
# Reports that count as filed for the watch list: the unit did report (a returned report is
# being corrected; its month is not "missed").
FILED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.RETURNED)


@dataclass(frozen=True)
class Watched:
    unit_id: int
    flags: list  # [watch.Flag]


def watch_list(units, on: dt.date, rules_for=None, *, kept: bool | None = None) -> list[Watched]:
    """Units of `units` (a scoped Unit queryset) possibly going idle on `on`: in operation on
    that date, without a revival case open on that date, and flagged by their province's rules
    over the reports due by then. Months before the unit began its current spell of operation
    are not counted as missed. `rules_for(province_id)` gives the rules (default: the province's
    settings).

    The database narrows the units first (`_candidates`: those without a report in the
    missed-reports window, and those whose latest months fell against the months before them
    by about the rule's threshold or more); the rules themselves (`watch.flags_for`) then judge
    each candidate on its reports, so the list is the rules' and only the reading is fast.

    `kept`: whether the candidates are found in the country's sets kept once found
    (`FiledUnits`, `DropCandidates`: for a user who sees whole provinces), or in the reports
    of `units` (False); by default, kept for more than `WHOLE_TABLE_FROM` units."""
    from shahrak.units.choices import IN_OPERATION
    from shahrak.units.metrics import in_operation_at
    from shahrak.units.models import UnitStatusInterval

    as_of = watch.last_due_month(on)
    # unit → province of the units in operation (those with a case open on that date are
    # left out of the candidates found, below): read once, from the intervals' covering
    # index, and matched in memory (queries narrowed by a subquery of them made SQLite
    # recompute it, or read the reports' rows unit by unit instead of their covering index);
    # read raw, as plain numbers.
    intervals = UnitStatusInterval.objects.all()
    if _narrowed(units):  # (every unit: no subquery of them, probed for each interval)
        intervals = intervals.filter(unit__in=units)
    operating = in_operation_at(intervals, on)
    spells = dict(_raw(operating.order_by().values_list("unit", "province")))
    provinces = set(spells.values())
    if rules_for is None:
        rules = province_rules(provinces)
    else:
        rules = {pk: rules_for(pk) for pk in provinces}
    if not rules:
        return []
    groups: dict[watch.WatchRules, set[int]] = {}
    for province, rule in rules.items():
        groups.setdefault(rule, set()).add(province)
    candidates: dict[int, int] = {}  # unit → province
    for rule, members in groups.items():
        if len(groups) == 1:
            group = spells
        else:
            group = {unit: province for unit, province in spells.items() if province in members}
        candidates.update(_candidates(group, as_of, rule, kept))
    # The utility-stop rule reads utility readings, not reports: the units with readings in
    # its window are candidates too (readings are kept for few units).
    window = max(r.utility_months for r in rules.values())
    usage = {
        unit: months for unit, months in _usage_of(None, as_of, window).items() if unit in spells
    }
    for unit in usage:
        candidates.setdefault(unit, spells[unit])
    if not candidates:
        return []
    # Cases open on that date (a unit whose case was opened later is still watched then):
    # their units are not watched.
    open_cases = RevivalCase.objects.filter(open_at(on), archived_at__isnull=True)
    listed = sorted(candidates)
    for start in range(0, len(listed), 5000):
        part = open_cases.filter(unit__in=listed[start : start + 5000]).values_list("unit")
        for (unit,) in _raw(part.order_by()):
            candidates.pop(unit, None)
    if not candidates:
        return []
    # The start of each candidate's spell of operation (months before it are not missed):
    # their intervals read by unit and the one in operation on the date picked here (the
    # dates in the query made SQLite scan every interval in operation instead).
    starts = {}
    listed = sorted(candidates)
    for start in range(0, len(listed), 5000):
        part = UnitStatusInterval.objects.filter(unit__in=listed[start : start + 5000])
        for unit, status, valid_from, valid_to in part.values_list(
            "unit", "status", "valid_from", "valid_to"
        ):
            if status in IN_OPERATION and valid_from <= on < valid_to:
                starts[unit] = valid_from
    candidates = {unit: (starts[unit], province) for unit, province in candidates.items()}
    longest = max(r.recent_months for r in rules.values())
    missed = max(r.missed_months for r in rules.values())
    earliest = as_of - max(12 + longest, 2 * longest, missed)
    reports = _figures(list(candidates), earliest, as_of)
    # A unit silent since before the months read: its last report ends the count of months
    # missed (no rule reads its figures, which lie before every window).
    silent = [unit for unit in candidates if unit not in reports]
    for start in range(0, len(silent), 5000):
        last_filed = (
            _filed_reports()
            .filter(unit__in=silent[start : start + 5000])
            .filter(
                Q(year__lt=watch.month_of(earliest)[0])
                | Q(year=watch.month_of(earliest)[0], month__lt=watch.month_of(earliest)[1])
            )
            .annotate(number=F("year") * 12 + F("month") - 1)
            .values("unit")
            .annotate(last=Max("number"))
            .values_list("unit", "last")
        )
        for unit, number in last_filed:
            reports[unit] = {number: watch.Figures(Decimal(0), 0)}
    found = []
    for unit_id, (valid_from, province) in sorted(candidates.items()):
        start = _month_of_day(valid_from)
        flags = watch.flags_for(reports.get(unit_id, {}), as_of, rules[province], since=start,
                                usage=usage.get(unit_id))  # fmt: skip
        if flags:
            found.append(Watched(unit_id, flags))
    return found


def _narrowed(units) -> bool:
    """Whether the Unit queryset `units` leaves out any unit (a filter, a slice, a set
    operation)."""
    query = units.query
    return bool(
        query.where or query.low_mark or query.high_mark is not None or query.combinator
        or query.distinct_fields or units.model is not query.model
    )  # fmt: skip


@functools.lru_cache(maxsize=4096)
def _month_of_day(day: dt.date) -> int:
    """The month number of a day (candidates' spells often begin on the same days)."""
    return watch.month_number(*to_jalali(day)[:2])


def _usage_of(unit_ids, as_of: int, utility_months: int) -> dict[int, dict]:
    """unit → month → watch.Usage: the utility readings the utility-stop rule reads at the
    month `as_of` (the last `utility_months` months and the 12 before them), of `unit_ids`
    (None: of every unit)."""
    year, month = watch.month_of(as_of - utility_months - watch.UTILITY_BASELINE_MONTHS + 1)
    last_year, last_month = watch.month_of(as_of)
    readings = UtilityReading.objects.filter(archived_at__isnull=True)
    if unit_ids is not None:
        readings = readings.filter(unit__in=unit_ids)
    rows = (
        readings.filter(Q(year__gt=year) | Q(year=year, month__gte=month))
        .filter(Q(year__lt=last_year) | Q(year=last_year, month__lte=last_month))
        .values_list("unit", "year", "month", "electricity_kwh", "gas_m3", "water_m3")
    )
    usage: dict[int, dict] = {}
    for unit_id, y, m, kwh, gas, water in rows:
        usage.setdefault(unit_id, {})[watch.month_number(y, m)] = watch.Usage(kwh, gas, water)
    return usage


def province_rules(provinces) -> dict[int, "watch.WatchRules"]:
    """The watch rules of each of `provinces` (its settings, or the defaults), in one query."""
    kept = {
        row.province_id: row
        for row in ProvinceRevivalSettings.objects.filter(
            province__in=list(provinces), archived_at__isnull=True
        )
    }
    return {
        pk: watch.WatchRules.of(kept.get(pk) or ProvinceRevivalSettings(province_id=pk))
        for pk in provinces
    }


def _months(first: int, last: int) -> Q:
    """Reports of the months `first..last` (month numbers): `core.metrics.in_months`."""
    from shahrak.core.metrics import in_months

    return in_months(first, last)


def _filed_reports():
    return MonthlyReport.objects.filter(status__in=FILED, archived_at__isnull=True)


# Above this many units, the candidates are found by reading every unit's reports of the
# months concerned from the covering index (a few hundred thousand entries for the nation);
# below it, by each unit's own reports (one index search a unit: cheaper for a province).
WHOLE_TABLE_FROM = 20_000


def _by_units(queryset, units, whole: bool):
    """`queryset` narrowed to `units`, in chunks; or whole (the caller then matches units)."""
    if whole:
        yield queryset
        return
    units = sorted(units)
    for start in range(0, len(units), 5000):
        yield queryset.filter(unit__in=units[start : start + 5000])


def _candidates(group: dict, as_of: int, rules: "watch.WatchRules", kept=None) -> dict:
    """The units of `group` (unit → province: units in operation) the
    rules might flag at `as_of`: a superset of those they do flag, found by two aggregate
    queries.

    - missed reports: no filed report for the last `missed_months` months;
    - a drop: the average of the last `recent_months` reported months is at most
      (101 − drop_pct) % of the average of the months before them, in production or in
      employees (one point of slack against rounding: the rules decide exactly after; for
      the whole country, kept once found: `_drops`)."""
    whole = len(group) > WHOLE_TABLE_FROM if kept is None else kept
    if whole:
        reported = _filed_units(as_of, rules.missed_months)
    else:
        months = _filed_reports().filter(_months(as_of - rules.missed_months + 1, as_of))
        reported = set()
        for part in _by_units(months, group, whole):
            reported.update(unit for (unit,) in _raw(part.order_by().values_list("unit")))
    found = {unit: group[unit] for unit in group.keys() - reported}
    if whole:
        found.update((unit, group[unit]) for unit in _drops(as_of, rules) if unit in group)
        return found
    falling = _falling(as_of, rules)
    for part in _by_units(falling, group, whole):
        found.update((unit, group[unit]) for (unit,) in _raw(part) if unit in group)
    return found


def _drops(as_of: int, rules: "watch.WatchRules") -> list[int]:
    """Every unit's drop candidates at `as_of` (`_falling` over the whole table), kept in
    `DropCandidates` once found (a report written through the services deletes the sets
    whose months hold it)."""
    from django.db import DatabaseError, transaction

    from .models import DropCandidates

    key = {"as_of": as_of, "recent_months": rules.recent_months, "drop_pct": rules.drop_pct}
    kept = DropCandidates.objects.filter(**key).values_list("units", flat=True).first()
    if kept is not None:
        return [int(unit) for unit in kept.split()]
    units = [unit for (unit,) in _raw(_falling(as_of, rules))]
    try:
        with transaction.atomic():
            DropCandidates.objects.create(**key, units=" ".join(map(str, sorted(units))))
    except DatabaseError:  # found and kept meanwhile by another request, or not writable
        pass
    return units


def _filed_units(as_of: int, months: int) -> set[int]:
    """Every unit with a filed report for one of the `months` months up to `as_of` (from the
    reports' covering index: a hundred thousand entries for the nation), kept in
    `FiledUnits` once found (a report written through the services deletes the sets whose
    months hold it)."""
    from django.db import DatabaseError, transaction

    from .models import FiledUnits

    kept = FiledUnits.objects.filter(as_of=as_of, months=months).values_list("units", flat=True)
    kept = kept.first()
    if kept is not None:
        return set(_unpack(kept))
    rows = _filed_reports().filter(_months(as_of - months + 1, as_of)).values_list("unit")
    units = {unit for (unit,) in _raw(rows.order_by())}
    try:
        with transaction.atomic():
            FiledUnits.objects.create(as_of=as_of, months=months, units=_pack(units))
    except DatabaseError:  # found and kept meanwhile by another request, or not writable
        pass
    return units


def _pack(units) -> bytes:
    """Unit ids as bytes: 8 a unit, big-endian (read back by `_unpack` in one step, where
    parsing a hundred thousand numbers from text would cost more than finding them)."""
    packed = array("q", sorted(units))
    if sys.byteorder == "little":
        packed.byteswap()
    return packed.tobytes()


def _unpack(data) -> array:
    packed = array("q")
    packed.frombytes(bytes(data))
    if sys.byteorder == "little":
        packed.byteswap()
    return packed


def _falling(as_of: int, rules: "watch.WatchRules"):
    """Units whose filed reports show a drop at `as_of` (one aggregate query; see
    `_candidates`), as a values_list of unit ids."""
    from django.db.models import Count, FloatField, Sum
    from django.db.models.functions import Cast

    length, keep = rules.recent_months, 101 - rules.drop_pct
    # The latest months: those after the last of the months before them.
    year, month = watch.month_of(as_of - length)
    latest = Q(year__gt=year) | Q(year=year, month__gt=month)
    if watch.month_of(as_of - 2 * length + 1)[0] == watch.month_of(as_of)[0]:
        latest = Q(month__gt=month)  # all in one year: the month alone tells
    before = ~latest

    def total(name, when):
        return Cast(Sum(name, filter=when), FloatField())

    return (
        _filed_reports()
        .filter(_months(as_of - 2 * length + 1, as_of))
        .values("unit")
        .annotate(
            n_latest=Cast(Count("pk", filter=latest), FloatField()),
            n_before=Cast(Count("pk", filter=before), FloatField()),
            production_latest=total("production_volume", latest),
            production_before=total("production_volume", before),
            employees_latest=total("employees", latest),
            employees_before=total("employees", before),
        )
        .filter(n_latest__gt=0, n_before__gt=0)
        .filter(
            Q(
                production_before__gt=0,
                production_latest__lte=F("production_before")
                * F("n_latest")
                * keep
                / (F("n_before") * 100),
            )
            | Q(
                employees_before__gt=0,
                employees_latest__lte=F("employees_before")
                * F("n_latest")
                * keep
                / (F("n_before") * 100),
            )
        )
        .order_by()
        .values_list("unit")
    )


def _raw(queryset) -> list[tuple]:
    """The rows of a values_list queryset as the database gives them (no conversion: for
    numbers, the same values, without Django's work on each of a hundred thousand rows)."""
    from django.db import connections

    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _figures(units: list[int], first: int, last: int) -> dict[int, dict]:
    """The filed figures of `units` for the months `first..last`, by unit and month number."""
    reports: dict[int, dict[int, watch.Figures]] = {}
    for start in range(0, len(units), 5000):
        rows = (
            _filed_reports()
            .filter(_months(first, last), unit__in=units[start : start + 5000])
            .values_list("unit", "year", "month", "production_volume", "employees")
        )
        for unit_id, year, month, production, employees in rows:
            reports.setdefault(unit_id, {})[watch.month_number(year, month)] = watch.Figures(
                production, employees
            )
    return reports


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
    usage: dict[int, dict] = {}
    readings = UtilityReading.objects.filter(
        unit__county__province=province, archived_at__isnull=True
    ).values_list("unit", "year", "month", "electricity_kwh", "gas_m3", "water_m3")
    for unit_id, year, month, kwh, gas, water in readings:
        number = watch.month_number(year, month)
        usage.setdefault(unit_id, {})[number] = watch.Usage(kwh, gas, water)
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
            usage=usage.get(unit_id, {}),
        )
        for unit_id, months in operating.items()
    ]


# --- the work views ---------------------------------------------------------------------------
def next_steps(case: RevivalCase) -> set[str]:
    """The steps the case's stage permits now (the services have the last word): "diagnose",
    "plan", "progress", "action" (add an action to the plan), "visit", "restart", "close"."""
    if case.stage == CaseStage.CLOSED:
        return set()
    if case.stage == CaseStage.RESTARTED:
        return {"progress", "action", "visit"}
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
        steps.update({"progress", "action"})
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
