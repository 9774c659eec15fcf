"""Reads about support that span relations: a person's work waiting on them (`my_work`),
each budget's use by Jalali half, the units that reached a program's cap, and applications
counted by stage and age. Every query starts from `restrict(user, …)`: a province's manager
sees their province, headquarters all."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils import timezone

from shahrak.accounts.access import provinces_for
from shahrak.accounts.choices import Action
from shahrak.core.jalali import JalaliPeriod

from .choices import ApplicationStatus
from .choices import ApplicationStatus as S
from .models import KEPT_BY_STAFF, Application, ApplicationStep, Payment

# "My work": what waits on a person (the list's `mine` filter and the home page).
ASSIGNED, TO_DECIDE = "assigned", "to_decide"
TO_ASSIGN, TO_SETTLE = "to_assign", "to_settle"
KINDS = (TO_ASSIGN, ASSIGNED, TO_DECIDE, TO_SETTLE)


def my_work(user, kind: str, applications=None):
    """Applications waiting on `user`: `to_assign` — submitted, for the staff of their province
    to give to an expert; `assigned` — under review and given to them; `to_decide` — reviewed
    by an expert and waiting for the decision of a manager of their province; `to_settle` —
    executed (or partly paid) and not closed, for a manager of their province to pay and
    close."""
    applications = (
        Application.objects.restrict(user, Action.VIEW) if applications is None else applications
    )
    if kind == ASSIGNED:
        return applications.filter(status=S.UNDER_REVIEW, assigned_to=user)
    if kind == TO_ASSIGN:
        staff = provinces_for(user, Action.CHANGE, KEPT_BY_STAFF[Action.CHANGE])
        return applications.filter(status=S.SUBMITTED, unit__county__province__in=staff)
    deciding = provinces_for(user, Action.APPROVE)
    if kind == TO_DECIDE:
        return applications.filter(
            status=S.UNDER_REVIEW, unit__county__province__in=deciding
        ).exclude(review_note="")
    if kind == TO_SETTLE:
        return applications.filter(
            status__in=(S.EXECUTED, S.PAID), unit__county__province__in=deciding
        )
    return applications.none()


def work_waiting(user) -> list[dict]:
    """The home page's "my work": each kind that has something waiting, with the oldest
    first (at most five of each) and how many there are in all."""
    found = []
    for kind in KINDS:
        waiting = (
            my_work(user, kind)
            .select_related("unit", "program")
            .annotate(last_step_at=Max("steps__at"))
            .order_by("last_step_at", "pk")
        )
        first = list(waiting[:5])
        if first:
            found.append({"kind": kind, "first": first, "count": waiting.count()})
    return found


HALVES = (1, 2)


def _in_half(date_field: str, year_field: str, years, half: int) -> Q:
    """`date_field` within half `half` of the Jalali year in `year_field` (for the years
    asked): one condition whatever the number of years."""
    condition = Q(pk__in=[])
    for year in years:
        period = JalaliPeriod.half(year, half)
        condition |= Q(**{year_field: year, f"{date_field}__range": (period.start, period.end)})
    return condition


def budget_use(user, budgets):
    """The budgets (a restricted ProgramBudget queryset, already filtered) with, by half of
    their Jalali year, what approvals charged to them (`approved_h1`, `approved_h2`) and what
    was paid from them (`paid_h1`, `paid_h2`): two grouped queries."""
    budgets = list(budgets.select_related("program", "province"))
    years = sorted({budget.year for budget in budgets})
    ids = [budget.pk for budget in budgets]
    approvals = (
        Application.objects.restrict(user, Action.VIEW)
        .filter(budget__in=ids, approved_on__isnull=False)
        .values("budget")
        .annotate(
            **{
                f"h{half}": Sum(
                    "approved_amount_rial",
                    filter=_in_half("approved_on", "budget__year", years, half),
                )
                for half in HALVES
            }
        )
        .order_by()
    )
    payments = (
        Payment.objects.restrict(user, Action.VIEW)
        .filter(application__budget__in=ids, archived_at__isnull=True)
        .values("application__budget")
        .annotate(
            **{
                f"h{half}": Sum(
                    "amount_rial", filter=_in_half("on", "application__budget__year", years, half)
                )
                for half in HALVES
            }
        )
        .order_by()
    )
    approved = {row["budget"]: row for row in approvals}
    paid = {row["application__budget"]: row for row in payments}
    for budget in budgets:
        for half in HALVES:
            setattr(budget, f"approved_h{half}", approved.get(budget.pk, {}).get(f"h{half}") or 0)
            setattr(budget, f"paid_h{half}", paid.get(budget.pk, {}).get(f"h{half}") or 0)
    return budgets


@dataclass
class CapReached:
    """A unit that has committed its whole cap of a program in a Jalali year."""

    unit_id: int
    unit_name: str
    province: str
    program_id: int
    program_title: str
    year: int
    cap_rial: int
    used_rial: int

    def get_absolute_url(self) -> str:
        return reverse("units:unit-detail", args=[self.unit_id])


def caps_reached(user, *, year=None, province=None, program=None) -> list[CapReached]:
    """Units whose applications to a program hold (reserved + paid) its whole cap for a
    Jalali year: they can be approved nothing more from it that year."""
    held = Application.objects.restrict(user, Action.VIEW).filter(
        budget__isnull=False, archived_at__isnull=True, program__cap_per_unit_rial__gt=0
    )
    if year:
        held = held.filter(budget__year=year)
    if province is not None:
        held = held.filter(unit__county__province=province)
    if program:
        held = held.filter(program=program)
    rows = (
        held.values(
            "unit",
            "unit__name",
            "unit__county__province__name_fa",
            "program",
            "program__title",
            "budget__year",
            "program__cap_per_unit_rial",
        )
        .annotate(used=Sum("committed_rial"))
        .filter(used__gte=F("program__cap_per_unit_rial"))
        .order_by("-budget__year", "program__sort_key", "unit__name")
    )
    return [
        CapReached(
            unit_id=row["unit"],
            unit_name=row["unit__name"],
            province=row["unit__county__province__name_fa"],
            program_id=row["program"],
            program_title=row["program__title"],
            year=row["budget__year"],
            cap_rial=row["program__cap_per_unit_rial"],
            used_rial=row["used"],
        )
        for row in rows
    ]


# Ages (days since an application's last step): from, until (None: no end).
AGES = ((0, 7), (8, 30), (31, 90), (91, None))


def _last_step():
    return Subquery(
        ApplicationStep.objects.filter(application=OuterRef("pk"))
        .order_by("-at", "-pk")
        .values("at")[:1]
    )


def _age(low: int, high: int | None, now: dt.datetime) -> Q:
    """Waiting at least `low` and at most `high` whole days since the last step."""
    condition = Q(last_step_at__lte=now - dt.timedelta(days=low))
    if high is not None:
        condition &= Q(last_step_at__gt=now - dt.timedelta(days=high + 1))
    return condition


def stage_ages(applications, now: dt.datetime | None = None) -> list[dict]:
    """Applications (a restricted queryset) counted by stage and by age: one grouped query.
    Each row: status, its label, the count in each age and the total."""
    now = now or timezone.now()
    counted = (
        applications.annotate(last_step_at=_last_step())
        .values("status")
        .annotate(
            total=Count("pk"),
            **{
                f"a{i}": Count("pk", filter=_age(low, high, now))
                for i, (low, high) in enumerate(AGES)
            },
        )
        .order_by()
    )
    found = {row["status"]: row for row in counted}
    return [
        {
            "status": status,
            "label": label,
            "ages": [found.get(status, {}).get(f"a{i}", 0) for i in range(len(AGES))],
            "total": found.get(status, {}).get("total", 0),
        }
        for status, label in ApplicationStatus.choices
    ]
