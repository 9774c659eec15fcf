"""Reads about revival: a case's timeline, its chain of cases, overdue actions."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .choices import CaseStage
from .models import ImprovementPlan, PlanAction, RevivalCase

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


def overdue_actions(queryset=None, *, today: dt.date):
    """Actions not done whose due date has passed, of cases still open or restarted."""
    queryset = PlanAction.objects.all() if queryset is None else queryset
    return queryset.filter(
        archived_at__isnull=True, done_on__isnull=True, due_on__lt=today
    ).exclude(plan__case__stage=CaseStage.CLOSED)
